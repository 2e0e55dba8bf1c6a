"""Grid topologies (what lies beyond each edge) and padding a grid by r cells accordingly.

Golly's bounded-grid suffixes map onto these: `:T w,h` torus, `:P w,h` plane (dead outside),
`:K w*,h` Klein bottle, `:C w,h` cross-surface, `:S n` sphere. Twisted edges: `twist="x"` means
the edges of length W (top and bottom) join with x reversed, as a `*` after the width in Golly;
`twist="y"` the same for the left and right edges. Torus and plane pad with `jnp.pad` (fast);
the others gather through a precomputed index map, built once per (shape, r) in NumPy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.errors import AlifeError

KINDS = ("torus", "plane", "klein", "cross", "sphere")


@dataclass(frozen=True)
class Topology:
    """How the edges of an (H, W) grid join. Hashable, so it is static config."""

    kind: str = "torus"
    twist: str = "x"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise AlifeError(f"unknown topology {self.kind!r}; expected one of {list(KINDS)}")
        if self.twist not in ("x", "y"):
            raise AlifeError(f"unknown twist {self.twist!r}; expected 'x' or 'y'")

    @property
    def wraps(self) -> bool:
        return self.kind != "plane"

    def to_config(self) -> str:
        return self.kind if self.kind != "klein" else f"klein-{self.twist}"

    @staticmethod
    def parse(text: str | Topology) -> Topology:
        """Accept `torus`, `plane`, `klein`, `klein-x`, `klein-y`, `cross`, `sphere`."""
        if isinstance(text, Topology):
            return text
        name = str(text).strip().lower()
        if name.startswith("klein"):
            twist = name.split("-", 1)[1] if "-" in name else "x"
            return Topology("klein", twist)
        return Topology(name)


def _source_index(kind: str, twist: str, h: int, w: int, y: int, x: int) -> tuple[int, int] | None:
    """Which cell (row, col) lies at (y, x), possibly outside the grid; None if dead."""
    if 0 <= y < h and 0 <= x < w:
        return y, x
    if kind == "plane":
        return None
    if kind == "torus":
        return y % h, x % w
    if kind == "sphere":
        # top edge joins the left edge, bottom edge joins the right edge (square grids only)
        if y < 0 and 0 <= x < w:
            return x, -y - 1
        if y >= h and 0 <= x < w:
            return x, w - 1 - (y - h)
        if x < 0 and 0 <= y < h:
            return -x - 1, y
        if x >= w and 0 <= y < h:
            return h - 1 - (x - w), y
        return None
    flip_x = kind == "cross" or (kind == "klein" and twist == "x")
    flip_y = kind == "cross" or (kind == "klein" and twist == "y")
    if not 0 <= y < h:
        y = y % h
        if flip_x:
            x = w - 1 - x
    if not 0 <= x < w:
        x = x % w
        if flip_y:
            y = h - 1 - y
    return y % h, x % w


@lru_cache(maxsize=64)
def _index_map(kind: str, twist: str, h: int, w: int, r: int) -> np.ndarray:
    """Flat source index for each cell of the padded (h+2r, w+2r) grid; h*w means dead."""
    out = np.full((h + 2 * r, w + 2 * r), h * w, dtype=np.int32)
    for py in range(h + 2 * r):
        for px in range(w + 2 * r):
            src = _source_index(kind, twist, h, w, py - r, px - r)
            if src is not None:
                out[py, px] = src[0] * w + src[1]
    return out


def pad(grid: jax.Array, r: int, topology: Topology) -> jax.Array:
    """Pad the leading two axes of `grid` ([H, W, ...]) by r cells per the topology."""
    if r == 0:
        return grid
    widths = [(r, r), (r, r)] + [(0, 0)] * (grid.ndim - 2)
    if topology.kind == "torus":
        return jnp.pad(grid, widths, mode="wrap")
    if topology.kind == "plane":
        return jnp.pad(grid, widths)
    h, w = grid.shape[:2]
    index = _index_map(topology.kind, topology.twist, h, w, r)
    flat = grid.reshape((h * w,) + grid.shape[2:])
    flat = jnp.concatenate([flat, jnp.zeros((1,) + grid.shape[2:], grid.dtype)], axis=0)
    return flat[jnp.asarray(index)]


def neighbour_at(grid: jax.Array, topology: Topology, dy: int, dx: int) -> jax.Array:
    """The grid shifted so that out[y, x] = grid[y + dy, x + dx] under the topology."""
    r = max(abs(dy), abs(dx))
    padded = pad(grid, r, topology)
    h, w = grid.shape[:2]
    return padded[r + dy : r + dy + h, r + dx : r + dx + w]
