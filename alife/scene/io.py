"""Scene files <-> World: `load_scene`, `save_scene`, `scene_tree`, `world_from_tree`.

Loading: YAML (safe) -> `--set` overrides -> schema validation -> rule from the registry (its
AlifeError re-raised at the `rule.config` key) -> size and memory checks -> params (defaults,
then an optional `.npz` file, then scalar overrides) -> start state from `init`.

Saving writes canonical YAML atomically. Config keys are those the source file named plus any
that differ from the family's defaults; params likewise (small ones inline, anything else in a
`<stem>.params.npz` sidecar). When the world's state is no longer its start state (it ran, or was
edited) the state goes to a `<stem>.npz` sidecar (with the PRNG key) and `init` points at it.
Loading then saving an unchanged scene gives the same bytes. Saving into another folder rewrites
every path the scene holds relative to the new folder (`alife.scene.paths`: the params file, the
init file, and the optional blocks' paths such as `training.target`), so the copy reads the same
files as the original.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife import families as registry
from alife.core.errors import AlifeError
from alife.core.fileio import arrays_to_tree, atomic_write_text, save_tree
from alife.core.rule import Params, Rule
from alife.core.safeio import read_npz
from alife.core.types import replace_params
from alife.scene.blocks import check_blocks
from alife.scene.dump import dump_yaml, plain
from alife.scene.initial import build_state, reset_state, resolve, seed_keys
from alife.scene.limits import (
    check_config_types,
    check_finite,
    check_memory,
    check_params_size,
    check_size,
    tree_bytes,
)
from alife.scene.paths import rebase_tree
from alife.scene.schema import (
    EXTRA_BLOCKS,
    VERSION,
    Where,
    apply_overrides,
    canonical,
    read_scene_file,
    suggest,
    validate_tree,
)
from alife.scene.view import ViewSettings
from alife.scene.world import World

#: params with more elements than this go to an .npz sidecar instead of inline YAML
INLINE_MAX = 16


# ---- loading -----------------------------------------------------------------------------------
def load_scene(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> World:
    """Read and validate a scene file (plus `--set key=value` overrides) into a World."""
    path = Path(path)
    tree, where = read_scene_file(path)
    apply_overrides(tree, list(overrides), where)
    validate_tree(tree, where)
    return world_from_tree(tree, where, path.parent, path)


def make_rule(family: str, config: dict[str, Any], where: Where) -> Rule:
    """Build a rule from the registry; errors name `rule.family` or `rule.config`."""
    known = registry.families()
    if family not in known:
        raise where.error(("rule", "family"), f"unknown rule family {family!r}"
                                              f"{suggest(family, sorted(known))}; expected one "
                                              f"of {', '.join(sorted(known))}")
    check_size(config.get("width"), config.get("height"), where(("rule", "config")))
    check_config_types(family, config, where)
    try:
        return registry.create(family, **config)
    except AlifeError as exc:
        named = exc.where if exc.where in config else next(
            (k for k in config if exc.where is None and exc.detail.startswith(f"{k} ")), None)
        key = ("rule", "config") + ((named,) if named else ())
        detail = exc.detail if named == exc.where else str(exc)
        raise AlifeError(_one_line(detail), where=where(key)) from None
    except (ValueError, TypeError, KeyError, ArithmeticError, IndexError, AttributeError,
            MemoryError, RecursionError, jax.errors.JaxRuntimeError) as exc:  # e.g. out of memory
        raise where.error(("rule", "config"), _one_line(f"rejected by the {family!r} family: "
                                                        f"{type(exc).__name__}: {exc}")) from None


def _one_line(text: str, limit: int = 300) -> str:
    """A message on one line (library errors may span several), at most `limit` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def build_params(rule: Rule, block: dict[str, Any], folder: Path, where: Where) -> Params:
    """Default params, then `file` (an .npz of all params), then scalar/list overrides."""
    params = rule.default_params()
    if "file" in block:
        file = resolve(folder, block["file"], where, ("rule", "params", "file"))
        allowed = 2 * tree_bytes(params) + (1 << 20)  # the params, compressed or not, + slack
        try:
            params = arrays_to_tree(read_npz(file, allowed), params, where=str(file))
        except AlifeError as exc:
            raise exc.at(where(("rule", "params", "file"))) from None
    names = [f.name for f in dataclasses.fields(params)] if dataclasses.is_dataclass(params) \
        else []
    for key, value in block.items():
        if key == "file":
            continue
        if key not in names:
            shown = ", ".join(names) if names else "none (this family has no params)"
            raise where.error(("rule", "params", key), f"unknown param {key!r}"
                                                       f"{suggest(key, names)}; expected {shown}")
        old = getattr(params, key)
        if not hasattr(old, "shape"):
            raise where.error(("rule", "params", key), "is not a plain array param; expected it "
                                                       "in the params .npz file")
        new = np.asarray(value)
        if new.ndim and new.shape != tuple(old.shape):
            raise where.error(("rule", "params", key), f"has shape {list(new.shape)}; expected "
                                                       f"a number or shape {list(old.shape)}")
        kind = np.dtype(old.dtype).kind
        if (new.dtype.kind == "b") != (kind == "b") or (kind in "iu" and new.dtype.kind == "f"):
            want = {"b": "true or false", "i": "an integer", "u": "an integer"}.get(kind,
                                                                                "a number")
            raise where.error(("rule", "params", key), f"got {value!r}; expected {want}"
                                                       f"{'' if old.ndim == 0 else ' for each'}")
        with warnings.catch_warnings():  # 1e300 -> float32 overflows to inf: refused below
            warnings.simplefilter("ignore", RuntimeWarning)
            params = replace_params(params, **{key: value})
    check_finite(params, where(("rule", "params")))
    return params


def world_from_tree(tree: dict[str, Any], where: Where, folder: Path,
                    path: Path | None = None, patterns: dict[Path, Any] | None = None) -> World:
    """A validated scene tree -> World (`folder` resolves relative file paths).

    `patterns` holds pattern files already read ({resolved path: Pattern}), so a pattern opened
    directly is not read a second time for the `init` block."""
    rule_block = tree["rule"]
    config = dict(rule_block.get("config") or {})
    rule = make_rule(rule_block["family"], config, where)
    check_blocks_accepted(rule, tree, where)
    check_blocks(rule, tree, EXTRA_BLOCKS, where)
    check_params_size(rule, where(("rule", "config")))
    params = build_params(rule, rule_block.get("params") or {}, folder, where)
    check_memory(rule, params, where(("rule", "config")))
    view = ViewSettings.parse(tree.get("view"), rule, where)
    seed = int(tree.get("seed", 0))
    init = copy.deepcopy(tree.get("init") or {})
    state, key = build_state(rule, params, init, seed, folder, where, patterns)
    if key is None:
        key = seed_keys(seed)[1]
    name = tree.get("name") or (path.stem if path is not None else "untitled")
    origin = _plane_origin(rule, tree, where)
    return World(
        rule=rule, params=params, state=state, key=key, name=name, seed=seed, init=init,
        view=view, run=dict(tree.get("run") or {}),
        extra={k: copy.deepcopy(tree[k]) for k in EXTRA_BLOCKS if k in tree},
        path=path, description=tree.get("description", ""),
        source=canonical(copy.deepcopy(tree)), origin=origin,
    )


def _plane_origin(rule: Rule, tree: dict[str, Any], where: Where) -> tuple[int, int] | None:
    """`run.plane` as the World's origin on the unbounded plane (None: a bounded grid); the
    rule must be able to live there (`alife.core.plane`)."""
    from alife.core import plane

    given = (tree.get("run") or {}).get("plane")
    if given is None:
        return None
    if not plane.can_run(rule) or rule.config().get("topology") != "plane":
        raise where.error(("run", "plane"), f"rule {rule.describe()} cannot run on the "
                                            f"unbounded plane; expected a Life-like rule "
                                            f"or a rule table, on topology plane")
    window = rule.plane_window(*(int(n) for n in rule.shape))
    expected = {} if window is None else window.config()
    missing = {k: v for k, v in expected.items() if rule.config().get(k) != v}
    if missing:  # e.g. a B0 rule's `unbounded: true` (Golly's emulation) left out
        shown = ", ".join(f"{k}: {v!r}" for k, v in missing.items())
        raise where.error(("rule", "config"), f"a world on the unbounded plane needs {shown} "
                                              f"in its rule config")
    return int(given[0]), int(given[1])


#: optional blocks every family accepts; others only where the family's descriptor declares them
COMMON_BLOCKS = ("evolution",)


def check_blocks_accepted(rule: Rule, tree: dict[str, Any], where: Where) -> None:
    """Refuse an optional block (e.g. `training:`) the rule's family does not declare."""
    family = registry.family_of(rule)
    accepted = set(COMMON_BLOCKS) | set(family.blocks)
    for block in EXTRA_BLOCKS:
        if block in tree and block not in accepted:
            takers = [n for n, f in registry.families().items() if block in f.blocks]
            raise where.error((block,), f"the {family.name!r} family takes no {block} block; "
                                        f"families that do: {', '.join(takers) or 'none'}")


# ---- saving ------------------------------------------------------------------------------------
def _trees_equal(a: Any, b: Any) -> bool:
    la, ta = jax.tree_util.tree_flatten(a)
    lb, tb = jax.tree_util.tree_flatten(b)
    if ta != tb:
        return False
    return all(np.shape(x) == np.shape(y) and np.array_equal(np.asarray(x), np.asarray(y))
               for x, y in zip(la, lb, strict=True))


def state_changed(world: World) -> bool:
    """True if the world's state is not the start state its `init` block builds."""
    try:
        return not _trees_equal(world.state, reset_state(world))
    except AlifeError:
        return True


def moved_parts(world: World, new: Path) -> dict[str, Any]:
    """The parts of `world` that name files, as a scene in folder `new` must write them: the
    source's `rule.params` block, `init` and the optional blocks, every file-relative path
    rebased from the world's folder (`alife.scene.paths`)."""
    old = world.path.parent if world.path is not None else Path.cwd()
    src = world.source.get("rule") or {}
    said = (src.get("params") or {}) if src.get("family") == world.rule.family else {}
    parts = {"rule": {"params": said}, "init": world.init, **world.extra}
    return rebase_tree(parts, world.rule, old, new)


def rebase_init(init: dict[str, Any], old: Path, new: Path, rule: Rule) -> dict[str, Any]:
    """An `init` block whose file paths were relative to folder `old`, made relative to `new`."""
    return rebase_tree({"init": init}, rule, old, new)["init"]


def _factory_defaults(family: str) -> dict[str, Any]:
    try:
        factory = registry.families()[family].factory
        sig = inspect.signature(factory)
    except (KeyError, TypeError, ValueError):
        return {}
    return {k: p.default for k, p in sig.parameters.items()
            if p.default is not inspect.Parameter.empty}


def _config_block(world: World) -> dict[str, Any]:
    """Config keys the source named (in the source's spelling while they still mean the same,
    e.g. `B2/S/C3` rather than the family's canonical `/2/3`), plus those that differ from what
    the family would choose given only those (so derived values, e.g. a Lenia creature's
    radius, stay out)."""
    family = world.rule.family
    config = plain(world.rule.config())
    src = world.source.get("rule") or {}
    said = (src.get("config") or {}) if src.get("family") == family else {}
    given = {k: v for k, v in world.rule.config().items() if k in said}
    try:
        baseline = plain(registry.create(family, **given).config())
    except (AlifeError, TypeError, ValueError):
        baseline = {k: plain(v) for k, v in _factory_defaults(family).items()}
    spelled = {}
    if said:
        try:
            if plain(registry.create(family, **said).config()) == config:
                spelled = said
        except (AlifeError, TypeError, ValueError):
            pass
    return {k: plain(spelled.get(k, v)) for k, v in config.items()
            if k in said or k not in baseline or baseline[k] != v}


def _key_data(key: jax.Array) -> np.ndarray:
    if jnp.issubdtype(key.dtype, jax.dtypes.prng_key):
        key = jax.random.key_data(key)
    return np.asarray(key)


def _params_block(world: World, said: dict[str, Any], new: Path, stem: str,
                  sidecars: dict[Path, Callable[[], None]]) -> dict[str, Any]:
    """`said`: the source's params block, its file already relative to `new`."""
    if "file" in said:
        # the file as the saved scene will name it, joined lexically: `new` may not exist yet,
        # and the kernel cannot walk `..` through a folder that is not there
        probe = {**said, "file": os.path.normpath(new / str(said["file"]))}
        try:
            as_loaded = build_params(world.rule, probe, new, Where(str(world.path)))
        except AlifeError:
            as_loaded = None
        if as_loaded is not None and _trees_equal(as_loaded, world.params):
            return copy.deepcopy(said)
    defaults = world.rule.default_params()
    out: dict[str, Any] = {}
    to_file = False
    for f in dataclasses.fields(world.params):
        value, default = getattr(world.params, f.name), getattr(defaults, f.name)
        if f.name not in said and _trees_equal(value, default):
            continue
        if hasattr(value, "shape") and np.ndim(value) <= 1 and np.size(value) <= INLINE_MAX:
            out[f.name] = plain(np.asarray(value))
        else:
            to_file = True
    if to_file:
        name = f"{stem}.params.npz"
        target, params = new / name, world.params
        sidecars[target] = lambda: save_tree(target, params)
        return {"file": name}
    return out


def scene_tree(world: World, folder: str | Path, stem: str, include_state: bool | None = None,
               sidecars: dict[Path, Callable[[], None]] | None = None) -> dict[str, Any]:
    """The canonical YAML tree for a world saved as `folder/stem.yaml`.

    `include_state`: None = save the state if it differs from the start state. Files the tree
    refers to that must be written (state / params `.npz`) are added to `sidecars`.
    """
    new = Path(folder)
    moved = moved_parts(world, new)
    sidecars = {} if sidecars is None else sidecars
    if include_state is None:
        include_state = state_changed(world)
    rule: dict[str, Any] = {"family": world.rule.family, "config": _config_block(world)}
    params = _params_block(world, moved["rule"]["params"], new, stem, sidecars)
    if params:
        rule["params"] = params
    tree: dict[str, Any] = {"version": VERSION, "name": world.name}
    if world.description:
        tree["description"] = world.description
    tree["seed"] = int(world.seed)
    tree["rule"] = rule
    if include_state:
        name = f"{stem}.npz"
        target, state, key_data = new / name, world.state, _key_data(world.key)
        sidecars[target] = lambda: save_tree(target, state, key=key_data)
        tree["init"] = {"npz": {"file": name}}
    elif moved["init"]:
        kind, block = next(iter(moved["init"].items()))
        tree["init"] = {kind: block or {}}
    if world.view.given:
        tree["view"] = world.view.block()
    if world.run:
        tree["run"] = copy.deepcopy(world.run)
    if include_state and world.origin is not None:  # where the saved window lies now
        tree["run"] = {**tree.get("run", {}), "plane": list(world.origin)}
    for block in EXTRA_BLOCKS:
        if block in world.extra:
            tree[block] = moved[block]
    return canonical(tree)


def scene_text(world: World, path: str | Path, include_state: bool | None = None) -> str:
    """The YAML text `save_scene(world, path)` would write (without writing anything)."""
    path = Path(path)
    return dump_yaml(scene_tree(world, path.parent, path.stem, include_state))


def save_scene(world: World, path: str | Path, include_state: bool | None = None) -> World:
    """Write `world` as a scene file (atomically), with `.npz` sidecars where needed.

    Returns the world as the file now describes it (its `path`, `init`, optional blocks and
    `source` point at the new file), which is what to keep working with: the old paths were
    relative to the old folder.
    """
    path = Path(path)
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise AlifeError(f"scene files end in .yaml; got {path.suffix or 'no extension'!r}",
                         where=str(path))
    sidecars: dict[Path, Callable[[], None]] = {}
    rule, params = world.rule.restated(world.params)
    as_written = dataclasses.replace(world, rule=rule, params=params)
    tree = scene_tree(as_written, path.parent, path.stem, include_state, sidecars)
    text = dump_yaml(tree)
    try:
        for write in sidecars.values():
            write()
        atomic_write_text(path, text)
    except OSError as exc:
        raise AlifeError(f"cannot write the scene ({exc.strerror or exc})",
                         where=str(path)) from None
    return dataclasses.replace(world, path=path, init=copy.deepcopy(tree.get("init") or {}),
                               extra={k: copy.deepcopy(tree[k]) for k in EXTRA_BLOCKS
                                      if k in tree},
                               source=tree)
