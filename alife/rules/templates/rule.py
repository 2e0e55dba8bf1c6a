"""Template-matching CA (family "templates"): stochastic, asynchronous, driven by a tile bank.

Hoffmann 2024, "Touching Loop Patterns with Cellular Automata" (arXiv:2410.13425); our reading of
the scheme, with every detail stated here (where the paper's rule differs we could not check):

- A bank of 5x5 templates with care masks is derived from 3x3 tiles (`tiles.derive`).
  Matching is a correlation: cells and template pixels as +-1, one `conv` over the grid padded by
  2 cells under the topology (`plane` = the paper's zero border); a template's *outer* part
  matches where the score equals its number of cared outer pixels.
- A cell is *satisfied* when some template matches all around it and has the cell's own value
  (or "any") at the centre; for cells whose value is listed in `anchor` (default: 1, path cells)
  the template must also be anchored, i.e. a whole tile must sit centred on the cell ("tiles
  properly assembled").
- Fixed points are exactly the grids where every cell is satisfied. With the touching-loop tiles
  these are patterns in which every 1-cell has exactly two orthogonal 1-neighbours (loops, which
  may touch diagonally) and every 0-cell lies in the 3x3 neighbourhood of such a path cell (the
  loops cover the space).
- Asynchronous updating: each step picks one random sublattice of cells 5 apart in both
  directions (1/25 of the grid, each candidate kept with probability `rate`); no two candidates
  share a cell whose match depends on both, so each candidate's effect is exact (on a torus
  whose sides are not multiples of 5, nearly so). A candidate is
  considered only when some cell within 2 of it is unsatisfied (satisfied regions never change,
  so finished loops are stable). Its flip is accepted when it lowers the number of unsatisfied
  cells around it, with probability `neutral` (0.9) when it leaves that number unchanged, and
  with probability `noise`^d when it raises it by d: noise is injected where templates do not
  match, and it is what lets the loops form from a random soup.

This deviates from the paper in how noise is dosed (a Metropolis-style acceptance over the count of
unmatched cells instead of the paper's per-cell rule), which is what made the loops converge here;
our reading of the per-cell rule (set the cell to the centre of a template whose outer part matches,
else flip it with probability pi) reached no fixed point on 20x20 (8 seeds x 10,000 steps at pi =
0.01, 0.05 or 0.2). Measured with `benchmarks/templates_convergence.py` (20x20 soups, noise 0.05):
45 of 48 seeds reach the fixed point within 20,000 steps (median 5,871), all 48 within 32,000; with
the earlier neutral acceptance of 1/2, 39 of 48 within 20,000. What holds the rest is a pair of path
ends that must meet by a random walk along the paths; more noise (0.1) makes it worse (8 of 24), not
better.

Params: `noise`, `neutral` and `rate` (sliders) and the template bank (arrays, so the bank is
data).
Metrics: `population`, `unsatisfied` cells, and `bad_path`: 1-cells without exactly two
orthogonal 1-neighbours, counted directly (not through the templates).
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.errors import AlifeError
from alife.core.kernels import neighbour_sum
from alife.core.rule import GridEditing, Rule
from alife.core.topology import Topology, pad
from alife.core.types import param, pytree_dataclass
from alife.rules.templates.tiles import BANKS, derive


@pytree_dataclass
class TemplateParams:
    """`noise`, `neutral`, `rate` in [0, 1]; `values`, `care` float32 [K, 5, 5]; `centre` int32 [K];
    `anchored` bool [K]."""

    noise: jax.Array = param(0.0, 1.0, "acceptance of a flip that unmatches one more cell")
    rate: jax.Array = param(0.01, 1.0, "fraction of each step's candidate cells updated")
    neutral: jax.Array = param(0.0, 1.0, "acceptance of a flip that leaves the unmatched "
                                         "count unchanged")
    values: jax.Array = None
    care: jax.Array = None
    centre: jax.Array = None
    anchored: jax.Array = None


@pytree_dataclass
class TemplateState:
    """`cells`: uint8 [H, W] 0/1; `generation`: int32."""

    cells: jax.Array
    generation: jax.Array


SPACING = 5  # candidates this far apart never affect the same cell's match
PLANE = Topology("plane")  # `_box` sums with zeros outside the grid on every topology


def _box(x: jax.Array) -> jax.Array:
    """Sum over the 5x5 window around each cell (zeros outside, whatever the topology)."""
    return neighbour_sum(x, 2, PLANE)


def orthogonal_neighbours(cells: jax.Array | np.ndarray) -> Any:
    """How many of each cell's 4 orthogonal neighbours are 1 (0 outside the grid)."""
    xp = jnp if isinstance(cells, jax.Array) else np
    p = xp.pad(cells.astype(xp.int32), 1)
    return p[:-2, 1:-1] + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:]


class TemplateRule(Rule, GridEditing):
    """Stochastic asynchronous CA defined by a bank of tiles (see the module docstring)."""

    family = "templates"
    num_states = 2

    def __init__(self, width: int = 32, height: int = 32, tiles: str | list[str] = "touching_loops",
                 symmetric: bool = False, anchor: list[int] | tuple[int, ...] = (1,),
                 noise: float = 0.05, rate: float = 1.0, density: float = 0.5,
                 topology: str = "plane", neutral: float = 0.9) -> None:
        for name, value in (("width", width), ("height", height)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise AlifeError(f"{name} must be a positive integer, got {value!r}", where=name)
        if isinstance(tiles, str):
            if tiles not in BANKS:
                raise AlifeError(f"unknown tile bank {tiles!r}; expected one of {sorted(BANKS)} "
                                 "or a list of tiles like '-0-/111/-0-'", where="tiles")
            bank = list(BANKS[tiles])
        else:
            bank = [str(t) for t in tiles]
        if not bank:
            raise AlifeError("no tiles; expected at least one", where="tiles")
        for name, value in (("noise", noise), ("rate", rate), ("density", density),
                            ("neutral", neutral)):
            if not 0.0 <= float(value) <= 1.0:
                raise AlifeError(f"{value!r}; expected 0..1", where=name)
        self.width, self.height = int(width), int(height)
        self.tiles = tiles if isinstance(tiles, str) else bank
        self.symmetric = bool(symmetric)
        self.anchor = tuple(int(a) for a in anchor)
        self.noise, self.rate, self.density = float(noise), float(rate), float(density)
        self.neutral = float(neutral)
        self.topology = Topology.parse(topology)
        self._bank = derive(bank, self.symmetric)

    def config(self) -> dict[str, Any]:
        return {"width": self.width, "height": self.height, "tiles": self.tiles,
                "symmetric": self.symmetric, "anchor": list(self.anchor), "noise": self.noise,
                "rate": self.rate, "density": self.density, "neutral": self.neutral,
                "topology": self.topology.to_config()}

    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.width)

    def describe(self) -> str:
        return f"templates {len(self._bank[0])} templates {self.width}x{self.height}"

    def default_params(self) -> TemplateParams:
        values, care, centre, anchored = self._bank
        return TemplateParams(noise=jnp.float32(self.noise), rate=jnp.float32(self.rate),
                              neutral=jnp.float32(self.neutral),
                              values=jnp.asarray(values, jnp.float32),
                              care=jnp.asarray(care, jnp.float32),
                              centre=jnp.asarray(centre, jnp.int32),
                              anchored=jnp.asarray(anchored))

    # ---- dynamics ----------------------------------------------------------------------------
    def matches(self, cells: jax.Array, params: TemplateParams) -> tuple[jax.Array, jax.Array]:
        """`(outer, full)` bool [K, H, W]: outer parts that match; and those whose centre is
        the cell's value too (anchored where `anchor` asks)."""
        signs = pad(cells.astype(jnp.float32), 2, self.topology) * 2.0 - 1.0
        outer_care = params.care.at[:, 2, 2].set(0.0)
        kernel = (outer_care * (2.0 * params.values - 1.0))[:, None]
        score = jax.lax.conv_general_dilated(signs[None, None], kernel, (1, 1), "VALID")[0]
        outer = score >= jnp.sum(outer_care, axis=(1, 2))[:, None, None] - 0.5
        cur = cells.astype(jnp.int32)
        needs_anchor = jnp.isin(cur, jnp.asarray(self.anchor, jnp.int32))[None]
        centre = params.centre[:, None, None]
        allowed = params.anchored[:, None, None] | ~needs_anchor
        full = outer & ((centre == cur[None]) | (centre < 0)) & allowed
        return outer, full

    def unsatisfied(self, cells: jax.Array, params: TemplateParams) -> jax.Array:
        """float32 [H, W]: 1 where no template matches the cell with its own value."""
        _, full = self.matches(cells, params)
        return (~jnp.any(full, axis=0)).astype(jnp.float32)

    def step(self, key: jax.Array, state: TemplateState, params: TemplateParams
             ) -> TemplateState:
        cells = state.cells
        h, w = cells.shape
        k_lattice, k_rate, k_accept = jax.random.split(key, 3)
        offset = jax.random.randint(k_lattice, (2,), 0, SPACING)
        rows, cols = jnp.arange(h)[:, None], jnp.arange(w)[None]
        candidate = (((rows - offset[0]) % SPACING == 0) & ((cols - offset[1]) % SPACING == 0)
                     & (jax.random.uniform(k_rate, cells.shape) < params.rate))
        before = self.unsatisfied(cells, params)
        flipped = jnp.where(candidate, 1 - cells, cells).astype(jnp.uint8)
        delta = _box(self.unsatisfied(flipped, params) - before)
        active = _box(before) > 0
        p_accept = jnp.where(delta < 0, 1.0, jnp.where(
            delta == 0, params.neutral, params.noise ** jnp.maximum(delta, 1.0)))
        accept = candidate & active & (jax.random.uniform(k_accept, cells.shape) < p_accept)
        return TemplateState(jnp.where(accept, 1 - cells, cells).astype(jnp.uint8),
                             state.generation + 1)

    # ---- the rest of the contract ---------------------------------------------------------------
    def init(self, key: jax.Array, params: TemplateParams) -> TemplateState:
        del params
        cells = (jax.random.uniform(key, self.shape) < self.density).astype(jnp.uint8)
        return TemplateState(cells, jnp.zeros((), jnp.int32))

    def view(self, state: TemplateState, params: TemplateParams) -> jax.Array:
        del params
        return state.cells[:, :, None]

    def metrics(self, state: TemplateState, params: TemplateParams) -> dict[str, jax.Array]:
        _, full = self.matches(state.cells, params)
        path = state.cells == 1
        bad = path & (orthogonal_neighbours(state.cells) != 2)
        return {"generation": state.generation,
                "population": jnp.sum(path, dtype=jnp.int32),
                "unsatisfied": jnp.sum(~jnp.any(full, axis=0), dtype=jnp.int32),
                "bad_path": jnp.sum(bad, dtype=jnp.int32)}

    def cells(self, state: TemplateState) -> jax.Array:
        return state.cells.astype(jnp.int32)

    def with_cells(self, state: TemplateState, cells: jax.Array) -> TemplateState:
        cells = jnp.asarray(cells)
        if cells.shape != self.shape:
            raise AlifeError(f"cells have shape {cells.shape}; expected {self.shape}")
        return TemplateState(jnp.clip(cells, 0, 1).astype(jnp.uint8), state.generation)

    def paint(self, state: TemplateState, params: TemplateParams, mask: jax.Array,
              value: jax.Array) -> TemplateState:
        del params
        value = jnp.asarray(value)
        level = jnp.where(value < 0, 0, jnp.clip(jnp.round(value), 0, 1)).astype(jnp.uint8)
        return TemplateState(jnp.where(mask, level, state.cells), state.generation)
