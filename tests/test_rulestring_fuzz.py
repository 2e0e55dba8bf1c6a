"""Property tests: random text thrown at every rule-string parser gives AlifeError or a rule.

Users paste rule strings from anywhere; whatever they paste, the parsers must answer with our
one error type (a clear message) or a valid result, never another exception. Valid strings must
survive a round trip through their canonical form.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alife.core.errors import AlifeError
from alife.rules.elementary import codes
from alife.rules.lenia import parse_rule_text
from alife.rules.life.rulestring import parse_rule

RULE_ALPHABET = "BSVHCRMNbsvhcrmn0123456789/,.:-_*TPKSWtpkw =aceijknqrtwyz"
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

rule_like = st.text(alphabet=RULE_ALPHABET, max_size=40)
any_text = st.text(max_size=40)


def _parse_or_error(parse, text):
    try:
        return parse(text)
    except AlifeError as exc:
        assert str(exc)  # a message, not an empty error
        return None


@FUZZ
@given(st.one_of(rule_like, any_text))
def test_life_parser_only_raises_our_error(text):
    spec = _parse_or_error(parse_rule, text)
    if spec is not None:
        again = parse_rule(spec.canonical() + spec.suffix())
        assert again.canonical() == spec.canonical()


@FUZZ
@given(st.lists(st.integers(0, 8), max_size=6), st.lists(st.integers(0, 8), max_size=6),
       st.sampled_from(["", "V", "H"]))
def test_life_totalistic_round_trip(birth, survive, suffix):
    top = {"": 8, "V": 4, "H": 6}[suffix]
    b = "".join(str(v) for v in sorted(set(birth)) if v <= top)
    s = "".join(str(v) for v in sorted(set(survive)) if v <= top)
    spec = parse_rule(f"B{b}/S{s}{suffix}")
    assert spec.birth == frozenset(int(c) for c in b)
    assert spec.survive == frozenset(int(c) for c in s)
    assert parse_rule(spec.canonical()) == spec


@FUZZ
@given(st.one_of(st.text(alphabet="Wwrulecodek=0123456789 ", max_size=24), any_text))
def test_elementary_parser_only_raises_our_error(text):
    _parse_or_error(lambda t: codes.parse_rule(t, "elementary", 2, 1), text)


@FUZZ
@given(st.one_of(st.text(alphabet="RTbmsk=0123456789.,/ ", max_size=40), any_text))
def test_lenia_parser_only_raises_our_error(text):
    _parse_or_error(parse_rule_text, text)
