"""Small 2-D numeric grids in a panel (an agent's observation window, its nearest neighbours).

`is_grid(value)` says whether an inspector value is a rectangular list of rows of numbers, or a
table `{"columns": [names], "rows": [[numbers]]}`. `draw_grid(app, name, grid)` draws one
compactly: a square grid of odd side (a window centred on the inspected cell) as a heat map
(cells coloured by the app's colour map over the grid's own min..max, the middle cell outlined,
the value under the mouse in a tooltip); any other grid, or a table, as a table of numbers (with
its column headings; a row per entry, e.g. slot, d_row, d_col, distance). The drawn area is
noted as widget `grid_<name>` (tests, hints).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from imgui_bundle import imgui

from alife.app.panels import widgets
from alife.scene.palettes import COLORMAPS, colormap_lut

CELL_PX = 14.0  # the largest heat-map cell, in pixels
MIN_HEAT = 3    # rows and columns from which a grid is drawn as a heat map


def is_table(value: Any) -> bool:
    """Whether `value` is `{"columns": [names], "rows": [[numbers]]}` (rows may be empty)."""
    if not isinstance(value, dict) or set(value) != {"columns", "rows"}:
        return False
    columns, rows = value["columns"], value["rows"]
    return (isinstance(columns, list) and bool(columns) and isinstance(rows, list)
            and (not rows or (_numbers(rows) and len(rows[0]) == len(columns))))


def is_grid(value: Any) -> bool:
    """Whether `value` is a non-empty list of equally long, non-empty lists of numbers, or a
    table (`is_table`)."""
    return is_table(value) or _numbers(value)


def _numbers(value: Any) -> bool:
    if not isinstance(value, list) or not value or not isinstance(value[0], list):
        return False
    width = len(value[0])
    return width > 0 and all(
        isinstance(row, list) and len(row) == width
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in row)
        for row in value)


def summary(grid: Any) -> str:
    """A few words for a grid: "9x9 grid", "3 rows"."""
    if is_table(grid):
        n = len(grid["rows"])
        return f"{n} row{'s' if n != 1 else ''}"
    return f"{len(grid)}x{len(grid[0])} grid"


def draw_grid(app: Any, name: str, grid: Any) -> None:
    """Draw `grid` as a heat map or a table (see the module docstring)."""
    if is_table(grid):
        if not grid["rows"]:
            imgui.text("none")
            widgets.note_rect(app, f"grid_{name}")
            return
        _table(app, name, np.asarray(grid["rows"], np.float64),
               [str(c) for c in grid["columns"]])
        return
    values = np.asarray(grid, np.float64)
    rows, cols = values.shape
    if rows == cols and rows >= MIN_HEAT and rows % 2 == 1:
        _heat(app, name, values)
    else:
        _table(app, name, values)


def _heat(app: Any, name: str, values: np.ndarray) -> None:
    rows, cols = values.shape
    avail = imgui.get_content_region_avail().x
    cell = float(max(4.0, min(CELL_PX, np.floor(avail / cols))))
    finite = values[np.isfinite(values)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    scaled = np.clip((values - lo) / (hi - lo if hi > lo else 1.0), 0.0, 1.0)
    index = np.rint(np.nan_to_num(scaled) * 255).astype(int)
    cmap = getattr(app, "colormap", "viridis")
    lut = colormap_lut(cmap if cmap in COLORMAPS else "viridis")
    origin = imgui.get_cursor_screen_pos()
    dl = imgui.get_window_draw_list()
    for r in range(rows):
        for c in range(cols):
            x0, y0 = origin.x + c * cell, origin.y + r * cell
            red, green, blue = (int(v) for v in lut[index[r, c]])
            dl.add_rect_filled(imgui.ImVec2(x0, y0), imgui.ImVec2(x0 + cell, y0 + cell),
                               imgui.IM_COL32(red, green, blue, 255))
    mid_r, mid_c = rows // 2, cols // 2
    x0, y0 = origin.x + mid_c * cell, origin.y + mid_r * cell
    dl.add_rect(imgui.ImVec2(x0, y0), imgui.ImVec2(x0 + cell, y0 + cell),
                imgui.IM_COL32(255, 255, 255, 255), thickness=1.5)
    imgui.dummy(imgui.ImVec2(cols * cell, rows * cell))
    widgets.note_rect(app, f"grid_{name}")
    if imgui.is_item_hovered():
        mouse = imgui.get_mouse_pos()
        r = int(np.clip((mouse.y - origin.y) // cell, 0, rows - 1))
        c = int(np.clip((mouse.x - origin.x) // cell, 0, cols - 1))
        imgui.set_tooltip(f"[{r - mid_r:+d}, {c - mid_c:+d}] {values[r, c]:.4g}  "
                          f"(range {lo:.3g} .. {hi:.3g})")


def _table(app: Any, name: str, values: np.ndarray, columns: list[str] | None = None) -> None:
    rows, cols = values.shape
    flags = imgui.TableFlags_.borders_inner_v | imgui.TableFlags_.sizing_fixed_fit
    if columns:
        flags |= imgui.TableFlags_.borders_inner_h
    if imgui.begin_table(f"##grid_{name}", cols, flags):
        if columns:
            for heading in columns:
                imgui.table_setup_column(heading)
            imgui.table_headers_row()
        for r in range(rows):
            imgui.table_next_row()
            for c in range(cols):
                imgui.table_next_column()
                v = values[r, c]
                imgui.text(f"{int(v)}" if float(v).is_integer() else f"{v:.4g}")
        imgui.end_table()
        widgets.note_rect(app, f"grid_{name}")
