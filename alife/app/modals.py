"""The app's modal questions: save unsaved changes first, offer back an autosaved world, and
confirm replacing a file.

Each is drawn every frame while its question is pending in `AppState` (`unsaved`, `recovery`,
`overwrite_request`) and notes its buttons' rectangles, so tests click them through the event
loop like a user. The unsaved-changes question (`alife.app.unsaved`) comes first: it may stand
in front of the recovery question (Restore over a world with unsaved changes).
"""

from __future__ import annotations

from typing import Any

from imgui_bundle import imgui

from alife.app import autosave, unsaved
from alife.app.panels import widgets
from alife.app.panels.widgets import note_rect

_FLAGS = imgui.WindowFlags_.always_auto_resize


def draw(app: Any) -> None:
    """Whichever question is pending (unsaved changes first, then recovery, then replace)."""
    pending = getattr(app, "unsaved", None)
    if pending is not None and not pending.granted:
        _unsaved(app, pending)
    elif app.recovery is not None:
        _recovery(app)
    elif app.overwrite_request is not None:
        _overwrite(app)


def _unsaved(app: Any, pending: unsaved.Pending) -> None:
    imgui.open_popup("Unsaved changes")
    if not imgui.begin_popup_modal("Unsaved changes", None, _FLAGS)[0]:
        return
    c = app.controller
    done, _ = c.history.labels()
    last = f" (last: {done[-1]})" if done else ""
    imgui.text(f"\"{c.world.name}\" has changes that are not saved{last}.")
    imgui.text(f"{pending.what()}. Save the changes first?")
    own = c.own_file
    if own is None:
        imgui.text("It has no scene file yet; Save writes it as:")
        imgui.set_next_item_width(460)
        _, pending.save_path = imgui.input_text("##unsaved_path", pending.save_path)
        note_rect(app, "unsaved_path")
    else:
        widgets.dim_text(f"Save writes {own}")
    widgets.error_text(pending.error)
    choice = None
    if imgui.button("Save", imgui.ImVec2(90, 0)):
        choice = "save"
    note_rect(app, "unsaved_save")
    imgui.same_line()
    if imgui.button("Discard", imgui.ImVec2(90, 0)):
        choice = "discard"
    note_rect(app, "unsaved_discard")
    widgets.tip("drop the changes (Ctrl+Z still brings them back)")
    imgui.same_line()
    if imgui.button("Cancel", imgui.ImVec2(90, 0)) or imgui.is_key_pressed(imgui.Key.escape):
        choice = "cancel"
    note_rect(app, "unsaved_cancel")
    if choice is not None:
        unsaved.answer(app, choice)
        if app.unsaved is not pending:  # answered (a failed save keeps asking)
            imgui.close_current_popup()
    imgui.end_popup()


def _recovery(app: Any) -> None:
    imgui.open_popup("Recover")
    if not imgui.begin_popup_modal("Recover", None, _FLAGS)[0]:
        return
    imgui.text("The last session ended without quitting and left a newer autosaved world:")
    imgui.text(str(app.recovery))
    restore = imgui.button("Restore")
    note_rect(app, "recovery_restore")
    if restore:  # the files stay until the next autosave overwrites them
        path = app.recovery
        app.recovery = None
        imgui.close_current_popup()
        unsaved.request(app, "restore", path)  # asks first if this world has unsaved changes
    imgui.same_line()
    discard = imgui.button("Discard")
    note_rect(app, "recovery_discard")
    if discard and app.recovery is not None:
        autosave.discard_recovery()
        app.recovery = None
        imgui.close_current_popup()
    imgui.end_popup()


def _overwrite(app: Any) -> None:
    imgui.open_popup("Replace file?")
    if not imgui.begin_popup_modal("Replace file?", None, _FLAGS)[0]:
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
