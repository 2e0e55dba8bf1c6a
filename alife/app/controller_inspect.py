"""Looking into a world: the rule label, a cell inspector, entities to draw, cell state names,
and the place and remove tools.

Mixed into `Controller`. Everything here is an optional capability of a family
(`alife.core.rule`), tested with `isinstance`, so the app works with any rule and gains features
when a family declares them:

- `Inspecting.inspect(state, params, row, col) -> dict` (a cell inspector): `inspect_cell` turns
  the answer into plain Python values for the Inspector panel. An integer `"slot"` entry names
  the entity at that cell, which the camera can follow.
- `EntityWorld.entities(state, params) -> Entities`: `entity_discs` gives the live entities'
  positions and colours for the window's disc renderer; `entity_position(k)` where slot k is
  (None once it died). `Linked.links` gives the message lines (`entity_links`).
- `NamedStates.state_names` (a tuple of str, one per cell state): the brush's state picker and
  the status bar show names instead of numbers.
- `Placing.place_choices(params)` / `Placing.place(state, params, row, col, choice)` (the place
  tool: an agent, a robot, a seed with a program) and `Removing.remove_entities(state, params,
  mask)` (the remove tool, under the brush). Each goes through `Controller.apply_edit`, so it is
  undoable; when `place` raises `AlifeError`, or a remove press finds nothing, the tool says
  why (the status bar, and a note by the mouse: `AppState.warn`).
"""

from __future__ import annotations

import re
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.app import editing
from alife.core.errors import AlifeError
from alife.core.rule import (
    EntityWorld,
    Inspecting,
    Linked,
    NamedStates,
    Placing,
    Removing,
    has_entities,
)

MAX_LIST = 16  # longest array shown element by element in the inspector


def plain(value: Any) -> Any:
    """A JAX / NumPy value as plain Python: scalars, short lists, or a shape summary."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (str, bool, int, float)) or value is None:
        return value
    array = np.asarray(value)
    if array.ndim == 0:
        item = array.item()
        return float(item) if isinstance(item, float) else item
    if array.size <= MAX_LIST:
        return array.tolist()
    return f"array {array.dtype} {list(array.shape)}"


_SETTING = re.compile(r"([A-Za-z]\w*)=([^\s,]+)")
_REAL = re.compile(r"(?<![\w.])(-?\d+\.\d+)")


def merge_label(description: str, text: str) -> str:
    """A rule's one-line description followed by its rule text, for display: `name=value`
    settings of the description that the rule text states too are dropped (the text has their
    current value: after a deploy "R=13" must not stay while R is 12.84), and real numbers in
    the text are shown to 4 significant digits."""
    stated = {m.group(1) for m in _SETTING.finditer(text)}
    kept = [w for w in description.split()
            if not ((m := _SETTING.fullmatch(w)) and m.group(1) in stated)]
    shown = _REAL.sub(lambda m: f"{float(m.group(1)):.4g}", text)
    return f"{' '.join(kept)}  {shown}"


class InspectMixin:
    """Inspector, entities, state names and the rule label of `Controller` (module docstring)."""

    # ---- the label of what runs -----------------------------------------------------------------
    @property
    def rule_label(self) -> str:
        """One line naming what runs now: the rule restated from its current params (a typed
        rule, toggled Wolfram bits) plus its rule text when the description lacks it (sliders)."""
        cache = getattr(self, "_label", None)
        if cache is not None and cache[0] is self.rule and cache[1] is self.params \
                and cache[3] is self.world.universe:
            return cache[2]
        try:
            label = self.rule.restated(self.params)[0].describe()
        except Exception:  # noqa: BLE001  (a family bug must not end the app)
            label = self.rule.describe()
        if self.world.universe is not None:  # not the small blank window the rule keeps
            h, w = self.shape
            label = label.replace(f"{w}x{h} plane", "on HashLife (unbounded plane)")
        text = self.rule_text
        if text and text not in label:
            label = merge_label(label, text)
        self._label = (self.rule, self.params, label, self.world.universe)
        return label

    # ---- cell states ----------------------------------------------------------------------------
    @property
    def state_names(self) -> tuple[str, ...]:
        """Names of the cell states (`NamedStates`), or () when the family has none."""
        if not isinstance(self.rule, NamedStates):
            return ()
        return tuple(str(n) for n in self.rule.state_names)

    def state_name(self, value: float) -> str:
        """A cell value as shown: its state name when the family names its states."""
        names = self.state_names
        index = int(round(value))
        if names and 0 <= index < len(names) and index == value:
            return names[index]
        return f"{value:.3g}" if self.num_states == 0 else f"{int(value)}"

    # ---- the inspector --------------------------------------------------------------------------
    @property
    def can_inspect(self) -> bool:
        return isinstance(self.rule, Inspecting)

    def inspect_cell(self, row: int, col: int) -> dict[str, Any] | None:
        """What the rule says about cell (row, col), as plain values; None outside the grid or
        without an inspector. Cached until the world changes; an error becomes an entry."""
        h, w = self.shape
        if not self.can_inspect or not (0 <= row < h and 0 <= col < w):
            return None
        key = (self.view_version, self.rule, row, col)
        cache = getattr(self, "_inspected", None)
        if cache is not None and cache[0] == key:
            return cache[1]
        try:
            answer = plain(dict(self.rule.inspect(self.state, self.params, int(row), int(col))))
        except Exception as exc:  # noqa: BLE001
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        self._inspected = (key, answer)
        return answer

    # ---- entities -------------------------------------------------------------------------------
    @property
    def has_entities(self) -> bool:
        return has_entities(self.rule)

    def _entities_host(self) -> Any:
        """The rule's entities as host arrays, computed once per shown world."""
        key = (self.view_version, self.rule)
        cache = getattr(self, "_entities_cache", None)
        if cache is not None and cache[0] == key:
            return cache[1]
        fn = self.compiled().entities
        value = jax.device_get(fn(self.state, self.params)) if fn is not None else None
        self._entities_cache = (key, value)
        return value

    def entity_discs(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(positions [N, 2] (row, col) float32, colours [N, 4] float32) of live entities, or
        None when the rule has none."""
        ents = self._entities_host()
        if ents is None:
            return None
        alive = np.asarray(ents.alive, bool)
        return (np.asarray(ents.position, np.float32)[alive],
                np.asarray(ents.colour, np.float32)[alive])

    def entity_table(self) -> dict[str, np.ndarray] | None:
        """The live entities as host arrays: "position" [N, 2], "colour" [N, 4], "kind" [N] and
        "id" [N] (what the renderer draws and the legend counts), or None without entities."""
        ents = self._entities_host()
        if ents is None:
            return None
        alive = np.asarray(ents.alive, bool)
        return {"position": np.asarray(ents.position, np.float32)[alive],
                "colour": np.asarray(ents.colour, np.float32)[alive],
                "kind": np.asarray(ents.kind, np.int32)[alive],
                "id": np.asarray(ents.id, np.int32)[alive]}

    @property
    def entity_kinds(self) -> tuple[Any, ...]:
        """Each entity kind's `EntityKind` (name, shape, what its colour shows), () without
        entities."""
        return tuple(self.rule.entity_kinds()) if isinstance(self.rule, EntityWorld) else ()

    def entity_position(self, slot: int) -> tuple[float, float] | None:
        """(row, col) of entity slot `slot`, None if there is no such live entity."""
        ents = self._entities_host()
        if ents is None or not 0 <= slot < np.shape(ents.alive)[0] or not bool(ents.alive[slot]):
            return None
        row, col = np.asarray(ents.position[slot], np.float64)
        return float(row), float(col)

    @property
    def has_links(self) -> bool:
        return isinstance(self.rule, Linked)

    def entity_links(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """The rule's `links(state, params)`: (starts [M, 2], ends [M, 2], mask [M]) as host
        arrays (message lines), or None when the rule is not `Linked`."""
        if not self.has_links:
            return None
        fns = self.__dict__.setdefault("_links_fns", {})
        if self.rule not in fns:
            fns.clear()
            fns[self.rule] = jax.jit(self.rule.links)
        starts, ends, mask = jax.device_get(fns[self.rule](self.state, self.params))
        return (np.asarray(starts, np.float32), np.asarray(ends, np.float32),
                np.asarray(mask, bool))

    # ---- placing and removing -------------------------------------------------------------------
    #: what the place tool puts down: an index into `place_choices`
    place_choice = 0

    @property
    def can_place(self) -> bool:
        return isinstance(self.rule, Placing)

    @property
    def place_choices(self) -> tuple[str, ...]:
        """Labels of what the place tool can put down (`Placing.place_choices`), or ()."""
        if not isinstance(self.rule, Placing):
            return ()
        cache = getattr(self, "_place_choices", None)
        if cache is None or cache[0] is not self.rule or cache[1] is not self.params:
            cache = (self.rule, self.params,
                     tuple(str(c) for c in self.rule.place_choices(self.params)))
            self._place_choices = cache
        return cache[2]

    @property
    def can_remove(self) -> bool:
        return isinstance(self.rule, Removing)

    def place_at(self, row: int, col: int) -> str | None:
        """Place the chosen `place_choice` at a cell (an undoable edit); the reason nothing was
        placed (also in `message`), or None."""
        if not isinstance(self.rule, Placing):
            return f"the {self.rule.family} family places nothing"
        h, w = self.shape
        choices = self.place_choices
        if not choices or not (0 <= row < h and 0 <= col < w):
            return None
        choice = min(max(int(self.place_choice), 0), len(choices) - 1)
        try:
            state = self.rule.place(self.state, self.params, int(row), int(col), choice)
        except AlifeError as exc:
            self.message = f"cannot place {choices[choice]}: {exc}"
            return self.message
        except Exception as exc:  # noqa: BLE001  (a family bug: say so, keep going)
            self.message = f"cannot place {choices[choice]}: {type(exc).__name__}: {exc}"
            return self.message
        self.apply_edit(f"place {choices[choice]} at x {col}, y {row}", state=state)
        return None

    def remove_at(self, a: tuple[int, int], b: tuple[int, int],
                  first: bool = True) -> str | None:
        """Remove the entities under the brush dragged from cell `a` to `b` (one undo entry per
        drag: the first segment that removes something records it, later ones join it). A
        press that removes nothing changes nothing and says so (returned, and in `message`)."""
        if not isinstance(self.rule, Removing):
            return f"the {self.rule.family} family removes nothing"
        if first:
            self._removing = False
        mask = editing.stroke_mask(self.shape, a, b, self.brush_radius, wrap=self._wraps())
        state = self.rule.remove_entities(self.state, self.params, jnp.asarray(mask))
        if self.has_entities and self._alive_count(state) == self._alive_count(self.state):
            if first:
                self.message = (f"nothing to remove here: no entity under the brush (radius "
                                f"{self.brush_radius})")
                return self.message
            return None
        self.apply_edit("remove", state=state, join=bool(getattr(self, "_removing", False)))
        self._removing = True
        return None

    def _alive_count(self, state: Any) -> int:
        fn = self.compiled().entities
        return int(np.asarray(fn(state, self.params).alive).sum()) if fn is not None else 0
