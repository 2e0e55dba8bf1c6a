"""Scenes: whole worlds in YAML (+ `.npz` sidecars), and patterns (RLE, plaintext).

`open_world(path, overrides)` is the one loader (scene, pattern file or rule text; what
`alife run/render/view` and the app's Open use); `load_scene(path, overrides)` /
`save_scene(world, path)` read and write scene files (docs/scene-format.md);
`world_from_pattern(path)` makes a World for a bare `.rle`/`.cells`; `reset_state(world)`
rebuilds a world's start state; `ViewSettings` is a scene's parsed `view:` block.
"""

from alife.scene.initial import reset_state
from alife.scene.io import load_scene, save_scene, scene_text
from alife.scene.open import open_world
from alife.scene.pattern_world import world_from_pattern
from alife.scene.view import ViewSettings
from alife.scene.world import World

__all__ = ["ViewSettings", "World", "load_scene", "open_world", "reset_state", "save_scene",
           "scene_text", "world_from_pattern"]
