"""ImGuiRenderer: draws Dear ImGui draw data with ModernGL (Dear ImGui >= 1.92 texture protocol).

API:
    r = ImGuiRenderer(ctx)          after `imgui.create_context()`; sets the io backend flag
                                    `renderer_has_textures` so ImGui hands us its textures
    r.render(imgui.get_draw_data()) honour texture requests, then draw every command list into
                                    the bound framebuffer (viewport = io.display_size *
                                    framebuffer_scale, from the bottom-left)
    r.register_texture(texture) -> int   make a moderngl.Texture drawable with
                                    `imgui.image(imgui.ImTextureRef(id), size)`; `id` is its GL name
    r.textures -> {tex_id: moderngl.Texture}   every texture this renderer can bind
    r.release()                     destroy ImGui's textures (status -> destroyed) and our objects

Texture protocol (imgui 1.92, "RendererHasTextures"): each frame, for every ImTextureData in
`draw_data.textures` whose status is not OK: `want_create` -> make an RGBA8 texture from its
pixels, `set_tex_id(glo)`, status OK; `want_updates` -> upload each rectangle of `updates`,
status OK; `want_destroy` -> release it, `set_tex_id(0)`, status destroyed. `counts` records how
many requests of each kind were honoured (tests and the debug panel read it).

Filtering: at a framebuffer scale of 1 ImGui places every glyph and rectangle on whole pixels, so
its textures are sampled NEAREST (the same pixels as LINEAR there, and on Mesa's llvmpipe about a
tenth of a frame cheaper: the panels are most of the window's area); at any other scale they are
LINEAR. Lines and rounded corners baked into the atlas need LINEAR, so the renderer sets the
atlas flags `no_baked_lines` and `no_baked_round_corners` (ImGui draws them as geometry).

Render state: blending (premultiplied-friendly SRC_ALPHA, ONE_MINUS_SRC_ALPHA), scissor per
command; afterwards blending is off and the scissor is cleared (what GridRenderer expects).
Draw commands with a user callback are skipped (we register none).
"""

from __future__ import annotations

import ctypes
from collections import Counter
from typing import Any

import moderngl
import numpy as np
from imgui_bundle import imgui

from alife.render.shaders import load_program

_MIN_VERTS = 1 << 14


class ImGuiRenderer:
    """Owns the ImGui program, a growing vertex/index buffer pair and ImGui's textures."""

    def __init__(self, ctx: Any) -> None:
        if imgui.get_current_context() is None:
            raise RuntimeError("create an ImGui context (imgui.create_context()) first")
        self.ctx = ctx
        self.program = load_program(ctx, "imgui")
        self.textures: dict[int, Any] = {}
        self._owned: set[int] = set()      # tex ids created through the texture protocol
        self._external: dict[int, Any] = {}
        self.counts: Counter[str] = Counter()
        self._vbo = self._ibo = self._vao = None
        self._capacity = (0, 0)
        self._filter = moderngl.NEAREST  # of ImGui's own textures (see the module docstring)
        self._ensure_buffers(_MIN_VERTS, _MIN_VERTS * 3)
        atlas = imgui.get_io().fonts  # lines and corners as geometry, not baked (LINEAR only)
        atlas.flags |= (imgui.ImFontAtlasFlags_.no_baked_lines.value
                        | imgui.ImFontAtlasFlags_.no_baked_round_corners.value)
        io = imgui.get_io()
        io.backend_flags |= imgui.BackendFlags_.renderer_has_textures.value
        limit = int(ctx.info.get("GL_MAX_TEXTURE_SIZE", 4096))
        platform_io = imgui.get_platform_io()
        platform_io.renderer_texture_max_width = limit
        platform_io.renderer_texture_max_height = limit

    # ---- buffers -------------------------------------------------------------------------
    def _ensure_buffers(self, vertices: int, indices: int) -> None:
        have_v, have_i = self._capacity
        if vertices <= have_v and indices <= have_i:
            return
        nv, ni = max(vertices, have_v), max(indices, have_i)
        nv, ni = 1 << (nv - 1).bit_length(), 1 << (ni - 1).bit_length()
        for obj in (self._vao, self._vbo, self._ibo):
            if obj is not None:
                obj.release()
        self._vbo = self.ctx.buffer(reserve=nv * imgui.VERTEX_SIZE, dynamic=True)
        self._ibo = self.ctx.buffer(reserve=ni * imgui.INDEX_SIZE, dynamic=True)
        self._vao = self.ctx.vertex_array(
            self.program, [(self._vbo, "2f 2f 4f1", "in_pos", "in_uv", "in_col")],
            index_buffer=self._ibo, index_element_size=imgui.INDEX_SIZE)
        self._capacity = (nv, ni)

    # ---- textures (Dear ImGui 1.92 protocol) ---------------------------------------------
    def update_textures(self, textures: Any) -> None:
        """Honour every pending create/update/destroy request in `textures` (ImTextureData*)."""
        for tex in textures:
            if tex.status != imgui.ImTextureStatus.ok:
                self._update_texture(tex)

    def _update_texture(self, tex: Any) -> None:
        status = tex.status
        if status == imgui.ImTextureStatus.want_create:
            pixels = self._pixels(tex)
            texture = self.ctx.texture((tex.width, tex.height), 4, pixels.tobytes())
            texture.filter = (self._filter, self._filter)
            texture.repeat_x = texture.repeat_y = False
            self.textures[texture.glo] = texture
            self._owned.add(texture.glo)
            tex.set_tex_id(texture.glo)
            tex.set_status(imgui.ImTextureStatus.ok)
            self.counts["create"] += 1
        elif status == imgui.ImTextureStatus.want_updates:
            texture = self.textures[int(tex.get_tex_id())]
            pixels = self._pixels(tex)
            for rect in tex.updates:
                block = np.ascontiguousarray(pixels[rect.y:rect.y + rect.h, rect.x:rect.x + rect.w])
                texture.write(block.tobytes(), viewport=(rect.x, rect.y, rect.w, rect.h))
            tex.set_status(imgui.ImTextureStatus.ok)
            self.counts["update"] += 1
        elif status == imgui.ImTextureStatus.want_destroy:
            tex_id = int(tex.get_tex_id())
            texture = self.textures.pop(tex_id, None)
            self._owned.discard(tex_id)
            if texture is not None:
                texture.release()
            tex.set_tex_id(0)
            tex.set_status(imgui.ImTextureStatus.destroyed)
            self.counts["destroy"] += 1

    @staticmethod
    def _pixels(tex: Any) -> np.ndarray:
        """[H, W, 4] uint8 view of an ImTextureData's pixels (Alpha8 expanded to white + alpha)."""
        raw = np.asarray(tex.get_pixels_array(), dtype=np.uint8)
        if tex.format == imgui.ImTextureFormat.alpha8:
            alpha = raw.reshape(tex.height, tex.width)
            out = np.full((tex.height, tex.width, 4), 255, np.uint8)
            out[:, :, 3] = alpha
            return out
        return raw.reshape(tex.height, tex.width, 4)

    def register_texture(self, texture: Any) -> int:
        """Let ImGui draw `texture` (imgui.image(imgui.ImTextureRef(id), size)); returns id."""
        self.textures[texture.glo] = texture
        return int(texture.glo)

    def _bind(self, tex_id: int) -> None:
        texture = self.textures.get(tex_id)
        if texture is None:  # a GL name made elsewhere in this context: wrap it to bind it
            texture = self._external.get(tex_id)
            if texture is None:
                texture = self.ctx.external_texture(tex_id, (1, 1), 4, 0, "f1")
                self._external[tex_id] = texture
        texture.use(0)

    # ---- drawing -------------------------------------------------------------------------
    def render(self, draw_data: Any) -> None:
        """Draw `draw_data` (from `imgui.render(); imgui.get_draw_data()`)."""
        if draw_data.textures is not None:
            self.update_textures(draw_data.textures)
        scale_x, scale_y = draw_data.framebuffer_scale.x, draw_data.framebuffer_scale.y
        self._set_filter(moderngl.NEAREST if scale_x == scale_y == 1.0 else moderngl.LINEAR)
        fb_w = int(draw_data.display_size.x * scale_x)
        fb_h = int(draw_data.display_size.y * scale_y)
        if fb_w <= 0 or fb_h <= 0:
            return
        ctx = self.ctx
        left, top = draw_data.display_pos.x, draw_data.display_pos.y
        right, bottom = left + draw_data.display_size.x, top + draw_data.display_size.y
        self.program["u_projection"].write(np.array([
            [2.0 / (right - left), 0.0, 0.0, 0.0],
            [0.0, 2.0 / (top - bottom), 0.0, 0.0],
            [0.0, 0.0, -1.0, 0.0],
            [(right + left) / (left - right), (top + bottom) / (bottom - top), 0.0, 1.0],
        ], dtype="f4").tobytes())
        if "u_texture" in self.program:
            self.program["u_texture"].value = 0
        ctx.viewport = (0, 0, fb_w, fb_h)
        ctx.enable(moderngl.BLEND)
        ctx.disable(moderngl.DEPTH_TEST | moderngl.CULL_FACE)
        ctx.blend_equation = moderngl.FUNC_ADD
        ctx.blend_func = (moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA,
                          moderngl.ONE, moderngl.ONE_MINUS_SRC_ALPHA)
        try:
            for draw_list in draw_data.cmd_lists:
                self._draw_list(draw_list, left, top, scale_x, scale_y, fb_w, fb_h)
        finally:
            ctx.scissor = None
            ctx.disable(moderngl.BLEND)

    def _set_filter(self, wanted: int) -> None:
        """NEAREST at a framebuffer scale of 1, LINEAR otherwise, for ImGui's own textures."""
        if wanted == self._filter:
            return
        self._filter = wanted
        for tex_id in self._owned:
            self.textures[tex_id].filter = (wanted, wanted)

    def _draw_list(self, draw_list: Any, left: float, top: float, sx: float, sy: float,
                   fb_w: int, fb_h: int) -> None:
        n_vtx, n_idx = draw_list.vtx_buffer.size(), draw_list.idx_buffer.size()
        if n_vtx == 0 or n_idx == 0:
            return
        self._ensure_buffers(n_vtx, n_idx)
        self._vbo.write(ctypes.string_at(draw_list.vtx_buffer.data_address(),
                                         n_vtx * imgui.VERTEX_SIZE))
        self._ibo.write(ctypes.string_at(draw_list.idx_buffer.data_address(),
                                         n_idx * imgui.INDEX_SIZE))
        for cmd in draw_list.cmd_buffer:
            if cmd.user_callback_data is not None and cmd.elem_count == 0:
                continue
            clip = cmd.clip_rect
            x0, y0 = max((clip.x - left) * sx, 0.0), max((clip.y - top) * sy, 0.0)
            x1, y1 = min((clip.z - left) * sx, fb_w), min((clip.w - top) * sy, fb_h)
            if x1 <= x0 or y1 <= y0 or cmd.elem_count == 0:
                continue
            self.ctx.scissor = (int(x0), int(fb_h - y1), int(x1 - x0), int(y1 - y0))
            self._bind(int(cmd.get_tex_id()))
            self._vao.render(moderngl.TRIANGLES, vertices=cmd.elem_count,
                             first=cmd.idx_offset)

    def release(self) -> None:
        """Destroy ImGui's textures through the protocol, then every GL object we made."""
        if imgui.get_current_context() is not None:
            for tex in imgui.get_platform_io().textures:
                if tex.status != imgui.ImTextureStatus.destroyed and tex.ref_count == 1:
                    tex.set_status(imgui.ImTextureStatus.want_destroy)
                    self._update_texture(tex)
            io = imgui.get_io()
            io.backend_flags &= ~imgui.BackendFlags_.renderer_has_textures.value
        for tex_id in list(self._owned):
            texture = self.textures.pop(tex_id, None)
            if texture is not None:
                texture.release()
        self._owned.clear()
        self._external.clear()
        for obj in (self._vao, self._vbo, self._ibo, self.program):
            if obj is not None:
                obj.release()
        self._vao = self._vbo = self._ibo = None
