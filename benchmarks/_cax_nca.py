"""CAX 0.3.3's Growing NCA built as its notebook 40 builds it (the anchor for the NCA benches).

`ConvPerceive(16 -> 48, feature_group_count=16)` whose kernel is set to identity + CAX's
`grad_kernel` per channel, `NCAUpdate(hidden (128,), cell_dropout_rate 0.5, zeros_init)`, a
ComplexSystem stepping perceive then update, and a pool training step with
`nnx.Optimizer(clip_by_global_norm(1) + adam(linear 2e-3 -> 2e-4 over 2000))` over the update's
params. CAX keeps RGBA in the last 4 channels (alive = last channel). Written for our benchmarks
from the API facts in specs/anchors.md; imported only by benchmark scripts.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import optax
from cax.core import ComplexSystem
from cax.core.perceive import ConvPerceive, grad_kernel, identity_kernel
from cax.core.update import NCAUpdate
from cax.nn.pool import Pool
from flax import nnx

CHANNELS, HIDDEN = 16, 128


class CaxGrowingNCA(ComplexSystem):
    def __init__(self, rngs: nnx.Rngs):
        self.perceive = ConvPerceive(channel_size=CHANNELS, perception_size=3 * CHANNELS,
                                     feature_group_count=CHANNELS, rngs=rngs)
        self.update = NCAUpdate(channel_size=CHANNELS, perception_size=3 * CHANNELS,
                                hidden_layer_sizes=(HIDDEN,), cell_dropout_rate=0.5,
                                zeros_init=True, rngs=rngs)
        per_channel = jnp.concatenate([identity_kernel(ndim=2), grad_kernel(ndim=2)], axis=-1)
        kernel = jnp.concatenate([per_channel] * CHANNELS, axis=-1)[:, :, None, :]
        self.perceive.conv.kernel.value = kernel

    def _step(self, state, input=None, *, sow=False):
        nxt = self.update(state, self.perceive(state), input)
        if sow:
            self.sow(nnx.Intermediate, "state", nxt)
        return nxt


def cax_seed(size: int) -> jax.Array:
    return jnp.zeros((size, size, CHANNELS)).at[size // 2, size // 2, -1].set(1.0)


def make_cax_training(size: int, batch: int, steps: int, pool_size: int, target: jax.Array):
    """`(system, optimizer, pool, train_step(system, optimizer, pool, key) -> (loss, pool))`."""
    cs = CaxGrowingNCA(nnx.Rngs(0))
    sched = optax.linear_schedule(2e-3, 2e-4, 2000)
    wrt = nnx.All(nnx.Param, nnx.PathContains("update"))
    opt = nnx.Optimizer(cs, optax.chain(optax.clip_by_global_norm(1.0), optax.adam(sched)),
                        wrt=wrt)
    pool = Pool.create({"state": jnp.broadcast_to(cax_seed(size), (pool_size, size, size,
                                                                   CHANNELS))})

    def mse(s):
        return jnp.mean(jnp.square(s[..., -4:] - target))

    def loss_fn(cs, state, key):
        axes = nnx.StateAxes({nnx.RngState: 0, nnx.Intermediate: 0, ...: None})
        nnx.split_rngs(splits=batch)(nnx.vmap(lambda c, s: c(s, num_steps=steps, sow=True),
                                              in_axes=(axes, 0)))(cs, state)
        states = nnx.pop(cs, nnx.Intermediate).state.value[0]
        pick = jax.random.randint(key, (batch,), steps // 2, steps)
        final = states[jnp.arange(batch), pick]
        return mse(final), final

    @nnx.jit
    def train_step(cs, opt, pool, key):
        k_sample, k_loss = jax.random.split(key)
        idx, sampled = pool.sample(k_sample, batch_size=batch)
        state = sampled["state"]
        order = jnp.argsort(jax.vmap(mse)(state), descending=True)
        idx, state = idx[order], state[order].at[0].set(cax_seed(size))
        (loss, state), grad = nnx.value_and_grad(loss_fn, has_aux=True,
                                                 argnums=nnx.DiffState(0, wrt))(cs, state, k_loss)
        opt.update(cs, grad)
        return loss, pool.update(idx, {"state": state})

    return cs, opt, pool, train_step
