"""HashLife in the controller facade: a two-state Life-like world on Golly's unbounded plane run
by our HashLife (`alife.rules.life.hashlife.Universe`), with Golly's "step 2^k".

A HashLife world is a World whose `universe` is a `HashLifeRun`: the universe, how to rebuild
its start (Reset) and its picture (`alife.rules.life.hashlife_view`). Its rule is the same
Life-like rule on a small window (for the rule panel and for switching back to the grid); its
state is not stepped. Each frame with Play on advances the universe by the speed setting's
base^exponent generations (Golly's step exponent, up to 2^62) on a worker thread, so even a
metapixel pattern whose step takes seconds leaves the window responsive; what is shown is the
last finished generation.

The picture covers what the window's camera sees (`hashlife_look`, called each frame with the
visible plane rectangle and the cells per pixel): zoomed out, one pixel shows whether any cell
of its square is alive. `world.origin` is the picture's top-left, so the camera, the cursor and
the status bar work in the same window coordinates as on a grid window.

Edits need a grid: an edit switches to a grid window when the pattern fits one
(`MAX_GRID_SIDE`), else it is refused with the reason. Runs are undoable as on a grid (Golly's
way: undo goes back to where the run started): an undo entry keeps the universe's root node for
the generation it remembers (`alife.core.frozen_roots`; a HashLife node never changes, so that
is one integer, carried across the node table's rebuilds), and so do opening, switching and
edits.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from alife.core import plane
from alife.core.errors import AlifeError

#: the largest bounding box (cells per side) that an edit turns into a grid window
MAX_GRID_SIDE = 4096
#: Golly's largest step exponent in HashLife here (generations are Python ints)
MAX_EXPONENT = 62
#: picture rectangles are this much larger than the view on every side (a pan re-renders less)
PAD = 0.5


@dataclasses.dataclass
class HashLifeRun:
    """A world's HashLife engine: the universe, its start, and its picture."""

    universe: Any
    start: Callable[[], Any]
    view: Any = None
    #: (x0, y0, width, height, shift, generation, epoch) of the picture shown
    shown: tuple | None = None
    #: the worker thread stepping the universe, and what it left when it ended
    worker: threading.Thread | None = None
    result: list = dataclasses.field(default_factory=list)
    #: bounding box (x0, y0, x1, y1) and population as of the last finished step (read here,
    #: not from the universe, which the worker may be changing)
    box: tuple[int, int, int, int] | None = None
    population: int = 0
    #: the picture maker for this kind of universe (default: the two-state QuadtreeView)
    make_view: Callable[[Any], Any] | None = None

    def __post_init__(self) -> None:
        from alife.rules.life.hashlife_view import QuadtreeView

        self.view = (self.make_view or QuadtreeView)(self.universe)
        self.box, self.population = self.universe.bounding_box(), self.universe.population()

    @property
    def busy(self) -> bool:
        return self.worker is not None and self.worker.is_alive()

    @property
    def generation(self) -> int:
        return self.universe.generation


def hashlife_world(run: HashLifeRun, name: str, description: str = "",
                   rule: Any = None) -> Any:
    """A World run by `run`: its rule the universe's rule on a small blank window (`rule`: that
    window rule, given for a multi-state universe; default the Life-like rule's)."""
    import jax

    from alife.scene.world import World

    look = "binary"
    if rule is None:
        from alife.rules.life.rule import LifeRule

        rule = LifeRule(run.universe.rule_text).plane_window(plane.MIN_SIDE, plane.MIN_SIDE)
        assert rule is not None  # HashLife's rules are Life-like without B0
    else:
        look = rule.look
    params = rule.default_params()
    key = jax.random.PRNGKey(0)
    return World(rule=rule, params=params, state=rule.init(key, params), key=key,
                 name=name, description=description, init={"empty": {}},
                 view={"look": look}, origin=(0, 0), universe=run)


def table_world(path: Any, force: bool = False) -> Any:
    """A HashLife World for a rule-table pattern too large for the grid engine (or any
    rule-table pattern with `force`), on the multi-state universe; None for other files."""
    from pathlib import Path

    from alife.rules.ruletable import hashlife_open
    from alife.rules.ruletable.hashlife_view import StateQuadtreeView
    from alife.rules.ruletable.rule import RuleTableRule
    from alife.scene import hashlife_patterns as patterns

    path = Path(path).expanduser()
    if not patterns.is_pattern_file(path):
        return None
    try:
        src = patterns.source(path)
        if not hashlife_open.opens_on_hashlife(src, force=force):
            return None
        universe, name, comments = hashlife_open.universe_once(src, take=True)
        folder = src.folder
    finally:
        patterns.forget()  # the grid read for the check need not stay in memory
    rule = RuleTableRule(universe.rule_text, plane.MIN_SIDE, plane.MIN_SIDE, "plane",
                         folder=str(folder))
    run = HashLifeRun(universe,
                      lambda: hashlife_open.read_universe(patterns.PatternSource(path))[0],
                      make_view=StateQuadtreeView)
    return hashlife_world(run, name, "\n".join(comments), rule=rule)


def macrocell_world(path: Any) -> Any:
    """A HashLife World from a two-state macrocell file (.mc, .mc.gz); AlifeError naming the
    file and line when it cannot be read."""
    from pathlib import Path

    from alife.rules.life.macrocell import read_macrocell

    path = Path(path).expanduser()
    universe, comments = read_macrocell(path)
    run = HashLifeRun(universe, lambda: read_macrocell(path)[0])
    return hashlife_world(run, path.name.split(".")[0], "\n".join(comments))


class HashLifeMixin:
    """HashLife operations of `Controller` (see the module docstring)."""

    view_scale = 1  #: cells per pixel of `view_image` (HashLife zoomed out: > 1)

    @property
    def hashlife(self) -> HashLifeRun | None:
        return self.world.universe

    def hashlife_settings(self, world: Any) -> None:
        """What showing a world resets: the speed's largest exponent (Golly's 2^k)."""
        self.speed.max_exponent = MAX_EXPONENT if world.universe is not None else 16
        self.speed.exponent = min(self.speed.exponent, self.speed.max_exponent)
        self.view_scale = 1

    # ---- opening -----------------------------------------------------------------------------
    def open_hashlife(self, path: Any) -> str | None:
        """Open a two-state macrocell file (.mc, .mc.gz) as a HashLife world; error message or
        None."""
        from pathlib import Path

        try:
            world = macrocell_world(path)
        except AlifeError as exc:
            self.message = str(exc)
            return self.message
        self.playing = False
        self.apply_edit(f"open {Path(path).name}", world=world)
        self.message = f"opened {path} (HashLife: +/- set the step 2^k)"
        return None

    def switch_to_hashlife(self) -> str | None:
        """Run the current world on the unbounded plane with HashLife (a two-state Life-like
        rule, or a rule table on the multi-state universe); error message or None. Undoable."""
        from alife.rules.life.hashlife import Universe

        if self.world.universe is not None:
            return None
        text = self.rule_text
        try:
            if self.world.origin is None:
                raise AlifeError("HashLife runs a pattern on the unbounded plane; this world "
                                 "is a bounded grid")
            universe = Universe.for_rule(str(text))
        except AlifeError as exc:
            if self.world.origin is not None and self._switch_to_table_hashlife(str(text)) is None:
                return None  # a rule table: on the multi-state universe
            self.message = f"cannot switch to HashLife: {exc}"
            return self.message
        cells = self.cells()
        ys, xs = np.nonzero(cells)
        x0, y0 = self.world.origin
        universe.set_cells(xs + x0, ys + y0)
        universe.generation = self.generation
        start_cells = (xs + x0, ys + y0, self.generation)

        def start() -> Any:
            fresh = Universe.for_rule(str(text))
            fresh.set_cells(start_cells[0], start_cells[1])
            fresh.generation = start_cells[2]
            return fresh

        world = hashlife_world(HashLifeRun(universe, start), self.world.name,
                               self.world.description)
        self.playing = False
        self.apply_edit("switch to HashLife", world=world, same_view=True)
        self.message = "HashLife on the unbounded plane: +/- set the step 2^k"
        return None

    def _switch_to_table_hashlife(self, text: str) -> str | None:
        """`switch_to_hashlife` for a rule table (the multi-state universe; the rule found on
        the library's search path); None when switched, else why not."""
        from alife.rules.ruletable.hashlife import Universe as TableUniverse
        from alife.rules.ruletable.hashlife_view import StateQuadtreeView

        try:
            universe = TableUniverse.for_rule(text)
        except AlifeError as exc:
            return str(exc)
        cells = np.asarray(self.cells())
        ys, xs = np.nonzero(cells)
        x0, y0 = self.world.origin
        start_cells = (xs + x0, ys + y0, cells[ys, xs], self.generation)
        universe.set_cells(*start_cells[:3])
        universe.generation = self.generation

        def start() -> Any:
            fresh = TableUniverse.for_rule(text)
            fresh.set_cells(*start_cells[:3])
            fresh.generation = start_cells[3]
            return fresh

        run = HashLifeRun(universe, start, make_view=StateQuadtreeView)
        world = hashlife_world(run, self.world.name, self.world.description, rule=self.rule)
        self.playing = False
        self.apply_edit("switch to HashLife", world=world, same_view=True)
        self.message = "HashLife on the unbounded plane (multi-state): +/- set the step 2^k"
        return None

    # ---- running -----------------------------------------------------------------------------
    def hashlife_tick(self) -> int:
        """One frame of a HashLife world: show a finished step, start the next if playing."""
        run = self.world.universe
        shown = self._hashlife_finish(run)
        if self.playing and not run.busy:
            n = self.speed.steps_this_frame()
            if n > 0:
                if not self._run_recorded:
                    self._record("run")
                self._hashlife_start(run, n)
        self._count(shown, 1)
        return shown

    def _hashlife_start(self, run: HashLifeRun, n: int) -> None:
        run.result.clear()

        def work() -> None:
            started = time.perf_counter()
            try:
                run.universe.advance(n)
                box, population = run.universe.bounding_box(), run.universe.population()
                run.result[:] = [n, None, box, population, time.perf_counter() - started]
            except (AlifeError, MemoryError, RecursionError) as exc:
                run.result[:] = [0, exc, None, 0, 0.0]

        run.worker = threading.Thread(target=work, name="hashlife step", daemon=True)
        run.worker.start()

    def _hashlife_finish(self, run: HashLifeRun) -> int:
        """Show the step the worker finished (0 while it runs or when none ran)."""
        if run.worker is None or run.worker.is_alive():
            return 0
        run.worker = None
        n, error, box, population, seconds = run.result
        if error is not None:
            self.playing = False
            self.message = f"HashLife step failed: {error}"
            return 0
        run.box, run.population = box, population
        self.speed.sec_per_step = seconds / max(n, 1)
        self.history.touch()
        self.hashlife_show()
        return n

    def hashlife_wait(self) -> int:
        """Wait for the step in flight and show it; its generations."""
        run = self.world.universe
        if run.worker is not None:
            run.worker.join()
        return self._hashlife_finish(run)

    def hashlife_advance(self, n: int) -> None:
        """Advance `n` generations now (blocking) and show the result."""
        run = self.world.universe
        self.hashlife_wait()
        if not self._run_recorded:
            self._record("run")
        self._hashlife_start(run, n)
        self.hashlife_wait()

    def hashlife_thaw(self, frozen: Any) -> None:
        """Back to a generation an undo entry remembered (when it is this world's universe's;
        an entry of a world replaced since keeps that world's own universe)."""
        run = self.world.universe
        if frozen.owner is not run.universe:
            return
        run.universe.thaw(frozen)
        run.box, run.population = run.universe.bounding_box(), run.universe.population()

    def hashlife_reset(self) -> None:
        """Back to the universe the world started from (undoable)."""
        run = self.world.universe
        self.hashlife_wait()
        fresh = HashLifeRun(run.start(), run.start, make_view=run.make_view)
        self.playing = False
        self.apply_edit("reset", world=dataclasses.replace(self.world, universe=fresh))

    # ---- the picture -------------------------------------------------------------------------
    def hashlife_look(self, x0: int, y0: int, width: int, height: int, cells_per_pixel: float
                      ) -> None:
        """The window sees the plane rectangle [x0, x0 + width) x [y0, y0 + height) with this
        many cells per screen pixel: draw that part (with a margin) when it is not drawn yet."""
        run = self.world.universe
        if run is None or run.busy:
            return
        shift = max(0, int(np.ceil(np.log2(max(cells_per_pixel, 1.0)) - 1e-9)))
        step = 1 << shift
        shown = run.shown
        if shown is not None and shown[4] == shift and shown[5] == run.generation \
                and shown[6] == run.universe.epoch and shown[0] <= x0 and shown[1] <= y0 \
                and x0 + width <= shown[0] + shown[2] and y0 + height <= shown[1] + shown[3]:
            return
        from alife.rules.life.hashlife_view import align

        pad_x, pad_y = int(width * PAD) + step, int(height * PAD) + step
        left, top = align(run.universe, x0 - pad_x, y0 - pad_y, shift)
        wide, high = width + 2 * pad_x + step, height + 2 * pad_y + step
        run.shown = (left, top, wide, high, shift, run.generation, run.universe.epoch)
        self._hashlife_draw(run)

    def _hashlife_draw(self, run: HashLifeRun) -> None:
        left, top, wide, high, shift = run.shown[:5]
        picture = run.view.render(left, top, wide, high, shift)
        self._view = picture if picture.ndim == 3 else picture[:, :, None]
        self.view_scale = 1 << shift
        self.world = dataclasses.replace(self.world, origin=(left, top))
        self.view_version = getattr(self, "view_version", 0) + 1

    def hashlife_show(self) -> None:
        """After a step or a new HashLife world: metrics, and the picture where it was."""
        run = self.world.universe
        self._metrics = {"generation": float(run.generation),
                         "population": float(run.population)}
        self.metrics_log.append(run.generation, self._metrics)
        if run.shown is None:  # before the window says what it sees: the whole pattern
            box = run.box or (0, 0, 0, 0)
            width, height = box[2] - box[0] + 1, box[3] - box[1] + 1
            shift = max(0, int(np.ceil(np.log2(max(width, height) / 1024))))
            step = 1 << shift
            from alife.rules.life.hashlife_view import align

            left, top = align(run.universe, box[0], box[1], shift)
            run.shown = (left, top, width + 2 * step, height + 2 * step, shift, run.generation,
                         run.universe.epoch)
        else:
            run.shown = run.shown[:5] + (run.generation, run.universe.epoch)
        self._hashlife_draw(run)

    # ---- edits -------------------------------------------------------------------------------
    def grid_for_edit_at(self, row: int, col: int) -> tuple[int, int] | None:
        """`grid_for_edit` for an edit at window cell (row, col): that cell in the grid
        window's coordinates (the same plane cell: the window's origin moves), None when the
        edit is refused."""
        before = self.world.origin
        if not self.grid_for_edit():
            return None
        after = self.world.origin
        if before is None or after is None:
            return row, col
        return row + before[1] - after[1], col + before[0] - after[0]

    def grid_for_edit(self) -> bool:
        """Before an edit: a HashLife world becomes a grid window when its pattern fits one
        (True), else the edit is refused with the reason (False). Other worlds: True."""
        run = self.world.universe
        if run is None:
            return True
        self.hashlife_wait()
        self.playing = False
        box = run.box
        width = 0 if box is None else max(box[2] - box[0], box[3] - box[1]) + 1
        if width > MAX_GRID_SIDE or run.generation >= 2**31:
            self.message = (f"HashLife world: the pattern is {width:,} cells across (generation "
                            f"{run.generation:,}); editing needs a grid window of at most "
                            f"{MAX_GRID_SIDE} cells and a generation below 2^31")
            return False
        cells, x0, y0 = run.universe.to_array()
        rule = self.rule
        window_box = plane.host_box(cells)
        state = rule.with_cells(rule.init(self.world.key, self.params),
                                np.zeros(rule.shape, np.int32))
        import jax.numpy as jnp

        state = dataclasses.replace(state, generation=jnp.asarray(run.generation, jnp.int32))
        if window_box is not None:  # the bounding box as a window, then fitted around it
            rule, state, origin = plane.refit(rule, self.params, state, (x0, y0), None,
                                              include=window_box)
            offset_y, offset_x = y0 - origin[1], x0 - origin[0]
            grid = np.zeros(rule.shape, np.int32)
            grid[offset_y:offset_y + cells.shape[0], offset_x:offset_x + cells.shape[1]] = cells
            state = rule.with_cells(state, grid)
        else:
            origin = (0, 0)
        world = dataclasses.replace(self.world, rule=rule, state=state, origin=origin,
                                    universe=None)
        self.apply_edit("back to a grid window", world=world, same_view=True)
        self.message = "HashLife world turned into a grid window for editing"
        return True
