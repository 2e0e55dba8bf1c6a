"""Limits on what a scene may ask for, checked before anything is allocated or compiled.

World size (`check_size`, `check_memory`: against the process's budget, `alife.core.budget`,
which honours RLIMIT_AS, the cgroup limit and available memory), params size
(`check_params_size`, from shapes only, via `jax.eval_shape`), finite params (`check_finite`),
and config value types checked against the family factory's annotations
(`check_config_types`: a float or a bool where an int is expected, NaN or infinity where a
float is), so a typo or a hostile file gives one AlifeError rather than a hang, an
out-of-memory kill or an XLA crash.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any

import jax
import numpy as np

from alife import families as registry
from alife.core import budget
from alife.core.config import unknown_key_text
from alife.core.errors import AlifeError
from alife.core.rule import Params, Rule
from alife.scene.checks import Where
from alife.scene.checks import show as _show

#: refuse worlds with more cells than this (a typo like width: 1000000 should not hang)
MAX_CELLS = 2**28
#: the largest magnitude a float config value may have (rules compute in float32)
FLOAT32_MAX = float(np.finfo(np.float32).max)
#: refuse rules whose params alone would take more than this
MAX_PARAM_BYTES = 4 << 30
#: bytes a cell may take while a family builds a world (float64 grids such as Lenia's distance
#: and kernel tables) and steps it (complex64 FFT buffers), for the check before the factory
BYTES_PER_CELL = 16


def check_size(width: Any, height: Any, where: str | None) -> None:
    """Refuse worlds over MAX_CELLS cells, or whose grids (BYTES_PER_CELL a cell, a family's
    build buffers included) would not fit the process's budget (`alife.core.budget`), before
    anything is allocated."""
    if not (isinstance(width, int) and isinstance(height, int)):
        return
    if width * height > MAX_CELLS:
        raise AlifeError(f"a {width} x {height} world has {width * height:,} cells; expected "
                         f"at most 2^28 = {MAX_CELLS:,}", where=where)
    budget.require(where or "rule.config", float(max(width, 0)) * max(height, 0) *
                   BYTES_PER_CELL, f"a {width} x {height} world")


def _available_bytes() -> int | None:
    """Bytes a request may plan to use: the accelerator's free memory, else the process's
    budget on the CPU (its RLIMIT_AS, cgroup limit and available memory, `alife.core.budget`)."""
    try:
        if jax.default_backend() != "cpu":
            stats = jax.devices()[0].memory_stats() or {}
            if "bytes_limit" in stats:
                return int(stats["bytes_limit"]) - int(stats.get("bytes_in_use", 0))
            return None
    except (OSError, ValueError, RuntimeError):
        return None
    return budget.memory_limit()[0]


def tree_bytes(shapes: Any) -> int:
    return sum(int(np.prod(s.shape)) * np.dtype(s.dtype).itemsize
               for s in jax.tree_util.tree_leaves(shapes))


def check_params_size(rule: Rule, where: str | None) -> int:
    """Bytes the rule's default params take (from shapes only); AlifeError when over
    MAX_PARAM_BYTES or what is available (a typo like `hidden: 10000000`)."""
    try:
        need = tree_bytes(jax.eval_shape(rule.default_params))
    except Exception:  # noqa: BLE001 - not traceable (e.g. reads a file): checked once built
        return 0
    have = _available_bytes()
    if need > MAX_PARAM_BYTES or (have is not None and need > have):
        raise AlifeError(f"the rule's params need {need / 2**30:.1f} GiB; expected at most "
                         f"{MAX_PARAM_BYTES / 2**30:.0f} GiB (smaller config values)",
                         where=where)
    return need


def check_memory(rule: Rule, params: Params, where: str | None) -> int:
    """Refuse a world whose state, times the copies its step holds (`Rule.step_copies`), would
    not fit in available memory; returns the state's size in bytes."""
    h, w = rule.shape
    check_size(int(w), int(h), where)
    try:
        shapes = jax.eval_shape(rule.init, jax.random.PRNGKey(0), params)
    except (TypeError, ValueError, IndexError, ArithmeticError) as exc:  # e.g. a negative size
        text = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        raise AlifeError(f"the {rule.family!r} family cannot build a world from this config "
                         f"({text}); expected config values in range", where=where) from None
    state_bytes = tree_bytes(shapes)
    need = rule.step_copies * state_bytes
    have = _available_bytes()
    if have is not None and need > have:
        copies, size = rule.step_copies, budget.size_text(state_bytes)
        raise AlifeError(f"a {w} x {h} world needs about {budget.size_text(need)} to run "
                         f"({copies} x its {size} state); the limit is "
                         f"{budget.size_text(have)}; expected a smaller world", where=where)
    return state_bytes


def check_finite(params: Params, where: str) -> None:
    for path, leaf in jax.tree_util.tree_flatten_with_path(params)[0]:
        array = np.asarray(leaf)
        if array.dtype.kind == "f" and not np.all(np.isfinite(array)):
            name = jax.tree_util.keystr(path).lstrip(".")
            raise AlifeError(f"param {name!r} holds NaN or infinite values; expected finite "
                             "numbers", where=where)


_TESTS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "int": (lambda v: isinstance(v, int) and not isinstance(v, bool), "an integer"),
    "float": (lambda v: isinstance(v, int | float) and not isinstance(v, bool)
              and math.isfinite(v), "a finite number"),
    "bool": (lambda v: isinstance(v, bool), "true or false"),
    "str": (lambda v: isinstance(v, str), "text"),
    "None": (lambda v: v is None, "null"),
    "tuple": (lambda v: isinstance(v, list | tuple), "a list"),
    "list": (lambda v: isinstance(v, list | tuple), "a list"),
}


def _accepts(annotation: Any, value: Any) -> tuple[bool, str] | None:
    """(whether `value` fits a factory's annotation, what it expects in words), for an
    annotation such as "int" or "float | None"; None when it names a type not known here."""
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    names = [part.strip().split("[")[0] for part in str(text).split("|")]
    if not names or any(n not in _TESTS for n in names):
        return None
    what = " or ".join(dict.fromkeys(_TESTS[n][1] for n in names))
    return any(_TESTS[n][0](value) for n in names), what


def check_config_types(family: str, config: dict[str, Any], where: Where) -> None:
    """Refuse config values of the wrong type for the family's factory (a float or a bool where
    an int is expected, NaN or infinity where a float is) before the factory sees them."""
    try:
        params = inspect.signature(registry.families()[family].factory).parameters
    except (KeyError, TypeError, ValueError):
        return
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    named = [n for n, p in params.items() if n != "self" and p.kind in
             (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)]
    for key in config:
        if not takes_any and key not in named:
            raise where.error(("rule", "config", key),
                              unknown_key_text(key, named, "rule.config"))
    for key, value in config.items():
        if isinstance(value, float) and not (math.isfinite(value) and abs(value) <= FLOAT32_MAX):
            raise where.error(("rule", "config", key), f"got {value}; expected a finite number "
                                                       f"(magnitude at most {FLOAT32_MAX:.3g})")
        spec = params.get(key)
        if spec is None or spec.annotation is inspect.Parameter.empty:
            continue
        verdict = _accepts(spec.annotation, value)
        if verdict is not None and not verdict[0]:
            raise where.error(("rule", "config", key), f"got {_show(value)} "
                                                       f"({type(value).__name__}); expected "
                                                       f"{verdict[1]}")
