"""Rule panel: the rule string, applied live on Enter, with an inline error for bad strings.

Any family with `rule_text` gets the field. When the text is a Wolfram code ("W110" or "W30"),
the eight bits of the code are shown as toggles: bit k is the new centre cell for the
neighbourhood whose three cells spell k in binary (left, centre, right); toggling applies the new
code through the same `apply_rule_text`, so nothing here knows about any family.
"""

from __future__ import annotations

import re
from typing import Any

from imgui_bundle import imgui

from alife.app.panels import widgets
from alife.app.panels.base import Panel

_WOLFRAM = re.compile(r"^W(\d{1,3})$", re.IGNORECASE)


def _has_rule_text(controller: Any) -> bool:
    return bool(controller.rule_text)


def draw(app: Any) -> None:
    c = app.controller
    text = c.rule_text
    source = (id(c.rule), text)
    if app.rule_buffer_for != source:  # the rule changed elsewhere (undo, open): refill it
        app.rule_buffer, app.rule_buffer_for = text, source
    widgets.dim_text(c.rule_label, wrap=True)
    imgui.set_next_item_width(-60)
    flags = imgui.InputTextFlags_.enter_returns_true | imgui.InputTextFlags_.auto_select_all
    entered, app.rule_buffer = imgui.input_text("##rule", app.rule_buffer, flags)
    widgets.note_rect(app, "rule_text")
    widgets.tip("type a rule (e.g. B36/S23, W110) and press Enter")
    imgui.same_line()
    if widgets.button(app, "Apply", "rule_apply") or entered:
        error = c.apply_rule_text(app.rule_buffer)
        if error is None:
            app.rule_buffer_for = None
            app.note(f"rule {c.rule_text}")
    widgets.error_text(c.rule_error)
    match = _WOLFRAM.match(text)
    if match and int(match.group(1)) < 256:
        _wolfram_bits(c, int(match.group(1)))


def _wolfram_bits(c: Any, code: int) -> None:
    imgui.separator_text(f"rule {code}: new cell for each neighbourhood")
    for k in range(7, -1, -1):
        pattern = format(k, "03b")  # left, centre, right ("#" would clash with ImGui IDs)
        changed, on = imgui.checkbox(f"{pattern}##bit{k}", bool(code >> k & 1))
        widgets.tip(f"neighbourhood {pattern} -> new cell {int(on)}")
        if changed:
            new = code ^ (1 << k)
            if c.apply_rule_text(f"W{new}") is not None:
                return
        if k % 4:
            imgui.same_line()


PANEL = Panel("Rule", draw, applies=_has_rule_text)
