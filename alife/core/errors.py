"""The one error type users see: a clear message, no traceback, exit status 2 from the CLI."""

from __future__ import annotations


class AlifeError(Exception):
    """Bad input from a user: a file, a key, a value, and what was expected.

    `where` names the place (a file path, `file:line`, or a scene key) and is prefixed to the
    message so every error reads `where: what was wrong; what was expected`.
    """

    def __init__(self, message: str, where: str | None = None) -> None:
        self.where = where
        self.detail = message
        super().__init__(f"{where}: {message}" if where else message)

    def at(self, where: str) -> AlifeError:
        """Return the same error with an outer location prepended (e.g. the file around a key)."""
        inner = f"{self.where}: {self.detail}" if self.where else self.detail
        return AlifeError(inner, where)


def did_you_mean(word: str, choices: object) -> str:
    """"; did you mean `x`?" for the choice nearest `word`, or "" when none is close."""
    import difflib

    names = [str(c) for c in choices]  # type: ignore[attr-defined]
    close = difflib.get_close_matches(str(word), names, n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


def unknown_name(kind: str, word: str, choices: object) -> str:
    """One line for an unknown name: what was given, the nearest choice, the valid ones."""
    names = sorted(str(c) for c in choices)  # type: ignore[attr-defined]
    hint = did_you_mean(word, names)
    listed = ", ".join(names) if len(names) <= 12 else ", ".join(names[:12]) + ", ..."
    return f"unknown {kind} `{word}`{hint} (expected one of {listed})"
