"""YAML for untrusted scene files and `--set` values: safe tags only, bounded depth and size.

PyYAML's `safe_load` refuses arbitrary Python objects but not documents built to exhaust the
reader: nesting thousands deep (a RecursionError, i.e. a traceback), aliases that refer to
themselves (a cyclic tree that hangs every later walk), or the "billion laughs" (a few lines
whose aliases expand to billions of nodes). `load(text, where)` composes the document once with
a nesting limit, measures its size *as expanded* (aliases counted every time they are used;
linear in the document's node graph, with cycles detected) and only then builds the Python
tree. Every failure is an AlifeError naming the line.
"""

from __future__ import annotations

from typing import Any

import yaml

from alife.core.errors import AlifeError

#: deepest nesting of mappings/lists accepted (scenes need about 5)
MAX_DEPTH = 64
#: most nodes a document may expand to, aliases counted every time they are used
MAX_NODES = 200_000


class LimitError(yaml.YAMLError):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.problem, self.problem_mark = message, mark


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses documents nested deeper than MAX_DEPTH while composing."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise LimitError(f"nested more than {MAX_DEPTH} levels deep",
                                  self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def check_expansion(root: yaml.Node) -> None:
    """Raise LimitError if the document, aliases expanded, is cyclic, too deep or too big."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        kids = _children(node)
        if finished:
            open_.discard(key)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
            if size[key] > MAX_NODES:
                raise LimitError(f"expands to more than {MAX_NODES:,} values (aliases "
                                  "counted each time they are used)", node.start_mark)
            if depth[key] > MAX_DEPTH:
                raise LimitError(f"nested more than {MAX_DEPTH} levels deep once its "
                                  "aliases are expanded", node.start_mark)
            continue
        if key in size:
            continue
        open_.add(key)
        stack.append((node, True))
        for kid in kids:
            if id(kid) in open_:
                raise LimitError("an alias refers to a node that contains it (a cycle)",
                                  kid.start_mark)
            if id(kid) not in size:
                stack.append((kid, False))


def compose(text: str) -> yaml.Node | None:
    """The checked node graph of a one-document YAML text (None for an empty document)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    if node is not None:
        check_expansion(node)
    return node


def construct(node: yaml.Node | None) -> Any:
    """The Python value of a node graph `compose` checked (safe tags only)."""
    if node is None:
        return None
    loader = _Loader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def describe(exc: Exception) -> tuple[str, int | None]:
    """(problem, 1-based line or None) of a YAML error or a value YAML could not convert."""
    if isinstance(exc, yaml.YAMLError):
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return str(problem), (mark.line + 1 if mark is not None else None)
    return f"{type(exc).__name__}: {exc}"[:200], None


ERRORS = (yaml.YAMLError, ValueError, OverflowError, RecursionError)


def load(text: str, where: str) -> tuple[Any, yaml.Node | None]:
    """(Python value, node graph) of YAML `text`; AlifeError at `where[:line]` if refused."""
    try:
        node = compose(text)
        return construct(node), node
    except ERRORS as exc:
        problem, line = describe(exc)
        raise AlifeError(f"invalid YAML ({problem}); expected a YAML mapping of scene keys",
                         where=f"{where}:{line}" if line is not None else where) from None
