"""Wolfram rule numbers and totalistic codes <-> lookup tables, and the typed rule strings.

Elementary (and general k-colour, radius-r) rules: a neighbourhood of 2r+1 cells with colours
(a_0 .. a_2r), leftmost first, is read as the base-k number i = sum a_j k^(2r-j); digit i (base k,
least significant first) of the rule number is the next colour. For k=2, r=1 this is Wolfram's
"bit 4a+2b+c of the rule number" (NKS, ch. 3).
Totalistic codes: digit s of the code (base k) is the next colour when the 2r+1 colours sum to s
(NKS, ch. 3, "k=3, r=1 totalistic code 777").

Typed strings: "W110", "110", "rule 110" (elementary; "W" alone means k=2, r=1 as in Golly), and
"code 777 k=3 r=1" / "totalistic 777" (totalistic); "k=..", "r=.." may follow either.
"""

from __future__ import annotations

import re

import numpy as np

from alife.core.errors import AlifeError

KINDS = ("elementary", "totalistic")
MAX_TABLE = 1 << 16


def table_size(kind: str, k: int, r: int) -> int:
    """Entries in the lookup table: k^(2r+1) neighbourhoods, or (2r+1)(k-1)+1 sums."""
    return k ** (2 * r + 1) if kind == "elementary" else (2 * r + 1) * (k - 1) + 1


def check_structure(kind: str, k: int, r: int) -> None:
    """Raise AlifeError unless (kind, k, r) describe a rule we can run."""
    if kind not in KINDS:
        raise AlifeError(f"unknown elementary kind {kind!r}; expected one of {list(KINDS)}",
                         where="kind")
    if not 2 <= k <= 256:
        raise AlifeError(f"k = {k} colours; expected 2 <= k <= 256", where="k")
    if not 0 <= r <= 16:
        raise AlifeError(f"radius r = {r}; expected 0 <= r <= 16", where="r")
    if table_size(kind, k, r) > MAX_TABLE:
        raise AlifeError(f"a {kind} rule with k={k}, r={r} needs {table_size(kind, k, r)} table "
                         f"entries; expected at most {MAX_TABLE} (use a totalistic code)",
                         where="k, r")


def number_to_table(number: int, kind: str, k: int, r: int) -> np.ndarray:
    """Base-k digits of the rule number / code, least significant first: uint8 [table_size]."""
    size = table_size(kind, k, r)
    if not 0 <= number < k**size:
        what = "rule number" if kind == "elementary" else "totalistic code"
        raise AlifeError(f"{what} {number} is out of range for k={k}, r={r}; expected "
                         f"0..{k**size - 1}", where="rule")
    digits = np.zeros(size, np.uint8)
    for i in range(size):
        number, digits[i] = divmod(number, k)
    return digits


def table_to_number(table: np.ndarray, k: int) -> int:
    """Inverse of `number_to_table` (Python int, may exceed 64 bits)."""
    number = 0
    for digit in reversed(np.asarray(table).tolist()):
        number = number * k + int(digit)
    return number


def format_rule(kind: str, k: int, r: int, number: int) -> str:
    """The typed form: "W110" for elementary k=2 r=1, else e.g. "code 777 k=3 r=1"."""
    if kind == "elementary":
        return f"W{number}" if (k, r) == (2, 1) else f"W{number} k={k} r={r}"
    return f"code {number} k={k} r={r}"


_NUMBER = re.compile(r"^(w|rule|code|totalistic|c)?\s*(\d+)$")
_SETTING = re.compile(r"^([kr])\s*=?\s*(\d+)$")


def parse_rule(text: str, kind: str, k: int, r: int) -> tuple[str, int, int, int]:
    """Parse a typed rule string into (kind, k, r, number); defaults come from the current rule.

    "W110" means an elementary k=2, r=1 rule unless k/r are given; "rule 110" and a bare number
    keep the current kind, k and r; "code N" / "totalistic N" / "cN" give a totalistic code.
    """
    tokens = re.sub(r"\s*=\s*", "=", str(text).strip().lower()).replace(",", " ")
    tokens = re.sub(r"(?<=[a-z])\s+(?=\d)", "", tokens)
    number: int | None = None
    settings: dict[str, int] = {}
    for token in tokens.split():
        match = _NUMBER.match(token)
        if match and number is None:
            prefix, number = match.group(1), int(match.group(2))
            if prefix == "w":
                kind, k, r = "elementary", 2, 1
            elif prefix in ("code", "totalistic", "c"):
                kind = "totalistic"
            continue
        match = _SETTING.match(token)
        if match:
            settings[match.group(1)] = int(match.group(2))
            continue
        raise AlifeError(f"cannot read {token!r} in rule {text!r}; expected e.g. 'W110', "
                         "'rule 30', or 'code 777 k=3 r=1'", where="rule")
    if number is None:
        raise AlifeError(f"no rule number in {text!r}; expected e.g. 'W110' or 'code 777 k=3'",
                         where="rule")
    k, r = settings.get("k", k), settings.get("r", r)
    check_structure(kind, k, r)
    number_to_table(number, kind, k, r)  # range check
    return kind, k, r, number
