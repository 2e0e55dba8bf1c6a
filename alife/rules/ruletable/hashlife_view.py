"""Drawing the multi-state HashLife universe (`alife.rules.ruletable.hashlife`) at any zoom.

The two-state `QuadtreeView` (alife.rules.life.hashlife_view) walks the quadtree for the
camera's rectangle and memoises each node's picture; this subclass keeps states instead of
alive/dead: a leaf's picture is its 2x2 states, and a square smaller than a pixel shows the
largest state in it (memoised per node), so a zoomed-out JvN machine keeps its colours where
a plain alive/dead view would paint everything alike. `render` returns RGB [H, W, 3] uint8 in
the rule's colours (`@COLORS`, Golly's defaults otherwise), as the grid route colours a
rule-table world.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from alife.rules.life.hashlife_view import QuadtreeView


class StateQuadtreeView(QuadtreeView):
    """Pictures of a multi-state universe's quadtree, coloured (module docstring)."""

    def __init__(self, universe: Any) -> None:
        super().__init__(universe)
        colours = np.zeros((256, 3), np.uint8)
        given = np.asarray(universe.colours, np.uint8).reshape(-1, 3)
        colours[:len(given)] = given
        if not len(given):  # no colours known: greys by state
            colours[:, :] = np.linspace(0, 255, 256, dtype=np.uint8)[:, None]
        self.colours = colours
        self._tops: dict[int, int] = {}
        self._tops_epoch = universe.epoch

    def render(self, x0: int, y0: int, width: int, height: int, shift: int) -> np.ndarray:
        """RGB uint8 [ceil(height / 2^shift), ceil(width / 2^shift), 3] of the rectangle
        (`QuadtreeView.render`'s alignment), each pixel the colour of the largest state in
        its square."""
        if self.universe.epoch != self._tops_epoch:
            self._tops.clear()
            self._tops_epoch = self.universe.epoch
        states = super().render(x0, y0, width, height, shift)
        return self.colours[states]

    def states(self, x0: int, y0: int, width: int, height: int, shift: int) -> np.ndarray:
        """The uncoloured picture: uint8 states [rows, cols]."""
        return super().render(x0, y0, width, height, shift)

    def _top(self, node: int) -> int:
        """The largest state in `node`."""
        found = self._tops.get(node)
        if found is None:
            u = self.universe
            kids = u.children(node)
            if u.level(node) == 1:
                found = max(kids)
            else:
                found = max(self._top(k) for k in kids if u.population(k))
            self._tops[node] = found
        return found

    def _picture(self, node: int, level: int, shift: int) -> np.ndarray:
        u = self.universe
        if level <= shift:
            return np.full((1, 1), self._top(node) if u.population(node) else 0, np.uint8)
        if level == 1:
            return np.asarray(u.children(node), np.uint8).reshape(2, 2)
        return super()._picture(node, level, shift)
