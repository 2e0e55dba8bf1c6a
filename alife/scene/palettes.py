"""Palettes: how a rule's `view` array becomes colours (the "looks"), as 256-entry lookup tables.

Looks (`Rule.look`, or a scene's `view.look`):
    "binary"    state 0 = dead (dark), any other value = alive (warm light)
    "states"    Generations-style: 0 dead, 1 alive, 2..n-1 "dying" on a fading gradient
    "spacetime" an elementary CA's history (newest row at the bottom), coloured like "states"
    "colormap"  one float channel in [0, 1] (or uint8 0..255) through a perceptual colour map
    "rgb"       three channels shown as they are
    "rgba"      four channels, premultiplied colour over white: clip(rgb + 1 - alpha)
                (the Growing NCA convention, Mordvintsev et al. 2020, Distill)
A channel picker (`channel=k`) shows channel k of a multi-channel view through a colour map.

API:
    LOOKS, COLORMAPS
    colormap_lut(name) -> [256, 3] uint8        viridis, magma, inferno, plasma, grey
    lut(look, num_states=2, colormap="viridis", palette=None) -> [256, 3] uint8
        index -> colour (LUT looks); `palette` (a scene's `view.palette`, colours "#rrggbb")
        gives state k colour k for discrete looks (later states repeat the last colour), or
        the anchors of a custom colour map for "colormap"
    parse_colour("#rrggbb" | "#rrggbbaa") -> (r, g, b)
    resolve(look, channels, channel) -> (mode, look)   what the shader does with a C-channel view
    index_of(values, look, num_states) -> int indices  (how the shader turns texels into indices)
    colorize(array, look, num_states=2, colormap="viridis", channel=None) -> [H, W, 3] uint8
        a NumPy reference of the whole mapping (thumbnails, tests, and GL-free previews)

The colour maps are built here by linear interpolation (in sRGB) between eleven anchor colours
of each map, sampled at 0, 0.1, ..., 1 (matplotlib's viridis family, van der Walt & Smith 2015),
which matches the published tables to within a few levels per channel.
"""

from __future__ import annotations

import numpy as np

LOOKS = ("binary", "states", "spacetime", "colormap", "rgb", "rgba")
#: looks of discrete cells, where grid lines help; continuous looks default to no lines
DISCRETE_LOOKS = ("binary", "states", "spacetime")

#: dead cells, alive cells, the area outside the grid, and grid lines (sRGB, 0..255)
DEAD = (17, 19, 26)
ALIVE = (250, 212, 92)
OUTSIDE = (44, 47, 56)
GRID = (128, 134, 150)
GRID_ALPHA = 0.22        # minor grid lines (every cell)
GRID_MAJOR_ALPHA = 0.42  # every 10th line

#: Generations "dying" states fade along plasma from this position down to the next (pink to
#: deep blue: distinct from the gold of live cells, dimmer the closer a cell is to death)
DYING_MAP, DYING_FROM, DYING_TO = "plasma", 0.58, 0.12

_ANCHORS: dict[str, list[str]] = {
    "viridis": ["440154", "482475", "414487", "355f8d", "2a788e", "21918c", "22a884", "44bf70",
                "7ad151", "bddf26", "fde725"],
    "magma": ["000004", "140e36", "3b0f70", "641a80", "8c2981", "b73779", "de4968", "f7705c",
              "fe9f6d", "fecf92", "fcfdbf"],
    "inferno": ["000004", "160b39", "420a68", "6a176e", "932667", "bc3754", "dd513a", "f37819",
                "fca50a", "f6d746", "fcffa4"],
    "plasma": ["0d0887", "41049d", "6a00a8", "8f0da4", "b12a90", "cc4778", "e16462", "f2844b",
               "fca636", "fcce25", "f0f921"],
    "grey": ["000000", "ffffff"],
}
COLORMAPS = tuple(_ANCHORS)

# shader modes
MODE_LUT, MODE_RGB, MODE_RGBA = 0, 1, 2


def _hex(code: str) -> tuple[int, int, int]:
    return int(code[0:2], 16), int(code[2:4], 16), int(code[4:6], 16)


def colormap_lut(name: str) -> np.ndarray:
    """[256, 3] uint8: colour map `name` sampled at i/255, by interpolating its anchors."""
    if name not in _ANCHORS:
        raise ValueError(f"unknown colormap {name!r}; expected one of {list(COLORMAPS)}")
    anchors = np.array([_hex(c) for c in _ANCHORS[name]], dtype=np.float64)
    at = np.linspace(0.0, 1.0, len(anchors))
    t = np.arange(256) / 255.0
    out = np.stack([np.interp(t, at, anchors[:, k]) for k in range(3)], axis=1)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def states_lut(num_states: int) -> np.ndarray:
    """[256, 3] uint8: 0 dead, 1 alive, 2..n-1 dying (bright to dim); indices >= n as n-1."""
    out = np.empty((256, 3), np.uint8)
    out[0] = DEAD
    out[1:] = ALIVE
    n = max(int(num_states), 2)
    if n > 2:
        ramp = colormap_lut(DYING_MAP)
        for k in range(2, min(n, 256)):
            f = (k - 2) / max(n - 3, 1)
            t = DYING_FROM + (DYING_TO - DYING_FROM) * f
            out[k] = ramp[int(round(t * 255))]
        out[min(n, 256):] = out[min(n, 256) - 1]
    return out


def parse_colour(text: str) -> tuple[int, int, int]:
    """(r, g, b) of "#rrggbb" or "#rrggbbaa" (alpha ignored); ValueError otherwise."""
    digits = text[1:] if isinstance(text, str) and text.startswith("#") else ""
    if len(digits) not in (6, 8):
        raise ValueError(f"bad colour {text!r}; expected '#rrggbb'")
    return _hex(digits)


def palette_lut(palette: list[str], look: str) -> np.ndarray:
    """[256, 3] uint8 from explicit colours: per state (discrete looks) or map anchors."""
    colours = np.array([parse_colour(c) for c in palette], dtype=np.float64)
    if len(colours) == 0:
        raise ValueError("an empty palette; expected at least one colour")
    if look in ("colormap", "rgb", "rgba"):
        if len(colours) == 1:
            return np.repeat(colours.astype(np.uint8), 256, axis=0)
        at = np.linspace(0.0, 1.0, len(colours))
        t = np.arange(256) / 255.0
        out = np.stack([np.interp(t, at, colours[:, k]) for k in range(3)], axis=1)
        return np.clip(np.rint(out), 0, 255).astype(np.uint8)
    out = np.empty((256, 3), np.uint8)
    n = min(len(colours), 256)
    out[:n] = colours[:n]
    out[n:] = colours[n - 1]
    return out


def lut(look: str, num_states: int = 2, colormap: str = "viridis",
        palette: list[str] | None = None) -> np.ndarray:
    """[256, 3] uint8 lookup table for a single-channel look (index -> colour)."""
    if look not in LOOKS:
        raise ValueError(f"unknown look {look!r}; expected one of {list(LOOKS)}")
    if palette:
        return palette_lut(list(palette), look)
    if look == "binary":
        return states_lut(2)
    if look in ("states", "spacetime"):
        return states_lut(num_states)
    if look in ("colormap", "rgb", "rgba"):
        return colormap_lut(colormap)
    raise ValueError(f"unknown look {look!r}; expected one of {list(LOOKS)}")


def resolve(look: str, channels: int, channel: int | None) -> tuple[int, str]:
    """(shader mode, effective look) for a view with `channels` channels.

    A picked channel, or a view with fewer than three channels (its first one), goes through a
    lookup table (a one-channel view with look "rgb"/"rgba" through the colour map); three or
    four channels with a table look and no picked channel are shown as colour.
    """
    if look not in LOOKS:
        raise ValueError(f"unknown look {look!r}; expected one of {list(LOOKS)}")
    if channel is not None or channels < 3:
        return MODE_LUT, ("colormap" if look in ("rgb", "rgba") or channel is not None else look)
    if look == "rgba" and channels == 4:
        return MODE_RGBA, look
    return MODE_RGB, "rgb"


def index_scale(look: str, dtype: np.dtype, num_states: int) -> float:
    """Factor from a normalised texel value (uint8 / 255, or the float itself) to a LUT index."""
    if np.dtype(dtype) == np.uint8:
        return 255.0
    if look in ("states", "spacetime"):
        return float(max(int(num_states), 2) - 1)
    return 255.0


def index_of(values: np.ndarray, look: str, num_states: int) -> np.ndarray:
    """LUT indices for a single-channel view (uint8 state/level, or float in [0, 1])."""
    values = np.asarray(values)
    norm = values / 255.0 if values.dtype == np.uint8 else values.astype(np.float32)
    scale = index_scale(look, values.dtype, num_states)
    return np.clip(np.floor(norm * scale + 0.5), 0, 255).astype(np.int32)


def as_view(array: np.ndarray) -> np.ndarray:
    """A view as the renderer uploads it: [H, W, C] uint8 or float32 (bool/int -> uint8)."""
    a = np.asarray(array)
    if a.ndim == 2:
        a = a[:, :, None]
    if a.ndim != 3:
        raise ValueError(f"a view must be [H, W] or [H, W, C], got shape {a.shape}")
    if a.dtype == np.uint8 or a.dtype == np.float32:
        return a
    if a.dtype == np.bool_ or np.issubdtype(a.dtype, np.integer):
        return np.clip(a, 0, 255).astype(np.uint8)
    return a.astype(np.float32)


def pick_channel(view: np.ndarray, channel: int | None) -> np.ndarray:
    """The view itself, or its channel `channel` as [H, W, 1] (IndexError if out of range)."""
    if channel is None:
        return view
    if not 0 <= channel < view.shape[2]:
        raise IndexError(f"channel {channel} out of range for a view with {view.shape[2]}")
    return np.ascontiguousarray(view[:, :, channel:channel + 1])


def colorize(array: np.ndarray, look: str, num_states: int = 2, colormap: str = "viridis",
             channel: int | None = None, palette: list[str] | None = None) -> np.ndarray:
    """NumPy reference of the renderer's colouring: [H, W, C] view -> [H, W, 3] uint8."""
    view = pick_channel(as_view(array), channel)
    if view.shape[2] > 4:  # a raw multi-channel state: its first four channels, as the renderer
        view = view[:, :, :4]
    mode, eff = resolve(look, view.shape[2], channel)
    if mode == MODE_LUT:
        table = lut(eff, num_states, colormap, palette)
        return table[index_of(view[:, :, 0], eff, num_states)]
    f = view.astype(np.float32) / 255.0 if view.dtype == np.uint8 else view.astype(np.float32)
    f = np.clip(f, 0.0, 1.0)
    if mode == MODE_RGBA:
        rgb = np.clip(f[:, :, :3] + 1.0 - f[:, :, 3:4], 0.0, 1.0)
    else:
        rgb = f[:, :, :3] if f.shape[2] >= 3 else np.repeat(f[:, :, :1], 3, axis=2)
    return np.floor(rgb * 255.0 + 0.5).astype(np.uint8)
