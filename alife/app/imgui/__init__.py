"""Our Dear ImGui backend: a ModernGL renderer for draw data and a pygame platform layer.

`renderer.ImGuiRenderer(ctx)` draws `imgui.get_draw_data()` with ModernGL and owns ImGui's
textures through the 1.92 texture protocol; `platform.PygamePlatform()` feeds pygame events,
display size and time into `imgui.get_io()`. imgui-bundle's own pygame backend needs PyOpenGL,
and moderngl-window's integration breaks on imgui >= 1.92, hence these (ARCHITECTURE.md).
"""
