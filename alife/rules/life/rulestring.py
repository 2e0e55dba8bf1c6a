"""Golly's rule-string grammar for the Life-like family: parse once into a `LifeSpec`.

Accepted (case-insensitive; what users paste from LifeWiki and Golly):
- outer-totalistic `B3/S23`, the older S/B form `23/3`, `B2/S` (empty survival);
- neighbourhood suffix `V` (von Neumann, counts 0..4) or `H` (Golly's hexagonal emulation:
  the Moore neighbourhood minus its NE and SW corners, counts 0..6);
- Hensel (isotropic non-totalistic) letters on Moore rules: `B2-a/S12`, `B2ce3aiy/S23`;
- Generations: `B2/S/C3`, `B2/S/3`, Golly's S/B/C `/2/3` (Brian's Brain), `345/2/4`; 2..256 states;
- Larger than Life `R2,C0,M1,S2..3,B3..3,NM` (also several ranges `S2..3,5..7`, Golly's HROT
  form `R5,C2,S33-57,B34-45,NM` where M is absent and counts exclude the cell, and Evans' form
  `5,34,45,34,58` = r, bmin, bmax, smin, smax);
- bounded-grid suffixes `:T64,48` torus, `:P64,48` plane, `:K64*,48` / `:K64,48*` Klein
  bottle (the starred size's edges are twisted), `:C64,48` cross-surface, `:S64` sphere.

Bad strings raise `AlifeError` naming the bad part and what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from alife.core.errors import AlifeError
from alife.core.grid_suffix import GridSuffix, parse_grid_suffix
from alife.rules.life import hensel
from alife.rules.life.ltl import cell_count

#: largest neighbour count of each range-1 neighbourhood.
MAX_COUNT = {"moore": 8, "vonneumann": 4, "hex": 6}
_SUFFIX = {"moore": "", "vonneumann": "V", "hex": "H"}
_LTL_N = {"M": "moore", "N": "vonneumann", "C": "circular"}
MAX_RADIUS = 100
MAX_STATES = 256


#: a bounded-grid suffix (`:T64,48`): the one shared by every family that reads Golly's suffixes
Bounds = GridSuffix


@dataclass(frozen=True)
class LifeSpec:
    """A parsed Life-like rule.

    - `kind`: "totalistic" (counts), "hensel" (8-bit configurations) or "ltl" (Larger than Life).
    - `neighbourhood`: "moore", "vonneumann", "hex" (range 1) or, for LtL, "moore",
      "vonneumann", "circular".
    - `birth`/`survive`: neighbour counts (totalistic, LtL as written: an M1 survival count
      includes the cell) or 8-bit masks (hensel, bit i = neighbour `hensel.DIRS[i]`).
    - `states`: 2, or the Generations / LtL `C` number of states.
    """

    kind: str
    neighbourhood: str
    birth: frozenset[int]
    survive: frozenset[int]
    states: int = 2
    radius: int = 1
    middle: bool = False
    bounds: Bounds | None = None

    @property
    def table_size(self) -> int:
        """Length of the bool birth/survive param tables."""
        if self.kind == "hensel":
            return 256
        if self.kind == "ltl":
            return cell_count(self.radius, self.neighbourhood) + 1
        return MAX_COUNT[self.neighbourhood] + 1

    def canonical(self) -> str:
        """The rule as Golly writes it, without the bounded-grid suffix.

        `B3/S23`, `B2-a/S12`, `B2/S3V`; Generations in Golly's S/B/C order (`/2/3`,
        `345/2/4`); LtL as `R5,C0,M1,S34..58,B34..45,NM`, or in HROT form
        (`R3,C0,S2-3,5-9,B3,NC`, counts without the cell itself) when a set is not one range.
        """
        if self.kind == "ltl":
            return self._ltl_text()
        if self.kind == "hensel":
            b, s = hensel.describe(self.birth), hensel.describe(self.survive)
        else:
            b = "".join(str(i) for i in sorted(self.birth))
            s = "".join(str(i) for i in sorted(self.survive))
        if self.states > 2:
            return f"{s}/{b}/{self.states}{_SUFFIX[self.neighbourhood]}"
        return f"B{b}/S{s}{_SUFFIX[self.neighbourhood]}"

    def _ltl_text(self) -> str:
        c = 0 if self.states == 2 else self.states
        n = {v: k for k, v in _LTL_N.items()}[self.neighbourhood]
        runs_s, runs_b = _runs(self.survive), _runs(self.birth)
        if len(runs_s) == 1 and len(runs_b) == 1:
            (s1, s2), (b1, b2) = runs_s[0], runs_b[0]
            return f"R{self.radius},C{c},M{int(self.middle)},S{s1}..{s2},B{b1}..{b2},N{n}"
        survive = {v - int(self.middle) for v in self.survive} - {-1}

        def hrot(values: frozenset[int] | set[int]) -> str:
            return ",".join(f"{a}-{b}" if a != b else f"{a}" for a, b in _runs(values))

        return f"R{self.radius},C{c},S{hrot(survive)},B{hrot(self.birth)},N{n}"

    def suffix(self) -> str:
        """The bounded-grid suffix (":T64,48") or ""."""
        return self.bounds.text() if self.bounds else ""

    def text(self) -> str:
        return self.canonical() + self.suffix()

    def structure(self) -> tuple:
        """What decides the param shapes and the compiled step (not the B/S sets)."""
        return (self.kind, self.neighbourhood, self.states, self.radius)


def _runs(values: frozenset[int] | set[int]) -> list[tuple[int, int]]:
    """Sorted counts as maximal runs (lo, hi) of consecutive values."""
    out: list[list[int]] = []
    for v in sorted(values):
        if out and v == out[-1][1] + 1:
            out[-1][1] = v
        else:
            out.append([v, v])
    return [(a, b) for a, b in out]


def _err(text: str, detail: str) -> AlifeError:
    return AlifeError(f"bad rule {text!r}: {detail}")


def parse_rule(text: str) -> LifeSpec:
    """Parse a Life-like rule string (see the module docstring); AlifeError if malformed."""
    if not isinstance(text, str):
        raise AlifeError(f"bad rule {text!r}: not text; expected a rule string like 'B3/S23'")
    if not text.strip():
        raise AlifeError(f"bad rule {text!r}: empty; expected e.g. 'B3/S23'")
    raw = text
    body = "".join(text.split())
    bounds = None
    if ":" in body:
        body, _, suffix = body.partition(":")
        bounds = parse_grid_suffix(raw, suffix)
    upper = body.upper()
    if re.fullmatch(r"W\d+", upper):
        raise _err(raw, "Wolfram 1-D rules belong to the 'elementary' family; "
                        "use create('elementary', rule=...) instead")
    if upper.startswith("MAP"):
        raise _err(raw, "non-isotropic MAP rules are not supported; expected B/S, Hensel, "
                        "Generations or Larger than Life notation")
    if re.match(r"R\d", upper) or re.fullmatch(r"\d+(,\d+){4}", upper):
        spec = _parse_ltl(raw, upper)
    else:
        spec = _parse_bs(raw, body.lower())
    if bounds and bounds.kind == "S" and bounds.width != bounds.height:
        raise _err(raw, "a sphere (:S) needs a square grid")
    return LifeSpec(spec.kind, spec.neighbourhood, spec.birth, spec.survive, spec.states,
                    spec.radius, spec.middle, bounds)




# ---- B/S, Hensel, Generations ----------------------------------------------------------------
def _parse_bs(raw: str, body: str) -> LifeSpec:
    neighbourhood = "moore"
    if body.endswith("v"):
        neighbourhood, body = "vonneumann", body[:-1]
    elif body.endswith("h"):
        neighbourhood, body = "hex", body[:-1]
    if "_" in body and "/" not in body:  # Golly allows '_' as the separator
        body = body.replace("_", "/", 1)
    if "/" not in body:  # Golly's slash-free forms: 'B3S23', 'S23B3', 'B3' (= B3/S)
        m = re.fullmatch(r"b([^bs]*)s([^bs]*)|s([^bs]*)b([^bs]*)|b([^bs]*)|s([^bs]*)", body)
        if m:
            g = m.groups()
            birth = next((x for x in (g[0], g[3], g[4]) if x is not None), "")
            survive = next((x for x in (g[1], g[2], g[5]) if x is not None), "")
            body = f"b{birth}/s{survive}"
    parts = body.split("/")
    if len(parts) not in (2, 3):
        raise _err(raw, "expected 'B<digits>/S<digits>', 'S/B' digits like '23/3', or a "
                        "Generations rule 'B2/S/C3' / '/2/3'")
    birth_txt = survive_txt = states_txt = None
    if any(p[:1] in ("b", "s") for p in parts):
        for i, part in enumerate(parts):
            head = part[:1]
            if head == "b" and birth_txt is None:
                birth_txt = part[1:]
            elif head == "s" and survive_txt is None:
                survive_txt = part[1:]
            elif i == 2 and (head in ("c", "g") or part.isdigit()):
                states_txt = part[1:] if head in ("c", "g") else part
            else:
                raise _err(raw, f"unexpected part {part!r}; expected one 'B...' part, one "
                                "'S...' part and optionally a state count 'C<n>'")
        if birth_txt is None or survive_txt is None:
            raise _err(raw, "expected both a 'B...' and an 'S...' part")
    else:  # Golly's S/B[/C] order
        survive_txt, birth_txt = parts[0], parts[1]
        states_txt = parts[2] if len(parts) == 3 else None
        if states_txt is not None and states_txt[:1] == "c":
            states_txt = states_txt[1:]
    states = 2
    if states_txt is not None:
        if not states_txt.isdigit():
            raise _err(raw, f"bad state count {states_txt!r}; expected a number 2..{MAX_STATES}")
        states = int(states_txt)
        if not 2 <= states <= MAX_STATES:
            raise _err(raw, f"{states} states; expected 2..{MAX_STATES}")
    birth = _parse_conditions(raw, "B", birth_txt, neighbourhood)
    survive = _parse_conditions(raw, "S", survive_txt, neighbourhood)
    if isinstance(birth, tuple) or isinstance(survive, tuple):
        bm = birth[1] if isinstance(birth, tuple) else _all_masks(birth)
        sm = survive[1] if isinstance(survive, tuple) else _all_masks(survive)
        if not (hensel.is_totalistic(bm) and hensel.is_totalistic(sm)):
            return LifeSpec("hensel", "moore", frozenset(bm), frozenset(sm), states)
        birth, survive = hensel.counts_of(bm), hensel.counts_of(sm)
    return LifeSpec("totalistic", neighbourhood, frozenset(birth), frozenset(survive), states)


def _all_masks(counts: frozenset[int]) -> frozenset[int]:
    return frozenset().union(*(hensel.masks_for(c) for c in counts)) if counts else frozenset()


def _parse_conditions(raw: str, which: str, txt: str, neighbourhood: str):
    """Digits with optional Hensel letters: a set of counts, or ('hensel', set of masks)."""
    top = MAX_COUNT[neighbourhood]
    groups = re.findall(r"(\d)(-?)([a-z]*)", txt)
    if "".join(d + neg + let for d, neg, let in groups) != txt:
        bad = re.sub(r"\d-?[a-z]*", "", txt) or txt
        raise _err(raw, f"cannot read {which}{txt!r} near {bad!r}; expected digits 0..{top}, "
                        "each optionally followed by Hensel letters (e.g. '2-a', '3aiy')")
    counts: set[int] = set()
    masks: set[int] = set()
    lettered = False
    seen: set[int] = set()
    with_letters: set[int] = set()
    for digit, neg, letters in groups:
        count = int(digit)
        if count in with_letters or (letters and count in seen):
            # Golly refuses e.g. 'B2a2-c': a count with Hensel letters is written once
            raise _err(raw, f"count {count} appears twice in {which}{txt!r}; expected each "
                            "count once with all its Hensel letters together (e.g. '2ac')")
        seen.add(count)
        if letters:
            with_letters.add(count)
        if count > top:
            raise _err(raw, f"{which}{count}: a {neighbourhood} cell has at most {top} "
                            f"neighbours; expected digits 0..{top}")
        if neg and not letters:
            raise _err(raw, f"'{which}...{count}-' has no letters after the '-'")
        if letters:
            if neighbourhood != "moore":
                raise _err(raw, "Hensel letters need the Moore neighbourhood (no V/H suffix)")
            allowed = hensel.LETTERS[count]
            for ch in letters:
                if ch not in allowed:
                    expect = f"one of '{allowed}'" if allowed else "no letters"
                    raise _err(raw, f"'{count}{ch}' in {which}: {ch!r} is not a configuration"
                                    f" of {count} neighbours; expected {expect}")
            chosen = set(letters)
            if neg:
                chosen = set(allowed) - chosen
            lettered = True
            masks |= hensel.masks_for(count, "".join(sorted(chosen))) if chosen else set()
        else:
            counts.add(count)
            masks |= hensel.masks_for(count) if neighbourhood == "moore" else set()
    if lettered:
        return ("hensel", frozenset(masks))
    return frozenset(counts)


# ---- Larger than Life ------------------------------------------------------------------------
def _parse_ltl(raw: str, upper: str) -> LifeSpec:
    if re.fullmatch(r"\d+(,\d+){4}", upper):  # Evans: r,bmin,bmax,smin,smax
        r, b1, b2, s1, s2 = (int(v) for v in upper.split(","))
        fields = {"R": r, "C": 0, "M": 1, "N": "M"}
        lists = {"B": [(b1, b2)], "S": [(s1, s2)]}
    else:
        fields, lists = _ltl_tokens(raw, upper)
    r = fields["R"]
    if not 1 <= r <= MAX_RADIUS:
        raise _err(raw, f"R{r}: expected a radius 1..{MAX_RADIUS}")
    c = fields.get("C", 0)
    if not 0 <= c <= MAX_STATES:
        raise _err(raw, f"C{c}: expected a state count 0..{MAX_STATES} (0 or 2 = two states)")
    middle = fields.get("M", 0)
    if middle not in (0, 1):
        raise _err(raw, f"M{middle}: expected M0 or M1 (count the middle cell or not)")
    letter = fields.get("N", "M")
    if letter not in _LTL_N:
        raise _err(raw, f"N{letter}: unsupported neighbourhood; expected NM (Moore), "
                        "NN (von Neumann) or NC (circular)")
    neighbourhood = _LTL_N[letter]
    top = cell_count(r, neighbourhood)
    sets = {}
    for key in ("S", "B"):
        if key not in lists:
            raise _err(raw, f"no {key} part; expected e.g. 'R2,C0,M1,S2..3,B3..3,NM'")
        values: set[int] = set()
        for lo, hi in lists[key]:
            if lo > hi:
                raise _err(raw, f"{key}{lo}..{hi}: the minimum exceeds the maximum")
            if hi > top:
                raise _err(raw, f"{key}{lo}..{hi}: an R{r} N{letter} neighbourhood has {top} "
                                f"cells; expected counts 0..{top}")
            values |= set(range(lo, hi + 1))
        sets[key] = frozenset(values)
    survive = sets["S"]
    if "M" not in fields and not upper[:1].isdigit():
        survive = frozenset(v + 1 for v in survive)  # HROT: counts exclude the cell; M1 form
        middle = 1
        if max(survive, default=0) > top:
            raise _err(raw, f"S counts exceed the {top - 1} neighbours of the cell")
    return LifeSpec("ltl", neighbourhood, sets["B"], survive, 2 if c <= 2 else c, r,
                    bool(middle))


def _ltl_tokens(raw: str, upper: str) -> tuple[dict, dict]:
    fields: dict = {}
    lists: dict[str, list[tuple[int, int]]] = {}
    current = None
    for token in upper.split(","):
        rng = re.fullmatch(r"(\d+)(?:(?:\.\.|-)(\d+))?", token)
        if rng and current:
            lo = int(rng.group(1))
            lists[current].append((lo, int(rng.group(2)) if rng.group(2) else lo))
            continue
        m = re.fullmatch(r"([RCMSBN])(.*)", token)
        if not m or m.group(1) in fields or m.group(1) in lists:
            raise _err(raw, f"unexpected {token!r}; expected comma-separated R<radius>, "
                            "C<states>, M<0|1>, S<min..max>, B<min..max>, N<M|N|C>")
        key, rest = m.groups()
        current = None
        if key in "SB":
            lists[key] = []
            current = key
            if rest:
                rng = re.fullmatch(r"(\d+)(?:(?:\.\.|-)(\d+))?", rest)
                if not rng:
                    raise _err(raw, f"bad range {token!r}; expected {key}<min>..<max>")
                lo = int(rng.group(1))
                lists[key].append((lo, int(rng.group(2)) if rng.group(2) else lo))
        elif key == "N":
            fields["N"] = rest
        else:
            if not rest.isdigit():
                raise _err(raw, f"bad value {token!r}; expected {key} followed by a number")
            fields[key] = int(rest)
    if "R" not in fields:
        raise _err(raw, "no R<radius>; expected e.g. 'R2,C0,M1,S2..3,B3..3,NM'")
    return fields, lists
