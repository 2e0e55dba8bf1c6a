"""`ElementaryRule`: Wolfram's 1-D cellular automata with a scrolling space-time diagram.

Family "elementary" (Wolfram, A New Kind of Science, ch. 3): `kind="elementary"` rules are
given by a rule number (bit 4a+2b+c of rule 0..255 is the next state of a cell whose left, self,
right neighbours are a, b, c; generalised to k colours and radius r), `kind="totalistic"` rules
by a code whose base-k digit s is the next colour when the 2r+1 colours sum to s (k=3, r=1,
code 777). The rule is a Param lookup table (uint8 [table_size]), so toggling one rule bit in
the app does not recompile.

State: the current row, a ring buffer of the last `history` rows, and `generation`. The newest
row lives at ring index `generation % history`. What the rest of alife sees as the cell grid
(`shape`, `cells`, `with_cells`, `paint`, `view`) is the space-time diagram `[history, width]`:
time flows downward, the newest row is the bottom one, older rows scroll up and out; rows from
before generation 0 are blank. Only the bottom row drives the future: painting sets the diagram
cells under the mask, and the part of the mask on the bottom row edits the current row.

2-colour radius-1 rules on a width that is a multiple of 32 run bit-packed (32 cells per uint32
word, row and history both packed; unpacked only for display), unless `fast=False`.
"""

from __future__ import annotations

import re
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.errors import AlifeError
from alife.core.rule import (
    Array,
    BooleanTable,
    FastAdvance,
    GridEditing,
    Rule,
    RuleTable,
    RuleText,
    SpaceTime,
)
from alife.core.types import pytree_dataclass
from alife.rules.elementary import bitpacked, codes, generic
from alife.rules.elementary.langton import table_lambda

BOUNDARIES = ("periodic", "fixed0", "fixed1")
STARTS = ("single", "random")
_POPCOUNT3 = np.array([bin(i).count("1") for i in range(8)], np.int32)


@pytree_dataclass
class ElementaryParams:
    """`table`: uint8 [table_size]; entry i is the next colour for neighbourhood (or sum) i."""

    table: Array


@pytree_dataclass
class ElementaryState:
    """`row`: [W] uint8 (packed: [W/32] uint32); `history`: ring of rows [history, W] uint8
    (packed: [history, W/32] uint32), newest at index generation % history; `generation`: int32."""

    row: Array
    history: Array
    generation: Array


class ElementaryRule(Rule, GridEditing, RuleText, SpaceTime, RuleTable, BooleanTable,
                     FastAdvance):
    """Wolfram 1-D CA (elementary, k colours / radius r, totalistic) with a space-time view."""

    family = "elementary"
    look = "spacetime"

    def __init__(self, rule: int = 30, width: int = 256, boundary: str = "periodic",
                 start: str = "single", density: float = 0.5, history: int = 256,
                 kind: str = "elementary", k: int = 2, r: int = 1, code: int | None = None,
                 fast: bool = True) -> None:
        codes.check_structure(kind, int(k), int(r))
        if code is not None:
            rule = code
        if boundary not in BOUNDARIES:
            raise AlifeError(f"unknown boundary {boundary!r}; expected one of {list(BOUNDARIES)}",
                             where="boundary")
        if start not in STARTS:
            raise AlifeError(f"unknown start {start!r}; expected one of {list(STARTS)}",
                             where="start")
        if int(width) < 1 or int(history) < 1:
            raise AlifeError(f"width {width} and history {history} must be >= 1",
                             where="width, history")
        if not 0.0 <= float(density) <= 1.0:
            raise AlifeError(f"density {density}; expected 0..1", where="density")
        self.kind, self.k, self.r = kind, int(k), int(r)
        self.rule_number = int(rule)
        self._table = codes.number_to_table(self.rule_number, kind, self.k, self.r)
        self.width, self.history = int(width), int(history)
        self.boundary, self.start, self.density = boundary, start, float(density)
        self.fast = bool(fast)
        self.num_states = self.k
        self.packed = (self.fast and self.k == 2 and self.r == 1
                       and self.width % bitpacked.WORD == 0)

    # ---- config and params ---------------------------------------------------------------
    def config(self) -> dict[str, Any]:
        return {"rule": self.rule_number, "width": self.width, "boundary": self.boundary,
                "start": self.start, "density": self.density, "history": self.history,
                "kind": self.kind, "k": self.k, "r": self.r, "fast": self.fast}

    def default_params(self) -> ElementaryParams:
        return ElementaryParams(table=jnp.asarray(self._table))

    @property
    def shape(self) -> tuple[int, int]:
        return (self.history, self.width)

    def describe(self) -> str:
        text = codes.format_rule(self.kind, self.k, self.r, self.rule_number)
        return f"elementary {text}, {self.width} cells, {self.boundary}"

    def rule_text(self, params: ElementaryParams) -> str:
        number = codes.table_to_number(np.asarray(params.table), self.k)
        return codes.format_rule(self.kind, self.k, self.r, number)

    def apply_rule_text(self, text: str, params: ElementaryParams
                        ) -> tuple[ElementaryRule, ElementaryParams]:
        kind, k, r, number = codes.parse_rule(text, self.kind, self.k, self.r)
        if (kind, k, r) == (self.kind, self.k, self.r):
            table = codes.number_to_table(number, kind, k, r)
            return self, ElementaryParams(table=jnp.asarray(table))
        rule = ElementaryRule(**{**self.config(), "rule": number, "kind": kind, "k": k, "r": r})
        return rule, rule.default_params()

    # ---- the rule table (instruments) ------------------------------------------------------
    def langton_lambda(self, params: ElementaryParams) -> float:
        """Langton's lambda of the current table (`langton.py`)."""
        return table_lambda(np.asarray(params.table), self.kind, self.k, self.r)

    def all_rule_texts(self) -> tuple[str, ...]:
        """The 256 elementary rules as numbers ("0".."255") for 2-colour radius-1 rules."""
        if (self.kind, self.k, self.r) != ("elementary", 2, 1):
            return ()
        return tuple(str(n) for n in range(256))

    def boolean_table(self, params: ElementaryParams) -> tuple[np.ndarray, int] | None:
        """The 0/1 table and radius of a 2-colour elementary-kind rule on a periodic row."""
        if self.kind != "elementary" or self.k != 2 or self.boundary != "periodic":
            return None
        return np.asarray(params.table), self.r

    @staticmethod
    def config_from_text(text: str | None, height: int, width: int) -> dict[str, Any] | None:
        """The config for a Wolfram rule typed as `text` (`W110`, `W30 k=2 r=2`; a pattern
        file's `rule =` or `--rule`): `width` cells, `height` rows of history. None when `text`
        is not in this grammar (it must start with W and the rule number)."""
        if text is None or not re.match(r"\s*[Ww]\s*\d", text):
            return None
        kind, k, r, number = codes.parse_rule(text.strip(), "elementary", 2, 1)
        return {"rule": number, "width": int(width), "history": int(height), "kind": kind,
                "k": k, "r": r}

    def restated(self, params: ElementaryParams) -> tuple[ElementaryRule, ElementaryParams]:
        number = codes.table_to_number(np.asarray(params.table), self.k)
        if number == self.rule_number:
            return self, params
        rule = ElementaryRule(**{**self.config(), "rule": number})
        return rule, rule.default_params()

    # ---- rows, packing, the ring buffer ----------------------------------------------------
    def _pack(self, rows: Array) -> Array:
        return bitpacked.encode(rows) if self.packed else rows.astype(jnp.uint8)

    def _unpack(self, rows: Array) -> Array:
        return bitpacked.decode(rows) if self.packed else rows

    def _start_row(self, key: Array) -> Array:
        if self.start == "single":
            return jnp.zeros((self.width,), jnp.uint8).at[self.width // 2].set(1)
        alive = jax.random.uniform(key, (self.width,)) < self.density
        colour = jax.random.randint(jax.random.fold_in(key, 1), (self.width,), 1, self.k)
        return jnp.where(alive, colour, 0).astype(jnp.uint8)

    def _order(self, generation: Array) -> Array:
        """Ring indices of the diagram rows, oldest first (the newest is generation % H)."""
        return (generation + 1 + jnp.arange(self.history)) % self.history

    # ---- the contract ----------------------------------------------------------------------
    def init(self, key: Array, params: ElementaryParams) -> ElementaryState:
        del params
        row = self._pack(self._start_row(key))
        history = jnp.zeros((self.history,) + row.shape, row.dtype).at[0].set(row)
        return ElementaryState(row=row, history=history, generation=jnp.zeros((), jnp.int32))

    def step(self, key: Array, state: ElementaryState, params: ElementaryParams
             ) -> ElementaryState:
        del key
        if self.packed:
            row = bitpacked.step(state.row, self._packed_table(params), self.boundary)
        else:
            row = generic.step(state.row, params.table, self.kind, self.k, self.r, self.boundary)
        generation = state.generation + 1
        slot = generation % self.history
        history = jax.lax.dynamic_update_slice_in_dim(state.history, row[None], slot, axis=0)
        return ElementaryState(row=row, history=history, generation=generation)

    def _packed_table(self, params: ElementaryParams) -> Array:
        """The 8-entry table the packed kernel indexes by 4a + 2b + c."""
        if self.kind == "totalistic":  # sum of (a, b, c) -> entry 4a+2b+c
            return params.table[jnp.asarray(_POPCOUNT3)]
        return params.table

    def fast_advance(self, key: Array, state: ElementaryState, params: ElementaryParams,
                     steps: Any) -> ElementaryState | None:
        """Packed rules: many generations with the row kept padded between steps
        (`bitpacked.advance`, the same row and ring as a loop of `step`); others: None."""
        del key
        if not self.packed:
            return None
        row, history = bitpacked.advance(state.row, state.history, state.generation,
                                         self._packed_table(params), self.boundary, steps)
        return ElementaryState(row=row, history=history, generation=state.generation + steps)

    def cells(self, state: ElementaryState) -> Array:
        """The space-time diagram `[history, width]` int32, newest row at the bottom."""
        rows = jnp.take(state.history, self._order(state.generation), axis=0)
        return self._unpack(rows).astype(jnp.int32)

    def view(self, state: ElementaryState, params: ElementaryParams) -> Array:
        """`[history, width, 1]` uint8 colours 0..k-1 (the diagram; time flows downward)."""
        del params
        rows = jnp.take(state.history, self._order(state.generation), axis=0)
        return self._unpack(rows).astype(jnp.uint8)[..., None]

    def with_cells(self, state: ElementaryState, cells: Array) -> ElementaryState:
        diagram = jnp.clip(jnp.asarray(cells), 0, self.k - 1).astype(jnp.uint8)
        rows = self._pack(diagram)
        history = jnp.roll(rows, state.generation + 1, axis=0)  # inverse of `_order`
        return ElementaryState(row=rows[-1], history=history, generation=state.generation)

    def paint(self, state: ElementaryState, params: ElementaryParams, mask: Array,
              value: Array) -> ElementaryState:
        """Set diagram cells under `mask` ([history, width] bool) to `value` (clipped to
        0..k-1; `value < 0` erases). The mask's bottom row edits the live current row."""
        del params
        value = jnp.asarray(value, jnp.float32)
        colour = jnp.where(value < 0, 0, jnp.clip(jnp.round(value), 0, self.k - 1))
        cells = jnp.where(mask, colour.astype(jnp.int32), self.cells(state))
        return self.with_cells(state, cells)

    def population(self, state: ElementaryState) -> Array:
        """Non-zero cells in the current row."""
        if self.packed:
            return bitpacked.population(state.row)
        return jnp.sum(state.row != 0).astype(jnp.int32)

    def metrics(self, state: ElementaryState, params: ElementaryParams) -> dict[str, Array]:
        del params
        return {"generation": state.generation, "population": self.population(state)}
