"""World: everything a running simulation is, in one object (what a scene file loads into).

The app's controller, `alife run`, `alife render` and training all work on a World. Scene files
(`alife.scene.io`) turn YAML + `.npz` into a World and back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jax

from alife.core.rule import Params, Rule, State
from alife.scene.view import ViewSettings


@dataclass
class World:
    """A rule with its params, current state and PRNG key, plus the scene's other settings.

    - `init`: the initial-condition block as loaded (so `reset` can rebuild the start state).
    - `view`: display settings (`alife.scene.view.ViewSettings`: `look`, `colormap`, `channel`,
      `zoom`, `grid_lines`, `palette`), resolved for `rule`; a plain dict given here is parsed.
    - `run`: run settings (e.g. `steps`, `steps_per_frame`).
    - `extra`: other top-level blocks kept verbatim (`training`, `evolution`, ...).
    - `path`: the scene file it came from (relative paths resolve against its folder).
    - `description`: the scene's free text.
    - `source`: the scene tree as loaded (after `--set` overrides), in canonical key order;
      `save_scene` uses it to keep what the file said explicitly (config keys, params files).
    - `origin`: on Golly's unbounded plane, the plane position (x, y) of the grid's cell
      [0, 0]: the grid is a window that `alife.core.plane` moves and resizes (scene key
      `run.plane`); None for a bounded grid.
    - `universe`: an engine that runs the world instead of `rule.step` (the app's HashLife
      run, `alife.app.controller_hashlife.HashLifeRun`); None for the grid engine.
    """

    rule: Rule
    params: Params
    state: State
    key: jax.Array
    name: str = "untitled"
    seed: int = 0
    init: dict[str, Any] = field(default_factory=dict)
    view: ViewSettings = field(default_factory=ViewSettings)
    run: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    description: str = ""
    source: dict[str, Any] = field(default_factory=dict)
    origin: tuple[int, int] | None = None
    universe: Any = None

    def __post_init__(self) -> None:
        if isinstance(self.view, ViewSettings):
            self.view = self.view.for_rule(self.rule)
        elif isinstance(self.view, Mapping) or self.view is None:
            self.view = ViewSettings.parse(self.view, self.rule)
        else:
            raise TypeError(f"World.view must be ViewSettings or a mapping, got {self.view!r}")

    @property
    def generation(self) -> int:
        return int(self.state.generation)

    def with_state(self, state: State) -> World:
        return replace(self, state=state)
