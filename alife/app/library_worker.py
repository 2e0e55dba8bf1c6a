"""The Library's thumbnail worker process (`python -m alife.app.library --worker`): reads one
JSON job a line on stdin, makes that thumbnail, answers one JSON line (`worker_main`). Started and
fed by `alife.app.library_thumbnails`; part of the Library's model (`alife.app.library`).

- A scene's thumbnail is the scene opened as `alife render` opens it, run for at most
  THUMB_STEPS generations (fewer when its `run.steps` says so, or when stepping a slow family
  takes over THUMB_BUDGET_S seconds), then drawn by the app's own renderers
  (`alife.render.frames`: grid, entities, message lines) into a THUMB_SIZE square. The PNG's
  `alife` text chunk records the generation drawn.
- A pattern's thumbnail is cheap: its cells read from the file and coloured as the app colours
  cell states (`alife.scene.palettes.colorize`; a rule table's own colours are not looked up),
  reduced over blocks when the pattern is larger than the thumbnail (a block shows its corner's
  state where that is alive, else its largest, so a lone live cell still shows); no JAX
  compile, no GL. Formats the pattern reader does not know get no thumbnail (the panel says so).
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from alife.app.library_entries import MAX_GZ_BYTES, _atomic_write

THUMB_CHUNK = 10


def scene_thumbnail(path: Path, out: Path, size: int, steps: int, budget_s: float,
                    ctx: Any) -> dict[str, Any]:
    """Render a scene's thumbnail (see the module docstring) and write it to `out`."""
    from alife.render.frames import render_frames
    from alife.scene.open import open_world
    from alife.scene.runner import advance

    world = open_world(path)
    run_steps = (world.run or {}).get("steps", steps)
    total = max(0, min(int(steps), int(run_steps) if isinstance(run_steps, int) else steps))
    done = [0, world.state]
    start = time.monotonic()
    stepping: list[float] = []  # when the first chunk (the compile) was done

    class _Enough(Exception):
        pass

    def chunk(state: Any, n: int) -> None:
        done[0], done[1] = n, state
        now = time.monotonic()
        if not stepping:
            stepping.append(now)
        elif now - stepping[0] > budget_s:
            raise _Enough

    try:
        advance(world, total, every=THUMB_CHUNK, on_chunk=chunk)
    except _Enough:
        pass
    shown = world.with_state(done[1])
    frame = render_frames(shown, 0, size=(size, size), ctx=ctx)[-1]
    meta = {"generation": int(world.generation) + done[0], "steps": done[0],
            "seconds": round(time.monotonic() - start, 2)}
    _write_png(out, frame, meta)
    return meta


def pattern_image(cells: Any, size: int) -> Any:
    """[size, size, 3] uint8: pattern cells coloured as the app colours states, reduced over
    blocks when larger than `size` (see the module docstring), enlarged by a whole factor (at
    most 16) when smaller, centred on the colour outside the grid."""
    import numpy as np

    from alife.scene import palettes

    cells = np.asarray(cells, np.uint8)
    h, w = cells.shape if cells.size else (1, 1)
    if not cells.size:
        cells = np.zeros((1, 1), np.uint8)
    k = max(1, -(-max(h, w) // size))
    if k > 1:
        ph, pw = -(-h // k) * k, -(-w // k) * k
        padded = np.zeros((ph, pw), np.uint8)
        padded[:h, :w] = cells
        blocks = padded.reshape(ph // k, k, pw // k, k)
        sample = blocks[:, 0, :, 0]  # a block's own colour where its corner is alive, so
        cells = np.where(sample > 0, sample, blocks.max(axis=(1, 3)))  # states keep theirs
    states = int(cells.max()) + 1
    look = "binary" if states <= 2 else "states"
    rgb = palettes.colorize(cells, look, max(states, 2))
    zoom = max(1, min(16, size // max(rgb.shape[0], rgb.shape[1])))
    rgb = np.repeat(np.repeat(rgb, zoom, axis=0), zoom, axis=1)[:size, :size]
    image = np.empty((size, size, 3), np.uint8)
    image[:] = palettes.OUTSIDE
    top, left = (size - rgb.shape[0]) // 2, (size - rgb.shape[1]) // 2
    image[top:top + rgb.shape[0], left:left + rgb.shape[1]] = rgb
    return image


def pattern_thumbnail(path: Path, out: Path, size: int) -> dict[str, Any]:
    """A pattern file's cells as a thumbnail (no JAX, no GL), written to `out`."""
    from alife.scene.patterns import read_pattern

    if path.suffix.lower() == ".gz":
        import tempfile

        with gzip.open(path, "rb") as f:
            data = f.read(MAX_GZ_BYTES + 1)
        if len(data) > MAX_GZ_BYTES:
            raise ValueError(f"unpacks to over {MAX_GZ_BYTES >> 20} MiB")
        with tempfile.TemporaryDirectory() as tmp:
            plain = Path(tmp) / path.with_suffix("").name
            plain.write_bytes(data)
            pattern = read_pattern(plain)
    else:
        pattern = read_pattern(path)
    meta = {"rule": pattern.rule or "", "width": int(pattern.shape[1]),
            "height": int(pattern.shape[0])}
    _write_png(out, pattern_image(pattern.cells, size), meta)
    return meta


def _write_png(out: Path, frame: Any, meta: dict[str, Any]) -> None:
    import io

    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("alife", json.dumps(meta))
    buffer = io.BytesIO()
    Image.fromarray(frame, "RGB").save(buffer, format="PNG", pnginfo=info)
    _atomic_write(out, buffer.getvalue())


def worker_main(stdin: Any = None, stdout: Any = None) -> int:
    """Read one JSON job a line, make its thumbnail, answer one JSON line; end at end of input."""
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout.buffer
    try:
        os.nice(5)  # the app's own frames come first
    except (AttributeError, OSError):
        pass
    ctx = None
    for line in stdin:
        if not line.strip():
            continue
        reply: dict[str, Any]
        try:
            job = json.loads(line)
            out, path = Path(job["out"]), Path(job["path"])
            if job["kind"] == "scene":
                if ctx is None:
                    from alife.render.context import headless_context

                    ctx = headless_context()
                meta = scene_thumbnail(path, out, int(job["size"]), int(job["steps"]),
                                       float(job["budget"]), ctx)
            else:
                meta = pattern_thumbnail(path, out, int(job["size"]))
            reply = {"ok": True, **meta}
        except Exception as exc:  # noqa: BLE001  (one bad file never ends the worker)
            text = str(exc).strip().splitlines()
            reply = {"ok": False, "error": (text[0] if text else type(exc).__name__)[:300]}
        stdout.write((json.dumps(reply) + "\n").encode())
        stdout.flush()
    return 0
