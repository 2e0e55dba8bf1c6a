"""Building a world's start state from a scene's `init` block (and rebuilding it on Reset).

Init kinds (exactly one): `pattern` (an `.rle`/`.cells` file placed `at: [x, y]` or centred,
optionally rotated/flipped), `random` (each cell alive with `density`), `image` (a picture,
thresholded or as levels), `npz` (a saved state, or a `cells` array placed like a pattern),
`default` (the family's own `init`), `empty` (all cells 0). Relative file paths resolve against
the scene's folder. The PRNG key for the start state and the key the run continues with both
derive from the scene's `seed` (`seed_keys`), so a scene always starts the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.errors import AlifeError
from alife.core.fileio import arrays_to_tree
from alife.core.rule import Params, Rule, State, can_edit
from alife.core.safeio import read_npz
from alife.scene.schema import Where


def seed_keys(seed: int) -> tuple[jax.Array, jax.Array]:
    """(key for building the start state, key the run continues with) for a scene seed."""
    init_key, run_key = jax.random.split(jax.random.PRNGKey(seed))
    return init_key, run_key


def resolve(folder: Path, file: str, where: Where, path: tuple) -> Path:
    """A scene-relative file path, checked to exist (readers refuse what is not a regular
    file: FIFOs, devices, folders)."""
    from alife.core.archive import split_member

    full = Path(file) if Path(file).is_absolute() else folder / file
    inside = split_member(full)  # a pattern inside a zip archive: the archive must exist
    if not (full.exists() or (inside is not None and inside[0].is_file())):
        raise where.error(path, f"file not found: {full}; expected a path relative to the "
                                f"scene's folder {folder}")
    return full


def state_template(rule: Rule, params: Params) -> Any:
    """Zeros shaped like the rule's State, without running `init` (uses `jax.eval_shape`)."""
    shapes = jax.eval_shape(rule.init, jax.random.PRNGKey(0), params)
    return jax.tree_util.tree_map(lambda s: np.zeros(s.shape, s.dtype), shapes)


# ---- placing a small grid into the world -----------------------------------------------------
def transform(cells: np.ndarray, spec: dict[str, Any]) -> np.ndarray:
    """Rotate clockwise by `rotate` degrees, then mirror (`flip_x` left-right, `flip_y` up-down)."""
    out = np.rot90(cells, k=-(int(spec.get("rotate", 0)) // 90))
    if spec.get("flip_x"):
        out = out[:, ::-1]
    if spec.get("flip_y"):
        out = out[::-1, :]
    return np.ascontiguousarray(out)


def place(small: np.ndarray, shape: tuple[int, int], block: dict[str, Any], where: Where,
          path: tuple) -> np.ndarray:
    """A world-sized grid with `small` at `block["at"]` = [x, y] (top-left), or centred."""
    h, w = small.shape
    height, width = shape
    if h > height or w > width:
        raise where.error(path, f"the {w} x {h} (width x height) grid does not fit in the "
                                f"{width} x {height} world; expected a larger world "
                                f"(rule.config width/height)")
    if "at" in block:
        x, y = (int(v) for v in block["at"])
        if x + w > width or y + h > height:
            raise where.error(path + ("at",),
                              f"[{x}, {y}] puts the {w} x {h} grid past the edge of the "
                              f"{width} x {height} world; expected x <= {width - w}, "
                              f"y <= {height - h}")
    else:
        x, y = (width - w) // 2, (height - h) // 2
    out = np.zeros(shape, small.dtype)
    out[y : y + h, x : x + w] = small
    return out


def _as_rule_cells(rule: Rule, cells: np.ndarray, where: Where, path: tuple) -> np.ndarray:
    """Pattern states -> the rule's cell dtype: states checked against `num_states`; for
    continuous rules 0/1 patterns become levels 0/1 and multi-state ones level = state / 255."""
    if rule.num_states == 0:
        if cells.dtype.kind == "f":
            return cells.astype(np.float32)
        scale = 1.0 if cells.size == 0 or cells.max() <= 1 else 255.0
        return (cells.astype(np.float32) / scale).astype(np.float32)
    if cells.dtype.kind == "f":
        raise where.error(path, f"holds fractional levels but the {rule.family!r} rule has "
                                f"{rule.num_states} discrete states; expected integer states")
    top = int(cells.max()) if cells.size else 0
    if top >= rule.num_states:
        raise where.error(path, f"uses state {top} but the rule has {rule.num_states} states; "
                                f"expected states 0..{rule.num_states - 1}")
    return cells.astype(np.int32)


def _with_cells(rule: Rule, params: Params, cells: np.ndarray) -> State:
    base = rule.blank(params)
    dtype = rule.cells(base).dtype
    return rule.with_cells(base, jnp.asarray(cells, dtype))


# ---- the init kinds ----------------------------------------------------------------------------
def _pattern(rule: Rule, params: Params, block: dict, folder: Path, where: Where,
             patterns: dict[Path, Any] | None = None) -> State:
    from alife.scene.patterns import read_pattern

    path = ("init", "pattern")
    file = resolve(folder, block["file"], where, path + ("file",))
    try:
        pattern = (patterns or {}).get(file.resolve()) or read_pattern(file)
    except AlifeError as exc:
        raise exc.at(where(path + ("file",))) from None
    cells = transform(np.asarray(pattern.cells), block.get("transform") or {})
    cells = _as_rule_cells(rule, cells, where, path + ("file",))
    return _with_cells(rule, params, place(cells, rule.shape, block, where, path))


def _image(rule: Rule, params: Params, block: dict, folder: Path, where: Where) -> State:
    from PIL import Image

    from alife.core.safeio import open_image

    path = ("init", "image")
    file = resolve(folder, block["file"], where, path + ("file",))
    height, width = rule.shape
    size = tuple(int(v) for v in block["size"]) if "size" in block else None
    if size is not None and (size[0] > width or size[1] > height):
        raise where.error(path + ("size",), f"{list(size)} is larger than the {width} x {height} "
                                            "world; expected a size that fits")
    try:
        with open_image(file) as image:
            grey = image.convert("L")
            if size is not None:
                grey = grey.resize(size, Image.BILINEAR)
            level = np.asarray(grey, dtype=np.float32) / 255.0
    except AlifeError as exc:
        raise exc.at(where(path + ("file",))) from None
    if block.get("invert"):
        level = 1.0 - level
    if block.get("levels"):
        if rule.num_states == 0:
            cells = level
        else:
            cells = np.rint(level * (rule.num_states - 1)).astype(np.int32)
    else:
        alive = level >= float(block.get("threshold", 0.5))
        cells = alive.astype(np.float32 if rule.num_states == 0 else np.int32)
    return _with_cells(rule, params, place(cells, rule.shape, block, where, path))


def _npz(rule: Rule, params: Params, block: dict, folder: Path,
         where: Where) -> tuple[State, jax.Array | None]:
    path = ("init", "npz")
    file = resolve(folder, block["file"], where, path + ("file",))
    template = state_template(rule, params)
    cells = int(np.prod(rule.shape))
    allowed = 2 * sum(np.asarray(x).nbytes for x in jax.tree_util.tree_leaves(template)) \
        + 8 * cells + (1 << 20)  # a full state, or a cells array of any dtype, plus slack
    try:
        arrays = read_npz(file, allowed)
    except AlifeError as exc:
        raise exc.at(where(path + ("file",))) from None
    names = set(_flat_names(template))
    key = arrays.get("__key")
    if names <= set(arrays):
        extra = [k for k in ("at", "centre", "transform") if k in block]
        if extra:
            raise where.error(path + (extra[0],), "a saved full state cannot be placed; "
                                                  "expected only 'file'")
        try:
            state = arrays_to_tree(arrays, template)
        except AlifeError as exc:
            raise exc.at(where(path + ("file",))) from None
        return state, (jnp.asarray(key, jnp.uint32) if key is not None else None)
    if "cells" in arrays and np.ndim(arrays["cells"]) == 2:
        cells = transform(np.asarray(arrays["cells"]), block.get("transform") or {})
        cells = _as_rule_cells(rule, cells, where, path + ("file",))
        return _with_cells(rule, params, place(cells, rule.shape, block, where, path)), None
    raise where.error(path + ("file",), f"{file.name} holds {sorted(arrays)}; expected this "
                                        f"rule's state arrays {sorted(names)} or a 2-D 'cells'")


def _flat_names(tree: Any) -> list[str]:
    from alife.core.fileio import tree_to_arrays

    return list(tree_to_arrays(tree))


def build_state(rule: Rule, params: Params, init: dict[str, Any], seed: int, folder: Path,
                where: Where, patterns: dict[Path, Any] | None = None
                ) -> tuple[State, jax.Array | None]:
    """The start state for an init block; plus a run key when an npz state carries one.

    `patterns`: pattern files already read ({resolved path: Pattern}), not read again."""
    init_key, _ = seed_keys(seed)
    kind, block = next(iter(init.items())) if init else ("default", {})
    block = block or {}
    if kind in ("pattern", "image", "random", "empty") and not can_edit(rule):
        raise where.error(("init", kind), f"init {kind!r} needs a rule with a cell grid; the "
                          f"{rule.family!r} family starts from its own init (or an npz state)")
    if kind == "pattern":
        return _pattern(rule, params, block, folder, where, patterns), None
    if kind == "image":
        return _image(rule, params, block, folder, where), None
    if kind == "npz":
        return _npz(rule, params, block, folder, where)
    if kind == "random":
        cells = rule.random_cells(init_key, float(block.get("density", 0.5)))
        return rule.with_cells(rule.blank(params), cells), None
    if kind == "empty":
        return rule.blank(params), None
    return rule.init(init_key, params), None


def reset_state(world: Any) -> State:
    """The start state of a World, rebuilt from its `init` block (the app's Reset)."""
    folder = world.path.parent if world.path is not None else Path.cwd()
    where = Where(str(world.path) if world.path is not None else "scene")
    state, _ = build_state(world.rule, world.params, world.init, world.seed, folder, where)
    return state
