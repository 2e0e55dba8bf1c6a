"""ModernGL rendering: shader programs, grid and agent renderers, palettes, headless EGL context.

Modules (each lists its API in its docstring): `context` (headless EGL context), `shaders`
(programs by name from `shaders/`), `camera` (pan/zoom maths), `palettes` (looks and colour
maps), `grid` (GridRenderer), `agents` (AgentRenderer: discs over the grid), `offscreen`
(framebuffer read back as NumPy), `frames` (frames of a running world, for `alife render`).
Imports go down only: `app -> render -> core`; `frames` also reads `alife.scene` (World and its
runner), which never imports render.
"""
