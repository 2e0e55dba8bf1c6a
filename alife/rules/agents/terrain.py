"""The living terrain of the agents family (JaxLife, Lu et al. 2024, section 3.1).

A torus of cells, each with eight properties stacked as `cells [P, H, W]` float32:

    0 energy          food; regrows by `gain - regrow_offset` per step, clipped to [0, max energy]
    1 energy gain     how fast it regrows (terraformable)
    2 max energy      the regrowth ceiling
    3 move cost       scales the cost of moving out of the cell (terraformable)
    4 push cost       scales the cost of pushing (terraformable)
    5 message cost    scales the cost of messages (terraformable)
    6 reproduce cost  scales the cost of reproducing (terraformable)
    7 bit             0/1, the tape the robots read and write

Maps: "perlin" (each property normalised Perlin noise of resolution `res` times its cap, energy at
its max), "random" (uniform noise), "two_islands"/"four_islands" (energy and gain only on round
islands, costs from noise). Weather: the noise's gradient angles turn slowly (`weather_speed`
radians per step, a random direction per lattice point), and properties 1..6 relax toward the
drifted base map (`relax` per step). Tileable on the torus because the lattice wraps.
"""

from __future__ import annotations

import dataclasses
import math

import jax
import jax.numpy as jnp

from alife.core.types import pytree_dataclass

Array = jax.Array

ENERGY, GAIN, MAX_ENERGY, MOVE, PUSH, MESSAGE, REPRODUCE, BIT = range(8)
NAMES = ("energy", "gain", "max_energy", "move", "push", "message", "reproduce", "bit")
#: caps of each property (spec: energy 8, gain 1, move 4, push 4, message 0.25, reproduce 1)
CAPS = (8.0, 1.0, 8.0, 4.0, 4.0, 0.25, 1.0, 1.0)
#: the properties agents can terraform, in action order
TERRAFORMED = (GAIN, MOVE, PUSH, MESSAGE, REPRODUCE)
#: the properties an agent observes (normalised by their caps)
OBSERVED = (ENERGY, GAIN, MOVE, PUSH, MESSAGE, REPRODUCE, BIT)
MAPS = ("perlin", "random", "two_islands", "four_islands")
_NOISY = 6  # base maps for properties 1..6


@pytree_dataclass
class Terrain:
    """`cells [8, H, W]`; `angles`, `spin [6, res, res]`: the drifting Perlin gradients;
    `islands [H, W]` an island mask (all ones for maps without islands); `fixed [6, H, W]` a
    static base map used instead of the noise where `use_fixed` is 1 (the random map)."""

    cells: Array
    angles: Array
    spin: Array
    islands: Array
    fixed: Array
    use_fixed: Array


def caps() -> Array:
    return jnp.asarray(CAPS, jnp.float32)


def perlin(angles: Array, height: int, width: int) -> Array:
    """Tileable 2-D Perlin noise `[..., H, W]` from gradient angles `[..., res, res]`,
    normalised to [0, 1] per map."""
    res = angles.shape[-1]
    rows = (jnp.arange(height, dtype=jnp.float32) + 0.5) * res / height
    cols = (jnp.arange(width, dtype=jnp.float32) + 0.5) * res / width
    r0 = jnp.floor(rows).astype(jnp.int32)
    c0 = jnp.floor(cols).astype(jnp.int32)
    fr, fc = rows - r0, cols - c0
    # the gradients once per lattice point: without the barrier XLA fuses sin and cos into the
    # per-cell gathers below and evaluates them 8 times per cell (the same values either way)
    gr, gc = jax.lax.optimization_barrier((jnp.sin(angles), jnp.cos(angles)))

    def corner(dr: int, dc: int) -> Array:
        ri, ci = (r0 + dr) % res, (c0 + dc) % res
        g_r = gr[..., ri, :][..., :, ci]
        g_c = gc[..., ri, :][..., :, ci]
        return g_r * (fr - dr)[:, None] + g_c * (fc - dc)[None, :]

    def fade(t: Array) -> Array:
        return t * t * t * (t * (t * 6 - 15) + 10)

    ur, uc = fade(fr)[:, None], fade(fc)[None, :]
    top = corner(0, 0) * (1 - uc) + corner(0, 1) * uc
    bottom = corner(1, 0) * (1 - uc) + corner(1, 1) * uc
    noise = top * (1 - ur) + bottom * ur
    low = noise.min(axis=(-2, -1), keepdims=True)
    high = noise.max(axis=(-2, -1), keepdims=True)
    return (noise - low) / jnp.maximum(high - low, 1e-6)


def _island_mask(kind: str, height: int, width: int) -> Array:
    if kind not in ("two_islands", "four_islands"):
        return jnp.ones((height, width), jnp.float32)
    rows = jnp.arange(height, dtype=jnp.float32)[:, None]
    cols = jnp.arange(width, dtype=jnp.float32)[None, :]
    centres = ([(0.5, 0.25), (0.5, 0.75)] if kind == "two_islands"
               else [(0.25, 0.25), (0.25, 0.75), (0.75, 0.25), (0.75, 0.75)])
    radius = 0.18 * min(height, width)
    mask = jnp.zeros((height, width), jnp.float32)
    for cr, cc in centres:
        d = jnp.sqrt((rows - cr * height) ** 2 + (cols - cc * width) ** 2)
        mask = jnp.maximum(mask, (d < radius).astype(jnp.float32))
    return mask


def base_maps(terrain: Terrain, height: int, width: int) -> Array:
    """The drifted base map of properties 1..6 (`[6, H, W]`, in property units)."""
    noise = perlin(terrain.angles, height, width)
    scale = caps()[1:7][:, None, None]
    base = noise * scale
    island = terrain.islands[None]
    keep = jnp.asarray([1.0, 1.0, 0.0, 0.0, 0.0, 0.0])[:, None, None]  # gain and max energy
    base = jnp.where(keep > 0, base * island, base)
    return jnp.where(terrain.use_fixed > 0, terrain.fixed, base)


def make(key: Array, kind: str, height: int, width: int, res: int) -> Terrain:
    """A fresh terrain of map `kind`; energy starts at its max."""
    k_angle, k_spin, k_random = jax.random.split(key, 3)
    angles = jax.random.uniform(k_angle, (_NOISY, res, res), minval=0.0, maxval=2 * math.pi)
    spin = jnp.sign(jax.random.uniform(k_spin, (_NOISY, res, res)) - 0.5)
    islands = _island_mask(kind, height, width)
    fixed = jax.random.uniform(k_random, (_NOISY, height, width)) * caps()[1:7][:, None, None]
    use_fixed = jnp.asarray(1.0 if kind == "random" else 0.0, jnp.float32)
    terrain = Terrain(cells=jnp.zeros((8, height, width), jnp.float32), angles=angles,
                      spin=spin, islands=islands, fixed=fixed, use_fixed=use_fixed)
    base = base_maps(terrain, height, width)
    cells = jnp.concatenate([base[MAX_ENERGY - 1][None], base, jnp.zeros((1, height, width))])
    return dataclasses.replace(terrain, cells=cells.astype(jnp.float32))


def update(terrain: Terrain, weather_speed: Array, relax: Array, regrow_offset: Array) -> Terrain:
    """One step of weather: the gradients turn, properties 1..6 relax toward the base map, and
    energy regrows by `gain - regrow_offset`, clipped to [0, max energy]."""
    height, width = terrain.cells.shape[1:]
    angles = terrain.angles + weather_speed * terrain.spin
    drifted = dataclasses.replace(terrain, angles=angles)
    base = base_maps(drifted, height, width)
    props = terrain.cells[1:7] + relax * (base - terrain.cells[1:7])
    energy = jnp.clip(terrain.cells[ENERGY] + props[GAIN - 1] - regrow_offset, 0.0,
                      props[MAX_ENERGY - 1])
    cells = jnp.concatenate([energy[None], props, terrain.cells[BIT][None]])
    return dataclasses.replace(drifted, cells=cells)


def cell_index(position: Array, height: int, width: int) -> tuple[Array, Array]:
    """Integer (row, col) of the cell under each `[N, 2]` position (cell units, wrapped)."""
    row = jnp.floor(position[:, 0]).astype(jnp.int32) % height
    col = jnp.floor(position[:, 1]).astype(jnp.int32) % width
    return row, col


def window(cells: Array, row: Array, col: Array, radius: int) -> Array:
    """The `[N, 2r+1, 2r+1, 7]` observed properties around each cell, normalised by their caps."""
    height, width = cells.shape[1:]
    offsets = jnp.arange(-radius, radius + 1)
    rr = (row[:, None] + offsets[None]) % height             # [N, K]
    cc = (col[:, None] + offsets[None]) % width
    observed = cells[jnp.asarray(OBSERVED)] / caps()[jnp.asarray(OBSERVED)][:, None, None]
    patch = observed[:, rr[:, :, None], cc[:, None, :]]    # [7, N, K, K]
    return jnp.moveaxis(patch, 0, -1)
