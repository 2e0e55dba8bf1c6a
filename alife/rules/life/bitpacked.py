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
re-padding per step; rows shorter than 32 words transposed, with a halo wide enough to be
refilled only every 8 generations: `_loop`); `LifeRule` uses it through the `FastAdvance`
capability. Given the rule
the caller was built with (`fixed`), it also compiles that rule's lookup with the tables as
constants (B3/S23: 5 ops a word instead of ~42) and takes it whenever the params' tables are
that rule, deciding once per call (`_fixed_next`, `_guarded`); other tables run the traced
lookup, so a new B/S still never recompiles.
"""

from __future__ import annotations

from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np

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


def _counts(p: jax.Array, neighbourhood: str,
            transposed: bool = False) -> tuple[jax.Array, list[jax.Array]]:
    """From the padded words `[H+2, nw+2]`: the centre words `[H, nw]` and the neighbour count
    as bit-planes (least significant first), each `[H, nw]`. `transposed`: the words are
    `[nw+2, H+2]` (axis 0 the word, axis 1 the row) and so is everything returned."""
    if transposed:
        c, west, east = p[1:-1, :], p[:-2, :], p[2:, :]
        up, mid, down = ((slice(None), slice(0, -2)), (slice(None), slice(1, -1)),
                         (slice(None), slice(2, None)))
    else:
        c, west, east = p[:, 1:-1], p[:, :-2], p[:, 2:]
        up, mid, down = slice(0, -2), slice(1, -1), slice(2, None)
    w = (c << 1) | (west >> (WORD - 1))  # w[x] = cell x - 1
    e = (c >> 1) | (east << (WORD - 1))  # e[x] = cell x + 1
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


def _mux_fixed(lo, hi, bit: jax.Array):
    """`_mux` where an entry may also be a known constant word (0 or `_ONES`, Python ints):
    the multiplexer folds into 0-2 ops, or none."""
    if hi is None or (isinstance(lo, int) and isinstance(hi, int) and lo == hi) or lo is hi:
        return lo
    if lo is None:
        return hi
    if isinstance(lo, int) and isinstance(hi, int):  # 0, ONES or ONES, 0
        return bit if lo == 0 else ~bit
    if isinstance(lo, int):
        return hi & bit if lo == 0 else hi | ~bit
    if isinstance(hi, int):
        return lo & ~bit if hi == 0 else lo | bit
    return lo ^ ((lo ^ hi) & bit)


def _fixed_next(alive: jax.Array, bits: list[jax.Array], birth: frozenset[int],
                survive: frozenset[int], n: int) -> jax.Array:
    """`_next` for tables known at trace time (the counts in `birth` and `survive`, 0..n): the
    same multiplexer tree with its constant entries folded away (B3/S23 becomes
    `(alive | b0) & b1 & ~b2 & ~b3`)."""
    dead = ~alive
    table = {(False, False): 0, (True, True): _ONES, (False, True): alive, (True, False): dead}
    level = [table[(k in birth, k in survive)] for k in range(n + 1)]
    level += [None] * ((1 << len(bits)) - len(level))
    for bit in bits:
        level = [_mux_fixed(level[i], level[i + 1], bit) for i in range(0, len(level), 2)]
    word = level[0]
    return jnp.full_like(alive, word) if isinstance(word, int) else word


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


#: generations between two re-paddings of the transposed words (`_loop_transposed`)
BLOCK = 8
#: rows of at least this many words run row by row (`_loop_rows`), shorter ones transposed
ROW_WORDS = 32


def _halo_rows(h: int) -> int:
    """Rows of halo on each side for `_loop_transposed`: more than `BLOCK`, and, for an even
    H, as many as make the computed rows (`h + 2 * halo - 2`) a multiple of 16 (whole 512-bit
    vectors of uint32)."""
    return next((r for r in range(BLOCK + 1, BLOCK + 9) if (h + 2 * r - 2) % 16 == 0),
                BLOCK + 1)


def _loop(data: jax.Array, steps: jax.Array, next_words: Callable, neighbourhood: str,
          topology: Topology) -> jax.Array:
    """`steps` generations of packed words `[H, nw]`; the next words come from
    `next_words(alive, count bit-planes)` (`advance`). Rows of `ROW_WORDS` words or more
    (W >= 1024) run as they are (`_loop_rows`), shorter ones transposed (`_loop_transposed`):
    XLA vectorises along the rows, and a row of 8 words (W = 256) left most of a 512-bit vector
    idle (256^2 ran ~8x slower per cell than 1024^2), while the transposed loop's long rows
    leave the L1 cache at W = 4096 (~20% slower than row by row there)."""
    run = _loop_rows if data.shape[1] >= ROW_WORDS else _loop_transposed
    return run(data, steps, next_words, neighbourhood, topology)


def _wrap_halo(p: jax.Array) -> jax.Array:
    """Refill the one-word halo of padded torus words `[H + 2, nw + 2]` from the far side.

    Every halo value is gathered into one small array first (one read of the buffer), and the
    four writes read only that array, so XLA updates the buffer in place. With a read per
    write, XLA fused the reads into the writes and copied the whole buffer twice a step to keep
    the version they read (a third of the step's time at 1024^2).
    """
    h, nw = p.shape[0] - 2, p.shape[1] - 2

    def wrapped_row(y: int) -> jax.Array:  # interior row y with its wrapped corner words
        return jnp.concatenate([p[y, nw:nw + 1], p[y, 1:nw + 1], p[y, 1:2]])

    ring = jnp.concatenate([p[1:h + 1, nw], p[1:h + 1, 1], wrapped_row(h), wrapped_row(1)])
    ring = jax.lax.optimization_barrier(ring)
    left, right = ring[:h].reshape(h, 1), ring[h:2 * h].reshape(h, 1)
    top = ring[2 * h:2 * h + nw + 2].reshape(1, nw + 2)
    bottom = ring[2 * h + nw + 2:].reshape(1, nw + 2)
    p = jax.lax.dynamic_update_slice(p, left, (1, 0))
    p = jax.lax.dynamic_update_slice(p, right, (1, nw + 1))
    p = jax.lax.dynamic_update_slice(p, top, (0, 0))
    return jax.lax.dynamic_update_slice(p, bottom, (h + 1, 0))


def _loop_rows(data: jax.Array, steps: jax.Array, next_words: Callable, neighbourhood: str,
               topology: Topology) -> jax.Array:
    """`_loop` for rows of at least `ROW_WORDS` words: the words stay as they are, padded by
    one word and one row in two buffers that take turns; every step refills the torus halo."""
    torus = topology.kind == "torus"

    def one(src: jax.Array, dst: jax.Array) -> jax.Array:
        alive, bits = _counts(src, neighbourhood)
        dst = jax.lax.dynamic_update_slice(dst, next_words(alive, bits), (1, 1))
        return _wrap_halo(dst) if torus else dst

    def two(_: jax.Array, pair: tuple[jax.Array, jax.Array]) -> tuple[jax.Array, jax.Array]:
        a, b = pair  # two steps, a -> b -> a: the buffers never swap places in the loop's carry
        b = one(a, b)  # (a swap makes XLA copy both buffers every iteration)
        return one(b, a), b

    padded = _pad(data, topology)
    a, b = jax.lax.fori_loop(0, steps // 2, two, (padded, padded))
    final = jax.lax.cond(steps % 2 == 1, one, lambda a, _: a, a, b)
    return final[1:-1, 1:-1]


def _loop_transposed(data: jax.Array, steps: jax.Array, next_words: Callable,
                     neighbourhood: str, topology: Topology) -> jax.Array:
    """`_loop` for short rows. The words are transposed (`[nw, H]`: the long, contiguous axis
    is the rows, so the vectorised loop runs over H + halo words) and padded by 2 words and
    `_halo_rows(H)` rows on each side. Every step computes the whole buffer but its outer
    ring, halo included, into the other buffer, so no step refills a halo: a wrong value enters
    only from the never-written ring, one cell a generation (32 cells across a halo word, 9+ rows
    across the halo rows), so the interior stays exact for `BLOCK` generations, after which
    the interior is padded afresh. A plane's halo is masked to dead every step instead (a birth
    there would otherwise reach the interior).
    """
    h, nw = data.shape
    ry = _halo_rows(h)
    torus = topology.kind == "torus"

    def pad(words_t: jax.Array) -> jax.Array:
        return jnp.pad(words_t, ((2, 2), (ry, ry)), mode="wrap" if torus else "constant")

    def interior(p: jax.Array) -> jax.Array:
        return p[2:nw + 2, ry:ry + h]

    def one(src: jax.Array, dst: jax.Array) -> jax.Array:
        alive, bits = _counts(src, neighbourhood, transposed=True)
        words = next_words(alive, bits)
        if not torus:  # output (i, k) is buffer (i + 1, k + 1): dead outside the interior
            i = jax.lax.broadcasted_iota(jnp.int32, words.shape, 0)
            k = jax.lax.broadcasted_iota(jnp.int32, words.shape, 1)
            inside = (i >= 1) & (i <= nw) & (k >= ry - 1) & (k < ry - 1 + h)
            words = jnp.where(inside, words, jnp.uint32(0))
        return jax.lax.dynamic_update_slice(dst, words, (1, 1))

    def two(_: jax.Array, pair: tuple[jax.Array, jax.Array]) -> tuple[jax.Array, jax.Array]:
        a, b = pair  # two steps, a -> b -> a: the buffers never swap places in the loop's carry
        b = one(a, b)  # (a swap makes XLA copy both buffers every iteration)
        return one(b, a), b

    pairs, per_block = steps // 2, BLOCK // 2

    def block(j: jax.Array, pair: tuple[jax.Array, jax.Array]) -> tuple[jax.Array, jax.Array]:
        a, b = jax.lax.fori_loop(0, jnp.minimum(per_block, pairs - j * per_block), two, pair)
        return pad(interior(a)), b

    a = pad(data.T)
    a, b = jax.lax.fori_loop(0, (pairs + per_block - 1) // per_block, block, (a, a))
    final = jax.lax.cond(steps % 2 == 1, one, lambda a, _: a, a, b)
    return interior(final).T


def _guarded(guarded: Callable, traced: Callable) -> Callable:
    """`guarded(data, birth, survive, steps)` (which picks the fixed-table loop with a `cond`)
    under a batching rule: where `vmap` batches the tables, the `cond` would turn into a select
    that runs both loops, so a batch over tables runs `traced` alone; a batch over words or
    steps keeps the `cond` (its predicate is not batched)."""
    fn = jax.custom_batching.custom_vmap(guarded)

    @fn.def_vmap
    def _batched(axis_size: int, in_batched: list, *args: jax.Array) -> tuple[jax.Array, bool]:
        del axis_size
        if not any(in_batched):
            return guarded(*args), False
        body = traced if (in_batched[1] or in_batched[2]) else guarded
        axes = tuple(0 if b else None for b in in_batched)
        return jax.vmap(body, in_axes=axes)(*args), True

    return fn


def advance(data: jax.Array, birth: jax.Array, survive: jax.Array, neighbourhood: str,
            topology: Topology, steps: jax.Array | int,
            fixed: tuple[frozenset[int], frozenset[int]] | None = None) -> jax.Array:
    """`steps` generations (may be traced) on packed words `[H, W // 32]`: the same words as
    `steps` calls of `step`, faster.

    The words stay padded (`_loop`): two buffers take turns as source and target, each step
    writes the other in place (a dynamic-update-slice XLA does not copy) and refills the torus
    halo, or, for rows shorter than `ROW_WORDS` words, the buffers are transposed with a halo
    wide enough to be refilled only every `BLOCK` generations. `step` pads afresh
    every generation, a copy of the grid that cost about half of the step's time at 1024^2
    (benchmarks/README.md, "Roofline").

    `fixed`: the (birth, survive) counts of the rule the caller was built with. The tables are
    then compared with it once per call: equal, the loop runs a lookup compiled with those
    tables as constants (`_fixed_next`); otherwise the traced lookup. Same words either way.
    """
    n = NEIGHBOURS[neighbourhood]
    steps = jnp.asarray(steps, jnp.int32)

    def traced(d: jax.Array, b: jax.Array, s: jax.Array, k: jax.Array) -> jax.Array:
        masks = _rule_masks(b, s, n)
        return _loop(d, k, lambda alive, bits: _next(alive, bits, masks), neighbourhood,
                     topology)

    if fixed is None:
        return traced(data, birth, survive, steps)
    fb, fs = frozenset(fixed[0]), frozenset(fixed[1])
    want_b = np.array([k in fb for k in range(n + 1)])
    want_s = np.array([k in fs for k in range(n + 1)])

    def guarded(d: jax.Array, b: jax.Array, s: jax.Array, k: jax.Array) -> jax.Array:
        b, s = jnp.asarray(b, bool), jnp.asarray(s, bool)
        if b.shape != want_b.shape or s.shape != want_s.shape:
            return traced(d, b, s, k)
        same = jnp.all(b == want_b) & jnp.all(s == want_s)
        return jax.lax.cond(
            same,
            lambda: _loop(d, k, lambda alive, bits: _fixed_next(alive, bits, fb, fs, n),
                          neighbourhood, topology),
            lambda: traced(d, b, s, k))

    return _guarded(guarded, traced)(data, birth, survive, steps)
