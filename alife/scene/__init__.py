"""Scenes: whole worlds in YAML (+ `.npz` sidecars), and patterns (RLE, plaintext).

`load_scene(path, overrides)` / `save_scene(world, path)` read and write scene files
(docs/scene-format.md); `world_from_pattern(path)` makes a World for a bare `.rle`/`.cells`;
`reset_state(world)` rebuilds a world's start state.
"""

from alife.scene.initial import reset_state
from alife.scene.io import load_scene, save_scene, scene_text
from alife.scene.pattern_world import world_from_pattern
from alife.scene.world import World

__all__ = ["World", "load_scene", "reset_state", "save_scene", "scene_text", "world_from_pattern"]
