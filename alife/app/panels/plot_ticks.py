"""The pure axis maths of the app's plots (`alife.app.panels.plot_view`): axis limits that guard
empty, constant, NaN / inf and non-positive (log scale) data (`y_limits`, `x_limits`), and
labelled ticks at round values no closer than `TICK_SPACING` pixels (`nice_ticks`)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

#: the least distance between two labelled y ticks, in pixels (the font is 15 px)
TICK_SPACING = 36.0
#: the closest two labelled ticks may come where the wider spacing leaves fewer than two
MIN_TICK_SPACING = 20.0


def y_limits(values: list[np.ndarray], log: bool) -> tuple[float, float] | None:
    """Axis limits holding every finite value (positive ones on a log scale) with a margin;
    a constant series gets a range around its value; None when there is nothing to show."""
    parts = [np.asarray(v, np.float64).ravel() for v in values]
    every = np.concatenate(parts) if parts else np.zeros(0)
    every = every[np.isfinite(every)]
    if log:
        every = every[every > 0]
    if not every.size:
        return None
    lo, hi = float(every.min()), float(every.max())
    if log:
        lo_e, hi_e = math.log10(lo), math.log10(hi)
        if hi_e - lo_e < 1e-9:
            return lo / 2.0, hi * 2.0
        pad = 0.05 * (hi_e - lo_e)
        return 10.0 ** (lo_e - pad), 10.0 ** (hi_e + pad)
    span = hi - lo
    if span <= 1e-12 * max(1.0, abs(hi), abs(lo)):
        half = max(abs(hi) * 0.1, 0.5)
        return lo - half, hi + half
    return lo - 0.05 * span, hi + 0.05 * span


def x_limits(xs: list[np.ndarray], window: int) -> tuple[float, float] | None:
    parts = [np.asarray(v, np.float64).ravel() for v in xs]
    every = np.concatenate(parts) if parts else np.zeros(0)
    every = every[np.isfinite(every)]
    if not every.size:
        return None
    lo, hi = float(every.min()), float(every.max())
    if window > 0:
        lo = max(min(lo, hi - window), hi - window)
    if hi - lo < 1.0:
        return lo - 0.5, hi + 0.5
    return lo, hi


def _nice_step(raw: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k at least `raw`."""
    if not math.isfinite(raw) or raw <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * power >= raw * (1 - 1e-9):
            return m * power
    return 10.0 * power


def format_tick(value: float, step: float) -> str:
    """A tick label with as many decimals as the step between ticks needs (compact notation
    for very large and very small values)."""
    if value == 0:
        return "0"
    if max(abs(value), abs(step)) >= 1e6 or abs(step) < 1e-4:
        return f"{value:.3g}"
    decimals = 0
    while decimals < 6 and abs(step * 10 ** decimals - round(step * 10 ** decimals)) > 1e-6:
        decimals += 1
    return f"{value:.{decimals}f}"


def nice_ticks(lo: float, hi: float, pixels: float, log: bool = False,
               spacing: float = TICK_SPACING, integer: bool = False,
               ) -> tuple[list[float], list[str]]:
    """(values, labels) of ticks at round values within [lo, hi], at least `spacing` pixels
    apart along an axis `pixels` long (on a log axis: decades, their 2s and 5s, or round values
    within a decade). Where that leaves fewer than two ticks, they may come closer (down to
    `MIN_TICK_SPACING`), so every axis has at least two labelled values when it can.
    `integer`: whole numbers only (generations, iterations)."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo or pixels <= 0:
        return [], []
    best: list[float] = []
    for gap in (spacing, 0.75 * spacing, MIN_TICK_SPACING):
        values = _ticks_at(lo, hi, pixels, log and lo > 0, max(gap, MIN_TICK_SPACING),
                           integer)
        if len(values) > len(best):
            best = values
        if len(best) >= 2:
            break
    labels = [_log_label(v) if log and lo > 0 else format_tick(v, _step_of(best)) for v in best]
    return best, labels


def _ticks_at(lo: float, hi: float, pixels: float, log: bool, gap: float,
              integer: bool = False) -> list[float]:
    """Round values within [lo, hi] no closer than `gap` pixels."""
    if log:
        values = _log_ticks(lo, hi, max(2, int(pixels // gap)))
        position = _log_position(lo, hi, pixels)
    else:
        step = _nice_step(gap * (hi - lo) / pixels)
        if integer:
            step = max(1.0, round(step))
        first = math.ceil(lo / step - 1e-9)
        values = [float(f"{k * step:.12g}")
                  for k in range(first, int(math.floor(hi / step + 1e-9)) + 1)]
        values = [min(max(v, lo), hi) for v in values]  # rounding may step just outside
        position = _linear_position(lo, hi, pixels)
    kept: list[float] = []
    for v in values:  # the labels never overlap: drop any tick closer than `gap`
        if not kept or position(v) - position(kept[-1]) >= gap - 1e-6:
            kept.append(v)
    return kept


def _step_of(values: list[float]) -> float:
    diffs = np.diff(values) if len(values) > 1 else np.array([abs(values[0]) or 1.0])
    return float(np.min(np.abs(diffs))) if len(diffs) else 1.0


def _linear_position(lo: float, hi: float, pixels: float) -> Callable[[float], float]:
    return lambda v: (v - lo) / (hi - lo) * pixels


def _log_position(lo: float, hi: float, pixels: float) -> Callable[[float], float]:
    a, b = math.log10(lo), math.log10(hi)
    return lambda v: (math.log10(v) - a) / (b - a) * pixels


def _log_ticks(lo: float, hi: float, most: int) -> list[float]:
    a, b = math.log10(lo), math.log10(hi)
    decades = list(range(math.ceil(a - 1e-9), math.floor(b + 1e-9) + 1))
    if len(decades) >= 3:
        stride = max(1, math.ceil(len(decades) / most))
        return [10.0 ** k for k in decades[::stride]]
    candidates = sorted({m * 10.0 ** k for k in range(math.floor(a) - 1, math.ceil(b) + 1)
                         for m in (1.0, 2.0, 5.0)})
    within = [v for v in candidates if lo <= v <= hi]
    if len(within) >= 2:
        return within
    step = _nice_step((hi - lo) / max(most - 1, 1) / 2)  # less than a decade: round values
    first = math.ceil(lo / step - 1e-9)
    return [k * step for k in range(first, int(math.floor(hi / step + 1e-9)) + 1) if k > 0]


def _log_label(value: float) -> str:
    return f"{value:g}" if 1e-3 <= value < 1e5 else f"{value:.0e}"
