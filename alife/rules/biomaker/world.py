"""Biomaker world: cell types, colours, grid helpers and the preset layouts.

Follows Randazzo & Mordvintsev 2023, "Biomaker CA" (see `/work/shared/specs/biomaker.md`).
A world is three grids: `types [H, W]` int32, `st [H, W, 6]` float32 (integrity, age, earth
nutrient, air nutrient, 2 internal) and `ids [H, W]` int32 (an agent's program slot, 0 elsewhere).
Row 0 is the top. WATER (11) is our own extra material (rain), see docs/biomaker.md.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

Array = jax.Array

VOID, AIR, EARTH, IMMOVABLE, SUN, OUT_OF_BOUNDS = 0, 1, 2, 3, 4, 5
UNSPECIALIZED, ROOT, LEAF, FLOWER, FLOWER_SEXUAL = 6, 7, 8, 9, 10
WATER = 11
NUM_TYPES = 12
TYPE_NAMES = ("void", "air", "earth", "immovable", "sun", "out_of_bounds", "unspecialized",
              "root", "leaf", "flower", "flower_sexual", "water")

# state channels
INTEGRITY, AGE, EARTH_N, AIR_N, INT0, INT1 = 0, 1, 2, 3, 4, 5
NUM_CHANNELS = 6

#: RGB per type (uint8)
COLOURS = np.array([
    [12, 12, 16],      # void
    [200, 226, 245],   # air
    [128, 92, 56],     # earth
    [70, 70, 78],      # immovable
    [255, 214, 64],    # sun
    [0, 0, 0],         # out of bounds
    [170, 170, 170],   # unspecialized
    [196, 110, 40],    # root
    [40, 168, 60],     # leaf
    [235, 70, 160],    # flower
    [150, 80, 230],    # flower (sexual)
    [40, 110, 220],    # water
], np.uint8)

#: the 8 neighbour offsets (row, col); OFFSETS[7 - k] == -OFFSETS[k]
OFFSETS = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1))

WIDTHS = {"petri": 0.5, "square": 1.0, "landscape": 1.778, "wide": 4.0}
PRESETS = ("persistence", "pestilence", "collaboration", "sideways")


def is_agent(types: Array) -> Array:
    return (types >= UNSPECIALIZED) & (types <= FLOWER_SEXUAL)


def is_intangible(types: Array) -> Array:
    return (types == VOID) | (types == AIR)


def spec_slot(types: Array) -> Array:
    """Parameter block of an agent: 0 unspecialised, 1 root, 2 leaf, 3 flower."""
    return jnp.clip(types - UNSPECIALIZED, 0, 3)


def resolve_width(width: int | str, height: int) -> int:
    if isinstance(width, str):
        return int(WIDTHS[width] * height)
    return int(width)


def shifted(grid: Array, dr: int, dc: int, fill: float | int) -> Array:
    """`out[r, c] = grid[r + dr, c + dc]` (fill outside); leading two axes are rows, columns."""
    h, w = grid.shape[:2]
    pad = [(1, 1), (1, 1)] + [(0, 0)] * (grid.ndim - 2)
    padded = jnp.pad(grid, pad, constant_values=fill)
    return padded[1 + dr: 1 + dr + h, 1 + dc: 1 + dc + w]


def neighbours(grid: Array, fill: float | int) -> Array:
    """`[8, H, W, ...]`: the value at each of the 8 neighbours (OFFSETS order)."""
    h, w = grid.shape[:2]
    pad = [(1, 1), (1, 1)] + [(0, 0)] * (grid.ndim - 2)
    padded = jnp.pad(grid, pad, constant_values=fill)
    return jnp.stack([padded[1 + dr: 1 + dr + h, 1 + dc: 1 + dc + w] for dr, dc in OFFSETS])


def layout(preset: str, height: int, width: int) -> np.ndarray:
    """The preset's material grid (NumPy int32), before seeds are planted."""
    t = np.full((height, width), AIR, np.int32)
    if preset == "sideways":
        t[height // 2:] = EARTH
        t[0] = AIR
        t[height - 1] = EARTH
        for i in range(10):
            t[i, : max(0, 20 - 2 * i)] = SUN
            t[height - 1 - i, max(0, width - 20 + 2 * i):] = IMMOVABLE
    else:
        t[height // 2:] = EARTH
        t[0] = SUN
        t[height - 1] = IMMOVABLE
    return t


def seed_columns(width: int, seeds: int) -> list[int]:
    """Columns of the initial seeds, evenly spread (one seed: the middle column)."""
    return [int(width * (i + 1) / (seeds + 1)) for i in range(seeds)]


def landing_rows(types: Array) -> Array:
    """Per column, the highest AIR row with EARTH directly below, or -1 (`[W]` int32)."""
    h = types.shape[0]
    fertile = (types[:-1] == AIR) & (types[1:] == EARTH)
    rows = jnp.arange(h - 1)[:, None]
    first = jnp.min(jnp.where(fertile, rows, h), axis=0)
    return jnp.where(first < h, first, -1).astype(jnp.int32)
