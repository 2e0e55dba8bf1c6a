"""The unsaved-changes guard: nothing replaces or closes a world with unsaved changes unasked.

Open (the Files panel's field, its native dialog, Recent, a dropped file, any other panel that
opens a file), File > New, the autosave's Restore, and Quit (Ctrl+Q, File > Quit, closing the
window) all come through `request(app, kind, path)`. A world without unsaved changes
(`controller.dirty`, read from the undo history) gets the action at once; otherwise the question
waits in `AppState.unsaved` and `alife.app.modals` asks it: Save (the world's own scene file,
or a path typed in the question when it has none; the action follows once the save worked),
Discard (the action, the changes dropped; undo still brings them back while the window lives)
or Cancel (nothing happens; the world stays as it is).

Quit is granted by putting a granted question in `AppState.unsaved` and setting `want_quit`;
the window calls `check_quit` once a frame, which turns a quit asked for a dirty world into the
question instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: the actions guarded, and what the question says each would do
ACTIONS = {"open": "Opening {name} replaces it", "new": "A new world replaces it",
           "restore": "Restoring the autosaved world replaces it", "quit": "Quitting closes it"}


@dataclass
class Pending:
    """An action waiting for the answer to "save the changes first?"."""

    kind: str  # one of ACTIONS
    path: str = ""  # the file to open or restore
    save_path: str = ""  # where Save writes when the world has no scene file yet
    error: str = ""  # why the last Save did not work
    granted: bool = False  # quit only: answered, the window may close

    def what(self) -> str:
        """What the action does to the world, as the question says it."""
        return ACTIONS[self.kind].format(name=Path(self.path).name or self.path)


def request(app: Any, kind: str, path: str | Path = "") -> None:
    """Do `kind` ("open" `path`, "new", "restore" `path`, "quit") now if no unsaved change
    would be lost, else ask first."""
    if kind not in ACTIONS:
        raise ValueError(f"unknown guarded action {kind!r}; expected one of {list(ACTIONS)}")
    pending = Pending(kind, str(path))
    c = app.controller
    if not c.dirty:
        perform(app, pending)
        return
    if kind == "restore":
        app.recovery = None  # the recovery question waits behind this one (Cancel re-asks)
    if c.own_file is None:
        pending.save_path = suggest_save_path(app.save_path, c.world.name,
                                              c.world.universe is not None)
    app.unsaved = pending


def open_file(app: Any, path: str | Path) -> None:
    """Open a scene or pattern file into this window, asking first if changes would be lost."""
    request(app, "open", path)


def check_quit(app: Any) -> None:
    """Called once a frame by the window: a quit asked for a world with unsaved changes becomes
    the question (the window keeps running until it is answered)."""
    pending = app.unsaved
    if not app.want_quit or (pending is not None and pending.granted):
        return
    if app.controller.dirty:
        app.want_quit = False
        if pending is not None and pending.kind == "restore":
            app.recovery = Path(pending.path)  # still on offer once this is answered
        request(app, "quit")


def answer(app: Any, choice: str) -> None:
    """The user's answer to the pending question: "save", "discard" or "cancel"."""
    pending = app.unsaved
    if pending is None or pending.granted:
        return
    if choice == "cancel":
        app.unsaved = None
        if pending.kind == "restore":
            app.recovery = Path(pending.path)  # offered again
        app.note(f"cancelled ({pending.kind}): the world is kept as it is")
        return
    if choice == "save":
        error = _save(app, pending)
        if error:
            pending.error = error
            app.note(error)
            return
    elif choice != "discard":
        raise ValueError(f"answer {choice!r}; expected save, discard or cancel")
    app.unsaved = None
    perform(app, pending)


def _save(app: Any, pending: Pending) -> str | None:
    """Save the world before the action: its own file, else the path typed in the question."""
    c = app.controller
    if c.own_file is not None:
        target: str | None = None
    else:
        target = pending.save_path.strip()
        if not target:
            return "type a path to save the world as"
        if c.would_overwrite(target):
            return f"{target} already exists; type another path"
    app._store_view()  # the display settings go with it, as Save does
    error = c.save(target)
    if error is None:
        app.note(c.message)
    return error


def perform(app: Any, pending: Pending) -> None:
    """Carry out an action (its question, if any, answered)."""
    c = app.controller
    if pending.kind == "open":
        app.note(c.open(pending.path) or f"opened {pending.path}")
        app.want_fit = True
    elif pending.kind == "new":
        c.new_world()
        app.note(c.message)
        app.want_fit = True
    elif pending.kind == "restore":  # the recovery files stay until the next autosave
        error = c.restore(pending.path)
        app.note(error or "restored the autosaved world (Save As to keep it)")
        app.save_path = ""  # never save over the recovery file by accident
        app.recovery = None
        app.want_fit = True
    elif pending.kind == "quit":
        pending.granted = True
        app.unsaved = pending
        app.want_quit = True


def default_save_path(name: str, suffix: str = ".yaml") -> str:
    """A scene file in the working folder named after the world (`Gosper glider gun` ->
    `Gosper_glider_gun.yaml`; a HashLife world's macrocell file with `suffix=".mc"`)."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_.") or "untitled"
    return str(Path.cwd() / f"{stem}{suffix}")


def suggest_save_path(typed: str, name: str, hashlife: bool) -> str:
    """What the unsaved-changes question offers to save to: the last Save As path typed, else a
    file named after the world. A HashLife world saves only as a macrocell file, so a typed
    scene name is offered with `.mc` instead (it would be refused)."""
    typed = typed.strip()
    if not hashlife:
        return typed or default_save_path(name)
    if not typed:
        return default_save_path(name, ".mc")
    if typed.lower().endswith((".mc", ".mc.gz")):
        return typed
    return str(Path(typed).with_suffix(".mc"))
