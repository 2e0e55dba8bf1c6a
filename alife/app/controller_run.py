"""Running half of the controller facade: the per-frame tick (pipelined chunks), single steps,
step back, the speed setting, and the compiled functions of a rule instance. Mixed into
`Controller`, whose world, history and `_set` it uses.

Three engines run a world, chosen by what the World is: a fixed grid (`Compiled.frame`: `n`
generations in one compiled call), a window onto Golly's unbounded plane (`world.origin` set;
`Compiled.plane`: the same chunk with the window re-centred on the device, then resized on the
host between frames by `alife.core.plane.refit`), and HashLife (`world.universe` set;
`alife.app.controller_hashlife`, stepped on a worker thread).
"""

from __future__ import annotations

import time
from typing import Any

import jax
import numpy as np

from alife.core import plane, rollout
from alife.core.rule import PlaneWindow, Rule, can_edit, has_entities


class Compiled:
    """The jitted functions of one rule instance; `traces` counts how often `frame` (or `plane`)
    was traced."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.traces = 0

        def frame(key, state, params, n):
            self.traces += 1
            state = rollout.advance(rule, key, state, params, n)
            return state, rule.view(state, params), rule.metrics(state, params)

        self.frame = jax.jit(frame)
        self.plane: Any = None
        if isinstance(rule, PlaneWindow):  # a window onto the unbounded plane

            def on_plane(key, state, params, n, margin):
                self.traces += 1
                state, shift, done, box = plane.plane_run(rule, key, state, params, n, margin)
                return (state, rule.view(state, params), rule.metrics(state, params), shift,
                        done, box)

            self.plane = jax.jit(on_plane)
        self.look = jax.jit(lambda s, p: (rule.view(s, p), rule.metrics(s, p)))
        self.paint = self.cells = self.cell_at = None
        if can_edit(rule):  # grid editing is a capability (`alife.core.rule.GridEditing`)
            self.paint = jax.jit(rule.paint)
            self.cells = jax.jit(rule.cells)
            self.cell_at = jax.jit(lambda s, r, c: rule.cells(s)[r, c])
        self.entities = jax.jit(rule.entities) if has_entities(rule) else None
        #: the first call of `frame`, compiling on a worker thread (`alife.app.compiling`)
        self.warmup: Any = None
        self._warm = False

    def ready(self) -> bool:
        """Whether `frame` has been compiled (called once to the end without an error)."""
        if not self._warm and self.warmup is not None and self.warmup.ok:
            self._warm = True
        return self._warm


class RunMixin:
    """Tick, step, step back and speed of `Controller` (see the module docstring)."""

    # ---- running -----------------------------------------------------------------------------
    def tick(self, prev_frame_seconds: float = 0.0) -> int:
        """Called once per frame; returns the generations shown this frame.

        Pipelined: first show the chunk dispatched last frame (waiting for it only if it is not
        ready yet), then, if playing, dispatch the next chunk, which XLA computes on its own
        threads while the app draws this frame. What is shown lags what is computed by one
        chunk; a chunk whose starting world was changed meanwhile (an edit, undo, a slider,
        pausing) is dropped rather than shown.
        """
        if self.world.universe is not None:
            return self.hashlife_tick()
        shown = self._collect(prev_frame_seconds)
        n = self.speed.steps_this_frame() if self.playing else 0
        if n > 0:
            if not self._run_recorded:
                self._record("run")
            self._dispatch(n)
        self._count(shown, 1)
        return shown

    def _frame_call(self, compiled: Compiled, n: int) -> tuple[Any, tuple]:
        """(compiled function, its arguments) for a chunk of `n` generations."""
        args = (self.world.key, self.state, self.params, np.int32(n))
        if self.world.origin is not None and compiled.plane is not None:
            margin = plane.margin_for(self.rule, self.plane_box)
            return compiled.plane, args + (np.int32(margin),)
        return compiled.frame, args

    def _dispatch(self, n: int) -> None:
        """Start computing `n` generations from the world shown (collected next frame). The
        first call of a rule's step compiles; with `background_compile` it runs on a worker
        thread (`alife.app.compiling.Warmup`) and nothing more is dispatched until it is done."""
        compiled = self.compiled()
        function, args = self._frame_call(compiled, n)
        if self.background_compile and not compiled.ready():
            warmup = compiled.warmup
            if warmup is not None and not warmup.done:
                return  # still compiling: the window keeps drawing
            from alife.app.compiling import Warmup

            compiled.warmup = out = Warmup(f"{self.rule.family} step", function, args)
        else:
            out = function(*args)
        self._pending = (out, n, time.perf_counter(), self.rule, self.params, self.state)

    @property
    def compiling(self) -> str:
        """"compiling <family> step... 12 s" while the running rule's step compiles in the
        background, else ""."""
        compiled = self._compiled.get(self.rule)
        warmup = None if compiled is None else compiled.warmup
        return warmup.text() if warmup is not None and not warmup.done else ""

    def _collect(self, prev_frame_seconds: float = 0.0, block: bool = False) -> int:
        pending, self._pending = self._pending, None
        if pending is None:
            return 0
        out, n, dispatched, rule, params, base = pending
        warmup = None
        if not isinstance(out, tuple):  # a first call compiling on a worker thread
            warmup = out
            if not warmup.done and not block:
                self._pending = pending  # keep showing the world until it is compiled
                return 0
            warmup.wait()
            if warmup.error is not None:
                self.playing = False
                err = warmup.error
                self.message = (f"the {rule.family} step failed: {type(err).__name__}: "
                                f"{str(err)[:300]}")
                compiled = self._compiled.get(rule)
                if compiled is not None:
                    compiled.warmup = None  # Play tries again
                return 0
            out = warmup.result
        state, view, metrics = out[:3]
        if rule is not self.rule or params is not self.params or base is not self.state:
            return 0
        t0 = time.perf_counter()
        jax.block_until_ready(view)
        ready = time.perf_counter()
        ui = max(prev_frame_seconds - self._waited, 0.0)
        self._waited = ready - t0
        origin = self.world.origin
        if len(out) > 3:  # on the plane: the window moved; fewer generations when it is full
            n, origin = self._plane_collected(*out[3:])
        if warmup is None:  # a compile's seconds say nothing about the step's speed
            self.speed.observe(n, ready - dispatched, self._waited, ui)
        self._set(self.rule, self.params, state, self.world.key, view=view, metrics=metrics,
                  origin=origin)
        if len(out) > 3:
            self._plane_box = plane.box_of(out[5])
            self._plane_refit()
        return n

    def sync(self) -> int:
        """Show the chunk in flight now (blocking, a compile included); returns its
        generations."""
        if self.world.universe is not None:
            return self.hashlife_wait()
        shown = self._collect(block=True)
        self._count(shown, 0)
        return shown

    def advance(self, n: int) -> None:
        """Compute `n` generations now (one compiled call) and show the result.

        Like Golly, running is undoable: the first advance after an edit records the world
        before it, so undo first goes back to where the run started, then undoes the edit.
        """
        if self.world.universe is not None:
            self.hashlife_advance(n)
            return
        if not self._run_recorded:
            self._record("run")
        if self.world.origin is not None:
            rule, state, origin = plane.advance(self.rule, self.world.key, self.state,
                                                self.params, self.world.origin, n)
            self._set(rule, self.params, state, self.world.key, origin=origin)
            self._plane_refit()
            return
        compiled = self.compiled()
        state, view, metrics = compiled.frame(self.world.key, self.state, self.params,
                                              np.int32(n))
        compiled._warm = True
        self._set(self.rule, self.params, state, self.world.key, view=view, metrics=metrics)

    def _count(self, steps: int, frames: int) -> None:
        meter = self._meter
        meter[1] += steps
        meter[2] += frames
        elapsed = time.perf_counter() - meter[0]
        if elapsed >= 0.5:
            self.steps_per_second = meter[1] / elapsed
            self.frames_per_second = meter[2] / elapsed
            self._meter = [time.perf_counter(), 0, 0]

    def toggle_play(self) -> None:
        """Play or pause; pausing drops the chunk in flight, so what is shown is what stays."""
        self.playing = not self.playing
        if not self.playing:
            self._pending = None

    def step_once(self) -> None:
        """Pause and advance one generation (one step of 2^k with HashLife, as in Golly)."""
        self.playing = False
        self._pending = None
        if self.world.universe is not None:
            self.hashlife_advance(max(1, self.speed.base ** max(self.speed.exponent, 0)))
            return
        self.advance(1)

    def request_step(self) -> None:
        """Step once from the UI (N, the Step button): like `step_once`, except that a step not
        compiled yet compiles in the background (`background_compile`) and shows when done."""
        if self.world.universe is not None or not self.background_compile \
                or self.compiled().ready():
            self.step_once()
            return
        self.playing = False
        if self.compiling:
            self.message = f"{self.compiling}: step again when it is done"
            return
        self._pending = None
        if not self._run_recorded:
            self._record("run")
        self._dispatch(1)

    def step_back(self) -> bool:
        """Pause and show the previous remembered frame; False if there is none."""
        self.playing = False
        self._pending = None
        back = self.rewind.pop()
        if back is None or self.world.universe is not None:
            self.message = ("HashLife keeps no earlier generations; Reset goes back to the "
                            "start" if self.world.universe is not None
                            else "no earlier state in the rewind buffer")
            return False
        self.history.touch()  # the world shown is no longer the one saved
        self._set(self.rule, self.params, back[0], back[1], push=False, origin=back[2])
        return True

    def faster(self) -> None:
        self.speed.faster()

    def slower(self) -> None:
        self.speed.slower()

    def set_fastest(self, on: bool) -> None:
        self.speed.fastest = bool(on)
