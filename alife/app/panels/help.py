"""Help panel: every keyboard shortcut and mouse gesture (read from `alife.app.keys`)."""

from __future__ import annotations

from typing import Any

from imgui_bundle import imgui

from alife.app import keys
from alife.app.panels.base import Panel


def draw(app: Any) -> None:
    del app
    flags = imgui.TableFlags_.row_bg | imgui.TableFlags_.borders_inner_v
    for title, rows in (("Keys", keys.help_rows()), ("Mouse", keys.MOUSE_HELP)):
        imgui.separator_text(title)
        if imgui.begin_table(f"##{title}", 2, flags):
            imgui.table_setup_column("key", imgui.TableColumnFlags_.width_fixed, 150)
            imgui.table_setup_column("what")
            for shortcut, text in rows:
                imgui.table_next_row()
                imgui.table_next_column()
                imgui.text(shortcut)
                imgui.table_next_column()
                imgui.text_wrapped(text)
            imgui.end_table()


PANEL = Panel("Help", draw, kind="window", default_open=False, key="H")
