"""Biomaker agent logic on a sparse agent list, and the parallel ops.

Biomaker CA (Randazzo & Mordvintsev 2023). The nets run only on agent cells: the step gathers up
to `cap` agent cells (`jnp.nonzero(..., size=cap)`), gathers each one's parameter block from the
live pool (`programs [P, 4 * D_spec]`, by program id and specialisation), runs the nets there, in
chunks up to the last live agent, and scatters the outputs back onto `[H, W, ...]` grids.
Agents beyond the cap get zero outputs for that step (they do nothing but still pay
dissipation).

Parallel ops (every agent at once, no conflicts): pass earth/air nutrient to agent neighbours
(scaled down so no cell gives more than it has), update the 2 internal channels, change
specialisation (argmax of the logits, only when both nutrients cover the cost, which is paid).
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from alife.rules.biomaker import programs as prog
from alife.rules.biomaker import unrolled
from alife.rules.biomaker.world import (
    OFFSETS,
    OUT_OF_BOUNDS,
    UNSPECIALIZED,
    is_agent,
    neighbours,
    shifted,
    spec_slot,
)

Array = jax.Array


class Decisions(NamedTuple):
    """Net outputs on the grid (zero off agents)."""

    direction: Array  # [H, W, 8] spawn-direction logits
    give: Array       # [H, W, 8, 2] earth/air to give each neighbour (raw, before ReLU)
    glob: Array       # [H, W, NG] global outputs (programs.SWITCH ... REPRO)


#: agents per chunk of net evaluation
CHUNK = 128


def decide(types: Array, st: Array, ids: Array, pool: Array, net: str, cap: int) -> Decisions:
    """Run every agent's program (up to `cap` agents) and scatter its outputs onto the grid.

    The agent list is processed in chunks of `CHUNK` in a loop that stops after the last live
    agent, so the cost follows the population, not the cap.
    """
    h, w = types.shape
    chunk = min(CHUNK, cap)
    cap = -(-cap // chunk) * chunk
    flat = is_agent(types).ravel()
    (idx,) = jnp.nonzero(flat, size=cap, fill_value=h * w)
    count = jnp.minimum(jnp.sum(flat.astype(jnp.int32)), cap)
    width = 24 + prog.NG

    def run_chunk(i: Array, out: Array) -> Array:
        part = jax.lax.dynamic_slice(idx, (i * chunk,), (chunk,))
        safe = jnp.minimum(part, h * w - 1)
        rows, cols = safe // w, safe % w
        f, g = prog.features(types, st, ids, rows, cols, OUT_OF_BOUNDS)
        which = ids.ravel()[safe] * 4 + spec_slot(types.ravel()[safe])
        per_dir, glob = prog.run_nets(pool, which, f, g, net)
        res = jnp.concatenate([per_dir.reshape(chunk, 24), glob], -1)
        return jax.lax.dynamic_update_slice(out, res, (i * chunk, 0))

    n_chunks = (count + chunk - 1) // chunk
    out = jax.lax.fori_loop(0, n_chunks, run_chunk, jnp.zeros((cap, width), st.dtype))
    grid = jnp.zeros((h * w, width), st.dtype).at[idx].set(out, mode="drop")
    grid = grid.reshape(h, w, -1)
    per = grid[..., :24].reshape(h, w, 8, 3)
    return Decisions(per[..., 0], per[..., 1:], grid[..., 24:])


def parallel_ops(types: Array, st: Array, dec: Decisions, specialise_cost: Array
                 ) -> tuple[Array, Array]:
    """Energy passing, internal state and specialisation: `(types, st)`."""
    agent = is_agent(types)
    nb_agent = neighbours(agent, False)                                 # [8, H, W]
    give = [jax.nn.relu(dec.give[:, :, k]) * (nb_agent[k] & agent)[..., None]
            for k in range(8)]                                          # 8 x [H, W, 2]
    total = unrolled.total(give)                                        # [H, W, 2]
    avail = jnp.maximum(st[..., 2:4], 0.0)
    scale = jnp.where(total > avail, avail / jnp.maximum(total, 1e-12), 1.0)
    give = jnp.stack(give, 2) * scale[:, :, None, :]                  # [H, W, 8, 2]
    received = sum(shifted(give[:, :, k], -OFFSETS[k][0], -OFFSETS[k][1], 0.0)
                   for k in range(8))
    nutrients = st[..., 2:4] - jnp.sum(give, axis=2) + received
    internal = jnp.where(agent[..., None],
                         jnp.clip(st[..., 4:6] + dec.glob[..., prog.DI0: prog.DI1 + 1], -10, 10),
                         st[..., 4:6])
    st = jnp.concatenate([st[..., :2], nutrients, internal], -1)
    wanted = UNSPECIALIZED + unrolled.argmax(
        [dec.glob[..., prog.SPEC + j] for j in range(5)]).astype(types.dtype)
    change = agent & (wanted != types) & (st[..., 2] >= specialise_cost) & \
        (st[..., 3] >= specialise_cost)
    types = jnp.where(change, wanted, types)
    st = st.at[..., 2:4].add(jnp.where(change[..., None], -specialise_cost, 0.0))
    return types, st
