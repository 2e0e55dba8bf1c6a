"""HashLife (Gosper 1984) for two-state Life-like rules on the unbounded plane.

The universe is a quadtree of canonical nodes: a node is interned once per distinct content, so
a pattern with repeated structure (guns, glider streams, metapixels) costs memory in the number
of distinct blocks, not cells, and the memoised "advance the centre" of each node is computed
once however often it recurs.

Representation (integers, not objects, so the tables stay compact):

- ids 0..15 are the 2x2 leaves (level 1): bit 1 = north-west cell, 2 = north-east, 4 = south-west,
  8 = south-east;
- ids from 16 are inner nodes; `_kids[id]` is (nw, ne, sw, se), `_level[id]` the level k (a node
  of level k is 2^k cells on a side), `_pop[id]` its live-cell count (a Python int: no overflow).

`Universe.advance(n)` steps any number of generations: each set bit j of n is one HashLife
step of 2^j generations (`_advance`), after the root is grown until the pattern sits in its
central quarter (so nothing can leave the part that is computed). Coordinates are (x, y) with y
downward, as in Golly; the root is centred on the origin: a level-k root covers
x, y in [-2^(k-1), 2^(k-1)) (reported y is one more: Golly's macrocell convention).

The one-generation base case is a 65536-entry table: a 4x4 block (16 bits) to its centre 2x2
after one step, built with NumPy from the rule's 512-entry neighbourhood table. Any rule of
`alife.rules.life.rulestring` with the Moore range-1 neighbourhood and two states works
(totalistic and Hensel's isotropic notation). B0 rules are refused: without B0 an empty block
stays empty, which HashLife needs (Golly emulates B0 by alternating rules; we do not).

Memory: the node table is rebuilt from the root (dropping the memo) when it passes `max_nodes`.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from alife.core.errors import AlifeError
from alife.core.frozen_roots import FrozenRoots
from alife.core.quadtree_box import QuadtreeBox
from alife.core.quadtree_steps import MAX_LEVEL, PowerSteps

LEAF_COUNT = 16
DEFAULT_MAX_NODES = 4_000_000


def neighbourhood_table(birth: frozenset[int], survive: frozenset[int],
                        hensel_masks: bool = False) -> np.ndarray:
    """next state [512] for every 3x3 block, bit (3 * row + col) set when that cell lives.

    `birth`/`survive` are neighbour counts, or 8-bit Hensel configuration masks when
    `hensel_masks` (bit i = neighbour `hensel.OFFSETS[i]`)."""
    from alife.rules.life.hensel import OFFSETS

    blocks = np.arange(512)
    centre = (blocks >> 4) & 1
    if hensel_masks:
        key = np.zeros(512, dtype=np.int64)
        for i, (dy, dx) in enumerate(OFFSETS):
            key |= ((blocks >> (3 * (1 + dy) + (1 + dx))) & 1) << i
    else:
        key = sum((blocks >> b) & 1 for b in range(9) if b != 4)
    born = np.isin(key, sorted(birth))
    kept = np.isin(key, sorted(survive))
    return np.where(centre == 1, kept, born).astype(np.uint8)


def _leaf_step_table(rule3x3: np.ndarray) -> np.ndarray:
    """The centre 2x2 (a leaf id 0..15) after one generation, for each 4x4 block [65536]."""
    masks = np.arange(1 << 16, dtype=np.int64)
    cell = [[(masks >> (4 * r + c)) & 1 for c in range(4)] for r in range(4)]
    out = np.zeros(1 << 16, dtype=np.int64)
    for bit, (r, c) in zip((1, 2, 4, 8), ((1, 1), (1, 2), (2, 1), (2, 2)), strict=True):
        index = sum(cell[r + dy][c + dx] << (3 * (1 + dy) + (1 + dx))
                    for dy in (-1, 0, 1) for dx in (-1, 0, 1))
        out |= rule3x3[index].astype(np.int64) * bit
    return out.astype(np.uint8)


def _place(leaf: int, row: int, col: int) -> int:
    """A leaf's four cells as bits of a 4x4 mask with the leaf's top-left at (row, col)."""
    out = 0
    for bit, (r, c) in zip((1, 2, 4, 8), ((0, 0), (0, 1), (1, 0), (1, 1)), strict=True):
        if leaf & bit:
            out |= 1 << (4 * (row + r) + (col + c))
    return out


def _centre_leaf_table() -> list[int]:
    """The centre 2x2 (a leaf id) of each 4x4 block mask, unstepped [65536]."""
    masks = np.arange(1 << 16, dtype=np.int64)
    out = np.zeros(1 << 16, dtype=np.int64)
    for bit, (r, c) in zip((1, 2, 4, 8), ((1, 1), (1, 2), (2, 1), (2, 2)), strict=True):
        out |= ((masks >> (4 * r + c)) & 1) * bit
    return out.tolist()


_CENTRE_LEAF = _centre_leaf_table()
_PLACED = tuple(tuple(_place(leaf, r, c) for leaf in range(16))
                for r, c in ((0, 0), (0, 2), (2, 0), (2, 2)))


class Universe(FrozenRoots, PowerSteps, QuadtreeBox):
    """A two-state Life-like pattern on the unbounded plane, stepped by HashLife."""

    def __init__(self, rule3x3: np.ndarray, max_nodes: int = DEFAULT_MAX_NODES,
                 rule_text: str = "B3/S23") -> None:
        rule3x3 = np.asarray(rule3x3, dtype=np.uint8)
        if rule3x3.shape != (512,):
            raise AlifeError(f"a HashLife rule table has 512 entries; got {rule3x3.shape}")
        if rule3x3[0]:
            raise AlifeError(f"HashLife needs a rule without B0 (an empty region must stay "
                             f"empty); {rule_text} has B0: use a bounded grid (e.g. "
                             f"'{rule_text}:T512,512') instead")
        self.rule_text = rule_text
        self.max_nodes = max_nodes
        self._table = _leaf_step_table(rule3x3).tolist()
        self._centre_leaf = _CENTRE_LEAF
        self._reset_tables()
        self.root = self.empty(3)
        self.generation = 0
        #: how often the node table was rebuilt (node ids change then: `collect`)
        self.epoch = 0
        #: Golly's y of the root's centre: its macrocell files put the top-left cell of the
        #: root's south-east child at (0, 1); internal coordinates are centred on the root
        self.origin_y = 1

    @classmethod
    def for_rule(cls, text: str, max_nodes: int = DEFAULT_MAX_NODES) -> Universe:
        """A Universe for a Life-like rule string (`B3/S23`, `B2-a/S12`); AlifeError when the
        rule is not two-state Moore range 1 or has a bounded-grid suffix."""
        from alife.rules.life.rulestring import parse_rule

        spec = parse_rule(text)
        if not supports(spec):
            raise AlifeError(f"HashLife runs two-state Life-like rules on the Moore "
                             f"neighbourhood; got {text!r}")
        table = neighbourhood_table(spec.birth, spec.survive, spec.kind == "hensel")
        return cls(table, max_nodes=max_nodes, rule_text=spec.canonical())

    # --- the node table -------------------------------------------------------------------

    def _reset_tables(self) -> None:
        self._kids: list[tuple[int, int, int, int] | None] = [None] * LEAF_COUNT
        self._level: list[int] = [1] * LEAF_COUNT
        self._pop: list[int] = [bin(i).count("1") for i in range(LEAF_COUNT)]
        self._intern: dict[tuple[int, int, int, int], int] = {}
        self._memo: dict[tuple[int, int], int] = {}  # (node, j) -> centre after 2^j, j < k-2
        self._full: list[int] = [-1] * LEAF_COUNT  # node -> centre after 2^(k-2), -1: not yet
        self._empty: list[int] = [0, 0]  # level 0 is unused; level 1's empty leaf is id 0

    @property
    def node_count(self) -> int:
        return len(self._kids)

    def join(self, nw: int, ne: int, sw: int, se: int) -> int:
        """The canonical node with these four children (all of one level)."""
        key = (nw, ne, sw, se)
        found = self._intern.get(key)
        if found is not None:
            return found
        node = len(self._kids)
        self._kids.append(key)
        self._level.append(self._level[nw] + 1)
        pop = self._pop
        self._pop.append(pop[nw] + pop[ne] + pop[sw] + pop[se])
        self._full.append(-1)
        self._intern[key] = node
        return node

    def empty(self, level: int) -> int:
        """The canonical empty node of `level` (>= 1)."""
        while len(self._empty) <= level:
            below = self._empty[-1]
            self._empty.append(self.join(below, below, below, below))
        return self._empty[level]

    def children(self, node: int) -> tuple[int, int, int, int]:
        """(nw, ne, sw, se) of an inner node (level >= 2)."""
        kids = self._kids[node]
        if kids is None:
            raise ValueError(f"node {node} is a leaf")
        return kids

    def level(self, node: int) -> int:
        return self._level[node]

    def population(self, node: int | None = None) -> int:
        return self._pop[self.root if node is None else node]

    # --- growing and stepping -------------------------------------------------------------

    def expand(self, node: int) -> int:
        """The node one level up with `node` in its centre."""
        if node < LEAF_COUNT:
            return self.join(_leaf(node, 1), _leaf(node, 2), _leaf(node, 4), _leaf(node, 8))
        nw, ne, sw, se = self._kids[node]  # type: ignore[misc]
        e = self.empty(self._level[node] - 1)
        return self.join(self.join(e, e, e, nw), self.join(e, e, ne, e),
                         self.join(e, sw, e, e), self.join(se, e, e, e))

    def _centre(self, node: int) -> int:
        """The central half (one level down) of a node of level >= 2, without stepping."""
        nw, ne, sw, se = self._kids[node]  # type: ignore[misc]
        if self._level[node] == 2:
            return ((nw >> 3) & 1) | (((ne >> 2) & 1) << 1) | (((sw >> 1) & 1) << 2) \
                | ((se & 1) << 3)
        kids = self._kids
        return self.join(kids[nw][3], kids[ne][2], kids[sw][1], kids[se][0])  # type: ignore

    def _in_core(self, node: int) -> bool:
        """Whether every live cell of `node` (level >= 3) lies in its central quarter-width
        square, so a step of up to 2^(k-3) generations cannot leave the computed centre."""
        kids, pop = self._kids, self._pop
        nw, ne, sw, se = kids[node]  # type: ignore[misc]
        if self._level[node] == 3:  # the core is the central 2x2 cells: one bit of four leaves
            inner = (kids[nw][3] & 8, kids[ne][2] & 4, kids[sw][1] & 2, kids[se][0] & 1)  # type: ignore[index]
            return sum(1 for bit in inner if bit) == pop[node]
        corners = (kids[kids[nw][3]][3], kids[kids[ne][2]][2],  # type: ignore[index]
                   kids[kids[sw][1]][1], kids[kids[se][0]][0])  # type: ignore[index]
        return sum(pop[c] for c in corners) == pop[node]

    def _advance(self, node: int, j: int) -> int:
        """The centre (level k-1) of `node` (level k >= 2) after 2^j generations, j <= k-2."""
        level = self._level[node]
        full = j == level - 2
        if full:
            found = self._full[node]
            if found >= 0:
                return found
        else:
            found = self._memo.get((node, j), -1)
            if found >= 0:
                return found
        if self._pop[node] == 0:
            result = self.empty(level - 1)
        elif level == 2:
            nw, ne, sw, se = self._kids[node]  # type: ignore[misc]
            placed = _PLACED
            result = self._table[placed[0][nw] | placed[1][ne] | placed[2][sw] | placed[3][se]]
        elif level == 3:
            result = self._advance_level3(node, full)
        else:
            result = self._advance_inner(node, j, level)
        if full:
            self._full[node] = result
        else:
            self._memo[(node, j)] = result
        return result

    def _advance_level3(self, node: int, full: bool) -> int:
        """`_advance` of a level-3 node (8x8 cells) straight from its 16 leaves and the 4x4
        tables: 2 generations (full) or 1, interning only the result."""
        kids, table = self._kids, self._table
        p0, p1, p2, p3 = _PLACED
        a, b, c, d = kids[node]  # type: ignore[misc]
        a0, a1, a2, a3 = kids[a]  # type: ignore[misc]
        b0, b1, b2, b3 = kids[b]  # type: ignore[misc]
        c0, c1, c2, c3 = kids[c]  # type: ignore[misc]
        d0, d1, d2, d3 = kids[d]  # type: ignore[misc]
        grid = ((a0, a1, b0, b1), (a2, a3, b2, b3), (c0, c1, d0, d1), (c2, c3, d2, d3))
        first = table if full else self._centre_leaf
        s = [[first[p0[grid[r][col]] | p1[grid[r][col + 1]] | p2[grid[r + 1][col]]
                    | p3[grid[r + 1][col + 1]]] for col in range(3)] for r in range(3)]
        out = [table[p0[s[r][col]] | p1[s[r][col + 1]] | p2[s[r + 1][col]]
                     | p3[s[r + 1][col + 1]]] for r in range(2) for col in range(2)]
        return self.join(*out)

    def _advance_inner(self, node: int, j: int, level: int) -> int:
        kids, join = self._kids, self.join
        a, b, c, d = kids[node]  # type: ignore[misc]
        a_nw, a_ne, a_sw, a_se = kids[a]  # type: ignore[misc]
        b_nw, b_ne, b_sw, b_se = kids[b]  # type: ignore[misc]
        c_nw, c_ne, c_sw, c_se = kids[c]  # type: ignore[misc]
        d_nw, d_ne, d_sw, d_se = kids[d]  # type: ignore[misc]
        nine = (a, join(a_ne, b_nw, a_se, b_sw), b,
                join(a_sw, a_se, c_nw, c_ne), join(a_se, b_sw, c_ne, d_nw),
                join(b_sw, b_se, d_nw, d_ne),
                c, join(c_ne, d_nw, c_se, d_sw), d)
        full = j == level - 2
        if full:
            s = [self._advance(m, j - 1) for m in nine]
            inner = j - 1
        else:
            s = [self._centre(m) for m in nine]
            inner = j
        adv = self._advance
        return join(adv(join(s[0], s[1], s[3], s[4]), inner),
                    adv(join(s[1], s[2], s[4], s[5]), inner),
                    adv(join(s[3], s[4], s[6], s[7]), inner),
                    adv(join(s[4], s[5], s[7], s[8]), inner))

    def collect(self) -> None:
        """Rebuild the node table with only the nodes the root (and the generations remembered
        by `freeze`) reach; drops the memo."""
        old_kids, old_root = self._kids, self.root
        self._reset_tables()
        self.epoch += 1
        mapping: dict[int, int] = {i: i for i in range(LEAF_COUNT)}

        def copy(node: int) -> int:
            found = mapping.get(node)
            if found is not None:
                return found
            nw, ne, sw, se = old_kids[node]  # type: ignore[misc]
            new = self.join(copy(nw), copy(ne), copy(sw), copy(se))
            mapping[node] = new
            return new

        self.root = copy(old_root)
        self._carry_frozen(copy)

    # --- cells in and out -----------------------------------------------------------------

    def set_cells(self, xs: np.ndarray, ys: np.ndarray) -> None:
        """Replace the universe with live cells at (xs, ys) (generation unchanged)."""
        xs = np.asarray(xs, dtype=np.int64).ravel()
        ys = np.asarray(ys, dtype=np.int64).ravel() - self.origin_y
        reach = int(max(np.abs(xs).max(initial=0), np.abs(ys).max(initial=0))) + 1
        level = 3
        while (1 << (level - 1)) < reach:
            level += 1
        if level > MAX_LEVEL:
            raise AlifeError("cells lie too far from the origin for HashLife")
        self.root = self._build(xs + (1 << (level - 1)), ys + (1 << (level - 1)), level)

    def _build(self, us: np.ndarray, vs: np.ndarray, level: int) -> int:
        """Bottom-up construction from non-negative coordinates inside a 2^level square."""
        if us.size == 0:
            return self.empty(level)
        bits = np.left_shift(1, (us & 1) + 2 * (vs & 1))
        keys = ((vs >> 1) << 32) | (us >> 1)
        order = np.argsort(keys, kind="stable")
        keys, bits = keys[order], bits[order]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        ids = np.bitwise_or.reduceat(bits, starts)
        bu, bv, ids = keys[starts] & 0xFFFFFFFF, keys[starts] >> 32, ids
        for lev in range(2, level + 1):
            quadrant = (bu & 1) + 2 * (bv & 1)
            parent = ((bv >> 1) << 32) | (bu >> 1)
            order = np.lexsort((quadrant, parent))
            parent, quadrant, ids = parent[order], quadrant[order], ids[order]
            starts = np.flatnonzero(np.r_[True, parent[1:] != parent[:-1]])
            e = self.empty(lev - 1)
            quads = np.full((starts.size, 4), e, dtype=np.int64)
            group = np.cumsum(np.r_[False, parent[1:] != parent[:-1]])
            quads[group, quadrant] = ids
            ids = np.fromiter((self.join(*row) for row in quads.tolist()), dtype=np.int64,
                              count=starts.size)
            bu, bv = parent[starts] & 0xFFFFFFFF, parent[starts] >> 32
        return int(ids[0])

    def cells(self, limit: int = 50_000_000) -> tuple[np.ndarray, np.ndarray]:
        """(xs, ys) of every live cell; AlifeError past `limit` cells."""
        if self._pop[self.root] > limit:
            raise AlifeError(f"the pattern has {self._pop[self.root]} live cells, more than "
                             f"{limit} can be listed; write it as a macrocell (.mc) file")
        half = 1 << (self._level[self.root] - 1)
        xs: list[int] = []
        ys: list[int] = []
        for x, y, leaf in self._leaves(self.root, -half, -half):
            for bit, dx, dy in ((1, 0, 0), (2, 1, 0), (4, 0, 1), (8, 1, 1)):
                if leaf & bit:
                    xs.append(x + dx)
                    ys.append(y + dy + self.origin_y)
        return np.asarray(xs, dtype=np.int64), np.asarray(ys, dtype=np.int64)

    def cell(self, x: int, y: int) -> int:
        """The state (0 or 1) of the cell at plane (x, y): a walk from the root down to its
        leaf, O(levels), no memo; 0 outside the root."""
        node, level = self.root, self._level[self.root]
        u, v = x + (1 << (level - 1)), y - self.origin_y + (1 << (level - 1))
        if not (0 <= u < 1 << level and 0 <= v < 1 << level):
            return 0
        kids, pop = self._kids, self._pop
        while node >= LEAF_COUNT and pop[node]:
            level -= 1
            east, south = (u >> level) & 1, (v >> level) & 1
            node = kids[node][east + 2 * south]  # type: ignore[index]
        if node >= LEAF_COUNT:  # an empty block
            return 0
        return (node >> ((u & 1) + 2 * (v & 1))) & 1

    def _leaves(self, node: int, x: int, y: int) -> Iterator[tuple[int, int, int]]:
        if self._pop[node] == 0:
            return
        if node < LEAF_COUNT:
            yield x, y, node
            return
        half = 1 << (self._level[node] - 1)
        nw, ne, sw, se = self._kids[node]  # type: ignore[misc]
        yield from self._leaves(nw, x, y)
        yield from self._leaves(ne, x + half, y)
        yield from self._leaves(sw, x, y + half)
        yield from self._leaves(se, x + half, y + half)

    @staticmethod
    def _leaf_line(leaf: int, side: int) -> tuple[bool, bool]:
        """(west, east) columns (side < 2) or (north, south) rows of a leaf: live or not."""
        if side < 2:
            return (leaf & 5) != 0, (leaf & 10) != 0  # west cells 1|4, east cells 2|8
        return (leaf & 3) != 0, (leaf & 12) != 0

    def to_array(self, max_cells: int = 1 << 26) -> tuple[np.ndarray, int, int]:
        """(cells [H, W] uint8 over the bounding box, x of column 0, y of row 0)."""
        box = self.bounding_box()
        if box is None:
            return np.zeros((0, 0), dtype=np.uint8), 0, 0
        x0, y0, x1, y1 = box
        height, width = y1 - y0 + 1, x1 - x0 + 1
        if height * width > max_cells:
            raise AlifeError(f"the pattern's bounding box is {width} x {height} cells, too large "
                             f"for a grid; write it as a macrocell (.mc) file")
        xs, ys = self.cells()
        grid = np.zeros((height, width), dtype=np.uint8)
        grid[ys - y0, xs - x0] = 1
        return grid, x0, y0


def _leaf(node: int, bit: int) -> int:
    """A level-1 leaf holding one cell of `node` at the opposite corner of `bit`'s quadrant:
    the cell of quadrant `bit` moved so `node` sits in the centre of its 4x4 expansion."""
    opposite = {1: 8, 2: 4, 4: 2, 8: 1}[bit]
    return opposite if node & bit else 0


def supports(spec: object) -> bool:
    """Whether a parsed Life-like rule (`LifeSpec`) can run on HashLife: two states, Moore
    range 1, totalistic or Hensel notation, no bounded-grid suffix, no B0 (those run on the
    grid engine's plane window, `alife.rules.life.b0`)."""
    return (getattr(spec, "states", 0) == 2 and 0 not in getattr(spec, "birth", {0})
            and getattr(spec, "neighbourhood", "") == "moore"
            and getattr(spec, "kind", "") in ("totalistic", "hensel")
            and getattr(spec, "bounds", None) is None)
