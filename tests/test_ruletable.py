"""Rule tables (the "ruletable" family): Golly's `.rule` format read as its Help states it,
compiled trees against an independent first-match reference, the kernel against a cell-by-cell
reference on every topology, the rule search path, and the routes (pattern files, the CLI).

Facts from Golly's Help (File Formats > Rule format; Algorithms > RuleLoader): the first
transition that matches wins, an unlisted neighbourhood keeps its state, a variable that occurs
twice in a transition is bound, @TABLE inputs are C,N,E,S,W (von Neumann), C,N,NE,..,NW (Moore),
C,N,E,SE,S,W,NW (hexagonal), C,W,E (one-dimensional), and @TREE looks cells up in the order
N,W,E,S,C or NW,NE,SW,SE,N,W,E,S,C. bgolly comparisons are in tests/test_ruletable_golly.py.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from topology_reference import cell_beyond

from alife.core.errors import AlifeError
from alife.rules.ruletable import RuleTableRule, library
from alife.rules.ruletable.compile import OFFSETS, from_table, from_tree
from alife.rules.ruletable.ruleformat import (
    SYMMETRIES,
    TABLE_NEIGHBOURS,
    colours_for,
    parse_rule_file,
)

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "assets" / "rules"


@pytest.fixture(autouse=True)
def _own_folders(tmp_path, monkeypatch):
    """No user rules folder or $ALIFE_RULES from the machine running the tests."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("ALIFE_RULES", raising=False)


def table_rule(name: str, body: str, extra: str = "") -> str:
    return f"@RULE {name}\n\n@TABLE\n{body}\n{extra}"


# ---- an independent reference: first match, symmetries as geometry ----------------------------
RING = {"vonNeumann": ("N", "E", "S", "W"),
        "Moore": ("N", "NE", "E", "SE", "S", "SW", "W", "NW"),
        "hexagonal": ("N", "E", "SE", "S", "W", "NW"), "oneDimensional": ("W", "E")}
CELL = {"NW": (0, 0), "N": (0, 1), "NE": (0, 2), "W": (1, 0), "C": (1, 1), "E": (1, 2),
        "SW": (2, 0), "S": (2, 1), "SE": (2, 2)}


def _views(neigh: str, symmetry: str, cells: dict[str, int]) -> list[dict[str, int]]:
    """The neighbourhood as each symmetry element shows it. Square neighbourhoods turn and
    mirror a 3x3 picture (np.rot90, np.fliplr); rotate8 and the hexagonal and 1-D symmetries
    turn the ring of neighbours."""
    ring = RING[neigh]
    if neigh in ("vonNeumann", "Moore") and symmetry in ("none", "rotate4", "rotate4reflect",
                                                         "reflect_horizontal"):
        picture = np.zeros((3, 3), np.int64)
        for name, value in cells.items():
            picture[CELL[name]] = value
        turns = range(4) if symmetry.startswith("rotate4") else [0]
        flips = [False, True] if symmetry in ("rotate4reflect", "reflect_horizontal") else [False]
        out = []
        for k, flip in itertools.product(turns, flips):
            p = np.rot90(np.fliplr(picture) if flip else picture, k)
            out.append({name: int(p[CELL[name]]) for name in cells})
        return out
    if neigh == "oneDimensional":  # reflect: the row read right to left
        mirror = {"C": cells["C"], "W": cells["E"], "E": cells["W"]}
        return [cells, mirror] if symmetry == "reflect" else [cells]
    k = len(ring)
    steps = {"none": [0], "rotate8": range(8), "rotate8reflect": range(8), "rotate2": [0, 3],
             "rotate3": [0, 2, 4], "rotate6": range(6), "rotate6reflect": range(6)}[symmetry]
    mirror = symmetry in ("rotate8reflect", "rotate6reflect")
    out = []
    for s in steps:
        for flip in ([False, True] if mirror else [False]):
            order = [ring[(-i if flip else i) % k] for i in range(k)]
            shifted = order[s:] + order[:s]
            view = {"C": cells["C"]}
            view.update({ring[i]: cells[shifted[i]] for i in range(k)})
            out.append(view)
    return out


def _matches_permuted(allowed: list[tuple[int, ...]], values: list[int]) -> bool:
    """Whether the neighbours' values can be given one-to-one to the allowed sets."""
    match: dict[int, int] = {}

    def place(v: int, seen: set[int]) -> bool:
        for slot, states in enumerate(allowed):
            if values[v] in states and slot not in seen:
                seen.add(slot)
                if slot not in match or place(match[slot], seen):
                    match[slot] = v
                    return True
        return False

    return all(place(v, set()) for v in range(len(values)))


def reference_next(table, cells: dict[str, int]) -> int:
    """The next state by the first matching transition (symmetries applied to the cells)."""
    names = ("C",) + TABLE_NEIGHBOURS[table.neighbourhood]
    for inputs, output in table.transitions:
        if cells["C"] not in inputs[0]:
            continue
        if table.symmetries == "permute":
            if _matches_permuted(list(inputs[1:]), [cells[n] for n in names[1:]]):
                return output
            continue
        for view in _views(table.neighbourhood, table.symmetries, cells):
            if all(view[n] in inputs[i] for i, n in enumerate(names)):
                return output
    return cells["C"]


def random_table(rng: np.random.Generator, neigh: str, symmetry: str, n_states: int,
                 lines: int = 14, quiescent: bool = False) -> str:
    """A random @TABLE: unbound variables, bound (repeated) variables, one-state variables,
    variables made of variables, a bound output. `quiescent`: the empty neighbourhood stays
    empty (its transition first), as Golly's unbounded universe needs."""
    k = 1 + len(TABLE_NEIGHBOURS[neigh])
    out = [f"n_states:{n_states}", f"neighborhood:{neigh}", f"symmetries:{symmetry}"]
    names = []
    for i in range(4):
        states = sorted(set(rng.choice(n_states, size=rng.integers(1, n_states + 1)).tolist()))
        out.append(f"var v{i}={{{','.join(map(str, states))}}}")
        names.append(f"v{i}")
    out.append("var w={v0,v1}")
    names.append("w")
    if quiescent:
        out.append(",".join("0" * (k + 1)))
    for _ in range(lines):
        tokens = []
        # permute: neighbours drawn from three entries (as totalistic tables are written), so
        # a line has hundreds of distinct orderings, not 8!
        pool = [str(rng.integers(n_states)) if rng.random() < 0.5 else str(rng.choice(names))
                for _ in range(3 if symmetry == "permute" else k)]
        for i in range(k):
            tokens.append(pool[rng.integers(len(pool))] if symmetry == "permute" else pool[i])
        counted = [t for t in tokens if t in names and tokens.count(t) > 1]
        if counted and rng.random() < 0.5:
            tokens.append(counted[0])  # a bound output
        else:
            tokens.append(str(rng.integers(n_states)))
        out.append(",".join(tokens))
    return "\n".join(out)


def _random_cells(rng, neigh: str, n: int) -> dict[str, int]:
    return {name: int(rng.integers(n)) for name in ("C",) + RING[neigh]}


CASES = [(neigh, sym) for neigh, syms in SYMMETRIES.items() for sym in syms]


@pytest.mark.parametrize("neigh,symmetry", CASES)
def test_compiled_tree_matches_first_match_reference(neigh, symmetry):
    rng = np.random.default_rng(abs(hash((neigh, symmetry))) % 2**32)
    for n_states in (2, 4):
        text = table_rule("R", random_table(rng, neigh, symmetry, n_states))
        table = parse_rule_file(text, "R.rule").table
        compiled = from_table(table)
        configs = [_random_cells(rng, neigh, n_states) for _ in range(150)]
        for cells in configs:
            assert compiled.next_state(cells) == reference_next(table, cells), (text, cells)
        dense = compiled.dense()
        names = compiled.order
        for cells in configs[:50]:
            index = 0
            for name in names:
                index = index * n_states + cells[name]
            assert dense[index] == compiled.next_state(cells)


def test_shipped_wireworld_is_wireworld():
    """Our WireWorld.rule against WireWorld's definition, every Moore neighbourhood."""
    compiled = from_table(parse_rule_file((SHIPPED / "WireWorld.rule").read_text(),
                                          "WireWorld.rule").table)
    digits = np.indices((4,) * 9).reshape(9, -1)  # every neighbourhood, in compiled order
    cells = dict(zip(compiled.order, digits, strict=True))
    heads = sum(cells[n] == 1 for n in ("NW", "NE", "SW", "SE", "N", "W", "E", "S"))
    centre = cells["C"]
    expected = np.select([centre == 1, centre == 2, (centre == 3) & ((heads == 1) | (heads == 2))],
                         [2, 3, 1], default=centre)
    np.testing.assert_array_equal(compiled.dense(), expected)


# ---- the format, as the Help states it --------------------------------------------------------
def test_bound_and_unbound_variables():
    """Help: `a,0,b,1,c,b` with a={2,3}... expands to 20212->2, 20213->2, 20312->3, ..."""
    text = table_rule("Sig", "n_states:4\nneighborhood:vonNeumann\nsymmetries:none\n"
                             "var a={2,3}\nvar b={2,3}\nvar c={2,3}\na,0,b,1,c,b")
    compiled = from_table(parse_rule_file(text, "Sig.rule").table)
    for a, b, c in itertools.product((2, 3), repeat=3):
        cells = {"C": a, "N": 0, "E": b, "S": 1, "W": c}
        assert compiled.next_state(cells) == b
    assert compiled.next_state({"C": 2, "N": 0, "E": 1, "S": 1, "W": 2}) == 2  # unlisted


def test_first_match_wins_and_unlisted_neighbourhoods_keep_their_state():
    text = table_rule("F", "n_states:3\nneighborhood:vonNeumann\nsymmetries:none\n"
                           "var a={0,1,2}\nvar b={0,1,2}\nvar c={0,1,2}\nvar d={0,1,2}\n"
                           "0,1,0,0,0,2\n0,a,b,c,d,1\n")
    compiled = from_table(parse_rule_file(text, "F.rule").table)
    assert compiled.next_state({"C": 0, "N": 1, "E": 0, "S": 0, "W": 0}) == 2
    assert compiled.next_state({"C": 0, "N": 2, "E": 0, "S": 1, "W": 0}) == 1
    assert compiled.next_state({"C": 2, "N": 2, "E": 0, "S": 1, "W": 0}) == 2


def test_comma_free_form_and_variables_inside_variables():
    text = table_rule("G", "n_states:3\nneighborhood:oneDimensional\nsymmetries:none\n0121\n")
    table = parse_rule_file(text, "G.rule").table
    assert table.transitions == ((((0,), (1,), (2,)), 1),)
    text = table_rule("H", "n_states:4\nneighborhood:oneDimensional\nsymmetries:none\n"
                           "var a={0,1}\nvar b={a,3}\nb,b,a,2")
    table = parse_rule_file(text, "H.rule").table
    assert [t for t in table.transitions] == [(((0,), (0,), (0, 1)), 2),
                                              (((1,), (1,), (0, 1)), 2),
                                              (((3,), (3,), (0, 1)), 2)]


def test_sections_colours_and_names():
    text = ("@RULE Col\nsome text\n@ICONS\ncircles\n@TABLE\nn_states:4\nneighborhood:Moore\n"
            "symmetries:none\n@COLORS\n0 10 20 30 background\n0 0 255  255 0 0  blue to red\n"
            "2 1 2 3\n9 9 9 9\n@NAMES\n1 one\n@TABLE\nn_states:9\n@TREE\nnot a tree\n")
    parsed = parse_rule_file(text, "Col.rule")
    assert parsed.table is not None and parsed.table.n_states == 4  # the first @TABLE only
    assert parsed.tree is None  # RuleLoader uses the first of @TABLE / @TREE
    assert colours_for(parsed.colour_lines, 4) == [(10, 20, 30), (0, 0, 255), (1, 2, 3),
                                                   (255, 0, 0)]
    assert parsed.names == {1: "one"}
    assert colours_for((), 3) == [(0, 0, 0), (255, 0, 0), (255, 255, 0)]  # Golly's defaults


def test_tree_order_is_north_west_east_south_centre():
    """A hand-written tree whose next state is the north neighbour's: a cell moves south."""
    tree = ("@RULE CopyN\n@TREE\nnum_states=2\nnum_neighbors=4\nnum_nodes=9\n"
            "1 0 0\n1 1 1\n2 0 0\n2 1 1\n3 2 2\n3 3 3\n4 4 4\n4 5 5\n5 6 7\n")
    compiled = from_tree(parse_rule_file(tree, "CopyN.rule").tree)
    assert compiled.order == ("N", "W", "E", "S", "C")
    assert compiled.next_state({"N": 1, "W": 0, "E": 0, "S": 0, "C": 0}) == 1
    assert compiled.next_state({"N": 0, "W": 1, "E": 1, "S": 1, "C": 1}) == 0


def test_a_compiled_table_written_as_a_tree_reads_back_the_same():
    rng = np.random.default_rng(5)
    text = table_rule("M", random_table(rng, "Moore", "rotate4reflect", 3))
    compiled = from_table(parse_rule_file(text, "M.rule").table)
    lines = [f"num_states={compiled.n_states}", "num_neighbors=8",
             f"num_nodes={len(compiled.nodes)}"]
    lines += [" ".join(map(str, (depth, *values))) for depth, values in compiled.nodes]
    again = from_tree(parse_rule_file("@RULE M\n@TREE\n" + "\n".join(lines), "M.rule").tree)
    np.testing.assert_array_equal(again.dense(), compiled.dense())


BAD = [
    ("", 1, "expected '@RULE name'"),
    ("@RULEX\n", 1, "expected '@RULE name'"),
    ("@RULE A\n@TABLE\nn_states:300\n", 3, "from 2 to 256"),
    ("@RULE A\n@TABLE\nn_states:2\nneighborhood:Hex\n", 4, "unsupported neighborhood"),
    ("@RULE A\n@TABLE\nn_states:2\nsymmetries:none\n", 4, "neighborhood must be declared"),
    ("@RULE A\n@TABLE\nn_states:2\nneighborhood:hexagonal\nsymmetries:rotate4\n", 5,
     "expected one of none, rotate2"),
    ("@RULE A\n@TABLE\nn_states:2\nneighborhood:Moore\n0,0,0,0,0,0,0,0,0,1\n", 5,
     "symmetries must be declared"),
    ("@RULE A\n@TABLE\nn_states:2\nneighborhood:vonNeumann\nsymmetries:none\n0,0,0,0,1\n", 6,
     "has 5 entries; expected 6"),
    ("@RULE A\n@TABLE\nn_states:2\nneighborhood:vonNeumann\nsymmetries:none\n0,0,0,0,2,1\n", 6,
     "state 2 at position 5"),
    ("@RULE A\n@TABLE\nn_states:2\nneighborhood:vonNeumann\nsymmetries:none\n0,0,q,0,0,1\n", 6,
     "'q' at position 3"),
    ("@RULE A\n@TABLE\nn_states:3\nneighborhood:vonNeumann\nsymmetries:none\nvar a={0,1}\n"
     "0,0,a,0,0,a\n0,0,0,0,0,a\n", 8, "bound by occurring"),
    ("@RULE A\n@TABLE\nn_states:3\nneighborhood:vonNeumann\nsymmetries:none\nvar a={0,5}\n", 6,
     "state 5 in variable 'a'"),
    ("@RULE A\n@TABLE\nn_states:3\nneighborhood:vonNeumann\nsymmetries:none\nvar a\n", 6,
     "variable 'a' has no states"),
    ("@RULE A\n@TREE\nnum_states=2\nnum_neighbors=5\nnum_nodes=1\n1 0 0\n", 6,
     "expected 4 or 8"),
    ("@RULE A\n@TREE\nnum_states=2\nnum_neighbors=4\nnum_nodes=2\n1 0 1\n2 0 3\n", 7,
     "node 3 is used before it is defined"),
    ("@RULE A\n@TREE\nnum_states=2\nnum_neighbors=4\nnum_nodes=2\n1 0 1\n3 0 0\n", 7,
     "expected depth 2"),
    ("@RULE A\n@TREE\nnum_states=2\nnum_neighbors=4\nnum_nodes=2\n1 0 1 1\n", 6,
     "expected num_states = 2"),
    ("@RULE A\n@TREE\nnum_states=2\nnum_neighbors=4\nnum_nodes=3\n1 0 1\n2 0 0\n", 7,
     "2 node lines; num_nodes says 3"),
    ("@RULE A\n@TREE\nnum_states=2\nnum_neighbors=4\nnum_nodes=1\n1 0 1\n", 6,
     "expected 5"),
    ("@RULE A\n@TREE\n1 0 1\n", 3, "num_states, num_neighbors, num_nodes missing"),
    ("@RULE A\n@COLORS\n1 2\n", 3, "bad colour line"),
    ("@RULE A\n@COLORS\n1 2 3 999\n", 3, "over 255"),
]


@pytest.mark.parametrize("text,line,words", BAD)
def test_malformed_rule_files_name_the_line_and_what_was_expected(text, line, words):
    with pytest.raises(AlifeError) as info:
        parse_rule_file(text, "A.rule", "A")
    assert info.value.where == f"A.rule:{line}"
    assert words in str(info.value)


def test_every_rule_golly_supplies_parses_and_compiles():
    folder = library.golly_folder()
    if folder is None:
        pytest.skip("Golly's Rules folder is not installed (apt-get install golly)")
    names = sorted(p.stem for p in folder.glob("*.rule"))
    assert len(names) >= 40
    for name in names:
        loaded = library.load_rule(name, folder)
        assert loaded.n_states >= 2 and loaded.compiled.nodes


# ---- the kernel against a cell-by-cell reference -------------------------------------------------
TOPOLOGIES = ["torus", "plane", "klein-x", "klein-y", "cross", "sphere"]


def _reference_step(grid: np.ndarray, compiled, topology: str) -> np.ndarray:
    kind, _, twist = topology.partition("-")
    h, w = grid.shape
    out = np.zeros_like(grid)
    for y in range(h):
        for x in range(w):
            cells = {}
            for name in compiled.order:
                dy, dx = OFFSETS[name]
                at = cell_beyond(kind, twist or "x", h, w, y + dy, x + dx)
                cells[name] = 0 if at is None else int(grid[at])
            out[y, x] = compiled.next_state(cells)
    return out


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.rule"
    path.write_text(text)
    return path


@pytest.mark.parametrize("topology", TOPOLOGIES)
def test_kernel_matches_the_reference_on_every_topology(tmp_path, topology):
    rng = np.random.default_rng(11)
    _write(tmp_path, "Rand", table_rule("Rand", random_table(rng, "Moore", "none", 3, 30)))
    for lookup in ("dense", "tree") if topology in ("torus", "plane") else ("tree",):
        rule = RuleTableRule("Rand", 9, 9, topology=topology, folder=str(tmp_path),
                             lookup=lookup)
        params = rule.default_params()
        grid = rng.integers(0, 3, (9, 9)).astype(np.uint8)
        state = rule.with_cells(rule.init(jax.random.PRNGKey(0), params), jnp.asarray(grid))
        got = np.asarray(rule.cells(rule.step(None, state, params)))
        np.testing.assert_array_equal(got, _reference_step(grid, rule.loaded.compiled, topology))


def test_hexagonal_and_one_dimensional_kernels(tmp_path):
    rng = np.random.default_rng(3)
    for neigh in ("hexagonal", "oneDimensional"):
        _write(tmp_path, neigh, table_rule(neigh, random_table(rng, neigh, "none", 4, 40)))
        rule = RuleTableRule(neigh, 8, 7, folder=str(tmp_path))
        params = rule.default_params()
        grid = rng.integers(0, 4, (7, 8)).astype(np.uint8)
        state = rule.with_cells(rule.init(jax.random.PRNGKey(0), params), jnp.asarray(grid))
        got = np.asarray(rule.cells(rule.step(None, state, params)))
        np.testing.assert_array_equal(got, _reference_step(grid, rule.loaded.compiled, "torus"))
