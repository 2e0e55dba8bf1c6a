"""Typed checks of one value from a user: integers that fit where they go, finite numbers in a
range, addresses, regular files under a size cap. Each failure is one `AlifeError` naming the key.

The CLI's argparse types (`alife.commands.argtypes`) and the families' config checks call these,
so every route refuses the same values the same way: an integer must be integral and not a bool,
and fit the place it goes (`INT32_MAX` for anything that becomes a jitted argument: steps, counts,
sizes; `SEED_MAX` for a PRNG seed), so `--steps 1e12` or a seed of 2^70 ends in one line rather
than a JAX OverflowError; a float must be finite (NaN and infinity are refused) and in range.
"""

from __future__ import annotations

import math
import os
import stat
from typing import Any

from alife.core.errors import AlifeError

#: the largest value an int32 jitted argument can hold (steps, counts, sizes, capacities)
INT32_MAX = 2**31 - 1
#: the largest PRNG seed (jax.random.PRNGKey takes 32-bit seeds without loss)
SEED_MAX = 2**32 - 1


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _num(value: float) -> str:
    """A bound in words: exact for integers (2147483647), short for floats (1e+06)."""
    return str(value) if isinstance(value, int) else f"{value:g}"


def _range(low: float | None, high: float | None, above: float | None = None) -> str:
    parts = []
    if above is not None:
        parts.append(f"> {_num(above)}")
    if low is not None and high is not None:
        parts.append(f"in {_num(low)}..{_num(high)}")
    elif low is not None:
        parts.append(f">= {_num(low)}")
    elif high is not None:
        parts.append(f"<= {_num(high)}")
    return " and ".join(parts)


def check_int(value: Any, where: str, low: int | None = None,
              high: int | None = INT32_MAX) -> int:
    """`value` as an int in [low, high] (integral floats such as 3.0 pass); AlifeError else."""
    number = value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    if isinstance(value, str):
        try:
            number = int(value.strip().replace("_", ""))
        except ValueError:
            raise AlifeError(f"got {_show(value)}; expected an integer "
                             f"{_range(low, high)}".rstrip(), where=where) from None
    if not isinstance(number, int) or isinstance(number, bool):
        raise AlifeError(f"got {_show(value)}; expected an integer {_range(low, high)}".rstrip(),
                         where=where)
    digits = len(str(abs(number)))
    shown = f"{'-' if number < 0 else ''}a {digits}-digit number" if digits > 15 else str(number)
    if low is not None and number < low:
        raise AlifeError(f"got {shown}; expected an integer >= {low}", where=where)
    if high is not None and number > high:
        raise AlifeError(f"got {shown}; expected an integer <= {high}", where=where)
    return number


def check_float(value: Any, where: str, low: float | None = None, high: float | None = None,
                above: float | None = None) -> float:
    """`value` as a finite float in range (`above`: strictly greater); AlifeError otherwise."""
    number: Any = value
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            number = None
    if isinstance(number, bool) or not isinstance(number, int | float):
        raise AlifeError(f"got {_show(value)}; expected a number {_range(low, high, above)}"
                         .rstrip(), where=where)
    try:
        number = float(number)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise AlifeError(f"got {_show(value)}; expected a finite number "
                         f"{_range(low, high, above)}".rstrip(), where=where)
    if (low is not None and number < low) or (high is not None and number > high) or \
            (above is not None and number <= above):
        raise AlifeError(f"got {number:g}; expected a number {_range(low, high, above)}",
                         where=where)
    return number


def check_host_port(text: Any, where: str) -> str:
    """`HOST:PORT` with a port in 1..65535 (an IPv6 host in brackets: `[::1]:1234`)."""
    if not isinstance(text, str) or ":" not in text:
        raise AlifeError(f"got {_show(text)}; expected HOST:PORT, e.g. node0:1234", where=where)
    host, _, port = text.rpartition(":")
    if not host or host in ("[", "[]") or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise AlifeError(f"got {_show(text)}; expected HOST:PORT with a port in 1..65535",
                         where=where)
    return text


def check_regular_file(path: Any, where: str, max_bytes: int, what: str = "a file") -> str:
    """`path` names an existing regular file of at most `max_bytes` (no FIFO, device, folder)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise AlifeError(f"{path}: file not found; expected {what}", where=where) from None
    except (OSError, TypeError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise AlifeError(f"{_show(path)}: cannot read it ({reason}); expected {what}",
                         where=where) from None
    if not stat.S_ISREG(info.st_mode):
        raise AlifeError(f"{path}: not a regular file; expected {what}", where=where)
    if info.st_size > max_bytes:
        raise AlifeError(f"{path}: {info.st_size:,} bytes; expected {what} of at most "
                         f"{max_bytes:,} bytes", where=where)
    return str(path)
