"""RLE: reading what Golly writes, writing what Golly reads, round trips, errors, fuzzing, and
agreement with Golly's own `bgolly` both ways (our file -> Golly -> our reader)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from alife.core.errors import AlifeError
from alife.scene.patterns import Pattern, read_pattern, write_pattern
from alife.scene.rle import format_rle, parse_rle, read_rle, state_tag, write_rle

GLIDER = """#N Glider
#O Richard K. Guy
#C The smallest, most common, and first discovered spaceship.
#C www.conwaylife.com/wiki/index.php?title=Glider
x = 3, y = 3, rule = B3/S23
bob$2bo$3o!
"""
GLIDER_CELLS = np.array([[0, 1, 0], [0, 0, 1], [1, 1, 1]], np.uint8)

GOSPER_GUN = """#N Gosper glider gun
#C The first known gun and the first known finite pattern with unbounded growth.
x = 36, y = 9, rule = B3/S23
24bo$22bobo$12b2o6b2o12b2o$11bo3bo4b2o12b2o$2o8bo5bo3b2o$2o8bo3bob2o4b
obo$10bo5bo7bo$11bo3bo$12b2o!
"""

# Brian's Brain (Generations /2/3): on-cells (1) and dying cells (2), wrapped body, row runs.
BRAIN = """#C a multi-state Generations pattern
x = 6, y = 5, rule = /2/3
.2AB$
2.A2B2$B3.BA!
"""
BRAIN_CELLS = np.array([[0, 1, 1, 2, 0, 0],
                        [0, 0, 1, 2, 2, 0],
                        [0, 0, 0, 0, 0, 0],
                        [2, 0, 0, 0, 2, 1],
                        [0, 0, 0, 0, 0, 0]], np.uint8)


# ---- reading --------------------------------------------------------------------------------
def test_glider_with_metadata():
    p = parse_rle(GLIDER)
    np.testing.assert_array_equal(p.cells, GLIDER_CELLS)
    assert (p.rule, p.name, p.author) == ("B3/S23", "Glider", "Richard K. Guy")
    assert p.comments[0].startswith("The smallest") and len(p.comments) == 2
    assert p.position is None and p.generation is None


def test_gosper_gun():
    p = parse_rle(GOSPER_GUN)
    assert p.cells.shape == (9, 36) and int(p.cells.sum()) == 36
    # the two 2x2 blocks at either end, and nothing else in those columns
    assert p.cells[4:6, 0:2].all() and p.cells[2:4, 34:36].all()
    assert p.cells[:, [0, 1, 34, 35]].sum() == 8


def test_multistate_generations_pattern():
    p = parse_rle(BRAIN)
    np.testing.assert_array_equal(p.cells, BRAIN_CELLS)
    assert p.rule == "/2/3" and p.num_states == 3


def test_state_letters_cover_0_to_255():
    for state in range(256):
        tag = state_tag(state, multistate=True)
        p = parse_rle(f"x = 2, y = 1\n{tag}A!")
        assert p.cells.tolist() == [[state, 1]], tag
    assert state_tag(25, True) == "pA" and state_tag(48, True) == "pX"
    assert state_tag(49, True) == "qA" and state_tag(255, True) == "yO"
    assert parse_rle("x=3,y=1\nbo.!").cells.tolist() == [[0, 1, 0]]


def test_header_variants_and_cxrle():
    p = parse_rle("#CXRLE Pos=-12,7 Gen=123456789012\nx=4,y=2,rule=B36/S23:T64,48\n4o$o!")
    assert p.rule == "B36/S23:T64,48" and p.position == (-12, 7)
    assert p.generation == 123456789012 and p.cells.shape == (2, 4)
    p = parse_rle("x = 2, y = 1, rule = R2,C0,M1,S2..3,B3..3,NM\n2o!")
    assert p.rule == "R2,C0,M1,S2..3,B3..3,NM"
    p = parse_rle("x = 2, y = 1\n2o!")
    assert p.rule is None
    p = parse_rle("#P 3 -4\n#r 23/3\n#D other\nx = 1, y = 1\no!")
    assert p.position == (3, -4) and p.rule == "23/3" and p.comments == ["#D other"]


def test_body_leniencies():
    # digits of one count may be split by a line break: "1\n2b" is 12 dead cells (too wide)
    with pytest.raises(AlifeError, match="wider"):
        parse_rle("x = 5, y = 5\n o 1\n2 b o $ 3$ 5o !")
    # whitespace anywhere, omitted counts, $ counts, short rows padded, text after '!' ignored
    p = parse_rle("x = 5, y = 5\n o 2\nb o $ 3$ 5o ! junk $$ 9o")
    expected = np.zeros((5, 5), np.uint8)
    expected[0, [0, 3]] = 1
    expected[4, :] = 1
    np.testing.assert_array_equal(p.cells, expected)
    p = parse_rle("x = 3, y = 2\n2o$o")  # no '!': accepted, as Golly does
    assert p.cells.tolist() == [[1, 1, 0], [1, 0, 0]]
    p = parse_rle("x = 0, y = 0, rule = B3/S23\n!")
    assert p.cells.shape == (0, 0)


@pytest.mark.parametrize("text,fragment", [
    ("bo$2bo$3o!", "expected 'x = W"),
    ("#N only comments\n", "no header"),
    ("x = 3\nooo!", "malformed header"),
    ("x = 3, y = 3\nbo$2bz$3o!", "unexpected character 'z'"),
    ("x = 3, y = 3\nbo$2bo$4o!", "wider than"),
    ("x = 3, y = 2\nbo$2bo$3o!", "more than the 2 rows"),
    ("x = 3, y = 3\n2$2$o!", "more than the 3 rows"),
    ("x = 100000, y = 100000\no!", "too large"),
    ("x = 3, y = 3\n99999999999999999999o!", "too large"),
    ("x = 3, y = 3\nyP!", "over 255"),
    ("x = 3, y = 3\np3A!", "must be followed by a letter"),
    ("x = 3, y = 3\n0o!", "run count 0"),
])
def test_errors_name_file_line_and_expectation(tmp_path, text, fragment):
    path = tmp_path / "bad.rle"
    path.write_text(text)
    with pytest.raises(AlifeError) as info:
        read_rle(path)
    message = str(info.value)
    assert message.startswith(str(path)) and fragment in message, message


def test_error_names_the_body_line(tmp_path):
    path = tmp_path / "bad.rle"
    path.write_text("#C x\nx = 3, y = 3\nbo$\n2bo$\n3q!\n")
    with pytest.raises(AlifeError, match=r"bad\.rle:5: .*'!'"):
        read_rle(path)


# ---- writing --------------------------------------------------------------------------------
def test_writes_what_golly_writes():
    p = Pattern(GLIDER_CELLS, rule="B3/S23")
    assert format_rle(p) == "x = 3, y = 3, rule = B3/S23\nbo$2bo$3o!\n"
    text = format_rle(parse_rle(GLIDER))
    assert text.startswith("#N Glider\n#O Richard K. Guy\n#C The smallest")
    cells = np.zeros((6, 80), np.uint8)
    cells[0, :3] = 2
    cells[4, 1] = 1
    cells[5, ::2] = 1
    text = format_rle(Pattern(cells, rule="/2/3", position=(4, -2), generation=9))
    lines = text.splitlines()
    assert lines[0] == "#CXRLE Pos=4,-2 Gen=9"
    assert lines[2].startswith("3B4$.A$") and text.rstrip().endswith("!")
    assert all(len(line) <= 70 for line in lines[2:]) and len(lines) > 3


def test_golly_text_written_back_reads_the_same():
    for text in (GLIDER, GOSPER_GUN, BRAIN):
        first = parse_rle(text)
        again = parse_rle(format_rle(first))
        assert again.same_cells(first) and again.rule == first.rule
        assert (again.name, again.comments) == (first.name, first.comments)


def test_files_through_the_front_door(tmp_path):
    p = Pattern(BRAIN_CELLS, rule="/2/3", name="brain", comments=["a", "b"], author="me",
                position=(1, 2), generation=3)
    write_pattern(tmp_path / "brain.rle", p)
    assert read_pattern(tmp_path / "brain.rle") == p
    assert read_pattern(tmp_path / "brain.rle") != Pattern(BRAIN_CELLS, rule="/2/3")
    # Windows line ends and a byte-order mark, as some editors save files
    (tmp_path / "dos.rle").write_bytes(b"\xef\xbb\xbf" + GLIDER.replace("\n", "\r\n").encode())
    assert read_pattern(tmp_path / "dos.rle") == parse_rle(GLIDER)
    with pytest.raises(AlifeError, match="unknown pattern format"):
        read_pattern(tmp_path / "brain.xyz")
    with pytest.raises(AlifeError, match="file not found"):
        read_pattern(tmp_path / "missing.rle")


# ---- properties -----------------------------------------------------------------------------
_grids = st.integers(1, 255).flatmap(lambda top: arrays(
    np.uint8, st.tuples(st.integers(1, 24), st.integers(1, 90)),
    elements=st.integers(0, top) | st.just(0)))
_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=_grids, name=_text, comments=st.lists(_text, max_size=3),
       position=st.none() | st.tuples(st.integers(-10**6, 10**6), st.integers(-10**6, 10**6)),
       generation=st.none() | st.integers(0, 10**15))
def test_round_trip(cells, name, comments, position, generation):
    comments = [" ".join(c.split()) for c in comments]
    p = Pattern(cells, rule="B3/S23:T90,24", name=" ".join(name.split()) or None,
                comments=comments, position=position, generation=generation)
    back = parse_rle(format_rle(p))
    np.testing.assert_array_equal(back.cells, cells)
    assert (back.rule, back.name, back.comments) == (p.rule, p.name, comments)
    if position is None and generation is not None:
        position = (0, 0)  # Pos is always written with Gen
    assert (back.position, back.generation) == (position, generation)


def _reference_decode(body: str, width: int, height: int) -> np.ndarray:
    """A plain sequential RLE expander (the format as the module docstring states it)."""
    grid = np.zeros((height, width), np.uint8)
    row = col = 0
    count, prefix = "", ""
    for ch in "".join(body.split()):
        if ch == "!":
            break
        if ch.isdigit():
            count += ch
            continue
        n = int(count or 1)
        count = ""
        if ch in "pqrstuvwxy":
            prefix, count = ch, str(n)
            continue
        if ch == "$":
            row, col = row + n, 0
            continue
        state = 0 if ch in "b." else 1 if ch == "o" else ord(ch) - ord("A") + 1
        if prefix:
            state += ("pqrstuvwxy".index(prefix) + 1) * 24
            prefix = ""
        grid[row, col:col + n] = state
        col += n
    return grid


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=_grids, chunk=st.integers(1, 40))
def test_vectorised_decoder_matches_a_sequential_reference_across_chunks(cells, chunk):
    """The NumPy decoder, cut into chunks of `chunk` characters (never inside a count or a
    two-letter state), gives the cells a plain sequential expander gives."""
    from alife.scene import rle_body

    lines = format_rle(Pattern(cells)).splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("x"))
    body = "\n".join(lines[header + 1:])
    h, w = cells.shape
    old = rle_body.CHUNK
    rle_body.CHUNK = chunk
    try:
        back = parse_rle(f"x = {w}, y = {h}\n{body}")
    finally:
        rle_body.CHUNK = old
    np.testing.assert_array_equal(back.cells, _reference_decode(body, w, h))
    np.testing.assert_array_equal(back.cells, cells)


_body_chars = st.sampled_from(list("bo.$!0123456789ABXpyqO \n#xy=,rule"))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200) | st.text(_body_chars, max_size=200))
def test_random_text_only_raises_alife_error(text):
    for candidate in (text, "x = 9, y = 9\n" + text, "x=3,y=2,rule=B3/S23\n" + text):
        try:
            p = parse_rle(candidate)
        except AlifeError:
            continue
        assert p.cells.ndim == 2


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([GLIDER, GOSPER_GUN, BRAIN]), st.data())
def test_mutated_rle_only_raises_alife_error(text, data):
    chars = list(text)
    for _ in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(0, len(chars) - 1))
        op = data.draw(st.sampled_from(["replace", "delete", "insert"]))
        c = data.draw(st.characters(codec="utf-8", exclude_categories=("Cs",)))
        if op == "replace":
            chars[i] = c
        elif op == "delete" and len(chars) > 1:
            del chars[i]
        else:
            chars.insert(i, data.draw(st.sampled_from(list("0123456789$!bo.Ap9 \n")) | st.just(c)))
    try:
        parse_rle("".join(chars))
    except AlifeError:
        pass


# ---- Golly agreement ------------------------------------------------------------------------
BGOLLY = shutil.which("bgolly")


@pytest.fixture
def bgolly():
    if BGOLLY is None:
        if os.environ.get("CI"):
            pytest.fail("bgolly (Debian package golly) is missing in CI")
        pytest.skip("bgolly not installed (apt-get install golly)")
    return BGOLLY


def _golly_rewrite(bgolly: str, src, out, algorithm: str | None = None) -> str:
    """Let Golly read `src` and write it to `out` (generation 0, its own RLE writer)."""
    args = [bgolly, "-m", "0", "-o", str(out)] + (["-a", algorithm] if algorithm else [])
    if algorithm == "RuleLoader":  # named rules such as LifeHistory live in Golly's Rules/
        args += ["-s", "/usr/share/golly/Rules/"]
    done = subprocess.run(args + [str(src)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _trim(cells: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(cells)
    if ys.size == 0:
        return cells[:0, :0]
    return cells[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def _soup(seed: int, states: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    cells = rng.integers(0, states, size=(23, 97)).astype(np.uint8)
    cells[rng.uniform(size=cells.shape) < 0.5] = 0
    cells[5:9] = 0  # empty rows inside, for '$' runs
    return cells


@pytest.mark.parametrize("pattern,algorithm", [
    (parse_rle(GLIDER), None),
    (parse_rle(GOSPER_GUN), None),
    (Pattern(_soup(1, 2), rule="B3/S23"), None),
    (parse_rle(BRAIN), "Generations"),
    (Pattern(_soup(2, 25), rule="345/2/25"), "Generations"),
    (Pattern(_soup(3, 200), rule="345/2/200"), "Generations"),
])
def test_golly_reads_what_we_write(bgolly, tmp_path, pattern, algorithm):
    ours = tmp_path / "ours.rle"
    write_rle(ours, pattern)
    stdout = _golly_rewrite(bgolly, ours, tmp_path / "golly.rle", algorithm)
    golly = read_rle(tmp_path / "golly.rle")
    np.testing.assert_array_equal(_trim(golly.cells), _trim(pattern.cells))
    assert golly.rule.split(":")[0].lower() == pattern.rule.lower()
    # Golly's own population count agrees with the cells we wrote
    assert f"0: {int(np.count_nonzero(pattern.cells))}" in stdout


GOLLY_PATTERNS = "/usr/share/golly/Patterns"


def _golly_corpus(limit: int | None):
    files = sorted(glob.glob(f"{GOLLY_PATTERNS}/Life/**/*.rle", recursive=True))
    files += sorted(glob.glob(f"{GOLLY_PATTERNS}/Generations/*.rle"))
    return files if limit is None else files[:: max(1, len(files) // limit)]


def _check_corpus(bgolly, tmp_path, files):
    checked = 0
    for src in files:
        try:
            ours = read_rle(src)
        except AlifeError as exc:
            assert "too large" in str(exc), exc  # only the giant breeders are refused
            continue
        if "/Generations/" in src:
            algorithm = "Generations"
        elif ours.rule and ours.rule[0].lower() not in "bs0123456789":
            algorithm = "RuleLoader"
        else:
            algorithm = None
        _golly_rewrite(bgolly, src, tmp_path / "golly.rle", algorithm)
        golly = read_rle(tmp_path / "golly.rle")
        np.testing.assert_array_equal(_trim(golly.cells), _trim(ours.cells), err_msg=src)
        checked += 1
    assert checked >= 0.9 * len(files)


def test_we_read_golly_patterns_as_golly_does(bgolly, tmp_path):
    files = _golly_corpus(limit=12)
    if not files:
        pytest.skip("Golly's pattern collection is not installed")
    _check_corpus(bgolly, tmp_path, files)


@pytest.mark.slow
def test_we_read_all_golly_patterns_as_golly_does(bgolly, tmp_path):
    files = _golly_corpus(limit=None)
    if not files:
        pytest.skip("Golly's pattern collection is not installed")
    _check_corpus(bgolly, tmp_path, files)


def test_gun_fixture_is_a_gun_in_golly(bgolly, tmp_path):
    path = tmp_path / "gun.rle"
    path.write_text(GOSPER_GUN)
    done = subprocess.run([bgolly, "-m", "60", "-i", "30", str(path)], capture_output=True,
                          text=True, timeout=60)
    # one new 5-cell glider every 30 generations
    assert "0: 36" in done.stdout and "30: 41" in done.stdout and "60: 46" in done.stdout
