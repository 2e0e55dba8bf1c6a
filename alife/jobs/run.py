"""`alife run` as a job: a World advanced chunk by chunk, with its metrics and lineage tables.

`RunJob` has the Trainer protocol, so `alife.jobs.loop.run_job` drives it like a training or
evolution run (progress bar, timed checkpoints, Ctrl-C). `step` counts the generations run since
the world's start and `iterate()` runs one chunk (`every` steps, else about
`alife.scene.runner.CHUNKS` chunks in all) through `alife.scene.runner.advance`: each step's key
is `fold_in(world.key, generation)`, so however a run is cut (chunks, checkpoints, kills) it
gives the same states. Tables (`logs`):

- metrics (`metrics=FILE.csv`): the rule's metrics at the start and after every chunk, one row
  per chunk, `generation` first;
- lineage (`lineage=FILE.csv`, rules with `LineageLog`): one row per id, births and deaths merged.

`save_checkpoint` writes both tables, then the world state (`.npz` with the key), so the tables
on disk always reach the checkpoint; `load_checkpoint` reads the state back and keeps the metric
rows up to its generation (the lineage merge is idempotent: events replayed after the checkpoint
rewrite the same values).

Without a lineage table the chunks donate the state (`advance(..., donate=True)`): a chunk holds
one copy of the world, not two, and nothing here keeps the old state (metric rows are host
numbers, checkpoints are written from the new state). The lineage diff reads the state before
the chunk, so with `lineage=` the chunks do not donate.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from alife.core.rule import State
from alife.jobs.logs import MetricsLog, read_csv, write_csv
from alife.scene import export
from alife.scene.runner import CHUNKS, advance
from alife.scene.world import World


def scalar(value: Any) -> float | int:
    """A metric value as a Python int (integer and bool arrays) or float."""
    import numpy as np

    array = np.asarray(value)
    return array.item() if array.dtype.kind in "iub" else float(array)


class LineageTable:
    """Births and deaths merged into one row per id, written whole to a CSV."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._rows: dict[int, dict[str, Any]] = {}

    def merge(self, events: list[dict[str, Any]]) -> None:
        """Add lineage events (`LineageLog.lineage_events` rows); "lost" notes go to stderr."""
        for row in events:
            if "id" in row:
                self._rows.setdefault(int(row["id"]), {}).update(row)
            else:
                print(f"lineage: {row}", file=sys.stderr)

    def restart(self) -> None:
        """The table as last written (a resume)."""
        self._rows = {int(row["id"]): row for row in read_csv(self.path)}

    def flush(self) -> None:
        rows = list(self._rows.values())
        write_csv(self.path, rows, None if rows else ["generation"])


class RunJob:
    """A world run for `steps` generations; see the module docstring."""

    def __init__(self, world: World, steps: int, *, every: int | None = None,
                 metrics: str | Path | None = None, lineage: str | Path | None = None) -> None:
        self.world = world
        self.start = world.generation
        self.steps = int(steps)
        self.chunk = every if every else max(1, -(-self.steps // CHUNKS))
        self.step = 0
        self.ran = 0   # generations computed by this object (a resumed run skips the rest)
        self.progress_fields: list[str] = []
        self.metrics: MetricsLog | None = None
        self.lineage: LineageTable | None = None
        if metrics is not None:
            first = self._row(world.state)
            self.metrics = MetricsLog(metrics, list(first), key="generation",
                                      lineterminator="\n")
            self.metrics.append([first])
        if lineage is not None:
            self.lineage = LineageTable(lineage)
            self.lineage.merge(world.rule.lineage_events(None, world.state))

    # ---- the Trainer protocol -----------------------------------------------------------------
    @property
    def iterations(self) -> int:
        return self.steps

    @property
    def fields(self) -> list[str]:
        return self.metrics.fields if self.metrics is not None else ["generation"]

    @property
    def logs(self) -> list[Any]:
        """The tables this job writes (each `flush()`es whole), inside its checkpoints."""
        return [t for t in (self.metrics, self.lineage) if t is not None]

    def iterate(self) -> dict[str, Any]:
        """Run one chunk; returns the metrics row (only `generation` without a metrics table)."""
        n = min(self.chunk, self.steps - self.step)
        before = self.world.state
        self.world = advance(self.world, n, every=n, donate=self.lineage is None)
        self.step += n
        self.ran += n
        if self.lineage is not None:
            self.lineage.merge(self.world.rule.lineage_events(before, self.world.state))
        if self.metrics is None:
            return {"generation": self.start + self.step}
        row = self._row(self.world.state)
        self.metrics.append([row])
        return row

    def params(self) -> Any:
        return self.world.params

    def save_checkpoint(self, path: str | Path) -> None:
        """The tables, then the state and key (`.npz`): a kill between them leaves the tables
        ahead of the checkpoint, never behind it."""
        for table in self.logs:
            table.flush()
        export.write_state(self.world, path)

    def load_checkpoint(self, path: str | Path) -> None:
        import jax
        import jax.numpy as jnp
        import numpy as np

        from alife.core.fileio import arrays_to_tree, load_arrays

        world = self.world
        size = sum(np.asarray(x).nbytes for x in jax.tree_util.tree_leaves(world.state))
        arrays = load_arrays(path, max_bytes=2 * size + (1 << 20))
        state = arrays_to_tree(arrays, world.state, where=str(path))
        key = jnp.asarray(arrays["__key"], jnp.uint32) if "__key" in arrays else world.key
        self.world = replace(world, state=state, key=key)
        generation = self.world.generation
        self.step = min(self.steps, generation - self.start)
        if self.metrics is not None:
            self.metrics.restart(generation)
        if self.lineage is not None:
            self.lineage.restart()

    def save_weights(self, path: str | Path) -> None:
        """The world's rule Params as an `.npz` (what a run has for weights)."""
        from alife.core.fileio import save_tree

        save_tree(path, self.world.params)

    # ---- helpers ------------------------------------------------------------------------------
    def _row(self, state: State) -> dict[str, float | int]:
        values = self.world.rule.metrics(state, self.world.params)
        row = {"generation": scalar(values["generation"])}
        row.update({k: scalar(v) for k, v in values.items() if k != "generation"})
        return row
