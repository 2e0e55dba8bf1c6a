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
