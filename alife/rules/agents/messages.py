"""Who hears whom: message links and an agent's view of its surroundings, for the app.

JaxLife (Lu et al. 2024, section 3.3): an agent's gated broadcast is part of what every agent
that finds it in the neighbour search observes, and its outgoing message also rewrites the
programs of the robots it finds. `links` draws that as fixed-size line lists (static shapes):

- agent -> agent: for every agent j and each live agent i in j's sight (the same grid search as
  `step`), a line from i to j when i's last message gate was open (> 0): j observes i's
  broadcast on the next step;
- agent -> robot: for every live agent i with an open gate, a line to each robot it finds (the
  robots its message reprograms).

Ends are `start + signed offset` (torus-wrapped), so a link across the world's edge leaves the
grid rather than crossing the whole world. `observation_view` is the inspector's compact view of
what one agent sees: the terrain window (one property) and its nearest neighbours with offsets.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.topology import torus_delta
from alife.rules.agents import observation, terrain
from alife.rules.agents.brain import WINDOW
from alife.rules.agents.state import Agents, Robots

#: the inspector's table of an agent's nearest neighbours
NEAREST_COLUMNS = ("slot", "d_row", "d_col", "distance")

Array = jax.Array
GATE = 6  # the message gate's index among the 12 "last actions"


def gates(agents: Agents) -> Array:
    """The message gate each live agent opened on its last step, in [0, 1] (0 when dead)."""
    return jnp.maximum(agents.last[:, GATE], 0.0) * agents.alive


def links(agents: Agents, robots: Robots, height: int, width: int, view_agents: int,
          view_robots: int, radius: float, capacity: int) -> tuple[Array, Array, Array]:
    """`(starts [M, 2], ends [M, 2], mask [M])` in cell units, M = N x (view_agents +
    view_robots): agent -> agent links first (receiver-major), then agent -> robot links."""
    sight = observation.look(agents, robots, height, width, view_agents, view_robots, radius,
                             capacity)
    pos = agents.position.astype(jnp.float32)
    open_gate = gates(agents) > 0
    n = pos.shape[0]
    seen = sight.agents                                     # per receiver j: senders i
    sender = jnp.minimum(seen.index, n - 1)
    heard = seen.valid & agents.alive[:, None] & open_gate[sender]
    a_start = pos[sender]                                   # the sender
    a_end = a_start - seen.offset                           # the receiver, beside the sender
    bots = sight.robots                                     # per sender i: robots it programs
    programs = bots.valid & open_gate[:, None]
    r_start = jnp.broadcast_to(pos[:, None, :], bots.offset.shape)
    r_end = r_start + bots.offset
    starts = jnp.concatenate([a_start.reshape(-1, 2), r_start.reshape(-1, 2)])
    ends = jnp.concatenate([a_end.reshape(-1, 2), r_end.reshape(-1, 2)])
    mask = jnp.concatenate([heard.reshape(-1), programs.reshape(-1)])
    finite = jnp.isfinite(starts).all(axis=1) & jnp.isfinite(ends).all(axis=1)
    zero = jnp.zeros_like(starts)
    return (jnp.where(finite[:, None], starts, zero), jnp.where(finite[:, None], ends, zero),
            mask & finite)


def observation_view(cells: np.ndarray, position: np.ndarray, alive: np.ndarray, slot: int,
                     show: str, radius: float, nearest: int = 6) -> dict[str, Any]:
    """What agent `slot` sees, compactly (host side): `window` ([9][9] floats: the property
    `show` around it, normalised by its cap as the brain sees it; `energy` when the brain does
    not observe `show`), and `nearest`, a table (`columns` slot, d_row, d_col, distance and
    its `rows`) of the closest live agents within `radius` (signed offsets on the torus, at
    most `nearest` rows)."""
    height, width = cells.shape[1:]
    prop = terrain.NAMES.index(show)
    if prop not in terrain.OBSERVED:
        prop = terrain.ENERGY
    r, c = (int(v) for v in np.floor(position[slot]))
    half = WINDOW // 2
    rows = (r + np.arange(-half, half + 1)) % height
    cols = (c + np.arange(-half, half + 1)) % width
    window = cells[prop][np.ix_(rows, cols)] / terrain.CAPS[prop]
    delta = torus_delta(position.astype(np.float64), position[slot], (height, width))
    dist = np.hypot(delta[:, 0], delta[:, 1])
    near = alive & (dist <= radius)
    near[slot] = False
    order = [int(i) for i in np.argsort(np.where(near, dist, np.inf), kind="stable")
             if near[i]][:nearest]
    return {"window_property": terrain.NAMES[prop],
            "window": np.round(window, 3).tolist(),
            "nearest": {"columns": list(NEAREST_COLUMNS),
                        "rows": [[i, round(float(delta[i, 0]), 2), round(float(delta[i, 1]), 2),
                                  round(float(dist[i]), 2)] for i in order]}}
