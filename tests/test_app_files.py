"""The app's file helpers without a window: recent scenes, the autosave recovery file, and
recording frames to GIF / MP4 (read back with imageio / Pillow)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENE = ROOT / "scenes" / "life" / "gosper_glider_gun.yaml"


def test_recent_and_recovery(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    from alife.app import autosave
    from alife.scene.io import load_scene

    assert autosave.config_dir() == tmp_path / "cfg" / "alife"
    files = [tmp_path / f"s{i}.yaml" for i in range(3)]
    for f in files:
        f.write_text("x")
        autosave.add_recent(f)
    autosave.add_recent(files[0])  # used again: moves to the front, no duplicate
    assert autosave.recent() == [str(files[0]), str(files[2]), str(files[1])]
    files[2].unlink()
    assert autosave.recent() == [str(files[0]), str(files[1])]

    assert autosave.pending_recovery() is None
    world = load_scene(SCENE)
    saver = autosave.Autosaver(interval=3600)
    assert not saver.maybe_save(world)  # not due yet
    assert saver.save(world)
    path = autosave.pending_recovery()
    assert path is not None
    back = load_scene(path)
    np.testing.assert_array_equal(np.asarray(back.rule.cells(back.state)),
                                  np.asarray(world.rule.cells(world.state)))
    autosave.discard_recovery()
    assert autosave.pending_recovery() is None


@pytest.mark.parametrize("suffix", [".gif", ".mp4"])
def test_recorder_writes_every_frame(tmp_path, suffix):
    from alife.app.recorder import Recorder

    rng = np.random.default_rng(0)
    frames = [np.repeat(np.repeat(rng.integers(0, 2, (9, 13), np.uint8) * 255, 4, 0), 4, 1)
              for _ in range(5)]
    rec = Recorder(tmp_path / f"clip{suffix}", 5)
    for f in frames:
        rec.add(np.stack([f, f, f], axis=-1))
    assert rec.done
    import imageio.v3 as iio

    back = iio.imread(tmp_path / f"clip{suffix}", index=None)
    assert back.shape[0] == 5
    assert back.shape[1:3] == (36, 52)
    # black and white frames survive the encoding (GIF exactly, H.264 within its loss)
    tol = 0 if suffix == ".gif" else 80
    np.testing.assert_allclose(back[2][..., 0].astype(int), frames[2].astype(int), atol=tol)


def test_recorder_rejects_other_formats(tmp_path):
    from alife.app.recorder import Recorder
    from alife.core.errors import AlifeError

    with pytest.raises(AlifeError, match="expected .gif or .mp4"):
        Recorder(tmp_path / "clip.avi", 3)


def test_recovery_offered_only_when_newer_than_the_opened_file(tmp_path, monkeypatch):
    import os

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    from alife.app import autosave
    from alife.scene.io import load_scene

    opened = tmp_path / "scene.yaml"
    opened.write_text("x")
    assert autosave.Autosaver().save(load_scene(SCENE))
    rec = autosave.recovery_path()
    os.utime(opened, (1000, 1000))
    os.utime(rec, (2000, 2000))
    assert autosave.pending_recovery(opened) == rec       # newer: offered
    assert autosave.pending_recovery(None) == rec         # nothing opened from a file
    os.utime(opened, (3000, 3000))
    assert autosave.pending_recovery(opened) is None      # saved since: stale, not offered


@pytest.mark.parametrize("umask, want", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_atomic_writes_get_the_usual_permissions(tmp_path, umask, want):
    import os
    import stat

    from alife.core.fileio import atomic_write_text, save_tree

    old = os.umask(umask)
    try:
        atomic_write_text(tmp_path / "new.txt", "hi")
        save_tree(tmp_path / "tree.npz", {"a": np.zeros(3)})
        kept = tmp_path / "kept.txt"
        kept.write_text("old")
        kept.chmod(0o640)
        atomic_write_text(kept, "new")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == want
    assert stat.S_IMODE((tmp_path / "tree.npz").stat().st_mode) == want
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text() == "new"
