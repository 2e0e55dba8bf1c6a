"""Hutton32 (Tim Hutton, 2008): von Neumann's states (with Nobili's crossings) under a
modified rule in which a single ordinary-transmission line is a construction arm.

Hutton's notes in Golly (jvnalgo.cpp) define it as JvN29/Nobili32 except:

1. the end of an OTS wire that is writing a new cell marks itself with an excited OTS or an
   excited STS (bits 1 and 0) and returns to a plain OTS afterwards;
2. a sensitised cell that becomes an arrow takes its direction from the excited arrow
   pointing at it (relative turns: `10000` forward, `10001` turn left, `1001` reverse, `1010`
   turn right; `1011`, `1100`, `1101`, `1110` an STS forward, left, reverse, right; `1111` a
   confluent cell), so construction is rotation invariant;
3. an OTS whose output is a sensitised cell about to become an OTS goes back to the ground
   state if any of its inputs is 1 (write and retract), else quiesces;
4. an OTS whose output is about to become a confluent cell goes back to `S` if any input is 1,
   else to the ground state;
5. an OTS whose output is a quiescent STS goes back to the ground state if any input is 1.

Elsewhere: an excited STS arrow destroys an OTS or a confluent cell; an STS line builds only
forward OTS cells (an excited STS turns the ground cell it points at into an OTS pointing the
same way); confluent cells are ANDs of their excited OTS inputs (a quiescent OTS input blocks
them) with the two-step delay, and a confluent cell with exactly two transmission inputs and
two outputs is a crossing, as in Nobili32. Hutton's notes say OTS cells can no longer destroy
STS cells, but his rule as Golly runs it still lets an excited OTS arrow destroy a plain STS
(only the wire's mark is spared); we follow the rule Golly runs. The case analysis below
follows his definition state by state (the same order of tests, so the same answer where two
cases overlap); sensitised cells with no excited input left take Golly's arithmetic on "no
input" as it stands, so that every pattern runs as in Golly. States as in `jvn.py`.
"""

from __future__ import annotations

import numpy as np

from alife.rules.ruletable.jvn import IS_EXCITED, IS_OTS, IS_STS, IS_TRANS

IS_SENS = np.zeros(32, bool)
IS_SENS[1:9] = True
#: confluent or crossing states that excite the neighbour north/south, east/west of them
_EMIT_NS = np.isin(np.arange(32), (27, 28, 30, 31))
_EMIT_EW = np.isin(np.arange(32), (27, 28, 29, 31))
#: POINTS[d][x]: x is a transmission state (either kind) pointing east 0, north 1, west 2,
#: south 3
POINTS = np.array([IS_TRANS & ((np.arange(32) - 9) % 4 == d) for d in range(4)])


def _points(x: np.ndarray, direction: int) -> np.ndarray:
    return POINTS[direction][x]


def quiesce(x: np.ndarray) -> np.ndarray:
    """An excited transmission state quiet, any confluent or crossing state quiescent."""
    return np.where(IS_EXCITED[x], x - 4, np.where((x >= 26) & (x <= 31), 25, x))


def next_state(c: np.ndarray, n: np.ndarray, e: np.ndarray, s: np.ndarray,
               w: np.ndarray) -> np.ndarray:
    """Hutton32's next state of every cell."""
    c, n, e, s, w = (np.asarray(a, np.int16) for a in (c, n, e, s, w))
    excited_c = IS_EXCITED[c]
    # each side: the neighbour, the state offsets (0 = OTS quiet) of an arrow pointing at us,
    # the offset of the centre's arrow pointing back at it, the confluents emitting to us
    sides = ((n, 3, 1, _EMIT_NS), (s, 1, 3, _EMIT_NS), (e, 2, 0, _EMIT_EW), (w, 0, 2, _EMIT_EW))

    def towards(kind: int, with_confluent: bool, exclude_same_kind: bool) -> np.ndarray:
        """An excited arrow of `kind` (9 OTS, 17 STS) points at us (or a confluent emits),
        not counting a side the centre, of the same kind, points back at."""
        out = np.zeros(c.shape, bool)
        for nb, d_in, d_back, emits in sides:
            hit = nb == kind + 4 + d_in
            if with_confluent:
                hit |= emits[nb]
            if exclude_same_kind:
                hit &= ~((c == kind + d_back) | (c == kind + 4 + d_back))
            out |= hit
        return out

    ots_to_us = towards(9, True, True)
    ots_arrow = towards(9, False, True)
    sts_to_us = towards(17, True, True)
    sts_arrow = towards(17, False, True)
    any_ots_arrow = np.zeros(c.shape, bool)
    for nb, d_in, _, _ in sides:
        any_ots_arrow |= IS_OTS[nb] & POINTS[d_in][nb]
    all_on = (~((n == 12) | (s == 10) | (e == 11) | (w == 9))
              & ((n == 16) | (s == 14) | (e == 15) | (w == 13)))
    n_in = (_points(n, 3).astype(int) + _points(w, 0) + _points(e, 2) + _points(s, 1))
    n_out = ((IS_TRANS[n] & ~_points(n, 3)).astype(int) + (IS_TRANS[w] & ~_points(w, 0))
             + (IS_TRANS[e] & ~_points(e, 2)) + (IS_TRANS[s] & ~_points(s, 1)))
    crossing = (n_in == 2) & (n_out == 2)
    vertical = (n == 16) | (s == 14)
    horizontal = (e == 15) | (w == 13)
    through = np.select([vertical & horizontal, vertical, horizontal], [31, 30, 29], 25)

    # the cell the centre points at, and what it is about to become
    out = np.select([_points(c, 0), _points(c, 1), _points(c, 2), _points(c, 3)], [e, n, w, s],
                    0)
    to_ots = (out == 8) | ((out == 4) & excited_c) | ((out == 5) & ~excited_c)
    to_conf = (out == 7) & excited_c
    to_sens = (((out == 0) & excited_c) | (out == 1) | (out == 2) | (out == 3)
               | ((out == 4) & ~IS_OTS[c]))

    # the excited arrow pointing at us (first of west, south, east, north), 0 if none
    inp = np.select([_points(w, 0) & IS_EXCITED[w], _points(s, 1) & IS_EXCITED[s],
                     _points(e, 2) & IS_EXCITED[e], _points(n, 3) & IS_EXCITED[n]],
                    [w, s, e, n], 0)
    q = quiesce(inp)

    def turned(base: int, turn: int) -> np.ndarray:  # C's truncating % on a signed value
        return np.fmod(q - 9 + turn, 4) + base

    def heading(x: np.ndarray) -> np.ndarray:  # the direction as an unsigned byte
        return np.fmod(x - 9, 4) & 255

    qc = quiesce(c)
    ots = np.select(
        [sts_arrow, ots_to_us & (to_ots | (IS_STS[out] & ~IS_EXCITED[out])), ots_to_us & to_conf,
         ots_to_us, to_conf, excited_c & to_sens],
        [0, 0, 1, qc + 4, 0, qc + 12], qc)
    mark = excited_c & IS_SENS[out] & any_ots_arrow
    sts = np.select(
        [mark & to_sens & ots_arrow, mark & to_sens, mark & ots_arrow, mark,
         excited_c & (out == 0) & sts_arrow, excited_c & (out == 0), ots_arrow, sts_to_us],
        [c - 8, c, 0, qc - 8, c, qc, 0, qc + 4], qc)
    ground = np.select([ots_arrow, sts_arrow], [1, q - 8], 0)
    sens = np.select(
        [c == 1, c == 2, c == 3, c == 4, c == 5, c == 6, c == 7],
        [np.where(ots_arrow, 3, 2), np.where(ots_arrow, 5, 4), np.where(ots_arrow, 7, 6),
         np.where(ots_arrow, turned(9, 2), 8), np.where(ots_arrow, q + 8, turned(9, 3)),
         np.where(ots_arrow, turned(17, 2), turned(17, 1)),
         np.where(ots_arrow, 25, turned(17, 3))],
        (9 + np.where(ots_arrow, heading(inp + 1), heading(inp))) & 255)
    conf = np.select([sts_arrow, c == 25, c == 26, c == 27, c == 28],
                     [0, np.where(crossing, through, np.where(all_on, 26, 25)),
                      np.where(all_on, 28, 27), np.where(all_on, 26, 25),
                      np.where(all_on, 28, 27)], through)
    return np.select([IS_OTS[c], IS_STS[c], c == 0, IS_SENS[c]], [ots, sts, ground, sens], conf)
