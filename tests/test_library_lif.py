"""The Library previews Life 1.05 / 1.06 files (`.lif`, `.life`) as it does RLEs: before, Golly's
`Life/Breeders/breeder.lif` showed a ".lif" placeholder instead of a thumbnail. Truth: a glider
written in both Life formats by hand (3 x 3 cells, five of them live, in known places).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from alife.app.library_entries import Entry
from alife.app.library_thumbnails import can_preview, thumbnail_meta
from alife.app.library_worker import pattern_thumbnail

LIFE_106 = "#Life 1.06\n1 0\n2 1\n0 2\n1 2\n2 2\n"
LIFE_105 = "#Life 1.05\n#N\n#P -1 -1\n.*.\n..*\n***\n"


def test_life_files_get_thumbnails_of_their_cells(tmp_path):
    for name, text in (("glider.lif", LIFE_106), ("glider105.life", LIFE_105)):
        path = tmp_path / name
        path.write_text(text)
        entry = Entry(path=path, name=name, source="folder", kind="pattern")
        assert can_preview(entry), name
        out = tmp_path / f"{name}.png"
        meta = pattern_thumbnail(path, out, 48)
        assert (meta["width"], meta["height"]) == (3, 3)
        assert thumbnail_meta(out)["width"] == 3
        picture = np.asarray(Image.open(out).convert("RGB")).astype(int)
        background = picture[0, 0]
        lit = np.any(picture != background, axis=2)
        assert lit.any() and not lit.all(), name  # the live cells are drawn, not the whole square


def test_other_unknown_formats_still_get_none():
    entry = Entry(path=Path("x.lua"), name="x.lua", source="golly", kind="pattern")
    assert not can_preview(entry)
