"""Every registered family x every optional capability it declares (`alife.core.rule`).

Each family is built from its registry `example`, so a plug-in family installed later is covered
without a line here. For each capability class the rule is an instance of, the hook is called
the way the app and the commands call it and its answer checked: `Inspecting.inspect` gives a
dict at the centre cell; `Placing.place` of choice 0 at the centre changes the state (or raises
`AlifeError` saying why); `Removing.remove_entities` under an all-True mask leaves no live
entity (for an `EntityWorld`); `Linked.links` gives three arrays of matching length, also under
jit; `NamedStates.state_names` names every state; `LineageLog.lineage_events` gives rows;
`EntityWorld.entity_kinds` names every kind its entities use, with a shape the renderer draws;
`ColourKey` gives a colour per named state and a sensible value range; every
`EventCounts` metric (and its running total) is among the rule's metrics.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from alife import families as registry
from alife.core import rule as core
from alife.core.errors import AlifeError

FAMILIES = sorted(registry.families())


@cache
def _world(name: str) -> tuple[Any, Any, Any]:
    rule = registry.create(name, **registry.families()[name].example)
    params = rule.default_params()
    return rule, params, rule.init(jax.random.PRNGKey(0), params)


def _centre(rule: Any) -> tuple[int, int]:
    h, w = rule.shape
    return h // 2, w // 2


def _leaves(tree: Any) -> list[tuple[tuple[int, ...], Any]]:
    return [(np.shape(x), np.asarray(x).dtype) for x in jax.tree_util.tree_leaves(tree)]


def _changed(a: Any, b: Any) -> bool:
    return any(not np.array_equal(np.asarray(x), np.asarray(y)) for x, y in
               zip(jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b), strict=True))


def _inspecting(rule: Any, params: Any, state: Any) -> None:
    info = rule.inspect(state, params, *_centre(rule))
    assert isinstance(info, dict) and all(isinstance(k, str) for k in info)


def _placing(rule: Any, params: Any, state: Any) -> None:
    choices = rule.place_choices(params)
    assert isinstance(choices, tuple) and choices and all(isinstance(c, str) for c in choices)
    try:
        placed = rule.place(state, params, *_centre(rule), 0)
    except AlifeError as exc:  # nothing to place there: it must say why
        assert str(exc).strip()
        return
    assert _leaves(placed) == _leaves(state) and _changed(placed, state)


def _removing(rule: Any, params: Any, state: Any) -> None:
    removed = rule.remove_entities(state, params, jnp.ones(rule.shape, bool))
    assert _leaves(removed) == _leaves(state)
    if isinstance(rule, core.EntityWorld):
        assert not np.asarray(rule.entities(removed, params).alive).any()


def _linked(rule: Any, params: Any, state: Any) -> None:
    for starts, ends, mask in (rule.links(state, params), jax.jit(rule.links)(state, params)):
        starts, ends, mask = np.asarray(starts), np.asarray(ends), np.asarray(mask)
        assert starts.shape[0] == ends.shape[0] == mask.shape[0]
        assert starts.shape[1:] == ends.shape[1:] == (2,) and mask.dtype == bool


def _named_states(rule: Any, params: Any, state: Any) -> None:
    names = rule.state_names
    assert len(names) == rule.num_states and all(isinstance(n, str) and n for n in names)


def _lineage_log(rule: Any, params: Any, state: Any) -> None:
    events = rule.lineage_events(None, state)
    assert isinstance(events, list) and all(isinstance(e, dict) for e in events)


def _rule_table(rule: Any, params: Any, state: Any) -> None:
    value = rule.langton_lambda(params)
    assert 0.0 <= value <= 1.0


def _pattern_rule_text(rule: Any, params: Any, state: Any) -> None:
    text = rule.pattern_rule_text(params)
    assert isinstance(text, str) and text
    assert registry.family_of(rule).read_rule_text(text, *rule.shape) is not None


def _space_time(rule: Any, params: Any, state: Any) -> None:
    cells = rule.cells(state)
    assert rule.current_row(cells).shape == (rule.shape[1],)


def _image_target(rule: Any, params: Any, state: Any) -> None:
    try:
        target = rule.target_from_state(state, 8)
    except AlifeError as exc:
        assert str(exc).strip()
        return
    assert target.shape == (8, 8, 4) and target.dtype == np.float32


def _entity_world(rule: Any, params: Any, state: Any) -> None:
    kinds = rule.entity_kinds()
    assert kinds and all(isinstance(k, core.EntityKind) and k.name for k in kinds)
    assert all(k.shape in core.ENTITY_SHAPES for k in kinds)
    used = np.asarray(rule.entities(state, params).kind)
    assert used.size == 0 or int(used.max()) < len(kinds)  # every kind it uses is named


def _colour_key(rule: Any, params: Any, state: Any) -> None:
    from alife.scene.palettes import parse_colour

    if rule.state_colours:
        assert isinstance(rule, core.NamedStates)
        assert len(rule.state_colours) == len(rule.state_names)
        for colour in rule.state_colours:
            parse_colour(colour)
    scale = rule.view_scale(params)
    if scale is not None:
        quantity, low, high = scale
        assert isinstance(quantity, str) and quantity and float(low) < float(high)


def _event_counts(rule: Any, params: Any, state: Any) -> None:
    metrics = rule.metrics(state, params)
    assert rule.event_metrics
    for name in rule.event_metrics:
        assert name in metrics, name
    for name, total in rule.event_totals.items():
        assert name in rule.event_metrics and total in metrics, (name, total)


def _fast_advance(rule: Any, params: Any, state: Any) -> None:
    from alife.core.rollout import step_key

    key = jax.random.PRNGKey(3)
    fast = rule.fast_advance(key, state, params, 5)
    if fast is None:  # no fast path for this configuration
        return
    slow = state
    for _ in range(5):
        slow = rule.step(step_key(key, slow.generation), slow, params)
    for a, b in zip(jax.tree_util.tree_leaves(fast), jax.tree_util.tree_leaves(slow),
                    strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


CHECKS: dict[type, Callable[[Any, Any, Any], None]] = {
    core.FastAdvance: _fast_advance,
    core.EntityWorld: _entity_world,
    core.ColourKey: _colour_key,
    core.EventCounts: _event_counts,
    core.RuleTable: _rule_table,
    core.PatternRuleText: _pattern_rule_text,
    core.SpaceTime: _space_time,
    core.ImageTarget: _image_target,
    core.Inspecting: _inspecting,
    core.Placing: _placing,
    core.Removing: _removing,
    core.Linked: _linked,
    core.NamedStates: _named_states,
    core.LineageLog: _lineage_log,
}


def _declared() -> list[tuple[str, type]]:
    """(family, capability) pairs to check: those the family's rule class declares (a factory
    that is not a class is checked against every capability, skipping the ones it lacks)."""
    pairs = []
    for name in FAMILIES:
        factory = registry.families()[name].factory
        for capability in CHECKS:
            if not isinstance(factory, type) or issubclass(factory, capability):
                pairs.append((name, capability))
    return pairs


@pytest.mark.parametrize(("name", "capability"), _declared(),
                         ids=lambda v: v if isinstance(v, str) else v.__name__)
def test_declared_capability_works(name: str, capability: type) -> None:
    rule, params, state = _world(name)
    if not isinstance(rule, capability):
        pytest.skip(f"{name} does not declare {capability.__name__}")
    CHECKS[capability](rule, params, state)


def test_the_built_in_entity_families_declare_their_tools() -> None:
    agents, biomaker = _world("agents")[0], _world("biomaker")[0]
    for capability in (core.Inspecting, core.Placing, core.Removing, core.Linked,
                       core.LineageLog):
        assert isinstance(agents, capability), capability.__name__
    for capability in (core.Inspecting, core.Placing, core.Removing, core.NamedStates,
                       core.StartDependsOnParams):
        assert isinstance(biomaker, capability), capability.__name__
