"""Palettes: colour-map anchors match the published maps, looks map values as documented."""

import numpy as np
import pytest

from alife.scene import palettes


@pytest.mark.parametrize("name, first, middle, last", [
    ("viridis", (0x44, 0x01, 0x54), (0x21, 0x91, 0x8C), (0xFD, 0xE7, 0x25)),
    ("magma", (0x00, 0x00, 0x04), (0xB7, 0x37, 0x79), (0xFC, 0xFD, 0xBF)),
    ("inferno", (0x00, 0x00, 0x04), (0xBC, 0x37, 0x54), (0xFC, 0xFF, 0xA4)),
    ("plasma", (0x0D, 0x08, 0x87), (0xCC, 0x47, 0x78), (0xF0, 0xF9, 0x21)),
    ("grey", (0, 0, 0), (128, 128, 128), (255, 255, 255)),
])
def test_colormap_endpoints_and_middle(name, first, middle, last):
    table = palettes.colormap_lut(name)
    assert table.shape == (256, 3) and table.dtype == np.uint8
    assert tuple(table[0]) == first and tuple(table[255]) == last
    # matplotlib's value at 0.5 (between entries 127 and 128)
    assert np.abs(table[127:129].astype(int).mean(0) - middle).max() <= 2


def test_viridis_is_perceptually_ordered():
    # luminance rises monotonically along viridis (its design goal)
    table = palettes.colormap_lut("viridis").astype(float)
    luma = table @ [0.2126, 0.7152, 0.0722]
    assert np.all(np.diff(luma) > -0.5)


def test_unknown_names_are_rejected():
    with pytest.raises(ValueError, match="colormap"):
        palettes.colormap_lut("jet")
    with pytest.raises(ValueError, match="look"):
        palettes.lut("sepia")


def test_binary_and_states_tables():
    binary = palettes.lut("binary")
    assert tuple(binary[0]) == palettes.DEAD and all(tuple(c) == palettes.ALIVE for c in binary[1:])
    states = palettes.lut("states", num_states=5)
    assert tuple(states[0]) == palettes.DEAD and tuple(states[1]) == palettes.ALIVE
    dying = states[2:5].astype(float) @ [0.2126, 0.7152, 0.0722]
    assert dying[0] > dying[1] > dying[2], "dying states fade"
    assert np.all(states[5:] == states[4])
    assert np.array_equal(palettes.lut("states", 2), binary)


def test_colorize_binary_uint8_and_float_and_bool():
    grid = np.array([[0, 1], [255, 0]], np.uint8)
    out = palettes.colorize(grid, "binary")
    assert tuple(out[0, 0]) == palettes.DEAD and tuple(out[0, 1]) == palettes.ALIVE
    assert tuple(out[1, 0]) == palettes.ALIVE
    assert np.array_equal(palettes.colorize(grid.astype(bool), "binary"), out)
    assert np.array_equal(palettes.colorize(np.minimum(grid, 1).astype(np.float32), "binary"), out)


def test_colorize_states_from_float_fraction():
    # a float "states" view holds state / (n - 1)
    n = 4
    view = (np.arange(n, dtype=np.float32) / (n - 1))[None, :]
    out = palettes.colorize(view, "states", num_states=n)
    assert np.array_equal(out[0], palettes.lut("states", n)[:n])


def test_colorize_rgba_composites_over_white():
    view = np.array([[[0.2, 0.1, 0.0, 0.5], [0.0, 0.0, 0.0, 0.0], [0.9, 0.5, 0.1, 1.0]]],
                    np.float32)
    out = palettes.colorize(view, "rgba")
    expected = np.array([[[0.7, 0.6, 0.5], [1, 1, 1], [0.9, 0.5, 0.1]]]) * 255
    assert np.abs(out.astype(float) - expected).max() <= 0.5 + 1e-6


def test_channel_picker_uses_the_colormap():
    view = np.zeros((1, 3, 4), np.float32)
    view[0, :, 2] = [0.0, 0.5, 1.0]
    out = palettes.colorize(view, "rgba", colormap="magma", channel=2)
    table = palettes.colormap_lut("magma")
    assert np.array_equal(out[0], table[[0, 128, 255]])
    with pytest.raises(IndexError):
        palettes.colorize(view, "rgba", channel=4)
