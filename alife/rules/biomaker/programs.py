"""Biomaker agent programs: perception features, the minimal and extended nets, hand-set init.

Biomaker CA (Randazzo & Mordvintsev 2023): each agent cell runs its program's network on its 3x3
neighbourhood. A program is one flat row of `D = 4 * D_spec` floats: one block per
specialisation (unspecialised, root, leaf, flower; sexual flowers use the flower block).

Per block, the *minimal* net (183 floats) is linear and structured:
  - global outputs (11) = `Wg [12 x 11]` times global features `g` (12);
  - per-neighbour outputs (spawn-direction logit, earth and air to give) = `f_k . U [9 x 3]`
    plus a per-direction bias `B [8 x 3]`, with `f_k` the 9 features of neighbour k.
The *extended* net adds a 2-layer MLP (84 -> 32 -> 35, ReLU) on all features whose output is
added to the minimal one; its second layer is zero at init, so it starts as the minimal net
(3,875 more floats per block; 16,232 per program).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from alife.rules.biomaker.world import (
    EARTH,
    LEAF,
    OFFSETS,
    is_agent,
    is_intangible,
)

Array = jax.Array

G, F, NG, HIDDEN = 12, 9, 11, 32
OUT = 8 * 3 + NG  # 35
MINIMAL = G * NG + F * 3 + 8 * 3  # 183
EXTENDED = MINIMAL + (8 * F + G) * HIDDEN + HIDDEN + HIDDEN * OUT + OUT  # 4058
# global features
BIAS, EN, AN, MINE, I0, I1, AGE, NSAME, NOTHER, NAIR, NEARTH, NLEAF = range(G)
# global outputs
SWITCH, SHARE_E, SHARE_A, DI0, DI1, SPEC, REPRO = 0, 1, 2, 3, 4, 5, 10  # SPEC..SPEC+4
# per-neighbour features
SAME, OTHER, AIRF, EARTHF, HARD, ENK, ANK, PDE, PDA = range(F)
UP_DIRS, SIDE_DIRS, DOWN_DIRS = (0, 1, 2), (3, 4), (5, 6, 7)


def block_size(net: str) -> int:
    return EXTENDED if net == "extended" else MINIMAL


def features(types: Array, st: Array, ids: Array, rows: Array, cols: Array,
             fill_type: int) -> tuple[Array, Array]:
    """Features at agent cells `(rows, cols)` ([N] each): `f [N, 8, F]`, `g [N, G]`."""
    pt = jnp.pad(types, 1, constant_values=fill_type)
    ps = jnp.pad(st, ((1, 1), (1, 1), (0, 0)))
    pi = jnp.pad(ids, 1, constant_values=-1)
    dr = jnp.array([o[0] for o in OFFSETS]) + 1
    dc = jnp.array([o[1] for o in OFFSETS]) + 1
    r, c = rows[:, None] + dr, cols[:, None] + dc
    nt, ns, ni = pt[r, c], ps[r, c], pi[r, c]            # [N, 8], [N, 8, 6], [N, 8]
    own_s, own_i = ps[rows + 1, cols + 1], pi[rows + 1, cols + 1]
    agent = is_agent(nt)
    same = agent & (ni == own_i[:, None])
    air = is_intangible(nt)
    earth = nt == EARTH
    hard = ~(agent | air | earth)
    en, an = own_s[:, 2:3], own_s[:, 3:4]
    pde = same * jnp.maximum(en - ns[..., 2], 0.0)
    pda = same * jnp.maximum(an - ns[..., 3], 0.0)
    f = jnp.stack([same, agent & ~same, air, earth, hard], -1).astype(st.dtype)
    f = jnp.concatenate([f, ns[..., 2:4], pde[..., None], pda[..., None]], -1)
    cnt = lambda m: jnp.sum(m, axis=1).astype(st.dtype)  # noqa: E731
    g = jnp.stack([jnp.ones_like(en[:, 0]), en[:, 0], an[:, 0],
                   jnp.minimum(en, an)[:, 0], own_s[:, 4], own_s[:, 5], own_s[:, 1] * 0.01,
                   cnt(same), cnt(agent & ~same), cnt(air), cnt(earth),
                   cnt(same & (nt == LEAF))], -1)
    return f, g


def _matvec(x: Array, m: Array) -> Array:
    """Per-row `x [N, I] @ m [N, I, O]` as a multiply-reduce (XLA:CPU runs batched tiny dots as
    one small GEMM per row, ~15x slower)."""
    return jnp.sum(x[..., None] * m, axis=-2)


def run_nets(pool: Array, which: Array, f: Array, g: Array, net: str) -> tuple[Array, Array]:
    """Each agent's net: block `which [N]` (program id * 4 + specialisation) of the pool.

    Returns `(per-dir [N, 8, 3], glob [N, NG])`. Each weight piece is gathered as a contiguous
    window of the flat pool (gathering whole rows and slicing after, or slicing the pool first,
    copies megabytes per step on XLA:CPU).
    """
    n = which.shape[0]
    flat = pool.reshape(-1)
    d = block_size(net)

    def piece(start: int, *shape: int) -> Array:
        size = int(np.prod(shape))
        window = jax.vmap(lambda b: jax.lax.dynamic_slice(flat, (b * d + start,), (size,)))
        return window(which).reshape(n, *shape)

    glob = _matvec(g, piece(0, G, NG))
    per_dir = _matvec(f, piece(G * NG, 1, F, 3)) + piece(G * NG + F * 3, 8, 3)
    if net == "extended":
        i = 8 * F + G
        o = MINIMAL
        w1 = piece(o, i, HIDDEN)
        b1 = piece(o + i * HIDDEN, HIDDEN)
        o += i * HIDDEN + HIDDEN
        w2 = piece(o, HIDDEN, OUT)
        b2 = piece(o + HIDDEN * OUT, OUT)
        x = jnp.concatenate([f.reshape(n, 8 * F), g], -1)
        h = jax.nn.relu(_matvec(x, w1) + b1)
        y = _matvec(h, w2) + b2
        per_dir = per_dir + y[:, :24].reshape(n, 3, 8).transpose(0, 2, 1)
        glob = glob + y[:, 24:]
    return per_dir, glob


def _minimal_block(kind: str) -> np.ndarray:
    """Hand-set minimal weights of one specialisation block (see docs/biomaker.md)."""
    wg = np.zeros((G, NG), np.float32)
    u = np.zeros((F, 3), np.float32)
    b = np.zeros((8, 3), np.float32)
    spec = wg[:, SPEC: SPEC + 5]
    spec[BIAS] = [0.0, -5.0, -5.0, -10.0, -20.0]
    wg[BIAS, SWITCH] = -10.0
    wg[BIAS, REPRO] = -10.0
    if kind != "flower":
        u[PDE, 1] = u[PDA, 2] = 0.1                  # share nutrients with poorer kin
    if kind == "unspec":
        spec[BIAS, 1:3] = -1.0
        spec[NEARTH, 1], spec[NAIR, 1] = 1.0, -1.0   # root near earth
        spec[NAIR, 2], spec[NEARTH, 2] = 1.0, -1.0   # leaf near air
    elif kind in ("root", "leaf"):
        target = 1 if kind == "root" else 2
        spec[BIAS, target] = 5.0
        wg[BIAS, SWITCH], wg[MINE, SWITCH] = -2.0, 4.0
        wg[NSAME, SWITCH] = wg[NOTHER, SWITCH] = -2.0
        grow, avoid = (EARTHF, AIRF) if kind == "root" else (AIRF, EARTHF)
        u[grow, 0], u[avoid, 0] = 2.0, -4.0
        u[SAME, 0] = u[OTHER, 0] = u[HARD, 0] = -6.0
        u[ENK if kind == "root" else ANK, 0] = 0.3
        ahead, behind = (DOWN_DIRS, UP_DIRS) if kind == "root" else (UP_DIRS, DOWN_DIRS)
        b[list(ahead), 0] = 0.5
        b[ahead[1], 0] = 1.0
        b[list(behind), 0] = -3.0
        if kind == "leaf":                           # flower when rich, old and in the open
            spec[BIAS, 3] = -14.0
            spec[MINE, 3], spec[NAIR, 3], spec[AGE, 3] = 3.0, 1.0, 0.5
    else:  # flower
        spec[BIAS, 3] = 5.0
        wg[BIAS, REPRO], wg[MINE, REPRO] = -1.3, 1.0
    return np.concatenate([wg.ravel(), u.ravel(), b.ravel()])


def default_program(net: str, seed: int = 0) -> np.ndarray:
    """The hand-set program `[4 * D_spec]` that grows from a seed and reproduces."""
    blocks = []
    rng = np.random.default_rng(seed)
    for kind in ("unspec", "root", "leaf", "flower"):
        block = _minimal_block(kind)
        if net == "extended":
            i = 8 * F + G
            w1 = rng.normal(0.0, 1.0 / np.sqrt(i), (i * HIDDEN,)).astype(np.float32)
            rest = np.zeros(HIDDEN + HIDDEN * OUT + OUT, np.float32)
            block = np.concatenate([block, w1, rest])
        blocks.append(block)
    return np.concatenate(blocks).astype(np.float32)


def default_pool(net: str, pool: int) -> np.ndarray:
    """`[pool, D]`: every slot holds the default program."""
    return np.tile(default_program(net)[None], (pool, 1))
