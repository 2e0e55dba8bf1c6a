"""Evolution strategies from evosax (>= 0.2: `init/ask/tell`, fitness minimised) by name.

Names (case-insensitive): `pgpe` (Sehnke et al. 2010), `openes` (Salimans et al. 2017),
`cma_es` (Hansen 2016), `sep_cma_es`, `snes` (Schaul et al. 2011), `xnes` and `ga` (evosax's
SimpleGA, Such et al. 2017: truncation selection, uniform crossover, Gaussian mutation). The
scene's `evolution:` block may set `std_init` (the initial search width in genome space; by
default 0.1 for sliders in [0, 1], 0.02 for weights, 0.3 for 0/1 tables), `lr` (the mean's
Adam learning rate for PGPE and OpenES; default 0.02) and `crossover_rate` (GA; default 0.5 for
tables, else 0). PGPE follows Biomaker's recipe otherwise (centred ranks, std_lr 0.1).

We maximise; the runner hands evosax the negated fitness.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jax.numpy as jnp

from alife.core.config import setting
from alife.core.errors import AlifeError, unknown_name

NAMES = {"pgpe": "PGPE", "openes": "Open_ES", "open_es": "Open_ES", "cma_es": "CMA_ES",
         "cmaes": "CMA_ES", "sep_cma_es": "Sep_CMA_ES", "snes": "SNES", "xnes": "xNES",
         "ga": "SimpleGA", "simple_ga": "SimpleGA", "simplega": "SimpleGA"}
EVEN = {"PGPE", "Open_ES"}
STD_DEFAULT = {"sliders": 0.1, "weights": 0.02, "tables": 0.3}


@dataclass(frozen=True)
class StrategySettings:
    """The strategy part of the `evolution:` block (its keys sit flat in the block)."""

    strategy: str = setting("pgpe", doc="the evolution strategy (case-insensitive)")
    std_init: float | None = setting(None, above=0, doc="initial search width in genome space "
                                                        "(default by genome kind)")
    lr: float | None = setting(None, above=0, doc="Adam learning rate of the mean (PGPE, "
                                                  "OpenES; default 0.02)")
    std_lr: float | None = setting(None, above=0, doc="PGPE's std learning rate (default 0.1)")
    crossover_rate: float | None = setting(None, low=0, high=1, doc="GA crossover rate "
                                                                    "(default 0.5 for tables)")

    def validate(self, where: str) -> None:
        canonical_name(self.strategy, f"{where}.strategy" if where else "strategy")


@dataclass
class Strategy:
    """An evosax algorithm, its params, and whether it starts from an evaluated population."""

    name: str
    es: Any
    params: Any
    population_based: bool
    std_init: float


def strategy_names() -> list[str]:
    return sorted(NAMES)


def canonical_name(name: str, where: str = "evolution.strategy") -> str:
    key = str(name).lower().replace("-", "_")
    if key not in NAMES:
        raise AlifeError(unknown_name("strategy", name, NAMES), where=where)
    return NAMES[key]


_CACHE: dict[tuple, Strategy] = {}


def make_strategy(name: str, population: int, dim: int, kind: str,
                  settings: dict[str, Any]) -> Strategy:
    """Strategy `name` for `population` candidates of `dim` genes of genome `kind`.

    Equal requests share one instance, so evosax's jitted `ask`/`tell` (static on the
    instance) compile once per process.
    """
    keys = ("std_init", "lr", "std_lr", "crossover_rate")
    cache = (canonical_name(name), population, dim, kind,
             tuple(str(settings.get(k)) for k in keys))
    if cache not in _CACHE:
        _CACHE[cache] = _build(name, population, dim, kind, settings)
    return _CACHE[cache]


def _build(name: str, population: int, dim: int, kind: str,
           settings: dict[str, Any]) -> Strategy:
    import optax
    from evosax import algorithms

    cls_name = canonical_name(name)
    if cls_name in EVEN and population % 2:
        raise AlifeError(f"{cls_name} samples antithetic pairs: the population must be even, "
                         f"got {population}", where="evolution.population")
    if population < 2:
        raise AlifeError(f"population {population}; expected at least 2",
                         where="evolution.population")
    std = float(settings.get("std_init") or STD_DEFAULT[kind])
    lr = float(settings.get("lr") or 0.02)
    std_lr = settings.get("std_lr")
    rate = settings.get("crossover_rate")
    template = jnp.zeros((dim,), jnp.float32)
    cls = getattr(algorithms, cls_name)
    if cls_name == "PGPE":
        es = cls(population_size=population, solution=template, optimizer=optax.adam(lr))
        params = es.default_params.replace(std_init=std,
                                           std_lr=float(0.1 if std_lr is None else std_lr))
    elif cls_name == "Open_ES":
        es = cls(population_size=population, solution=template, optimizer=optax.adam(lr),
                 std_schedule=optax.constant_schedule(std))
        params = es.default_params
    elif cls_name == "SimpleGA":
        es = cls(population_size=population, solution=template,
                 std_schedule=optax.constant_schedule(std))
        rate = (0.5 if kind == "tables" else 0.0) if rate is None else rate
        params = es.default_params.replace(crossover_rate=float(rate))
    else:
        es = cls(population_size=population, solution=template)
        params = es.default_params.replace(std_init=std)
    population_based = cls_name == "SimpleGA"
    return Strategy(cls_name, es, params, population_based, std)
