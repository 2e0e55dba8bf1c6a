"""The Particle Life force law and one integration step, as pure JAX functions.

Distances are in cells on a torus of `size = (H, W)`; positions are (row, col) floats in
[0, H) x [0, W). Between particle i (type a) and particle j (type b) at torus distance d, with
`r = r_max` and `q = d / r`:

    F(q) = q / beta - 1                                        for q < beta   (repulsion)
    F(q) = matrix[a, b] * (1 - |2 q - 1 - beta| / (1 - beta))  for beta <= q < 1
    F(q) = 0                                                   for q >= 1

(the second line is `1 - |2d - r(1 + beta)| / (r(1 - beta))` in cell units: a tent that is 0
at d = beta r and d = r and peaks at `matrix[a, b]` half-way). A positive F pulls i towards j.
The acceleration of i is `r_max * force * sum_j F(q_ij) * u_ij` (u_ij the unit vector from i to
j, by the minimum-image convention), then, as in Mohr's Particle Life:

    v <- v * 0.5 ** (dt / half_life) + a * dt        x <- (x + v * dt) mod size

All pairs are computed at once (`[N, N]` arrays): O(N^2) time and memory, fine on one device
for N up to about a thousand (a million pairs); a larger world would want a cell list.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

Array = jax.Array
#: pairs closer than this (in cells) exert no force: their direction is undefined
TOUCH = 1e-6


def wrap_delta(delta: Array, size: Array) -> Array:
    """Minimum-image differences on a torus: each component mapped into [-size/2, size/2)."""
    return jnp.mod(delta + size / 2, size) - size / 2


def wrap_position(position: Array, size: Array) -> Array:
    """Positions folded into [0, size) (float rounding can make `mod` return `size` itself)."""
    folded = jnp.mod(position, size)
    return jnp.where(folded >= size, folded - size, folded)


def pair_deltas(position: Array, size: Array) -> tuple[Array, Array]:
    """(delta [N, N, 2] from i to j by minimum image, distance [N, N])."""
    delta = wrap_delta(position[None, :, :] - position[:, None, :], size)
    return delta, jnp.sqrt(jnp.sum(delta * delta, axis=-1))


def kernel(q: Array, attraction: Array, beta: Array) -> Array:
    """F(q) of the module docstring, for distances `q = d / r_max` (any shape)."""
    repel = q / beta - 1.0
    tent = attraction * (1.0 - jnp.abs(2.0 * q - 1.0 - beta) / (1.0 - beta))
    return jnp.where(q < beta, repel, jnp.where(q < 1.0, tent, 0.0))


def acceleration(position: Array, kind: Array, alive: Array, matrix: Array, r_max: Array,
                 beta: Array, force: Array, size: Array) -> Array:
    """The `[N, 2]` acceleration of every particle (zero for dead slots)."""
    delta, dist = pair_deltas(position, size)
    attraction = jnp.clip(matrix, -1.0, 1.0)[kind[:, None], kind[None, :]]
    strength = kernel(dist / r_max, attraction, beta)
    n = alive.shape[0]
    pair = alive[:, None] & alive[None, :] & ~jnp.eye(n, dtype=bool) & (dist > TOUCH)
    unit = delta / jnp.where(pair, dist, 1.0)[..., None]
    total = jnp.sum(jnp.where(pair, strength, 0.0)[..., None] * unit, axis=1)
    return r_max * force * total


def integrate(position: Array, velocity: Array, kind: Array, alive: Array, matrix: Array,
              r_max: Array, beta: Array, force: Array, half_life: Array, dt: Array,
              size: Array) -> tuple[Array, Array]:
    """One step: (position, velocity) after friction, the forces and a move (dead slots kept).

    `r_max` is capped at half the shorter side, so the nearest image is the only one in reach;
    `beta` is kept in [0.01, 0.99] and `half_life` above 0, so no params divide by zero.
    """
    reach = jnp.clip(r_max, 1e-3, jnp.min(size) / 2)
    beta = jnp.clip(beta, 0.01, 0.99)
    acc = acceleration(position, kind, alive, matrix, reach, beta, force, size)
    new_velocity = velocity * 0.5 ** (dt / jnp.maximum(half_life, 1e-6)) + acc * dt
    new_position = wrap_position(position + new_velocity * dt, size)
    keep = alive[:, None]
    return jnp.where(keep, new_position, position), jnp.where(keep, new_velocity, velocity)
