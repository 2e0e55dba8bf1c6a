"""The rule-table family ("ruletable"): Golly's `.rule` files (`@TABLE`, `@TREE`) on the engine.

`RuleTableRule("Langtons-Loops", width, height, topology)` finds the rule by name
(`library.py`: next to the pattern, the user's rules folder, the rules alife ships, Golly's
Rules folder), compiles it once into a decision tree (`compile.py`) and steps the grid with
gathers (`kernels.py`): one gather per cell update through a dense table when
`n_states ** cells <= compile.DENSE_MAX` (`lookup="auto"` picks it), else one per neighbourhood
cell down the tree; a table whose tree would be too intricate runs as bitsets over its
transitions, AND-ed per cell (`bitsets.py`, Golly's own method). The lookup is the rule's
Params (an int array, not a slider), so jit sees it as an argument rather than a constant baked
into the program.

A bounded-grid suffix in the rule text (`WireWorld:P60,60`, `:T`, `:K`, `:C`, `:S`) sets the
size and topology, as in Golly; without one the grid is the given size on the given topology.
Cells are uint8 states; `view` is RGB from the rule's `@COLORS` (Golly's default colours where
the file has none), so every route (the app, PNG, GIF, MP4) shows Golly's colours.

Config: `rule` (name[:suffix]), `width`, `height`, `topology`, `density` (the random start: that
fraction of cells in a uniformly drawn live state; 0 starts empty), `folder` (searched first:
where the pattern file lay; absolute, or relative to the working folder) and `lookup`
("auto", "dense" or "tree").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.errors import AlifeError
from alife.core.grid_suffix import GridSuffix
from alife.core.rule import (
    GridEditing,
    NamedStates,
    PatternRuleText,
    PlaneWindow,
    Rule,
    RuleTable,
    RuleText,
)
from alife.core.topology import Topology
from alife.core.types import pytree_dataclass
from alife.rules.ruletable import bitsets, kernels
from alife.rules.ruletable.bitsets import BitsetTable
from alife.rules.ruletable.compile import DENSE_MAX
from alife.rules.ruletable.library import (
    LoadedRule,
    load_rule,
    search_folders,
    split_rule_text,
)

LOOKUPS = ("auto", "dense", "tree")
#: the largest grid side a rule-table world may have
MAX_SIDE = 1 << 15


@pytree_dataclass
class RuleTableState:
    """`cells`: uint8 [H, W] states."""

    cells: jax.Array
    generation: jax.Array


@pytree_dataclass
class RuleTableParams:
    """`lookup`: the dense table (uint8 [n ** cells]) or the flat tree (int32), see
    `compile.Compiled`."""

    lookup: jax.Array


class RuleTableRule(Rule, GridEditing, RuleText, PatternRuleText, NamedStates, RuleTable,
                    PlaneWindow):
    """A Golly rule table or rule tree on a fixed grid (module docstring)."""

    family = "ruletable"
    look = "rgb"

    def __init__(self, rule: str = "WireWorld", width: int = 256, height: int = 256,
                 topology: str = "torus", density: float = 0.0, folder: str | None = None,
                 lookup: str = "auto") -> None:
        if not isinstance(rule, str):
            raise AlifeError(f"rule {rule!r}: expected a rule name such as 'WireWorld'",
                             where="rule")
        name, suffix = split_rule_text(rule)
        if suffix is not None:
            width, height = suffix.width, suffix.height
            topo = suffix.topology()
        else:
            topo = Topology.parse(topology)
        for key, value in (("width", width), ("height", height)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) \
                    or not 1 <= value <= MAX_SIDE:
                raise AlifeError(f"{key} {value!r}; expected a whole number 1..{MAX_SIDE}",
                                 where=key)
        if topo.kind == "sphere" and width != height:
            raise AlifeError(f"a sphere needs a square grid, got {width}x{height}",
                             where="topology")
        if isinstance(density, bool) or not isinstance(density, (int, float)) \
                or not 0.0 <= float(density) <= 1.0:
            raise AlifeError(f"density {density!r}; expected a number in [0, 1]",
                             where="density")
        if lookup not in LOOKUPS:
            raise AlifeError(f"lookup {lookup!r}; expected one of {', '.join(LOOKUPS)}",
                             where="lookup")
        if folder is not None and not isinstance(folder, str):
            raise AlifeError(f"folder {folder!r}; expected a folder path", where="folder")
        loaded = load_rule(name, folder)
        dense_size = loaded.compiled.dense_size
        if lookup == "dense" and dense_size > DENSE_MAX:
            raise AlifeError(f"{name} would need a dense table of {dense_size} entries (over "
                             f"{DENSE_MAX}); expected lookup 'tree' or 'auto'", where="lookup")
        self.text = "".join(rule.split())
        self.name, self.suffix = name, suffix
        self.loaded: LoadedRule = loaded
        self.width, self.height = int(width), int(height)
        self.topology = topo
        self.density = float(density)
        self.folder = folder
        self.lookup = lookup
        #: a table too intricate for a tree runs as bitsets over its transitions (`bitsets.py`)
        self.bitsets = isinstance(loaded.compiled, BitsetTable)
        self.dense = not self.bitsets and (lookup == "dense" or (lookup == "auto"
                                                                 and dense_size <= DENSE_MAX))
        self.num_states = loaded.n_states
        self.state_names = loaded.names
        self._colours = np.asarray(loaded.colours, np.uint8)

    # ---- static config ------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.width)

    def config(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.text, "width": self.width, "height": self.height,
                               "topology": self.topology.to_config(), "density": self.density}
        if self.folder is not None:
            out["folder"] = self.folder
        if self.lookup != "auto":
            out["lookup"] = self.lookup
        return out

    def default_params(self) -> RuleTableParams:
        compiled = self.loaded.compiled
        if isinstance(compiled, BitsetTable):
            return RuleTableParams(jnp.asarray(compiled.lookup()))
        table = compiled.dense() if self.dense else compiled.flat
        return RuleTableParams(jnp.asarray(table))

    def describe(self) -> str:
        return (f"ruletable {self.name} ({self.num_states} states, "
                f"{self.loaded.neighbourhood}) {self.width}x{self.height} "
                f"{self.topology.to_config()}")

    # ---- rule text ----------------------------------------------------------------------
    def rule_text(self, params: RuleTableParams) -> str:
        del params
        return self.text

    def apply_rule_text(self, text: str, params: RuleTableParams
                        ) -> tuple[RuleTableRule, RuleTableParams]:
        """Another rule by name (`Byl-Loop`, `WireWorld:T64,64`): a suffix sets the grid, else
        the grid stays as it is."""
        if not isinstance(text, str):
            raise AlifeError(f"rule {text!r}: expected a rule name such as 'WireWorld'")
        if "/" in text:
            raise AlifeError(f"rule {text!r} is a Life-like rule string; this world runs rule "
                             "tables: expected a rule name such as 'Byl-Loop' (open a pattern "
                             "or scene of the rule to run it)")
        _, suffix = split_rule_text(text)
        if suffix is None and self.suffix is not None:
            text = "".join(text.split()) + self.suffix.text()
        rule = RuleTableRule(text, self.width, self.height, self.topology.to_config(),
                             self.density, self.folder, self.lookup)
        if rule == self:
            return self, params
        return rule, rule.default_params()

    @staticmethod
    def config_from_text(text: str | None, height: int, width: int,
                         folder: str | None = None) -> dict[str, Any] | None:
        """The config for rule `text` (a pattern file's `rule =`, `--rule`): None when the text
        cannot be a rule name (`B3/S23`, `W110`); an AlifeError when no rule of that name is
        found. A suffix sets the grid, else a `height` x `width` torus. `folder` (the pattern
        file's folder) is searched first and kept in the config when the rule is found there."""
        if text is None or "/" in text or not text.strip():
            return None
        try:
            name, suffix = split_rule_text(text)
        except AlifeError:
            return None
        loaded = load_rule(name, folder)
        config: dict[str, Any] = {"rule": "".join(text.split())}
        if suffix is None:
            config.update(width=int(width), height=int(height), topology="torus")
        if folder is not None and loaded.path.parent == Path(folder).expanduser():
            config["folder"] = str(Path(folder).expanduser().resolve())
        return config

    def pattern_rule_text(self, params: RuleTableParams) -> str:
        """The rule name with Golly's bounded-grid suffix for this grid (`WireWorld:P60,60`)."""
        del params
        suffix = GridSuffix.of(self.topology, self.width, self.height)
        return self.name + (suffix.text() if suffix is not None else "")

    def langton_lambda(self, params: RuleTableParams) -> float:
        """Langton's lambda: the fraction of neighbourhood configurations whose next state is
        not 0 (counted on the decision tree, not enumerated)."""
        del params
        return self.loaded.compiled.langton_lambda()

    @property
    def folders(self) -> list[Path]:
        """Where this rule's name is looked up, in order."""
        return search_folders(self.folder)

    # ---- the unbounded plane (alife.core.plane) ------------------------------------------------
    def light_speed(self) -> int:
        offsets = np.asarray(self.loaded.compiled.offsets)
        return max(1, int(np.abs(offsets).max(initial=1)))

    def plane_window(self, height: int, width: int) -> RuleTableRule | None:
        """This rule on a `height` x `width` plane (dead outside); None with a bounded-grid
        suffix."""
        if self.suffix is not None:
            return None
        return RuleTableRule(self.name, int(width), int(height), "plane", self.density,
                             self.folder, self.lookup)

    # ---- the contract -----------------------------------------------------------------------
    def init(self, key: jax.Array, params: RuleTableParams) -> RuleTableState:
        del params
        if self.density > 0:
            cells = self.random_cells(key, self.density).astype(jnp.uint8)
        else:
            cells = jnp.zeros(self.shape, jnp.uint8)
        return RuleTableState(cells, jnp.asarray(0, jnp.int32))

    def step(self, key: jax.Array, state: RuleTableState,
             params: RuleTableParams) -> RuleTableState:
        del key
        compiled = self.loaded.compiled
        if isinstance(compiled, BitsetTable):
            cells = bitsets.step(state.cells, params.lookup, compiled.offsets, self.num_states,
                                 compiled.words, self.topology)
        else:
            cells = kernels.step(state.cells, params.lookup, compiled.offsets, self.num_states,
                                 self.dense, compiled.root, self.topology)
        return RuleTableState(cells, state.generation + 1)

    def view(self, state: RuleTableState, params: RuleTableParams) -> jax.Array:
        del params
        return jnp.asarray(self._colours)[state.cells]

    def metrics(self, state: RuleTableState, params: RuleTableParams) -> dict[str, jax.Array]:
        del params
        return {"generation": state.generation,
                "population": jnp.sum(state.cells != 0, dtype=jnp.int32)}

    # ---- the cell grid ------------------------------------------------------------------------
    def cells(self, state: RuleTableState) -> jax.Array:
        return state.cells.astype(jnp.int32)

    def with_cells(self, state: RuleTableState, cells: jax.Array) -> RuleTableState:
        cells = jnp.asarray(cells)
        if cells.shape != self.shape:
            raise AlifeError(f"cells have shape {cells.shape}; expected {self.shape}")
        grid = jnp.clip(cells, 0, self.num_states - 1).astype(jnp.uint8)
        return RuleTableState(grid, state.generation)

    def paint(self, state: RuleTableState, params: RuleTableParams, mask: jax.Array,
              value: jax.Array) -> RuleTableState:
        del params
        value = jnp.asarray(value)
        level = jnp.clip(jnp.round(value), 0, self.num_states - 1)
        level = jnp.where(value < 0, 0, level).astype(jnp.uint8)
        return RuleTableState(jnp.where(mask, level, state.cells), state.generation)

    def random_cells(self, key: jax.Array, density: float) -> jax.Array:
        """A random soup: each cell live with probability `density`, in a live state drawn
        uniformly from 1..n-1."""
        k1, k2 = jax.random.split(key)
        alive = jax.random.uniform(k1, self.shape) < density
        states = jax.random.randint(k2, self.shape, 1, self.num_states)
        return jnp.where(alive, states, 0).astype(jnp.int32)
