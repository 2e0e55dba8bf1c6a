"""Elementary / k-colour / totalistic 1-D CA against independent references: OEIS A051023 (rule 30's
centre column), a pure-Python/NumPy stepper for random rules and boundaries, packed == unpacked,
Wolfram's k=3 r=1 totalistic code 777, the scrolling space-time view, rule strings, painting."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife import families as registry
from alife.core.errors import AlifeError
from alife.core.rollout import run
from alife.rules.elementary import ElementaryRule

# OEIS A051023, first 20 terms, as printed in the spec.
A051023_20 = [1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 1]


def ref_step(row: np.ndarray, number: int, k: int, r: int, boundary: str,
             totalistic: bool = False) -> np.ndarray:
    """Cell by cell in plain Python: read the neighbourhood, look up the base-k digit."""
    w = len(row)
    out = np.zeros(w, np.uint8)
    outside = {"fixed0": 0, "fixed1": 1}.get(boundary)
    for x in range(w):
        hood = []
        for dx in range(-r, r + 1):
            xx = x + dx
            hood.append(row[xx % w] if (0 <= xx < w or outside is None) else outside)
        if totalistic:
            index = sum(int(c) for c in hood)
        else:
            index = 0
            for c in hood:
                index = index * k + int(c)
        out[x] = (number // k**index) % k
    return out


def ref_centre_column(n: int) -> list[int]:
    """Rule 30 from a single cell, on a row wide enough never to wrap."""
    w = 2 * n + 3
    row = np.zeros(w, np.uint8)
    row[w // 2] = 1
    column = []
    for _ in range(n):
        column.append(int(row[w // 2]))
        row = ref_step(row, 30, 2, 1, "fixed0")
    return column


def evolve(rule: ElementaryRule, steps: int, key=0):
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(key), params)
    return run(rule, jax.random.PRNGKey(1), state, params, steps), params


@pytest.mark.parametrize("fast", [True, False])
def test_rule30_centre_column_is_a051023(fast):
    reference = ref_centre_column(100)
    assert reference[:20] == A051023_20
    rule = ElementaryRule(rule=30, width=256, history=100, start="single", fast=fast)
    assert rule.packed == fast
    state, _ = evolve(rule, 99)
    diagram = np.asarray(rule.cells(state))
    assert diagram.shape == (100, 256)
    assert diagram[:, 128].tolist() == reference


@pytest.mark.parametrize("boundary", ["periodic", "fixed0", "fixed1"])
def test_random_rules_match_reference(boundary):
    """One instance per width; each random rule is only new params (one compile)."""
    rng = np.random.default_rng(len(boundary))
    for width in (64, 45):  # packed and unpacked
        rule = ElementaryRule(width=width, boundary=boundary, start="random", history=16)
        assert rule.packed == (width == 64)
        step, newest = jax.jit(rule.step), jax.jit(lambda s, rule=rule: rule.cells(s)[-1])
        for _ in range(4):
            number = int(rng.integers(256))
            _, params = rule.apply_rule_text(f"rule {number}", rule.default_params())
            state = rule.init(jax.random.PRNGKey(int(rng.integers(1000))), params)
            row = np.asarray(rule.cells(state))[-1].astype(np.uint8)
            for _ in range(20):
                row = ref_step(row, number, 2, 1, boundary)
                state = step(jax.random.PRNGKey(0), state, params)
                np.testing.assert_array_equal(np.asarray(newest(state)), row)


@pytest.mark.parametrize("kind,k,r,number", [
    ("totalistic", 3, 1, 777),
    ("totalistic", 2, 1, 10),  # 2-colour totalistic runs bit-packed
    ("totalistic", 4, 2, 123456789),
    ("elementary", 3, 1, 3**27 // 7),
    ("elementary", 2, 2, 0xDEADBEEF),
])
def test_general_rules_match_reference(kind, k, r, number):
    for boundary in ("periodic", "fixed1"):
        rule = ElementaryRule(kind=kind, k=k, r=r, rule=number, width=64, boundary=boundary,
                              start="random", history=4)
        state = rule.init(jax.random.PRNGKey(3), rule.default_params())
        row = np.asarray(rule.cells(state))[-1].astype(np.uint8)
        assert row.max() == k - 1
        for _ in range(15):
            row = ref_step(row, number, k, r, boundary, totalistic=kind == "totalistic")
        state, _ = evolve(rule, 15, key=3)
        np.testing.assert_array_equal(np.asarray(rule.cells(state))[-1], row)


def test_code_777_from_a_single_cell():
    """k=3 r=1 totalistic code 777: base-3 digits 1001210 (sum 0 -> 0, 1 -> 1, 2 -> 2, 3 -> 1)."""
    rule = ElementaryRule(kind="totalistic", k=3, code=777, width=101, history=40)
    assert np.asarray(rule.default_params().table).tolist() == [0, 1, 2, 1, 0, 0, 1]
    state, _ = evolve(rule, 39)
    diagram = np.asarray(rule.cells(state))
    row = np.zeros(101, np.uint8)
    row[50] = 1
    for t in range(40):
        np.testing.assert_array_equal(diagram[t], row)
        row = ref_step(row, 777, 3, 1, "periodic", totalistic=True)
    assert rule.rule_text(rule.default_params()) == "code 777 k=3 r=1"


def test_packed_equals_unpacked():
    fast = ElementaryRule(width=96, start="random", history=24)
    slow = ElementaryRule(width=96, start="random", history=24, fast=False)
    assert fast.packed and not slow.packed
    for number in (30, 90, 110, 184, 45):
        _, params = fast.apply_rule_text(f"W{number}", fast.default_params())
        key = jax.random.PRNGKey(number)
        a = run(fast, key, fast.init(key, params), params, 50)
        b = run(slow, key, slow.init(key, params), params, 50)
        np.testing.assert_array_equal(np.asarray(fast.cells(a)), np.asarray(slow.cells(b)))
        np.testing.assert_array_equal(np.asarray(fast.view(a, params)),
                                      np.asarray(slow.view(b, params)))
        assert (int(fast.metrics(a, params)["population"])
                == int(slow.metrics(b, params)["population"]))


@pytest.mark.parametrize("fast", [True, False])
def test_spacetime_view_scrolls(fast):
    rule = ElementaryRule(rule=110, width=32, history=8, start="random", fast=fast)
    params = rule.default_params()
    state = rule.init(jax.random.PRNGKey(5), params)
    step, look = jax.jit(rule.step), jax.jit(rule.view)
    rows = [np.asarray(rule.cells(state))[-1]]
    for t in range(1, 21):
        state = step(jax.random.PRNGKey(0), state, params)
        view = np.asarray(look(state, params))
        assert view.shape == (8, 32, 1) and view.dtype == np.uint8
        rows.append(view[-1, :, 0])
        newest = rows[-8:]
        # the last len(newest) rows are the newest rows in time order; older ones are blank
        np.testing.assert_array_equal(view[8 - len(newest):, :, 0], np.stack(newest))
        assert not view[: 8 - len(newest)].any()
        assert int(rule.metrics(state, params)["generation"]) == t
        assert int(rule.metrics(state, params)["population"]) == int(rows[-1].sum())
    assert rule.shape == (8, 32)


@pytest.mark.parametrize("fast", [True, False])
def test_paint_edits_the_newest_row(fast):
    rule = ElementaryRule(rule=90, width=64, history=6, fast=fast)
    params = rule.default_params()
    state = rule.step(None, rule.init(jax.random.PRNGKey(0), params), params)
    mask = np.zeros((6, 64), bool)
    mask[-1, 10:13] = True
    mask[2, 40] = True
    painted = rule.paint(state, params, jnp.asarray(mask), jnp.asarray(1.0))
    cells = np.asarray(rule.cells(painted))
    assert cells[mask].tolist() == [1, 1, 1, 1] and cells[-1, 10:13].tolist() == [1, 1, 1]
    nxt = np.asarray(rule.cells(rule.step(None, painted, params)))[-1]
    np.testing.assert_array_equal(nxt, ref_step(cells[-1].astype(np.uint8), 90, 2, 1, "periodic"))
    erased = rule.paint(painted, params, jnp.ones((6, 64), bool), jnp.asarray(-1.0))
    assert not np.asarray(rule.cells(erased)).any()
    assert int(rule.metrics(erased, params)["population"]) == 0


def test_rule_text_and_no_recompile_on_new_rule():
    rule = ElementaryRule(rule=30, width=64, history=4)
    params = rule.default_params()
    assert rule.rule_text(params) == "W30"
    for text in ("W110", "110", "rule 110", "Rule110", " w110 "):
        same, p = rule.apply_rule_text(text, params)
        assert same is rule and rule.rule_text(p) == "W110"
    other, p = rule.apply_rule_text("code 777 k=3 r=1", params)
    assert other is not rule and other.kind == "totalistic" and other.k == 3
    assert other.rule_text(p) == "code 777 k=3 r=1" and other.width == 64
    for bad in ("W256", "rule", "B3/S23", "code 777", "W30 k=99"):
        with pytest.raises(AlifeError):
            rule.apply_rule_text(bad, params)

    traces = []

    def counted(s, p):
        traces.append(1)
        return rule.step(None, s, p)

    step = jax.jit(counted)
    state = rule.init(jax.random.PRNGKey(0), params)
    for bit in range(8):  # toggle each rule bit in turn: params only
        table = params.table.at[bit].set(1 - params.table[bit])
        step(state, type(params)(table=table)).row.block_until_ready()
    assert len(traces) == 1


def test_registry_and_config_errors():
    rule = registry.create("elementary", rule=110, width=96, boundary="fixed1")
    assert registry.create("elementary", **rule.config()).config() == rule.config()
    for bad in ({"boundary": "klein"}, {"start": "middle"}, {"rule": 300}, {"kind": "lenia"},
                {"k": 1}, {"width": 0}, {"kind": "elementary", "k": 2, "r": 20}):
        with pytest.raises(AlifeError):
            registry.create("elementary", **bad)
