"""Golly's rule files read into plain data: `.rule` (sections `@RULE`, `@TABLE`, `@TREE`,
`@COLORS`, `@NAMES`), and the older separate `.table` and `.tree` files.

What each section means, as Golly's Help (File Formats, "Rule format") states it:

- `@RULE name` is the first line; the name must equal the file's name. Any other section whose
  line starts with `@` and an upper-case letter is skipped (`@ICONS`, future sections); only the
  first of two sections with the same name counts. RuleLoader uses the first `@TABLE` or `@TREE`.
- `@TABLE`: `n_states:N` (2..256), `neighborhood:` vonNeumann | Moore | hexagonal |
  oneDimensional, `symmetries:` (those the neighbourhood offers, below), declared in that order
  before any variable or transition; `var a={0,1,2}` (a variable may list earlier variables);
  transitions, one a line, as states or variables separated by commas (or spaces), in the order
  C,N,E,S,W,C' (von Neumann), C,N,NE,E,SE,S,SW,W,NW,C' (Moore), C,N,E,SE,S,W,NW,C' (hexagonal),
  C,W,E,C' (one-dimensional). Without variables and with at most 10 states the commas may be
  left out (`000012`). A variable that occurs more than once in a transition is *bound* (the
  same state each time); one that occurs once stands for any of its states. The output is a
  state, a bound variable or a one-state variable. `#` starts a comment. The first transition
  that matches wins; a configuration no transition matches leaves the cell unchanged.
- `@TREE`: `num_states=N`, `num_neighbors=4|8`, `num_nodes=M`, then M node lines `depth v0 ..
  v(N-1)`: depth-1 nodes hold next states, deeper ones the numbers of earlier nodes (numbered
  from 0 in file order); the last node is the root, at depth num_neighbors+1. Variables are
  looked up in the order N, W, E, S, C (4 neighbours) or NW, NE, SW, SE, N, W, E, S, C (8).
- `@COLORS`: lines `state r g b`, or `r1 g1 b1 r2 g2 b2` for a gradient over the live states
  (1..N-1); text after the numbers is ignored, states the rule lacks are ignored.
- `@NAMES` (not in Golly's Help; Golly's own WireWorld.rule has one): `state name` lines, used
  for the state picker when present.

Symmetries per neighbourhood (Golly's RuleTable): von Neumann none, rotate4, rotate4reflect,
reflect_horizontal, permute; Moore those and rotate8, rotate8reflect; hexagonal none, rotate2,
rotate3, rotate6, rotate6reflect, permute; one-dimensional none, reflect, permute.

`parse_rule_file(text, where)` returns a `RuleFile`; every malformed input is an `AlifeError`
naming `where:line` and what was expected. Transitions keep their order and each line's bound
variables are expanded the way Golly expands them (the first bound variable in name order
changes fastest), so first-match semantics are Golly's; symmetries are expanded at compile time
(`alife.rules.ruletable.compile`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from alife.core.errors import AlifeError

#: the neighbours of each @TABLE neighbourhood after the centre, in the file's order
TABLE_NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "vonNeumann": ("N", "E", "S", "W"),
    "Moore": ("N", "NE", "E", "SE", "S", "SW", "W", "NW"),
    "hexagonal": ("N", "E", "SE", "S", "W", "NW"),
    "oneDimensional": ("W", "E"),
}
SYMMETRIES: dict[str, tuple[str, ...]] = {
    "vonNeumann": ("none", "rotate4", "rotate4reflect", "reflect_horizontal", "permute"),
    "Moore": ("none", "rotate4", "rotate8", "rotate4reflect", "rotate8reflect",
              "reflect_horizontal", "permute"),
    "hexagonal": ("none", "rotate2", "rotate3", "rotate6", "rotate6reflect", "permute"),
    "oneDimensional": ("none", "reflect", "permute"),
}
#: @TREE lookup order (Golly's Help): the centre last
TREE_ORDER = {4: ("N", "W", "E", "S", "C"), 8: ("NW", "NE", "SW", "SE", "N", "W", "E", "S", "C")}
MAX_STATES = 256
#: the most transitions a table may expand to (bound variables multiply lines)
MAX_TRANSITIONS = 1 << 20
#: the most nodes a tree may declare
MAX_NODES = 1 << 22

_SECTION = re.compile(r"^@([A-Z][A-Z0-9_]*)\b")
_KEYWORDS = ("n_states:", "neighborhood:", "symmetries:")


@dataclass(frozen=True)
class Table:
    """A parsed @TABLE: transitions as (inputs, output), inputs one tuple of allowed states per
    position (centre first, then `TABLE_NEIGHBOURS[neighbourhood]`), bound variables expanded."""

    n_states: int
    neighbourhood: str
    symmetries: str
    transitions: tuple[tuple[tuple[tuple[int, ...], ...], int], ...]

    @property
    def n_inputs(self) -> int:
        return 1 + len(TABLE_NEIGHBOURS[self.neighbourhood])


@dataclass(frozen=True)
class Tree:
    """A parsed @TREE: `nodes[i] = (depth, values)`; the root is the last node."""

    n_states: int
    n_neighbours: int
    nodes: tuple[tuple[int, tuple[int, ...]], ...]


@dataclass(frozen=True)
class RuleFile:
    """What a rule file holds. `table`/`tree`: the first of the two in the file (the other is
    None); `colours`: (state -> (r, g, b)) lines and gradients in file order, resolved by
    `colours_for`; `names`: state -> name from @NAMES."""

    name: str
    table: Table | None = None
    tree: Tree | None = None
    colour_lines: tuple[tuple[int, ...], ...] = ()
    has_colours: bool = False
    names: dict[int, str] = field(default_factory=dict)

    @property
    def n_states(self) -> int | None:
        body = self.table or self.tree
        return None if body is None else body.n_states

    @property
    def has_transitions(self) -> bool:
        return self.table is not None or self.tree is not None


def _fail(where: str, line: int, message: str) -> AlifeError:
    return AlifeError(message, where=f"{where}:{line}")


# ---- the sections of a .rule file ----------------------------------------------------------
def parse_rule_file(text: str, where: str, expect_name: str | None = None) -> RuleFile:
    """A `.rule` file's text as a RuleFile (module docstring); `expect_name`: the name the file
    is found by, which `@RULE` must repeat."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not lines[first].startswith("@RULE"):
        raise _fail(where, (first or 0) + 1, "expected '@RULE name' on the first line")
    name = lines[first][5:].strip()
    if not name or not lines[first][5:6].isspace():
        raise _fail(where, first + 1, "expected '@RULE name' (a space, then the rule name)")
    if expect_name is not None and name != expect_name:
        raise _fail(where, first + 1, f"@RULE names {name!r} but the file is {expect_name!r}; "
                                      "expected the file's name")
    sections: dict[str, tuple[int, list[str]]] = {}
    current: list[str] | None = None
    for number, line in enumerate(lines[first + 1:], start=first + 2):
        match = _SECTION.match(line)
        if match:
            section = match.group(1)
            if section in sections:  # only the first section of a name counts
                current = None
                continue
            current = []
            sections[section] = (number + 1, current)
            if line[match.end():].strip() and section in ("TABLE", "TREE", "COLORS", "NAMES"):
                raise _fail(where, number, f"unexpected text after @{section}; expected it "
                                           "alone on its line")
            continue
        if current is not None:
            current.append(line)
    table = tree = None
    body = [s for s in sections if s in ("TABLE", "TREE")]
    if body:  # RuleLoader uses the first of @TABLE / @TREE
        start, content = sections[body[0]]
        if body[0] == "TABLE":
            table = parse_table(content, where, start)
        else:
            tree = parse_tree(content, where, start)
    colour_lines: tuple[tuple[int, ...], ...] = ()
    if "COLORS" in sections:
        start, content = sections["COLORS"]
        colour_lines = parse_colours(content, where, start)
    names = {}
    if "NAMES" in sections:
        start, content = sections["NAMES"]
        names = parse_names(content, where, start)
    return RuleFile(name, table, tree, colour_lines, "COLORS" in sections, names)


def parse_colours(lines: list[str], where: str, start: int = 1) -> tuple[tuple[int, ...], ...]:
    """@COLORS lines: (state, r, g, b) or (r1, g1, b1, r2, g2, b2), in file order."""
    out = []
    for number, raw in enumerate(lines, start=start):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        numbers = []
        for token in line.split():
            if not token.isdigit():
                break
            numbers.append(int(token))
        if len(numbers) >= 6:
            numbers = numbers[:6]
        elif len(numbers) >= 4:
            numbers = numbers[:4]
        else:
            raise _fail(where, number, f"bad colour line {line[:40]!r}; expected 'state r g b' "
                                       "or 'r1 g1 b1 r2 g2 b2'")
        channels = numbers[1:] if len(numbers) == 4 else numbers
        if any(c > 255 for c in channels):
            raise _fail(where, number, f"colour value over 255 in {line[:40]!r}; expected "
                                       "0..255")
        out.append(tuple(numbers))
    return tuple(out)


def parse_names(lines: list[str], where: str, start: int = 1) -> dict[int, str]:
    """@NAMES lines `state name`."""
    names = {}
    for number, raw in enumerate(lines, start=start):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        state, _, name = line.partition(" ")
        if not state.isdigit() or not name.strip():
            raise _fail(where, number, f"bad name line {line[:40]!r}; expected 'state name'")
        names[int(state)] = name.strip()
    return names


def colours_for(colour_lines: tuple[tuple[int, ...], ...], n_states: int
                ) -> list[tuple[int, int, int]]:
    """The colour of every state: Golly's RuleLoader defaults (state 0 black, live states a
    gradient from red to yellow) changed by the @COLORS lines in order."""
    colours = [(0, 0, 0)] + _gradient((255, 0, 0), (255, 255, 0), n_states)
    for line in colour_lines:
        if len(line) == 6:
            colours[1:] = _gradient(line[:3], line[3:], n_states)
        elif line[0] < n_states:  # states the rule lacks are ignored
            colours[line[0]] = (line[1], line[2], line[3])
    return colours


def _gradient(a: tuple[int, ...], b: tuple[int, ...], n_states: int
              ) -> list[tuple[int, int, int]]:
    """Colours of states 1..n-1 from `a` to `b` (Golly's gradient: integer steps)."""
    live = n_states - 1
    if live == 1:
        return [(a[0], a[1], a[2])]
    return [tuple(int(a[k] + (b[k] - a[k]) * i / (live - 1)) for k in range(3))  # type: ignore
            for i in range(live)]


# ---- @TABLE --------------------------------------------------------------------------------
def parse_table(lines: list[str], where: str, start: int = 1) -> Table:
    """The lines of a @TABLE section (or a .table file) as a Table; `start`: the file line of
    `lines[0]`."""
    n_states: int | None = None
    neighbourhood: str | None = None
    symmetries: str | None = None
    variables: dict[str, tuple[int, ...]] = {}
    transitions: list[tuple[tuple[tuple[int, ...], ...], int]] = []
    n_inputs = 0

    def header_done(number: int, what: str) -> None:
        missing = [k for k, v in (("n_states", n_states), ("neighborhood", neighbourhood),
                                  ("symmetries", symmetries)) if v is None]
        if missing:
            raise _fail(where, number, f"{' and '.join(missing)} must be declared before the "
                                       f"first {what}")

    for number, raw in enumerate(lines, start=start):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        lower = line.lower()
        if lower.startswith("n_states:"):
            value = line[9:].strip()
            if not value.isdigit() or not 2 <= int(value) <= MAX_STATES:
                raise _fail(where, number, f"n_states {value!r}; expected a number of states "
                                           f"from 2 to {MAX_STATES}")
            n_states = int(value)
        elif lower.startswith("neighborhood:"):
            value = line[13:].strip()
            if value not in TABLE_NEIGHBOURS:
                raise _fail(where, number, f"unsupported neighborhood {value!r}; expected one "
                                           f"of {', '.join(TABLE_NEIGHBOURS)}")
            neighbourhood = value
            n_inputs = 1 + len(TABLE_NEIGHBOURS[value])
        elif lower.startswith("symmetries:"):
            value = line[11:].strip()
            if neighbourhood is None:
                raise _fail(where, number, "neighborhood must be declared before symmetries")
            if value not in SYMMETRIES[neighbourhood]:
                raise _fail(where, number, f"unsupported symmetries {value!r} for the "
                                           f"{neighbourhood} neighborhood; expected one of "
                                           f"{', '.join(SYMMETRIES[neighbourhood])}")
            symmetries = value
        elif lower.startswith("var "):
            header_done(number, "variable")
            assert n_states is not None
            name, states = _variable(line, variables, n_states, where, number)
            variables[name] = states
        else:
            header_done(number, "transition")
            assert n_states is not None and neighbourhood is not None
            new = _transition(line, variables, n_states, n_inputs, where, number)
            transitions.extend(new)
            if len(transitions) > MAX_TRANSITIONS:
                raise _fail(where, number, f"the table expands to over {MAX_TRANSITIONS} "
                                           "transitions (bound variables multiply); expected "
                                           "fewer")
    end = start + len(lines)
    header_done(end, "end of the table")
    assert n_states is not None and neighbourhood is not None and symmetries is not None
    return Table(n_states, neighbourhood, symmetries, tuple(transitions))


def _variable(line: str, variables: dict[str, tuple[int, ...]], n_states: int, where: str,
              number: int) -> tuple[str, tuple[int, ...]]:
    # Golly splits the line at '=', ' ', '{', ',' and '}': `var a{0,1}` and `var a = 0, 1` pass
    words = [t for t in re.split(r"[=\s{},]+", line) if t]
    if len(words) < 2 or words[0].lower() != "var":
        raise _fail(where, number, f"bad variable {line[:60]!r}; expected 'var name={{0,1,2}}'")
    name, tokens = words[1], words[2:]
    if not tokens:
        raise _fail(where, number, f"variable {name!r} has no states; expected e.g. "
                                   f"'var {name}={{0,1}}'")
    states: list[int] = []
    for token in tokens:
        if token in variables:  # earlier variables may be used inside later ones
            states.extend(variables[token])
        else:
            states.append(_state(token, n_states, where, number, f"in variable {name!r}"))
    return name, tuple(states)


def _state(token: str, n_states: int, where: str, number: int, context: str) -> int:
    if not token.isdigit():
        raise _fail(where, number, f"{token!r} {context} is neither a state nor a variable "
                                   "declared above; expected a state 0.."
                                   f"{n_states - 1} or a variable")
    value = int(token)
    if value >= n_states:
        raise _fail(where, number, f"state {value} {context} is out of range; expected "
                                   f"0..{n_states - 1} (n_states is {n_states})")
    return value


def _transition(line: str, variables: dict[str, tuple[int, ...]], n_states: int, n_inputs: int,
                where: str, number: int) -> list[tuple[tuple[tuple[int, ...], ...], int]]:
    """One transition line, its bound variables expanded as Golly expands them."""
    tokens = [t for t in re.split(r"[\s,]+", line) if t]
    if n_states <= 10 and not variables and len(tokens) == 1:
        tokens = list(tokens[0])  # the comma-free form: one digit per entry
    if len(tokens) != n_inputs + 1:
        raise _fail(where, number, f"transition {line[:60]!r} has {len(tokens)} entries; "
                                   f"expected {n_inputs + 1} (the {n_inputs} inputs, then the "
                                   "new state)")
    counts: dict[str, int] = {}
    for token in tokens:
        if token in variables:
            counts[token] = counts.get(token, 0) + 1
    bound = sorted(name for name, count in counts.items() if count > 1)
    inputs: list[tuple[int, ...] | str] = []
    for i, token in enumerate(tokens[:n_inputs]):
        if token in bound:
            inputs.append(token)
        elif token in variables:
            inputs.append(variables[token])
        else:
            inputs.append((_state(token, n_states, where, number,
                                  f"at position {i + 1} of {line[:60]!r}"),))
    out_token = tokens[n_inputs]
    if out_token in bound:
        output: int | str = out_token
    elif out_token in variables:
        if len(variables[out_token]) != 1:
            raise _fail(where, number, f"the new state {out_token!r} of {line[:60]!r} is a "
                                       "variable that occurs nowhere else in the transition; "
                                       "expected a state, a variable bound by occurring among "
                                       "the inputs, or a one-state variable")
        output = variables[out_token][0]
    else:
        output = _state(out_token, n_states, where, number, f"as the new state of {line[:60]!r}")
    if not bound:
        return [(tuple(i for i in inputs), output)]  # type: ignore[misc]
    out = []
    # Golly's odometer: the first bound variable (in name order) changes fastest
    ranges = [variables[name] for name in reversed(bound)]
    for values in itertools.product(*ranges):
        value_of = dict(zip(reversed(bound), values, strict=True))
        ins = tuple((value_of[i],) if isinstance(i, str) else i for i in inputs)
        out.append((ins, value_of[output] if isinstance(output, str) else output))
    return out


# ---- @TREE ---------------------------------------------------------------------------------
def parse_tree(lines: list[str], where: str, start: int = 1) -> Tree:
    """The lines of a @TREE section (or a .tree file) as a Tree (module docstring)."""
    header: dict[str, int] = {}
    nodes: list[tuple[int, tuple[int, ...]]] = []
    depths: list[int] = []
    number = start
    for number, raw in enumerate(lines, start=start):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = re.fullmatch(r"(num_states|num_neighbors|num_nodes)\s*=\s*(\S*)", line)
        if match:
            if nodes:
                raise _fail(where, number, f"{match.group(1)} after the first node; expected "
                                           "num_states, num_neighbors, num_nodes first")
            if not match.group(2).isdigit():
                raise _fail(where, number, f"{match.group(1)} = {match.group(2)!r}; expected "
                                           "a whole number")
            header[match.group(1)] = int(match.group(2))
            continue
        if not nodes:
            _check_tree_header(header, where, number)
        n_states, n_neighbours = header["num_states"], header["num_neighbors"]
        tokens = line.split()
        if not all(t.isdigit() for t in tokens):
            raise _fail(where, number, f"bad node line {line[:60]!r}; expected whole numbers "
                                       "'depth v0 v1 ...'")
        depth, values = int(tokens[0]), tuple(int(t) for t in tokens[1:])
        if not 1 <= depth <= n_neighbours + 1:
            raise _fail(where, number, f"node depth {depth}; expected 1..{n_neighbours + 1}")
        if len(values) != n_states:
            raise _fail(where, number, f"node has {len(values)} values; expected num_states = "
                                       f"{n_states}")
        if depth == 1:
            bad = [v for v in values if v >= n_states]
            if bad:
                raise _fail(where, number, f"state {bad[0]} in a depth-1 node; expected "
                                           f"0..{n_states - 1}")
        else:
            for v in values:
                if v >= len(nodes):
                    raise _fail(where, number, f"node {v} is used before it is defined; "
                                               f"expected 0..{len(nodes) - 1}")
                if depths[v] != depth - 1:
                    raise _fail(where, number, f"node {v} has depth {depths[v]} under a node "
                                               f"of depth {depth}; expected depth {depth - 1}")
        nodes.append((depth, values))
        depths.append(depth)
        if len(nodes) > header["num_nodes"]:
            raise _fail(where, number, f"more node lines than num_nodes = {header['num_nodes']}")
    if not nodes:
        _check_tree_header(header, where, number)
        raise _fail(where, number, "no tree nodes; expected num_nodes node lines")
    if len(nodes) != header["num_nodes"]:
        raise _fail(where, number, f"{len(nodes)} node lines; num_nodes says "
                                   f"{header['num_nodes']}")
    if nodes[-1][0] != header["num_neighbors"] + 1:
        raise _fail(where, number, f"the last node (the root) has depth {nodes[-1][0]}; "
                                   f"expected {header['num_neighbors'] + 1}")
    return Tree(header["num_states"], header["num_neighbors"], tuple(nodes))


def _check_tree_header(header: dict[str, int], where: str, number: int) -> None:
    missing = [k for k in ("num_states", "num_neighbors", "num_nodes") if k not in header]
    if missing:
        raise _fail(where, number, f"{', '.join(missing)} missing; expected num_states, "
                                   "num_neighbors and num_nodes before the nodes")
    if not 2 <= header["num_states"] <= MAX_STATES:
        raise _fail(where, number, f"num_states = {header['num_states']}; expected 2.."
                                   f"{MAX_STATES}")
    if header["num_neighbors"] not in TREE_ORDER:
        raise _fail(where, number, f"num_neighbors = {header['num_neighbors']}; expected 4 or 8")
    if not 1 <= header["num_nodes"] <= MAX_NODES:
        raise _fail(where, number, f"num_nodes = {header['num_nodes']}; expected 1.."
                                   f"{MAX_NODES}")
