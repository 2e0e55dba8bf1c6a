"""Growing Neural Cellular Automata (Mordvintsev et al., Distill 2020) as a Rule, family "nca".

State: `x [H, W, C]` float32 (C = 16: premultiplied RGBA in channels 0-3, 12 hidden) and the
generation. Params: the update network's weights (`w1 [3C, hidden]`, `b1`, `w2 [hidden, C]`, `b2`)
and the fire rate (a slider), all arrays, so trained weights swap in without recompiling. The
weights do not depend on the grid size: a model trained on a 40x40 grid runs on any grid.
Conventions, perception and the update are in `alife.rules.nca.model`.

- `init`: the seed, one centre cell with channels 3..C-1 = 1.
- `view`: RGB composited over white, float32 `[H, W, 3]` in [0, 1] (`look = "rgb"`).
- `paint(mask, value)`: `value < 0` damages (all channels 0 under the mask); `value >= 0` places a
  seed (channels 3..C-1 = 1, RGB 0) at every masked cell.
- `cells`: the alpha channel (float32); `with_cells` sets alpha (and clears cells set to 0).
- `metrics`: generation, alive cells (alive mask), mean alpha.
Weights files (`assets/weights/nca_*.npz`) are `save_tree` archives of `NCAParams`.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.errors import AlifeError
from alife.core.rule import GridEditing, ImageTarget, Rule
from alife.core.types import param, pytree_dataclass
from alife.rules.nca.model import (
    ALPHA,
    NCAWeights,
    alive_mask,
    init_weights,
    nca_step,
    seed_state,
    to_rgb,
)

Array = jax.Array


@pytree_dataclass
class NCAState:
    x: Array  # [H, W, C] float32
    generation: Array  # int32 scalar


@pytree_dataclass
class NCAParams(NCAWeights):
    """The update network's weights (`NCAWeights`' fields `w1`, `b1`, `w2`, `b2`, first and
    under the same names, so weights files keep their keys) and the fire rate (a slider)."""

    fire_rate: Array = param(0.0, 1.0, "probability that a cell applies its update in a step")

    @property
    def weights(self) -> NCAWeights:
        """The weights alone (the pytree a trainer optimises)."""
        return NCAWeights(self.w1, self.b1, self.w2, self.b2)


def params_from_weights(weights: NCAWeights, fire_rate: float = 0.5) -> NCAParams:
    return NCAParams(w1=weights.w1, b1=weights.b1, w2=weights.w2, b2=weights.b2,
                     fire_rate=jnp.asarray(fire_rate, jnp.float32))


class NCARule(Rule, GridEditing, ImageTarget):
    """Growing NCA on an `height x width` grid (zero-padded edges, no wrap)."""

    family = "nca"
    num_states = 0
    look = "rgb"

    def __init__(self, width: int = 72, height: int = 72, channels: int = 16, hidden: int = 128,
                 fire_rate: float = 0.5, init_seed: int = 0):
        if channels < 4 or hidden < 1 or width < 3 or height < 3:
            raise AlifeError(f"nca needs channels >= 4, hidden >= 1 and a grid of at least 3x3; "
                             f"got channels={channels}, hidden={hidden}, {width}x{height}")
        if not 0.0 <= fire_rate <= 1.0:
            raise AlifeError(f"nca fire_rate must be in [0, 1]; got {fire_rate}")
        self.width, self.height = int(width), int(height)
        self.channels, self.hidden = int(channels), int(hidden)
        self.fire_rate, self.init_seed = float(fire_rate), int(init_seed)

    def config(self) -> dict[str, Any]:
        return {"width": self.width, "height": self.height, "channels": self.channels,
                "hidden": self.hidden, "fire_rate": self.fire_rate, "init_seed": self.init_seed}

    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.width)

    def describe(self) -> str:
        return f"nca {self.width}x{self.height} ({self.channels} channels, {self.hidden} hidden)"

    def default_params(self) -> NCAParams:
        """Untrained weights (last layer zero, so the seed stays a seed)."""
        key = jax.random.PRNGKey(self.init_seed)
        return params_from_weights(init_weights(key, self.channels, self.hidden), self.fire_rate)

    def init(self, key: Array, params: NCAParams) -> NCAState:
        del key, params
        return NCAState(seed_state(self.height, self.width, self.channels), jnp.int32(0))

    def step(self, key: Array, state: NCAState, params: NCAParams) -> NCAState:
        x = nca_step(key, params.weights, state.x, params.fire_rate)
        return NCAState(x, state.generation + 1)

    def view(self, state: NCAState, params: NCAParams) -> Array:
        del params
        return to_rgb(state.x)

    def metrics(self, state: NCAState, params: NCAParams) -> dict[str, Array]:
        del params
        alpha = jnp.clip(state.x[..., ALPHA], 0.0, 1.0)
        return {"generation": state.generation,
                "alive": jnp.sum(alive_mask(state.x)).astype(jnp.float32),
                "mean_alpha": jnp.mean(alpha)}

    def paint(self, state: NCAState, params: NCAParams, mask: Array, value: Array) -> NCAState:
        del params
        m = mask[..., None]
        seed = jnp.zeros((self.channels,), jnp.float32).at[ALPHA:].set(1.0)
        x = jnp.where(m, jnp.where(value < 0, 0.0, seed), state.x)
        return NCAState(x, state.generation)

    def cells(self, state: NCAState) -> Array:
        return state.x[..., ALPHA]

    def with_cells(self, state: NCAState, cells: Array) -> NCAState:
        cells = jnp.asarray(cells, jnp.float32)
        x = jnp.where((cells == 0)[..., None], 0.0, state.x).at[..., ALPHA].set(cells)
        return NCAState(x, state.generation)

    # ---- ImageTarget: what the Training panel can train towards ----------------------------
    def target_from_file(self, path: str, size: int) -> np.ndarray:
        from alife.rules.nca.training import load_target

        return load_target(path, size)

    def target_from_state(self, state: NCAState, size: int) -> np.ndarray:
        """The living part of the canvas (alpha > 0.1), cropped and fitted to `size`."""
        from alife.rules.nca.training import fit_target

        rgba = np.clip(np.asarray(state.x[..., :4], np.float32), 0.0, 1.0)
        ys, xs = np.nonzero(rgba[..., 3] > 0.1)
        if len(ys) == 0:
            raise AlifeError("the canvas is empty: nothing to use as a target")
        return fit_target(rgba[ys.min():ys.max() + 1, xs.min():xs.max() + 1], size)
