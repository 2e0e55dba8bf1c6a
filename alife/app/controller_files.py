"""Files half of the controller facade: open a scene or pattern, a new empty world, restore the
autosave, save the world as a scene, the scene's view settings, and whether the world has
unsaved changes. Mixed into `Controller`, whose world and `apply_edit` it uses (so opening a
file, File > New and restoring the autosave are undoable like any edit); the scene formats live
in `alife.scene`.

Unsaved changes (`dirty`) come from the undo history (`alife.app.history`): Save and Open mark
the world's revision as the one in its file, every edit makes a new revision, and undo returns to
the old one, so undoing back to the saved point is clean again. A restored autosave stays dirty
(the recovery file is deleted by the next clean quit) until it is saved somewhere.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import alife.evolve.settings  # noqa: F401  (declares the evolution: block's paths for saving)
from alife.core.errors import AlifeError


class FilesMixin:
    """Open / save operations of `Controller` (see its docstring)."""

    def open(self, path: str | Path, remember: bool = True, clean: bool = True) -> str | None:
        """Open a scene (.yaml) or a pattern file (.rle, .cells...); error message or None.

        `remember` adds it to the recent list, `clean` marks the opened world as saved (neither
        for the autosave recovery file: `restore`)."""
        path = Path(path).expanduser()
        try:
            world = open_file_world(path)
        except AlifeError as exc:
            self.message = str(exc)
            return self.message
        self.playing = False
        self.apply_edit(f"open {path.name}", world=world)  # undoable, like every edit
        if clean:
            self.mark_clean()
        self.message = f"opened {path}"
        if remember:
            from alife.app.autosave import add_recent

            add_recent(path)
        return None

    def restore(self, path: str | Path) -> str | None:
        """Open the autosaved recovery scene (an undoable edit); it has unsaved changes until it
        is saved elsewhere (the recovery file goes at the next clean quit)."""
        return self.open(path, remember=False, clean=False)

    def new_world(self) -> None:
        """File > New: an empty world of the running rule and params with no file (Golly's New):
        the cells cleared, or the rule's own start for a family without a cell grid. An
        undoable edit; the new world has nothing to save."""
        from alife.core.rule import can_edit
        from alife.scene.initial import reset_state
        from alife.scene.world import World

        w = self.world
        world = World(rule=w.rule, params=w.params, state=w.state, key=w.key, seed=w.seed,
                      init={"empty": {}} if can_edit(w.rule) else {"default": {}},
                      view=w.view, run=dict(w.run))
        world = dataclasses.replace(world, state=reset_state(world))
        self.playing = False
        self.apply_edit("new world", world=world)
        self.mark_clean()
        self.message = "a new empty world (Save As to keep it)"

    # ---- unsaved changes ---------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        """Whether the world changed since it was last saved to or opened from its file."""
        return not self.history.is_clean(file_key(self.world.path))

    def mark_clean(self) -> None:
        """The world as it is now is what its file holds (just saved or opened): the next edit,
        running included, makes it dirty again."""
        self.history.mark_clean(file_key(self.world.path))
        self._param_edit = None  # a slider moved after this is a new undo entry
        self._run_recorded = False  # so is running on

    def update_view(self, **values: Any) -> None:
        """Record display settings (colour map, grid lines, zoom...) in the scene's view block."""
        self.world = dataclasses.replace(self.world, view={**self.world.view, **values})

    @property
    def own_file(self) -> Path | None:
        """The scene file Save writes: the one this world came from, if it is a scene (.yaml)
        and not the autosave recovery file; None means Save must ask for a path."""
        path = self.world.path
        if path is None:
            return None
        from alife.app.autosave import recovery_path, recovery_universe_path

        if _same_file(path, recovery_path()) or _same_file(path, recovery_universe_path()):
            return None
        if self.world.universe is not None:  # a HashLife world saved as a macrocell file
            name = Path(path).name.lower()
            return Path(path) if name.endswith(".mc") or name.endswith(".mc.gz") else None
        if Path(path).suffix.lower() not in (".yaml", ".yml"):
            return None
        return Path(path)

    def save_target(self, path: str | Path) -> Path:
        """The file Save As `path` writes: a scene (`.yaml` added to another suffix), or for a
        HashLife world a macrocell file (`.mc` added when there is no suffix)."""
        if self.world.universe is not None:
            return macrocell_path(path)
        return scene_path(path)

    def would_overwrite(self, path: str | Path) -> bool:
        """Whether saving to `path` would replace a file other than this world's own."""
        target = self.save_target(path)
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
        path = self.save_target(path)
        if not overwrite and self.would_overwrite(path):
            self.message = f"{path} exists; not overwritten"
            return self.message
        if self.world.universe is not None:
            return self._save_universe(path)
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
            saved, init=rebase_init(self.world.init, old_dir, path.parent, self.rule))
        self.mark_clean()
        self.message = f"saved {path}"
        from alife.app.autosave import add_recent

        add_recent(path)
        return None


    def _save_universe(self, path: Path) -> str | None:
        """Write a HashLife world's universe as a macrocell file (Golly's format: two-state or
        multi-state); a scene file cannot hold a universe, so any other name is refused."""
        name = path.name.lower()
        if not (name.endswith(".mc") or name.endswith(".mc.gz")):
            self.message = (f"{path}: a HashLife world is saved as a macrocell file (.mc or "
                            f".mc.gz); a scene file cannot hold its universe")
            return self.message
        self.hashlife_wait()  # the step in flight finishes first
        from alife.app.universe_file import write_universe

        try:
            write_universe(path, self.world.universe.universe,
                           self.world.description.splitlines())
        except (AlifeError, OSError) as exc:
            self.message = f"{path}: cannot write the macrocell file ({exc})"
            return self.message
        self.world = dataclasses.replace(self.world, path=path)
        self.mark_clean()
        self.message = f"saved {path}"
        from alife.app.autosave import add_recent

        add_recent(path)
        return None


def macrocell_path(path: str | Path) -> Path:
    """`path` as a macrocell file name (`.mc` added when it has no suffix)."""
    path = Path(path).expanduser()
    return path if path.suffix else path.with_suffix(".mc")


def file_key(path: str | Path | None) -> str | None:
    """The key a file is known by in the undo history's saved points (an absolute path)."""
    return None if path is None else os.path.abspath(os.path.expanduser(str(path)))


def scene_path(path: str | Path) -> Path:
    """`path` as a scene file name (`.yaml` added when it has another suffix or none)."""
    path = Path(path).expanduser()
    return path if path.suffix.lower() in (".yaml", ".yml") else path.with_suffix(".yaml")


def _same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def open_file_world(path: Path) -> Any:
    """The World a file describes: a two-state macrocell file (.mc, .mc.gz) runs on HashLife
    (`alife.app.controller_hashlife`), and so does a rule-table pattern too large for the grid
    engine (the multi-state universe); everything else goes through `alife.scene.open`."""
    from alife.app.controller_hashlife import table_world
    from alife.rules.life.macrocell import is_macrocell
    from alife.scene.open import open_world

    giant = table_world(path)
    if giant is not None:
        return giant
    if is_macrocell(path):
        from alife.app.controller_hashlife import macrocell_world

        try:
            return macrocell_world(path)
        except AlifeError as first:
            try:  # a multi-state macrocell file, if the grid route reads it
                return open_world(path)
            except AlifeError:
                raise first from None
    return open_world(path)
