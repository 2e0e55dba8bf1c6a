"""Lenia's `lenia_glider` fitness: a search for gliders from a random start.

The criteria are the ones automated discovery in Lenia uses (Chan 2019's survival and motion;
Reinke et al. 2020 and Etcheverry et al. 2020 keep "animals": alive, bounded, localised, and
here moving): a candidate's params are run from a random patch of noise (the scene's
`start: random` with `patch` and `grain`, drawn per generation), and

- viability (`alife.core.viability`, the rules the app's Evolve panel filters with), checked at
  every record: dead when the mass falls to `low` x the start's, exploded past `high` x the
  start's, or filling the world at `saturated` x the grid's cell count; and, here, spread over
  the world when the mass's circular spread (below) passes `extent` x the grid side (stripes
  and worms wrapping round the torus keep a steady mass but are no creature). A failing run stops
  being stepped (`Fitness.alive`) and scores the fraction of records it passed, in [0, 1):
  the search climbs towards the band between dying and exploding, where creatures live;
- a run that stays viable scores 1 + `stable` + `compact` + 4 x `stable` x `compact` x `motion`
  over its last (1 - `settle`) part: `stable` is 1 when the mass's max / min there is 1, falling
  to 0 at `mass_ratio`; `compact` is 1 while the mass's circular spread (on the torus, in each
  axis; the larger) stays under `spread` x the grid side, falling as (limit / spread)^2 past it;
  `motion` is the centroid's speed (the torus-unwrapped displacement over the steps) over
  `speed` cells per step, at most 1. A dead or exploding run scores below 1, a static blob at
  most 3, a glider up to 7.

`creature(world, params, state)` cuts the found creature out of a final state (the torus
centroid moved to the middle, the largest connected patch of living cells and a 2-cell margin;
other patches dropped) and writes it as a creature library entry (`library.species_entry`,
the `species.json` format). It runs the cut-out creature alone for `CHECK_STEPS` steps and says
whether it glides: mass within `CHECK_MASS`x of its start throughout and centroid speed over
`CHECK_SPEED` cells per step.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core import rollout, viability
from alife.core.config import setting
from alife.core.errors import AlifeError
from alife.core.fitness import Creature, Fitness, Traj
from alife.core.rule import Array, Params, State
from alife.rules.lenia import library
from alife.rules.lenia.rule import LeniaRule, place_cells, torus_centre

#: the found creature's own check: steps, speed (cells per step) and mass band (x its start)
CHECK_STEPS, CHECK_SPEED, CHECK_MASS = 1000, 0.05, 2.0
MARGIN = 2


@dataclass(frozen=True)
class LeniaGliderSettings:
    """`lenia_glider`'s keys in the `evolution:` block (module docstring)."""

    low: float = setting(viability.LOW, low=0, doc="dead at this x the start's mass")
    high: float = setting(viability.HIGH, above=0, doc="exploded past this x the start's mass")
    saturated: float = setting(0.25, above=0, high=1,
                               doc="filling the world: mass at this x the grid's cell count")
    extent: float = setting(0.25, above=0, high=10,
                            doc="spread over the world: circular spread past this x the grid "
                                "side")
    settle: float = setting(0.5, low=0, high=0.9,
                            doc="fraction of the run before stability and motion are measured")
    mass_ratio: float = setting(1.5, above=1, doc="mass max / min (after settling) scoring 0")
    spread: float = setting(0.12, above=0, high=1,
                            doc="circular spread (x the grid side) kept as compact")
    speed: float = setting(0.1, above=0, doc="centroid speed (cells per step) scoring full "
                                             "motion")


def _wrapped(delta: Array, n: int) -> Array:
    """A centre difference on a ring of n cells, mapped into [-n/2, n/2)."""
    return jnp.mod(delta + n / 2, n) - n / 2


def _axis(weights: Array, n: int) -> tuple[Array, Array]:
    """(circular centre, circular spread) of `weights` [n] on a ring of n cells, in cells."""
    angle = 2.0 * jnp.pi * jnp.arange(n) / n
    c, s = jnp.sum(weights * jnp.cos(angle)), jnp.sum(weights * jnp.sin(angle))
    total = jnp.maximum(jnp.sum(weights), 1e-12)
    resultant = jnp.clip(jnp.hypot(c, s) / total, 1e-12, 1.0)
    centre = jnp.mod(jnp.arctan2(s, c) * n / (2.0 * jnp.pi), n)
    return centre, jnp.sqrt(-2.0 * jnp.log(resultant)) * n / (2.0 * jnp.pi)


def glider_features(state: State, params: Params) -> dict[str, Array]:
    """mass, centre_x, centre_y (torus centroid) and spread (the larger circular spread of the
    two axes), from the cells; float32 scalars."""
    del params
    a = state.cells
    h, w = a.shape
    cx, sx = _axis(jnp.sum(a, axis=0), w)
    cy, sy = _axis(jnp.sum(a, axis=1), h)
    f32 = jnp.float32
    return {"mass": jnp.sum(a).astype(f32), "centre_x": cx.astype(f32),
            "centre_y": cy.astype(f32), "spread": jnp.maximum(sx, sy).astype(f32)}


def _rules(settings: dict[str, Any]) -> viability.Rules:
    return viability.Rules(low=float(settings.get("low", viability.LOW)),
                           high=float(settings.get("high", viability.HIGH)),
                           saturated=float(settings.get("saturated", 0.25)))


def _lenia_glider(world: Any, settings: dict[str, Any]) -> Fitness:
    if not isinstance(world.rule, LeniaRule):
        raise AlifeError("lenia_glider searches one-channel, one-kernel Lenia worlds; this one "
                         "has several kernels or channels", where="evolution.fitness")
    h, w = world.rule.shape
    rules, capacity = _rules(settings), float(h * w)
    extent = float(settings.get("extent", 0.25)) * max(h, w)
    settle = float(settings.get("settle", 0.5))
    ratio_max = float(settings.get("mass_ratio", 1.5))
    limit = float(settings.get("spread", 0.12)) * max(h, w)
    goal = float(settings.get("speed", 0.1))
    every = int(settings.get("record_every", 10))

    def alive(record: dict[str, Array], start: dict[str, Array]) -> Array:
        code = viability.record_code(record["mass"], start["mass"], start["mass"], capacity,
                                     rules, xp=jnp)
        return (code == viability.VIABLE) & (start["mass"] > 0) & (record["spread"] <= extent)

    def score(traj: Traj, final: State, params: Params) -> Array:
        mass = traj["mass"]
        records = mass.shape[0]
        passed = traj["alive"] if "alive" in traj else jax.vmap(
            lambda m, s: alive({"mass": m, "spread": s}, {"mass": mass[0]}))(
                mass, traj["spread"]).astype(jnp.float32)
        first = min(int(settle * (records - 1)), records - 2)
        late = mass[first:]
        ratio = jnp.max(late) / jnp.maximum(jnp.min(late), 1e-6)
        stable = jnp.clip((ratio_max - ratio) / (ratio_max - 1.0), 0.0, 1.0)
        spread = jnp.max(traj["spread"][first:])
        compact = jnp.minimum(1.0, (limit / jnp.maximum(spread, 1e-6)) ** 2)
        dx = jnp.sum(_wrapped(jnp.diff(traj["centre_x"][first:]), w))
        dy = jnp.sum(_wrapped(jnp.diff(traj["centre_y"][first:]), h))
        speed = jnp.hypot(dx, dy) / ((records - 1 - first) * every)
        motion = jnp.minimum(speed / goal, 1.0)
        kept = 1.0 + stable + compact + 4.0 * stable * compact * motion
        return jnp.where(jnp.all(passed > 0), kept, jnp.mean(passed))

    return Fitness("lenia_glider", glider_features, score, alive)


# ---- the found creature -------------------------------------------------------------------------
def cut_out(cells: np.ndarray) -> np.ndarray | None:
    """The largest connected patch of living cells of a world [H, W] with a `MARGIN`, the
    torus centroid first moved to the middle; None when nothing lives or the patch spans the
    world (no edge of its own)."""
    from scipy import ndimage

    a = np.asarray(cells, np.float32)
    if not np.any(a > 0):
        return None
    h, w = a.shape
    cy = float(torus_centre(jnp.asarray(a.sum(axis=1)), h))
    cx = float(torus_centre(jnp.asarray(a.sum(axis=0)), w))
    a = np.roll(a, (h // 2 - int(round(cy)), w // 2 - int(round(cx))), axis=(0, 1))
    labels, count = ndimage.label(a > 0)
    masses = ndimage.sum(a, labels, index=np.arange(1, count + 1))
    keep = labels == int(np.argmax(masses)) + 1
    ys, xs = np.nonzero(keep)
    if ys.min() == 0 or xs.min() == 0 or ys.max() == h - 1 or xs.max() == w - 1:
        return None
    top, bottom = max(0, ys.min() - MARGIN), min(h, ys.max() + MARGIN + 1)
    left, right = max(0, xs.min() - MARGIN), min(w, xs.max() + MARGIN + 1)
    return np.where(keep, a, 0.0)[top:bottom, left:right].astype(np.float32)


def glides(rule: Any, params: Params, cells: np.ndarray,
           steps: int = CHECK_STEPS) -> tuple[bool, float, float]:
    """(glides, speed in cells per step, mass max / min ratio against the start) of `cells`
    placed alone at the centre of `rule`'s world and run `steps` steps (module docstring)."""
    state = rule.with_cells(rule.blank(params), jnp.asarray(place_cells(rule.shape, cells)))
    final, feats = rollout.run(rule, jax.random.PRNGKey(0), state, params, steps,
                               record_every=1, observe=_observe)
    del final
    mass = np.concatenate([[float(np.sum(cells))], np.asarray(feats["mass"], np.float64)])
    h, w = rule.shape
    centres = [np.asarray(feats[k], np.float64) for k in ("centre_x", "centre_y")]
    start = glider_features(state, params)
    moved = []
    for series, first, n in zip(centres, (start["centre_x"], start["centre_y"]), (w, h),
                                strict=True):
        steps_ = np.diff(np.concatenate([[float(first)], series]))
        moved.append(float(np.sum((steps_ + n / 2) % n - n / 2)))
    speed = float(np.hypot(*moved)) / steps
    band = max(mass.max() / mass[0], mass[0] / max(mass.min(), 1e-9))
    return bool(speed > CHECK_SPEED and band <= CHECK_MASS), speed, float(band)


def _observe(state: State) -> dict[str, Array]:
    return glider_features(state, None)


def _creature(world: Any, params: Params, state: State) -> Creature | None:
    rule = world.rule
    cells = cut_out(np.asarray(rule.cells(state)))
    if cells is None:
        return None
    ok, speed, band = glides(rule, params, cells)
    p = {k: float(np.asarray(getattr(params, k))) for k in ("radius", "mu", "sigma", "dt")}
    peaks = [float(b) for b in np.asarray(params.peaks)]
    code = "found-" + hashlib.sha1(cells.tobytes()).hexdigest()[:8]
    motion = "glides" if ok else "varies"
    note = (f"{'glides' if ok else 'does not glide'}: {speed:.3f} cells/step over "
            f"{CHECK_STEPS} steps alone, mass within {band:.2f}x of its start")
    entry = library.species_entry(
        code, f"found glider {code[6:]}" if ok else f"found creature {code[6:]}", cells,
        p["radius"], p["dt"], rule.growth,
        [library.Kernel(peaks=tuple(peaks), mu=p["mu"], sigma=p["sigma"], core=rule.core)],
        family="found", source="alife evolve (lenia_glider)", motion=motion)
    h, w = rule.shape
    config = {"width": w, "height": h, "start": "blank", "radius": p["radius"],
              "peaks": peaks, "mu": p["mu"], "sigma": p["sigma"], "dt": p["dt"],
              "core": rule.core, "growth": rule.growth}
    return Creature(code=code, name=entry["name"], cells=cells, config=config, entry=entry,
                    note=note, passes=ok)
