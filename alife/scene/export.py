"""Writing a world's current state: `.npz` (the State pytree), `.rle`/`.cells`, or `.png`.

- `.npz`: `fileio.save_tree(state)` plus the PRNG key (`__key`); `init: npz:` reads it back.
- `.rle` / `.cells` (discrete families): the cell grid with the rule text in the header,
  including a bounded-grid suffix (`B3/S23:P128,96`) so Golly rebuilds the same grid.
- `.png`: the rule's `view`, coloured simply (1 channel: grey levels, or for discrete rules a
  small palette: 0 black, 1 white, higher states in a warm ramp; 3/4 channels as RGB(A)); each
  cell `zoom` x `zoom` pixels. The real renderer is `alife render`.
All writes are atomic.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.errors import AlifeError
from alife.core.fileio import atomic_write_bytes, save_tree
from alife.core.rule import PatternRuleText, has_rule_text
from alife.scene.world import World

FORMATS = (".npz", ".rle", ".cells", ".png")


def check_writable(path: str | Path) -> Path:
    """Fail early (before a long run) if `path` has an unknown format or cannot be written."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise AlifeError(f"unknown output format {path.suffix or '(no extension)'!r}; expected "
                         f"one of {', '.join(FORMATS)}", where=str(path))
    if path.is_dir():
        raise AlifeError("is a folder; expected a file path", where=str(path))
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise AlifeError(f"cannot write here (folder {folder} is not writable); expected a "
                         f"writable path", where=str(path))
    if path.exists() and not os.access(path, os.W_OK):
        raise AlifeError("the file exists and is read-only; expected a writable path",
                         where=str(path))
    return path


def bounded_rule_text(world: World) -> str | None:
    """The rule text for a pattern file's header: the family's `pattern_rule_text` when it has
    one (Life adds Golly's bounded-grid suffix for the world's size and topology), else its
    plain rule text; None for rules without a rule text. On the unbounded plane
    (`world.origin`) the plain rule text: Golly's own plane needs no suffix."""
    if not has_rule_text(world.rule):
        return None
    if isinstance(world.rule, PatternRuleText) and world.origin is None:
        return world.rule.pattern_rule_text(world.params)
    return world.rule.rule_text(world.params)


def _key_data(key: jax.Array) -> np.ndarray:
    if jnp.issubdtype(key.dtype, jax.dtypes.prng_key):
        key = jax.random.key_data(key)
    return np.asarray(key)


def _pattern(world: World, path: Path) -> None:
    from alife.scene.patterns import Pattern, write_pattern

    rule = world.rule
    if rule.num_states == 0:
        raise AlifeError(f"{path.suffix} needs a discrete rule, but {rule.family!r} is "
                         f"continuous; expected .npz or .png", where=str(path))
    cells = np.asarray(rule.cells(world.state))
    if cells.size and cells.max() > 255:
        raise AlifeError("states above 255 do not fit a pattern file; expected .npz",
                         where=str(path))
    h, w = cells.shape
    # Golly centres a bounded grid on the origin: the whole grid's top-left is (-w/2, -h/2)
    position = (-(w // 2), -(h // 2))
    if world.origin is not None:  # the unbounded plane: the live cells' box where it lies
        ys, xs = np.nonzero(cells)
        if ys.size:
            cells = cells[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
            position = (world.origin[0] + int(xs.min()), world.origin[1] + int(ys.min()))
        else:
            cells, position = cells[:0, :0], world.origin
    pattern = Pattern(cells=cells.astype(np.uint8), rule=bounded_rule_text(world),
                      name=world.name, comments=[f"generation {world.generation}"],
                      position=position, generation=world.generation)
    write_pattern(path, pattern)


def image(world: World, zoom: int = 1) -> np.ndarray:
    """[H*zoom, W*zoom, 3] uint8: the view coloured as the app and `alife render` colour it
    (`alife.scene.palettes.colorize` with the world's resolved view settings)."""
    array = world.rule.view(world.state, world.params)
    rgb = world.view.for_rule(world.rule).colorize(array)
    if zoom > 1:
        rgb = np.repeat(np.repeat(rgb, zoom, axis=0), zoom, axis=1)
    return np.ascontiguousarray(rgb)


def _png(world: World, path: Path, zoom: int) -> None:
    from PIL import Image

    pixels = image(world, zoom)
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGBA" if pixels.shape[2] == 4 else "RGB").save(buffer, "PNG")
    atomic_write_bytes(path, buffer.getvalue())


def write_state(world: World, path: str | Path, zoom: int = 1) -> Path:
    """Write the world's current state; the format comes from the extension."""
    path = check_writable(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".npz":
            save_tree(path, world.state, key=_key_data(world.key))
        elif suffix == ".png":
            _png(world, path, zoom)
        else:
            _pattern(world, path)
    except OSError as exc:
        raise AlifeError(f"cannot write the file ({exc.strerror or exc})",
                         where=str(path)) from None
    return path
