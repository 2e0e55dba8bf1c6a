"""Bit-packed fast path for 2-state Life-like rules: 32 cells per uint32 word, bitwise adders.

The grid `[H, W]` is stored as `[H, W // 32]` uint32 words; cell `x` of a row is bit `x % 32`
of word `x // 32` (bit 0 = leftmost cell of the word). One step:

1. pad the words once (wrap for a torus, zeros for a plane) and slice, never `jnp.roll`
   (rolls are 50-100x slower on XLA:CPU, ARCHITECTURE.md);
2. build each cell's west/east neighbour words with shifts that carry one bit in from the
   adjacent word;
3. add the neighbours with bitwise half/full adders into count bit-planes (bit-slicing: one
   bitwise op updates 32 cells), sharing the horizontal 3-sums between the rows above and below;
4. look the next state up in the traced birth/survive tables with a multiplexer tree over the
   count bits. The tables are Params, so changing B/S does not recompile.

Neighbourhoods: "moore" (8), "vonneumann" (4), "hex" (6: Golly's emulation on a square grid,
the Moore neighbourhood without the top-right and bottom-left cells). Topologies: torus and
plane (dead cells outside). Other topologies, W not a multiple of 32 and multi-state rules take
the generic kernels of `alife.rules.life` (see `supports`).

Cost: ~27 bitwise ops per word for the Moore count and ~42 for the table lookup.

`advance` runs many generations keeping the words padded in two buffers that take turns (no
re-padding per step); `LifeRule` uses it through the `FastAdvance` capability.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from alife.core.topology import Topology

WORD = 32
NEIGHBOURS = {"moore": 8, "vonneumann": 4, "hex": 6}
_ONES = 0xFFFFFFFF


def supports(neighbourhood: str, num_states: int, shape: tuple[int, int],
             topology: Topology) -> bool:
    """Whether this kernel can run the rule: 2 states, a known neighbourhood, a torus or plane,
    and a width that is a positive multiple of 32 (H >= 1 of any size)."""
    h, w = shape
    return (
        num_states == 2
        and neighbourhood in NEIGHBOURS
        and topology.kind in ("torus", "plane")
        and h >= 1
        and w >= WORD
        and w % WORD == 0
    )


def encode(cells: jax.Array) -> jax.Array:
    """Pack a `[H, W]` grid of 0/1 cells (any int/bool dtype; non-zero = alive) into
    `[H, W // 32]` uint32 words."""
    h, w = cells.shape
    bits = (cells != 0).astype(jnp.uint32).reshape(h, w // WORD, WORD)
    weights = jnp.left_shift(jnp.uint32(1), jnp.arange(WORD, dtype=jnp.uint32))
    return jnp.sum(bits * weights, axis=-1, dtype=jnp.uint32)


def decode(data: jax.Array, shape: tuple[int, int]) -> jax.Array:
    """Unpack `[H, W // 32]` words into the `[H, W]` uint8 grid of 0/1 cells."""
    h, w = shape
    shifts = jnp.arange(WORD, dtype=jnp.uint32)
    bits = jnp.right_shift(data[..., None], shifts) & jnp.uint32(1)
    return bits.reshape(h, w).astype(jnp.uint8)


def _pad(data: jax.Array, topology: Topology) -> jax.Array:
    """Pad one row and one word on every side: `[H + 2, nw + 2]`."""
    mode = "wrap" if topology.kind == "torus" else "constant"
    return jnp.pad(data, ((1, 1), (1, 1)), mode=mode)


def _half(a: jax.Array, b: jax.Array) -> tuple[jax.Array, jax.Array]:
    """a + b as (sum bit, carry bit)."""
    return a ^ b, a & b


def _full(a: jax.Array, b: jax.Array, c: jax.Array) -> tuple[jax.Array, jax.Array]:
    """a + b + c as (sum bit, carry bit)."""
    ab = a ^ b
    return ab ^ c, (a & b) | (c & ab)


def _add3_two_bit(u: tuple, d: tuple, m: tuple) -> list[jax.Array]:
    """Sum of three 2-bit numbers (lo, hi), each at most 3, as bit-planes [b0, b1, b2, b3]."""
    b0, c0 = _full(u[0], d[0], m[0])
    t, k1 = _full(u[1], d[1], m[1])
    b1, k2 = _half(t, c0)
    b2, b3 = _half(k1, k2)
    return [b0, b1, b2, b3]


def _counts(p: jax.Array, neighbourhood: str) -> tuple[jax.Array, list[jax.Array]]:
    """From the padded words `[H+2, nw+2]`: the centre words `[H, nw]` and the neighbour count
    as bit-planes (least significant first), each `[H, nw]`."""
    c = p[:, 1:-1]
    w = (c << 1) | (p[:, :-2] >> (WORD - 1))  # w[x] = cell x - 1
    e = (c >> 1) | (p[:, 2:] << (WORD - 1))  # e[x] = cell x + 1
    up, mid, down = slice(0, -2), slice(1, -1), slice(2, None)
    if neighbourhood == "vonneumann":
        s, k = _full(c[up], c[down], w[mid])
        b0, carry = _half(s, e[mid])
        b1, b2 = _half(k, carry)
        return c[mid], [b0, b1, b2]
    if neighbourhood == "hex":
        u = _half(w[up], c[up])  # NW, N
        d = _half(c[down], e[down])  # S, SE
        m = _half(w[mid], e[mid])  # W, E
        return c[mid], _add3_two_bit(u, d, m)[:3]
    row = _full(w, c, e)  # horizontal 3-sums of every padded row, shared by up and down
    u = (row[0][up], row[1][up])
    d = (row[0][down], row[1][down])
    m = _half(w[mid], e[mid])
    return c[mid], _add3_two_bit(u, d, m)


def _mux(lo, hi, bit: jax.Array):
    """bit ? hi : lo, bitwise; `None` marks a table entry that cannot occur."""
    if hi is None:
        return lo
    if lo is None:
        return hi
    return lo ^ ((lo ^ hi) & bit)


def _lookup(entries: list, bits: list[jax.Array]) -> jax.Array:
    """Select entries[count] per bit, where count is given by its bit-planes (LSB first)."""
    level = list(entries) + [None] * ((1 << len(bits)) - len(entries))
    for bit in bits:
        level = [_mux(level[i], level[i + 1], bit) for i in range(0, len(level), 2)]
    return level[0]


def _rule_masks(birth: jax.Array, survive: jax.Array, n: int) -> tuple[list, list]:
    """The birth and survive tables as all-ones / all-zero uint32 scalars, one per count."""
    ones, zero = jnp.uint32(_ONES), jnp.uint32(0)
    mb = jnp.where(jnp.asarray(birth, bool), ones, zero)
    ms = jnp.where(jnp.asarray(survive, bool), ones, zero)
    return [mb[k] for k in range(n + 1)], [ms[k] for k in range(n + 1)]


def _next(alive: jax.Array, bits: list[jax.Array], masks: tuple[list, list]) -> jax.Array:
    """Next words from the centre words and the count bit-planes."""
    mb, ms = masks
    # entry k = birth[k] for dead cells, survive[k] for live ones (scalar masks, 2 ops a word)
    entries = [b ^ ((b ^ s) & alive) for b, s in zip(mb, ms, strict=True)]
    return _lookup(entries, bits)


def step(data: jax.Array, birth: jax.Array, survive: jax.Array, neighbourhood: str,
         topology: Topology) -> jax.Array:
    """One generation on packed words `[H, W // 32]`.

    `birth`, `survive`: bool `[N + 1]` (N = 8, 4, 6 for moore, vonneumann, hex); entry k says
    whether a dead cell with k live neighbours is born / a live one survives. Traced, so a new
    rule reuses the compiled step.
    """
    masks = _rule_masks(birth, survive, NEIGHBOURS[neighbourhood])
    alive, bits = _counts(_pad(data, topology), neighbourhood)
    return _next(alive, bits, masks)


def _wrap_halo(p: jax.Array) -> jax.Array:
    """Refill the one-word halo of padded torus words `[H + 2, nw + 2]` from the far side.

    The halo values are read into small arrays first, behind an optimisation barrier that the
    writes depend on, so XLA updates the buffer in place (otherwise it fused the reads into the
    writes and copied the whole buffer to keep the version they read).
    """
    h, nw = p.shape[0] - 2, p.shape[1] - 2
    left, right = p[1:h + 1, nw:nw + 1], p[1:h + 1, 1:2]
    top = jnp.concatenate([p[h:h + 1, nw:nw + 1], p[h:h + 1, 1:nw + 1], p[h:h + 1, 1:2]], axis=1)
    bottom = jnp.concatenate([p[1:2, nw:nw + 1], p[1:2, 1:nw + 1], p[1:2, 1:2]], axis=1)
    p, left, right, top, bottom = jax.lax.optimization_barrier((p, left, right, top, bottom))
    p = jax.lax.dynamic_update_slice(p, left, (1, 0))
    p = jax.lax.dynamic_update_slice(p, right, (1, nw + 1))
    p = jax.lax.dynamic_update_slice(p, top, (0, 0))
    return jax.lax.dynamic_update_slice(p, bottom, (h + 1, 0))


def advance(data: jax.Array, birth: jax.Array, survive: jax.Array, neighbourhood: str,
            topology: Topology, steps: jax.Array | int) -> jax.Array:
    """`steps` generations (may be traced) on packed words `[H, W // 32]`: the same words as
    `steps` calls of `step`, faster.

    The words are padded once and stay padded: two `[H + 2, nw + 2]` buffers take turns as
    source and target, each step writes its result into the other's interior in place (a
    dynamic-update-slice XLA does not copy) and, on a torus, refills the one-word halo (a plane's
    halo stays dead). `step` pads afresh every generation, a copy of the grid that cost about half
    of the step's time at 1024^2 (benchmarks/README.md, "Roofline").
    """
    masks = _rule_masks(birth, survive, NEIGHBOURS[neighbourhood])
    torus = topology.kind == "torus"

    def one(src: jax.Array, dst: jax.Array) -> jax.Array:
        alive, bits = _counts(src, neighbourhood)
        dst = jax.lax.dynamic_update_slice(dst, _next(alive, bits, masks), (1, 1))
        return _wrap_halo(dst) if torus else dst

    def two(_: jax.Array, pair: tuple[jax.Array, jax.Array]) -> tuple[jax.Array, jax.Array]:
        a, b = pair  # two steps, a -> b -> a: the buffers never swap places in the loop's carry
        b = one(a, b)  # (a swap makes XLA copy both buffers every iteration)
        return one(b, a), b

    padded = _pad(data, topology)
    steps = jnp.asarray(steps, jnp.int32)
    a, b = jax.lax.fori_loop(0, steps // 2, two, (padded, padded))
    final = jax.lax.cond(steps % 2 == 1, one, lambda a, _: a, a, b)
    return final[1:-1, 1:-1]
