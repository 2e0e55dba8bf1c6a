"""Template-matching CA (family "templates", Hoffmann 2024): `tiles` (tiles -> 5x5 templates,
built-in banks) and `rule` (`TemplateRule`, registered as "templates")."""

from alife.rules.templates.rule import TemplateParams, TemplateRule, TemplateState

__all__ = ["TemplateParams", "TemplateRule", "TemplateState"]
