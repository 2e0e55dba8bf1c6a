"""LifeGPT's test set against facts taken from LifeGPT's own test file.

Source: github.com/lamm-mit/LifeGPT, commit b037a3779514811a1bcd334192b8a332035c96c3,
`LifeGPT/conway_test_states_32by32_20240716_151502.csv` (10 rows, columns `State 1`..`State 10`,
the file `LifeGPT/LifeGPT_toroidal_rot_pos_on_15_percent_forgetful_mask_broad_ent.py` tests on)
and `LifeGPT/conway_test_states_32by32_20240827_172807.csv` (the same ten starts, 250 states).
The (row, column) lists below are the live cells of each row's `State 1`, transcribed from the
file; the populations and SHA-256 digests were computed from the file's bytes.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from alife.instruments import dataset_lifegpt

# row 6 .. 10 of their file, `State 1`: live cells as (row, column) on the 32x32 grid
GLIDER = [(9, 12), (9, 13), (10, 13), (10, 14), (11, 12)]
CLOVERLEAF = [
    (6, 13), (6, 14), (6, 18), (6, 19), (7, 12), (7, 15), (7, 17), (7, 20), (8, 12), (8, 14),
    (8, 15), (8, 17), (8, 18), (8, 20), (9, 11), (9, 12), (9, 20), (9, 21), (10, 13), (10, 15),
    (10, 17), (10, 19), (11, 11), (11, 12), (11, 20), (11, 21), (12, 12), (12, 14), (12, 15),
    (12, 17), (12, 18), (12, 20), (13, 12), (13, 15), (13, 17), (13, 20), (14, 13), (14, 14),
    (14, 18), (14, 19)]
HAMMERHEAD = [
    (6, 7), (6, 8), (6, 9), (6, 10), (6, 11), (7, 7), (7, 12), (7, 20), (7, 21), (8, 7),
    (8, 19), (8, 20), (8, 22), (8, 23), (8, 24), (9, 8), (9, 18), (9, 19), (9, 21), (9, 22),
    (9, 23), (9, 24), (10, 10), (10, 11), (10, 15), (10, 16), (10, 18), (10, 19), (10, 22),
    (10, 23), (11, 12), (11, 17), (11, 20), (12, 13), (12, 15), (12, 17), (12, 19), (13, 14),
    (14, 14), (15, 13), (15, 15), (15, 17), (15, 19), (16, 12), (16, 17), (16, 20), (17, 10),
    (17, 11), (17, 15), (17, 16), (17, 18), (17, 19), (17, 22), (17, 23), (18, 8), (18, 18),
    (18, 19), (18, 21), (18, 22), (18, 23), (18, 24), (19, 7), (19, 19), (19, 20), (19, 22),
    (19, 23), (19, 24), (20, 7), (20, 12), (20, 20), (20, 21), (21, 7), (21, 8), (21, 9),
    (21, 10), (21, 11)]
BLINKERS = [(0, 0), (0, 1), (0, 2), (3, 7), (3, 8), (3, 9), (7, 7), (7, 8), (7, 9), (8, 15),
            (9, 15), (10, 15)]
R_PENTOMINO = [(0, 1), (0, 2), (1, 0), (1, 1), (2, 1)]

# rows 1 .. 5 (soups at rho = 0, 0.25, 0.5, 0.75, 1): live cells and SHA-256 of `State 1`
SOUPS = [
    (0, "35ae5091b37e8f0f306833ef57a635f9dc06738d7f4e563a610eec2adb26fe28"),
    (254, "927a26671824989356e550302a02d963c8227495cbfcd272457c94d76e110f92"),
    (507, "b0dd88cc427ecc2eef83473400dd85a4af48c67015d522585755e429d085f5e6"),
    (768, "5bd6a79a5ef23810f7be60101beac3c932b7f6fb8e34d74dd120af9c6fea891b"),
    (1024, "b4a38f5f5a21b6ba9f2008878beaa3a708866c66cbada71ba28ec359b5a53c3c"),
]
# SHA-256 of their two files, byte for byte (header `State 1,...`, LF line ends)
FILE_10 = "e490e0a2a5da3782c8cc7728edffea3d331adcf624a543847270d8ba6717ff1e"
FILE_250 = "acb0be867958704237e012aa8c6cb4822eefe56b06f27cb13b16f0a19120568d"


def grid(cells: list[tuple[int, int]]) -> np.ndarray:
    g = np.zeros((32, 32), np.uint8)
    g[tuple(np.array(cells).T)] = 1
    return g


@pytest.mark.parametrize("name, cells", [
    ("glider", GLIDER), ("cloverleaf", CLOVERLEAF), ("hammerhead", HAMMERHEAD),
    ("blinkers", BLINKERS), ("r-pentomino", R_PENTOMINO)])
def test_patterns_are_lifegpts(name, cells):
    np.testing.assert_array_equal(dataset_lifegpt.pattern(name), grid(cells))


def test_starts_are_lifegpts():
    names, starts = dataset_lifegpt.starts()
    assert names == ["rho=0.0", "rho=0.25", "rho=0.5", "rho=0.75", "rho=1.0",
                     "glider", "cloverleaf", "hammerhead", "blinkers", "r-pentomino"]
    assert starts.shape == (10, 32, 32)
    for start, (population, digest) in zip(starts[:5], SOUPS, strict=True):
        text = "".join(map(str, start.reshape(-1)))
        assert start.sum() == population and hashlib.sha256(text.encode()).hexdigest() == digest
    for start, cells in zip(starts[5:], [GLIDER, CLOVERLEAF, HAMMERHEAD, BLINKERS, R_PENTOMINO],
                            strict=True):
        np.testing.assert_array_equal(start, grid(cells))


@pytest.mark.parametrize("states, digest", [(10, FILE_10), (250, FILE_250)])
def test_csv_is_lifegpts_file(tmp_path, states, digest):
    """`test.csv` is their file byte for byte; `test.txt` holds its (State 1, State 2) pairs."""
    manifest = dataset_lifegpt.write_test(tmp_path, states=states)
    data = (tmp_path / "test.csv").read_bytes()
    assert hashlib.sha256(data).hexdigest() == digest
    rows = data.decode().splitlines()
    assert rows[0] == ",".join(f"State {i}" for i in range(1, states + 1)) and len(rows) == 11
    lines = (tmp_path / "test.txt").read_text().splitlines()
    assert manifest["count"] == len(lines) == 10 and "lamm-mit/LifeGPT" in manifest["source"]
    for line, row in zip(lines, rows[1:], strict=True):
        first, second = row.split(",")[:2]
        assert line == f"@PredictNextState<{first}> [{second}]$"
