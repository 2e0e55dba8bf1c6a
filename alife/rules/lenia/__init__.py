"""Lenia (Chan 2019), family "lenia": a continuous CA with a ring kernel, by FFT on a torus.

Modules: `kernels` (kernel shells and growth functions), `rule` (`LeniaRule`, the rule text,
the shipped creatures), `fitness` (`lenia_mover` for evolution).
"""

from alife.core.family import Family
from alife.rules.lenia.fitness import FITNESS
from alife.rules.lenia.rule import (
    CREATURE_DIR,
    CREATURES,
    LeniaParams,
    LeniaRule,
    LeniaState,
    format_rule_text,
    load_creature,
    parse_rule_text,
)

__all__ = ["CREATURES", "CREATURE_DIR", "FAMILY", "LeniaParams", "LeniaRule", "LeniaState",
           "format_rule_text", "load_creature", "parse_rule_text"]

FAMILY = Family(
    name="lenia",
    factory=LeniaRule,
    summary="Lenia (Chan 2019): continuous CA, ring kernel by FFT on a torus; Orbium and friends",
    example={"width": 64, "height": 64, "start": "orbium"},
    fitness=FITNESS,
)
