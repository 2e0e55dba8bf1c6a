"""The Panel record: a named ImGui section, when it applies, and where it sits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def _always(controller: Any) -> bool:
    del controller
    return True


@dataclass(frozen=True)
class Panel:
    name: str
    draw: Callable[[Any], None]
    applies: Callable[[Any], bool] = _always
    kind: str = "sidebar"  # "sidebar" (left), "right" (right column), "window" (floating)
    default_open: bool = True
    key: str = ""  # a shortcut shown in the View menu (windows only)
