"""Files half of the controller facade: open a scene or pattern, save the world as a scene, and
the scene's view settings. Mixed into `Controller`, whose world and `set_world` it uses; the
scene formats live in `alife.scene`.
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
            from alife.scene.io import load_scene
            from alife.scene.pattern_world import world_from_pattern

            if path.suffix.lower() in (".yaml", ".yml"):
                world = load_scene(path)
            else:
                world = world_from_pattern(path)
        except AlifeError as exc:
            self.message = str(exc)
            return self.message
        self.playing = False
        self.set_world(world)
        self.message = f"opened {path}"
        if remember:
            from alife.app.autosave import add_recent

            add_recent(path)
        return None

    def update_view(self, **values: Any) -> None:
        """Record display settings (colour map, grid lines, zoom...) in the scene's view block."""
        self.world = dataclasses.replace(self.world, view={**self.world.view, **values})

    def save(self, path: str | Path) -> str | None:
        """Save the world as a scene file (YAML + .npz beside it); error message or None."""
        path = Path(path).expanduser()
        if path.suffix.lower() not in (".yaml", ".yml"):
            path = path.with_suffix(".yaml")
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
