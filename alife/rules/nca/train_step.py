"""One Growing-NCA training iteration as a single jitted function (Mordvintsev et al. 2020).

Experiments: "growing" (every batch starts from the seed), "persistent" (a pool of states; the
batch member with the highest loss is replaced by the seed), "regenerating" (persistent, plus the
3 lowest-loss members get a disc cut out: centre U(-0.5, 0.5), radius U(0.1, 0.4) in [-1, 1]
coordinates). Steps per sample are uniform in [min_steps, max_steps); the loss is the MSE of RGBA
against the padded target after the last step. Gradients are normalised per parameter by their L2
norm (+1e-8), then Adam with lr 2e-3 dropping to 2e-4 after 2000 iterations.

The number of steps varies per iteration but the compiled loop does not: a `scan` over
`max_steps - 1` iterations runs the step under `lax.cond(i < n, ...)`, so skipped steps cost
nothing, and `jax.checkpoint` on the step keeps memory at one state per step.

Shapes: pool `[P, H, W, C]`, target `[H, W, 4]` (premultiplied RGBA), batch `[B, H, W, C]`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jax
import jax.numpy as jnp
import optax

from alife.rules.nca.model import NCAWeights, nca_step, seed_state

Array = jax.Array
EXPERIMENTS = ("growing", "persistent", "regenerating")


@dataclass(frozen=True)
class NCATrainConfig:
    """Static training configuration (changing it recompiles)."""

    height: int = 72
    width: int = 72
    channels: int = 16
    hidden: int = 128
    fire_rate: float = 0.5
    experiment: str = "regenerating"
    batch: int = 8
    pool_size: int = 1024
    min_steps: int = 64
    max_steps: int = 96  # exclusive
    lr: float = 2e-3
    lr_after: float = 2e-4
    lr_boundary: int = 2000
    damage_n: int = 3
    remat: bool = True

    def uses_pool(self) -> bool:
        return self.experiment != "growing"


def make_optimizer(cfg: NCATrainConfig) -> optax.GradientTransformation:
    """Adam on a piecewise-constant schedule (the gradient normalisation is done before it)."""
    schedule = optax.piecewise_constant_schedule(cfg.lr, {cfg.lr_boundary: cfg.lr_after / cfg.lr})
    return optax.adam(schedule)


def normalize_grads(grads: Any) -> Any:
    """Each parameter's gradient divided by its own L2 norm (+1e-8)."""
    return jax.tree_util.tree_map(lambda g: g / (jnp.sqrt(jnp.sum(g * g)) + 1e-8), grads)


def pad_target(rgba: Array, height: int, width: int) -> Array:
    """Centre a `[h, w, 4]` target in an `[height, width, 4]` zero canvas."""
    h, w = rgba.shape[:2]
    top, left = (height - h) // 2, (width - w) // 2
    return jnp.zeros((height, width, 4), jnp.float32).at[top:top + h, left:left + w].set(rgba)


def per_sample_loss(x: Array, target: Array) -> Array:
    """`[B, H, W, C]` -> `[B]`: mean squared error of the RGBA channels to the target."""
    return jnp.mean(jnp.square(x[..., :4] - target), axis=(-3, -2, -1))


def disc_masks(key: Array, n: int, height: int, width: int) -> Array:
    """`[n, H, W, 1]` float: 0 inside a random disc (the damage), 1 elsewhere."""
    kc, kr = jax.random.split(key)
    centre = jax.random.uniform(kc, (n, 1, 1, 2), minval=-0.5, maxval=0.5)
    radius = jax.random.uniform(kr, (n, 1, 1), minval=0.1, maxval=0.4)
    ys = jnp.linspace(-1.0, 1.0, height)[None, :, None]
    xs = jnp.linspace(-1.0, 1.0, width)[None, None, :]
    d2 = jnp.square(xs - centre[..., 0]) + jnp.square(ys - centre[..., 1])
    return (d2 > jnp.square(radius)).astype(jnp.float32)[..., None]


def rollout(cfg: NCATrainConfig, weights: NCAWeights, key: Array, x: Array, n: Array) -> Array:
    """Run `n` (traced, in [1, max_steps)) NCA steps on the batch `x`."""

    def one(w, k, s):
        return nca_step(k, w, s, cfg.fire_rate, differentiable=True)

    if cfg.remat:
        one = jax.checkpoint(one)

    def body(s, inp):
        i, k = inp
        s = jax.lax.cond(i < n, lambda v: one(weights, k, v), lambda v: v, s)
        return s, None

    steps = cfg.max_steps - 1
    keys = jax.random.split(key, steps)
    x, _ = jax.lax.scan(body, x, (jnp.arange(steps), keys))
    return x


def init_pool(cfg: NCATrainConfig) -> Array:
    """`[P, H, W, C]` seeds (an empty `[0, H, W, C]` pool for the growing experiment)."""
    seed = seed_state(cfg.height, cfg.width, cfg.channels)
    size = cfg.pool_size if cfg.uses_pool() else 0
    return jnp.broadcast_to(seed, (size,) + seed.shape)


def start_batch(cfg: NCATrainConfig, key: Array, pool: Array, target: Array
                ) -> tuple[Array, Array]:
    """The batch to train on and its pool indices: `([B, H, W, C], [B])`.

    Growing: B seeds. Pool experiments: B distinct pool states sorted by loss (highest first);
    the first is replaced by the seed; for "regenerating" the last `damage_n` (lowest loss) get
    a disc cut out.
    """
    seed = seed_state(cfg.height, cfg.width, cfg.channels)
    k_idx, k_dmg = jax.random.split(key)
    if not cfg.uses_pool():
        x0 = jnp.broadcast_to(seed, (cfg.batch,) + seed.shape)
        return x0, jnp.zeros((cfg.batch,), jnp.int32)
    idx = jax.random.choice(k_idx, pool.shape[0], (cfg.batch,), replace=False)
    x0 = pool[idx]
    order = jnp.argsort(-per_sample_loss(x0, target))  # highest loss first
    idx, x0 = idx[order], x0[order]
    x0 = x0.at[0].set(seed)
    n = min(cfg.damage_n, cfg.batch - 1)  # never damage the fresh seed
    if cfg.experiment == "regenerating" and n > 0:
        x0 = x0.at[-n:].multiply(disc_masks(k_dmg, n, cfg.height, cfg.width))
    return x0, idx


def make_train_step(cfg: NCATrainConfig, optimizer: optax.GradientTransformation):
    """A jitted `(weights, opt_state, pool, key, target) -> (weights, opt_state, pool, loss)`.

    The pool argument is donated (updated in place). `loss` is the batch mean after the rollout.
    """
    if cfg.experiment not in EXPERIMENTS:
        raise ValueError(f"experiment must be one of {EXPERIMENTS}")

    def loss_fn(weights, key, x0, n, target):
        x = rollout(cfg, weights, key, x0, n)
        losses = per_sample_loss(x, target)
        return jnp.mean(losses), x

    def train_step(weights, opt_state, pool, key, target):
        k_start, k_n, k_run = jax.random.split(key, 3)
        x0, idx = start_batch(cfg, k_start, pool, target)
        n = jax.random.randint(k_n, (), cfg.min_steps, cfg.max_steps)
        (loss, x), grads = jax.value_and_grad(loss_fn, has_aux=True)(weights, k_run, x0, n, target)
        updates, opt_state = optimizer.update(normalize_grads(grads), opt_state, weights)
        weights = optax.apply_updates(weights, updates)
        if cfg.uses_pool():
            pool = pool.at[idx].set(x)
        return weights, opt_state, pool, loss

    return jax.jit(train_step, donate_argnums=(2,))


@lru_cache(maxsize=8)
def cached_train_step(cfg: NCATrainConfig):
    """`(optimizer, jitted train step)` for `cfg`, shared by trainers of the same config."""
    optimizer = make_optimizer(cfg)
    return optimizer, make_train_step(cfg, optimizer)
