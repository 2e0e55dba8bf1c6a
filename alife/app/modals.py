"""The app's modal questions: offer back an autosaved world, and confirm replacing a file.

Each is drawn every frame while its question is pending in `AppState` (`recovery`,
`overwrite_request`) and notes its buttons' rectangles, so tests click them through the event
loop like a user.
"""

from __future__ import annotations

from typing import Any

from imgui_bundle import imgui

from alife.app import autosave
from alife.app.panels.widgets import note_rect


def draw(app: Any) -> None:
    """Whichever question is pending (recovery first)."""
    if app.recovery is not None:
        _recovery(app)
    elif app.overwrite_request is not None:
        _overwrite(app)


def _recovery(app: Any) -> None:
    imgui.open_popup("Recover")
    if not imgui.begin_popup_modal("Recover", None, imgui.WindowFlags_.always_auto_resize)[0]:
        return
    imgui.text("The last session ended without quitting and left a newer autosaved world:")
    imgui.text(str(app.recovery))
    restore = imgui.button("Restore")
    note_rect(app, "recovery_restore")
    if restore:  # the files stay until the next autosave overwrites them
        error = app.controller.open(app.recovery, remember=False)
        app.note(error or "restored the autosaved world (Save As to keep it)")
        app.save_path = ""  # never save over the recovery file by accident
        app.recovery = None
        app.want_fit = True
        imgui.close_current_popup()
    imgui.same_line()
    discard = imgui.button("Discard")
    note_rect(app, "recovery_discard")
    if discard:
        autosave.discard_recovery()
        app.recovery = None
        imgui.close_current_popup()
    imgui.end_popup()


def _overwrite(app: Any) -> None:
    imgui.open_popup("Replace file?")
    if not imgui.begin_popup_modal("Replace file?", None,
                                   imgui.WindowFlags_.always_auto_resize)[0]:
        return
    imgui.text(f"{app.overwrite_request} already exists"
               + (" and is not this world's file." if app.overwrite_kind == "scene" else "."))
    imgui.text("Replace it?")
    yes = imgui.button("Replace")
    note_rect(app, "overwrite_yes")
    imgui.same_line()
    no = imgui.button("Cancel")
    note_rect(app, "overwrite_no")
    if yes or no:
        app.confirm_overwrite(bool(yes))
        imgui.close_current_popup()
    imgui.end_popup()
