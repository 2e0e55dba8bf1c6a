"""Lenia (Chan 2019, 2020), family "lenia": continuous CAs with ring kernels, by FFT on a torus.

Modules: `kernels` (kernel cores and growth functions, named after what Chan's code runs),
`rule` (`LeniaRule`: one channel, one kernel; Chan's parameter string), `expanded`
(`ExpandedLeniaRule`: C channels, K kernels, "Lenia and Expanded Universe"), `library` (the
creature library: Chan's species as data, rescale and rotate), `fitness` (`lenia_mover` for
evolution), `flow` (`FlowLeniaRule`: Flow Lenia, mass-conserving, with parameters carried by the
matter) and `reintegration` (its transport). The family's factory, `make_rule`, builds a
`FlowLeniaRule` when the config has a `flow` block, else a `LeniaRule` when the world has one
channel and one kernel (the engine's original code path, bit for bit) and an `ExpandedLeniaRule`
otherwise.
"""

from __future__ import annotations

from typing import Any

from alife.core.errors import AlifeError
from alife.core.family import Family
from alife.core.rule import Rule
from alife.rules.lenia import library
from alife.rules.lenia.expanded import ExpandedLeniaParams, ExpandedLeniaRule, ExpandedLeniaState
from alife.rules.lenia.fitness import FITNESS
from alife.rules.lenia.flow import FlowLeniaParams, FlowLeniaRule, FlowLeniaState
from alife.rules.lenia.rule import (
    CREATURE_DIR,
    CREATURES,
    LeniaParams,
    LeniaRule,
    LeniaState,
    format_rule_text,
    is_single_start,
    load_creature,
    parse_rule_text,
)

__all__ = ["CREATURES", "CREATURE_DIR", "FAMILY", "ExpandedLeniaParams", "ExpandedLeniaRule",
           "ExpandedLeniaState", "FlowLeniaParams", "FlowLeniaRule", "FlowLeniaState",
           "LeniaParams", "LeniaRule", "LeniaState", "format_rule_text",
           "library", "load_creature", "make_rule", "parse_rule_text"]


def make_rule(width: int = 128, height: int = 128, start: str = "orbium",
              radius: float | None = None, peaks: list[float] | None = None,
              mu: float | None = None, sigma: float | None = None, dt: float | None = None,
              core: str | None = None, growth: str | None = None, density: float = 0.5,
              scale: float = 1.0, rotate: float = 0.0,
              kernels: list[dict[str, Any]] | None = None, channels: int | None = None,
              channel: int = 0, flow: dict[str, Any] | None = None,
              species: list[dict[str, Any]] | None = None, patch: int | None = None,
              grain: int = 1) -> Rule:
    """A Lenia rule from scene config: `FlowLeniaRule` when `flow` is given (a mapping, `{}`
    for its defaults), else `LeniaRule` for one channel and one kernel (a one-kernel species,
    `random` or `blank` without `kernels`), else `ExpandedLeniaRule`. `patch` and `grain` shape
    a one-kernel world's random start (`LeniaRule`)."""
    if (patch is not None or grain != 1) and (
            flow is not None or species is not None or kernels is not None
            or (channels is not None and channels != 1) or channel != 0):
        raise AlifeError("`patch` and `grain` shape the random start of a one-kernel Lenia "
                         "world; this one has several kernels or channels", where="patch")
    if flow is not None or species is not None:
        if flow is None:
            raise AlifeError("`species` belongs to Flow Lenia: add a `flow` block (`flow: {}` "
                             "for its defaults)", where="species")
        given = [k for k, v in (("peaks", peaks), ("mu", mu), ("sigma", sigma), ("core", core))
                 if v is not None]
        if given:
            raise AlifeError(f"`{given[0]}` is per kernel in Flow Lenia: set it in `kernels` "
                             "(or per species in `species`)", where=given[0])
        return FlowLeniaRule(width=width, height=height, start=start, kernels=kernels,
                             channels=channels, radius=radius, dt=dt, growth=growth,
                             density=density, scale=scale, rotate=rotate, channel=channel,
                             flow=flow, species=species)
    expanded = (kernels is not None or (channels is not None and channels != 1) or channel != 0
                or not is_single_start(start))
    if not expanded:
        return LeniaRule(width=width, height=height, radius=radius, peaks=peaks, mu=mu,
                         sigma=sigma, dt=dt, start=start, core=core, growth=growth,
                         density=density, scale=scale, rotate=rotate, patch=patch,
                         grain=grain)
    given = [k for k, v in (("peaks", peaks), ("mu", mu), ("sigma", sigma), ("core", core))
             if v is not None]
    if given:
        raise AlifeError(f"`{given[0]}` is per kernel in a Lenia world with several kernels or "
                         "channels: set it in `kernels`", where=given[0])
    return ExpandedLeniaRule(width=width, height=height, start=start, kernels=kernels,
                             channels=channels, radius=radius, dt=dt, growth=growth,
                             density=density, scale=scale, rotate=rotate, channel=channel)


FAMILY = Family(
    name="lenia",
    factory=make_rule,
    summary="Lenia (Chan 2019, 2020): continuous CA, ring kernels by FFT on a torus; channels, "
            "kernels and Chan's creature library; Flow Lenia (mass-conserving, species)",
    example={"width": 64, "height": 64, "start": "orbium"},
    fitness=FITNESS,
)
