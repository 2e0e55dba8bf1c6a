"""Settings blocks: one way to declare, check and save every config block of a scene or file.

A block is a frozen dataclass whose fields are declared with `setting(...)`: the annotation is the
type, and the field carries its default, an allowed range or set of choices, and a doc line:

    @dataclass(frozen=True)
    class RunBlock:
        steps: int = setting(100, low=1, doc="world steps per evaluation")
        start: str = setting("scene", choices=("scene", "random"), doc="how a run starts")

`parse_block(RunBlock, data, "evolution")` checks a mapping and returns an instance: unknown keys
are refused with the nearest valid one ("unknown key `stpes`; did you mean `steps`?"), values
are checked against their type (a bool is not an int; ints are integral and fit in 64 bits;
floats are finite; strings; `list[T]`, `dict[str, T]`, `T | None`), their range and their
choices; a field whose type is another block is parsed recursively with a dotted location
(`evolution.genome.kind`). A block may define `validate(self, where)` for checks across fields.
Every error is an `AlifeError` whose `where` is the dotted key.

`to_plain(block)` turns an instance back into a plain mapping: only the keys the source gave or
that differ from their defaults, so saving a parsed block writes what the file said.

A setting that names a file or folder says so and what it is relative to:
`setting(None, path="file", doc=...)` (the folder of the file the block is in: the scene file,
a sweep file) or `path="cwd"` (the working folder, e.g. a run's output folder).
`path_keys(Block)` lists them, nested blocks included, so whoever moves a scene (Save As into
another folder, the app's autosave) rewrites every file-relative path from the schema, not from
a list of key names (`alife.scene.paths`).
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Mapping
from dataclasses import MISSING, dataclass
from typing import Any

from alife.core.errors import AlifeError, did_you_mean, unknown_name

#: the widest integer a setting may hold (values are int64 downstream)
INT_LIMIT = 2**63
_META = "alife.setting"
_GIVEN = "_given_keys"
#: what a path-valued setting is relative to: the folder of the file the block is in (a scene
#: file, a sweep file), or the working folder
PATH_BASES = ("file", "cwd")


@dataclass(frozen=True)
class Spec:
    """What a field allows beyond its type: a closed range, a lower bound it must exceed, a
    set of choices, and a doc line for the docs and error messages."""

    low: float | None = None
    high: float | None = None
    above: float | None = None
    choices: tuple[Any, ...] | None = None
    doc: str = ""
    #: None, or what the value (a file or folder path) is relative to: one of PATH_BASES
    path: str | None = None

    def describe(self) -> str:
        """The allowed values in words (`in [1, 100]`, `> 0`), or ""."""
        if self.choices is not None:
            return "one of " + ", ".join(str(c) for c in self.choices)
        parts = []
        if self.above is not None:
            parts.append(f"> {self.above:g}")
        if self.low is not None and self.high is not None:
            return f"in [{self.low:g}, {self.high:g}]"
        if self.low is not None:
            parts.append(f">= {self.low:g}")
        if self.high is not None:
            parts.append(f"<= {self.high:g}")
        return " and ".join(parts)


def setting(default: Any = MISSING, *, low: float | None = None, high: float | None = None,
            above: float | None = None, choices: Any = None, doc: str = "",
            path: str | None = None) -> Any:
    """A block field: its default (lists are copied per instance), range or choices, doc, and
    for a file or folder path what it is relative to (`path`: "file" or "cwd")."""
    if path is not None and path not in PATH_BASES:
        raise ValueError(f"path={path!r}; expected one of {PATH_BASES}")
    spec = Spec(low, high, above, None if choices is None else tuple(choices), doc, path)
    meta = {_META: spec}
    if isinstance(default, list | dict):
        copy = list(default) if isinstance(default, list) else dict(default)
        return dataclasses.field(default_factory=lambda: type(copy)(copy), metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def is_block(tp: Any) -> bool:
    """Whether `tp` is a block class (a dataclass type)."""
    return isinstance(tp, type) and dataclasses.is_dataclass(tp)


def spec_of(field: dataclasses.Field) -> Spec:
    return field.metadata.get(_META) or Spec()


def block_keys(cls: type) -> tuple[str, ...]:
    """The keys a block accepts, in declaration order."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _block_in(tp: Any) -> type | None:
    """The block class annotation `tp` holds (`Block` or `Block | None`), else None."""
    if is_block(tp):
        return tp
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if is_block(a)]
        return inner[0] if len(inner) == 1 else None
    return None


def path_keys(cls: type) -> dict[tuple[str, ...], str]:
    """The path-valued keys of block class `cls`, nested blocks included: {key path: what the
    path is relative to ("file" or "cwd")}, e.g. `{("target",): "file", ("out",): "cwd"}`."""
    hints = _hints(cls)
    found: dict[tuple[str, ...], str] = {}
    for field in dataclasses.fields(cls):
        if not field.init:
            continue
        base = spec_of(field).path
        inner = _block_in(hints[field.name])
        if base is not None:
            found[(field.name,)] = base
        elif inner is not None:
            found.update({(field.name,) + key: b for key, b in path_keys(inner).items()})
    return found


def _default(field: dataclasses.Field) -> Any:
    if field.default is not MISSING:
        return field.default
    if field.default_factory is not MISSING:
        return field.default_factory()
    return MISSING


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if tp is Any or tp is object:
        return "any value"
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        names = " or ".join(_type_name(a) for a in args)
        return f"{names} or null" if len(args) < len(typing.get_args(tp)) else names
    if origin in (list, tuple):
        return f"a list ({_type_name(typing.get_args(tp)[0])} each)"
    if origin is dict or tp is dict:
        return "a mapping"
    if is_block(tp):
        return "a mapping"
    return {bool: "true or false", int: "an integer", float: "a finite number",
            str: "a string"}.get(tp, getattr(tp, "__name__", str(tp)))


def _fail(where: str, value: Any, expected: str) -> AlifeError:
    return AlifeError(f"got {_show(value)}; expected {expected}", where=where)


def _scalar(tp: Any, value: Any, where: str) -> Any:
    if tp is bool:
        if isinstance(value, bool):
            return value
        raise _fail(where, value, "true or false")
    if tp is int:
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and \
                -INT_LIMIT <= value < INT_LIMIT:
            return value
        raise _fail(where, value, "an integer")
    if tp is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            try:
                number = float(value)
            except OverflowError:
                number = math.inf
            if math.isfinite(number):
                return number
        raise _fail(where, value, "a finite number")
    if tp is str:
        if isinstance(value, str):
            return value
        raise _fail(where, value, "a string")
    raise TypeError(f"setting type {tp!r} is not supported at {where}")


def check_value(tp: Any, value: Any, where: str) -> Any:
    """`value` checked (and normalised: 3.0 -> 3 for an int) against annotation `tp`."""
    if tp is Any or tp is object:
        return value
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in (a for a in args if a is not type(None)):
            try:
                return check_value(arg, value, where)
            except AlifeError as exc:
                errors.append(exc)
        if len(errors) == 1:
            raise errors[0]
        raise _fail(where, value, _type_name(tp))
    if is_block(tp):
        return parse_block(tp, value, where)
    if origin in (list, tuple):
        if not isinstance(value, list | tuple):
            raise _fail(where, value, _type_name(tp))
        item = typing.get_args(tp)[0]
        out = [check_value(item, v, f"{where}.{i}") for i, v in enumerate(value)]
        return out if origin is list else tuple(out)
    if origin is dict or tp is dict:
        if not isinstance(value, Mapping):
            raise _fail(where, value, "a mapping")
        args = typing.get_args(tp) or (str, Any)
        out_map = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise AlifeError(f"key {_show(k)} is not a string; expected string keys",
                                 where=where)
            out_map[k] = check_value(args[1], v, f"{where}.{k}")
        return out_map
    return _scalar(tp, value, where)


def _numbers(value: Any) -> list[tuple[str, float]]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [("", value)]
    if isinstance(value, list | tuple):
        return [(f".{i}{sub}", n) for i, v in enumerate(value) for sub, n in _numbers(v)]
    return []


def check_spec(spec: Spec, value: Any, where: str) -> None:
    """Choices and range of a checked value (ranges apply to each number in a list)."""
    if value is None:
        return
    if spec.choices is not None and value not in spec.choices:
        raise AlifeError(unknown_name("value", value, spec.choices), where=where)
    for sub, number in _numbers(value):
        bad = (spec.low is not None and number < spec.low) or \
              (spec.high is not None and number > spec.high) or \
              (spec.above is not None and number <= spec.above)
        if bad:
            raise _fail(where + sub, number, f"a number {spec.describe()}")


def parse_block(cls: type, data: Any, where: str) -> Any:
    """Check mapping `data` against block class `cls` and return an instance (module doc)."""
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise _fail(where, data, f"a mapping with keys such as {', '.join(block_keys(cls)[:4])}")
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    for key in data:
        if key not in fields:
            raise unknown_key(key, fields, where)
    hints = _hints(cls)
    values: dict[str, Any] = {}
    for name, field in fields.items():
        here = _join(where, name)
        if name in data:
            value = check_value(hints[name], data[name], here)
            check_spec(spec_of(field), value, here)
            values[name] = value
        elif is_block(hints[name]) and _default(field) is MISSING:
            values[name] = parse_block(hints[name], {}, here)
        elif _default(field) is MISSING:
            raise AlifeError(f"missing required key `{name}`", where=where)
    try:
        instance = cls(**values)
    except (TypeError, ValueError) as exc:
        raise AlifeError(str(exc), where=where) from None
    object.__setattr__(instance, _GIVEN, frozenset(data))
    check = getattr(instance, "validate", None)
    if callable(check):
        check(where)
    return instance


def unknown_key_text(key: Any, known: Any, block: str = "") -> str:
    """"unknown key `x` in block; did you mean `y`? (expected one of ...)", one line."""
    names = sorted(str(k) for k in known)
    listed = ", ".join(names) if len(names) <= 16 else ", ".join(names[:16]) + ", ..."
    inside = f" in {block}" if block else ""
    expected = f"expected one of {listed}" if names else "this block takes no keys"
    return f"unknown key `{key}`{inside}{did_you_mean(str(key), names)} ({expected})"


def unknown_key(key: Any, known: Any, where: str) -> AlifeError:
    """The error for a key block `where` does not declare; its location is the key itself."""
    return AlifeError(unknown_key_text(key, known, where), where=_join(where, key))


def _join(where: str, key: Any) -> str:
    return f"{where}.{key}" if where else str(key)


def given_keys(block: Any) -> frozenset[str]:
    """The keys the source of a parsed block gave (empty for one built in code)."""
    return getattr(block, _GIVEN, frozenset())


def to_plain(block: Any) -> dict[str, Any]:
    """A block as a plain mapping: the keys its source gave or whose value is not the default
    (nested blocks likewise, left out when empty and not given); lists stay lists."""
    given = given_keys(block)
    out: dict[str, Any] = {}
    for field in dataclasses.fields(block):
        if not field.init:
            continue
        value = getattr(block, field.name)
        if is_block(type(value)):
            inner = to_plain(value)
            if inner or field.name in given:
                out[field.name] = inner
            continue
        if field.name in given or value != _default(field):
            out[field.name] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def as_dict(block: Any) -> dict[str, Any]:
    """Every field of a block (defaults included) as a plain mapping, nested blocks too."""
    out = {}
    for field in dataclasses.fields(block):
        value = getattr(block, field.name)
        out[field.name] = as_dict(value) if is_block(type(value)) else _plain(value)
    return out


def describe_block(cls: type) -> list[tuple[str, str, Any, str]]:
    """(key, type, default, doc + allowed values) for each field: for docs and `--help`."""
    hints = _hints(cls)
    rows = []
    for field in dataclasses.fields(cls):
        if not field.init:
            continue
        spec = spec_of(field)
        default = _default(field)
        allowed = spec.describe()
        doc = f"{spec.doc} ({allowed})" if allowed and spec.doc else spec.doc or allowed
        if spec.path is not None and "relative to" not in doc:
            where = "this file" if spec.path == "file" else "the working folder"
            doc = f"{doc} (a path relative to {where})".lstrip()
        rows.append((field.name, _type_name(hints[field.name]),
                     None if default is MISSING else default, doc))
    return rows
