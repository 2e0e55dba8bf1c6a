"""The Life-like rule family ("life"): B/S, Hensel, Generations and Larger than Life.

`LifeRule("B3/S23", width, height, topology)` parses the rule string once (`rulestring.py`):
the neighbourhood, number of states and radius are static config; the birth/survival sets are
params (bool tables), so typing another rule of the same structure changes only params and
nothing recompiles. A bounded-grid suffix in the rule (`B3/S23:K64*,48`) sets the size and
topology and wins over the keyword arguments.

Two-state outer-totalistic range-1 rules use the bit-packed kernels of
`alife.rules.life.bitpacked` when that module is present and supports the grid (`fast=True`);
`state.data` then holds the packed words. Everything else runs the generic uint8 kernels.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.errors import AlifeError
from alife.core.rule import (
    FastAdvance,
    GridEditing,
    PatternRuleText,
    PlaneWindow,
    Rule,
    RuleTable,
    RuleText,
)
from alife.core.topology import Topology
from alife.core.types import pytree_dataclass
from alife.rules.life import b0, kernels, ltl
from alife.rules.life.langton import life_lambda
from alife.rules.life.rulestring import Bounds, LifeSpec, parse_rule

try:  # the bit-packed fast path is optional
    from alife.rules.life import bitpacked as _bitpacked
except ImportError:  # pragma: no cover - depends on what is installed
    _bitpacked = None


@pytree_dataclass
class LifeState:
    """`data`: uint8 [H, W] cell states (generic path) or the packed words (fast path)."""

    data: jax.Array
    generation: jax.Array


@pytree_dataclass
class LifeParams:
    """Birth/survival tables (bool [T]) and, for Larger than Life, `middle` (int32 0/1).

    T = 9/5/7 (totalistic Moore/V/H: index = live neighbours), 256 (Hensel: index = the 8-bit
    neighbour configuration), or K+1 (LtL: index = count as written in the rule).
    """

    birth: jax.Array
    survive: jax.Array
    middle: jax.Array


def _tables(spec: LifeSpec) -> LifeParams:
    n = spec.table_size
    birth = np.zeros(n, bool)
    survive = np.zeros(n, bool)
    birth[sorted(spec.birth)] = True
    survive[sorted(spec.survive)] = True
    return LifeParams(jnp.asarray(birth), jnp.asarray(survive),
                      jnp.asarray(int(spec.middle), jnp.int32))


class LifeRule(Rule, GridEditing, RuleText, PatternRuleText, RuleTable, PlaneWindow,
               FastAdvance):
    """Life-like cellular automata in Golly's rule notation (see `rulestring.py`)."""

    family = "life"

    def __init__(self, rule: str = "B3/S23", width: int = 256, height: int = 256,
                 topology: str | Topology = "torus", density: float = 0.0,
                 fast: bool = True, unbounded: bool = False) -> None:
        spec = parse_rule(rule)
        if spec.bounds is not None:
            width, height = spec.bounds.width, spec.bounds.height
            topo = spec.bounds.topology()
        else:
            topo = Topology.parse(topology)
        for name, value in (("width", width), ("height", height)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise AlifeError(f"{name} must be a positive integer, got {value!r}")
        if topo.kind == "sphere" and width != height:
            raise AlifeError(f"a sphere topology needs a square grid, got {width}x{height}")
        if not 0.0 <= float(density) <= 1.0:
            raise AlifeError(f"density must be in [0, 1], got {density!r}")
        if unbounded and (topo.kind != "plane" or spec.bounds is not None):
            raise AlifeError("unbounded: true is the window onto Golly's unbounded plane; "
                             f"expected topology plane and no bounded-grid suffix in {rule!r}")
        self.spec = spec
        self.text = rule.strip()
        #: a B0 rule's window onto the unbounded plane (`plane_window`): Golly's emulation
        self.unbounded = bool(unbounded)
        self._b0 = self.unbounded and b0.emulates(spec.birth, spec.kind, spec.states)
        self.width, self.height = int(width), int(height)
        self.topology = topo
        self.density = float(density)
        self.fast = bool(fast)
        self.num_states = spec.states
        self.look = "binary" if spec.states == 2 else "states"
        self._packed = (
            self.fast and _bitpacked is not None and spec.kind == "totalistic"
            and spec.states == 2
            and bool(_bitpacked.supports(spec.neighbourhood, 2, self.shape, topo))
        )

    # ---- static config ------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.width)

    @property
    def packed(self) -> bool:
        """True when the state is stored bit-packed (the fast path is in use)."""
        return self._packed

    def config(self) -> dict[str, Any]:
        """Constructor kwargs; `rule` is the text as given (`rule_text` gives Golly's form)."""
        out: dict[str, Any] = {"rule": self.text, "width": self.width,
                               "height": self.height, "topology": self.topology.to_config(),
                               "density": self.density}
        if not self.fast:
            out["fast"] = False
        if self.unbounded:
            out["unbounded"] = True
        return out

    def default_params(self) -> LifeParams:
        return _tables(self.spec)

    def describe(self) -> str:
        return (f"life {self.spec.canonical()} {self.width}x{self.height} "
                f"{self.topology.to_config()}")

    # ---- rule strings ---------------------------------------------------------------------
    def spec_of(self, params: LifeParams) -> LifeSpec:
        """The rule the params currently encode (same structure as this instance)."""
        birth = frozenset(int(i) for i in np.flatnonzero(np.asarray(params.birth)))
        survive = frozenset(int(i) for i in np.flatnonzero(np.asarray(params.survive)))
        s = self.spec
        return LifeSpec(s.kind, s.neighbourhood, birth, survive, s.states, s.radius,
                        bool(int(np.asarray(params.middle))), s.bounds)

    def rule_text(self, params: LifeParams) -> str:
        return self.spec_of(params).text()

    def langton_lambda(self, params: LifeParams) -> float:
        """Langton's lambda of the current birth/survival tables (`langton.py`)."""
        return life_lambda(self.spec, np.asarray(params.birth), np.asarray(params.survive),
                           int(np.asarray(params.middle)))

    def apply_rule_text(self, text: str, params: LifeParams) -> tuple[LifeRule, LifeParams]:
        del params
        new = parse_rule(text)
        text = text.strip()
        if new.bounds is not None and new.bounds != self.spec.bounds:
            rule = LifeRule(text, density=self.density, fast=self.fast)
            return rule, rule.default_params()
        if new.structure() == self.spec.structure():
            return self, _tables(new)
        if new.bounds is None and self.spec.bounds is not None:
            text += self.spec.suffix()
        rule = LifeRule(text, self.width, self.height, self.topology, self.density, self.fast)
        return rule, rule.default_params()

    @staticmethod
    def config_from_text(text: str | None, height: int, width: int) -> dict[str, Any] | None:
        """The config for a rule typed as `text` (a pattern file's `rule =`, `--rule`) on a
        `height` x `width` torus; a bounded-grid suffix (`:T64,48`, `:P..`) sets the size and
        topology instead. `text` None means Golly's default, B3/S23. Returns None for text of
        another family's grammar (Wolfram's `W110`)."""
        if text is not None and re.fullmatch(r"\s*[Ww]\d+.*", text):
            return None
        spec = parse_rule("B3/S23" if text is None else text.strip())
        if spec.bounds is not None:
            return {"rule": spec.text(), "width": spec.bounds.width,
                    "height": spec.bounds.height}
        return {"rule": spec.text(), "width": int(width), "height": int(height),
                "topology": "torus"}

    def pattern_rule_text(self, params: LifeParams) -> str:
        """The rule text with Golly's bounded-grid suffix for this grid and topology
        (`B3/S23:T64,48`), so Golly rebuilds the same grid from a pattern file."""
        spec = self.spec_of(params)
        if spec.bounds is not None:
            return spec.text()
        bounds = Bounds.of(self.topology, self.width, self.height)
        if bounds is None:
            return spec.text()
        return dataclasses.replace(spec, bounds=bounds).text()

    def restated(self, params: LifeParams) -> tuple[LifeRule, LifeParams]:
        text = self.rule_text(params)
        if text == self.rule_text(self.default_params()):
            return self, params
        rule = LifeRule(**{**self.config(), "rule": text})
        return rule, rule.default_params()

    # ---- the unbounded plane (alife.core.plane) ------------------------------------------------
    def light_speed(self) -> int:
        return int(self.spec.radius)

    def plane_window(self, height: int, width: int) -> LifeRule | None:
        """This rule on a `height` x `width` window onto the unbounded plane (dead outside);
        None with a bounded-grid suffix, or B0 where it is not emulated (`alife.rules.life.b0`:
        two-state B0 rules run as Golly runs them, the background kept dead)."""
        s = self.spec
        if s.bounds is not None or (0 in s.birth and not b0.emulates(s.birth, s.kind, s.states)):
            return None
        return LifeRule(self.text, int(width), int(height), "plane", self.density, self.fast,
                        unbounded=0 in s.birth)

    # ---- storage ----------------------------------------------------------------------------
    def _grid(self, state: LifeState) -> jax.Array:
        """uint8 [H, W] states."""
        if self._packed:
            return _bitpacked.decode(state.data, self.shape).astype(jnp.uint8)
        return state.data

    def _store(self, grid: jax.Array) -> jax.Array:
        grid = grid.astype(jnp.uint8)
        return _bitpacked.encode(grid) if self._packed else grid

    # ---- the contract -------------------------------------------------------------------------
    def init(self, key: jax.Array, params: LifeParams) -> LifeState:
        del params
        if self.density > 0:
            grid = self.random_cells(key, self.density)
        else:
            grid = jnp.zeros(self.shape, jnp.uint8)
        return LifeState(self._store(grid), jnp.asarray(0, jnp.int32))

    def step(self, key: jax.Array, state: LifeState, params: LifeParams) -> LifeState:
        del key
        s = self.spec
        if self._b0:
            birth, survive = b0.tables_for(params.birth, params.survive, state.generation)
            params = dataclasses.replace(params, birth=birth, survive=survive)
        if self._packed:
            data = _bitpacked.step(state.data, params.birth, params.survive, s.neighbourhood,
                                   self.topology)
        elif s.kind == "ltl":
            data = ltl.step_ltl(state.data, params.birth, params.survive, params.middle,
                                s.radius, s.neighbourhood, s.states, self.topology)
        elif s.kind == "hensel":
            data = kernels.step_hensel(state.data, params.birth, params.survive, s.states,
                                       self.topology)
        else:
            data = kernels.step_totalistic(state.data, params.birth, params.survive,
                                           s.neighbourhood, s.states, self.topology)
        return LifeState(data, state.generation + 1)

    def fast_advance(self, key: jax.Array, state: LifeState, params: LifeParams,
                     steps: Any) -> LifeState | None:
        """Bit-packed rules: many generations with the words kept padded between steps
        (`bitpacked.advance`, the same words as a loop of `step`); others: None."""
        del key
        if not self._packed or self._b0:
            return None
        data = _bitpacked.advance(state.data, params.birth, params.survive,
                                  self.spec.neighbourhood, self.topology, steps,
                                  fixed=(self.spec.birth, self.spec.survive))
        return LifeState(data, state.generation + steps)

    def view(self, state: LifeState, params: LifeParams) -> jax.Array:
        del params
        return self._grid(state)[:, :, None]

    def metrics(self, state: LifeState, params: LifeParams) -> dict[str, jax.Array]:
        del params
        grid = self._grid(state)
        return {"generation": state.generation,
                "population": jnp.sum(grid != 0, dtype=jnp.int32),
                "alive": jnp.sum(grid == 1, dtype=jnp.int32)}

    def paint(self, state: LifeState, params: LifeParams, mask: jax.Array,
              value: jax.Array) -> LifeState:
        del params
        value = jnp.asarray(value)
        level = jnp.clip(jnp.round(value), 0, self.num_states - 1)
        level = jnp.where(value < 0, 0, level).astype(jnp.uint8)
        grid = jnp.where(mask, level, self._grid(state))
        return LifeState(self._store(grid), state.generation)

    def cells(self, state: LifeState) -> jax.Array:
        return self._grid(state).astype(jnp.int32)

    def with_cells(self, state: LifeState, cells: jax.Array) -> LifeState:
        cells = jnp.asarray(cells)
        if cells.shape != self.shape:
            raise AlifeError(f"cells have shape {cells.shape}; expected {self.shape}")
        grid = jnp.clip(cells, 0, self.num_states - 1).astype(jnp.uint8)
        return LifeState(self._store(grid), state.generation)
