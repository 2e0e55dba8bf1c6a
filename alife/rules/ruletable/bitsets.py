"""Rule tables too intricate for a decision tree, run the way Golly's RuleTable algorithm runs
them: one bitset over the transitions per (neighbourhood cell, state), AND-ed at run time.

`from_table(table)` expands the transitions by their symmetry (`compile.expand`, Golly's order)
and, for each cell of the neighbourhood and each state, packs into 32-bit words which of the T
transitions allow that state there. A cell's next state is then the output of the lowest
transition whose bit survives the AND of its neighbourhood's masks (the first match), or its
own state when none does. The work is T/32 words a neighbourhood cell per cell update (Golly
does the same with 64-bit words), so it suits tables whose tree would be huge and grids that
are not: Golly's `AnimatedPixelArt` (253 states, Moore, 3,500 transitions) compiles to a
318,000-node tree in minutes, but to 9 x 253 x 113 words here in under a second.

The lookup is one int32 array (the masks, then the outputs), the rule's Params like the tree's.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.errors import AlifeError
from alife.core.topology import Topology, pad
from alife.rules.ruletable.compile import OFFSETS, TABLE_TREE_ORDER, expand
from alife.rules.ruletable.ruleformat import TABLE_NEIGHBOURS, Table

#: the most transitions a bitset table may have (its masks: cells x states x T/32 words)
MAX_TRANSITIONS = 1 << 16
#: neighbourhoods sampled for Langton's lambda (it cannot be counted on such tables)
LAMBDA_SAMPLES = 1 << 14


@dataclass(frozen=True, eq=False)
class BitsetTable:
    """`masks`: uint32 [cells, n_states, words], bit t of (cell, state): transition t allows
    that state at that cell; `outputs`: int32 [words * 32], -1 past the last transition."""

    n_states: int
    order: tuple[str, ...]
    masks: np.ndarray
    outputs: np.ndarray

    @property
    def offsets(self) -> tuple[tuple[int, int], ...]:
        return tuple(OFFSETS[name] for name in self.order)

    @property
    def dense_size(self) -> int:
        return self.n_states ** len(self.order)

    @property
    def words(self) -> int:
        return int(self.masks.shape[2])

    def lookup(self) -> np.ndarray:
        """The masks and the outputs in one int32 array (the rule's Params)."""
        return np.concatenate([self.masks.view(np.int32).ravel(), self.outputs])

    def next_state(self, cells: dict[str, int]) -> int:
        """The next state for one neighbourhood given by cell name (a reference, for tests)."""
        acc = np.full(self.words, 0xFFFFFFFF, np.uint32)
        for k, name in enumerate(self.order):
            acc &= self.masks[k, cells[name]]
        hits = np.nonzero(np.unpackbits(acc.view(np.uint8), bitorder="little"))[0]
        return int(self.outputs[hits[0]]) if hits.size else cells["C"]

    def langton_lambda(self) -> float:
        """Langton's lambda estimated on LAMBDA_SAMPLES random neighbourhoods (fixed seed)."""
        rng = np.random.default_rng(0)
        picks = rng.integers(0, self.n_states, (LAMBDA_SAMPLES, len(self.order)))
        alive = sum(self.next_state(dict(zip(self.order, (int(v) for v in row), strict=True)))
                    != 0 for row in picks)
        return alive / LAMBDA_SAMPLES


def from_table(table: Table, where: str = "") -> BitsetTable:
    """A @TABLE as bitsets (module docstring)."""
    n = table.n_states
    order = TABLE_TREE_ORDER[table.neighbourhood]
    position = {name: i for i, name in enumerate(("C",) + TABLE_NEIGHBOURS[table.neighbourhood])}
    variants = expand(table, where)
    if len(variants) > MAX_TRANSITIONS:
        raise AlifeError(f"the table expands to {len(variants)} transitions; expected at most "
                         f"{MAX_TRANSITIONS} for the bitset lookup", where=where or None)
    words = max(1, -(-len(variants) // 32))
    masks = np.zeros((len(order), n, words), np.uint32)
    for k, name in enumerate(order):
        allowed = np.zeros((n, words * 32), bool)
        for t, (inputs, _) in enumerate(variants):
            allowed[list(inputs[position[name]]), t] = True
        masks[k] = np.packbits(allowed, axis=1, bitorder="little").view(np.uint32)
    outputs = np.full(words * 32, -1, np.int32)
    outputs[:len(variants)] = [out for _, out in variants]
    return BitsetTable(n, order, masks, outputs)


def step(cells: jax.Array, lookup: jax.Array, offsets: tuple[tuple[int, int], ...],
         n_states: int, words: int, topology: Topology) -> jax.Array:
    """The next uint8 [H, W] grid: AND the masks of each cell's neighbourhood, take the first
    surviving transition's output, or keep the state."""
    h, w = cells.shape
    size = len(offsets) * n_states * words
    masks = lookup[:size].reshape(len(offsets), n_states, words)
    outputs = lookup[size:]
    padded = pad(cells, 1, topology)
    acc = None
    for k, (dy, dx) in enumerate(offsets):
        state = padded[1 + dy:1 + dy + h, 1 + dx:1 + dx + w].astype(jnp.int32)
        m = masks[k].at[state].get(mode="promise_in_bounds")  # [H, W, words]
        acc = m if acc is None else acc & m
    assert acc is not None
    hit = acc != 0
    word = jnp.argmax(hit, axis=-1)
    x = jnp.take_along_axis(acc, word[..., None], axis=-1)[..., 0]
    bit = jax.lax.population_count((x & -x) - 1)  # the lowest set bit's index
    index = jnp.minimum(word * 32 + bit, words * 32 - 1)  # no hit: any index, masked below
    out = outputs.at[index].get(mode="promise_in_bounds")
    return jnp.where(hit.any(-1), out, cells.astype(jnp.int32)).astype(jnp.uint8)
