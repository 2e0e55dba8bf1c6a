"""The Rule contract every family implements; see ARCHITECTURE.md, "Core contracts".

A Rule instance holds static config (grid size, topology, network shape): changing it means a new
instance and a new compile. Everything that may change while a world runs lives in Params (arrays).
All methods are pure and unbatched; batching (vmap) and rollout (scan) are added from outside.

Shapes: a world is a grid of `shape = (H, W)` cells. `view` returns `[H', W', C]` with C in
{1, 3, 4}, uint8 or float32 in [0, 1]; `cells` returns the `[H, W]` integer (discrete families)
or float (continuous families) grid that patterns, RLE and painting work in.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.types import ParamSpec, param_specs

Array = jax.Array
State = Any
Params = Any


class Rule(ABC):
    """Base class of every rule family.

    Subclasses set `family` (the registry name) and implement the abstract methods. `config()`
    must return the constructor keyword arguments (plain YAML-able values), so that
    `type(rule)(**rule.config())` rebuilds an identical rule: scene files rely on it.
    """

    family: ClassVar[str] = ""
    #: number of distinct cell states for discrete rules; 0 for continuous ones.
    num_states: int = 2
    #: how the app should colour `view` by default: "binary", "states", "colormap", "rgba", "rgb".
    look: str = "binary"

    # ---- the contract -------------------------------------------------------------------
    @abstractmethod
    def config(self) -> dict[str, Any]:
        """Constructor kwargs as plain values (the scene file's `rule.config`)."""

    @abstractmethod
    def default_params(self) -> Params:
        """Params at their default values (arrays only)."""

    @abstractmethod
    def init(self, key: Array, params: Params) -> State:
        """A fresh world (the family's default start, e.g. a random soup or a seed)."""

    @abstractmethod
    def step(self, key: Array, state: State, params: Params) -> State:
        """One generation."""

    @abstractmethod
    def view(self, state: State, params: Params) -> Array:
        """What a renderer draws: `[H, W, C]`, uint8 or float32 in [0, 1]."""

    @abstractmethod
    def metrics(self, state: State, params: Params) -> dict[str, Array]:
        """Scalars for the stats panel and batch logs (always includes `generation`)."""

    @abstractmethod
    def paint(self, state: State, params: Params, mask: Array, value: Array) -> State:
        """Set the cells under a boolean `[H, W]` mask to `value` (a state, or a float level).

        `value < 0` means "damage": clear everything under the mask (for NCAs, all channels).
        """

    @abstractmethod
    def cells(self, state: State) -> Array:
        """The `[H, W]` grid of cell states (int32) or levels (float32)."""

    @abstractmethod
    def with_cells(self, state: State, cells: Array) -> State:
        """`state` with its cell grid replaced by `cells` (same shape as `self.shape`)."""

    # ---- shared behaviour -----------------------------------------------------------------
    @property
    @abstractmethod
    def shape(self) -> tuple[int, int]:
        """(H, W) of the cell grid."""

    def param_specs(self) -> list[ParamSpec]:
        """Params that the app can show as sliders (declared with `types.param`)."""
        return param_specs(self.default_params())

    def blank(self, params: Params) -> State:
        """An empty world: every cell 0."""
        state = self.init(jax.random.PRNGKey(0), params)
        return self.with_cells(state, jnp.zeros(self.shape, self.cells(state).dtype))

    def random_cells(self, key: Array, density: float) -> Array:
        """Random soup: each cell alive (state 1, or a level U(0,1) if continuous) w.p. density."""
        alive = jax.random.uniform(key, self.shape) < density
        if self.num_states == 0:
            return jnp.where(alive, jax.random.uniform(jax.random.fold_in(key, 1), self.shape), 0.0)
        return alive.astype(jnp.int32)

    def population(self, state: State) -> Array:
        """Number of non-zero cells (or total mass for continuous rules)."""
        c = self.cells(state)
        return jnp.sum(c) if self.num_states == 0 else jnp.sum(c != 0)

    def rule_text(self, params: Params) -> str | None:
        """The rule as users type it ("B3/S23", "W110"), or None if the family has none."""
        del params
        return None

    def apply_rule_text(self, text: str, params: Params) -> tuple[Rule, Params]:
        """Parse a typed rule string: `(rule, params)` to continue with.

        Returns `self` when the new rule fits this instance's static config (only params change,
        so nothing recompiles), or a new Rule instance otherwise. Bad text raises AlifeError.
        """
        del text, params
        from alife.core.errors import AlifeError

        raise AlifeError(f"the {self.family!r} family has no rule string")

    def restated(self, params: Params) -> tuple[Rule, Params]:
        """`(rule, params)` whose config itself says what `params` do (what a scene file saves).

        After a user types a new rule string of the same structure only the params change; this
        folds them back into the config (e.g. `rule: B36/S23`), so a saved file reads as it runs.
        """
        return self, params

    def describe(self) -> str:
        """A one-line description for `alife list` and the app's title bar."""
        return f"{self.family} {self.shape[1]}x{self.shape[0]}"

    def cells_numpy(self, state: State) -> np.ndarray:
        """`cells` as a host NumPy array."""
        return np.asarray(self.cells(state))
