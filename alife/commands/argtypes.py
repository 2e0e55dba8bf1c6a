"""Argument types shared by the subcommands: argparse turns their errors into one line, exit 2.

Each wraps a check of `alife.core.argcheck`, so a flag and a config key refuse the same values
the same way: integers must fit where they go (int32 for steps, counts and sizes, which become
jitted arguments; 32 bits for seeds), numbers must be finite and in range, addresses need a port.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from alife.core import argcheck
from alife.core.argcheck import INT32_MAX, SEED_MAX
from alife.core.errors import AlifeError


def _argparse(check: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            return check(text)
        except AlifeError as exc:
            raise argparse.ArgumentTypeError(exc.detail) from None

    return parse


def integer(low: int | None = None, high: int | None = INT32_MAX) -> Callable[[str], int]:
    """An argparse `type`: an integer in [low, high] (default ceiling: int32)."""
    return _argparse(lambda text: argcheck.check_int(text, "", low, high))


def int_at_least(low: int) -> Callable[[str], int]:
    """An argparse `type` that accepts an integer >= `low` that fits an int32."""
    return integer(low, INT32_MAX)


def seed(text: str) -> int:
    """An argparse `type`: a PRNG seed, 0..2^32-1."""
    return _argparse(lambda t: argcheck.check_int(t, "", 0, SEED_MAX))(text)


def number(low: float | None = None, high: float | None = None,
           above: float | None = None) -> Callable[[str], float]:
    """An argparse `type`: a finite number in range (`above`: strictly greater)."""
    return _argparse(lambda text: argcheck.check_float(text, "", low, high, above))


def host_port(text: str) -> str:
    """An argparse `type`: HOST:PORT (a multi-host coordinator)."""
    return _argparse(lambda t: argcheck.check_host_port(t, ""))(text)
