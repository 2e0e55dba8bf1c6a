"""Remembered generations of a HashLife universe, for undo: a root node and its generation.

A HashLife node is immutable once interned, so remembering a generation costs one integer: its
root's id. Ids change only when the universe rebuilds its node table (`collect`, to bound
memory); a universe that mixes in `FrozenRoots` carries every remembered root across that
rebuild (`_carry_frozen(copy)` from its `collect`), so a remembered generation stays valid for as
long as something holds it. Forgotten ones (undo entries dropped) are released with them: the
universe keeps only weak references.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable


class Frozen:
    """One remembered generation of one universe (`FrozenRoots.freeze`)."""

    __slots__ = ("owner", "root", "generation", "__weakref__")

    def __init__(self, owner: object, root: int, generation: int) -> None:
        self.owner = owner
        self.root = root
        self.generation = generation


class FrozenRoots:
    """Mixed into a HashLife universe with `root`, `generation` and `_level`-style node ids."""

    root: int
    generation: int

    def _frozen_set(self) -> weakref.WeakSet:
        found = self.__dict__.get("_frozen")
        if found is None:
            found = self.__dict__["_frozen"] = weakref.WeakSet()
        return found

    def freeze(self) -> Frozen:
        """This generation, to come back to with `thaw` (cheap: the root's id)."""
        frozen = Frozen(self, self.root, self.generation)
        self._frozen_set().add(frozen)
        return frozen

    def thaw(self, frozen: Frozen) -> None:
        """Back to a generation `freeze` remembered (of this universe)."""
        if frozen.owner is not self:
            raise ValueError("that generation was remembered by another universe")
        self.root, self.generation = frozen.root, frozen.generation

    def _carry_frozen(self, copy: Callable[[int], int]) -> None:
        """From `collect`: map every remembered root into the new node table."""
        for frozen in list(self._frozen_set()):
            frozen.root = copy(frozen.root)
