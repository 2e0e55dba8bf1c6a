"""Complexity measures against independent truth: a textbook LZ76 parse, a direct Kaspar-Schuster
count, Langton's published lambda of Life, brute-force table counts, and known facts about
elementary rules (rule 30 and 110 complex, 0 and 204 simple; Wolfram's classes of classic rules).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from alife.instruments.compression import lzma_ratio, zlib_ratio
from alife.instruments.damage import boolean_lyapunov, damage_summary
from alife.instruments.entropy import block_entropy, cell_entropy
from alife.instruments.lambda_ import rule_lambda
from alife.instruments.lz76 import lz76, lz76_normalised
from alife.instruments.table import measure_rules
from alife.instruments.wolfram_class import estimate_class, period
from alife.rules.elementary import ElementaryRule
from alife.rules.life import LifeRule


def kaspar_schuster(s: str) -> int:
    """The LZ76 phrase count exactly as Kaspar & Schuster (1987) wrote the loop."""
    n = len(s)
    i, k, start, c, k_max = 0, 1, 1, 1, 1
    while True:
        if s[i + k - 1] == s[start + k - 1]:
            k += 1
            if start + k > n:
                c += 1
                break
        else:
            k_max = max(k, k_max)
            i += 1
            if i == start:
                c += 1
                start += k_max
                if start + 1 > n:
                    break
                i, k, k_max = 0, 1, 1
            else:
                k = 1
    return c


def test_lz76_textbook_parse():
    # Lempel & Ziv's example: 0 | 001 | 10 | 100 | 1000 | 101
    assert lz76("0001101001000101") == 6
    assert lz76(np.array([0, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1])) == 6


def test_lz76_matches_kaspar_schuster():
    rng = np.random.default_rng(0)
    for _ in range(300):
        n = int(rng.integers(2, 70))
        s = "".join("1" if b else "0" for b in rng.random(n) < rng.random())
        if rng.random() < 0.3:
            s = (s[:4] * 30)[:n]
        assert lz76(s) == kaspar_schuster(s), s


def test_lz76_normalised_limits():
    rng = np.random.default_rng(1)
    assert 0.9 < lz76_normalised(rng.integers(0, 2, 16384)) < 1.1
    assert lz76_normalised(np.zeros(16384, int)) < 0.01
    assert lz76_normalised(np.tile([0, 1, 1, 0, 1], 3000)) < 0.02


def test_compression_and_entropy():
    rng = np.random.default_rng(2)
    coin = rng.integers(0, 2, (128, 128))
    assert 0.95 < zlib_ratio(coin) < 1.1 and 0.95 < lzma_ratio(coin) < 1.1
    assert zlib_ratio(np.zeros((128, 128), int)) < 0.05
    assert abs(cell_entropy(coin) - 1.0) < 0.01
    assert cell_entropy(np.ones((8, 8))) == 0.0
    assert abs(block_entropy(coin, (2, 2)) - 1.0) < 0.02
    stripes = np.tile([0, 1], (64, 32))  # each row 0101...: two kinds of 1x4 blocks, 1 bit
    assert cell_entropy(stripes) == pytest.approx(1.0)
    assert block_entropy(stripes, (1, 4)) == pytest.approx(0.25, abs=1e-3)


def test_lambda_known_values():
    life = LifeRule("B3/S23", 32, 32)
    assert rule_lambda(life, life.default_params()) == pytest.approx(140 / 512)  # 0.273
    for number, expected in ((0, 0.0), (30, 0.5), (110, 0.625), (204, 0.5), (255, 1.0)):
        rule = ElementaryRule(number)
        assert rule_lambda(rule, rule.default_params()) == expected


def test_lambda_totalistic_by_enumeration():
    rule = ElementaryRule(code=777, kind="totalistic", k=3, r=1)
    table = np.asarray(rule.default_params().table)
    brute = np.mean([table[sum(c)] != 0 for c in itertools.product(range(3), repeat=3)])
    assert rule_lambda(rule, rule.default_params()) == pytest.approx(brute)


def test_period_finds_a_shift():
    rng = np.random.default_rng(3)
    row = rng.integers(0, 2, 50)
    moving = np.stack([np.roll(row, t) for t in range(60)])  # one cell per step
    p, shift = period(moving)
    assert p == 1 and shift == (1,)
    assert estimate_class(moving)[0] == 2
    assert estimate_class(rng.integers(0, 2, (60, 50)))[0] == 3
    assert estimate_class(np.ones((60, 50), int))[0] == 1


def test_damage_summary():
    assert damage_summary(np.ones((2, 40)), 100) == pytest.approx(
        {"damage": 0.01, "spreading": 1.0, "lyapunov": np.log(2) / 40})
    assert damage_summary(np.zeros((2, 40)), 100)["lyapunov"] == 0.0


def test_boolean_lyapunov_exact_values():
    rng = np.random.default_rng(4)
    row = rng.integers(0, 2, 40)
    diagram = np.stack([row] * 30)  # the exponent of these rules does not depend on the run
    table = lambda n: np.array([(n >> i) & 1 for i in range(8)])  # noqa: E731
    assert boolean_lyapunov(diagram, table(150)) == pytest.approx(np.log(3))  # XOR of three
    assert boolean_lyapunov(diagram, table(90)) == pytest.approx(np.log(2))  # XOR of two
    assert boolean_lyapunov(diagram, table(204)) == 0.0  # identity
    assert boolean_lyapunov(diagram, table(170)) == 0.0  # shift
    assert boolean_lyapunov(diagram, table(0)) == float("-inf")


CLASSES = {1: [0, 8, 32, 128], 2: [4, 108, 170, 204], 3: [30, 45, 90, 150], 4: [54, 110, 137]}


@pytest.fixture(scope="module")
def classic():
    rules = [str(n) for c in sorted(CLASSES) for n in CLASSES[c]]
    config = {"width": 224, "history": 1, "start": "random"}
    return {int(r["rule"]): r for r in measure_rules("elementary", rules, config)}


def test_classes_of_classic_rules(classic):
    for expected, numbers in CLASSES.items():
        for n in numbers:
            assert classic[n]["class"] == expected, (n, classic[n]["class_reason"])


def test_rule_30_and_110_complex_0_and_204_simple(classic):
    for complex_ in (30, 110):
        for simple in (0, 204):
            for measure in ("lz76_norm", "zlib", "lzma"):  # 204: random rows, frozen
                assert classic[complex_][measure] > 5 * classic[simple][measure], measure
    assert classic[30]["lz76_norm"] > 0.9 and classic[30]["damage"] > 0.2
    assert classic[30]["spreading"] == 1.0
    assert classic[150]["lyapunov_bool"] == pytest.approx(np.log(3))
    assert classic[30]["lyapunov_bool"] > 0.3 > classic[204]["lyapunov_bool"] == 0.0
    assert classic[0]["damage"] == 0.0  # rule 0 heals at once
    assert classic[204]["damage"] == pytest.approx(1 / 224)  # the identity keeps one bad cell


def test_rule_table_hooks_of_the_families():
    """What the instruments read through capabilities: Bagnoli's table, the listed rules."""
    from alife.core.rule import BooleanTable, RuleTable

    rule = ElementaryRule(30)
    table, r = rule.boolean_table(rule.default_params())
    assert r == 1 and list(table) == [(30 >> i) & 1 for i in range(8)]
    assert ElementaryRule(30, boundary="fixed0").boolean_table(rule.default_params()) is None
    three = ElementaryRule(code=777, kind="totalistic", k=3, r=1)
    assert three.boolean_table(three.default_params()) is None and not three.all_rule_texts()
    assert rule.all_rule_texts() == tuple(str(n) for n in range(256))
    life = LifeRule("B3/S23", 16, 16)
    assert isinstance(life, RuleTable) and not isinstance(life, BooleanTable)
    assert life.all_rule_texts() == ()
