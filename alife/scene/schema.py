"""Scene file schema (version 1): parse YAML safely, apply `--set` overrides, validate every key.

A scene is a YAML mapping (see docs/scene-format.md):

    version, name, description, seed,
    rule: {family, config, params},
    init: exactly one of {pattern, random, image, npz, default, empty},
    view: {zoom, grid_lines, look, colormap, channel, palette},
    run: {steps, steps_per_frame, fps},
    training / evolution: kept verbatim for the train and evolve commands.

File paths (`PATH_KEYS`, and the blocks' settings declared with `path=`) are relative to the
scene file's folder; `alife.scene.paths` lists and rebases them.

`parse_scene_text` returns the tree plus a `Where` that turns a key path into
`file:line: key.path` for error messages. `validate_tree` checks structure and types only; what
needs the rule (config, params, pattern fit) is checked while building the World (`io.py`).
Canonical key order (`canonical`) is the order of this schema, so saved files are stable.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from alife.core.errors import AlifeError
from alife.core.safeio import read_text
from alife.scene import safeyaml
from alife.scene.checks import Where, check_keys, expect, mapping, suggest
from alife.scene.checks import is_int as _is_int
from alife.scene.checks import is_num as _is_num
from alife.scene.checks import show as _show
from alife.scene.view import VIEW_KEYS
from alife.scene.view import check_block as check_view

VERSION = 1
#: largest scene file read (scenes are a few KiB; arrays live in .npz sidecars)
MAX_SCENE_BYTES = 2 << 20
#: most dotted parts in a `--set` key (the deepest scene key has 4)
MAX_KEY_PARTS = 8
#: most steps a run may ask for (generation counters are int32)
MAX_STEPS = 2**31 - 1
#: most steps the app may take per frame
MAX_STEPS_PER_FRAME = 100_000
#: blocks kept verbatim in World.extra (read by `alife train` / `alife evolve`)
EXTRA_BLOCKS = ("training", "evolution")
TOP_KEYS = ("version", "name", "description", "seed", "rule", "init", "view", "run") + EXTRA_BLOCKS
RULE_KEYS = ("family", "config", "params")
INIT_KINDS = ("pattern", "random", "image", "npz", "default", "empty")
PLACE_KEYS = ("at", "centre")
INIT_KEYS: dict[str, tuple[str, ...]] = {
    "pattern": ("file",) + PLACE_KEYS + ("transform",),
    "random": ("density",),
    "image": ("file", "threshold", "levels", "invert", "size") + PLACE_KEYS,
    "npz": ("file",) + PLACE_KEYS + ("transform",),
    "default": (),
    "empty": (),
}
TRANSFORM_KEYS = ("rotate", "flip_x", "flip_y")
RUN_KEYS = ("steps", "steps_per_frame", "fps", "plane")
#: the path-valued keys of the scene's own blocks, all relative to the scene file's folder; the
#: optional blocks declare theirs with their settings (`alife.scene.blocks.block_paths`), and
#: `alife.scene.paths` finds and rebases both
PATH_KEYS: tuple[tuple[str, ...], ...] = (("rule", "params", "file"),) + tuple(
    ("init", kind, "file") for kind, keys in INIT_KEYS.items() if "file" in keys)


# ---- parsing -------------------------------------------------------------------------------
def _node_lines(node: yaml.Node, path: tuple, out: dict[tuple, int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                out[path + (key.value,)] = key.start_mark.line + 1
                _node_lines(value, path + (key.value,), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _node_lines(item, path + (i,), out)


def parse_scene_text(text: str, file: str) -> tuple[dict[str, Any], Where]:
    """YAML text -> (tree, Where). Safe loading with bounded depth and alias expansion
    (`alife.scene.safeyaml`), parsed once; errors carry the line number."""
    if not text.strip():
        raise AlifeError("got an empty file; expected a YAML mapping with keys such as "
                         "version, name, rule, init", where=file)
    tree, node = safeyaml.load(text, file)
    if not isinstance(tree, dict):
        got = "an empty file" if tree is None else f"a {type(tree).__name__}"
        raise AlifeError(f"got {got}; expected a YAML mapping with keys such as "
                         f"version, name, rule, init", where=file)
    lines: dict[tuple, int] = {}
    if node is not None:
        _node_lines(node, (), lines)
    return tree, Where(file, lines)


def read_scene_file(path: Path) -> tuple[dict[str, Any], Where]:
    """Read and parse a scene file: a regular file of at most MAX_SCENE_BYTES, UTF-8."""
    text = read_text(path, MAX_SCENE_BYTES, "a scene file (.yaml)")
    return parse_scene_text(text, str(path))


# ---- overrides -----------------------------------------------------------------------------
def parse_value(text: str) -> Any:
    """A `--set` value as a YAML scalar/flow value (`0.2`, `true`, `[1, 2]`); else the string.

    Values YAML refuses for their size or shape (deep nesting, alias bombs, huge integers) are
    an AlifeError rather than a string."""
    if not text.strip():
        return ""
    try:
        return safeyaml.construct(safeyaml.compose(text))
    except safeyaml.LimitError as exc:
        raise AlifeError(f"--set value refused ({exc.problem})") from None
    except yaml.YAMLError:
        return text
    except (ValueError, OverflowError, RecursionError) as exc:
        raise AlifeError(f"--set value refused ({safeyaml.describe(exc)[0]})") from None


def apply_overrides(tree: dict[str, Any], overrides: Sequence[str], where: Where) -> None:
    """Apply `key.path=value` strings in place. `init.<kind>.x=...` switches the init kind."""
    for item in overrides:
        if "=" not in item:
            raise AlifeError(f"--set {item!r}: expected key=value, e.g. rule.config.width=256")
        key, _, raw = item.partition("=")
        path = tuple(p for p in key.strip().split("."))
        if len(path) > MAX_KEY_PARTS:
            raise AlifeError(f"--set {item[:60]!r}: {len(path)} key parts; expected at most "
                             f"{MAX_KEY_PARTS}, e.g. rule.params.mu")
        if not all(path):
            raise AlifeError(f"--set {item!r}: empty key part; expected dotted keys like "
                             f"rule.params.mu")
        value = parse_value(raw)
        if len(path) >= 2 and path[0] == "init" and path[1] in INIT_KINDS:
            init = tree.get("init")
            if not (isinstance(init, dict) and path[1] in init):
                tree["init"] = {path[1]: {}}
        node: Any = tree
        for i, part in enumerate(path[:-1]):
            nxt = node.get(part) if isinstance(node, dict) else None
            if nxt is None:
                nxt = {}
                node[part] = nxt
            elif not isinstance(nxt, dict):
                raise AlifeError(f"--set {item!r}: {'.'.join(path[: i + 1])} is not a mapping")
            node = nxt
        node[path[-1]] = value
        where.overridden.add(path)


# ---- validation ----------------------------------------------------------------------------
def _int_pair(v: Any) -> bool:
    return isinstance(v, list) and len(v) == 2 and all(_is_int(x) for x in v)


def _validate_place(block: dict, path: tuple, where: Where) -> None:
    expect(block, "at", path, where, lambda v: _int_pair(v) and min(v) >= 0,
           "[x, y]: two integers >= 0 (column, row of the top-left cell)")
    expect(block, "centre", path, where, lambda v: isinstance(v, bool), "true or false")
    if "at" in block and block.get("centre"):
        raise where.error(path, "both 'at' and 'centre: true' given; expected one of them")


def _validate_init(tree: dict, where: Where) -> None:
    init = mapping(tree, "init", (), where)
    if not init:
        if "init" in tree:
            raise where.error(("init",), f"empty; expected exactly one of {', '.join(INIT_KINDS)}")
        return
    for kind in init:
        if kind not in INIT_KINDS:
            raise where.error(("init", kind), f"unknown init kind {kind!r}"
                                              f"{suggest(kind, INIT_KINDS)}; expected one of "
                                              f"{', '.join(INIT_KINDS)}")
    if len(init) != 1:
        raise where.error(("init",), f"has {', '.join(init)}; expected exactly one init kind")
    kind = next(iter(init))
    path = ("init", kind)
    block = mapping(init, kind, ("init",), where)
    check_keys(block, INIT_KEYS[kind], path, where,
               required=("file",) if "file" in INIT_KEYS[kind] else ())
    expect(block, "file", path, where, lambda v: isinstance(v, str) and v != "", "a file path")
    if kind in ("pattern", "npz"):
        _validate_place(block, path, where)
        transform = mapping(block, "transform", path, where)
        check_keys(transform, TRANSFORM_KEYS, path + ("transform",), where)
        expect(transform, "rotate", path + ("transform",), where,
               lambda v: _is_int(v) and v in (0, 90, 180, 270), "0, 90, 180 or 270 (clockwise)")
        for flip in ("flip_x", "flip_y"):
            expect(transform, flip, path + ("transform",), where, lambda v: isinstance(v, bool),
                   "true or false")
    elif kind == "random":
        expect(block, "density", path, where, lambda v: _is_num(v) and 0 <= v <= 1,
               "a number in [0, 1]")
    elif kind == "image":
        _validate_place(block, path, where)
        expect(block, "threshold", path, where, lambda v: _is_num(v) and 0 <= v <= 1,
               "a number in [0, 1]")
        for flag in ("levels", "invert"):
            expect(block, flag, path, where, lambda v: isinstance(v, bool), "true or false")
        if "threshold" in block and block.get("levels"):
            raise where.error(path, "both 'threshold' and 'levels: true'; expected one of them")
        expect(block, "size", path, where, lambda v: _int_pair(v) and min(v) >= 1,
               "[width, height]: two integers >= 1")


def validate_tree(tree: dict[str, Any], where: Where) -> None:
    """Check the structure and types of a scene tree; raise AlifeError naming the key."""
    check_keys(tree, TOP_KEYS, (), where, required=("rule",))
    version = tree.get("version", VERSION)
    if not _is_int(version) or version < 1:
        raise where.error(("version",), f"got {_show(version)}; expected a positive integer")
    if version > VERSION:
        raise where.error(("version",), f"scene version {version} is newer than this alife "
                                        f"supports; expected {VERSION} or lower (upgrade alife)")
    expect(tree, "name", (), where, lambda v: isinstance(v, str), "a string")
    expect(tree, "description", (), where, lambda v: isinstance(v, str), "a string")
    expect(tree, "seed", (), where, lambda v: _is_int(v) and 0 <= v < 2**32,
           "an integer in [0, 2^32)")

    rule = mapping(tree, "rule", (), where, required=True)
    check_keys(rule, RULE_KEYS, ("rule",), where, required=("family",))
    expect(rule, "family", ("rule",), where, lambda v: isinstance(v, str), "a family name")
    config = mapping(rule, "config", ("rule",), where)
    for key in config:
        if not isinstance(key, str):
            raise where.error(("rule", "config", key), "config keys must be strings")
    params = mapping(rule, "params", ("rule",), where)
    expect(params, "file", ("rule", "params"), where, lambda v: isinstance(v, str) and v != "",
           "a file path (.npz)")
    for key, value in params.items():
        if key != "file" and not _plain_value(value):
            raise where.error(("rule", "params", key), f"got {_show(value)}; expected a finite "
                                                       f"number, true/false or a list of them")

    _validate_init(tree, where)

    check_view(mapping(tree, "view", (), where), where)

    run = mapping(tree, "run", (), where)
    check_keys(run, RUN_KEYS, ("run",), where)
    expect(run, "steps", ("run",), where, lambda v: _is_int(v) and 1 <= v <= MAX_STEPS,
           f"an integer >= 1 and <= {MAX_STEPS}")
    expect(run, "steps_per_frame", ("run",), where,
           lambda v: _is_int(v) and 1 <= v <= MAX_STEPS_PER_FRAME,
           f"an integer >= 1 and <= {MAX_STEPS_PER_FRAME}")
    expect(run, "fps", ("run",), where, lambda v: _is_num(v) and v > 0, "a number > 0")
    expect(run, "plane", ("run",), where,
           lambda v: isinstance(v, list) and len(v) == 2 and all(_is_int(n) for n in v),
           "[x, y]: the unbounded plane's position of the grid's top-left cell (integers)")


def _plain_value(value: Any) -> bool:
    if _is_num(value) or isinstance(value, bool):
        return True
    return isinstance(value, list) and all(_plain_value(v) for v in value)


# ---- canonical order -----------------------------------------------------------------------
def _ordered(block: dict, keys: Sequence[str]) -> dict:
    out = {k: block[k] for k in keys if k in block}
    out.update({k: v for k, v in block.items() if k not in out})
    return out


def canonical(tree: dict[str, Any]) -> dict[str, Any]:
    """The tree with keys in schema order (unknown nested keys keep their order)."""
    out = _ordered(tree, TOP_KEYS)
    if isinstance(out.get("rule"), dict):
        out["rule"] = _ordered(out["rule"], RULE_KEYS)
    init = out.get("init")
    if isinstance(init, dict) and len(init) == 1:
        kind, block = next(iter(init.items()))
        if isinstance(block, dict):
            block = _ordered(block, INIT_KEYS.get(kind, ()))
            if isinstance(block.get("transform"), dict):
                block["transform"] = _ordered(block["transform"], TRANSFORM_KEYS)
        out["init"] = {kind: block if block is not None else {}}
    if isinstance(out.get("view"), dict):
        out["view"] = _ordered(out["view"], VIEW_KEYS)
    if isinstance(out.get("run"), dict):
        out["run"] = _ordered(out["run"], RUN_KEYS)
    return out
