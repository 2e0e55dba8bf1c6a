"""Benchmark: one Growing-NCA training iteration, ours against CAX 0.3.3's notebook model.

The paper's configuration: 72x72 grid (40 px target padded by 16), 16 channels, 128 hidden,
batch 8 from a pool, forward + backward + optimiser update. CAX is built as in its notebook 40
(`CaxGrowingNCA` below: depthwise ConvPerceive + NCAUpdate with 1x1 convolutions, from the API
facts in specs/anchors.md); ours is `alife.rules.nca.train_step.make_train_step` (pad + slice
perception, matmul update, rematerialised scan). Both run 64 steps per sample (CAX's anchor
figure: ~50 s on our 2-core CI machine); ours is also timed at the paper's uniform [64, 96)
steps. Compile time is excluded; CAX's iteration is slow, so it is timed `--cax-repeats` times
(default 1), between our timings; ours is the median of 3.

Our step runs the network only on the active cells (fired, within one cell of an alive one:
`alife.rules.nca.sparse`), so its cost depends on how much of the canvas is alive. The default
pool is seeds (a training run's first iterations: almost nothing alive); `--start square` fills
the pool with random states alive on the centred 40x40 target square (31% of a 72x72 canvas,
the footprint of a grown pattern: a training run's steady state). CPU seconds of this process
and the load average are printed beside the wall times.

Usage: python benchmarks/bench_nca_train.py [--size 72] [--batch 8] [--steps 64] [--no-cax]
                                            [--start seed|square]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import jax
import jax.numpy as jnp
import optax
from cax.core import ComplexSystem
from cax.core.perceive import ConvPerceive, grad_kernel, identity_kernel
from cax.core.update import NCAUpdate
from cax.nn.pool import Pool
from flax import nnx

from alife.rules.nca.model import init_weights
from alife.rules.nca.train_step import NCATrainConfig, init_pool, make_optimizer, make_train_step

# ---- CAX's notebook-40 model (the anchor; CAX keeps RGBA in the LAST 4 channels) ----------
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


# ---- ours ----------------------------------------------------------------------------------
def square_pool(pool: jax.Array) -> jax.Array:
    """Random states in [0, 1) on the centred square 16 cells in from each edge, zero outside."""
    size = pool.shape[1]
    inside = jnp.zeros((size, size, 1)).at[16:size - 16, 16:size - 16].set(1.0)
    return jax.random.uniform(jax.random.PRNGKey(2), pool.shape) * inside


def ours(size: int, batch: int, lo: int, hi: int, start: str = "seed"):
    """A function running one of our training iterations (compiled on the first call)."""
    cfg = NCATrainConfig(height=size, width=size, batch=batch, min_steps=lo, max_steps=hi,
                         pool_size=64)
    opt = make_optimizer(cfg)
    weights = init_weights(jax.random.PRNGKey(0))
    pool = init_pool(cfg) if start == "seed" else square_pool(init_pool(cfg))
    state = [weights, opt.init(weights), pool]
    target = jnp.zeros((size, size, 4)).at[16:-16, 16:-16].set(0.5)
    step = make_train_step(cfg, opt)
    count = [0]

    def go() -> None:
        count[0] += 1
        w, o, p, loss = step(*state, jax.random.PRNGKey(count[0]), target)
        loss.block_until_ready()
        state[:] = [w, o, p]

    return go


def cax(size: int, batch: int, steps: int):
    """A function running one CAX notebook training iteration (compiled on the first call)."""
    target = jnp.zeros((size, size, 4)).at[16:-16, 16:-16].set(0.5)
    cs, opt, pool, train_step = make_cax_training(size, batch, steps, 64, target)
    box = [pool, 0]

    def go() -> None:
        box[1] += 1
        loss, box[0] = train_step(cs, opt, box[0], jax.random.PRNGKey(box[1]))
        loss.block_until_ready()

    return go


def seconds(fn, cpu: list[float] | None = None) -> float:
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    if cpu is not None:
        cpu.append(time.process_time() - c0)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=72)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--steps", type=int, default=64)
    ap.add_argument("--cax-repeats", type=int, default=1)
    ap.add_argument("--no-cax", action="store_true")
    ap.add_argument("--start", choices=("seed", "square"), default="seed")
    a = ap.parse_args()
    print(f"Growing NCA training iteration, {a.size}x{a.size}, batch {a.batch}, pool of "
          f"{a.start}s, jax {jax.__version__} on {jax.devices()[0].platform}, load average "
          f"{os.getloadavg()[0]:.1f}")
    fixed = ours(a.size, a.batch, a.steps, a.steps + 1, a.start)
    paper = ours(a.size, a.batch, 64, 96, a.start)
    fixed(), paper()  # compile
    c_fixed: list[float] = []
    c_paper: list[float] = []
    t_fixed, t_paper = [seconds(fixed, c_fixed)], [seconds(paper, c_paper)]
    if not a.no_cax:  # CAX between our timings, so a change of load hits both sides
        anchor = cax(a.size, a.batch, a.steps)
        anchor()  # compile
        t_cax = [seconds(anchor) for _ in range(a.cax_repeats)]
    for _ in range(2):
        t_fixed.append(seconds(fixed, c_fixed))
        t_paper.append(seconds(paper, c_paper))
    f, p = statistics.median(t_fixed), statistics.median(t_paper)
    print(f"ours, {a.steps} steps:          {f:8.3f} s   (runs: "
          f"{', '.join(f'{t:.2f}' for t in t_fixed)}; CPU s {statistics.median(c_fixed):.3f})")
    print(f"ours, steps U[64, 96):     {p:8.3f} s   (runs: "
          f"{', '.join(f'{t:.2f}' for t in t_paper)}; CPU s {statistics.median(c_paper):.3f})")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    if a.no_cax:
        return
    c = statistics.median(t_cax)
    print(f"CAX notebook, {a.steps} steps:  {c:8.3f} s")
    print(f"ratio ours/CAX at {a.steps} steps: {f / c:.3f}x (target <= 0.1x)")


if __name__ == "__main__":
    main()
