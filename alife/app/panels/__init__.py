"""Panels of the app, in the order they appear; each applies to some rules and not others.

A panel is a `Panel(name, draw, applies, kind)`: `draw(app)` draws its ImGui widgets given the
`AppState` (and calls only the controller facade, never JAX); `applies(controller)` says whether
it makes sense for the current rule (a "Params" panel only when the rule has sliders, a future
"Training" panel only for trainable rules). `kind` "sidebar" panels are collapsing sections of
the left sidebar, "right" panels share a right-hand column (shown or hidden from the View
menu), and "window" panels float. To add one (e.g. Training), write a module with a
`PANEL` and append it with `register_panel` (or add it to `_BUILTIN` below).
"""

from __future__ import annotations

from typing import Any

from alife.app.panels.base import Panel

PANELS: list[Panel] = []


def register_panel(panel: Panel, before: str | None = None) -> None:
    """Add a panel (replacing one of the same name), optionally before another one."""
    PANELS[:] = [p for p in PANELS if p.name != panel.name]
    names = [p.name for p in PANELS]
    PANELS.insert(names.index(before) if before in names else len(PANELS), panel)


def panels_for(controller: Any) -> list[Panel]:
    """The panels that apply to the controller's current rule, in order."""
    return [p for p in PANELS if p.applies(controller)]


def _load_builtin() -> None:
    from alife.app.panels import about, controls, edit, files, help, inspector  # noqa: I001
    from alife.app.panels import legend, params, rule, stats, world

    for module in (controls, rule, params, edit, world, files, about, inspector, legend, stats,
                   help):
        register_panel(module.PANEL)


_load_builtin()
from alife.app.panels import channels as _channels  # noqa: E402,F401  (registers itself)
from alife.app.panels import evolve as _evolve  # noqa: E402,F401  (registers itself)
from alife.app.panels import kernel as _kernel  # noqa: E402,F401  (registers itself)
from alife.app.panels import library as _library  # noqa: E402,F401  (registers itself)
from alife.app.panels import measures as _measures  # noqa: E402,F401  (registers itself)
from alife.app.panels import plots as _plots  # noqa: E402,F401  (registers itself)
from alife.app.panels import training as _training  # noqa: E402,F401  (registers itself)
