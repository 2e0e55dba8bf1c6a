"""Pool training of an image-restoring neural CA (ViTCA, or the conv-NCA baseline) on masked images.

Follows ViTCA's training recipe (Tesfaldet et al., NeurIPS 2022): a pool of CA states, each
holding a masked input image, its clean target, and the output + hidden channels. Each iteration
draws a batch from the pool, replaces `fresh` of its samples with new ones (a training image, a
mask from the unlocked curriculum in `masks`, output 0.5 grey, hidden 0), runs `steps` CA
steps (each cell fires with probability `fire_rate`), and minimises

    loss = mean |output - clean| + overflow_weight * (out-of-range penalty)

where the penalty is the mean distance of output channels outside [0, 1] and hidden channels
outside [-1, 1]. The batch's final states go back into the pool, so the CA also learns to keep a
restored image stable. Adam with cosine-decayed learning rate and global-norm clipping.

The loop is generic over `update_fn(weights, x) -> update`, with `x = [input | output | hidden]`
`[B, H, W, C]` and the update `[B, H, W, output + hidden]`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax

from alife.rules.vitca import masks
from alife.rules.vitca.metrics import psnr, ssim
from alife.rules.vitca.training_block import LoopConfig

Array = jax.Array
UpdateFn = Callable[[Any, Array], Array]


def optimizer(cfg: LoopConfig) -> optax.GradientTransformation:
    """Adam, cosine decay from `lr` to `lr_final` over `iterations`, global-norm clipping."""
    schedule = optax.cosine_decay_schedule(cfg.lr, max(cfg.iterations, 1),
                                           alpha=cfg.lr_final / cfg.lr)
    return optax.chain(optax.clip_by_global_norm(cfg.clip), optax.adam(schedule))


def fresh_cells(shape: tuple[int, ...], out_c: int, hidden: int) -> Array:
    """Output 0.5 grey, hidden 0: `[*shape, out_c + hidden]`."""
    return jnp.concatenate([jnp.full(shape + (out_c,), 0.5, jnp.float32),
                            jnp.zeros(shape + (hidden,), jnp.float32)], axis=-1)


def rollout(update_fn: UpdateFn, weights: Any, key: Array, image: Array, cells: Array,
            steps: int, fire_rate: float, remat: bool = False) -> Array:
    """`steps` CA steps on a batch: image `[B, H, W, C]`, cells `[B, H, W, U]` -> cells."""

    def body(c: Array, k: Array) -> tuple[Array, None]:
        update = update_fn(weights, jnp.concatenate([image, c], axis=-1))
        fire = jax.random.uniform(k, c.shape[:-1] + (1,)) < fire_rate
        return c + jnp.where(fire, update, 0.0), None

    if remat:
        body = jax.checkpoint(body)
    cells, _ = jax.lax.scan(body, cells, jax.random.split(key, steps))
    return cells


def loss_terms(cells: Array, target: Array, out_c: int) -> tuple[Array, Array]:
    """`(reconstruction L1, out-of-range penalty)` of final cells against clean targets."""
    out, hidden = cells[..., :out_c], cells[..., out_c:]
    rec = jnp.mean(jnp.abs(out - target))
    over = jnp.mean(jax.nn.relu(out - 1.0) + jax.nn.relu(-out))
    if hidden.shape[-1]:
        over = over + jnp.mean(jax.nn.relu(jnp.abs(hidden) - 1.0))
    return rec, over


def new_pool(key: Array, images: Array, cfg: LoopConfig, out_c: int, hidden: int,
             iteration: int = 0) -> dict[str, Array]:
    """A pool of `cfg.pool` fresh samples: {"image", "cells", "target"}."""
    target, image = fresh_samples(key, images, cfg.pool, jnp.asarray(iteration), cfg)
    return {"image": image, "target": target,
            "cells": fresh_cells(image.shape[:-1], out_c, hidden)}


def fresh_samples(key: Array, images: Array, n: int, iteration: Array,
                  cfg: LoopConfig) -> tuple[Array, Array]:
    """`n` random training images and their masked copies, each `[n, H, W, C]`."""
    k_idx, k_mask = jax.random.split(key)
    target = images[jax.random.randint(k_idx, (n,), 0, images.shape[0])]
    h, w = images.shape[1], images.shape[2]
    mask = jax.vmap(lambda k: masks.sample_mask(k, h, w, iteration, cfg.unlock_start,
                                                cfg.unlock_end))(jax.random.split(k_mask, n))
    return target, jax.vmap(masks.apply_mask)(target, mask)


def make_train_step(update_fn: UpdateFn, cfg: LoopConfig, images: Array, out_c: int,
                    hidden: int) -> Callable[..., Any]:
    """A jitted `(weights, opt_state, pool, iteration, key) -> (weights, opt_state, pool, info)`."""
    tx = optimizer(cfg)

    def train_step(weights, opt_state, pool, iteration, key):
        k_idx, k_fresh, k_run = jax.random.split(key, 3)
        idx = jax.random.choice(k_idx, cfg.pool, (cfg.batch,), replace=False)
        batch = jax.tree_util.tree_map(lambda a: a[idx], pool)
        if cfg.fresh:
            target, image = fresh_samples(k_fresh, images, cfg.fresh, iteration, cfg)
            cells = fresh_cells(image.shape[:-1], out_c, hidden)
            batch = {"image": batch["image"].at[: cfg.fresh].set(image),
                     "target": batch["target"].at[: cfg.fresh].set(target),
                     "cells": batch["cells"].at[: cfg.fresh].set(cells)}

        def loss_fn(w):
            final = rollout(update_fn, w, k_run, batch["image"], batch["cells"], cfg.steps,
                            cfg.fire_rate, cfg.remat)
            rec, over = loss_terms(final, batch["target"], out_c)
            return rec + cfg.overflow_weight * over, (final, rec, over)

        (loss, (final, rec, over)), grads = jax.value_and_grad(loss_fn, has_aux=True)(weights)
        updates, opt_state = tx.update(grads, opt_state, weights)
        weights = optax.apply_updates(weights, updates)
        batch = dict(batch, cells=final)
        pool = jax.tree_util.tree_map(lambda p, b: p.at[idx].set(b), pool, batch)
        out = jnp.clip(final[..., :out_c], 0.0, 1.0)
        info = {"loss": loss, "rec": rec, "overflow": over,
                "psnr": jnp.mean(psnr(out, batch["target"])),
                "grad_norm": optax.tree.norm(grads),
                "unlocked": masks.unlocked(iteration, cfg.unlock_start, cfg.unlock_end)}
        return weights, opt_state, pool, info

    return jax.jit(train_step, donate_argnums=(2,))


def eval_set(test: np.ndarray, n: int | None = None, seed: int = 1234) -> tuple[Array, Array]:
    """A fixed evaluation set: `(clean, masked)`, image i masked with configuration i mod 9."""
    test = jnp.asarray(test if n is None else test[:n])
    h, w = test.shape[1], test.shape[2]
    keys = jax.random.split(jax.random.PRNGKey(seed), test.shape[0])
    index = jnp.arange(test.shape[0]) % len(masks.CONFIGS)
    m = jax.vmap(lambda k, i: masks.config_mask(k, h, w, i))(keys, index)
    return test, jax.vmap(masks.apply_mask)(test, m)


def evaluate_ca(update_fn: UpdateFn, weights: Any, clean: Array, masked: Array, steps: int,
                out_c: int, hidden: int, fire_rate: float = 0.5, chunk: int = 33,
                seed: int = 99) -> dict[str, np.ndarray]:
    """Run the CA `steps` steps from fresh cells on each masked image; per-image PSNR, SSIM."""
    run = jax.jit(lambda w, k, x: rollout(update_fn, w, k, x, fresh_cells(x.shape[:-1], out_c,
                                                                         hidden),
                                          steps, fire_rate)[..., :out_c])
    outs = []
    for i in range(0, clean.shape[0], chunk):
        key = jax.random.fold_in(jax.random.PRNGKey(seed), i)
        outs.append(np.asarray(run(weights, key, masked[i:i + chunk])))
    out = jnp.clip(jnp.asarray(np.concatenate(outs)), 0.0, 1.0)
    return {"psnr": np.asarray(psnr(out, clean)), "ssim": np.asarray(ssim(out, clean)),
            "output": np.asarray(out)}
