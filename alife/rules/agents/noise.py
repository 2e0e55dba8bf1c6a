"""Genome noise for the agents family, drawn lean: the same numbers as `BrainSpec.normals` and
`BrainSpec.random`, bit for bit, without materialising them all at once.

`BrainSpec.normals(key, n)` gives leaf i the chunks `fold_in(split(key, leaves)[i], chunk)`, each
a `normal(chunk key, (n, CHUNK))` draw whose row r is genome r's slice. Two consumers paid for
more than they needed:

- a birth step drew all `max_births` rows although on average about 3 of 8 children are born
  (`mutate_rows` draws one row per child born, in a loop of as many turns as births);
- the founders (`init`, and the re-seed branch that every step's program carries) drew every
  chunk of every genome in one array, about 4x the genomes' size in temporaries: `fill` draws one
  chunk at a time into the genome's own buffer.

Row r alone: with `jax_threefry_partitionable` (jax's default) element e of a threefry draw is
`threefry2x32(key, (0, e))` with the two output words xor-ed, so row r of an `(n, CHUNK)` draw is
the counters `r x CHUNK + [0, CHUNK)` whatever n is. `normal_row` builds those bits with jax's own
threefry primitive and turns them into normals with the float steps of `jax.random.normal`
(uniform in (-1, 1) from the top 23 bits, then sqrt(2) erfinv); tests check it against
`jax.random.normal` bit for bit.
"""

from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.rules.agents.brain import CHUNK, BrainSpec, _fan_in

Array = jax.Array


def rows_independent() -> bool:
    """Whether row r of a normal draw is the same for every draw height (threefry
    partitionable, jax's default): `mutate_rows` relies on it."""
    return bool(jax.config.jax_threefry_partitionable)


def _layout(spec: BrainSpec) -> list[tuple[Any, tuple[int, ...], int, int, int]]:
    """Per leaf: (path, shape, size, chunks, first chunk), in `tree_flatten` order."""
    out, at = [], 0
    for path, leaf in jax.tree_util.tree_flatten_with_path(spec.template)[0]:
        shape = tuple(leaf.shape)
        size = math.prod(shape)
        chunks = -(-size // CHUNK)
        out.append((path, shape, size, chunks, at))
        at += chunks
    return out


def chunk_keys(spec: BrainSpec, key: Array) -> Array:
    """The `[chunks, 2]` keys of `BrainSpec.normals`: chunk j of leaf i is
    `fold_in(split(key, leaves)[i], j)`."""
    layout = _layout(spec)
    leaf_keys = jax.random.split(key, len(layout))
    owner = jnp.asarray([i for i, (_, _, _, c, _) in enumerate(layout) for _ in range(c)])
    index = jnp.asarray([j for (_, _, _, c, _) in layout for j in range(c)])
    return jax.vmap(jax.random.fold_in)(leaf_keys[owner], index)


#: Threefry-2x32's rotation distances, alternating by group of four rounds (Salmon et al. 2011)
_ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))


def _rotl(x: Array, d: int) -> Array:
    return (x << np.uint32(d)) | (x >> np.uint32(32 - d))


def threefry_unrolled(k1: Array, k2: Array, x1: Array, x2: Array) -> tuple[Array, Array]:
    """Threefry-2x32 (20 rounds, key injection every 4), the same words as jax's
    `threefry2x32_p`, written out round by round.

    jax lowers its primitive on CPU as a rolled loop of 5 turns, each writing the two word arrays
    out to memory; straight-line, XLA fuses the whole hash (and the float steps after it) into
    one pass: integer adds, shifts and xors, so the bits cannot differ."""
    ks = (k1, k2, k1 ^ k2 ^ np.uint32(0x1BD11BDA))
    a, b = x1 + ks[0], x2 + ks[1]
    for group in range(5):
        for r in _ROTATIONS[group % 2]:
            a = a + b
            b = _rotl(b, r) ^ a
        a = a + ks[(group + 1) % 3]
        b = b + ks[(group + 2) % 3] + np.uint32(group + 1)
    return a, b


def normal_row(keys: Array, row: Array) -> Array:
    """`[K, CHUNK]`: row `row` of `normal(keys[k], (n, CHUNK))` for each key (any n > row;
    needs `rows_independent()`)."""
    data = jax.random.key_data(keys) if jnp.issubdtype(keys.dtype, jax.dtypes.prng_key) else keys
    k1 = data[:, 0][:, None]
    k2 = data[:, 1][:, None]
    low = (jnp.asarray(row, jnp.uint32) * np.uint32(CHUNK)
           + jnp.arange(CHUNK, dtype=jnp.uint32))[None, :]
    high = jnp.zeros_like(low)
    shape = (keys.shape[0], CHUNK)
    b1, b2 = threefry_unrolled(*(jnp.broadcast_to(a, shape) for a in (k1, k2, high, low)))
    bits = b1 ^ b2
    # jax.random.uniform(minval=nextafter(-1, 0), maxval=1), then jax.random.normal's erfinv
    lo = jnp.asarray(np.nextafter(np.float32(-1.0), np.float32(0.0)), jnp.float32)
    hi = jnp.asarray(1.0, jnp.float32)
    mantissa = jax.lax.shift_right_logical(bits, jnp.asarray(32 - 23, jnp.uint32))
    one = jnp.asarray(np.array(1.0, np.float32).view(np.uint32), jnp.uint32)
    floats = jax.lax.bitcast_convert_type(mantissa | one, jnp.float32) - jnp.asarray(
        1.0, jnp.float32)
    uniform = jax.lax.max(lo, floats * (hi - lo) + lo)
    return jax.lax.mul(jnp.asarray(np.sqrt(2), jnp.float32), jax.lax.erf_inv(uniform))


def row_noise(spec: BrainSpec, keys: Array, row: Array) -> Any:
    """Genome row `row` of `spec.normals(key, n)` (any n > row), `keys = chunk_keys(spec,
    key)`: a pytree shaped like one genome."""
    draws = normal_row(keys, row)
    leaves = [draws[at:at + c].reshape(-1)[:size].reshape(shape)
              for _, shape, size, c, at in _layout(spec)]
    treedef = jax.tree_util.tree_structure(spec.template)
    return jax.tree_util.tree_unflatten(treedef, leaves)


def mutate_rows(spec: BrainSpec, key: Array, genome: Any, slot: Array, parent: Array,
                births: Array, std: Array) -> Any:
    """`genome` with `genome[slot[j]] = genome[parent[j]] + std x z_j` for j < births, z_j
    row j of `spec.normals(key, m)`: what a scatter of all m rows does when the births are a
    prefix of the m candidates and no parent is a child's slot (children take dead slots)."""
    keys = chunk_keys(spec, key)

    def one(j: Array, g: Any) -> Any:
        z = row_noise(spec, keys, j)
        return jax.tree_util.tree_map(
            lambda leaf, zl: leaf.at[slot[j]].set(leaf[parent[j]] + std * zl), g, z)

    return jax.lax.fori_loop(0, births, one, genome)


def _barrier(x: Array) -> Array:
    return jax.lax.optimization_barrier(x)


def fill(spec: BrainSpec, key: Array, n: int, into: Any = None) -> Any:
    """`spec.random(key, n)`, bit for bit, drawn one chunk at a time into `into` (a genome
    pytree `[n, ...]` to overwrite, or fresh zeros): kernels N(0, 1/fan_in), biases 0."""
    keys = chunk_keys(spec, key)
    targets = (jax.tree_util.tree_leaves(into) if into is not None
               else [None] * len(_layout(spec)))
    out = []
    for (path, shape, size, _chunks, at), target in zip(_layout(spec), targets, strict=True):
        if str(getattr(path[-1], "key", "")) == "bias":
            out.append(jnp.zeros((n,) + shape, jnp.float32))
            continue
        # XLA compiles `z / sqrt(fan_in)` (BrainSpec.random) as z times the float32
        # reciprocal; multiplying each chunk by it in place gives the same numbers (behind a
        # barrier: fused with the draw, XLA would fold it into the draw's sqrt(2) factor)
        recip = jnp.asarray(np.float32(1.0) / np.float32(math.sqrt(_fan_in(path, shape))))
        buf = (jnp.zeros((n, size), jnp.float32) if target is None
               else target.reshape(n, size))

        def chunk(j: Array, b: Array, at: int = at, recip: Array = recip) -> Array:
            z = _barrier(jax.random.normal(keys[at + j], (n, CHUNK), jnp.float32))
            return jax.lax.dynamic_update_slice(b, z * recip, (0, j * CHUNK))

        full = size // CHUNK
        if full:
            buf = jax.lax.fori_loop(0, full, chunk, buf)
        if size % CHUNK:
            z = _barrier(jax.random.normal(keys[at + full], (n, CHUNK), jnp.float32))
            z = z[:, :size % CHUNK]
            buf = jax.lax.dynamic_update_slice(buf, z * recip, (0, full * CHUNK))
        out.append(buf.reshape((n,) + shape))
    treedef = jax.tree_util.tree_structure(spec.template)
    return jax.tree_util.tree_unflatten(treedef, out)
