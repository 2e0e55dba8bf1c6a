"""Frozen pytree dataclasses for State and Params, and parameter metadata for sliders.

State and Params of every rule are frozen dataclasses registered as JAX pytrees, so they pass
through `jit`, `vmap` and `lax.scan` unchanged. Params hold arrays only: a slider changes a number
without recompiling, and a population vmaps over params. A slider param declares its range and,
optionally, its default in one place (`param(low, high, doc, default=...)`; `param_defaults`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, TypeVar

import jax
import jax.numpy as jnp
import numpy as np

T = TypeVar("T")


def pytree_dataclass(cls: type[T]) -> type[T]:
    """Make `cls` a frozen dataclass whose fields are all pytree children."""
    cls = dataclass(frozen=True)(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    return jax.tree_util.register_dataclass(cls, data_fields=names, meta_fields=[])


@dataclass(frozen=True)
class ParamSpec:
    """What the app needs to draw a slider for one param: its range and a short description."""

    name: str
    low: float
    high: float
    doc: str = ""
    integer: bool = False
    default: float | None = None


def param(low: float, high: float, doc: str = "", integer: bool = False,
          default: float | None = None) -> Any:
    """Declare a Params field with the range a slider should offer and, optionally, the value
    the rule starts from (stated once, next to its range; must lie in [low, high])."""
    if default is not None and not low <= default <= high:
        raise ValueError(f"default {default} outside the range [{low}, {high}]")
    return field(metadata={"low": low, "high": high, "doc": doc, "integer": integer,
                           "default": default})


def param_defaults(cls: Any) -> dict[str, float]:
    """The declared defaults of a Params class (or instance), by field name, in field order;
    fields declared without one are left out."""
    return {f.name: f.metadata["default"] for f in dataclasses.fields(cls)
            if f.metadata.get("default") is not None}


def param_specs(params: Any) -> list[ParamSpec]:
    """The slider-able scalar params of a Params instance (fields declared with `param`)."""
    specs = []
    for f in dataclasses.fields(params):
        if "low" in f.metadata:
            specs.append(
                ParamSpec(f.name, f.metadata["low"], f.metadata["high"], f.metadata["doc"],
                          f.metadata["integer"], f.metadata.get("default"))
            )
    return specs


def params_to_dict(params: Any) -> dict[str, np.ndarray]:
    """Params as a plain dict of NumPy arrays (for `.npz` and YAML)."""
    return {f.name: np.asarray(getattr(params, f.name)) for f in dataclasses.fields(params)}


def replace_params(params: T, **values: Any) -> T:
    """A copy of `params` with some fields set, each cast to the dtype and shape it had."""
    cast = {}
    for name, value in values.items():
        old = jnp.asarray(getattr(params, name))
        new = jnp.asarray(value, dtype=old.dtype)
        if new.shape != old.shape:
            new = jnp.broadcast_to(new, old.shape) if new.ndim == 0 else new
        cast[name] = new
    return dataclasses.replace(params, **cast)
