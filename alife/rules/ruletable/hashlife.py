"""Multi-state HashLife (Gosper 1984) for Golly's rule tables on the unbounded plane.

The same quadtree as the two-state engine (`alife.rules.life.hashlife`), with cells that carry a
state 0..n-1 (0 is empty), as Golly's generic HashLife (ghashbase) runs `RuleLoader` and `JvN`
rules. Nodes are integer ids into flat Python lists, interned once per distinct content:

- a *leaf* (level 1) is a 2x2 square of states, `_kids[id] = (nw, ne, sw, se)` as states;
- an *inner node* (level k >= 2, 2^k cells on a side) has `_kids[id] = (nw, ne, sw, se)` as
  node ids; `_pop[id]` counts its non-zero cells (Golly's population).

The one-generation base case is the centre 2x2 of a level-2 node (4x4 cells): each of its four
cells walks the rule's compiled decision tree (`compile.Compiled.flat[node + state]`, one lookup
per neighbourhood cell in the tree's order), memoised per node, so a block met again costs a
list read. Any range-1 neighbourhood works (Moore, von Neumann, hexagonal emulated on the square
grid, one-dimensional); the rule must leave an all-zero neighbourhood at 0, as Golly requires,
or an empty region would not stay empty. Rules compiled as bitsets (`bitsets.BitsetTable`, too
intricate for a tree) use their own per-neighbourhood lookup: correct, slower.

Stepping, coordinates (Golly's: y down, root centred on the origin, the top-left cell of the
root's south-east child at (0, 1)) and the memory bound (`collect` when the node table passes
`max_nodes`) are the two-state engine's; `advance(n)` takes any number of generations as a sum
of powers of two. Cells in and out: `alife.rules.ruletable.hashlife_cells`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alife.core.errors import AlifeError
from alife.core.frozen_roots import FrozenRoots
from alife.core.quadtree_steps import MAX_LEVEL, PowerSteps
from alife.rules.ruletable import hashlife_cells
from alife.rules.ruletable.compile import Compiled

if TYPE_CHECKING:
    from alife.rules.ruletable.library import LoadedRule

#: nodes kept before `collect` rebuilds the table (about 300 bytes each with the memo: ~0.6 GB)
DEFAULT_MAX_NODES = 2_000_000
#: (row, col) in a 4x4 block -> index into its 16 cells listed quadrant by quadrant
_INDEX = {(r, c): 4 * (2 * (r >= 2) + (c >= 2)) + 2 * (r & 1) + (c & 1)
          for r in range(4) for c in range(4)}
_CENTRE = ((1, 1), (1, 2), (2, 1), (2, 2))


class Universe(hashlife_cells.CellsMixin, FrozenRoots, PowerSteps):
    """A multi-state pattern on the unbounded plane, stepped by HashLife (module docstring)."""

    def __init__(self, compiled: object, rule_text: str = "rule",
                 max_nodes: int = DEFAULT_MAX_NODES) -> None:
        offsets = compiled.offsets  # type: ignore[attr-defined]
        if any(abs(dy) > 1 or abs(dx) > 1 for dy, dx in offsets):
            raise AlifeError(f"HashLife runs range-1 neighbourhoods; {rule_text} reaches "
                             "further")
        self.n_states: int = compiled.n_states  # type: ignore[attr-defined]
        self.rule_text = rule_text
        self.max_nodes = max_nodes
        # per centre cell: the 16-cell indices of its neighbourhood in the tree's order
        self._where = tuple(tuple(_INDEX[(r + dy, c + dx)] for dy, dx in offsets)
                            for r, c in _CENTRE)
        if isinstance(compiled, Compiled):
            self._flat = compiled.flat.tolist()
            self._root_offset = compiled.root
            self._lookup = None
        else:  # a BitsetTable: a lookup by cell name per neighbourhood
            order = compiled.order  # type: ignore[attr-defined]
            table = compiled

            def lookup(states: tuple[int, ...]) -> int:
                return int(table.next_state(dict(zip(order, states, strict=True))))  # type: ignore[attr-defined]

            self._lookup = lookup
            self._flat, self._root_offset = [], 0
        if self._next((0,) * len(offsets)) != 0:
            raise AlifeError(f"HashLife needs a rule that keeps an empty neighbourhood empty "
                             f"(all cells 0 stay 0); {rule_text} turns it into another state: "
                             f"use a bounded grid (e.g. '{rule_text}:T512,512') instead")
        self._reset_tables()
        self.root = self.empty(3)
        self.generation = 0
        #: how often the node table was rebuilt (node ids change then: `collect`)
        self.epoch = 0
        #: Golly's y of the root's centre (the two-state engine's convention)
        self.origin_y = 1

    @classmethod
    def for_rule(cls, name: str, folder: object = None,
                 max_nodes: int = DEFAULT_MAX_NODES) -> Universe:
        """A Universe for the rule table called `name`, looked up as the grid route does
        (`library.load_rule`, pattern folder first)."""
        from alife.rules.ruletable.library import load_rule, split_rule_text

        base, suffix = split_rule_text(name)
        if suffix is not None:
            raise AlifeError(f"rule {name!r} has a bounded-grid suffix; HashLife runs the "
                             "unbounded plane (drop the suffix or use the grid engine)")
        return cls.for_loaded(load_rule(base, folder), max_nodes)

    @classmethod
    def for_loaded(cls, rule: LoadedRule, max_nodes: int = DEFAULT_MAX_NODES) -> Universe:
        universe = cls(rule.compiled, rule.name, max_nodes)
        universe.colours = rule.colours
        universe.state_names = rule.names
        return universe

    colours: tuple[tuple[int, int, int], ...] = ()
    state_names: tuple[str, ...] = ()

    def _next(self, states: tuple[int, ...]) -> int:
        """The next state of one neighbourhood (states in the tree's order)."""
        if self._lookup is not None:
            return self._lookup(states)
        node, flat = self._root_offset, self._flat
        for s in states:
            node = flat[node + s]
        return node

    # --- the node table -------------------------------------------------------------------

    def _reset_tables(self) -> None:
        self._kids: list[tuple[int, int, int, int]] = []
        self._level: list[int] = []
        self._pop: list[int] = []
        self._full: list[int] = []  # node -> centre after 2^(k-2), -1: not yet
        self._intern: dict[tuple[int, int, int, int], int] = {}
        self._leaves: dict[tuple[int, int, int, int], int] = {}
        #: per j: node -> centre after 2^j generations, j < k-2
        self._memo: list[dict[int, int]] = [{} for _ in range(MAX_LEVEL + 1)]
        self._empty: list[int] = [0]
        self._empty.append(self.leaf(0, 0, 0, 0))

    @property
    def node_count(self) -> int:
        return len(self._kids)

    def _add(self, key: tuple[int, int, int, int], level: int, pop: int) -> int:
        node = len(self._kids)
        self._kids.append(key)
        self._level.append(level)
        self._pop.append(pop)
        self._full.append(-1)
        return node

    def leaf(self, nw: int, ne: int, sw: int, se: int) -> int:
        """The canonical level-1 node holding these four states."""
        key = (nw, ne, sw, se)
        found = self._leaves.get(key)
        if found is None:
            found = self._add(key, 1, (nw != 0) + (ne != 0) + (sw != 0) + (se != 0))
            self._leaves[key] = found
        return found

    def join(self, nw: int, ne: int, sw: int, se: int) -> int:
        """The canonical node with these four children (all of one level)."""
        key = (nw, ne, sw, se)
        found = self._intern.get(key)
        if found is None:
            pop = self._pop
            found = self._add(key, self._level[nw] + 1, pop[nw] + pop[ne] + pop[sw] + pop[se])
            self._intern[key] = found
        return found

    def empty(self, level: int) -> int:
        """The canonical empty node of `level` (>= 1)."""
        while len(self._empty) <= level:
            below = self._empty[-1]
            self._empty.append(self.join(below, below, below, below))
        return self._empty[level]

    def children(self, node: int) -> tuple[int, int, int, int]:
        """(nw, ne, sw, se): node ids of an inner node, states of a leaf."""
        return self._kids[node]

    def level(self, node: int) -> int:
        return self._level[node]

    def population(self, node: int | None = None) -> int:
        return self._pop[self.root if node is None else node]

    # --- growing and stepping -------------------------------------------------------------

    def expand(self, node: int) -> int:
        """The node one level up with `node` in its centre."""
        nw, ne, sw, se = self._kids[node]
        if self._level[node] == 1:
            leaf = self.leaf
            return self.join(leaf(0, 0, 0, nw), leaf(0, 0, ne, 0), leaf(0, sw, 0, 0),
                             leaf(se, 0, 0, 0))
        e = self.empty(self._level[node] - 1)
        return self.join(self.join(e, e, e, nw), self.join(e, e, ne, e),
                         self.join(e, sw, e, e), self.join(se, e, e, e))

    def _centre(self, node: int) -> int:
        """The central half (one level down) of a node of level >= 2, without stepping."""
        kids = self._kids
        nw, ne, sw, se = kids[node]
        make = self.leaf if self._level[node] == 2 else self.join
        return make(kids[nw][3], kids[ne][2], kids[sw][1], kids[se][0])

    def _in_core(self, node: int) -> bool:
        """Whether every non-zero cell of `node` (level >= 3) lies in its central quarter-width
        square, so a step of up to 2^(k-3) generations cannot leave the computed centre."""
        kids, pop = self._kids, self._pop
        nw, ne, sw, se = kids[node]
        corners = (kids[kids[nw][3]][3], kids[kids[ne][2]][2], kids[kids[sw][1]][1],
                   kids[kids[se][0]][0])
        if self._level[node] == 3:  # the corners are single cells (states)
            return sum(1 for s in corners if s) == pop[node]
        return sum(pop[c] for c in corners) == pop[node]

    def _base(self, node: int) -> int:
        """The centre 2x2 (a leaf) of a level-2 node after one generation."""
        kids = self._kids
        nw, ne, sw, se = kids[node]
        cells = kids[nw] + kids[ne] + kids[sw] + kids[se]
        if self._lookup is not None:
            out = [self._lookup(tuple(cells[i] for i in where)) for where in self._where]
            return self.leaf(*out)
        flat, start = self._flat, self._root_offset
        out = []
        for where in self._where:
            at = start
            for i in where:
                at = flat[at + cells[i]]
            out.append(at)
        return self.leaf(*out)

    def _advance(self, node: int, j: int) -> int:
        """The centre (level k-1) of `node` (level k >= 2) after 2^j generations, j <= k-2."""
        level = self._level[node]
        full = j == level - 2
        if full:
            found = self._full[node]
            if found >= 0:
                return found
        else:
            found = self._memo[j].get(node, -1)
            if found >= 0:
                return found
        if self._pop[node] == 0:
            result = self.empty(level - 1)
        elif level == 2:
            result = self._base(node)
        else:
            result = self._advance_inner(node, j, level)
        if full:
            self._full[node] = result
        else:
            self._memo[j][node] = result
        return result

    def _advance_inner(self, node: int, j: int, level: int) -> int:
        """`_advance` above level 2: nine overlapping sub-squares one level down, advanced (a
        full step: 2^(j-1) now, 2^(j-1) in the recursion) or just centred (j < k-2), then
        the four overlapping squares of those advanced by the rest. Memo hits and existing
        nodes are looked up inline (the hot path: most calls find their answer)."""
        kids, intern, join = self._kids, self._intern, self.join
        a, b, c, d = kids[node]
        a_nw, a_ne, a_sw, a_se = kids[a]
        b_nw, b_ne, b_sw, b_se = kids[b]
        c_nw, c_ne, c_sw, c_se = kids[c]
        d_nw, d_ne, d_sw, d_se = kids[d]
        adv = self._advance
        if j == level - 2:  # every step below is a full one: the `_full` list is the memo
            full = self._full
            s = []
            for key in ((a_ne, b_nw, a_se, b_sw), (a_sw, a_se, c_nw, c_ne),
                        (a_se, b_sw, c_ne, d_nw), (b_sw, b_se, d_nw, d_ne),
                        (c_ne, d_nw, c_se, d_sw)):
                m = intern.get(key)
                if m is None:
                    m = join(*key)
                r = full[m]
                s.append(r if r >= 0 else adv(m, j - 1))
            s0, s1, s2 = full[a], full[b], full[c]
            s3 = full[d]
            s0 = s0 if s0 >= 0 else adv(a, j - 1)
            s1 = s1 if s1 >= 0 else adv(b, j - 1)
            s2 = s2 if s2 >= 0 else adv(c, j - 1)
            s3 = s3 if s3 >= 0 else adv(d, j - 1)
            t = (s0, s[0], s1, s[1], s[2], s[3], s2, s[4], s3)
            out = []
            for key in ((t[0], t[1], t[3], t[4]), (t[1], t[2], t[4], t[5]),
                        (t[3], t[4], t[6], t[7]), (t[4], t[5], t[7], t[8])):
                m = intern.get(key)
                if m is None:
                    m = join(*key)
                r = full[m]
                out.append(r if r >= 0 else adv(m, j - 1))
            key = (out[0], out[1], out[2], out[3])
            m = intern.get(key)
            return m if m is not None else join(*key)
        # the centres of the nine, straight from the great-grandchildren
        k = kids
        centres = ((k[a_nw][3], k[a_ne][2], k[a_sw][1], k[a_se][0]),
                   (k[a_ne][3], k[b_nw][2], k[a_se][1], k[b_sw][0]),
                   (k[b_nw][3], k[b_ne][2], k[b_sw][1], k[b_se][0]),
                   (k[a_sw][3], k[a_se][2], k[c_nw][1], k[c_ne][0]),
                   (k[a_se][3], k[b_sw][2], k[c_ne][1], k[d_nw][0]),
                   (k[b_sw][3], k[b_se][2], k[d_nw][1], k[d_ne][0]),
                   (k[c_nw][3], k[c_ne][2], k[c_sw][1], k[c_se][0]),
                   (k[c_ne][3], k[d_nw][2], k[c_se][1], k[d_sw][0]),
                   (k[d_nw][3], k[d_ne][2], k[d_sw][1], k[d_se][0]))
        if level == 3:  # the centres are leaves (2x2 states)
            leaf = self.leaf
            t = tuple(leaf(*key) for key in centres)
        else:
            found = [intern.get(key, -1) for key in centres]
            t = tuple(m if m >= 0 else join(*key) for m, key in zip(found, centres,
                                                                    strict=True))
        sub_full = j == level - 3  # the four below take a full step: the `_full` list
        memo = self._full if sub_full else self._memo[j]
        out = []
        for key in ((t[0], t[1], t[3], t[4]), (t[1], t[2], t[4], t[5]),
                    (t[3], t[4], t[6], t[7]), (t[4], t[5], t[7], t[8])):
            m = intern.get(key)
            if m is None:
                m = join(*key)
            r = memo[m] if sub_full else memo.get(m, -1)  # type: ignore[union-attr]
            out.append(r if r >= 0 else adv(m, j))
        key = (out[0], out[1], out[2], out[3])
        m = intern.get(key)
        return m if m is not None else join(*key)

    def collect(self) -> None:
        """Rebuild the node table with only the nodes the root (and the generations remembered
        by `freeze`) reach; drops the memo."""
        old_kids, old_level, old_root = self._kids, self._level, self.root
        self._reset_tables()
        self.epoch += 1
        mapping: dict[int, int] = {}

        def copy(node: int) -> int:
            found = mapping.get(node)
            if found is None:
                kids = old_kids[node]
                if old_level[node] == 1:
                    found = self.leaf(*kids)
                else:
                    found = self.join(*(copy(k) for k in kids))
                mapping[node] = found
            return found

        self.root = copy(old_root)
        self._carry_frozen(copy)
