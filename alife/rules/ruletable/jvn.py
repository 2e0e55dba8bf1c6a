"""Von Neumann's 29-state cellular automaton (`JvN29`) and Nobili's 32-state extension
(`Nobili32`) as next-state functions, tabulated into rule trees (`tabulate.py`).

Golly runs these (and Hutton's `Hutton32`, `hutton.py`) with its built-in JvN algorithm; here
each becomes a @TREE-like decision tree over the von Neumann neighbourhood and runs on the
ruletable family's JAX kernel. States are numbered as Golly numbers them, so Golly's patterns
open as they are:

- 0 `U` the ground (unexcitable) state;
- 1..8 the sensitised states `S`, `S0`, `S1`, `S00`, `S01`, `S10`, `S11`, `S000`;
- 9..12 ordinary transmission (OTS) quiescent, pointing east, north, west, south; 13..16 the
  same excited; 17..20 special transmission (STS) quiescent, 21..24 excited;
- 25 confluent quiescent, 26 confluent that received an excitation (emits next step), 27
  confluent emitting now, 28 both (Burks' C00, C01, C10, C11 as "now, next");
- Nobili32 adds 29..31: a confluent cell used as a crossing, carrying a signal east-west,
  north-south, or both.

The rules, after von Neumann as Burks edited him (Theory of Self-Reproducing Automata, 1966)
and Burks' "Von Neumann's self-reproducing automata" (Essays on Cellular Automata, 1970):

- A transmission cell takes its inputs from the neighbours pointing at it (not from the one it
  points at). It is excited next step when an input of its own kind, or a confluent neighbour
  that is emitting, excites it; an excited input of the other kind destroys it (back to `U`).
  Two transmission cells pointing at each other do not excite each other.
- A confluent cell is excited (with a delay of one extra step) when at least one ordinary
  transmission cell points at it and every one that does is excited; it emits to every
  neighbour that does not point at it. An excited special input destroys it.
- A ground cell hit by any excited transmission input becomes `S`; a sensitised cell takes one
  more bit each step (1 when an excited transmission input hits it, 0 otherwise) and becomes,
  after `S0000`, `S0001`, `S001`, `S010`, `S011`, `S100`, `S101`, `S110`, `S111`: an OTS east,
  north, west, south, an STS east, north, west, south, a confluent cell.

Where Burks' text leaves a case open, Golly's built-in algorithm (jvnalgo.cpp, its confluent
cases "verified empirically" against Nobili's wjvn) is the reference: a confluent cell with no
transmission cell pointing away from it keeps its state under Nobili32 (it stores a bit) but
quiesces under JvN29; a Nobili32 crossing is a confluent cell with an ordinary input and a
transmission output on both axes, passing an excitation straight through along its axis. The
tests compare every JvN pattern of Golly's collection with bgolly's JvN algorithm generation by
generation.
"""

from __future__ import annotations

import numpy as np

#: Golly's colours for the 32 states (jvnalgo's table)
COLOURS: tuple[tuple[int, int, int], ...] = (
    (48, 48, 48), (255, 0, 0), (255, 125, 0), (255, 150, 25), (255, 175, 50), (255, 200, 75),
    (255, 225, 100), (255, 250, 125), (251, 255, 0), (89, 89, 255), (106, 106, 255),
    (122, 122, 255), (139, 139, 255), (27, 176, 27), (36, 200, 36), (73, 255, 73),
    (106, 255, 106), (235, 36, 36), (255, 56, 56), (255, 73, 73), (255, 89, 89),
    (185, 56, 255), (191, 73, 255), (197, 89, 255), (203, 106, 255), (0, 255, 128),
    (255, 128, 64), (255, 255, 128), (33, 215, 215), (27, 176, 176), (24, 156, 156),
    (21, 137, 137))
_ARROWS = ("east", "north", "west", "south")
#: a name per state (the brush's state picker)
NAMES: tuple[str, ...] = (
    ("U", "S", "S0", "S1", "S00", "S01", "S10", "S11", "S000")
    + tuple(f"OTS {d}" for d in _ARROWS) + tuple(f"OTS {d} excited" for d in _ARROWS)
    + tuple(f"STS {d}" for d in _ARROWS) + tuple(f"STS {d} excited" for d in _ARROWS)
    + ("C quiescent", "C next", "C now", "C now+next", "crossing E-W", "crossing N-S",
       "crossing both"))

GROUND = 0
OTS, OTS_EXCITED, STS, STS_EXCITED = 9, 13, 17, 21
CONFLUENT, CONF_NEXT, CONF_NOW, CONF_BOTH = 25, 26, 27, 28
CROSS_EW, CROSS_NS, CROSS_BOTH = 29, 30, 31
EAST, NORTH, WEST, SOUTH = 0, 1, 2, 3
#: what a sensitised cell becomes after its last bit: S0000..S111 (2c + bit - 9 for c = 4..8)
_BUILT = np.array([OTS + WEST, OTS + SOUTH, STS + EAST, STS + NORTH, STS + WEST, STS + SOUTH,
                   CONFLUENT, OTS + EAST, OTS + NORTH])


def _lut(states: set[int] | range) -> np.ndarray:
    out = np.zeros(32, bool)
    out[list(states)] = True
    return out


IS_OTS = _lut(range(9, 17))
IS_STS = _lut(range(17, 25))
IS_TRANS = IS_OTS | IS_STS
IS_EXCITED = _lut(set(range(13, 17)) | set(range(21, 25)))
IS_CONF = _lut(range(25, 32))
#: confluent states that excite a neighbour east or west of them, north or south of them
EMITS_EW = _lut({CONF_NOW, CONF_BOTH, CROSS_EW, CROSS_BOTH})
EMITS_NS = _lut({CONF_NOW, CONF_BOTH, CROSS_NS, CROSS_BOTH})
#: the direction a transmission state points (-1 for the others)
DIRECTION = np.array([(s - 9) % 4 if 9 <= s <= 24 else -1 for s in range(32)])
#: (which neighbour, the direction it points in when it points at the centre, vertical axis)
SIDES = (("n", SOUTH, True), ("e", WEST, False), ("s", NORTH, True), ("w", EAST, False))


def quiet(state: np.ndarray) -> np.ndarray:
    """A transmission state without its excitation."""
    return np.where(IS_EXCITED[state], state - 4, state)


def _inputs(c: np.ndarray, around: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """What the four neighbours do to the centre, as boolean arrays."""
    false = np.zeros(c.shape, bool)
    f = {k: false.copy() for k in ("o_exc", "o_quiet", "s_exc", "o_exc_other", "s_exc_other",
                                     "c_exc", "in_ns", "in_ew", "out_ns", "out_ew", "o_exc_ns",
                                     "o_exc_ew")}
    c_trans = IS_TRANS[c]
    for side, toward, vertical in SIDES:
        nb = around[side]
        into = IS_TRANS[nb] & (DIRECTION[nb] == toward)
        facing = c_trans & (DIRECTION[c] == (toward + 2) % 4)  # the centre points at it
        o_in = into & IS_OTS[nb]
        o_exc = o_in & IS_EXCITED[nb]
        s_exc = into & IS_STS[nb] & IS_EXCITED[nb]
        f["o_exc"] |= o_exc
        f["o_quiet"] |= o_in & ~IS_EXCITED[nb]
        f["s_exc"] |= s_exc
        f["o_exc_other"] |= o_exc & ~facing
        f["s_exc_other"] |= s_exc & ~facing
        f["c_exc"] |= (EMITS_NS if vertical else EMITS_EW)[nb] & ~facing
        axis = "ns" if vertical else "ew"
        f[f"in_{axis}"] |= o_in
        f[f"out_{axis}"] |= IS_TRANS[nb] & ~into
        f[f"o_exc_{axis}"] |= o_exc
    return f


def next_state(c: np.ndarray, n: np.ndarray, e: np.ndarray, s: np.ndarray, w: np.ndarray,
               nobili: bool = False) -> np.ndarray:
    """JvN29 (or Nobili32 with `nobili`): the next state of every cell (module docstring)."""
    f = _inputs(c, {"n": n, "e": e, "s": s, "w": w})
    any_exc = f["o_exc"] | f["s_exc"]

    # ground and sensitised: one more bit, then the state it encodes
    code = 2 * np.minimum(c, 8) + any_exc
    sensitised = np.where(code <= 8, code, _BUILT[np.clip(code - 9, 0, 8)])

    # transmission: killed by the other kind, excited by its own kind or a confluent cell
    killed = (IS_OTS[c] & f["s_exc"]) | (IS_STS[c] & f["o_exc"])
    excite = f["o_exc_other"] | f["s_exc_other"] | f["c_exc"]
    transmission = np.where(killed, GROUND, quiet(c) + 4 * excite)

    # confluent: a two-step delay (received -> emitting), AND of the ordinary inputs
    received = (c == CONF_NEXT) | (c == CONF_BOTH)
    all_on = f["o_exc"] & ~f["o_quiet"]
    has_out = f["out_ns"] | f["out_ew"]
    kept = np.where(c <= CONF_BOTH, c, CONFLUENT)  # a crossing that is no more: quiescent
    if nobili:
        idle = np.where(has_out, np.where(received, CONF_NOW, CONFLUENT), kept)
    else:
        idle = np.where(received, CONF_NOW, CONFLUENT)
    confluent = np.where(all_on, np.where(received, CONF_BOTH, CONF_NEXT), idle)
    if nobili:
        crossing = f["in_ns"] & f["in_ew"] & f["out_ns"] & f["out_ew"]
        through = np.select([f["o_exc_ns"] & f["o_exc_ew"], f["o_exc_ns"], f["o_exc_ew"]],
                            [CROSS_BOTH, CROSS_NS, CROSS_EW], CONFLUENT)
        confluent = np.where(crossing, through, confluent)
    confluent = np.where(f["s_exc"], GROUND, confluent)

    return np.select([c <= 8, IS_TRANS[c]], [sensitised, transmission], confluent)


def nobili_next_state(c: np.ndarray, n: np.ndarray, e: np.ndarray, s: np.ndarray,
                      w: np.ndarray) -> np.ndarray:
    """Nobili32's next states."""
    return next_state(c, n, e, s, w, nobili=True)
