"""Kernels, scale, rotation and channels of the controller facade, for worlds that declare them
(`alife.core.rule`: `KernelPlots`, `Reshaping`, `CellChannels`; Lenia does). Mixed into
`alife.app.controller.Controller` through `RuleMixin` (same object; `self` is the controller).

- Kernel plots: `kernel_curves(index)`, computed on the host for the current params and cached
  per (rule, params, index), so the Kernel window redraws only when a slider moved.
- Rescale: with `rescale_with_scale` on (the default), moving the scale param (Lenia's R) by
  slider or typed value zooms the cells by the same factor, so a creature keeps its shape. A
  drag rescales from the world as it was when the drag began (one interpolation, not one per
  frame) and is one undo entry; `rescale(value)` does it once. `rotate(degrees)` turns the
  cells. All go through `apply_edit`, so Ctrl+Z undoes them.
- Channels: `cell_channel` -1 shows every channel in its colour (the rule's `view`, or the
  colours picked in `channel_colours_shown` when they differ), k shows channel k alone through
  the colour map; the brush paints channel k (with all shown, the rule's own edit channel:
  `GridEditing.paint`).
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from alife.core.rule import CellChannels, KernelCurves, KernelPlots, Reshaping


class ShapeMixin:
    """Kernel plots, rescale and rotate, channels of `Controller` (module docstring)."""

    #: the scale param's slider (or typed value) zooms the cells with it
    rescale_with_scale = True
    #: (world serial, channel) and (world serial, [C, 3] colours): a world opened afresh
    #: starts with every channel shown in the family's colours
    _channel_pick: tuple[int, int] = (-1, -1)
    _colour_pick: tuple[int, np.ndarray | None] = (-1, None)
    _rescale_base: tuple[Any, Any, Any] | None = None  # (state, params, state produced)

    # ---- kernels --------------------------------------------------------------------------------
    @property
    def can_plot_kernels(self) -> bool:
        return isinstance(self.rule, KernelPlots)

    def kernel_count(self) -> int:
        return self.rule.kernel_count() if isinstance(self.rule, KernelPlots) else 0

    def kernel_curves(self, index: int = 0) -> KernelCurves | None:
        """Kernel `index`'s curves for the current params (None: the world has no kernels)."""
        if not isinstance(self.rule, KernelPlots):
            return None
        cache = self.__dict__.get("_kernel_cache")
        key = (self.rule, self.params, int(index))
        if cache is None or cache[0] is not key[0] or cache[1] is not key[1] \
                or cache[2] != key[2]:
            cache = (*key, self.rule.kernel_curves(self.params, int(index)))
            self.__dict__["_kernel_cache"] = cache
        return cache[3]

    def set_param_element(self, name: str, index: int, value: float) -> None:
        """Set element `index` of a per-kernel param (`mu`, `sigma` [K]) and only that one; a
        drag of the same element is one undo entry, like `set_param`'s."""
        from alife.core.types import replace_params

        old = np.array(np.asarray(getattr(self.params, name)), copy=True)
        if old.ndim == 0:
            self.set_param(name, value)
            return
        old.reshape(-1)[int(index)] = value
        tag = f"{name}[{int(index)}]"
        params = replace_params(self.params, **{name: old})
        self.apply_edit(f"param {tag}", params=params, join=self._param_edit == tag)
        self._param_edit = tag

    # ---- scale and rotation ---------------------------------------------------------------------
    @property
    def scale_param(self) -> str | None:
        """The param that is the world's length scale (Lenia's "radius"), else None."""
        return self.rule.scale_param if isinstance(self.rule, Reshaping) else None

    def scale_value(self) -> float:
        name = self.scale_param
        return float(np.asarray(getattr(self.params, name)).reshape(-1)[0]) if name else 0.0

    def rescales(self, name: str) -> bool:
        """Whether moving param `name` zooms the cells too."""
        return self.rescale_with_scale and name == self.scale_param

    def set_scale(self, value: float) -> None:
        """The scale param to `value` with the cells zoomed by the same factor (one undo entry
        per drag: zoomed from the world as it was when the drag began)."""
        if not isinstance(self.rule, Reshaping):
            return
        name = self.rule.scale_param
        base = self._rescale_base
        joining = self._param_edit == name and base is not None and base[2] is self.state
        state, params = (base[0], base[1]) if joining else (self.state, self.params)
        if float(value) <= 0:
            self.message = f"{name} must be positive, got {value:g}"
            return
        new_state, new_params = self.rule.rescaled(state, params, float(value))
        self.apply_edit(f"rescale {name} from {self.scale_value():g}",
                        params=new_params, state=new_state, join=joining)
        self._param_edit = name
        self._rescale_base = (state, params, self.state)

    def zoomed_for(self, rule: Any, params: Any) -> Any:
        """The state zoomed for `params` when they give this rule's scale param a new value (a
        typed rule text such as Lenia's `R=26`) and rescale is on; else None."""
        if rule is not self.rule or not self.rescale_with_scale \
                or not isinstance(rule, Reshaping):
            return None
        name = rule.scale_param
        new = float(np.asarray(getattr(params, name)).reshape(-1)[0])
        if new <= 0 or abs(new - self.scale_value()) <= 1e-9:
            return None
        return rule.rescaled(self.state, self.params, new)[0]

    def rescale(self, value: float) -> None:
        """Rescale once to `value` (a new undo entry)."""
        self._param_edit = None
        self.set_scale(value)

    def rotate(self, degrees: float) -> None:
        """Turn the cells `degrees` anticlockwise about the creature's centre (undoable)."""
        if not isinstance(self.rule, Reshaping):
            self.message = f"the {self.rule.family} family cannot turn its cells"
            return
        state = self.rule.rotated(self.state, self.params, float(degrees))
        self.apply_edit(f"rotate {float(degrees):g} degrees", state=state)

    # ---- channels -------------------------------------------------------------------------------
    @property
    def cell_channels(self) -> int:
        """How many cell channels the world has (1 unless it declares `CellChannels`)."""
        return int(self.rule.channels) if isinstance(self.rule, CellChannels) else 1

    @property
    def cell_channel(self) -> int:
        """The channel shown and painted (-1: all shown, the rule's own edit channel painted)."""
        serial, channel = self._channel_pick
        fits = serial == self.world_serial and channel < self.cell_channels
        return channel if fits else -1

    def set_cell_channel(self, channel: int) -> None:
        channel = int(channel) if 0 <= int(channel) < self.cell_channels else -1
        if channel != self.cell_channel:
            self._channel_pick = (self.world_serial, channel)
            self.view_version = getattr(self, "view_version", 0) + 1  # the window re-uploads

    @property
    def _colour_override(self) -> np.ndarray | None:
        serial, colours = self._colour_pick
        return colours if serial == self.world_serial else None

    def channel_colours(self) -> np.ndarray:
        """[C, 3] colours the channels are shown in (the rule's, or the ones picked)."""
        if not isinstance(self.rule, CellChannels):
            return np.ones((1, 3), np.float32)
        own = np.asarray(self.rule.channel_colours(), np.float32)
        over = self._colour_override
        return over if over is not None and over.shape == own.shape else own

    def set_channel_colour(self, channel: int, rgb: tuple[float, float, float]) -> None:
        """Show channel `channel` in colour `rgb` (a display setting, not an edit)."""
        colours = np.array(self.channel_colours(), np.float32, copy=True)
        if 0 <= channel < len(colours):
            colours[channel] = np.clip(np.asarray(rgb, np.float32)[:3], 0.0, 1.0)
            own = np.asarray(self.rule.channel_colours(), np.float32)
            self._colour_pick = (self.world_serial,
                                 None if np.allclose(colours, own) else colours)
            self.view_version = getattr(self, "view_version", 0) + 1

    def channel_levels(self) -> np.ndarray:
        """Every channel's cells [C, H, W] (host), cached per state."""
        cache = self.__dict__.get("_levels_cache")
        if cache is None or cache[0] is not self.state:
            cache = (self.state, np.asarray(self.rule.channel_levels(self.state), np.float32))
            self.__dict__["_levels_cache"] = cache
        return cache[1]

    def display_image(self) -> np.ndarray:
        """What the window draws (`[H, W, C]`, host): the rule's `view_image()`, one channel's
        levels [H, W, 1] when one is picked (a one-channel view goes through the colour map
        whatever the look: `palettes.resolve`), or the channels added up in the picked
        colours."""
        view = self.view_image()
        if self.cell_channels < 2:
            return view
        if self.cell_channel >= 0:
            return self.channel_levels()[self.cell_channel][..., None]
        if self._colour_override is None or self._colour_override.shape[0] != self.cell_channels:
            return view
        levels = np.clip(self.channel_levels(), 0.0, 1.0)
        return np.clip(np.tensordot(levels, self._colour_override, axes=(0, 0)), 0.0, 1.0)

    def paint_state(self, mask: np.ndarray, value: float) -> Any:
        """The state after painting `value` under `mask`: into the picked channel, else the
        rule's own `paint`."""
        compiled = self.compiled()
        dtype = jnp.float32 if self.num_states == 0 or value < 0 else jnp.int32
        if self.cell_channels >= 2 and self.cell_channel >= 0:
            fn = self.__dict__.get("_paint_channel")
            if fn is None or fn[0] is not self.rule:
                fn = (self.rule, jax.jit(self.rule.paint_channel))
                self.__dict__["_paint_channel"] = fn
            return fn[1](self.state, jnp.asarray(mask), jnp.asarray(value, jnp.float32),
                         jnp.asarray(self.cell_channel, jnp.int32))
        return compiled.paint(self.state, self.params, jnp.asarray(mask),
                              jnp.asarray(value, dtype))
