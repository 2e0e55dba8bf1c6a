"""Growing Neural Cellular Automata (Mordvintsev et al., Distill 2020): the network and one step.

Conventions (kept identical in training, checkpoints and rendering):

- A cell has 16 float32 channels: RGBA in channels 0-3 with RGB *premultiplied* by alpha,
  then 12 hidden channels. The alpha channel (3) decides life.
- Perception: per channel, identity, Sobel-x = [1,2,1]^T (x) [-1,0,1] / 8 and Sobel-y (its
  transpose), with zero padding at the grid edge: 48 features per cell, ordered
  [identity(16) | sobel_x(16) | sobel_y(16)].
- Update: dense 48 -> 128 + ReLU, dense 128 -> 16; the last layer starts at zero (8,336 params
  for 16 channels).
- Stochastic update: each cell applies its update where U < fire_rate (0.5), NOT rescaled.
- Alive mask: 3x3 max-pool of alpha > 0.1, taken before and after the update; a cell is kept only
  if it is alive in both, otherwise all its channels become 0.
- Display: composite over white, rgb + (1 - alpha), clipped to [0, 1].

Performance: XLA:CPU computes weight gradients of 1x1 convolutions slowly, so perception is pad +
static slices (no conv, no roll) and the update is two matmuls over the flattened cells
`[N*H*W, 48] @ [48, 128]`, run only on the cells whose update is used (`alife.rules.nca.sparse`;
bit-identical to running it everywhere). The network is *defined* by a small Flax NNX module
(`UpdateNet`, used as the initialiser); the step itself is a pure function of a weights pytree
(`NCAWeights`), so new weights can be swapped in without recompiling.

Shapes: states are `[..., H, W, C]` (any leading batch dims), weights `w1 [3C, hidden]`,
`b1 [hidden]`, `w2 [hidden, C]`, `b2 [C]`.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from flax import nnx

from alife.core.types import pytree_dataclass
from alife.rules.nca.sparse import masked_update, sparse_update

Array = jax.Array

ALPHA = 3
ALIVE_THRESHOLD = 0.1


@pytree_dataclass
class NCAWeights:
    """The update network's weights (a plain pytree of float32 arrays)."""

    w1: Array  # [3C, hidden]
    b1: Array  # [hidden]
    w2: Array  # [hidden, C]
    b2: Array  # [C]


class UpdateNet(nnx.Module):
    """The per-cell update network as an NNX module: dense(3C -> hidden), ReLU, dense(hidden -> C).

    Used to initialise weights (`init_weights`) and as the readable definition of the model; the
    simulation calls the pure `update_cells` with the weights taken out of it.
    """

    def __init__(self, channels: int, hidden: int, rngs: nnx.Rngs):
        self.dense1 = nnx.Linear(3 * channels, hidden, rngs=rngs)
        self.dense2 = nnx.Linear(hidden, channels, kernel_init=nnx.initializers.zeros,
                                 bias_init=nnx.initializers.zeros, rngs=rngs)

    def __call__(self, features: Array) -> Array:
        return self.dense2(jax.nn.relu(self.dense1(features)))

    def weights(self) -> NCAWeights:
        return NCAWeights(w1=self.dense1.kernel[...], b1=self.dense1.bias[...],
                          w2=self.dense2.kernel[...], b2=self.dense2.bias[...])


def init_weights(key: Array, channels: int = 16, hidden: int = 128) -> NCAWeights:
    """Fresh weights: first layer Lecun-normal (NNX default), last layer zero."""
    net = UpdateNet(channels, hidden, nnx.Rngs(params=key))
    return jax.tree_util.tree_map(lambda a: jnp.asarray(a, jnp.float32), net.weights())


def _pad(x: Array, value: float = 0.0) -> Array:
    pad = [(0, 0)] * (x.ndim - 3) + [(1, 1), (1, 1), (0, 0)]
    return jnp.pad(x, pad, constant_values=value)


def _sobels(x: Array) -> tuple[Array, Array]:
    """Sobel-x and Sobel-y of `[..., H, W, C]`, zero-padded (pad once, static slices)."""
    p = _pad(x)
    h, w = x.shape[-3], x.shape[-2]
    dx = p[..., :, 2:, :] - p[..., :, :-2, :]  # [..., H+2, W, C]: right - left
    dy = p[..., 2:, :, :] - p[..., :-2, :, :]  # [..., H, W+2, C]: down - up
    sx = (dx[..., 0:h, :, :] + 2.0 * dx[..., 1:h + 1, :, :] + dx[..., 2:h + 2, :, :]) * 0.125
    sy = (dy[..., :, 0:w, :] + 2.0 * dy[..., :, 1:w + 1, :] + dy[..., :, 2:w + 2, :]) * 0.125
    return sx, sy


@jax.custom_vjp
def perceive(x: Array) -> Array:
    """`[..., H, W, C]` -> `[..., H, W, 3C]`: identity, Sobel-x, Sobel-y (zero-padded edges).

    Its gradient is written out: the adjoint of a zero-padded cross-correlation is the
    cross-correlation with the kernel turned 180 degrees, and both Sobel kernels are
    antisymmetric, so the adjoint is minus the same filter. (XLA:CPU ran the transposes of the
    pads and slices that autodiff builds ~20x slower than the forward pass.)
    """
    sx, sy = _sobels(x)
    return jnp.concatenate([x, sx, sy], axis=-1)


def _perceive_fwd(x: Array) -> tuple[Array, None]:
    return perceive(x), None


def _perceive_bwd(_, g: Array) -> tuple[Array]:
    c = g.shape[-1] // 3
    gx, _ = _sobels(g[..., c:2 * c])
    _, gy = _sobels(g[..., 2 * c:])
    return (g[..., :c] - gx - gy,)


perceive.defvjp(_perceive_fwd, _perceive_bwd)


def _max3x3(a: Array, edge: float) -> Array:
    """3x3 max-pool of `[..., H, W, 1]`, `edge` beyond the grid (separable: rows, then columns)."""
    p = _pad(a, edge)
    h, w = a.shape[-3], a.shape[-2]
    row = jnp.maximum(jnp.maximum(p[..., :, 0:w, :], p[..., :, 1:w + 1, :]), p[..., :, 2:w + 2, :])
    return jnp.maximum(jnp.maximum(row[..., 0:h, :, :], row[..., 1:h + 1, :, :]),
                       row[..., 2:h + 2, :, :])


def alive_mask(x: Array) -> Array:
    """`[..., H, W, C]` -> `[..., H, W, 1]` bool: some cell in the 3x3 block has alpha > 0.1."""
    return _max3x3(x[..., ALPHA:ALPHA + 1], -1.0) > ALIVE_THRESHOLD


def _perception_rows(x: Array) -> Array:
    """`[..., H, W, C]` -> `[N, 3C]`: every cell's perception, one row per cell."""
    f = perceive(x)
    return f.reshape(-1, f.shape[-1])


def update_cells(weights: NCAWeights, x: Array) -> Array:
    """The network's proposed change for every cell: `[..., H, W, C]` -> `[..., H, W, C]`."""
    f = perceive(x)
    flat = f.reshape(-1, f.shape[-1])
    hidden = jax.nn.relu(flat @ weights.w1 + weights.b1)
    dx = hidden @ weights.w2 + weights.b2
    return dx.reshape(x.shape)


def nca_step(key: Array, weights: NCAWeights, x: Array, fire_rate: float | Array = 0.5,
             differentiable: bool = False) -> Array:
    """One NCA step of `[..., H, W, C]` states (see the module docstring for the conventions).

    The network runs only at the cells whose update can reach the result (`alife.rules.nca.
    sparse`): fired cells within one cell of an alive one; the result equals evaluating it
    everywhere. `differentiable=True` takes the path the trainer differentiates (not for `vmap`);
    the default is safe under `vmap` but not differentiable.
    """
    pre = alive_mask(x)
    fire = jax.random.uniform(key, x.shape[:-1] + (1,)) < fire_rate
    active = fire & (_max3x3(pre.astype(jnp.float32), 0.0) > 0.0)
    update = sparse_update if differentiable else masked_update
    dx = update(weights, x, active.reshape(-1), _perception_rows)
    x = x + dx.reshape(x.shape)
    post = alive_mask(x)
    return jnp.where(pre & post, x, 0.0)


def seed_state(height: int, width: int, channels: int = 16) -> Array:
    """`[H, W, C]`: zero except the centre cell, whose channels 3..C-1 are 1."""
    x = jnp.zeros((height, width, channels), jnp.float32)
    return x.at[height // 2, width // 2, ALPHA:].set(1.0)


def to_rgb(x: Array) -> Array:
    """`[..., H, W, C]` -> `[..., H, W, 3]` float32 in [0, 1], composited over white."""
    rgb, a = x[..., :3], jnp.clip(x[..., ALPHA:ALPHA + 1], 0.0, 1.0)
    return jnp.clip(1.0 - a + rgb, 0.0, 1.0)
