"""Editing half of the controller facade: brush strokes, rectangular selections, the clipboard
and pasting patterns (with rotation and flips). Mixed into `Controller`, whose world, undo
history and compiled `paint` it uses; host-side grid work lives in `alife.app.editing`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from alife.app import editing
from alife.core.errors import AlifeError


class EditingMixin:
    """Brush, selection, clipboard and paste operations of `Controller` (see its docstring)."""

    # ---- brush -------------------------------------------------------------------------------
    #: brush mode: "toggle" (Golly's default: a stroke that starts on a cell already in the
    #: brush's state erases, to state 0) or "paint" (always the brush's state)
    brush_mode = "toggle"

    def begin_stroke(self, row: int, col: int) -> None:
        """Start a brush stroke at a cell (one undo entry per stroke)."""
        at = self.grid_for_edit_at(row, col)  # HashLife: a grid window when the pattern fits
        if at is None:
            return
        row, col = at
        if self.compiled().paint is None:
            self.message = f"the {self.rule.family} family has no cell grid to paint"
            return
        value = self.brush_value
        if self.brush_mode == "toggle" and value >= 0 and self.num_states >= 2 \
                and self.cell_value(row, col) == value:
            value = 0.0
        self._stroke_value = value
        self._stroke_label = "brush" if value > 0 else "erase" if value == 0 else "damage"
        self._stroke = (row, col)
        self._paint_segment((row, col), (row, col), first=True)

    def continue_stroke(self, row: int, col: int) -> None:
        if self._stroke is None:
            self.begin_stroke(row, col)
            return
        self._stroke = self._paint_segment(self._stroke, (row, col))

    def end_stroke(self) -> None:
        self._stroke = None

    def _paint_segment(self, a: tuple[int, int], b: tuple[int, int],
                       first: bool = False) -> tuple[int, int]:
        """Paint the brush along a..b: the stroke's first segment records its undo entry, the
        rest join it (`apply_edit`). On the unbounded plane the window first grows or moves
        to hold the segment; returns b in the window's coordinates after that."""
        if self.world.origin is not None:
            if first:  # undo brings back the window as it was, not only its cells
                self._record(getattr(self, "_stroke_label", "brush"))
                first = False
            r = self.brush_radius
            dy, dx = self.plane_reach(min(a[0], b[0]) - r, min(a[1], b[1]) - r,
                                      max(a[0], b[0]) + r, max(a[1], b[1]) + r)
            a, b = (a[0] + dy, a[1] + dx), (b[0] + dy, b[1] + dx)
        mask = editing.stroke_mask(self.shape, a, b, self.brush_radius,
                                   wrap=self._wraps())
        value = getattr(self, "_stroke_value", self.brush_value)
        state = self.paint_state(mask, value)  # a picked channel, else the rule's paint
        self.apply_edit(getattr(self, "_stroke_label", "brush"), state=state, join=not first)
        return b

    def _wraps(self) -> bool:
        topology = str(self.rule.config().get("topology", "torus"))
        return topology != "plane"

    # ---- selection, clipboard and paste ---------------------------------------------------------
    def select(self, a: tuple[int, int], b: tuple[int, int]) -> None:
        rect = editing.Rect.from_corners(a, b).clip(self.shape)
        self.selection = None if rect.empty else rect

    def select_all(self) -> None:
        self.selection = editing.Rect(0, 0, *self.shape)

    def copy_selection(self) -> bool:
        if self.selection is None:
            self.message = "nothing selected"
            return False
        self.clipboard = editing.extract(self.cells(), self.selection)
        return True

    def cut_selection(self) -> bool:
        if not self.copy_selection():
            return False
        self.clear_selection()
        return True

    def clear_selection(self) -> None:
        if self.selection is not None:
            self.set_cells(editing.fill(self.cells(), self.selection, 0), "clear selection")

    def clear_outside(self) -> None:
        if self.selection is not None:
            keep = editing.extract(self.cells(), self.selection)
            blank = np.zeros_like(self.cells())
            grid = editing.place(blank, keep, (self.selection.top, self.selection.left), "copy")
            self.set_cells(grid, "clear outside")

    def start_paste(self, pattern: np.ndarray | None = None) -> bool:
        """Enter paste mode with `pattern` (default: the clipboard); the app places it on click."""
        pattern = self.clipboard if pattern is None else np.asarray(pattern)
        if pattern is None or pattern.size == 0:
            self.message = "nothing to paste"
            return False
        self.paste_pattern = pattern
        self.paste_rotate, self.paste_flip_x, self.paste_flip_y = 0, False, False
        return True

    def pending_paste(self) -> np.ndarray | None:
        """The pattern in paste mode after its rotation and flips (None outside paste mode)."""
        if self.paste_pattern is None:
            return None
        return editing.transform(self.paste_pattern, self.paste_rotate, self.paste_flip_x,
                                 self.paste_flip_y)

    def paste_at(self, row: int, col: int, centered: bool = True) -> bool:
        """Place the pending pattern with its centre (or top-left cell) on (row, col)."""
        pattern = self.pending_paste()
        if pattern is None:
            return False
        at = self.grid_for_edit_at(row, col)
        if at is None:
            return False
        row, col = at
        top_left = (row - pattern.shape[0] // 2, col - pattern.shape[1] // 2) if centered \
            else (row, col)
        if self.world.origin is not None:  # the unbounded plane: make room for it first
            self._record("paste")  # undo brings back the window as it was
            dy, dx = self.plane_reach(top_left[0], top_left[1],
                                      top_left[0] + pattern.shape[0] - 1,
                                      top_left[1] + pattern.shape[1] - 1)
            top_left = (top_left[0] + dy, top_left[1] + dx)
            grid = editing.place(self.cells(), pattern, top_left, self.paste_mode, False)
            self.apply_edit("paste", state=self.rule.with_cells(self.state, grid), join=True)
            self.paste_pattern = None
            return True
        grid = editing.place(self.cells(), pattern, top_left, self.paste_mode, self._wraps())
        self.set_cells(grid, "paste")
        self.paste_pattern = None
        return True

    def cancel_paste(self) -> None:
        self.paste_pattern = None

    def load_pattern_file(self, path: str) -> str | None:
        """Read an RLE/plaintext pattern file into paste mode; returns an error message or None."""
        try:
            from alife.scene.patterns import read_pattern

            pattern = read_pattern(path)
        except AlifeError as exc:
            return str(exc)
        return None if self.start_paste(_pattern_cells(pattern)) else "empty pattern"

    def load_pattern_text(self, text: str) -> str | None:
        """Parse RLE text (e.g. from the clipboard) into paste mode; error message or None."""
        try:
            from alife.scene.rle import parse_rle

            pattern = parse_rle(text)
        except AlifeError as exc:
            return str(exc)
        return None if self.start_paste(_pattern_cells(pattern)) else "empty pattern"

    def clipboard_rle(self) -> str | None:
        """The clipboard as RLE text (for the system clipboard), None if empty."""
        if self.clipboard is None:
            return None
        from alife.scene.patterns import Pattern
        from alife.scene.rle import format_rle

        cells = np.clip(np.rint(self.clipboard), 0, 255).astype(np.uint8)
        return format_rle(Pattern(cells, rule=self.rule_text or None))


def _pattern_cells(pattern: Any) -> np.ndarray:
    """The cell grid of whatever the pattern reader returns (an array or an object with cells)."""
    cells = getattr(pattern, "cells", pattern)
    return np.asarray(cells)
