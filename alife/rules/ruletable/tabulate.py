"""A next-state function of the von Neumann neighbourhood tabulated into a rule tree.

Rules defined by a formula rather than a table (von Neumann's 29-state CA and its 32-state
extensions, `alife.rules.ruletable.jvn`) become the same decision tree a `@TREE` gives
(`alife.rules.ruletable.compile.Compiled`), so they run on the same JAX kernel. The function
is evaluated on every neighbourhood at once (NumPy arrays of states, one slab of the table at a
time), then the table is folded into a tree from the bottom: the next states of one (N, W, E, S)
form a depth-1 node (one entry per centre state), identical rows share a node, and each level
up groups the node numbers of the level below the same way, in Golly's tree order N, W, E, S, C.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from alife.core.errors import AlifeError
from alife.rules.ruletable.compile import Compiled
from alife.rules.ruletable.ruleformat import TREE_ORDER

#: f(c, n, e, s, w) -> next states, all int arrays of one shape
NextState = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray]
#: the most entries a tabulated table may have (32 states: 33.5 M)
MAX_ENTRIES = 1 << 26


def table(next_state: NextState, n_states: int) -> np.ndarray:
    """uint8 [n, n, n, n, n]: the next state indexed [N, W, E, S, C] (Golly's tree order)."""
    n = n_states
    if n ** 5 > MAX_ENTRIES:
        raise AlifeError(f"a {n}-state von Neumann table has {n ** 5} entries; expected at most "
                         f"{MAX_ENTRIES}")
    out = np.empty((n, n, n, n, n), np.uint8)
    w, e, s, c = (a.ravel() for a in np.meshgrid(*(np.arange(n, dtype=np.int16),) * 4,
                                                   indexing="ij"))
    for north in range(n):  # one slab of n**4 entries at a time bounds the memory
        nn = np.full_like(c, north)
        result = np.asarray(next_state(c, nn, e, s, w))
        if result.min() < 0 or result.max() >= n:
            bad = int(result[(result < 0) | (result >= n)][0])
            raise AlifeError(f"the rule's next-state function gave state {bad}; expected "
                             f"0..{n - 1}")
        out[north] = result.reshape(n, n, n, n)
    return out


def _unique_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct rows in first-seen order, each row's number among them)."""
    packed = np.ascontiguousarray(rows).view(np.dtype((np.void, rows.dtype.itemsize
                                                        * rows.shape[1]))).ravel()
    _, first, inverse = np.unique(packed, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # number the rows in the order they first occur
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return rows[first[order]], rank[inverse.ravel()]


def tree_from_table(full: np.ndarray) -> Compiled:
    """The decision tree of a [N, W, E, S, C] table (module docstring)."""
    n = full.shape[0]
    nodes: list[tuple[int, tuple[int, ...]]] = []
    current = full.reshape(-1, n).astype(np.int64)  # rows: the centre's next states
    depth, child_start = 1, 0
    while True:
        distinct, number = _unique_rows(current)
        shift = child_start if depth > 1 else 0  # children are numbered within their level
        level_start = len(nodes)
        nodes += [(depth, tuple(int(v) + shift for v in row)) for row in distinct]
        if current.shape[0] == 1:
            return Compiled(n, TREE_ORDER[4], tuple(nodes))
        current, child_start, depth = number.reshape(-1, n), level_start, depth + 1


def compile_function(next_state: NextState, n_states: int) -> Compiled:
    """`next_state` tabulated on every von Neumann neighbourhood and folded into a tree."""
    return tree_from_table(table(next_state, n_states))
