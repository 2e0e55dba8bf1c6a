"""JaxLife-style agent worlds (family "agents"; Lu, Beukman, Matthews, Foerster 2024).

Evolving agents with their own neural networks on a living terrain, with robots they program.
Modules: `terrain` (maps, weather, regrowth), `neighbours` (coarse-grid k-nearest search),
`brain` (the Flax NNX network, one genome per agent), `observation`, `actions` (effects by
scatter-add, energy accounting), `robots` (the seven operations, Rule 110), `reproduction`
(births, founders, the lineage log), `tools` (views, metrics, inspect, place/remove), `rule`.
"""

from alife.core.family import Family
from alife.rules.agents.rule import AgentsRule
from alife.rules.agents.state import AgentsParams, AgentsState

__all__ = ["FAMILY", "AgentsParams", "AgentsRule", "AgentsState"]

FAMILY = Family(
    name="agents",
    factory=AgentsRule,
    summary="JaxLife-style worlds: evolving neural agents on a living terrain, with programmable "
            "robots",
    example={"width": 32, "height": 32, "agents": 16, "start": 8, "robots": 4, "brain": "small",
             "view_agents": 4, "max_births": 4, "robot_substeps": 2, "perlin_res": 2,
             "log_size": 256},
)
