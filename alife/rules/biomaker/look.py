"""Biomaker display and host-side inspection: colours per type, nutrient overlays, metrics,
a cell inspector (Biomaker CA, Randazzo & Mordvintsev 2023)."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.rules.biomaker.world import (
    COLOURS,
    FLOWER,
    FLOWER_SEXUAL,
    LEAF,
    ROOT,
    TYPE_NAMES,
    UNSPECIALIZED,
    is_agent,
)

Array = jax.Array


def view(types: Array, st: Array, cap: Array, overlay: Array) -> Array:
    """`[H, W, 3]` uint8: a colour per type; overlay 1 earth, 2 air, 3 both nutrients."""
    base = jnp.asarray(COLOURS)[types].astype(jnp.float32)
    e = jnp.clip(st[..., 2] / cap, 0.0, 1.0)
    a = jnp.clip(st[..., 3] / cap, 0.0, 1.0)
    mode = jnp.round(overlay).astype(jnp.int32)
    show_e = (mode == 1) | (mode == 3)
    show_a = (mode == 2) | (mode == 3)
    tint = jnp.stack([jnp.where(show_e, e, 0.0), jnp.where(show_e, e * 0.5, 0.0),
                      jnp.where(show_a, a, 0.0)], -1) * 255.0
    out = jnp.where(mode > 0, 0.35 * base + 0.65 * tint, base)
    return jnp.clip(out, 0, 255).astype(jnp.uint8)


def metrics(types: Array, st: Array, ids: Array, pool_size: int) -> dict[str, Array]:
    agent = is_agent(types)
    count = lambda m: jnp.sum(m).astype(jnp.int32)  # noqa: E731
    energy = jnp.sum(jnp.where(agent, st[..., 2] + st[..., 3], 0.0))
    alive = jnp.zeros(pool_size, bool).at[ids.ravel()].max(agent.ravel())
    return {
        "agents": count(agent),
        "unspecialized": count(types == UNSPECIALIZED),
        "roots": count(types == ROOT),
        "leaves": count(types == LEAF),
        "flowers": count((types == FLOWER) | (types == FLOWER_SEXUAL)),
        "energy": energy,
        "programs": count(alive),
    }


def inspect_cell(types: np.ndarray, st: np.ndarray, ids: np.ndarray, programs: np.ndarray,
                 row: int, col: int) -> dict[str, Any]:
    """Everything the app's inspector shows about one cell (host-side NumPy)."""
    h, w = types.shape
    if not (0 <= row < h and 0 <= col < w):
        return {"type": "outside", "row": int(row), "col": int(col)}
    t = int(types[row, col])
    s = st[row, col]
    out: dict[str, Any] = {
        "row": int(row), "col": int(col), "type": TYPE_NAMES[t], "type_id": t,
        "integrity": float(s[0]), "age": float(s[1]), "earth_nutrient": float(s[2]),
        "air_nutrient": float(s[3]), "internal_0": float(s[4]), "internal_1": float(s[5]),
    }
    if UNSPECIALIZED <= t <= FLOWER_SEXUAL:
        pid = int(ids[row, col])
        program = programs[pid]
        agents = (types >= UNSPECIALIZED) & (types <= FLOWER_SEXUAL)
        out.update({
            "id": pid, "program_params": int(program.size),
            "program_norm": float(np.linalg.norm(program)),
            "program_cells": int(np.sum(agents & (ids == pid))),
        })
    return out
