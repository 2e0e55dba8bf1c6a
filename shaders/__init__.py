"""The GLSL programs, as package data: `importlib.resources.files("alife.shaders")` (this folder
is `alife.shaders` once installed; `alife.render.shaders` loads them by name)."""
