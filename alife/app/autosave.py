"""The app's files in the user's config folder: recent scenes and the autosave recovery scene.

The folder is `$XDG_CONFIG_HOME/alife` (default `~/.config/alife`). `recent.json` lists the
scenes opened or saved most recently (newest first). The app saves the world to
`recovery/recovery.yaml` every few minutes while it runs, so a crash loses little (every path
the scene holds is rewritten for that folder, `alife.scene.paths`, so a restored world reads
the same weights, targets and patterns); a HashLife world, whose universe a scene cannot hold,
goes to `recovery/recovery.mc.gz` instead (Golly's macrocell file; skipped while a step is in
flight, tried again next frame). A clean quit deletes them (nothing to recover). The
next start offers a recovery file back only when it is newer than the scene being opened, and
deletes it once the user has chosen to discard it. Restoring it is an undoable edit that asks
first when the world has unsaved changes (`alife.app.unsaved`).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from alife.core.fileio import atomic_write_text

MAX_RECENT = 12
AUTOSAVE_SECONDS = 180.0


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "alife"


def recent_path() -> Path:
    return config_dir() / "recent.json"


def recent() -> list[str]:
    """Recently used scene paths, newest first (missing files are dropped)."""
    try:
        items = json.loads(recent_path().read_text())
    except (OSError, ValueError):
        return []
    return [p for p in items if isinstance(p, str) and Path(p).exists()][:MAX_RECENT]


def add_recent(path: str | Path) -> None:
    path = str(Path(path).expanduser().resolve())
    items = [path] + [p for p in recent() if p != path]
    try:
        atomic_write_text(recent_path(), json.dumps(items[:MAX_RECENT], indent=1))
    except OSError:
        pass  # a read-only home must not break the app


def recovery_path() -> Path:
    return config_dir() / "recovery" / "recovery.yaml"


def recovery_universe_path() -> Path:
    """Where a HashLife world is autosaved (a macrocell file)."""
    return config_dir() / "recovery" / "recovery.mc.gz"


def pending_recovery(opened: str | Path | None = None) -> Path | None:
    """The recovery scene left by an earlier session that did not quit cleanly, if any, and
    only if it is newer than `opened` (the file being opened now; an older autosave is stale)."""
    found = []
    for candidate in (recovery_path(), recovery_universe_path()):
        try:
            found.append((candidate.stat().st_mtime, str(candidate)))
        except OSError:
            pass
    if not found:
        return None
    saved, newest = max(found)
    path = Path(newest)
    if opened is not None:
        try:
            if Path(opened).stat().st_mtime >= saved:
                return None
        except OSError:
            pass
    return path


def discard_recovery() -> None:
    shutil.rmtree(recovery_path().parent, ignore_errors=True)


class Autosaver:
    """Saves the world to the recovery file every `interval` seconds and on quit."""

    def __init__(self, interval: float = AUTOSAVE_SECONDS) -> None:
        self.interval = interval
        self._last = time.monotonic()

    def maybe_save(self, world) -> bool:
        if time.monotonic() - self._last < self.interval:
            return False
        return self.save(world)

    def save(self, world) -> bool:
        run = world.universe
        if run is not None and run.busy:
            return False  # the worker is changing the universe: next frame
        self._last = time.monotonic()
        try:
            import alife.evolve.settings  # noqa: F401  (the evolution: block's paths)
            from alife.scene.io import save_scene  # rebases every relative path of the scene

            path, other = recovery_path(), recovery_universe_path()
            if run is not None:
                from alife.app.universe_file import write_universe

                path, other = other, path
                path.parent.mkdir(parents=True, exist_ok=True)
                write_universe(path, run.universe, world.description.splitlines())
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                save_scene(world, path)
            other.unlink(missing_ok=True)  # one recovery file: the newest world
            return True
        except Exception:  # noqa: BLE001  (autosave is best effort; never crash the app)
            return False
