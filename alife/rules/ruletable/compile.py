"""Rule files compiled into lookups the JAX kernel walks (`alife.rules.ruletable.kernels`).

Every rule becomes a *decision tree* (Golly's rule-tree form): one variable per level, in a
fixed order of neighbourhood cells with the centre last; each node has one child per state of
its variable; a depth-1 node's children are the next states. A `@TREE` section is that already.
A `@TABLE` is compiled into one the way Golly's RuleTableToTree does it, symbolically: its
transitions are expanded by the declared symmetry (each line's variants kept in order, later
duplicates dropped), each cell of the neighbourhood gets one bit mask per state (which expanded
transitions allow that state there), and the tree is built level by level from the set of
transitions still possible (a bitset): a node's children are its set AND'ed with the next
level's masks; at the centre the first transition left gives the next state, and when none is
left the state stays unchanged. Nodes are memoised on (level, set) and identical nodes merged,
so the tree has one node per distinct sub-table.

Two lookups come out (`Compiled`):

- **tree**: the nodes flattened into one int32 array, `flat[node + state]` giving the next node's
  offset (its number times the state count) or, at depth 1, the next state; the kernel walks it
  with one gather per neighbourhood cell (5 for von Neumann, 9 for Moore);
- **dense**: the whole table, `n_states ** cells` entries (uint8) indexed by the neighbourhood's
  states as digits, when that is at most `DENSE_MAX` entries: one gather per cell update.
  Langton's loops (8 states, 5 cells: 32,768 entries) and WireWorld (4 states, 9 cells: 262,144)
  run dense; Moore rules with many states (Worms, Tempesti) walk the tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from alife.core.errors import AlifeError
from alife.rules.ruletable.ruleformat import TABLE_NEIGHBOURS, TREE_ORDER, Table, Tree

#: (dy, dx) of each named cell, y downward
OFFSETS = {"N": (-1, 0), "NE": (-1, 1), "E": (0, 1), "SE": (1, 1), "S": (1, 0), "SW": (1, -1),
           "W": (0, -1), "NW": (-1, -1), "C": (0, 0)}
#: the tree order a compiled @TABLE uses (Golly's for 4 and 8 neighbours; the centre last)
TABLE_TREE_ORDER = {
    "vonNeumann": TREE_ORDER[4],
    "Moore": TREE_ORDER[8],
    "hexagonal": ("NW", "SE", "N", "W", "E", "S", "C"),
    "oneDimensional": ("W", "E", "C"),
}
#: the largest dense table (entries, one byte each)
DENSE_MAX = 1 << 22
#: the most nodes a compiled table may have
MAX_TREE_NODES = 1 << 22
#: the most transitions a table may have once its symmetries are expanded
MAX_VARIANTS = 1 << 18
#: the most node children the compiler may work out (a bound on its time)
MAX_WORK = 1 << 25


@dataclass(frozen=True, eq=False)
class Compiled:
    """A rule's decision tree: `order` (cell names, the centre last), `nodes` [(depth, values)]
    with the root last (Golly's @TREE layout), and the number of states."""

    n_states: int
    order: tuple[str, ...]
    nodes: tuple[tuple[int, tuple[int, ...]], ...]

    @property
    def offsets(self) -> tuple[tuple[int, int], ...]:
        return tuple(OFFSETS[name] for name in self.order)

    @property
    def dense_size(self) -> int:
        return self.n_states ** len(self.order)

    @cached_property
    def flat(self) -> np.ndarray:
        """int32 [nodes * n_states]: child offsets (node * n_states) or, at depth 1, states."""
        n = self.n_states
        flat = np.zeros(len(self.nodes) * n, np.int32)
        for i, (depth, values) in enumerate(self.nodes):
            row = np.asarray(values, np.int64)
            flat[i * n:(i + 1) * n] = row if depth == 1 else row * n
        return flat

    @property
    def root(self) -> int:
        """The root's offset into `flat`."""
        return (len(self.nodes) - 1) * self.n_states

    def dense(self) -> np.ndarray:
        """uint8 [n_states ** cells]: the next state of every neighbourhood, indexed by the
        cells' states as base-n digits in `order` (the first cell the most significant)."""
        if self.dense_size > DENSE_MAX:
            raise AlifeError(f"a dense table of {self.dense_size} entries is over {DENSE_MAX}; "
                             "expected the tree lookup")
        flat, n = self.flat, self.n_states
        current = np.array([self.root], np.int64)
        states = np.arange(n, dtype=np.int64)
        for _ in self.order:
            current = flat[(current[:, None] + states[None, :]).ravel()].astype(np.int64)
        return current.astype(np.uint8)

    def next_state(self, cells: dict[str, int]) -> int:
        """The next state for one neighbourhood given by cell name (a reference, for tests)."""
        node = self.root
        for name in self.order:
            node = int(self.flat[node + cells[name]])
        return node

    def langton_lambda(self) -> float:
        """The fraction of neighbourhood configurations whose next state is not 0."""
        counts: list[int] = []
        for depth, values in self.nodes:
            if depth == 1:
                counts.append(sum(1 for v in values if v != 0))
            else:
                counts.append(sum(counts[v] for v in values))
        return counts[-1] / self.dense_size


def from_tree(tree: Tree) -> Compiled:
    """A parsed @TREE as it stands (its order is Golly's fixed one)."""
    return Compiled(tree.n_states, TREE_ORDER[tree.n_neighbours], tree.nodes)


# ---- @TABLE -> tree ------------------------------------------------------------------------
def _group(neighbourhood: str, symmetries: str) -> list[tuple[int, ...]]:
    """The symmetry's permutations of the neighbour ring (`TABLE_NEIGHBOURS` order): variant
    input at ring place i is the written input at ring place p[i]."""
    k = len(TABLE_NEIGHBOURS[neighbourhood])
    shifts = {"none": [0], "rotate2": [0, 3], "rotate3": [0, 2, 4], "rotate6": range(6),
              "rotate6reflect": range(6), "rotate4": range(0, k, k // 4) if k >= 4 else [0],
              "rotate4reflect": range(0, k, k // 4) if k >= 4 else [0], "rotate8": range(8),
              "rotate8reflect": range(8), "reflect_horizontal": [0], "reflect": [0]}[symmetries]
    group = [tuple((i + s) % k for i in range(k)) for s in shifts]
    if neighbourhood == "oneDimensional":  # the mirror swaps west and east
        return group + [(1, 0)] if symmetries == "reflect" else group
    if symmetries.endswith("reflect") or symmetries == "reflect_horizontal":
        # the mirror through the first neighbour (north): the ring read backwards from it
        group += [tuple((s - i) % k for i in range(k)) for s in shifts]
    return group


def _distinct_permutations(items: list) -> list[tuple]:
    """Every ordering of `items` once (as Golly's sort + next_permutation), in lexicographic
    order of the items' sort keys."""
    items = sorted(items)
    out = [tuple(items)]
    n = len(items)
    while True:
        i = n - 2
        while i >= 0 and not items[i] < items[i + 1]:
            i -= 1
        if i < 0:
            return out
        j = n - 1
        while not items[i] < items[j]:
            j -= 1
        items[i], items[j] = items[j], items[i]
        items[i + 1:] = reversed(items[i + 1:])
        out.append(tuple(items))


def expand(table: Table, where: str = "") -> list[tuple[tuple[tuple[int, ...], ...], int]]:
    """Every transition with its symmetric variants, in Golly's order; a variant identical to an
    earlier one (it can never match first) is dropped."""
    group = None if table.symmetries == "permute" else _group(table.neighbourhood,
                                                               table.symmetries)
    seen: set[tuple[tuple[int, ...], ...]] = set()
    out = []
    for inputs, output in table.transitions:
        centre, ring = inputs[0], list(inputs[1:])
        if group is None:
            variants = [(centre, *p) for p in _distinct_permutations(ring)]
        else:
            variants = [(centre, *(ring[p[i]] for i in range(len(ring)))) for p in group]
        for variant in variants:
            if variant not in seen:
                seen.add(variant)
                out.append((variant, output))
        if len(out) > MAX_VARIANTS:
            raise AlifeError(f"the table's {table.symmetries} symmetry expands it to over "
                             f"{MAX_VARIANTS} transitions; expected a smaller table",
                             where=where or None)
    return out


def _bits(mask: np.ndarray) -> int:
    """A bool vector as a Python int, element i at bit i."""
    return int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little")


class TooIntricate(AlifeError):
    """The table's tree would take more than the allowed work or nodes."""


def from_table(table: Table, where: str = "", max_work: int | None = None) -> Compiled:
    """A @TABLE compiled into a decision tree (module docstring); TooIntricate past `max_work`
    node children (default MAX_WORK) or MAX_TREE_NODES nodes."""
    max_work = MAX_WORK if max_work is None else max_work
    n = table.n_states
    order = TABLE_TREE_ORDER[table.neighbourhood]
    position = {name: i for i, name in enumerate(("C",) + TABLE_NEIGHBOURS[table.neighbourhood])}
    variants = expand(table, where)
    outputs = [out for _, out in variants]
    masks = []
    for name in order:  # one [n, variants] table of allowed states per cell at a time
        allowed = np.zeros((n, len(variants)), bool)
        for v, (inputs, _) in enumerate(variants):
            allowed[list(inputs[position[name]]), v] = True
        masks.append([_bits(allowed[s]) for s in range(n)])
    # states with the same mask at a level lead to the same child: work out each class once
    classes = []
    for row in masks:
        by_mask: dict[int, list[int]] = {}
        for s, mask in enumerate(row):
            by_mask.setdefault(mask, []).append(s)
        classes.append(list(by_mask.items()))
    last = len(order) - 1
    nodes: list[tuple[int, tuple[int, ...]]] = []
    interned: dict[tuple[int, tuple[int, ...]], int] = {}
    memo: dict[tuple[int, int], int] = {}

    def intern(depth: int, values: tuple[int, ...]) -> int:
        key = (depth, values)
        found = interned.get(key)
        if found is None:
            if len(nodes) >= MAX_TREE_NODES:
                raise TooIntricate(f"the table compiles to over {MAX_TREE_NODES} tree nodes; "
                                 "expected a smaller rule", where=where or None)
            found = interned[key] = len(nodes)
            nodes.append(key)
        return found

    work = [0]

    def build(level: int, candidates: int) -> int:
        key = (level, candidates)
        found = memo.get(key)
        if found is not None:
            return found
        work[0] += len(classes[level])
        if work[0] > max_work:
            raise TooIntricate(f"the table is too intricate to compile into a tree (over "
                               f"{max_work} node children); expected fewer states or "
                               "transitions", where=where or None)
        values = list(range(n))  # at the centre, no transition left keeps the state
        for mask, states in classes[level]:
            left = candidates & mask
            if level == last:
                if left:
                    out = outputs[(left & -left).bit_length() - 1]
                    for s in states:
                        values[s] = out
            else:
                child = build(level + 1, left)
                for s in states:
                    values[s] = child
        node = intern(last - level + 1, tuple(values))
        memo[key] = node
        return node

    build(0, (1 << len(variants)) - 1)
    return Compiled(n, order, tuple(nodes))
