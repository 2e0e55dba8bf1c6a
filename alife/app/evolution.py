"""Evolution of one controller: the interactive session and the headless job the Evolve panel
drives (`controller.evolution`, composed like `controller.jobs`).

Panels never import JAX or touch a session's arrays: they call this component. The session
itself (`alife.app.evolve_session.EvolveSession`, JAX) is imported when a round opens, so
building a controller loads no evolution code. Deploying a candidate goes through
`Controller.apply_edit` (undoable, like every edit).

API:
    evolution.available()                whether the running world has a genome to evolve
    evolution.open(n, steps, sigma, seed)   a new round from the running world (error or None)
    evolution.session                    the open session for the running rule, or None
    evolution.select(i) / selected       the candidate the user clicked
    evolution.pick(i=None)               candidate i (default: the selected one) becomes parent
    evolution.undo() / reroll()          back a round / other mutants of the same parent
    evolution.play(steps)                run every candidate `steps` more generations
    evolution.deploy(i=None)             open candidate i as the main world (undoable)
    evolution.round_text(), thumbnails(size), captions()   what the panel shows
    evolution.start_job() / stop_job() / job() / job_active() / use_best() / fitness_history()
                                         the scene's `evolution:` block as the "evolution" job
"""

from __future__ import annotations

from typing import Any

import numpy as np

from alife.core.errors import AlifeError

JOB = "evolution"


class Evolution:
    """The interactive-evolution session and evolution job of one controller."""

    def __init__(self, controller: Any) -> None:
        self.controller = controller
        self._session: Any = None
        self._evolvable: dict[Any, bool] = {}  # rule -> whether its params have a genome

    # ---- the interactive session -------------------------------------------------------------
    def available(self) -> bool:
        """Whether the running world can be evolved: it has sliders, or weights or tables
        without sliders (cached per rule; rules compare by config)."""
        c = self.controller
        if c.param_specs():
            return True
        rule = c.rule
        if rule not in self._evolvable:
            from alife.app.evolve_session import has_genome

            if len(self._evolvable) >= 64:
                self._evolvable.clear()
            self._evolvable[rule] = has_genome(rule, c.params)
        return self._evolvable[rule]

    @property
    def session(self) -> Any:
        """The open `EvolveSession`, if it was opened for the running rule (else None)."""
        if self._session is not None and self._session.rule != self.controller.rule:
            return None
        return self._session

    def open(self, n: int = 8, steps: int | None = None, sigma: float | None = None,
             seed: int = 0, **options: Any) -> str | None:
        """A new session from the running world (replacing any); an error message or None.
        `options` go to `EvolveSession` (per-group mutation `sizes`, the `viable` filter and
        its `low` / `high` bounds, `background`)."""
        from alife.app.evolve_session import EvolveSession

        try:
            self._session = EvolveSession(self.controller.world, n, steps, sigma, seed,
                                          **options)
        except AlifeError as exc:
            return str(exc)
        return None

    def caption_choices(self) -> list[str]:
        """What the candidates' captions can show: fitness names, then "size"."""
        from alife.app.evolve_session import caption_choices

        try:
            return caption_choices(self.controller.world)
        except AlifeError:
            return []

    def mutation_groups(self) -> list[tuple[str, float, str]]:
        """(gene group, default mutation size, unit) of the running world's genome, for the
        panel's per-group mutation sizes (cached per world); [] without a genome."""
        c = self.controller
        cache = getattr(self, "_groups", None)
        if cache is None or cache[0] != c.rule or cache[1] is not c.params \
                or cache[2] != c.world_serial:
            from alife.app.evolve_session import mutation_groups

            try:
                groups = mutation_groups(c.world)
            except AlifeError:
                groups = []
            self._groups = cache = (c.rule, c.params, c.world_serial, groups)
        return cache[3]

    @property
    def selected(self) -> int | None:
        session = self.session
        return None if session is None else session.selected

    def select(self, i: int | None) -> None:
        """Mark candidate `i` (None: no candidate) as the one Pick and Deploy act on."""
        if (session := self.session) is not None:
            if i is not None:
                session.check(i)
            session.selected = i

    def pick(self, i: int | None = None) -> bool:
        """Candidate `i` (default: the selected one) becomes the parent of the next round."""
        session, i = self._target(i)
        if session is None:
            return False
        session.pick(i)
        return True

    def undo(self) -> bool:
        """Back to the previous round (its parent and the same mutants)."""
        session = self.session
        return session is not None and session.undo()

    def reroll(self) -> bool:
        """Other mutants of the same parent."""
        if (session := self.session) is None:
            return False
        session.reroll_round()
        return True

    def play(self, steps: int) -> None:
        """Run every candidate `steps` more generations (the panel's "play", once a frame)."""
        if (session := self.session) is not None:
            session.advance(steps)

    def deploy(self, i: int | None = None) -> bool:
        """Open candidate `i` (default: the selected one), its params and current state, as the
        main world; an undoable edit."""
        session, i = self._target(i)
        if session is None:
            return False
        params, state = session.candidate(i)
        c = self.controller
        c.apply_edit(f"deploy evolve candidate {i + 1} (round {session.depth})",
                     rule=session.rule, params=params, state=state, key=session.key)
        c.message = f"deployed evolve candidate {i + 1} (round {session.depth})"
        return True

    def _target(self, i: int | None) -> tuple[Any, int]:
        session = self.session
        if session is None:
            return None, -1
        i = session.selected if i is None else i
        if i is None:
            return None, -1
        return session, int(i)

    # ---- what the panel shows ----------------------------------------------------------------
    def round_text(self) -> str:
        session = self.session
        if session is None:
            return ""
        return f"round {session.depth}, {session.genome.describe()}"

    def thumbnails(self, size: int = 48) -> list[np.ndarray]:
        """Each candidate's view, coloured like the world, at most `size` px a side (uint8 RGB)."""
        session = self.session
        return [] if session is None else session.thumbnails(self.controller.world.view, size)

    def captions(self) -> list[str]:
        session = self.session
        return [] if session is None else session.captions()

    def caption_rows(self) -> list[dict[str, Any]]:
        """Per candidate: its caption's value, rule text, viability and tooltip (plain)."""
        session = self.session
        return [] if session is None else session.caption_rows()

    # ---- the headless evolution job ------------------------------------------------------------
    def start_job(self) -> str | None:
        """Run the scene's `evolution:` block headless as the controller's "evolution" job."""
        from alife.evolve.runner import EvolutionRunner

        try:
            runner = EvolutionRunner(self.controller.world)
        except AlifeError as exc:
            return str(exc)
        self.controller.jobs.start(JOB, runner, runner.iterations)
        return None

    def stop_job(self) -> None:
        self.controller.jobs.stop(JOB)

    def job(self) -> Any:
        return self.controller.jobs.get(JOB)

    def job_active(self) -> bool:
        return self.controller.jobs.active(JOB)

    def use_best(self) -> bool:
        """Swap the job's best params so far into the running world (undoable)."""
        return self.controller.jobs.use_latest(JOB)

    def fitness_history(self) -> tuple[list[int], list[float], list[float]]:
        """(generations, best, mean) of the evolution job so far (empty without one)."""
        job = self.job()
        rows = job.history() if job is not None else []
        return ([r["step"] for r in rows], [r["fitness"] for r in rows],
                [r["mean"] for r in rows])
