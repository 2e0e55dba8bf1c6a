"""Engine core: types, the Rule contract, registry, topologies, kernels and rollout.

Nothing in here imports a GUI library; the app and the renderer build on top of it.
"""

from alife.core.errors import AlifeError
from alife.core.registry import create, families, register
from alife.core.rollout import run
from alife.core.rule import Rule
from alife.core.topology import Topology
from alife.core.types import ParamSpec, param, param_specs, pytree_dataclass

__all__ = [
    "AlifeError",
    "ParamSpec",
    "Rule",
    "Topology",
    "create",
    "families",
    "param",
    "param_specs",
    "pytree_dataclass",
    "register",
    "run",
]
