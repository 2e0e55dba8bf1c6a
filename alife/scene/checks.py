"""Checking scene trees: where a key is (`file:line: dotted.key`) and small type tests.

Shared by the schema (`alife.scene.schema`) and the view settings (`alife.scene.view`); every
check raises an AlifeError naming the key and what was expected.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Sequence
from typing import Any

from alife.core.config import unknown_key_text
from alife.core.errors import AlifeError


class Where:
    """Names places in a scene for error messages: `file:line: dotted.key`."""

    def __init__(self, file: str, lines: dict[tuple, int] | None = None) -> None:
        self.file = file
        self.lines = lines or {}
        self.overridden: set[tuple] = set()

    def __call__(self, path: Sequence[Any] = ()) -> str:
        path = tuple(path)
        key = ".".join(str(p) for p in path)
        for n in range(len(path), -1, -1):
            if path[:n] in self.overridden:
                return f"{self.file}: --set {key}" if key else f"{self.file}: --set"
        line = None
        for n in range(len(path), -1, -1):
            if path[:n] in self.lines:
                line = self.lines[path[:n]]
                break
        head = f"{self.file}:{line}" if line is not None else self.file
        return f"{head}: {key}" if key else head

    def error(self, path: Sequence[Any], message: str) -> AlifeError:
        return AlifeError(message, where=self(path))


def relocate(exc: AlifeError, where: Where) -> AlifeError:
    """An error of `alife.core.config` (where: a dotted key) placed in the scene file."""
    if not exc.where:
        return where.error((), exc.detail)
    path = tuple(int(p) if p.isdigit() else p for p in exc.where.split("."))
    return where.error(path, exc.detail)


def suggest(word: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_keys(block: dict, allowed: Sequence[str], path: tuple, where: Where,
               required: Sequence[str] = ()) -> None:
    for key in block:
        if key not in allowed:
            inside = ".".join(str(p) for p in path) or "the scene"
            raise where.error(path + (key,), unknown_key_text(key, allowed, inside))
    for key in required:
        if key not in block:
            raise where.error(path, f"missing required key {key!r}")


def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def is_num(v: Any) -> bool:
    """A finite int or float (not a bool, not NaN or infinite)."""
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def show(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


def expect(block: dict, key: str, path: tuple, where: Where, test: Callable[[Any], bool],
           what: str) -> None:
    """If `key` is present, check it with `test`, else nothing."""
    if key in block and not test(block[key]):
        raise where.error(path + (key,), f"got {show(block[key])}; expected {what}")


def mapping(tree: dict, key: str, path: tuple, where: Where, required: bool = False) -> dict:
    if key not in tree:
        if required:
            raise where.error(path, f"missing required key {key!r}")
        return {}
    value = tree[key]
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise where.error(path + (key,), f"got {show(value)}; expected a mapping")
    return value


def is_colour(text: str) -> bool:
    digits = text[1:] if text.startswith("#") else ""
    return len(digits) in (6, 8) and all(c in "0123456789abcdefABCDEF" for c in digits)
