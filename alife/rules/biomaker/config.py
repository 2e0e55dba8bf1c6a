"""Biomaker params: every number of the environment config is a traced scalar (a slider).

Values follow the spec's default config and its presets (Randazzo & Mordvintsev 2023; checked
against the reference code): `preset_values(name)` gives the defaults a preset starts from.
`programs [P, D]` is the initial program bank (what `init` and `place_seed` plant); the live,
mutating pool is `BiomakerState.programs` (see docs/biomaker.md).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from alife.core.types import param, param_defaults, pytree_dataclass

Array = jax.Array


@pytree_dataclass
class BiomakerParams:
    programs: Array  # [P, D] float32: the initial program bank
    integrity_cap: Array = param(1.0, 1000.0, "structural integrity of IMMOVABLE (cap)",
                                 default=200.0)
    decay_earth: Array = param(0.0, 20.0, "integrity lost per cell of EARTH", default=1.0)
    decay_agent: Array = param(0.0, 50.0, "integrity lost per cell of an agent", default=5.0)
    absorb_earth: Array = param(0.0, 1.0, "earth nutrient a root asks of each neighbour",
                                default=0.25)
    absorb_air: Array = param(0.0, 1.0, "air nutrient a leaf asks of each neighbour", default=0.25)
    dissipation_earth: Array = param(0.0, 0.5, "earth nutrient an agent loses per step",
                                     default=0.05)
    dissipation_air: Array = param(0.0, 0.5, "air nutrient an agent loses per step", default=0.05)
    dissipation_unspec: Array = param(0.0, 3.0, "dissipation multiplier, unspecialised",
                                      default=0.5)
    dissipation_root: Array = param(0.0, 3.0, "dissipation multiplier, roots", default=1.0)
    dissipation_leaf: Array = param(0.0, 3.0, "dissipation multiplier, leaves", default=1.0)
    dissipation_flower: Array = param(0.0, 3.0, "dissipation multiplier, flowers", default=1.2)
    spawn_cost: Array = param(0.0, 3.0, "nutrient (each) a spawn costs", default=0.1)
    reproduce_cost: Array = param(0.0, 5.0, "nutrient (each) a reproduction costs", default=0.5)
    specialise_cost: Array = param(0.0, 1.0, "nutrient (each) a change of specialisation costs",
                                   default=0.02)
    seed_min: Array = param(1.0, 200.0, "nearest seed landing distance (columns)", integer=True,
                            default=5.0)
    seed_max: Array = param(1.0, 400.0, "farthest seed landing distance (columns)", integer=True,
                            default=15.0)
    bees: Array = param(0.0, 4.0, "reproductions per step, world-wide", integer=True, default=2.0)
    nutrient_cap: Array = param(0.1, 100.0, "nutrient cap per cell", default=10.0)
    diffusion: Array = param(0.0, 0.125, "nutrient diffusion rate (per neighbour)", default=0.1)
    lifetime: Array = param(10.0, 1e8, "max agent lifetime (leaks energy after half)", default=1e6)
    initial_nutrient: Array = param(0.0, 1.0, "initial nutrients, fraction of the cap", default=0.2)
    mutate: Array = param(0.0, 1.0, "1: children get a mutated program in a free slot",
                          integer=True, default=1.0)
    mutation_fraction: Array = param(0.0, 1.0, "fraction of parameters a mutation changes",
                                     default=0.2)
    mutation_sd: Array = param(0.0, 0.1, "sd of the basic mutator's Gaussian noise", default=1e-3)
    rain_rate: Array = param(0.0, 0.2, "chance per SUN cell per step of a WATER drop", default=0.0)
    rain_nutrient: Array = param(0.0, 5.0, "earth nutrient a raindrop carries", default=1.0)
    overlay: Array = param(0.0, 3.0, "view overlay: 0 none, 1 earth, 2 air, 3 both nutrients",
                           integer=True, default=0.0)


#: the spec's default config: each param's declared default
BASE = param_defaults(BiomakerParams)

_PERSISTENCE = {"dissipation_earth": 0.01, "dissipation_air": 0.01, "spawn_cost": 0.75,
                "reproduce_cost": 1.0, "seed_min": 15.0, "seed_max": 35.0, "lifetime": 10000.0}
PRESET_VALUES = {
    "persistence": _PERSISTENCE,
    "pestilence": {**_PERSISTENCE, "specialise_cost": 0.05, "lifetime": 300.0},
    "collaboration": {"dissipation_earth": 0.05, "dissipation_air": 0.05, "spawn_cost": 0.25,
                      "lifetime": 1e8, "integrity_cap": 300.0, "specialise_cost": 0.05,
                      "reproduce_cost": 1.0, "seed_min": 15.0, "seed_max": 35.0},
    "sideways": {**_PERSISTENCE, "integrity_cap": 400.0},
}

#: most reproductions a step can do (the `bees` param is clipped to this static bound)
MAX_BEES = 4


def preset_values(preset: str) -> dict[str, float]:
    return {**BASE, **PRESET_VALUES[preset]}


def make_params(preset: str, programs: Array) -> BiomakerParams:
    values = {k: jnp.asarray(v, jnp.float32) for k, v in preset_values(preset).items()}
    return BiomakerParams(programs=jnp.asarray(programs, jnp.float32), **values)
