"""The shipped scenes, as package data: `importlib.resources.files("alife.scenes")`.

This folder is `alife.scenes` once alife is installed (pyproject maps it; an editable install
points here). Scenes are opened by name through `alife.scene.catalog`.
"""
