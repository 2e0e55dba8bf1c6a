"""Our ImGui backend on real GL: the ModernGL renderer draws windows, text and buttons and owns
ImGui's textures through the 1.92 protocol; the pygame platform layer fills ImGui's IO."""

import numpy as np
import pygame
import pytest
from imgui_bundle import imgui

from alife.app.imgui.platform import PygamePlatform
from alife.app.imgui.renderer import ImGuiRenderer
from alife.render.grid import GridRenderer
from alife.render.offscreen import OffscreenTarget

W, H = 320, 240
WINDOW = (30, 20, 200, 150)   # x, y, w, h of the test window


@pytest.fixture
def gui(gl_ctx):
    context = imgui.create_context()
    io = imgui.get_io()
    io.set_ini_filename("")
    io.config_input_trickle_event_queue = False   # one frame applies all queued events
    renderer = ImGuiRenderer(gl_ctx)
    platform = PygamePlatform()
    target = OffscreenTarget(gl_ctx, W, H)
    yield renderer, platform, target
    target.release()
    renderer.release()
    platform.release()
    imgui.destroy_context(context)


def frame(renderer, platform, target, body=None, clear=(0, 0, 0)):
    """One ImGui frame with the test window; returns (image, whatever `body` returned)."""
    platform.new_frame((W, H), (W, H), 1 / 60)
    imgui.new_frame()
    imgui.set_next_window_pos(WINDOW[:2])
    imgui.set_next_window_size(WINDOW[2:])
    imgui.begin("Test window")
    imgui.text("Hello, alife")
    clicked = imgui.button("Press me")
    result = body() if body else None
    imgui.end()
    imgui.render()
    target.use()
    target.clear(clear)
    renderer.render(imgui.get_draw_data())
    return target.read(), (clicked, result)


def test_frame_draws_window_and_creates_font_texture(gui):
    renderer, platform, target = gui
    image, _ = frame(renderer, platform, target)
    x, y, w, h = WINDOW
    inside = image[y:y + h, x:x + w]
    outside = image.copy()
    outside[y:y + h, x:x + w] = 0
    assert np.all(outside == 0), "ImGui drew outside its window"
    assert (inside.sum(axis=2) > 0).mean() > 0.95, "window background missing"
    # the title bar is a different colour from the body, and text draws bright pixels
    assert not np.array_equal(inside[5, w // 2], inside[h // 2, w // 2])
    text_rows = inside[20:45]
    assert (text_rows.min(axis=2) > 200).sum() > 30
    # the font atlas came through the texture protocol: created once, now OK, bound by id
    assert renderer.counts["create"] == 1
    textures = list(imgui.get_platform_io().textures)
    assert textures and all(t.status == imgui.ImTextureStatus.ok for t in textures)
    font = textures[0]
    gl_texture = renderer.textures[int(font.get_tex_id())]
    assert gl_texture.size == (font.width, font.height)
    pixels = np.frombuffer(gl_texture.read(), np.uint8).reshape(font.height, font.width, 4)
    atlas = np.asarray(font.get_pixels_array(), np.uint8).reshape(font.height, font.width, 4)
    assert np.array_equal(pixels, atlas)


def test_texture_protocol_updates_and_destroys(gui):
    renderer, platform, target = gui
    seen = set()
    for i in range(10):
        def bigger(i=i):
            imgui.push_font(None, 24.0 + 14.0 * i)   # new sizes bake new glyphs
            imgui.text(f"Big {i}")
            imgui.pop_font()
        platform.new_frame((W, H), (W, H), 1 / 60)
        imgui.new_frame()
        imgui.begin("grow")
        bigger()
        imgui.end()
        imgui.render()
        data = imgui.get_draw_data()
        seen.update(int(t.status) for t in data.textures)
        target.use()
        renderer.render(data)
        for t in data.textures:   # every request honoured in the same frame
            assert t.status in (imgui.ImTextureStatus.ok, imgui.ImTextureStatus.destroyed)
    assert {int(imgui.ImTextureStatus.want_create), int(imgui.ImTextureStatus.want_updates),
            int(imgui.ImTextureStatus.want_destroy)} <= seen
    assert renderer.counts["update"] >= 1 and renderer.counts["destroy"] >= 1
    live = [t for t in imgui.get_platform_io().textures if t.status == imgui.ImTextureStatus.ok]
    assert {int(t.get_tex_id()) for t in live} <= set(renderer.textures)
    renderer.release()
    assert all(t.status != imgui.ImTextureStatus.ok for t in imgui.get_platform_io().textures)


def test_user_texture_shows_grey_not_red(gui, gl_ctx):
    renderer, platform, target = gui
    grid = GridRenderer(gl_ctx)
    try:
        grid.set_view(np.full((4, 4), 200, np.uint8), "binary")   # R8 texture
        tex_id = renderer.register_texture(grid.texture)
        image, _ = frame(renderer, platform, target,
                         body=lambda: imgui.image(imgui.ImTextureRef(tex_id), (40, 40)))
        # the 40x40 image sits below the button; find its uniform grey block
        block = image[WINDOW[1]:WINDOW[1] + WINDOW[3], WINDOW[0]:WINDOW[0] + WINDOW[2]]
        grey = np.all(np.abs(block.astype(int) - 200) <= 1, axis=2)
        assert grey.sum() >= 40 * 40 - 80
    finally:
        grid.release()


def event(kind, **fields):
    return pygame.event.Event(kind, **fields)


def test_platform_feeds_mouse_keys_text_and_sizes(gui):
    renderer, platform, target = gui
    frame(renderer, platform, target)
    io = imgui.get_io()
    platform.process_event(event(pygame.MOUSEMOTION, pos=(77, 55), rel=(0, 0), buttons=(0, 0, 0)))
    platform.process_event(event(pygame.KEYDOWN, key=pygame.K_a, mod=pygame.KMOD_LCTRL,
                                 unicode="a", scancode=4))
    platform.process_event(event(pygame.TEXTINPUT, text="hé"))
    platform.process_event(event(pygame.MOUSEWHEEL, x=0, y=-2, precise_x=0.0, precise_y=-2.0,
                                 flipped=False))
    platform.process_event(event(pygame.MOUSEBUTTONDOWN, pos=(77, 55), button=3))
    platform.new_frame((W, H), (2 * W, 2 * H), 0.25)
    imgui.new_frame()
    assert (io.mouse_pos.x, io.mouse_pos.y) == (77.0, 55.0)
    assert imgui.is_key_down(imgui.Key.a) and io.key_ctrl and not io.key_shift
    assert list(io.input_queue_characters) == [ord("h"), ord("é")]
    assert io.mouse_wheel == -2.0 and io.mouse_down[1] and not io.mouse_down[0]
    assert (io.display_size.x, io.display_size.y) == (W, H)
    assert (io.display_framebuffer_scale.x, io.display_framebuffer_scale.y) == (2.0, 2.0)
    assert io.delta_time == pytest.approx(0.25)
    imgui.end_frame()
    platform.process_event(event(pygame.KEYUP, key=pygame.K_a, mod=0, unicode="a", scancode=4))
    platform.process_event(event(pygame.WINDOWLEAVE))
    platform.new_frame((W, H), (W, H), 1 / 60)
    imgui.new_frame()
    assert not imgui.is_key_down(imgui.Key.a) and not io.key_ctrl
    assert not imgui.is_mouse_pos_valid()
    imgui.end_frame()


def test_click_on_button_and_capture_flags(gui):
    renderer, platform, target = gui
    frame(renderer, platform, target)
    # ImGui wants the mouse over its window, not over the empty area beside it
    outside = platform.process_event(event(pygame.MOUSEMOTION, pos=(300, 220), rel=(0, 0),
                                           buttons=(0, 0, 0)))
    frame(renderer, platform, target)
    assert outside is False
    x, y = WINDOW[0] + 40, WINDOW[1] + 50   # on "Press me" (below the title and one text line)
    platform.process_event(event(pygame.MOUSEMOTION, pos=(x, y), rel=(0, 0), buttons=(0, 0, 0)))
    frame(renderer, platform, target)
    assert platform.process_event(event(pygame.MOUSEBUTTONDOWN, pos=(x, y), button=1)) is True
    _, (clicked_down, _) = frame(renderer, platform, target)
    platform.process_event(event(pygame.MOUSEBUTTONUP, pos=(x, y), button=1))
    _, (clicked_up, _) = frame(renderer, platform, target)
    assert not clicked_down and clicked_up, "the button fires on release over it"


def test_clipboard_goes_through_the_platform(gui):
    renderer, platform, target = gui
    imgui.set_clipboard_text("B3/S23")
    assert platform.clipboard == "B3/S23"
    assert imgui.get_clipboard_text() == "B3/S23"
    platform.clipboard = "from the app"
    if not pygame.display.get_init():
        assert imgui.get_clipboard_text() == "from the app"
