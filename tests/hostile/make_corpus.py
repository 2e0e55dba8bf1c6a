"""Write the small hostile files of this folder (run once; the files are committed).

    python tests/hostile/make_corpus.py

Each file is a few KiB at most; the large cases (megabytes of whitespace, zip bombs that declare
gigabytes, FIFOs, device links) are made at test time in a temporary folder by
`tests/test_hostile_inputs.py`, which runs every file here through every input route.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
LIFE = "version: 1\nrule:\n  family: life\n  config: {rule: B3/S23, width: 32, height: 32}\n"


def _yaml() -> dict[str, str]:
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n"
        for i in range(9))
    return {
        "deep_flow.yaml": "version: 1\nrule: " + "[" * 5000 + "]" * 5000 + "\n",
        "deep_block.yaml": "version: 1\n" + "".join("  " * i + "k:\n" for i in range(200)),
        "alias_cycle.yaml": LIFE + "run: &r {steps: *r}\n",
        "billion_laughs.yaml": LIFE.replace("version: 1\n", "version: 1\n" + laughs)
        + "description: *j\n",
        "huge_int.yaml": LIFE + "seed: " + "9" * 5000 + "\n",
        "nan_param.yaml": "version: 1\nrule:\n  family: lenia\n  config: {width: 64, height: 64}\n"
                          "  params: {mu: .nan}\n",
        "inf_zoom.yaml": LIFE + "view: {zoom: .inf}\n",
        "bool_rule_number.yaml": "version: 1\nrule:\n  family: elementary\n"
                                 "  config: {rule: true, width: 64}\n",
        "float_rule_number.yaml": "version: 1\nrule:\n  family: elementary\n"
                                  "  config: {rule: 110.5, width: 64}\n",
        "huge_world.yaml": "version: 1\nrule:\n  family: life\n"
                           "  config: {rule: B3/S23, width: 1000000, height: 1000000}\n",
        "huge_radius.yaml": "version: 1\nrule:\n  family: lenia\n"
                            "  config: {width: 64, height: 64, radius: 1.0e+9}\n",
        "huge_ltl_radius.yaml": "version: 1\nrule:\n  family: life\n  config: "
                                "{rule: 'R5000,C0,M1,S34..58,B34..45,NM', width: 64, height: 64}\n",
        "huge_params.yaml": "version: 1\nrule:\n  family: nca\n"
                            "  config: {width: 16, height: 16, hidden: 1000000000}\n",
        "huge_steps_per_frame.yaml": LIFE + "run: {steps_per_frame: 1000000000000}\n",
        "not_a_mapping.yaml": "- just\n- a list\n",
        "binary.yaml": "\x00\x01\x02 garbage \xff",
    }


def _patterns() -> dict[str, str]:
    return {
        "huge_header.rle": "x = 1000000000, y = 1000000000, rule = B3/S23\no!\n",
        "huge_run.rle": "x = 3, y = 3, rule = B3/S23\n999999999999999o!\n",
        "many_rows.rle": "x = 0, y = 0, rule = B3/S23\n999999999999$o!\n",
        "bad_rule.rle": "x = 1, y = 1, rule = B3/S2Q\no!\n",
    }


def _npz_bytes(**arrays: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def _header_lie() -> bytes:
    """An .npz whose .npy header declares a 10^6 x 10^6 float64 array over 8 bytes of data."""
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }"
    header = header + " " * (118 - len(header)) + "\n"
    npy = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + b"\0" * 8
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("data.npy", npy)
    return buffer.getvalue()


def _pickled() -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, data=np.array([{"a": 1}], dtype=object))
    return buffer.getvalue()


def _npz() -> dict[str, bytes]:
    good = _npz_bytes(data=np.zeros((32, 32), np.uint8), generation=np.int32(0))
    return {
        "truncated.npz": good[: len(good) // 2],
        "corrupt.npz": b"PK\x03\x04" + bytes(range(256)) * 4,
        "not_a_zip.npz": b"hello, this is text\n",
        "header_lie.npz": _header_lie(),
        "pickled.npz": _pickled(),
        "bad_crc.npz": good[:60] + bytes(b ^ 0x55 for b in good[60:90]) + good[90:],
    }


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _png(width: int, height: int, rows: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    raw = zlib.compress(b"".join(b"\0" + b"\0" * min(width, 64) for _ in range(rows)))
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", raw)
            + _png_chunk(b"IEND", b""))


def _images() -> dict[str, bytes]:
    from PIL import Image

    noise = np.random.default_rng(0).integers(0, 256, (64, 64), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noise, "L").save(buffer, "PNG")
    small = buffer.getvalue()
    return {
        "pixel_bomb.png": _png(100_000, 100_000, 2),
        "truncated.png": small[: len(small) // 2],
        "not_an_image.png": b"GIF89a but not really an image at all",
    }


def main() -> None:
    for name, text in {**_yaml(), **_patterns()}.items():
        (HERE / name).write_bytes(text.encode("utf-8", "surrogateescape")
                                  if name != "binary.yaml" else text.encode("latin-1"))
    for name, data in {**_npz(), **_images()}.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
