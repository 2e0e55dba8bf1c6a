"""Golly rule strings: canonical round trips, equivalent spellings, Hensel letter facts, bounded
grid suffixes, and bad strings that must each give a clear AlifeError."""

from __future__ import annotations

import jax
import numpy as np
import pytest

from alife.core.errors import AlifeError
from alife.core.topology import Topology
from alife.rules.life import LifeRule, hensel, parse_rule

CANONICAL = [
    "B3/S23", "B36/S23", "B2/S", "B3678/S34678", "B1357/S1357", "B/S012345678", "B0/S8",
    "B2/S3V", "B1/SV", "B2/S34H", "B2-a/S12", "B3/S23-k", "B2ce3aiy/S23", "B3/S2-i34q",
    "/2/3", "345/2/4", "23/3/256", "34/2/5H", "12/2-a/3", "23/3/3V",
    "R2,C0,M1,S2..3,B3..3,NM", "R5,C0,M1,S34..58,B34..45,NM", "R10,C0,M1,S123..212,B123..170,NM",
    "R3,C4,S2-3,5-9,B3,NC", "R2,C0,M1,S1..2,B2..2,NN", "R2,C0,M0,S1..2,B2..2,NN",
    "R4,C0,S,B3-4,7,NM",
    "B3/S23:T64,48", "B3/S23:P20,10", "B3/S23:K64*,48", "B3/S23:K64,48*", "B3/S23:C30,20",
    "B3/S23:S40", "R2,C0,M1,S2..3,B3..3,NM:P50,40",
]


@pytest.mark.parametrize("text", CANONICAL)
def test_canonical_round_trip(text):
    spec = parse_rule(text)
    assert spec.text() == text
    assert parse_rule(spec.text()) == spec


def _same(a: str, b: str) -> None:
    sa, sb = parse_rule(a), parse_rule(b)
    assert sa.text() == sb.text(), f"{a} -> {sa.text()} but {b} -> {sb.text()}"
    assert sa.structure() == sb.structure()


@pytest.mark.parametrize(("a", "b"), [
    ("23/3", "B3/S23"), ("b3/s23", "B3/S23"), ("S23/B3", "B3/S23"), (" B3 / S23 ", "B3/S23"),
    ("B33/S32", "B3/S23"), ("/3", "B3/S"), ("23/36", "B36/S23"),
    ("/2/3", "B2/S/C3"), ("B2/S/3", "B2/S/C3"), ("345/2/4", "B2/S345/C4"), ("b2/s/c3", "/2/3"),
    ("B2/S3v", "B2/S3V"), ("12/34/3H", "B34/S12/C3H"), ("B3/S23/C2", "B3/S23"), ("/2/2", "B2/S"),
    ("R3,C4,M0,S2..3,5..9,B3..3,NC", "R3,C4,S2-3,5-9,B3,NC"),
    ("B2cekin/S12", "B2-a/S12"), ("B3cekainyqjr/S2cekain3", "B3/S23"), ("B3/S2-ce", "B3/S2kain"),
    ("B2-a/S12", "B2-A/S12"), ("B3S23", "B3/S23"), ("S23B3", "B3/S23"), ("B3", "B3/S"),
    ("S23", "B/S23"), ("B2-a_S12", "B2-a/S12"),
    ("R5,C2,S33-57,B34-45", "R5,C0,M1,S34..58,B34..45,NM"),
    ("R5,C2,S33-57,B34-45,NM", "5,34,45,34,58"),
    ("r2,c0,m1,s2..3,b3..3,nm", "R2,C0,M1,S2..3,B3..3,NM"),
    ("R2,C0,M1,S2..3,B3,NM", "R2,C0,M1,S2-3,B3..3,NM"),
    ("R2,C2,M1,S2..3,B3..3,NM", "R2,C0,M1,S2..3,B3..3,NM"),
    ("B3/S23:T64", "B3/S23:T64,64"), ("B3/S23:t64,48", "B3/S23:T64,48"),
])
def test_equivalent_spellings(a, b):
    _same(a, b)


def test_canonical_prefers_the_shorter_hensel_form():
    assert parse_rule("B2cekin/S12").canonical() == "B2-a/S12"
    assert parse_rule("B4cekainyqjr/S").canonical() == "B4-twz/S"
    assert parse_rule("B4-cekainyqj/S").canonical() == "B4rtwz/S"
    # Golly: letters alphabetical; 7 of 13 stays positive, 8 of 13 turns negative
    assert parse_rule("B3ya/S").canonical() == "B3ay/S"
    assert parse_rule("B4aceijk/S").canonical() == "B4aceijk/S"
    assert parse_rule("B4aceijknq/S").canonical() == "B4-rtwyz/S"
    assert parse_rule("B2ace/S").canonical() == "B2ace/S"


def test_kinds_and_tables():
    s = parse_rule("B36/S23")
    assert (s.kind, s.neighbourhood, s.states, s.table_size) == ("totalistic", "moore", 2, 9)
    assert s.birth == {3, 6} and s.survive == {2, 3}
    assert parse_rule("B2/S3V").table_size == 5 and parse_rule("B2/S3H").table_size == 7
    h = parse_rule("B2-a/S12")
    assert h.kind == "hensel" and h.table_size == 256
    assert h.birth == hensel.masks_for(2) - hensel.masks_for(2, "a")
    ltl = parse_rule("R5,C0,M1,S34..58,B34..45,NM")
    assert (ltl.kind, ltl.radius, ltl.middle, ltl.table_size) == ("ltl", 5, True, 122)
    assert ltl.survive == set(range(34, 59)) and ltl.birth == set(range(34, 46))
    assert parse_rule("R3,C0,M0,S1..2,B3..3,NN").table_size == 2 * 3 * 4 + 1 + 1
    assert parse_rule("R2,C0,M0,S1..2,B3..3,NC").table_size == 21 + 1  # r^2+r = 6: 21 cells
    assert parse_rule("R3,C7,M1,S1..2,B3..3,NC").states == 7
    assert parse_rule("B2/S/C3").canonical() == "/2/3"  # Golly writes Generations as S/B/C
    assert parse_rule("R3,C4,M0,S2..3,5..9,B3..3,NC").canonical() == "R3,C4,S2-3,5-9,B3,NC"


def test_bounds():
    assert parse_rule("B3/S23").bounds is None
    b = parse_rule("B3/S23:T64,48").bounds
    assert (b.width, b.height, b.topology()) == (64, 48, Topology("torus"))
    assert parse_rule("B3/S23:P8,9").bounds.topology() == Topology("plane")
    assert parse_rule("B3/S23:K64*,48").bounds.topology() == Topology("klein", "x")
    assert parse_rule("B3/S23:K64,48*").bounds.topology() == Topology("klein", "y")
    assert parse_rule("B3/S23:C10,12").bounds.topology() == Topology("cross")
    s = parse_rule("B3/S23:S20").bounds
    assert (s.width, s.height, s.topology()) == (20, 20, Topology("sphere"))


# ---- Hensel notation facts (LifeWiki, "Isotropic non-totalistic rule") ----------------------
def test_hensel_has_51_classes_partitioning_256_configurations():
    classes = hensel.classes()
    assert len(classes) == 51
    assert [sum(1 for n, _ in classes if n == c) for c in range(9)] == [1, 2, 6, 10, 13, 10, 6,
                                                                        2, 1]
    seen = [0] * 256
    for (count, _letter), masks in classes.items():
        for m in masks:
            seen[m] += 1
            assert bin(m).count("1") == count
    assert seen == [1] * 256


def test_hensel_complement_symmetry():
    """For n != 4, (8-n)x is the complement of nx (LifeWiki)."""
    for count in (0, 1, 2, 3):
        for letter in hensel.LETTERS[count] or "":
            masks = hensel.classes()[(count, letter)]
            assert {255 ^ m for m in masks} == hensel.classes()[(8 - count, letter)]


def test_hensel_letter_shapes():
    m = hensel.mask_of
    assert m("N NW") in hensel.masks_for(2, "a")  # adjacent corner and edge
    assert m("N S") in hensel.masks_for(2, "i")  # opposite edges
    assert m("NE SW") in hensel.masks_for(2, "n")  # opposite corners
    assert m("N SE") in hensel.masks_for(2, "k")  # a knight's move apart
    assert m("N E S W") in hensel.masks_for(4, "e") and m("NE SE SW NW") in hensel.masks_for(4,
                                                                                            "c")


def test_von_neumann_rule_written_in_hensel_notation():
    """LifeWiki: the von Neumann rule B1/SV is B1e2ak3inqy4ny5e/S on the Moore grid."""
    vn = LifeRule("B1/SV", 24, 20)
    moore = LifeRule("B1e2ak3inqy4ny5e/S", 24, 20)
    assert moore.spec.kind == "hensel"
    pv, pm = vn.default_params(), moore.default_params()
    grid = (np.random.default_rng(3).random((20, 24)) < 0.3).astype(np.int32)
    sv = vn.with_cells(vn.init(jax.random.PRNGKey(0), pv), grid)
    sm = moore.with_cells(moore.init(jax.random.PRNGKey(0), pm), grid)
    for _ in range(6):
        sv, sm = vn.step(None, sv, pv), moore.step(None, sm, pm)
        np.testing.assert_array_equal(np.asarray(vn.cells(sv)), np.asarray(moore.cells(sm)))


# ---- bad strings ------------------------------------------------------------------------------
BAD = [
    ("B2a2-c/S23", "appears twice"), ("B2a2/S3", "appears twice"),
    ("", "empty"), ("   ", "empty"), ("B3S23B", "expected"), ("hello", "expected"),
    ("B9/S23", "at most 8"), ("B5/S3V", "at most 4"), ("B3/S7H", "at most 6"),
    ("B2z/S23", "'z' is not a configuration of 2"), ("B3/S1k", "'k' is not a configuration of 1"),
    ("B0c/S", "0 neighbours"), ("B3/S2-", "no letters after"), ("B3a/S23V", "Moore"),
    ("B3/S23/C1", "2..256"), ("B3/S23/C300", "2..256"), ("B3/S23/Cx", "state count"),
    ("B3/S23/C3/4", "expected"), ("B3/B3", "unexpected part"), ("B3/S2#", "cannot read"),
    ("W30", "elementary"), ("W110", "elementary"), ("MAP" + "ARYXfhZofugWaH7oa" * 3, "MAP"),
    ("B3/S23:T0,48", "finite"), ("B3/S23:T64,0", "finite"), ("B3/S23:P0", "finite"),
    ("B3/S23:Q10,10", "unknown grid type"), ("B3/S23:K10,10", "starred"),
    ("B3/S23:K10*,10*", "starred"), ("B3/S23:T10*,10", "Klein"), ("B3/S23:S10,12", "square"),
    ("B3/S23:T", "no grid size"), ("B3/S23:T64+2,48", "shifted"), ("B3/S23:", "suffix"),
    ("R0,C0,M1,S1..2,B1..2,NM", "radius"), ("R101,C0,M1,S1..2,B1..2,NM", "radius"),
    ("R2,C0,M2,S1..2,B1..2,NM", "M0 or M1"), ("R2,C0,M1,S3..2,B1..2,NM", "minimum exceeds"),
    ("R2,C0,M1,S1..99,B1..2,NM", "25 cells"), ("R2,C0,M1,S1..2,B1..2,NX", "neighbourhood"),
    ("R2,C0,M1,B1..2,NM", "no S part"), ("R2,C0,M1,S1..2,B1..2,NM,Q5", "unexpected"),
    ("R2,C999,M1,S1..2,B1..2,NM", "state count"), ("R2,C0,M1,S1..2,B1..x,NM", "bad range"),
    ("R2,C0,M1,R3,S1..2,B1..2", "unexpected"),
]


@pytest.mark.parametrize(("text", "fragment"), BAD)
def test_bad_rule_strings_give_clear_errors(text, fragment):
    with pytest.raises(AlifeError) as info:
        parse_rule(text)
    message = str(info.value)
    assert fragment.lower() in message.lower(), message
    assert "bad rule" in message


def test_non_text_rule():
    with pytest.raises(AlifeError, match="rule string"):
        parse_rule(110)


def test_constructor_errors():
    with pytest.raises(AlifeError, match="width"):
        LifeRule("B3/S23", 0, 10)
    with pytest.raises(AlifeError, match="square"):
        LifeRule("B3/S23", 10, 12, "sphere")
    with pytest.raises(AlifeError, match="density"):
        LifeRule("B3/S23", 10, 10, density=1.5)
    with pytest.raises(AlifeError, match="topology"):
        LifeRule("B3/S23", 10, 10, "moebius")
