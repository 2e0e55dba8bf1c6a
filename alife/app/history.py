"""Rewind buffer of recent world states and undo/redo stacks of edits (Golly-style history).

States are immutable JAX pytrees, so remembering one costs no copy: we keep the reference and
count its bytes against a memory budget. The rewind buffer holds the states the app showed in
recent frames (newest last) and drops the oldest when over budget. Undo entries are whole
snapshots (rule, params, state, key) taken just before an edit, so every kind of edit (brush
stroke, paste, cut, clear, random fill, rule change, place, remove, deploy, new weights) undoes
the same way; an edit that replaces the whole World (opening a file) also keeps the World, so
undo brings back its name, path and view. Redo is the mirror.

Unsaved changes come from the same history: every edit gives the world a new revision number
(each undo entry remembers the revision it returns to), and Save or Open marks the current
revision as the one in that file (`mark_clean(file)`). The world is dirty while its revision is
not the one last saved to (or opened from) its file, so undoing back to the saved point makes it
clean again, and redoing away from it dirty.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from dataclasses import dataclass
from typing import Any

import jax
import numpy as np


def tree_nbytes(tree: Any) -> int:
    """Bytes held by the array leaves of a pytree."""
    return int(sum(np.dtype(x.dtype).itemsize * int(np.prod(np.shape(x)))
                   for x in jax.tree_util.tree_leaves(tree) if hasattr(x, "dtype")))


@dataclass(frozen=True)
class Snapshot:
    """Everything an edit may change: the rule instance, its params, the state and the PRNG key."""

    rule: Any
    params: Any
    state: Any
    key: Any
    label: str = ""
    #: the whole World (name, path, view...) for edits that replace it (open, restore); None
    #: for edits of its rule, params, state or key only
    world: Any = None
    #: the world's revision (set by `UndoStack`: the number undoing to this snapshot restores)
    revision: int = 0
    #: on the unbounded plane, where the window lay (`World.origin`); None on a bounded grid
    origin: Any = None
    #: a HashLife world's generation (`alife.core.frozen_roots.Frozen`: its root node); None
    #: for grid worlds
    frozen: Any = None

    @property
    def nbytes(self) -> int:
        return tree_nbytes(self.state) + tree_nbytes(self.params)


class Rewind:
    """The last states shown, newest last, within `budget_bytes` (always keeps at least one)."""

    def __init__(self, budget_bytes: int = 256 << 20) -> None:
        self.budget_bytes = int(budget_bytes)
        self._items: deque[tuple[Any, Any, int, Any]] = deque()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)

    @property
    def nbytes(self) -> int:
        return self._bytes

    def push(self, state: Any, key: Any, origin: Any = None) -> None:
        """Remember a state shown (with its key, and its window's origin on the unbounded
        plane)."""
        size = tree_nbytes(state)
        self._items.append((state, key, size, origin))
        self._bytes += size
        while len(self._items) > 1 and self._bytes > self.budget_bytes:
            self._bytes -= self._items.popleft()[2]

    def pop(self) -> tuple[Any, Any, Any] | None:
        """Forget the newest state and return the one before it as (state, key, origin); None
        if there is none."""
        if len(self._items) < 2:
            return None
        self._bytes -= self._items.pop()[2]
        state, key, _, origin = self._items[-1]
        return state, key, origin

    def clear(self) -> None:
        self._items.clear()
        self._bytes = 0


class UndoStack:
    """Undo and redo stacks of snapshots, bounded by count and bytes (oldest dropped first)."""

    def __init__(self, limit: int = 200, budget_bytes: int = 512 << 20) -> None:
        self.limit = limit
        self.budget_bytes = budget_bytes
        self._undo: deque[Snapshot] = deque()
        self._redo: list[Snapshot] = []
        #: the shown world's revision: a new number for every edit, the remembered one on undo
        self.revision = 0
        self._next = 1
        #: file -> the revision last saved to / opened from it; None (no file) -> the revisions
        #: of worlds made afresh (a new world, the first one): each is clean as it was made
        self._clean: dict[Any, set[int]] = {}

    # ---- unsaved changes ---------------------------------------------------------------------
    def touch(self) -> None:
        """The world changed (an edit): it gets a new revision."""
        self.revision = self._next
        self._next += 1

    def mark_clean(self, file: Any) -> None:
        """The world as it is now is what `file` holds (just saved or opened; a save replaces
        what the file held before). `file` None: a world made afresh with nothing to save yet
        (a new world), clean as long as it is unchanged."""
        if file is None:
            self._clean.setdefault(None, set()).add(self.revision)
        else:
            self._clean[file] = {self.revision}

    def is_clean(self, file: Any) -> bool:
        """Whether the world is unchanged since it was last saved to or opened from `file`."""
        return self.revision in self._clean.get(file, ())

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def labels(self) -> tuple[list[str], list[str]]:
        """Labels of the undo stack (oldest first) and the redo stack (next redo last)."""
        return [s.label for s in self._undo], [s.label for s in self._redo]

    def record(self, before: Snapshot) -> None:
        """Remember the world before a new edit (which gets a new revision); a new edit forgets
        everything redo-able."""
        self._undo.append(dataclasses.replace(before, revision=self.revision))
        self.touch()
        self._redo.clear()
        total = sum(s.nbytes for s in self._undo)
        while len(self._undo) > 1 and (len(self._undo) > self.limit or total > self.budget_bytes):
            total -= self._undo.popleft().nbytes

    def undo(self, current: Snapshot) -> Snapshot | None:
        """Step back one edit: returns the snapshot to restore, stacking `current` for redo."""
        if not self._undo:
            return None
        before = self._undo.pop()
        self._redo.append(_mirror(current, before, self.revision))
        self.revision = before.revision
        return before

    def redo(self, current: Snapshot) -> Snapshot | None:
        if not self._redo:
            return None
        after = self._redo.pop()
        self._undo.append(_mirror(current, after, self.revision))
        self.revision = after.revision
        return after

    def clear(self) -> None:
        """Forget every edit (a fresh world: a new revision, nothing saved yet)."""
        self._undo.clear()
        self._redo.clear()
        self._clean.clear()
        self.touch()


def _mirror(current: Snapshot, entry: Snapshot, revision: int) -> Snapshot:
    """`current` (at `revision`) stacked opposite `entry`: its label, and the whole world only
    when `entry` replaced the whole world (so undoing an open brings back the old file's name
    and path)."""
    return Snapshot(current.rule, current.params, current.state, current.key, entry.label,
                    current.world if entry.world is not None else None, revision,
                    current.origin, current.frozen)
