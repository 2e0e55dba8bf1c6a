"""B0 rules on the unbounded plane, emulated as Golly does (its QuickLife help, "Emulating B0
rules").

With B0 every empty cell is born, so an unbounded universe's background would come alive. Golly
keeps the background dead by storing the complement of the world where needed and stepping with
rules that have no B0:

- B0 and Smax (Smax: all neighbours alive keeps a cell alive, so a live background stays live):
  the complement is stored at every generation and stepped with NOT(R(NOT x)): birth from the
  survival table read backwards (`x` live neighbours of the complement is `max - x` of the world)
  and inverted, survival from the birth table likewise. AntiLife B0123478/S01234678 becomes Life.
- B0 without Smax: the background alternates, so the world is stored as it is at even
  generations and as its complement at odd ones; the even-generation step is NOT(R(x)) (both
  tables inverted) and the odd-generation step R(NOT x) (the tables read backwards, birth and
  survival swapped). B03/S23 becomes B1245678/S0145678 (even) and B56/S58 (odd), as in Golly.

The same holds for Hensel's isotropic tables here: their index is the 8-bit neighbour
configuration, and the complement's index is 255 minus it, so "read backwards" is again the
reversed table (Golly's letter swaps 4c <-> 4e and so on are this reversal written in letters).
As in Golly, what is shown and counted at an odd generation of a B0-without-Smax rule is the
stored complement: bgolly's populations are those, and so are ours.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp


def tables_for(birth: jax.Array, survive: jax.Array, generation: jax.Array
               ) -> tuple[jax.Array, jax.Array]:
    """The B0-free (birth, survive) tables that step generation `generation` of the stored
    world (module docstring); `birth[0]` must be set. Traced: works under jit."""
    back_birth, back_survive = birth[::-1], survive[::-1]
    smax = survive[-1]
    odd = (generation % 2) == 1
    # B0 with Smax: NOT R(NOT x) every generation
    with_smax = (~back_survive, ~back_birth)
    # B0 without Smax: NOT R(x) at even generations, R(NOT x) at odd ones
    even = (~birth, ~survive)
    odd_tables = (back_survive, back_birth)
    new_birth = jnp.where(smax, with_smax[0], jnp.where(odd, odd_tables[0], even[0]))
    new_survive = jnp.where(smax, with_smax[1], jnp.where(odd, odd_tables[1], even[1]))
    return new_birth, new_survive


def emulates(birth: frozenset[int], kind: str, states: int) -> bool:
    """Whether a parsed rule with this birth set, kind and state count has B0 and can be
    emulated (two-state totalistic or Hensel rules; Generations and Larger than Life B0 rules
    are not emulated, as in Golly)."""
    return 0 in birth and states == 2 and kind in ("totalistic", "hensel")
