"""Running a World headless in chunks: `advance(world, steps, every=K, on_chunk=...)`.

Each chunk is `alife.core.rollout.run` (one compile for every chunk length; each step's key is
`fold_in(world.key, generation)`), so a run gives the same result however it is cut into chunks:
with or without `--metrics`, in the app or headless. `world.key` itself never changes.

A world on the unbounded plane (`world.origin` set) runs through `alife.core.plane.advance`
instead: the window follows the pattern, so the rule (its size) and the origin change too.

A long run keeps its resident memory flat: the allocator is tuned once and the heaps' free pages
are handed back after a chunk at most every `alife.core.memory.TRIM_EVERY_S` seconds (and after
the first, compiling chunk); see `alife.core.memory`. Results do not depend on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from alife.core import memory, plane, rollout
from alife.core.rule import State
from alife.scene.world import World

#: chunks per run when no metrics interval is asked for (enough for a smooth progress bar)
CHUNKS = 50


def advance(world: World, steps: int, every: int | None = None,
            on_chunk: Callable[[State, int], None] | None = None,
            donate: bool = False) -> World:
    """The world after `steps` generations; `on_chunk(state, steps_done)` after each chunk.

    With `every=K` chunks are K steps long (for metrics every K); otherwise about `CHUNKS`.
    `donate=True` steps a fixed grid's state in place (`rollout.run(donate=True)`: one copy of
    the state, not two, during a chunk): `world.state` and each state passed to `on_chunk` are
    consumed by the next chunk, so the caller keeps nothing of them but host copies.
    """
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    chunk = every if every else max(1, -(-steps // CHUNKS))
    memory.tune_allocator()
    state, done = world.state, 0
    while done < steps:
        n = min(chunk, steps - done)
        if world.origin is not None:
            rule, state, origin = plane.advance(world.rule, world.key, state, world.params,
                                                world.origin, n)
            world = replace(world, rule=rule, state=state, origin=origin)
        else:
            state = rollout.run(world.rule, world.key, state, world.params, n, donate=donate)
        done += n
        memory.release_memory(memory.TRIM_EVERY_S)
        if on_chunk is not None:
            on_chunk(state, done)
    return world.with_state(state)
