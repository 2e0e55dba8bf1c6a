"""The one facade between the app and the engine (ALIEN-style): panels call only this.

It owns the World (rule, params, state, key) and everything that changes it: play/pause, single
step, step back (rewind buffer), Golly-style speed, reset/clear/random fill, brush strokes,
pasting, rectangular selections, undo/redo, rule strings, slider params, world size/topology,
and scene files. It imports JAX but no pygame, OpenGL or ImGui, so it is tested without a screen;
everything it hands out is plain Python or NumPy. Brush, selection and paste methods live in
`alife.app.controller_edit.EditingMixin`, rule strings, sliders and rebuilds in
`alife.app.controller_rule.RuleMixin`, running (tick, steps, speed) in
`alife.app.controller_run.RunMixin`, the unbounded plane's window in
`alife.app.controller_plane.PlaneMixin` and HashLife in
`alife.app.controller_hashlife.HashLifeMixin` (same object, split to keep files small).

Compiled code is cached per rule instance. The per-frame function advances `n` generations with
a `fori_loop` whose trip count is traced, so any speed and any chunk size share one compile, and
params are an argument, so moving a slider never recompiles. Each generation draws its PRNG key
as `fold_in(world.key, generation)`: stochastic rules replay identically after a step back and
do not depend on how generations were chunked into frames.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.app import editing
from alife.app.controller_edit import EditingMixin
from alife.app.controller_files import FilesMixin
from alife.app.controller_hashlife import HashLifeMixin
from alife.app.controller_inspect import InspectMixin
from alife.app.controller_plane import UNKNOWN, PlaneMixin
from alife.app.controller_rule import RuleMixin, same_structure
from alife.app.controller_run import Compiled, RunMixin
from alife.app.evolution import Evolution
from alife.app.history import Rewind, Snapshot, UndoStack
from alife.app.jobs import Jobs
from alife.app.metrics_log import MetricsLog
from alife.app.speed import Speed
from alife.core.errors import AlifeError
from alife.core.rule import Rule, can_edit
from alife.scene.world import World


class Controller(EditingMixin, FilesMixin, InspectMixin, RuleMixin, RunMixin, PlaneMixin,
                 HashLifeMixin):
    """Everything the app can do to a world. Methods that can fail on user input return an
    error message (or None) instead of raising, so panels can show it inline."""

    def __init__(self, world: World, rewind_bytes: int = 256 << 20) -> None:
        self.speed = Speed()
        self.rewind = Rewind(rewind_bytes)
        self.history = UndoStack()
        self.metrics_log = MetricsLog()
        self.playing = False
        self.message = ""
        #: compile a world's step on a worker thread the first time it runs, so the window
        #: keeps drawing (the app turns it on; headless callers keep the blocking first call)
        self.background_compile = False
        self.rule_error = ""
        # editing tools
        self.brush_radius = 0
        self.brush_value = 1.0
        self.selection: editing.Rect | None = None
        self.clipboard: np.ndarray | None = None
        self.paste_pattern: np.ndarray | None = None
        self.paste_rotate = 0
        self.paste_flip_x = False
        self.paste_flip_y = False
        self.paste_mode = "or"
        # timing
        self.steps_per_second = 0.0
        self.frames_per_second = 0.0
        self._meter = [time.perf_counter(), 0, 0]  # window start, steps, frames
        self._pending: tuple | None = None  # the chunk dispatched last frame, being computed
        self._waited = 0.0  # how long the last collection blocked
        self._compiled: dict[Rule, Compiled] = {}  # rules compare by (type, config)
        self.jobs = Jobs(self)
        self.evolution = Evolution(self)  # the Evolve panel's session and job
        self._stroke: tuple[int, int] | None = None
        self._random_count = 0
        self._run_recorded = False
        self._param_edit: str | None = None  # the slider whose drag the last undo entry holds
        self.set_world(world)

    # ---- the status-bar note ------------------------------------------------------------------
    @property
    def message(self) -> str:
        """The last note for the status bar (errors included); `message_time` says when it was
        set, so the bar can let it expire."""
        return self._message

    @message.setter
    def message(self, text: str) -> None:
        self._message = text
        self.message_time = time.monotonic()

    # ---- the world ---------------------------------------------------------------------------
    @property
    def rule(self) -> Rule:
        return self.world.rule

    @property
    def params(self) -> Any:
        return self.world.params

    @property
    def state(self) -> Any:
        return self.world.state

    @property
    def generation(self) -> int:
        universe = self.world.universe
        return int(self.world.state.generation) if universe is None else universe.generation

    @property
    def shape(self) -> tuple[int, int]:
        return tuple(self.rule.shape)

    def compiled(self, rule: Rule | None = None) -> Compiled:
        rule = rule or self.rule
        if rule not in self._compiled:
            if len(self._compiled) >= 4:
                self._compiled.pop(next(iter(self._compiled)))
            self._compiled[rule] = Compiled(rule)
        return self._compiled[rule]

    def set_world(self, world: World) -> None:
        """Start afresh with `world` (the window's first world): no undo history. Everything
        the user does later, opening a file included, goes through `apply_edit`."""
        self.world = world
        self.rewind.clear()
        self.history.clear()
        self._new_world_settings(world)
        self._set(world.rule, world.params, world.state, world.key, push=True)
        self.mark_clean()  # nothing to save yet

    def _new_world_settings(self, world: World) -> None:
        """What showing another whole world (a file, a restored autosave) resets."""
        self.world_serial = getattr(self, "world_serial", 0) + 1  # the window re-reads `view`
        self.metrics_log.clear()
        self.selection = None
        self.rule_error = ""
        exp = int(np.log2(max(int(world.run.get("steps_per_frame", 1)), 1)))
        self.speed.exponent = exp
        self.hashlife_settings(world)

    def _set(self, rule: Rule, params: Any, state: Any, key: Any, push: bool = True,
             view: Any = None, metrics: Any = None, origin: Any = UNKNOWN) -> None:
        """Show the world with these parts (and, on the unbounded plane, this window origin;
        by default the current one)."""
        if rule is not self.world.rule and not same_structure(self.world.state, state):
            self.rewind.clear()
        self.world = dataclasses.replace(
            self.world, rule=rule, params=params, state=state, key=key,
            origin=self.world.origin if origin is UNKNOWN else origin)
        self._plane_box = UNKNOWN  # measured again when asked
        if self.world.universe is not None:
            self.hashlife_show()
            return
        if view is None:
            view, metrics = self.compiled().look(state, params)
        self._view = np.asarray(view)
        self._metrics = {k: float(v) for k, v in jax.device_get(metrics).items()}
        self.view_version = getattr(self, "view_version", 0) + 1
        self.metrics_log.append(self.generation, self._metrics)
        if push:
            self.rewind.push(state, key, self.world.origin)

    def snapshot(self, label: str = "", whole: bool = False) -> Snapshot:
        """The world as undo remembers it; `whole` keeps the whole World too (name, path,
        view...), for edits that replace it (open, restore)."""
        w = self.world
        frozen = None if w.universe is None else w.universe.universe.freeze()
        return Snapshot(w.rule, w.params, w.state, w.key, label, w if whole else None,
                        origin=w.origin, frozen=frozen)

    def _record(self, label: str, whole: bool = False) -> None:
        """Remember the world before an edit (for undo)."""
        self.history.record(self.snapshot(label, whole))
        self._run_recorded = label == "run"
        if label != "run":
            self._param_edit = None  # a slider moved after another edit is a new entry

    def apply_edit(self, label: str, *, rule: Rule | None = None, params: Any = None,
                   state: Any = None, key: Any = None, world: World | None = None,
                   join: bool = False, origin: Any = UNKNOWN, same_view: bool = False) -> None:
        """The one way the app edits a world: record an undo entry named `label`, then show the
        world with the given parts replaced (the others stay).

        Brush strokes, place and remove, reset, clear, fills, pastes, rule changes, Evolve's
        Deploy, trained weights, opening a file and restoring the autosave all come through
        here, so Ctrl+Z undoes each. `world` replaces the whole World (an opened file): undo
        brings back the old one's name, path and view too. `join` continues the edit recorded
        last (the rest of a brush stroke or remove drag: one undo entry per drag). `origin`
        moves a window onto the unbounded plane (with a `rule` of another size: Reset).
        `same_view`: `world` is the same pattern run by another engine (HashLife <-> grid
        window), so the view, the step exponent and the plots stay as they are.
        """
        if not join:
            self._record(label, whole=world is not None)
        else:
            self.history.touch()  # still a change: the world is no longer the saved one
        if world is not None:
            rule, params, state, key = world.rule, world.params, world.state, world.key
            w = self.world
            self.world = dataclasses.replace(world, rule=w.rule, params=w.params,
                                             state=w.state, key=w.key)
            if same_view:
                self.hashlife_settings(world)
            else:
                self._new_world_settings(world)
            self.rewind.clear()  # Back must not show the previous world's frames
        self._set(rule or self.rule, self.params if params is None else params,
                  self.state if state is None else state,
                  self.world.key if key is None else key, push=state is not None,
                  origin=origin)

    def _edit(self, label: str, state: Any, rule: Rule | None = None, params: Any = None) -> None:
        """`apply_edit` of a state (and maybe rule/params)."""
        self.apply_edit(label, rule=rule, params=params, state=state)

    # ---- what the renderer and the info panels read --------------------------------------------
    def view_image(self) -> np.ndarray:
        """The rule's `view` of the current state: `[H, W, C]` uint8 or float32 (host array)."""
        return self._view

    @property
    def look(self) -> str:
        return str(self.world.view.get("look", self.rule.look))

    @property
    def num_states(self) -> int:
        return int(self.rule.num_states)

    @property
    def metrics(self) -> dict[str, float]:
        return dict(self._metrics)

    def population(self) -> float:
        return self.population_field()[1]

    def population_field(self) -> tuple[str, float]:
        """(label, value) of the world's size for the status bar: the rule's own "population",
        "mass" or "alive" metric, else the grid's count of live cells (or mass)."""
        m = self._metrics
        for name in ("population", "mass", "alive"):
            if name in m:
                return ("population" if name == "alive" else name), m[name]
        label = "mass" if self.num_states == 0 else "population"
        return label, float(self.rule.population(self.state)) if self.can_edit else 0.0

    def cell_value(self, row: int, col: int) -> float | None:
        """The state (or level) of one cell, None outside the grid. In a HashLife world: the
        universe's cell at that plane point, None while a step is in flight (the worker may be
        rebuilding the node table)."""
        run = self.world.universe
        if run is not None:
            if run.busy:
                return None
            return float(run.universe.cell(*self.plane_xy(row, col)))
        h, w = self.shape
        cell_at = self.compiled().cell_at
        if cell_at is None or not (0 <= row < h and 0 <= col < w) \
                or self.world.universe is not None:
            return None
        return float(cell_at(self.state, row, col))

    def cells(self) -> np.ndarray:
        """The whole `[H, W]` cell grid as a host array (the picked channel's, `ShapeMixin`)."""
        if self.cell_channels >= 2 and self.cell_channel >= 0:
            return self.channel_levels()[self.cell_channel]
        return np.asarray(self.compiled().cells(self.state))

    # ---- whole-world edits ---------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the scene's initial condition (undoable)."""
        if self.world.universe is not None:
            self.hashlife_reset()
            return
        rule, origin = self.plane_start()  # on the plane: the window the world started in
        try:
            from alife.scene.io import reset_state

            state = reset_state(dataclasses.replace(self.world, rule=rule))
        except (ImportError, AlifeError):
            state = rule.init(self.world.key, self.params)
        self.playing = False
        self.apply_edit("reset", rule=rule, state=state, origin=origin)

    @property
    def can_edit(self) -> bool:
        """Whether the rule has a cell grid to paint, fill, select and paste."""
        return can_edit(self.rule)

    def clear(self) -> None:
        if not self.grid_for_edit():
            return
        if not self.can_edit:
            self.message = f"the {self.rule.family} family has no cell grid to clear"
            return
        self._edit("clear", self.rule.blank(self.params))

    def random_fill(self, density: float) -> None:
        if not self.grid_for_edit():
            return
        if not self.can_edit:
            self.message = f"the {self.rule.family} family has no cell grid to fill"
            return
        self._random_count += 1
        key = jax.random.fold_in(jax.random.fold_in(self.world.key, 0x5EED), self._random_count)
        cells = self.rule.random_cells(key, float(density))
        self._edit(f"random fill {density:.2f}", self.rule.with_cells(self.state, cells))

    def set_cells(self, cells: np.ndarray, label: str) -> None:
        if self.cell_channels >= 2 and self.cell_channel >= 0:  # a picked channel alone
            self._edit(label, self.rule.with_channel(self.state, self.cell_channel, cells))
            return
        cells = jnp.asarray(cells, dtype=self.rule.cells(self.state).dtype)
        self._edit(label, self.rule.with_cells(self.state, cells))

    # ---- undo / redo ---------------------------------------------------------------------------
    def undo(self) -> bool:
        if self.world.universe is not None:
            self.hashlife_wait()  # its generation must not change under the snapshot
        snap = self.history.undo(self.snapshot(whole=True))
        if snap is None:
            self.message = "nothing to undo"
            return False
        self._restore(snap)
        self.message = f"undid {snap.label}" if snap.label else "undone"  # older notes are stale
        return True

    def redo(self) -> bool:
        if self.world.universe is not None:
            self.hashlife_wait()
        snap = self.history.redo(self.snapshot(whole=True))
        if snap is None:
            self.message = "nothing to redo"
            return False
        self._restore(snap)
        self.message = f"redid {snap.label}" if snap.label else "redone"
        return True

    def _restore(self, snap: Snapshot) -> None:
        self.playing = False
        self._run_recorded = False
        self._param_edit = None
        self.rule_error = ""
        if snap.world is not None:  # an edit that replaced the whole world (open, restore)
            w = self.world
            self.world = dataclasses.replace(snap.world, rule=w.rule, params=w.params,
                                             state=w.state, key=w.key)
            self._new_world_settings(snap.world)
        if snap.frozen is not None and self.world.universe is not None:
            self.hashlife_thaw(snap.frozen)
        self._set(snap.rule, snap.params, snap.state, snap.key, origin=snap.origin)
