"""Template-matching CA (family "templates", Hoffmann 2024): `tiles` (tiles -> 5x5 templates,
built-in banks) and `rule` (`TemplateRule`, registered as "templates")."""

from alife.core.family import Family
from alife.rules.templates.rule import TemplateParams, TemplateRule, TemplateState

__all__ = ["FAMILY", "TemplateParams", "TemplateRule", "TemplateState"]

FAMILY = Family(
    name="templates",
    factory=TemplateRule,
    summary="Template-matching CA (Hoffmann 2024): stochastic, asynchronous, a bank of 5x5 "
            "templates from 3x3 tiles; touching loops from noise",
    example={"width": 16, "height": 16},
)
