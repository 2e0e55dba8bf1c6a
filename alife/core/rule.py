"""The Rule contract: a core every family implements, plus capabilities some families add.

See `docs/architecture.md`, "The Rule contract". A Rule instance holds static config (grid size,
topology, network shape): changing it means a new instance and a new compile. Everything that may
change while a world runs lives in Params (arrays). All methods are pure and unbatched; batching
(vmap) and rollout (scan) are added from outside (`alife.core.rollout`).

- `Rule` (core): `config`, `default_params`, `init`, `step`, `view`, `metrics`, `shape`. Every
  State carries an int32 `generation`. Rules compare and hash by `(type, config)`, so jit caches
  and the app compile once per config, not once per instance.
- `GridEditing`: a cell grid that patterns, the brush and RLE work on (`cells`, `with_cells`,
  `paint`, `random_cells`).
- `RuleText`: a rule string users type (`rule_text`, `apply_rule_text`, `restated`).
- `EntityWorld`: fixed-capacity entities drawn over the grid (`entities`, see `core.entities`;
  `entity_kinds` names each kind and its shape, default one kind drawn as discs).
- `Inspecting`, `Placing`, `Removing`, `Linked`, `LineageLog`, `NamedStates`, `SpaceTime`,
  `PatternRuleText`, `RuleTable`, `BooleanTable`, `StartDependsOnParams`, `ImageTarget`,
  `ColourKey` (what the family's colours mean: the app's legend), `PlaneWindow` (runs on the
  unbounded plane through a moving window: `alife.core.plane`), `EventCounts` (metrics that
  count one step's events: the app plots them summed), `KernelPlots` (a world of radial
  kernels and a growth function: the app's Kernel window), `Reshaping` (a length-scale param
  the cells zoom with, and turning the cells: rescale on R change, rotate), `CellChannels`
  (cells of several channels: the app shows one or all and the brush paints one),
  `FastAdvance` (many generations in one call, faster than a loop of `step`): the
  optional hooks. Code outside a
  family tests them with `isinstance` (never `getattr` or the family's name); a static test
  (tests/test_plugin_shape.py) holds every module outside `rules/` to that.

Shapes: a world is a grid of `shape = (H, W)` cells. `view` returns `[H', W', C]` with C in
{1, 3, 4}, uint8 or float32 in [0, 1]; `cells` returns the `[H, W]` integer (discrete families)
or float (continuous families) grid.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.types import ParamSpec, param_specs

if TYPE_CHECKING:
    from alife.core.entities import Entities

Array = jax.Array
State = Any
Params = Any


class Rule(ABC):
    """The core every family implements.

    Subclasses set `family` (the registry name). `config()` returns the constructor keyword
    arguments (plain YAML-able values), so `type(rule)(**rule.config())` rebuilds an equal rule:
    scene files and equality rely on it.
    """

    family: ClassVar[str] = ""
    #: number of distinct cell states for discrete rules; 0 for continuous ones.
    num_states: int = 2
    #: how the app should colour `view` by default: "binary", "states", "colormap", "rgba", "rgb".
    look: str = "binary"
    #: copies of the state a step may hold at its peak (the state, its successor, FFT spectra,
    #: temporaries): the memory check before a world is built (`alife.scene.limits`) needs this
    #: many times the state's bytes. A family whose state is mostly read in place (per-agent
    #: genomes) declares the fewer copies it measured.
    step_copies: ClassVar[int] = 12

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
        """One generation (and `generation + 1`)."""

    @abstractmethod
    def view(self, state: State, params: Params) -> Array:
        """What a renderer draws: `[H, W, C]`, uint8 or float32 in [0, 1]."""

    @abstractmethod
    def metrics(self, state: State, params: Params) -> dict[str, Array]:
        """Scalars for the stats panel and batch logs (always includes `generation`)."""

    @property
    @abstractmethod
    def shape(self) -> tuple[int, int]:
        """(H, W) of the cell grid."""

    # ---- identity: (type, config) ----------------------------------------------------------
    def _identity(self) -> tuple[type, str]:
        cached = self.__dict__.get("_identity_cache")
        if cached is None:
            text = json.dumps(self.config(), sort_keys=True, default=_plain)
            cached = (type(self), text)
            self.__dict__["_identity_cache"] = cached
        return cached

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rule):
            return NotImplemented
        return self is other or self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    # ---- shared behaviour -----------------------------------------------------------------
    def param_specs(self) -> list[ParamSpec]:
        """Params that the app can show as sliders (declared with `types.param`)."""
        return param_specs(self.default_params())

    def describe(self) -> str:
        """A one-line description for `alife list` and the app's title bar."""
        return f"{self.family} {self.shape[1]}x{self.shape[0]}"

    def restated(self, params: Params) -> tuple[Rule, Params]:
        """`(rule, params)` whose config itself says what `params` do (what a scene file saves).

        Rules with a rule string fold a typed rule back into their config (`RuleText`); others
        return themselves.
        """
        return self, params


def _plain(value: Any) -> Any:
    """JSON fallback for config values (tuples are lists already; NumPy scalars and arrays)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return repr(value)


class GridEditing(ABC):
    """Capability: a cell grid that the brush, patterns, RLE and random fills edit."""

    num_states: int
    shape: tuple[int, int]

    @abstractmethod
    def cells(self, state: State) -> Array:
        """The `[H, W]` grid of cell states (int32) or levels (float32)."""

    @abstractmethod
    def with_cells(self, state: State, cells: Array) -> State:
        """`state` with its cell grid replaced by `cells` (same shape as `self.shape`)."""

    @abstractmethod
    def paint(self, state: State, params: Params, mask: Array, value: Array) -> State:
        """Set the cells under a boolean `[H, W]` mask to `value` (a state, or a float level).

        `value < 0` means "damage": clear everything under the mask (for NCAs, all channels).
        """

    def blank(self, params: Params) -> State:
        """An empty world: every cell 0."""
        state = self.init(jax.random.PRNGKey(0), params)  # type: ignore[attr-defined]
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


class RuleText(ABC):
    """Capability: a rule string users type ("B3/S23", "W110", "R=13,T=10,...")."""

    @abstractmethod
    def rule_text(self, params: Params) -> str | None:
        """The rule as users type it, or None when the current params have no short form."""

    @abstractmethod
    def apply_rule_text(self, text: str, params: Params) -> tuple[Rule, Params]:
        """Parse a typed rule string: `(rule, params)` to continue with.

        Returns `self` when the new rule fits this instance's static config (only params change,
        so nothing recompiles), or a new Rule instance otherwise. Bad text raises AlifeError.
        """


#: the shapes an entity can be drawn with (`EntityKind.shape`)
ENTITY_SHAPES = ("disc", "square", "diamond", "triangle")


class EntityKind(NamedTuple):
    """One kind of entity, for the renderer and the legend: its `name`, the `shape` it is drawn
    with (one of `ENTITY_SHAPES`) and what its colour shows (`colour`, e.g. "lineage"; "" for
    one fixed colour)."""

    name: str
    shape: str = "disc"
    colour: str = ""


class EntityWorld(ABC):
    """Capability: fixed-capacity entities (agents, robots) drawn over the grid."""

    @abstractmethod
    def entities(self, state: State, params: Params) -> Entities:
        """The world's entities (`alife.core.entities.Entities`)."""

    def entity_kinds(self) -> tuple[EntityKind, ...]:
        """Each entity kind, indexed by the `Entities.kind` value (a kind past the end is drawn
        as the last one). Default: one kind, "entity", drawn as discs."""
        return (EntityKind("entity"),)


class Inspecting(ABC):
    """Capability: a cell inspector (the app's Inspector panel, Alt+click)."""

    @abstractmethod
    def inspect(self, state: State, params: Params, row: int, col: int) -> dict[str, Any]:
        """What there is at cell (row, col): plain names -> values. An integer `"slot"` entry
        names the entity there, which the camera can follow. A value `{"columns": [names],
        "rows": [[numbers]]}` is shown as a table with those column headings; a square grid
        of odd side (a window centred on the cell) as a heat map."""


class Placing(ABC):
    """Capability: the app's place tool puts one of a list of choices at a cell (a seed with a
    program, an agent, a robot, a particle of a type)."""

    @abstractmethod
    def place_choices(self, params: Params) -> tuple[str, ...]:
        """Labels of what can be placed; `place` takes an index into them."""

    @abstractmethod
    def place(self, state: State, params: Params, row: int, col: int, choice: int) -> State:
        """`state` with choice `choice` placed at cell (row, col). When nothing can be placed
        (every slot full, no soil there) raise `AlifeError` saying why."""


class Removing(ABC):
    """Capability: the app's remove tool deletes the entities under the brush."""

    @abstractmethod
    def remove_entities(self, state: State, params: Params, mask: Array) -> State:
        """`state` without the entities on cells where the `[H, W]` bool `mask` is set."""


class Linked(ABC):
    """Capability: lines between entities (messages, parents) drawn over the world."""

    @abstractmethod
    def links(self, state: State, params: Params) -> tuple[Array, Array, Array]:
        """(starts [M, 2], ends [M, 2], mask [M] bool) in cell units (row, col); jit-able."""


class LineageLog(ABC):
    """Capability: births and deaths, for `alife run --lineage`."""

    @abstractmethod
    def lineage_events(self, prev_state: State | None, state: State) -> list[dict[str, Any]]:
        """Events logged after `prev_state` (from the start if None) up to `state`: rows
        {id, slot, parent, birth, death: ""} for births and {id, slot, death} for deaths; a row
        {"lost": n} when n events overflowed the log."""


class NamedStates:
    """Capability: names for the cell states (brush picker, status bar, legend)."""

    state_names: tuple[str, ...]


class ColourKey:
    """Capability: what the family's own colours mean, for the app's legend (which derives the
    rest from the look, the colour map and `NamedStates`).

    - `state_colours`: "#rrggbb" per state of `NamedStates`, for a view the family colours
      itself (an "rgb" look such as Biomaker's cell types); empty: the look's palette.
    - `view_scale(params)`: `(quantity, low, high)` of a one-channel view shown through a colour
      map: view value 0 shows `low`, 1 shows `high`; None: "cell value", 0 to 1.
    """

    state_colours: tuple[str, ...] = ()

    def view_scale(self, params: Params) -> tuple[str, float, float] | None:
        del params
        return None


class EventCounts:
    """Capability: `metrics` that count (or add up) the events of one step: births,
    reproductions, food eaten. Plotted per step they are mostly 0, so the app plots them as a
    moving sum or a running total. `event_totals` maps such a metric to the metric holding its
    exact running total, when the family keeps one (else the app adds up the points it saw)."""

    event_metrics: tuple[str, ...] = ()
    event_totals: Mapping[str, str] = MappingProxyType({})


class SpaceTime:
    """Capability: a 1-D rule shown as a space-time diagram. The grid's rows are history and
    its last row is the current state; patterns start on that row and measures read it."""

    def current_row(self, cells: Array) -> Array:
        """The current state (the last row) of the `[H, W]` diagram `cells`."""
        return cells[-1]


class PatternRuleText(ABC):
    """Capability: the rule text a pattern file (RLE) should carry for this world, with
    Golly's bounded-grid suffix so Golly rebuilds the same grid."""

    @abstractmethod
    def pattern_rule_text(self, params: Params) -> str:
        """E.g. `B3/S23:T64,48`."""


class RuleTable(ABC):
    """Capability: a transition table, summarised by Langton's lambda (instruments)."""

    @abstractmethod
    def langton_lambda(self, params: Params) -> float:
        """The fraction of neighbourhood configurations that map to a non-quiescent state."""

    def all_rule_texts(self) -> tuple[str, ...]:
        """Every rule of this structure as text, when the family can list them all (the 256
        elementary rules for `alife measure --all`); empty otherwise."""
        return ()


class PlaneWindow(ABC):
    """Capability: the rule can run on Golly's unbounded plane through a window, a grid of cells
    with dead cells all around it that `alife.core.plane` moves and resizes to follow the
    pattern. Nothing reaches past the window's edge when a run of `n` generations starts with
    every live cell at least `n * light_speed() + light_speed()` cells inside it."""

    @abstractmethod
    def light_speed(self) -> int:
        """How many cells a signal travels per generation (the neighbourhood's radius)."""

    @abstractmethod
    def plane_window(self, height: int, width: int) -> Rule | None:
        """This rule (same params structure) on a `height` x `width` window with dead cells
        outside; None when this instance cannot live on the unbounded plane (a bounded-grid
        suffix fixes its grid, or an empty neighbourhood gives birth: B0)."""


class StartDependsOnParams:
    """Capability (a marker): `init` reads params (Biomaker plants its seed's program from the
    bank), so an evolution candidate must start from its own `init`, not a shared state."""


class BooleanTable(ABC):
    """Capability: a 2-state 1-D rule on a periodic row, given by its full lookup table over
    the 2r+1 cells of a neighbourhood (Bagnoli's Boolean Lyapunov exponent reads it)."""

    @abstractmethod
    def boolean_table(self, params: Params) -> tuple[np.ndarray, int] | None:
        """`(table [2^(2r+1)] of 0/1, r)` for the current params, or None when this instance
        is not such a rule (more colours, a totalistic code, a fixed boundary)."""


class ImageTarget(ABC):
    """Capability: the family's trainer grows one target image (the Training panel offers the
    scene's image, a PNG file or the canvas as the target). Targets are `[size, size, 4]`
    float32 premultiplied RGBA, what the family's trainer takes as `target`."""

    @abstractmethod
    def target_from_file(self, path: str, size: int) -> np.ndarray:
        """A target read from an image file (AlifeError naming the file if it cannot be)."""

    @abstractmethod
    def target_from_state(self, state: State, size: int) -> np.ndarray:
        """A target made from what the world shows now (AlifeError if it shows nothing)."""


@dataclass(frozen=True)
class KernelCurves:
    """What the Kernel window plots for one kernel, for the current params (host arrays).

    - `distance` [N] in cells from the centre (0 to the kernel's radius) and `profile` [N]: the
      kernel's radial profile there (ring heights times the core, before normalising);
    - `image` [n, n]: the normalised kernel on the cells the world convolves with, centred;
    - `u` [M] and `growth` [M]: the growth function over a range of potentials;
    - `mu`, `sigma`: the growth's centre and width (marked on its plot); `radius`: the kernel's
      radius in cells; `label`: what the kernel selector shows.
    """

    label: str
    radius: float
    distance: np.ndarray
    profile: np.ndarray
    image: np.ndarray
    u: np.ndarray
    growth: np.ndarray
    mu: float
    sigma: float


class KernelPlots(ABC):
    """Capability: a world made of radial kernels and a growth function (Lenia); the app's
    Kernel window plots them and redraws when a slider moves (host computation, no compile)."""

    @abstractmethod
    def kernel_count(self) -> int:
        """How many kernels the world has (the Kernel window's selector)."""

    @abstractmethod
    def kernel_curves(self, params: Params, index: int) -> KernelCurves:
        """Kernel `index`'s profile, image and growth function for `params`."""


class Reshaping(ABC):
    """Capability: a param is the world's length scale (`scale_param`, Lenia's R), so the cells
    can be zoomed with it and a creature keeps its shape; and the cells can be turned."""

    scale_param: ClassVar[str] = "radius"

    @abstractmethod
    def rescaled(self, state: State, params: Params, value: float) -> tuple[State, Params]:
        """`(state, params)` with the scale param set to `value` and the cells zoomed by the
        same factor (about the creature's centre); no recompile."""

    @abstractmethod
    def rotated(self, state: State, params: Params, degrees: float) -> State:
        """`state` with its cells turned `degrees` anticlockwise about the creature's centre."""


class CellChannels(ABC):
    """Capability: cells of several channels (multi-channel Lenia). The app shows all of them
    (each in its colour) or one (through the colour map), and its brush paints one."""

    @property
    @abstractmethod
    def channels(self) -> int:
        """Number of cell channels C."""

    @abstractmethod
    def channel_colours(self) -> np.ndarray:
        """[C, 3] RGB in [0, 1]: the colour `view` gives each channel (levels added up)."""

    @abstractmethod
    def channel_levels(self, state: State) -> Array:
        """Every channel's cells: [C, H, W]."""

    @abstractmethod
    def paint_channel(self, state: State, mask: Array, value: Array, channel: Array) -> State:
        """Set channel `channel` (may be traced) under the [H, W] bool mask to `value`; a value
        below 0 clears every channel there."""

    @abstractmethod
    def with_channel(self, state: State, channel: int, cells: Array) -> State:
        """`state` with channel `channel`'s cells replaced by `cells` [H, W] (selections, cut
        and paste on a picked channel)."""


class FastAdvance(ABC):
    """Many generations in one call, faster than a loop of `step` (e.g. a bit-packed kernel that
    keeps its padded buffers from one generation to the next). `alife.core.rollout.advance` uses
    it, so every run, record and batch does; the result must equal `steps` calls of `step` under
    the one key rule (`fold_in(key, generation)`), bit for bit."""

    @abstractmethod
    def fast_advance(self, key: Array, state: State, params: Params, steps: Any) -> State | None:
        """`state` after `steps` generations (`steps` may be traced), or None where this
        configuration has no fast path (the caller then loops over `step`). Pure, unbatched."""


def can_edit(rule: Any) -> bool:
    """Whether `rule` has a cell grid the brush, patterns and RLE can edit."""
    return isinstance(rule, GridEditing)


def has_rule_text(rule: Any) -> bool:
    """Whether `rule` takes a typed rule string."""
    return isinstance(rule, RuleText)


def has_entities(rule: Any) -> bool:
    """Whether `rule` exposes entities to draw."""
    return isinstance(rule, EntityWorld)
