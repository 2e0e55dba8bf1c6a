"""Canonical YAML text for scene trees: stable, byte-for-byte reproducible formatting.

Mappings are written in the order given (callers pass `schema.canonical` trees): short ones of
plain values on one line (`config: {rule: B3/S23, width: 128}`), others in block style; lists of
scalars in flow style (`at: [10, 10]`); long strings folded (`>-`), multi-line ones as literal
blocks (`|-`); floats in
their shortest round-trip form (float32 params print as `0.15`, not `0.15000000596`). NumPy
scalars and arrays are turned into plain Python values first.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import yaml

#: strings longer than this are written folded (`>`), over several lines
FOLD_AT = 72
#: mappings of plain values up to about this many characters go on one line (`{a: 1, b: 2}`)
FLOW_MAX = 80


class _Dumper(yaml.SafeDumper):
    """SafeDumper with flow-style scalar lists and literal multi-line strings."""


def _repr_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = all(not isinstance(x, dict | list) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _repr_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    if len(data) > FOLD_AT and data == data.strip() and "  " not in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=">")
    return dumper.represent_str(data)


def _flat(value: object) -> bool:
    if isinstance(value, dict):
        return not value
    if isinstance(value, list):
        return all(not isinstance(x, dict | list) for x in value)
    return not (isinstance(value, str) and ("\n" in value or len(value) > FOLD_AT))


def _repr_dict(dumper: yaml.SafeDumper, data: dict) -> yaml.Node:
    size = sum(len(str(k)) + len(str(v)) + 4 for k, v in data.items())
    flow = bool(data) and size <= FLOW_MAX and all(_flat(v) for v in data.values())
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


_Dumper.add_representer(list, _repr_list)
_Dumper.add_representer(str, _repr_str)
_Dumper.add_representer(dict, _repr_dict)


def plain(value: Any) -> Any:
    """Turn NumPy/JAX scalars and arrays (and tuples) into YAML-able Python values."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        # a float32 value widened to float64 (0.6666666865348816) prints as float32 (0.6666667)
        if np.isfinite(value) and float(np.float32(value)) == value:
            return short_float(value, np.float32)
        return value
    if hasattr(value, "__array__") or isinstance(value, np.generic):
        array = np.asarray(value)
        if array.ndim > 0:
            return [plain(item) for item in array]
        if array.dtype.kind == "b":
            return bool(array)
        if array.dtype.kind in "iu":
            return int(array)
        if array.dtype.kind == "f":
            return short_float(array, array.dtype)
        return array.item()
    return value


def short_float(value: Any, dtype: Any = np.float64) -> float:
    """The shortest decimal that reads back to the same value in `dtype` (float32 -> 0.15)."""
    typed = np.dtype(dtype).type(value)
    return float(np.format_float_positional(typed, unique=True, trim="-")) \
        if np.isfinite(typed) else float(typed)


def dump_yaml(tree: dict[str, Any]) -> str:
    """YAML text for a (canonically ordered) tree."""
    return yaml.dump(plain(tree), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=88, default_flow_style=False)
