"""Shared parametrisation for tests that run one case per family or scene."""

from __future__ import annotations

from collections.abc import Iterable

import pytest


def slow_marked(names: Iterable[str], slow: Iterable[str]) -> list:
    """`names` sorted as pytest params; those in `slow` marked `slow` (`-m slow` runs them)."""
    slow = set(slow)
    return [pytest.param(n, marks=pytest.mark.slow) if n in slow else n for n in sorted(names)]
