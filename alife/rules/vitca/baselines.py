"""Baselines for ViTCA's denoising benchmark: a convolutional NCA and a small U-Net (Flax NNX).

ViTCA (Tesfaldet et al., NeurIPS 2022) compares against a U-Net, a U-Net-based CA and a ViT at
similar parameter counts. Ours, each near 10k parameters like the small ViTCA:

- `ConvNCA`: the Growing-NCA update (Mordvintsev et al. 2020) on the same cell layout as ViTCA
  (`[input | output | hidden]`): depthwise 3x3 perception (identity, Sobel-x, Sobel-y, zero
  padding) of every channel -> Dense(`mlp`) + ReLU -> zero-initialised Dense to output + hidden.
  It trains with ViTCA's own pool loop (`vitca_loop`), so only the update network differs.
- `UNet`: two levels (conv-conv, 2x2 average pool, conv-conv, nearest upsample, concat skip,
  conv-conv, 1x1 conv, sigmoid), mapping the masked image straight to the clean one; trained on
  fresh masked batches with the same mask curriculum and an L1 loss (`train_unet`).
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx

from alife.rules.vitca import masks
from alife.rules.vitca.train_loop import LoopConfig, fresh_samples, optimizer

Array = jax.Array

SOBEL_X = np.outer([1.0, 2.0, 1.0], [-1.0, 0.0, 1.0]) / 8.0


def perceive(x: Array) -> Array:
    """`[..., H, W, C]` -> `[..., H, W, 3C]`: identity, Sobel-x, Sobel-y per channel (zero pad)."""
    h, w = x.shape[-3], x.shape[-2]
    xp = jnp.pad(x, [(0, 0)] * (x.ndim - 3) + [(1, 1), (1, 1), (0, 0)])
    gx = jnp.zeros_like(x)
    gy = jnp.zeros_like(x)
    for a in range(3):
        for b in range(3):
            s = xp[..., a:a + h, b:b + w, :]
            gx = gx + SOBEL_X[a, b] * s
            gy = gy + SOBEL_X.T[a, b] * s
    return jnp.concatenate([x, gx, gy], axis=-1)


class ConvNCA(nnx.Module):
    """Cells `[..., H, W, C]` -> update `[..., H, W, U]` (perceive 3x3 + MLP)."""

    def __init__(self, cell_channels: int, update_channels: int, mlp: int, *, rngs: nnx.Rngs):
        self.fc1 = nnx.Linear(3 * cell_channels, mlp, rngs=rngs)
        zeros = nnx.initializers.zeros_init()
        self.fc2 = nnx.Linear(mlp, update_channels, kernel_init=zeros, bias_init=zeros,
                              rngs=rngs)

    def __call__(self, x: Array) -> Array:
        return self.fc2(jax.nn.relu(self.fc1(perceive(x))))


class UNet(nnx.Module):
    """Masked image `[B, H, W, C]` (H, W even) -> restored image `[B, H, W, C]` in (0, 1)."""

    def __init__(self, channels: int = 1, c1: int = 10, c2: int = 20, *, rngs: nnx.Rngs):
        def conv(i: int, o: int, k: int = 3) -> nnx.Conv:
            return nnx.Conv(i, o, (k, k), padding="SAME", rngs=rngs)

        self.down1, self.down2 = conv(channels, c1), conv(c1, c1)
        self.mid1, self.mid2 = conv(c1, c2), conv(c2, c2)
        self.up1, self.up2 = conv(c1 + c2, c1), conv(c1, c1)
        self.out = conv(c1, channels, 1)

    def __call__(self, x: Array) -> Array:
        a = jax.nn.relu(self.down2(jax.nn.relu(self.down1(x))))
        b, h, w, c = a.shape
        p = a.reshape(b, h // 2, 2, w // 2, 2, c).mean(axis=(2, 4))
        m = jax.nn.relu(self.mid2(jax.nn.relu(self.mid1(p))))
        u = jnp.repeat(jnp.repeat(m, 2, axis=1), 2, axis=2)
        y = jax.nn.relu(self.up2(jax.nn.relu(self.up1(jnp.concatenate([a, u], axis=-1)))))
        return jax.nn.sigmoid(self.out(y))


def split_module(module: nnx.Module) -> tuple[nnx.GraphDef, dict[str, Any]]:
    """`(graphdef, weights)` with weights a nested dict of arrays."""
    graphdef, state = nnx.split(module)
    return graphdef, nnx.to_pure_dict(state)


def conv_nca(cell_channels: int, update_channels: int, mlp: int = 128,
             seed: int = 0) -> tuple[Any, dict[str, Any]]:
    """`(update_fn, weights)` of a ConvNCA, ready for `vitca_loop`."""
    graphdef, weights = split_module(ConvNCA(cell_channels, update_channels, mlp,
                                             rngs=nnx.Rngs(seed)))
    return (lambda w, x: nnx.merge(graphdef, w)(x)), weights


def unet(channels: int = 1, c1: int = 10, c2: int = 20,
         seed: int = 0) -> tuple[Any, dict[str, Any]]:
    """`(apply_fn, weights)` of a UNet."""
    graphdef, weights = split_module(UNet(channels, c1, c2, rngs=nnx.Rngs(seed)))
    return (lambda w, x: nnx.merge(graphdef, w)(x)), weights


def train_unet(apply_fn: Any, weights: Any, images: Array, cfg: LoopConfig,
               log: Any = None, log_every: int = 100) -> Any:
    """Train the U-Net for `cfg.iterations` batches of `cfg.batch` fresh masked images (L1)."""
    tx = optimizer(cfg)

    @jax.jit
    def step(w, opt_state, iteration, key):
        target, masked = fresh_samples(key, images, cfg.batch, iteration, cfg)

        def loss_fn(w):
            return jnp.mean(jnp.abs(apply_fn(w, masked) - target))

        loss, grads = jax.value_and_grad(loss_fn)(w)
        updates, opt_state = tx.update(grads, opt_state, w)
        return optax.apply_updates(w, updates), opt_state, loss

    opt_state = tx.init(weights)
    key = jax.random.PRNGKey(cfg.seed)
    for i in range(cfg.iterations):
        key, sub = jax.random.split(key)
        weights, opt_state, loss = step(weights, opt_state, jnp.asarray(i, jnp.int32), sub)
        if log is not None and (i + 1) % log_every == 0:
            log(f"unet it {i + 1} loss {float(loss):.4f} "
                f"unlocked {int(masks.unlocked(i, cfg.unlock_start, cfg.unlock_end))}")
    return weights
