"""Biomaker-style biomes as a Rule, family "biomaker" (Randazzo & Mordvintsev 2023).

Config (static): `preset` (persistence, pestilence, collaboration, sideways), `width` (a name:
petri, square, landscape, wide; or an int), `height`, `net` (minimal | extended), `pool`
(program slots), `agent_cap` (most agent cells whose nets run per step; default H*W/4),
`seeds` (initial seeds, evenly spread), `mutator` (basic | adaptive), `sexual` (sexual flowers
pair up and cross over; off by default, it costs compile time).
Params: every environment number (sliders, `config.BiomakerParams`) plus the initial program
bank `programs [pool, D]`. State: the type/state/id grids, the live program pool (mutates
in-world), the self-adaptive sigmas, reproduction counters, generation.

One step: integrity (5 passes) -> gravity -> nets on agent cells -> reproduction -> parallel
ops -> energy -> exclusive ops -> rain/soak (WATER) -> age + 1. See docs/biomaker.md.
"""

from __future__ import annotations

import dataclasses
from functools import partial
from types import MappingProxyType
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.argcheck import check_int
from alife.core.errors import AlifeError
from alife.core.rule import (
    ColourKey,
    EventCounts,
    GridEditing,
    Inspecting,
    NamedStates,
    Placing,
    Removing,
    Rule,
    StartDependsOnParams,
)
from alife.core.types import pytree_dataclass
from alife.rules.biomaker import look, rng
from alife.rules.biomaker.agents import decide, parallel_ops
from alife.rules.biomaker.config import BiomakerParams, make_params
from alife.rules.biomaker.energy import energy
from alife.rules.biomaker.exclusive import exclusive_ops
from alife.rules.biomaker.physics import gravity, integrity
from alife.rules.biomaker.programs import block_size, default_pool
from alife.rules.biomaker.reproduction import Pool, reproduce
from alife.rules.biomaker.water import rain_and_soak
from alife.rules.biomaker.world import (
    AIR,
    COLOURS,
    EARTH,
    IMMOVABLE,
    NUM_TYPES,
    PRESETS,
    ROOT,
    SUN,
    TYPE_NAMES,
    UNSPECIALIZED,
    VOID,
    WATER,
    WIDTHS,
    is_agent,
    landing_rows,
    layout,
    resolve_width,
    seed_columns,
)

Array = jax.Array


@pytree_dataclass
class BiomakerState:
    types: Array         # [H, W] int32
    st: Array            # [H, W, 6] float32
    ids: Array           # [H, W] int32
    programs: Array      # [P, D] float32, the live pool
    sigma: Array         # [P, D] (adaptive mutator) or [1, 1]
    reproductions: Array        # int32, this step
    reproductions_total: Array  # int32
    generation: Array


#: the most program slots a world may keep (each holds a whole net's parameters)
MAX_POOL = 65536


class BiomakerRule(Rule, GridEditing, Inspecting, Placing, Removing, NamedStates,
                   StartDependsOnParams, ColourKey, EventCounts):
    """Biomaker biomes (module docstring): the place tool plants a seed of a live program on a
    column's soil, the remove tool erases plants, the inspector reads one cell."""

    family = "biomaker"
    num_states = NUM_TYPES
    look = "rgb"
    state_names: tuple[str, ...] = TYPE_NAMES
    #: the legend's swatch per type: the colours `look.view` draws (no nutrient overlay)
    state_colours: tuple[str, ...] = tuple("#" + "".join(f"{int(v):02x}" for v in rgb)
                                           for rgb in COLOURS)
    #: seeds planted this step; its exact running total is `reproductions_total`
    event_metrics = ("reproductions",)
    event_totals = MappingProxyType({"reproductions": "reproductions_total"})

    def __init__(self, preset: str = "persistence", width: int | str = "landscape",
                 height: int = 72, net: str = "extended", pool: int = 128,
                 agent_cap: int | None = None, seeds: int = 1, mutator: str = "basic",
                 sexual: bool = False):
        if preset not in PRESETS:
            raise AlifeError(f"biomaker preset {preset!r}; expected one of {list(PRESETS)}")
        if isinstance(width, str) and width not in WIDTHS:
            raise AlifeError(f"biomaker width {width!r}; expected an integer or one of "
                             f"{list(WIDTHS)}")
        if net not in ("minimal", "extended"):
            raise AlifeError(f"biomaker net {net!r}; expected minimal or extended")
        if mutator not in ("basic", "adaptive"):
            raise AlifeError(f"biomaker mutator {mutator!r}; expected basic or adaptive")
        height = check_int(height, "height", 6, 16384)
        w = check_int(resolve_width(check_int(width, "width", 3, 65536) if not
                                    isinstance(width, str) else width, height), "width", 3, 65536)
        pool = check_int(pool, "pool", 1, MAX_POOL)
        seeds = check_int(seeds, "seeds", 0, min(w, pool))  # one a column, one a program
        if agent_cap is not None:
            agent_cap = check_int(agent_cap, "agent_cap", 0, w * height)
        self.preset, self.height = preset, height
        self.width = width if isinstance(width, str) else w
        self.net, self.pool, self.seeds, self.mutator = net, pool, seeds, mutator
        self.agent_cap = agent_cap if agent_cap else max(128, w * self.height // 4)
        self.w, self.sexual = w, bool(sexual)

    def config(self) -> dict[str, Any]:
        return {"preset": self.preset, "width": self.width, "height": self.height,
                "net": self.net, "pool": self.pool, "agent_cap": self.agent_cap,
                "seeds": self.seeds, "mutator": self.mutator, "sexual": self.sexual}

    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.w)

    def describe(self) -> str:
        return f"biomaker {self.preset} {self.w}x{self.height} ({self.net} net)"

    def default_params(self) -> BiomakerParams:
        return make_params(self.preset, default_pool(self.net, self.pool))

    @property
    def program_size(self) -> int:
        return 4 * block_size(self.net)

    # ---- start ---------------------------------------------------------------------------
    def _material_state(self, types: Array, p: BiomakerParams) -> Array:
        """Default state channels for material cells (nutrients at the initial level)."""
        level = p.initial_nutrient * p.nutrient_cap
        st = jnp.zeros(types.shape + (6,), jnp.float32)
        st = st.at[..., 2].set(jnp.where(types == EARTH, level, jnp.where(
            types == IMMOVABLE, p.nutrient_cap, jnp.where(types == WATER, p.rain_nutrient, 0.0))))
        st = st.at[..., 3].set(jnp.where(types == AIR, level,
                                         jnp.where(types == SUN, p.nutrient_cap, 0.0)))
        return st.at[..., 0].set(jnp.where(types == IMMOVABLE, p.integrity_cap, 0.0))

    def _settle(self, types: Array, st: Array, p: BiomakerParams) -> Array:
        """Integrity run to its fixed point (init and edits), so the world starts standing."""
        def body(_: Any, x: Array) -> Array:
            return integrity(types, x, p.integrity_cap, p.decay_earth, p.decay_agent, passes=1)

        return st.at[..., 0].set(jax.lax.fori_loop(0, self.height + self.w, body, st[..., 0]))

    def init(self, key: Array, params: BiomakerParams) -> BiomakerState:
        del key
        return _init(self, params)

    def _init(self, params: BiomakerParams) -> BiomakerState:
        types = jnp.asarray(layout(self.preset, self.height, self.w))
        st = self._material_state(types, params)
        ids = jnp.zeros(self.shape, jnp.int32)
        pool = params.programs
        sigma = jnp.full(pool.shape if self.mutator == "adaptive" else (1, 1),
                         params.mutation_sd, jnp.float32)
        state = BiomakerState(types, st, ids, pool, sigma, jnp.int32(0), jnp.int32(0),
                              jnp.int32(0))
        for i, col in enumerate(seed_columns(self.w, self.seeds)):
            state = self._place_seed(state, params, jnp.int32(col), jnp.int32(i), False)
        return _replace(state, st=self._settle(state.types, state.st, params))

    def place_choices(self, params: BiomakerParams) -> tuple[str, ...]:
        """One seed per slot of the live program pool."""
        del params
        return tuple(f"seed: program {i}" for i in range(self.pool))

    def place(self, state: BiomakerState, params: BiomakerParams, row: int, col: int,
              choice: int) -> BiomakerState:
        """A seed running live program `choice` on the fertile soil of column `col` (the row
        does not matter: seeds land on the soil). `AlifeError` when the column has no AIR cell
        above EARTH or the choice is not a program slot."""
        del row
        choice = int(choice)
        if not 0 <= choice < self.pool:
            raise AlifeError(f"seed program {choice}; expected 0..{self.pool - 1}")
        col = int(col) % self.w
        if int(landing_rows(state.types)[col]) < 0:
            raise AlifeError(f"no fertile soil in column {col} (a seed needs air above earth)")
        return self.place_seed(state, params, col, choice)

    def place_seed(self, state: BiomakerState, params: BiomakerParams, col: int,
                   program_id: int, from_bank: bool = False) -> BiomakerState:
        """Two UNSPECIALIZED cells on the fertile soil of column `col`, running live program
        `program_id` (first copied from the params bank when `from_bank`). Each cell starts
        with 4 x dissipation + specialise cost of each nutrient. No fertile soil: unchanged."""
        return _place_seed(self, state, params, jnp.int32(col), jnp.int32(program_id),
                           bool(from_bank))

    def _place_seed(self, state: BiomakerState, params: BiomakerParams, col: Array,
                    program_id: Array, from_bank: bool) -> BiomakerState:
        land = landing_rows(state.types)
        col = col % self.w
        pid = program_id % self.pool
        row = land[col]
        ok = row >= 0
        r = jnp.maximum(row, 0)
        cell = jnp.zeros((6,), jnp.float32).at[2].set(
            4 * params.dissipation_earth + params.specialise_cost).at[3].set(
            4 * params.dissipation_air + params.specialise_cost)
        types, st, ids = state.types, state.st, state.ids
        for rr in (r, r + 1):
            types = types.at[rr, col].set(jnp.where(ok, UNSPECIALIZED, types[rr, col]))
            st = st.at[rr, col].set(jnp.where(ok, cell, st[rr, col]))
            ids = ids.at[rr, col].set(jnp.where(ok, pid, ids[rr, col]))
        programs = state.programs
        if from_bank:
            programs = programs.at[pid].set(params.programs[pid])
        return BiomakerState(types, st, ids, programs, state.sigma, state.reproductions,
                             state.reproductions_total, state.generation)

    # ---- dynamics ------------------------------------------------------------------------
    def step(self, key: Array, state: BiomakerState, params: BiomakerParams) -> BiomakerState:
        p = params
        seed = rng.seed_of(key)
        k_repr, k_excl, k_rain = (rng.stream(seed, i) for i in range(3))
        types, st, ids = state.types, state.st, state.ids
        fence = jax.lax.optimization_barrier
        st = st.at[..., 0].set(integrity(types, st[..., 0], p.integrity_cap, p.decay_earth,
                                         p.decay_agent))
        types, st, ids = fence(gravity(types, st, ids))
        dec = fence(decide(types, st, ids, state.programs, self.net, self.agent_cap))
        pool = Pool(state.programs, state.sigma, jnp.zeros(self.pool, bool))
        types, st, ids, pool, born = fence(reproduce(k_repr, types, st, ids, pool, dec, p,
                                                     self.mutator == "adaptive", self.sexual))
        types, st = fence(parallel_ops(types, st, dec, p.specialise_cost))
        types, st, ids = fence(energy(types, st, ids, p))
        types, st, ids = fence(exclusive_ops(k_excl, types, st, ids, dec, p.spawn_cost))
        types, st = rain_and_soak(k_rain, types, st, p.rain_rate, p.rain_nutrient,
                                  p.nutrient_cap)
        st = st.at[..., 1].add(is_agent(types).astype(jnp.float32))
        return BiomakerState(types, st, ids, pool.programs, pool.sigma, born,
                             state.reproductions_total + born, state.generation + 1)

    # ---- display -------------------------------------------------------------------------
    def view(self, state: BiomakerState, params: BiomakerParams) -> Array:
        return look.view(state.types, state.st, params.nutrient_cap, params.overlay)

    def metrics(self, state: BiomakerState, params: BiomakerParams) -> dict[str, Array]:
        del params
        out = {"generation": state.generation}
        out.update(look.metrics(state.types, state.st, state.ids, self.pool))
        out["reproductions"] = state.reproductions
        out["reproductions_total"] = state.reproductions_total
        return out

    def inspect(self, state: BiomakerState, params: BiomakerParams, row: int,
                col: int) -> dict[str, float | int | str]:
        del params
        return look.inspect_cell(np.asarray(state.types), np.asarray(state.st),
                                 np.asarray(state.ids), np.asarray(state.programs), row, col)

    # ---- editing -------------------------------------------------------------------------
    def population(self, state: BiomakerState) -> Array:
        """Agent cells (the status bar's population)."""
        return jnp.sum(is_agent(state.types).astype(jnp.int32))

    def cells(self, state: BiomakerState) -> Array:
        return state.types

    def with_cells(self, state: BiomakerState, cells: Array) -> BiomakerState:
        cells = jnp.asarray(cells, jnp.int32)
        changed = cells != state.types
        fresh = self._material_state(cells, self.default_params_scalars())
        st = jnp.where(changed[..., None], fresh, state.st)
        ids = jnp.where(changed, 0, state.ids)
        types = jnp.where(changed & is_agent(cells), AIR, cells)  # agents need a program
        return _replace(state, types=types, st=st, ids=ids)

    def default_params_scalars(self) -> BiomakerParams:
        return make_params(self.preset, jnp.zeros((1, 1), jnp.float32))

    def paint(self, state: BiomakerState, params: BiomakerParams, mask: Array,
              value: Array) -> BiomakerState:
        """Paint material `value` under `mask`; `value < 0` erases to VOID; an agent type
        erases the plants under the mask (their cells become AIR)."""
        value = jnp.asarray(value)
        v = jnp.clip(jnp.where(value < 0, VOID, jnp.round(value)), 0, NUM_TYPES - 1)
        v = v.astype(jnp.int32)
        agent_brush = is_agent(v)
        material = jnp.full(self.shape, v, jnp.int32)
        target = jnp.where(agent_brush, jnp.where(is_agent(state.types), AIR, state.types),
                           material)
        hit = mask & (target != state.types)
        types = jnp.where(hit, target, state.types)
        st = jnp.where(hit[..., None], self._material_state(types, params), state.st)
        return _replace(state, types=types, st=st, ids=jnp.where(hit, 0, state.ids))

    def remove_entities(self, state: BiomakerState, params: BiomakerParams,
                        mask: Array) -> BiomakerState:
        """Erase the plants under `mask` (the app's remove tool): agent cells become AIR."""
        return self.paint(state, params, jnp.asarray(mask, bool), jnp.asarray(ROOT))

    def random_cells(self, key: Array, density: float) -> Array:
        """The preset's layout with EARTH specks (probability `density`) in the air."""
        types = jnp.asarray(layout(self.preset, self.height, self.w))
        specks = (jax.random.uniform(key, self.shape) < density) & (types == AIR)
        return jnp.where(specks, EARTH, types)


@partial(jax.jit, static_argnums=(0, 5))
def _place_seed(rule: BiomakerRule, state: BiomakerState, params: BiomakerParams, col: Array,
                program_id: Array, from_bank: bool) -> BiomakerState:
    return rule._place_seed(state, params, col, program_id, from_bank)


@partial(jax.jit, static_argnums=0)
def _init(rule: BiomakerRule, params: BiomakerParams) -> BiomakerState:
    return rule._init(params)


def _replace(state: BiomakerState, **changes: Array) -> BiomakerState:
    return dataclasses.replace(state, **changes)
