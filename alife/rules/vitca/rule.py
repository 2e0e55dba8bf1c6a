"""ViTCA as a Rule: an attention-based neural CA that restores masked images.

Follows Tesfaldet, Nowrouzezahrai, Pal, "Attention-based Neural Cellular Automata" (NeurIPS 2022);
the network is in `model.py`. Each cell's state is `[input pixel | output pixel | hidden]`:
the input (the corrupted image) is never updated; the output starts at 0.5 grey and the hidden
channels at 0. One step runs the network on every cell and each cell applies its update with
probability `fire_rate` (0.5); kept updates are not rescaled. With `clip=True` (the default) the
output channels are then clipped to [0, 1] and the hidden ones to [-1, 1], the ranges that the
training penalty enforces: an inference-time guard (training does not clip) that keeps long runs
stable. Measured on 27 held-out digits with the shipped weights: PSNR 27.6 dB at 40 steps either
way; at 1000 steps 24.3 dB clipped vs 19.9 dB unclipped.

State: `image` `[H, W, C]` (the input, possibly masked), `cells` `[H, W, C + hidden]` (output then
hidden channels), `target` `[H, W, C]` (the clean image, for the PSNR metric only), `delta` (mean
|update| of the last step) and `generation`. Params: the network `weights` (a nested dict of
arrays, so the app swaps trained weights without recompiling) and `fire_rate`.

What the app shows and edits:
- `view`: the OUTPUT channels, clipped to [0, 1], as `[H, W, 3]` float32 ("rgb"; grey images are
  repeated on three channels).
- `cells` / `with_cells`: the INPUT image as `[H, W]` float32 (its channel mean): that is what
  patterns, images and the brush write into.
- `paint(mask, value)`:
  `value < 0`: mask - input pixels under the brush set to the training mask value 0, and the
  output/hidden channels there reset (output to 0, hidden to 0) so the hole is visible and you
  watch ViTCA fill it in;
  `0 <= value <= 1`: draw that grey level into the input (and the output, so it shows at once);
  `value > 1`: noise-mask - each pixel under the brush is masked with probability 0.5 (the
  1-px masking of training), drawn from a key derived from the generation.
- `init`: a held-out digit from `alife.data.digits` (resized to the grid) with a random training
  mask applied; output grey, hidden 0.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.errors import AlifeError
from alife.core.rule import GridEditing, Rule
from alife.core.types import param, pytree_dataclass
from alife.rules.vitca import model

Array = jax.Array


@pytree_dataclass
class ViTCAState:
    image: Array
    cells: Array
    target: Array
    delta: Array
    generation: Array


@pytree_dataclass
class ViTCAParams:
    weights: Any
    fire_rate: Array = param(0.0, 1.0, "probability that a cell applies its update each step")


def fresh_cells(image: Array, out_channels: int, hidden: int) -> Array:
    """Output channels 0.5 grey and hidden channels 0, `[..., H, W, out + hidden]`."""
    shape = image.shape[:-1]
    return jnp.concatenate([jnp.full(shape + (out_channels,), 0.5, jnp.float32),
                            jnp.zeros(shape + (hidden,), jnp.float32)], axis=-1)


def ca_step(graphdef: Any, weights: Any, key: Array, image: Array, cells: Array,
            fire_rate: Array) -> tuple[Array, Array]:
    """One ViTCA step on `[..., H, W, *]` grids: `(new cells, mean |applied update|)`."""
    update = model.apply(graphdef, weights, jnp.concatenate([image, cells], axis=-1))
    fire = jax.random.uniform(key, cells.shape[:-1] + (1,)) < fire_rate
    applied = jnp.where(fire, update, 0.0)
    return cells + applied, jnp.mean(jnp.abs(applied))


def resolve_path(path: str) -> Path:
    """A weights path as given; `assets/...` that is not there names a shipped asset
    (`alife.assets`, found through importlib.resources)."""
    p = Path(path)
    if p.is_absolute() or p.exists() or p.parts[:1] != ("assets",):
        return p
    from alife.core.packagedata import data_folder

    return data_folder("assets").joinpath(*p.parts[1:])


class ViTCARule(Rule, GridEditing):
    """ViTCA on a `width` x `height` grid of 1x1 cells (`channels` = 1 grey or 3 RGB)."""

    family = "vitca"
    num_states = 0
    look = "rgb"

    def __init__(self, width: int = 32, height: int = 32, channels: int = 1, hidden: int = 16,
                 embed: int = 32, heads: int = 2, mlp: int = 64, depth: int = 1,
                 pos_freqs: int = 4, weights: str | None = None, seed: int = 0,
                 clip: bool = True):
        if width < 3 or height < 3:
            raise AlifeError(f"vitca grid {width}x{height} is too small; expected at least 3x3")
        if channels not in (1, 3):
            raise AlifeError(f"vitca channels={channels}; expected 1 (grey) or 3 (rgb)")
        for name, value, low, high in (("hidden", hidden, 0, 256), ("embed", embed, 1, 1024),
                                       ("heads", heads, 1, 64), ("mlp", mlp, 1, 4096),
                                       ("depth", depth, 1, 32), ("pos_freqs", pos_freqs, 0, 32)):
            if not low <= value <= high:  # before the network is built: 1e9 layers would hang
                raise AlifeError(f"vitca {name}={value}; expected {low}..{high}")
        if embed % heads:
            raise AlifeError(f"vitca embed={embed} is not divisible by heads={heads}")
        self.width, self.height, self.channels = int(width), int(height), int(channels)
        self.weights_path = weights
        self.seed = int(seed)
        self.clip = bool(clip)
        self.net = model.ViTCAConfig(in_channels=channels, out_channels=channels,
                                     hidden_channels=int(hidden), embed=int(embed),
                                     heads=int(heads), mlp=int(mlp), depth=int(depth),
                                     pos_freqs=int(pos_freqs))
        self.graphdef, self._init_weights = model.build(self.net, self.seed)
        self._images: np.ndarray | None = None

    # ---- config and params ----------------------------------------------------------------
    def config(self) -> dict[str, Any]:
        n = self.net
        return dict(width=self.width, height=self.height, channels=self.channels,
                    hidden=n.hidden_channels, embed=n.embed, heads=n.heads, mlp=n.mlp,
                    depth=n.depth, pos_freqs=n.pos_freqs, weights=self.weights_path,
                    seed=self.seed, clip=self.clip)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.width)

    def default_params(self) -> ViTCAParams:
        weights = self._init_weights
        if self.weights_path:
            weights = self.load_weights(self.weights_path)
        return ViTCAParams(weights=weights, fire_rate=jnp.asarray(0.5, jnp.float32))

    def load_weights(self, path: str | Path) -> Any:
        """Weights from a `.npz` written by `save_weights` or the trainer (checked shapes)."""
        from alife.core.fileio import arrays_to_tree, load_arrays

        arrays = load_arrays(resolve_path(str(path)))
        prefix = "weights/"
        if any(k.startswith(prefix) for k in arrays):
            arrays = {k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)}
        return arrays_to_tree(arrays, self._init_weights, where=str(path))

    def describe(self) -> str:
        return f"vitca {self.width}x{self.height} embed {self.net.embed} hidden " \
               f"{self.net.hidden_channels}"

    # ---- images -----------------------------------------------------------------------------
    def _sample_images(self) -> np.ndarray:
        """Held-out digits resized to the grid, `[N, H, W, channels]`."""
        if self._images is None:
            from alife.data.digits import digits_split

            _, test = digits_split(32)
            with jax.ensure_compile_time_eval():  # concrete even if first called under a trace
                imgs = np.asarray(jax.image.resize(
                    test, (test.shape[0], self.height, self.width, 1), method="linear"))
            imgs = np.clip(imgs, 0.0, 1.0)
            self._images = np.repeat(imgs, self.channels, axis=-1).astype(np.float32)
        return self._images

    def state_from_image(self, image: Array, masked: Array | None = None) -> ViTCAState:
        """A fresh state whose clean target is `image` `[H, W, C]` and input is `masked`."""
        image = jnp.asarray(image, jnp.float32)
        masked = image if masked is None else jnp.asarray(masked, jnp.float32)
        return ViTCAState(image=masked,
                          cells=fresh_cells(image, self.channels, self.net.hidden_channels),
                          target=image, delta=jnp.zeros((), jnp.float32),
                          generation=jnp.zeros((), jnp.int32))

    # ---- the contract -----------------------------------------------------------------------
    def init(self, key: Array, params: ViTCAParams) -> ViTCAState:
        del params
        from alife.rules.vitca.masks import CONFIGS, apply_mask, config_mask

        images = jnp.asarray(self._sample_images())
        k_img, k_cfg, k_mask = jax.random.split(key, 3)
        image = images[jax.random.randint(k_img, (), 0, images.shape[0])]
        index = jax.random.randint(k_cfg, (), 0, len(CONFIGS))
        mask = config_mask(k_mask, self.height, self.width, index)
        return self.state_from_image(image, apply_mask(image, mask))

    def step(self, key: Array, state: ViTCAState, params: ViTCAParams) -> ViTCAState:
        cells, delta = ca_step(self.graphdef, params.weights, key, state.image, state.cells,
                               params.fire_rate)
        if self.clip:
            c = self.channels
            cells = jnp.concatenate([jnp.clip(cells[..., :c], 0.0, 1.0),
                                     jnp.clip(cells[..., c:], -1.0, 1.0)], axis=-1)
        return ViTCAState(image=state.image, cells=cells, target=state.target, delta=delta,
                          generation=state.generation + 1)

    def output(self, state: ViTCAState) -> Array:
        """The output channels, `[H, W, C]`, unclipped."""
        return state.cells[..., : self.channels]

    def view(self, state: ViTCAState, params: ViTCAParams) -> Array:
        del params
        out = jnp.clip(self.output(state), 0.0, 1.0).astype(jnp.float32)
        return jnp.repeat(out, 3, axis=-1) if self.channels == 1 else out

    def metrics(self, state: ViTCAState, params: ViTCAParams) -> dict[str, Array]:
        del params
        from alife.rules.vitca.metrics import psnr

        out = jnp.clip(self.output(state), 0.0, 1.0)
        return {"generation": state.generation, "update": state.delta,
                "psnr": psnr(out, state.target), "psnr_input": psnr(state.image, state.target)}

    def paint(self, state: ViTCAState, params: ViTCAParams, mask: Array,
              value: Array) -> ViTCAState:
        del params
        mask = jnp.asarray(mask, bool)
        value = jnp.asarray(value, jnp.float32)
        key = jax.random.fold_in(jax.random.PRNGKey(0x51CA), state.generation)
        speckle = jax.random.uniform(key, mask.shape) < 0.5
        hole = mask & ((value < 0) | ((value > 1) & speckle))
        draw = mask & (value >= 0) & (value <= 1)
        image = jnp.where(hole[..., None], 0.0, state.image)
        image = jnp.where(draw[..., None], value, image)
        c = self.channels
        out = jnp.where(hole[..., None], 0.0, state.cells[..., :c])
        out = jnp.where(draw[..., None], value, out)
        hidden = jnp.where((hole | draw)[..., None], 0.0, state.cells[..., c:])
        return ViTCAState(image=image, cells=jnp.concatenate([out, hidden], axis=-1),
                          target=state.target, delta=state.delta, generation=state.generation)

    def cells(self, state: ViTCAState) -> Array:
        return jnp.mean(state.image, axis=-1).astype(jnp.float32)

    def with_cells(self, state: ViTCAState, cells: Array) -> ViTCAState:
        grid = jnp.asarray(cells, jnp.float32)
        image = jnp.broadcast_to(grid[..., None], state.image.shape)
        return ViTCAState(image=image, cells=state.cells, target=state.target,
                          delta=state.delta, generation=state.generation)
