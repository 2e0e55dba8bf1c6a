"""JaxLife-style agent worlds (family "agents"; Lu, Beukman, Matthews, Foerster 2024).

Evolving agents with their own neural networks on a living terrain, with robots they program.
Modules: `terrain` (maps, weather, regrowth), `neighbours` (coarse-grid k-nearest search),
`brain` (the Flax NNX network, one genome per agent), `observation`, `actions` (effects by
scatter-add, energy accounting), `robots` (the seven operations, Rule 110), `reproduction`
(births, founders, the lineage log), `tools` (views, metrics, inspect, place/remove), `rule`.
"""

from alife.rules.agents.rule import AgentsRule
from alife.rules.agents.state import AgentsParams, AgentsState

__all__ = ["AgentsParams", "AgentsRule", "AgentsState"]
