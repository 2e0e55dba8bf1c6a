"""Files half of the controller facade: open a scene or pattern, save the world as a scene, and
the scene's view settings. Mixed into `Controller`, whose world and `apply_edit` it uses (so
opening a file, or restoring the autosave, is undoable like any edit); the scene formats live
in `alife.scene`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from alife.core.errors import AlifeError


class FilesMixin:
    """Open / save operations of `Controller` (see its docstring)."""

    def open(self, path: str | Path, remember: bool = True) -> str | None:
        """Open a scene (.yaml) or a pattern file (.rle, .cells...); error message or None.

        `remember` adds it to the recent list (not for the autosave recovery file)."""
        path = Path(path).expanduser()
        try:
            from alife.scene.open import open_world

            world = open_world(path)
        except AlifeError as exc:
            self.message = str(exc)
            return self.message
        self.playing = False
        self.apply_edit(f"open {path.name}", world=world)  # undoable, like every edit
        self.message = f"opened {path}"
        if remember:
            from alife.app.autosave import add_recent

            add_recent(path)
        return None

    def update_view(self, **values: Any) -> None:
        """Record display settings (colour map, grid lines, zoom...) in the scene's view block."""
        self.world = dataclasses.replace(self.world, view={**self.world.view, **values})

    @property
    def own_file(self) -> Path | None:
        """The scene file Save writes: the one this world came from, if it is a scene (.yaml)
        and not the autosave recovery file; None means Save must ask for a path."""
        path = self.world.path
        if path is None or Path(path).suffix.lower() not in (".yaml", ".yml"):
            return None
        from alife.app.autosave import recovery_path

        if _same_file(path, recovery_path()):
            return None
        return Path(path)

    def would_overwrite(self, path: str | Path) -> bool:
        """Whether saving to `path` would replace a file other than this world's own."""
        target = scene_path(path)
        own = self.own_file
        return target.exists() and not (own is not None and _same_file(target, own))

    def save(self, path: str | Path | None = None, overwrite: bool = False) -> str | None:
        """Save the world as a scene file (YAML + .npz beside it); error message or None.

        `path=None` writes the world's own file (`own_file`; an error if it has none). Another
        existing file is never replaced unless `overwrite=True` (the app asks first).
        """
        if path is None:
            if self.own_file is None:
                self.message = "this world has no scene file yet: use Save As"
                return self.message
            path = self.own_file
        path = scene_path(path)
        if not overwrite and self.would_overwrite(path):
            self.message = f"{path} exists; not overwritten"
            return self.message
        try:
            from alife.scene.io import rebase_init, save_scene

            saved = save_scene(self.world, path)
        except (AlifeError, OSError) as exc:
            self.message = str(exc)
            return self.message
        # Reset still goes back to where this session started (as in Golly), not to the state
        # just saved; that start's file paths are now read relative to the new scene's folder.
        old_dir = self.world.path.parent if self.world.path else Path.cwd()
        self.world = dataclasses.replace(
            saved, init=rebase_init(self.world.init, old_dir, path.parent))
        self.message = f"saved {path}"
        from alife.app.autosave import add_recent

        add_recent(path)
        return None


def scene_path(path: str | Path) -> Path:
    """`path` as a scene file name (`.yaml` added when it has another suffix or none)."""
    path = Path(path).expanduser()
    return path if path.suffix.lower() in (".yaml", ".yml") else path.with_suffix(".yaml")


def _same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False
