"""Plaintext `.cells`: LifeWiki's format read and written, round trips, errors, fuzzing, and
agreement with the same pattern in RLE."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from alife.core.errors import AlifeError
from alife.scene.patterns import Pattern, read_pattern, write_pattern
from alife.scene.plaintext import format_cells, parse_cells, read_cells
from alife.scene.rle import parse_rle

GLIDER = """!Name: Glider
!Author: Richard K. Guy
!The smallest, most common, and first discovered spaceship.
!
.O.
..O
OOO
"""

# Gosper glider gun as LifeWiki writes it: rows trimmed of trailing dead cells.
GOSPER = """!Name: Gosper glider gun
........................O
......................O.O
............OO......OO............OO
...........O...O....OO............OO
OO........O.....O...OO
OO........O...O.OO....O.O
..........O.....O.......O
...........O...O
............OO
"""
GOSPER_RLE = """x = 36, y = 9, rule = B3/S23
24bo$22bobo$12b2o6b2o12b2o$11bo3bo4b2o12b2o$2o8bo5bo3b2o$2o8bo3bob2o4b
obo$10bo5bo7bo$11bo3bo$12b2o!
"""


def test_glider_with_metadata():
    p = parse_cells(GLIDER)
    assert p.cells.tolist() == [[0, 1, 0], [0, 0, 1], [1, 1, 1]]
    assert (p.name, p.author) == ("Glider", "Richard K. Guy")
    assert p.comments == ["The smallest, most common, and first discovered spaceship.", ""]
    assert p.rule is None


def test_gosper_gun_matches_its_rle():
    p = parse_cells(GOSPER)
    assert p.name == "Gosper glider gun"
    assert p.same_cells(parse_rle(GOSPER_RLE))


def test_stars_short_rows_and_blank_rows():
    p = parse_cells("!c\n*.*\n\nO\n\n\n")
    assert p.cells.tolist() == [[1, 0, 1], [0, 0, 0], [1, 0, 0]]  # trailing blanks dropped


@pytest.mark.parametrize("text,line,fragment", [
    (".O.\n..X\n", 2, "'X' in column 3"),
    ("!Name: x\n.O.\nO O\n", 3, "' ' in column 2"),
    ("#N rle\n", 1, "'#'"),
])
def test_errors_name_file_and_line(tmp_path, text, line, fragment):
    path = tmp_path / "bad.cells"
    path.write_text(text)
    with pytest.raises(AlifeError) as info:
        read_cells(path)
    assert str(info.value).startswith(f"{path}:{line}: ") and fragment in str(info.value)


def test_write_format_and_two_states_only(tmp_path):
    p = Pattern(np.array([[0, 1, 0], [0, 0, 0]]), name="thing", author="me",
                comments=["one", "Name: not the name"])
    text = format_cells(p)
    assert text == "!Name: thing\n!Author: me\n!one\n! Name: not the name\n.O.\n...\n"
    back = parse_cells(text)
    assert back.same_cells(p) and back.name == "thing" and back.comments[0] == "one"
    with pytest.raises(AlifeError, match="two states"):
        format_cells(Pattern(np.array([[2]])))
    write_pattern(tmp_path / "p.cells", p)
    assert read_pattern(tmp_path / "p.cells").same_cells(p)


@settings(max_examples=150, deadline=None)
@given(arrays(np.uint8, st.tuples(st.integers(1, 20), st.integers(1, 60)),
              elements=st.integers(0, 1)),
       st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_round_trip(cells, name):
    name = " ".join(name.split()) or None
    back = parse_cells(format_cells(Pattern(cells, name=name)))
    np.testing.assert_array_equal(back.cells, cells)
    assert back.name == name


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200) | st.text(st.sampled_from(list(".O*!\n \tName:x")), max_size=200))
def test_random_text_only_raises_alife_error(text):
    try:
        p = parse_cells(text)
    except AlifeError:
        return
    assert p.cells.ndim == 2 and set(np.unique(p.cells)) <= {0, 1}
