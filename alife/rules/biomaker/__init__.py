"""Biomaker-style biomes (Randazzo & Mordvintsev 2023, "Biomaker CA"), family "biomaker".

Plants grow from seeds in a nutrient-starved 2-D world, specialise into roots, leaves and
flowers, reproduce with mutation into free program slots, and must keep a biome alive.
Modules: world (types, layouts), config (params, presets), physics (integrity, gravity,
diffusion, absorption), agents (nets on a sparse agent list, parallel ops), exclusive (one
winner per target), energy, reproduction, programs (nets, hand-set init), mutators, water
(our rain material), look (view, metrics, inspector), rule (the Rule).
"""

from alife.core.family import Family
from alife.rules.biomaker.fitness import FITNESS
from alife.rules.biomaker.rule import BiomakerRule

__all__ = ["FAMILY", "BiomakerRule"]

FAMILY = Family(
    name="biomaker",
    factory=BiomakerRule,
    summary="Biomaker-style biomes: plants grow, specialise and reproduce (Randazzo & "
            "Mordvintsev 2023)",
    example={"preset": "persistence", "width": 24, "height": 16, "net": "minimal", "pool": 4,
             "agent_cap": 32},
    fitness=FITNESS,
)
