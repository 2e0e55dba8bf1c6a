"""Growing-NCA fitness for evolution: `target_image`, minus the mean squared error between the
final RGBA (premultiplied, channels 0-3, as the gradient trainer's loss) and a target PNG
(`target`, `target_size`, relative to the scene), centred in the grid."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jax.numpy as jnp
import numpy as np

from alife.core.config import setting
from alife.core.errors import AlifeError
from alife.core.fitness import Fitness, FitnessEntry, Traj
from alife.core.rule import Array, Params, State


@dataclass(frozen=True)
class TargetSettings:
    """`target_image`'s keys in the `evolution:` block."""

    target: str | None = setting(None, path="file", doc="the target PNG, relative to the scene")
    target_size: int | None = setting(None, low=1, doc="target size in cells (default: the "
                                                       "grid's shorter side)")


def load_target_grid(world: Any, settings: dict[str, Any]) -> np.ndarray:
    """The target PNG as premultiplied RGBA `[H, W, 4]`, centred in the world's grid."""
    from alife.rules.nca.training import load_target

    if not settings.get("target"):
        raise AlifeError("target_image needs a target PNG", where="evolution.target")
    base = world.path.parent if world.path is not None else Path.cwd()
    h, w = world.rule.shape
    size = int(settings.get("target_size") or min(h, w))
    if size > min(h, w):
        raise AlifeError(f"target_size {size} does not fit the {w}x{h} grid",
                         where="evolution.target_size")
    small = load_target(base / settings["target"], size)
    grid = np.zeros((h, w, 4), np.float32)
    top, left = (h - size) // 2, (w - size) // 2
    grid[top:top + size, left:left + size] = small
    return grid


def _target_image(world: Any, settings: dict[str, Any]) -> Fitness:
    target = jnp.asarray(load_target_grid(world, settings))
    if not hasattr(world.state, "x") or world.state.x.shape[-1] < 4:
        raise AlifeError("target_image needs a neural CA state with RGBA channels",
                         where="evolution.fitness")

    def score(traj: Traj, final: State, params: Params) -> Array:
        err = jnp.mean(jnp.square(final.x[..., :4] - target))
        return -jnp.where(jnp.isfinite(err), err, 1e3)

    return Fitness("target_image", lambda s, p: {}, score)


FITNESS = {
    "target_image": FitnessEntry(
        "neural CA: minus the RGBA error to a target image at the end", _target_image,
        TargetSettings),
}
