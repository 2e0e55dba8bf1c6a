"""Life-like kernels against an independent NumPy reference: random rules of every kind.

The reference below knows nothing of `alife.rules.life`: it reads neighbours through a per-cell
index table built from an independent topology definition (`tests/topology_reference.py`), names
Hensel configurations from its own transcription of the LifeWiki chart (3x3 pictures) with
NumPy rotations/flips, and applies the rules cell by cell. Random rules are generated as
structured sets and rendered to rule strings, which the family then parses.
"""

from __future__ import annotations

import importlib.util

import jax
import numpy as np
import pytest
from topology_reference import cell_beyond

from alife.rules.life import LifeRule

FAST = [False] + ([True] if importlib.util.find_spec("alife.rules.life.bitpacked") else [])
TOPOLOGIES = ["torus", "plane", "klein-x", "klein-y", "cross", "sphere"]

# ---- the reference --------------------------------------------------------------------------
# Hensel chart: live neighbours as a 3x3 picture (rows top to bottom, '_' = the cell itself).
CHART = {
    0: {"": ".../._./..."},
    1: {"c": "o../._./...", "e": ".o./._./..."},
    2: {"c": "o.o/._./...", "e": ".o./o_./...", "k": ".o./._./..o", "a": "oo./._./...",
        "i": ".o./._./.o.", "n": "o../._./..o"},
    3: {"c": "o.o/._./..o", "e": ".o./o_o/...", "k": ".o./o_./..o", "a": "oo./o_./...",
        "i": "o../o_./o..", "n": "o.o/o_./...", "y": "o.o/._./.o.", "q": "o../o_./..o",
        "j": "..o/._o/.o.", "r": ".oo/._./.o."},
    4: {"c": "o.o/._./o.o", "e": ".o./o_o/.o.", "k": ".oo/o_./..o", "a": "o../o_./oo.",
        "i": "o.o/o_o/...", "n": "o../o_./o.o", "y": "o.o/._./oo.", "q": "oo./o_./..o",
        "j": "..o/o_o/.o.", "r": ".oo/._o/.o.", "t": "ooo/._./.o.", "w": "o../o_./.oo",
        "z": "oo./._./.oo"},
    5: {"c": ".o./o_o/oo.", "e": "o.o/._./ooo", "k": "o.o/._o/oo.", "a": "..o/._o/ooo",
        "i": ".oo/._o/.oo", "n": ".o./._o/ooo", "y": ".o./o_o/o.o", "q": ".oo/._o/oo.",
        "j": "oo./o_./o.o", "r": "o../o_o/o.o"},
    6: {"c": ".o./o_o/ooo", "e": "o.o/._o/ooo", "k": "o.o/o_o/oo.", "a": "..o/o_o/ooo",
        "i": "o.o/o_o/o.o", "n": ".oo/o_o/oo."},
    7: {"c": ".oo/o_o/ooo", "e": "o.o/o_o/ooo"},
    8: {"": "ooo/o_o/ooo"},
}


def _picture(text: str) -> np.ndarray:
    return np.array([[ch == "o" for ch in row] for row in text.split("/")], bool)


def _chart_lookup() -> dict[bytes, tuple[int, str]]:
    """3x3 neighbourhood (as bytes) -> (count, letter), via all 8 rotations/reflections."""
    out: dict[bytes, tuple[int, str]] = {}
    for count, letters in CHART.items():
        for letter, pic in letters.items():
            a = _picture(pic)
            for k in range(4):
                for img in (np.rot90(a, k), np.fliplr(np.rot90(a, k))):
                    out[img.astype(np.uint8).tobytes()] = (count, letter)
    return out


LOOKUP = _chart_lookup()


def test_reference_chart_covers_all_256_configurations():
    assert len(LOOKUP) == 256
    assert sum(len(v) for v in CHART.values()) == 51


def neighbour_index(shape, topology: str, offsets) -> np.ndarray:
    """[H*W, len(offsets)] flat source index of each neighbour, -1 where dead (off-grid)."""
    kind, _, twist = topology.partition("-")
    h, w = shape
    out = np.full((h * w, len(offsets)), -1, np.int64)
    for y in range(h):
        for x in range(w):
            for j, (dy, dx) in enumerate(offsets):
                src = cell_beyond(kind, twist or "x", h, w, y + dy, x + dx)
                if src is not None:
                    out[y * w + x, j] = src[0] * w + src[1]
    return out


def gather(grid: np.ndarray, index: np.ndarray) -> np.ndarray:
    flat = np.append(grid.ravel(), 0)
    return flat[index]  # index -1 -> the appended 0


def next_states(grid, born, keep, states):
    out = np.zeros_like(grid)
    for (y, x), s in np.ndenumerate(grid):
        if s == 0:
            out[y, x] = 1 if born[y, x] else 0
        elif s == 1:
            out[y, x] = 1 if keep[y, x] else (2 if states > 2 else 0)
        else:
            out[y, x] = s + 1 if s + 1 < states else 0
    return out


MOORE = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy, dx) != (0, 0)]
RANGE1 = {"moore": MOORE, "vonneumann": [(-1, 0), (0, -1), (0, 1), (1, 0)],
          "hex": [o for o in MOORE if o not in ((-1, 1), (1, -1))]}


def ref_totalistic(grid, birth, survive, hood, states, topology):
    alive = (grid == 1).astype(np.int64)
    n = gather(alive, neighbour_index(grid.shape, topology, RANGE1[hood])).sum(1)
    n = n.reshape(grid.shape)
    return next_states(grid, np.isin(n, list(birth)), np.isin(n, list(survive)), states)


def ref_hensel(grid, birth, survive, states, topology):
    """birth/survive: sets of (count, letter)."""
    alive = (grid == 1).astype(np.uint8)
    offsets = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
    nb = gather(alive, neighbour_index(grid.shape, topology, offsets))
    nb[:, 4] = 0  # the centre is not its own neighbour
    classes = [LOOKUP[row.astype(np.uint8).tobytes()] for row in nb]
    born = np.array([c in birth for c in classes]).reshape(grid.shape)
    keep = np.array([c in survive for c in classes]).reshape(grid.shape)
    return next_states(grid, born, keep, states)


def ltl_offsets(r, hood):
    out = []
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            inside = {"M": True, "N": abs(dx) + abs(dy) <= r,
                      "C": dx * dx + dy * dy <= r * r + r}[hood]
            if inside and (dy, dx) != (0, 0):
                out.append((dy, dx))
    return out


def ref_ltl(grid, r, hood, middle, birth, survive, states, topology):
    alive = (grid == 1).astype(np.int64)
    n = gather(alive, neighbour_index(grid.shape, topology, ltl_offsets(r, hood))).sum(1)
    n = n.reshape(grid.shape)
    born = np.isin(n, list(birth))
    keep = np.isin(n + middle, list(survive))
    return next_states(grid, born, keep, states)


# ---- random rules ---------------------------------------------------------------------------
def random_grid(rng, shape, states):
    grid = (rng.random(shape) < rng.uniform(0.25, 0.6)).astype(np.uint8)
    if states > 2:
        dying = rng.random(shape) < 0.15
        grid[dying] = rng.integers(2, states, size=int(dying.sum()))
    return grid


def shape_for(topology, width=13):
    return (width, width) if topology == "sphere" else (11, width)


def run_and_compare(rule, texts, reference, shape, states, rng, steps=3):
    """For each rule text: the same rule instance (params only), several steps, exact match."""
    step = jax.jit(rule.step)
    params = rule.default_params()
    for text in texts:
        same, params = rule.apply_rule_text(text, params)
        assert same is rule, f"{text} should only change params"
        grid = random_grid(rng, shape, states)
        state = rule.with_cells(rule.init(jax.random.PRNGKey(0), params), grid)
        for t in range(steps):
            grid = reference(text, grid)
            state = step(jax.random.PRNGKey(t), state, params)
            got = np.asarray(rule.cells(state))
            np.testing.assert_array_equal(got, grid, err_msg=f"{text} step {t + 1}")


def digits(values) -> str:
    return "".join(str(v) for v in sorted(values))


# the bit-packed path covers torus and plane only; twisted grids run the generic kernels
CASES = [(hood, topology, fast) for fast in FAST for hood in ("moore", "vonneumann", "hex")
         for topology in TOPOLOGIES if not fast or topology in ("torus", "plane")]


@pytest.mark.parametrize(("hood", "topology", "fast"), CASES)
def test_random_totalistic_rules(hood, topology, fast):
    rng = np.random.default_rng(10 * TOPOLOGIES.index(topology) + len(hood))
    top = {"moore": 8, "vonneumann": 4, "hex": 6}[hood]
    suffix = {"moore": "", "vonneumann": "V", "hex": "H"}[hood]
    shape = shape_for(topology, 64 if fast else 13)
    rules = {}
    for i in range(4):
        b = {v for v in range(1, top + 1) if rng.random() < 0.35} | ({0} if i == 3 else set())
        s = {v for v in range(top + 1) if rng.random() < 0.4}
        # alternate between the B/S form and Golly's older S/B form
        text = (f"B{digits(b)}/S{digits(s)}{suffix}" if i % 2 == 0
                else f"{digits(s)}/{digits(b)}{suffix}")
        rules[text] = (b, s)
    rule = LifeRule(next(iter(rules)), shape[1], shape[0], topology, fast=fast)

    def reference(text, grid):
        b, s = rules[text]
        return ref_totalistic(grid, b, s, hood, 2, topology)

    run_and_compare(rule, list(rules), reference, shape, 2, rng)


def _random_hensel_side(rng) -> tuple[str, set]:
    text, chosen = "", set()
    for count in range(9):
        letters = "".join(CHART[count])
        roll = rng.random()
        if roll < 0.45:
            continue
        if roll < 0.6 or not letters:
            text += str(count)
            chosen |= {(count, ch) for ch in CHART[count]}
            continue
        pick = sorted(ch for ch in letters if rng.random() < 0.5) or [letters[0]]
        if rng.random() < 0.5 and len(pick) < len(letters):
            text += f"{count}-{''.join(pick)}"
            chosen |= {(count, ch) for ch in letters if ch not in pick}
        else:
            text += f"{count}{''.join(pick)}"
            chosen |= {(count, ch) for ch in pick}
    return text, chosen


def _totalistic(chosen: set) -> bool:
    return all({(n, ch) for ch in CHART[n]} <= chosen or not any(k == n for k, _ in chosen)
               for n in CHART)


@pytest.mark.parametrize("topology", ["torus", "plane", "klein-x", "cross", "sphere"])
def test_random_hensel_rules(topology):
    rng = np.random.default_rng(1 + TOPOLOGIES.index(topology))
    rules = {}
    while len(rules) < 4:
        bt, b = _random_hensel_side(rng)
        st, s = _random_hensel_side(rng)
        if not (_totalistic(b) and _totalistic(s)):
            rules[f"B{bt}/S{st}"] = (b, s)
    shape = shape_for(topology)
    first = next(iter(rules))
    rule = LifeRule(first, shape[1], shape[0], topology)
    assert rule.spec.kind == "hensel"

    def reference(text, grid):
        b, s = rules[text]
        return ref_hensel(grid, b, s, 2, topology)

    run_and_compare(rule, list(rules), reference, shape, 2, rng)


@pytest.mark.parametrize("topology", ["plane", "klein-y"])
def test_random_hensel_generations(topology):
    rng = np.random.default_rng(40 + TOPOLOGIES.index(topology))
    shape = shape_for(topology)
    rules = {}
    while len(rules) < 3:
        bt, b = _random_hensel_side(rng)
        st, s = _random_hensel_side(rng)
        if not (_totalistic(b) and _totalistic(s)):
            rules[f"B{bt}/S{st}/C5"] = (b, s)
    rule = LifeRule(next(iter(rules)), shape[1], shape[0], topology)

    def reference(text, grid):
        b, s = rules[text]
        return ref_hensel(grid, b, s, 5, topology)

    run_and_compare(rule, list(rules), reference, shape, 5, rng, steps=4)


@pytest.mark.parametrize(("hood", "topology"), [
    ("moore", "torus"), ("moore", "cross"), ("vonneumann", "plane"), ("vonneumann", "sphere"),
    ("hex", "klein-x"), ("hex", "torus")])
def test_random_generations_rules(hood, topology):
    rng = np.random.default_rng(7 + 3 * TOPOLOGIES.index(topology) + len(hood))
    top = {"moore": 8, "vonneumann": 4, "hex": 6}[hood]
    suffix = {"moore": "", "vonneumann": "V", "hex": "H"}[hood]
    states = int(rng.integers(3, 7))
    shape = shape_for(topology)
    rules = {}
    for i in range(3):
        b = {v for v in range(1, top + 1) if rng.random() < 0.35} | ({0} if i == 2 else set())
        s = {v for v in range(top + 1) if rng.random() < 0.4}
        text = (f"B{digits(b)}/S{digits(s)}/C{states}{suffix}" if i % 2 == 0
                else f"{digits(s)}/{digits(b)}/{states}{suffix}")
        rules[text] = (b, s)
    rule = LifeRule(next(iter(rules)), shape[1], shape[0], topology)
    assert rule.num_states == states and rule.look == "states"

    def reference(text, grid):
        b, s = rules[text]
        return ref_totalistic(grid, b, s, hood, states, topology)

    run_and_compare(rule, list(rules), reference, shape, states, rng, steps=5)


def _ranges(rng, top) -> tuple[str, set]:
    out, values = [], set()
    for _ in range(int(rng.integers(1, 3))):
        lo = int(rng.integers(0, top + 1))
        hi = int(rng.integers(lo, min(top, lo + top // 3) + 1))
        out.append(f"{lo}..{hi}")
        values |= set(range(lo, hi + 1))
    return ",".join(out), values


@pytest.mark.parametrize(("hood", "topology"), [
    ("M", "torus"), ("M", "cross"), ("N", "plane"), ("N", "sphere"), ("C", "klein-x"),
    ("C", "torus"), ("C", "plane")])
def test_random_ltl_rules(hood, topology):
    rng = np.random.default_rng(100 + TOPOLOGIES.index(topology) * 3 + "MNC".index(hood))
    r = int(rng.integers(1, 4))
    states = int(rng.choice([2, 2, 3, 4]))
    c = 0 if states == 2 else states
    top = len(ltl_offsets(r, hood)) + 1
    shape = shape_for(topology, 14)
    rules = {}
    for _ in range(3):
        m = int(rng.integers(0, 2))
        st, s = _ranges(rng, top)
        bt, b = _ranges(rng, top - 1)
        b.discard(0)
        bt = ",".join(f"{v}..{v}" for v in sorted(b)) or "1..1"
        b = b or {1}
        rules[f"R{r},C{c},M{m},S{st},B{bt},N{hood}"] = (m, b, s)
    rule = LifeRule(next(iter(rules)), shape[1], shape[0], topology)

    def reference(text, grid):
        m, b, s = rules[text]
        return ref_ltl(grid, r, hood, m, b, s, states, topology)

    run_and_compare(rule, list(rules), reference, shape, states, rng)


@pytest.mark.parametrize("size", [1, 5, 9, 32, 33, 122, 256, 442, 513, 1000])
def test_table_lookup_matches_indexing(size):
    from alife.rules.life.kernels import lookup

    rng = np.random.default_rng(size)
    table = rng.random(size) < 0.5
    index = rng.integers(0, size, (17, 23))
    got = np.asarray(jax.jit(lookup)(jax.numpy.asarray(table), jax.numpy.asarray(index)))
    np.testing.assert_array_equal(got, table[index])
