"""Golly's unbounded plane on the grid engine: a window that moves and grows with the pattern.

A world on the plane is a rule with the `PlaneWindow` capability (its grid has dead cells all
around) plus an *origin*: the plane coordinates (x, y) of the window's cell [0, 0], y downward as
in Golly. Cell [row, col] of the window is the plane's cell (x0 + col, y0 + row).

Two parts keep every live cell inside the window, so nothing ever reaches its edge and the run
equals the same pattern on an infinite plane (HashLife's answer, cell for cell):

- On the device (`plane_frame`): a run of `n` generations is cut into chunks. Before each chunk
  the live cells' bounding box is measured; when it is nearer an edge than half the margin, the
  cells are rolled so the box is centred (the origin moves the other way: the pattern stays
  where it is on the plane). A chunk is at most `(slack - r) // c` generations long, `slack`
  being the box's distance to the nearest edge, `c` the speed of light and `r` the radius
  (`PlaneWindow.light_speed`, both), so no cell comes within a neighbourhood of the edge inside
  a chunk. When even a centred box leaves less than half the margin, the frame stops early and
  says how many generations it did.
- On the host (`refit`): between frames the window grows when the pattern needs more room and
  shrinks when the pattern has become much smaller; sides come from the ladder 64, 96, 128,
  192, 256, 384, ... (powers of two and 1.5x them, all multiples of 32), so a growing pattern
  recompiles the step a logarithmic number of times and bit-packed kernels still apply.

`advance` runs both for a headless caller (`alife run`); the app's controller drives the same
two parts one frame at a time.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from alife.core import rollout
from alife.core.errors import AlifeError
from alife.core.rule import PlaneWindow, Rule

#: the smallest window side
MIN_SIDE = 64
#: free cells kept around the pattern per unit of light speed (at least)
MIN_MARGIN = 32
#: the largest margin, however large the pattern
MAX_MARGIN = 256
#: the largest window side: past it the pattern needs HashLife (two-state rules) or a bound
MAX_SIDE = 1 << 15


class Box(NamedTuple):
    """The live cells' bounding box in window cells, inclusive."""

    top: int
    bottom: int
    left: int
    right: int

    @property
    def height(self) -> int:
        return self.bottom - self.top + 1

    @property
    def width(self) -> int:
        return self.right - self.left + 1


def window_side(n: int) -> int:
    """The smallest side of the ladder 64, 96, 128, 192, 256, 384, ... that is >= `n`."""
    side = MIN_SIDE
    while side < n:
        side = side * 3 // 2 if side & (side - 1) == 0 else side * 4 // 3
    return side


def margin_for(rule: Any, box: Box | None) -> int:
    """Free cells to keep around a pattern of `box` (more for faster light and larger
    patterns, so a growing pattern is refitted rarely)."""
    c = rule.light_speed()
    size = 0 if box is None else max(box.height, box.width)
    return max(MIN_MARGIN * c, min(size // 8, MAX_MARGIN))


def can_run(rule: Any) -> bool:
    """Whether `rule` runs on the unbounded plane (a `PlaneWindow` that offers a window)."""
    return isinstance(rule, PlaneWindow) and rule.plane_window(MIN_SIDE, MIN_SIDE) is not None


# ---- the device part --------------------------------------------------------------------------
def _box(cells: jax.Array) -> tuple[jax.Array, ...]:
    """(top, bottom, left, right, empty) of the non-zero cells (traced)."""
    h, w = cells.shape
    rows = jnp.any(cells != 0, axis=1)
    cols = jnp.any(cells != 0, axis=0)
    top = jnp.argmax(rows).astype(jnp.int32)
    bottom = (h - 1 - jnp.argmax(rows[::-1])).astype(jnp.int32)
    left = jnp.argmax(cols).astype(jnp.int32)
    right = (w - 1 - jnp.argmax(cols[::-1])).astype(jnp.int32)
    return top, bottom, left, right, ~jnp.any(rows)


def plane_run(rule: Any, key: jax.Array, state: Any, params: Any, n: jax.Array,
              margin: jax.Array) -> tuple[Any, jax.Array, jax.Array, jax.Array]:
    """Up to `n` generations inside the window (traced; see the module docstring).

    Returns (state, shift [2] = (rows, cols) the cells were rolled by in all, generations done,
    box [5] = (top, bottom, left, right, empty) of the final state)."""
    h, w = rule.shape
    r = c = rule.light_speed()
    half = margin // 2

    def cond(carry: tuple) -> jax.Array:
        _, _, done, stuck = carry
        return (done < n) & ~stuck

    def body(carry: tuple) -> tuple:
        state, shift, done, _ = carry
        cells = rule.cells(state)
        top, bottom, left, right, empty = _box(cells)
        slack = jnp.minimum(jnp.minimum(top, h - 1 - bottom), jnp.minimum(left, w - 1 - right))
        dy = (h - (bottom - top + 1)) // 2 - top
        dx = (w - (right - left + 1)) // 2 - left
        move = ~empty & (slack < half)
        dy, dx = jnp.where(move, dy, 0), jnp.where(move, dx, 0)
        state = jax.lax.cond(
            move, lambda s: rule.with_cells(s, jnp.roll(cells, (dy, dx), axis=(0, 1))),
            lambda s: s, state)
        top, bottom, left, right = top + dy, bottom + dy, left + dx, right + dx
        slack = jnp.minimum(jnp.minimum(top, h - 1 - bottom), jnp.minimum(left, w - 1 - right))
        stuck = ~empty & (slack < half)
        room = jnp.where(empty, n - done, jnp.maximum((slack - r) // c, 0))
        chunk = jnp.where(stuck, 0, jnp.minimum(room, n - done))
        state = rollout.advance(rule, key, state, params, chunk)
        return state, shift + jnp.stack([dy, dx]), done + chunk, stuck

    start = (state, jnp.zeros(2, jnp.int32), jnp.asarray(0, jnp.int32), jnp.asarray(False))
    state, shift, done, _ = jax.lax.while_loop(cond, body, start)
    top, bottom, left, right, empty = _box(rule.cells(state))
    return state, shift, done, jnp.stack([top, bottom, left, right, empty.astype(jnp.int32)])


@lru_cache(maxsize=8)
def plane_frame(rule: Rule) -> Any:
    """`plane_run` of `rule`, jitted (one compile per window size)."""
    return jax.jit(lambda key, state, params, n, margin:
                   plane_run(rule, key, state, params, n, margin))


def box_of(values: Any) -> Box | None:
    """A `Box` from the 5 numbers `plane_run` returns (None when the window is empty)."""
    top, bottom, left, right, empty = (int(v) for v in np.asarray(values))
    return None if empty else Box(top, bottom, left, right)


def host_box(cells: np.ndarray) -> Box | None:
    """The bounding box of the non-zero cells of a host array (None when there are none)."""
    rows = np.flatnonzero(np.any(cells != 0, axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(np.any(cells != 0, axis=0))
    return Box(int(rows[0]), int(rows[-1]), int(cols[0]), int(cols[-1]))


# ---- the host part ----------------------------------------------------------------------------
def needs_refit(rule: Any, box: Box | None, margin: int | None = None) -> bool:
    """Whether the window must grow (a centred `box` leaves less than half the margin, the
    condition under which `plane_run` stops) or shrink (the pattern's window would be at most
    half as tall or wide)."""
    h, w = rule.shape
    if box is None:
        return h > MIN_SIDE or w > MIN_SIDE
    margin = margin_for(rule, box) if margin is None else margin
    half = margin // 2
    if (h - box.height) // 2 < half or (w - box.width) // 2 < half:
        return True
    return (2 * window_side(box.height + 2 * margin) <= h
            or 2 * window_side(box.width + 2 * margin) <= w)


def refit(rule: Any, params: Any, state: Any, origin: tuple[int, int], box: Box | None,
          include: Box | None = None) -> tuple[Any, Any, tuple[int, int]]:
    """(rule, state, origin) with the window resized around the live cells (and the cells of
    `include`, window coordinates that may lie outside it: an edit anywhere), centred, when
    `needs_refit` (or `include` is given); else the same three."""
    union = box
    if include is not None:
        union = include if box is None else Box(
            min(box.top, include.top), max(box.bottom, include.bottom),
            min(box.left, include.left), max(box.right, include.right))
    h, w = rule.shape
    inside = union is None or (union.top >= 0 and union.left >= 0 and union.bottom < h
                               and union.right < w)
    if inside and not needs_refit(rule, union):
        return rule, state, origin
    margin = margin_for(rule, union)
    if union is None:
        new_h = new_w = MIN_SIDE
    else:
        new_h = window_side(union.height + 2 * margin)
        new_w = window_side(union.width + 2 * margin)
    if max(new_h, new_w) > MAX_SIDE:
        raise AlifeError(f"the pattern needs a {new_w} x {new_h} window, more than the grid "
                         f"engine's {MAX_SIDE}; two-state Life-like rules run with HashLife")
    window = rule.plane_window(new_h, new_w)
    if window is None:
        raise AlifeError(f"{rule.describe()} cannot run on the unbounded plane")
    cells = np.asarray(rule.cells(state))
    out = np.zeros((new_h, new_w), dtype=cells.dtype)
    x0, y0 = origin
    if union is not None:
        top = (new_h - union.height) // 2
        left = (new_w - union.width) // 2
        dy, dx = top - union.top, left - union.left  # window cell moves by (dy, dx)
        if box is not None:
            part = cells[box.top:box.bottom + 1, box.left:box.right + 1]
            out[box.top + dy:box.bottom + 1 + dy, box.left + dx:box.right + 1 + dx] = part
        x0, y0 = x0 - dx, y0 - dy
    fresh = window.init(jax.random.PRNGKey(0), params)
    fresh = dataclasses.replace(fresh, generation=state.generation)
    return window, window.with_cells(fresh, jnp.asarray(out)), (x0, y0)


def crop(view: np.ndarray, origin: tuple[int, int], to: tuple[int, int],
         shape: tuple[int, int], fill: np.ndarray) -> np.ndarray:
    """A window's `view` [H, W, C] (its cell [0, 0] at plane `origin`) copied into a fixed plane
    rectangle of `shape` whose top-left is `to`; cells the window does not cover get `fill`
    (a dead cell's view). For drawing a fixed region while the window moves (`alife render`)."""
    h, w = shape
    out = np.empty((h, w) + view.shape[2:], view.dtype)
    out[...] = fill
    dy, dx = origin[1] - to[1], origin[0] - to[0]  # the window's [0, 0] in the rectangle
    top, left = max(dy, 0), max(dx, 0)
    bottom, right = min(dy + view.shape[0], h), min(dx + view.shape[1], w)
    if top < bottom and left < right:
        out[top:bottom, left:right] = view[top - dy:bottom - dy, left - dx:right - dx]
    return out


def advance(rule: Any, key: jax.Array, state: Any, params: Any, origin: tuple[int, int],
            steps: int) -> tuple[Any, Any, tuple[int, int]]:
    """(rule, state, origin) after `steps` generations on the unbounded plane."""
    box = host_box(np.asarray(rule.cells(state)))
    done = 0
    while done < steps:
        rule, state, origin = refit(rule, params, state, origin, box)
        margin = margin_for(rule, box)
        n = min(steps - done, (1 << 31) - 1)
        state, shift, did, packed = plane_frame(rule)(key, state, params, np.int32(n),
                                                      np.int32(margin))
        dy, dx = (int(v) for v in np.asarray(shift))
        origin = (origin[0] - dx, origin[1] - dy)
        done += int(did)
        box = box_of(packed)
    return rule, state, origin
