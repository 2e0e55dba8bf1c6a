"""The agents' brain (JaxLife, Lu et al. 2024, section 3.2), one genome per agent.

A Flax NNX module: Dense+tanh encoders for the seen agents and robots, multi-head self-attention
over those entities, cross-attention from the agent's own embedding, a terrain encoder
(Dense -> Dense), an LSTM cell on [cross-attended entities, terrain], then Dense+tanh ->
Dense(ACTIONS)+tanh. With hidden 64 it has about 138k parameters.

Every agent has its own weights: the State keeps them as a pure dict of arrays with a leading
`[N, ...]` axis (`nnx.to_pure_dict`), and `BrainSpec.apply` runs the net with `jax.vmap` over
agents, merging each agent's weights into the module's graph (`nnx.merge`).
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
from flax import nnx

Array = jax.Array

MESSAGE = 16
ID_SIZE = 8
#: outputs: move r, move c, push, eat, reproduce, hit, message gate, self message (16),
#: message to others (16), terraform deltas (5)
ACTIONS = 7 + 2 * MESSAGE + 5
#: the scalar actions others see as "last action": the first 7 and the 5 terraform deltas
LAST_ACTION = 12
AGENT_FEATURES = 4 + LAST_ACTION + ID_SIZE + MESSAGE
ROBOT_FEATURES = 3 + 2 * MESSAGE
SELF_FEATURES = 2 + LAST_ACTION + ID_SIZE + MESSAGE
WINDOW = 9
TERRAIN_FEATURES = WINDOW * WINDOW * 7
#: values per PRNG draw when making genome noise
CHUNK = 1024


class Observation(NamedTuple):
    """One agent's input (a leading [N] axis when batched)."""

    agents: Array        # [K, AGENT_FEATURES]
    agent_valid: Array   # [K] bool
    robots: Array        # [Kr, ROBOT_FEATURES]
    robot_valid: Array   # [Kr] bool
    me: Array            # [SELF_FEATURES]
    terrain: Array       # [TERRAIN_FEATURES]


class Brain(nnx.Module):
    """Entity encoders, self- and cross-attention, terrain encoder, LSTM memory, action head."""

    def __init__(self, hidden: int, heads: int, rngs: nnx.Rngs) -> None:
        self.agent_in = nnx.Linear(AGENT_FEATURES, hidden, rngs=rngs)
        self.robot_in = nnx.Linear(ROBOT_FEATURES, hidden, rngs=rngs)
        self.self_in = nnx.Linear(SELF_FEATURES, hidden, rngs=rngs)
        self.attend = nnx.MultiHeadAttention(num_heads=heads, in_features=hidden,
                                             qkv_features=hidden, decode=False, rngs=rngs)
        self.cross = nnx.MultiHeadAttention(num_heads=heads, in_features=hidden,
                                            qkv_features=hidden, decode=False, rngs=rngs)
        self.terrain_in = nnx.Linear(TERRAIN_FEATURES, hidden, rngs=rngs)
        self.terrain_out = nnx.Linear(hidden, hidden, rngs=rngs)
        self.lstm = nnx.LSTMCell(2 * hidden, hidden, rngs=rngs)
        self.head_in = nnx.Linear(hidden, hidden, rngs=rngs)
        self.head_out = nnx.Linear(hidden, ACTIONS, rngs=rngs)

    def __call__(self, obs: Observation, carry: tuple[Array, Array]
                 ) -> tuple[Array, tuple[Array, Array]]:
        tokens = jnp.concatenate([jnp.tanh(self.agent_in(obs.agents)),
                                  jnp.tanh(self.robot_in(obs.robots))])
        valid = jnp.concatenate([obs.agent_valid, obs.robot_valid])
        attended = self.attend(tokens, mask=valid[None, None, :])
        me = jnp.tanh(self.self_in(obs.me))[None]
        seen = self.cross(me, attended, mask=valid[None, None, :])[0] * jnp.any(valid)
        ground = jnp.tanh(self.terrain_out(jnp.tanh(self.terrain_in(obs.terrain))))
        carry, out = self.lstm(carry, jnp.concatenate([seen, ground]))
        return jnp.tanh(self.head_out(jnp.tanh(self.head_in(out)))), carry


def _fan_in(path: tuple[Any, ...], shape: tuple[int, ...]) -> int:
    names = [str(getattr(p, "key", p)) for p in path]
    if len(shape) == 3 and names[-2] in ("query", "key", "value"):
        return shape[0]
    return max(1, math.prod(shape[:-1]))


class BrainSpec:
    """A brain shape (hidden size, heads): random genomes, the batched apply, its size."""

    def __init__(self, hidden: int, heads: int) -> None:
        self.hidden, self.heads = int(hidden), int(heads)
        abstract = nnx.eval_shape(lambda: Brain(self.hidden, self.heads, nnx.Rngs(0)))
        self.graphdef, self._abstract_state = nnx.split(abstract)
        self.template = nnx.to_pure_dict(self._abstract_state)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BrainSpec) and (self.hidden, self.heads) == (other.hidden,
                                                                               other.heads)

    def __hash__(self) -> int:
        return hash((BrainSpec, self.hidden, self.heads))

    def normals(self, key: Array, n: int) -> Any:
        """Standard normal noise shaped like `n` genomes, each leaf from its own key.

        Leaf i uses `split(key, leaves)[i]`; its values are drawn in chunks of `CHUNK` with keys
        `fold_in(leaf key, chunk)`, all in one vectorised draw (one PRNG kernel to compile
        instead of one per leaf)."""
        leaves, treedef = jax.tree_util.tree_flatten(self.template)
        sizes = [math.prod(leaf.shape) for leaf in leaves]
        chunks = [-(-size // CHUNK) for size in sizes]
        leaf_keys = jax.random.split(key, len(leaves))
        owner = jnp.asarray([i for i, c in enumerate(chunks) for _ in range(c)])
        index = jnp.asarray([j for c in chunks for j in range(c)])
        keys = jax.vmap(jax.random.fold_in)(leaf_keys[owner], index)
        draws = jax.vmap(lambda k: jax.random.normal(k, (n, CHUNK), jnp.float32))(keys)
        out, at = [], 0
        for leaf, size, c in zip(leaves, sizes, chunks, strict=True):
            block = jnp.moveaxis(draws[at:at + c], 1, 0).reshape(n, c * CHUNK)[:, :size]
            out.append(block.reshape((n,) + tuple(leaf.shape)))
            at += c
        return jax.tree_util.tree_unflatten(treedef, out)

    def random(self, key: Array, n: int) -> Any:
        """`n` random genomes `[n, ...]`: kernels N(0, 1/fan_in), biases 0."""
        noise = jax.tree_util.tree_leaves_with_path(self.normals(key, n))
        leaves, treedef = jax.tree_util.tree_flatten_with_path(self.template)
        out = []
        for (path, leaf), (_, z) in zip(leaves, noise, strict=True):
            if str(getattr(path[-1], "key", "")) == "bias":
                out.append(jnp.zeros_like(z))
            else:
                out.append(z / math.sqrt(_fan_in(path, tuple(leaf.shape))))
        return jax.tree_util.tree_unflatten(treedef, out)

    def _one(self, genome: Any, obs: Observation, carry: tuple[Array, Array]
             ) -> tuple[Array, tuple[Array, Array]]:
        state = jax.tree_util.tree_map(lambda a: a, self._abstract_state)
        nnx.replace_by_pure_dict(state, genome)
        return nnx.merge(self.graphdef, state)(obs, carry)

    def apply(self, genomes: Any, obs: Observation, carry: tuple[Array, Array]
              ) -> tuple[Array, tuple[Array, Array]]:
        """Actions `[N, ACTIONS]` in [-1, 1] and the new LSTM carry, each agent its own genome."""
        return jax.vmap(self._one)(genomes, obs, carry)

    def zero_carry(self, n: int) -> tuple[Array, Array]:
        return (jnp.zeros((n, self.hidden), jnp.float32), jnp.zeros((n, self.hidden), jnp.float32))
