"""Scenes: whole worlds in YAML (+ `.npz` sidecars), and patterns (RLE, plaintext)."""

from alife.scene.world import World

__all__ = ["World"]
