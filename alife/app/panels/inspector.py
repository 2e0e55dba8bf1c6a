"""Inspector panel: what the rule says about the clicked cell, for families with an inspector.

An `Inspecting` family (`alife.core.rule`) answers `inspect(state, params, row, col) -> dict`
(see `alife.app.controller_inspect`); the inspect tool (I) or Alt+click picks the cell, and the
panel shows the dict, refreshed as the world runs. A 2-D grid of numbers in it (an agent's
observation window, its nearest neighbours) is drawn compactly by `alife.app.panels.grids` (a
centred window as a heat map; a table such as the nearest agents' slot, d_row, d_col and
distance as a table with its headings), below the other entries at the panel's full width,
rather than as a long list. When the dict names an entity ("slot") and the world has
entities, "follow" keeps the camera on that entity as it moves (panning by hand stops
following).
"""

from __future__ import annotations

from typing import Any

from imgui_bundle import imgui

from alife.app.panels import grids, widgets
from alife.app.panels.base import Panel


def _can_inspect(controller: Any) -> bool:
    return controller.can_inspect


def draw(app: Any) -> None:
    c = app.controller
    if app.inspected is None:
        widgets.dim_text("inspect tool (I) or Alt+click: pick a cell")
        return
    row, col = app.inspected
    imgui.text(f"cell x {col}, y {row}")
    info = c.inspect_cell(row, col)
    if info is None:
        widgets.dim_text("outside the grid")
        return
    slot = info.get("slot")
    if c.has_entities and isinstance(slot, int) and slot >= 0:
        changed, on = imgui.checkbox("follow", app.follow)
        widgets.note_rect(app, "inspect_follow")
        widgets.tip(f"keep the camera on entity slot {slot}")
        if changed:
            app.follow, app.follow_slot = on, slot if on else None
    rows = flatten(info)
    flags = imgui.TableFlags_.row_bg | imgui.TableFlags_.borders_inner_v
    if imgui.begin_table("##inspect", 2, flags):
        imgui.table_setup_column("name", imgui.TableColumnFlags_.width_fixed, 130)
        imgui.table_setup_column("value")
        for name, value in rows:
            imgui.table_next_row()
            imgui.table_next_column()
            imgui.text(str(name))
            imgui.table_next_column()
            if grids.is_grid(value):
                widgets.dim_text(f"{grids.summary(value)}, below")
            else:
                imgui.text_wrapped(_format(value))
        imgui.end_table()
    for name, value in rows:  # grids and tables below, at the panel's full width
        if grids.is_grid(value):
            imgui.separator_text(str(name).strip())
            grids.draw_grid(app, str(name).strip(), value)


def flatten(info: dict[str, Any], depth: int = 0) -> list[tuple[str, Any]]:
    """Rows of (name, value); a nested dict is a row of its own name, then its entries
    indented under it."""
    rows: list[tuple[str, Any]] = []
    for name, value in info.items():
        if isinstance(value, dict) and not grids.is_table(value):
            rows.append(("  " * depth + str(name), ""))
            rows.extend(flatten(value, depth + 1))
        else:
            rows.append(("  " * depth + str(name), value))
    return rows


def _format(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list):
        return ", ".join(f"{v:.4g}" if isinstance(v, float) else _format(v) for v in value)
    return str(value)


PANEL = Panel("Inspector", draw, applies=_can_inspect, kind="right", default_open=True, key="I")
