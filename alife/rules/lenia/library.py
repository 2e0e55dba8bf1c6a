"""The Lenia creature library: Bert Chan's published species as data, and how to reshape them.

The catalogue is `assets/lenia/species.json` (package data `alife.assets`, found through
importlib.resources): plain JSON, no pickle. Each species holds Chan's own numbers, transcribed
from his public repository (github.com/Chakazul/Lenia): R, T, the growth function `gn`, and per
kernel the ring heights `b` (a string of fractions, as he writes them), `m`, `s`, the core `kn`,
and for several kernels or channels the weight `h`, the relative radius `r` and the channels
`c = [source, target]`; the cells as his run-length code (one string per channel). `kn` and `gn`
are his executed Python's numbers (`kernels.CHAN_KN`, `kernels.CHAN_GN`). Every entry also names
its source file and entry, its family in Chan's taxonomy, and `motion`: what its name says it
does ("glides", "gyrates", "rotates", "stationary", or "varies"), which the tests check.

    species_codes() -> list[str]           every code, in catalogue order
    species(code) -> Species                one species (AlifeError naming the near ones)
    Species.cells() -> [C, h, w] float32    its cells, levels in [0, 1]
    decode_cells(text) / encode_cells(a)    Chan's run-length code <-> uint8 [h, w] (0..255)
    species_entry(...) -> dict              a catalogue entry (e.g. for a creature a search found)
    rescale(cells, factor), rotate(cells, degrees), transform(cells, scale, rotate)
    rescale_world(cells, factor)            a whole world zoomed about its centre, same shape
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from typing import Any

import jax
import numpy as np

from alife.core.errors import AlifeError, unknown_name
from alife.rules.lenia import kernels as lk

CATALOGUE = resources.files("alife.assets") / "lenia" / "species.json"
MOTIONS = ("glides", "gyrates", "rotates", "stationary", "varies")
#: the catalogue file's largest size (it is package data, but a user may point at another copy)
MAX_BYTES = 16 << 20


@dataclass(frozen=True)
class Kernel:
    """One kernel of a species: ring heights, growth centre and width, core, weight, relative
    radius, and the channel it reads (`source`) and the one it grows (`target`)."""

    peaks: tuple[float, ...]
    mu: float
    sigma: float
    core: str = "polynomial"
    weight: float = 1.0
    relative: float = 1.0
    source: int = 0
    target: int = 0

    def config(self) -> dict[str, Any]:
        """As a Lenia rule's `kernels` entry."""
        return {"peaks": list(self.peaks), "mu": self.mu, "sigma": self.sigma, "core": self.core,
                "weight": self.weight, "relative": self.relative, "source": self.source,
                "target": self.target}


@dataclass(frozen=True)
class Species:
    """One catalogue entry, with Chan's numbers turned into ours (T -> dt = 1/T, kn/gn -> names)."""

    code: str
    name: str
    family: str
    source: str
    motion: str
    radius: float
    dt: float
    growth: str
    channels: int
    kernels: tuple[Kernel, ...]
    rle: tuple[str, ...]

    @property
    def single(self) -> bool:
        """One channel and one kernel of relative radius 1: classic Lenia (`LeniaRule`)."""
        return self.channels == 1 and len(self.kernels) == 1 and self.kernels[0].relative == 1.0

    def cells(self) -> np.ndarray:
        """[C, h, w] float32 levels (Chan's value / 255), channels padded to one shape, each
        centred as his loader centres it."""
        grids = [decode_cells(text) for text in self.rle]
        h = max(g.shape[0] for g in grids)
        w = max(g.shape[1] for g in grids)
        out = np.zeros((len(grids), h, w), np.float32)
        for c, g in enumerate(grids):
            top, left = (h - g.shape[0]) // 2, (w - g.shape[1]) // 2
            out[c, top:top + g.shape[0], left:left + g.shape[1]] = g / np.float32(255)
        return out

    def rule_config(self) -> dict[str, Any]:
        """The rule config keys this species sets (besides the grid and the start)."""
        if self.single:
            k = self.kernels[0]
            return {"radius": self.radius, "dt": self.dt, "peaks": list(k.peaks), "mu": k.mu,
                    "sigma": k.sigma, "core": k.core, "growth": self.growth}
        return {"radius": self.radius, "dt": self.dt, "growth": self.growth,
                "channels": self.channels, "kernels": [k.config() for k in self.kernels]}


# ---- Chan's run-length code ---------------------------------------------------------------------
def _value(prefix: str, ch: str) -> int:
    if ch in ".b":
        return 0
    if ch == "o":
        return 255
    if not ("A" <= ch <= "X"):
        raise ValueError(ch)
    if prefix:
        return (ord(prefix) - ord("p")) * 24 + (ord(ch) - ord("A")) + 25
    return ord(ch) - ord("A") + 1


def decode_cells(text: str) -> np.ndarray:
    """Chan's 2-D run-length code -> uint8 [h, w] (0..255; level = value / 255).

    Items: `.` or `b` = 0, `o` = 255, `A`..`X` = 1..24, two letters `pA`..`yO` = 25..254
    ((first - p) * 24 + (second - A) + 25); a number before an item repeats it; `$` ends a row (a
    number before it adds that many rows less one of blanks); `!` ends the pattern. Rows shorter
    than the widest are padded with 0.
    """
    rows: list[list[int]] = []
    row: list[int] = []
    count, prefix = "", ""
    for ch in text.strip().rstrip("!") + "$":
        if ch.isdigit():
            count += ch
        elif ch in "pqrstuvwxy":
            prefix = ch
        elif ch == "$":
            rows.append(row)
            rows.extend([] for _ in range(int(count or 1) - 1))
            row, count, prefix = [], "", ""
        elif ch.isspace():
            continue
        else:
            try:
                value = _value(prefix, ch)
            except ValueError:
                raise AlifeError(f"bad Lenia cell code {prefix + ch!r}; expected '.', 'b', "
                                 "'o', A-X or pA-yO") from None
            row.extend([value] * int(count or 1))
            count, prefix = "", ""
    width = max((len(r) for r in rows), default=0)
    out = np.zeros((len(rows), width), np.uint8)
    for i, r in enumerate(rows):
        out[i, :len(r)] = r
    return out


def _item(value: int) -> str:
    if value == 0:
        return "."
    if value < 25:
        return chr(ord("A") + value - 1)
    return chr(ord("p") + (value - 25) // 24) + chr(ord("A") + (value - 25) % 24)


def encode_cells(values: np.ndarray) -> str:
    """uint8-like [h, w] (0..255) or float levels in [0, 1] -> Chan's run-length code.

    Every row is written in full (trailing zeros too, as Chan's files do), so
    `decode_cells(encode_cells(a))` gives `a` back exactly (float levels rounded to value / 255).
    """
    a = np.asarray(values)
    if np.issubdtype(a.dtype, np.floating):
        a = np.rint(np.clip(a, 0.0, 1.0) * 255)
    a = a.astype(np.int64)
    if a.ndim != 2 or a.min(initial=0) < 0 or a.max(initial=0) > 255:
        raise AlifeError(f"cells of shape {a.shape}; expected [h, w] with values 0..255")
    lines = []
    for row in a:
        parts, i = [], 0
        while i < row.size:
            j = i
            while j < row.size and row[j] == row[i]:
                j += 1
            n = j - i
            parts.append((str(n) if n > 1 else "") + _item(int(row[i])))
            i = j
        lines.append("".join(parts))
    return "$".join(lines) + "!"


# ---- the catalogue ------------------------------------------------------------------------------
def _fractions(text: str | list | float | int) -> tuple[float, ...]:
    if isinstance(text, (int, float)):
        return (float(text),)
    parts = text if isinstance(text, list) else str(text).split(",")
    return tuple(float(Fraction(str(p).strip())) for p in parts)


def _parse(entry: dict[str, Any]) -> Species:
    code = str(entry["code"])
    where = f"Lenia species {code!r}"
    try:
        kernels = []
        growth = lk.CHAN_GN[int(entry["gn"])]
        channels = int(entry.get("channels", 1))
        for k in entry["kernels"]:
            source, target = (int(c) for c in k.get("c", (0, 0)))
            kernels.append(Kernel(peaks=_fractions(k["b"]), mu=float(k["m"]), sigma=float(k["s"]),
                                  core=lk.CHAN_KN[int(k["kn"])], weight=float(k.get("h", 1.0)),
                                  relative=float(k.get("r", 1.0)), source=source, target=target))
        rle = entry["cells"]
        rle = tuple(rle) if isinstance(rle, list) else (rle,)
        out = Species(code=code, name=str(entry.get("name", "")),
                      family=str(entry.get("family", "")), source=str(entry.get("source", "")),
                      motion=str(entry.get("motion", "varies")), radius=float(entry["R"]),
                      dt=1.0 / float(entry["T"]), growth=growth, channels=channels,
                      kernels=tuple(kernels), rle=rle)
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
        raise AlifeError(f"{where}: malformed catalogue entry ({exc!r})") from None
    if len(rle) != channels or any(not 0 <= c < channels for k in kernels
                                   for c in (k.source, k.target)):
        raise AlifeError(f"{where}: {len(rle)} cell grids and kernel channels for "
                         f"{channels} channels")
    if out.motion not in MOTIONS:
        raise AlifeError(f"{where}: motion {out.motion!r}; expected one of {MOTIONS}")
    return out


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, Any]:
    with resources.as_file(CATALOGUE) as path:
        if path.stat().st_size > MAX_BYTES:
            raise AlifeError(f"{path}: larger than {MAX_BYTES} bytes")
        return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _entries() -> dict[str, dict[str, Any]]:
    return {str(e["code"]): e for e in _catalogue()["species"]}


def catalogue_info() -> dict[str, Any]:
    """The catalogue's header: what it is and its sources (with their citations)."""
    return {k: v for k, v in _catalogue().items() if k != "species"}


def species_codes() -> list[str]:
    """Every species code, in catalogue order."""
    return list(_entries())


@lru_cache(maxsize=256)
def species(code: str) -> Species:
    """The species called `code` (`O2u`, `orbium`, ...); AlifeError naming the near ones."""
    entry = _entries().get(str(code))
    if entry is None:
        raise AlifeError(unknown_name("Lenia species", str(code)[:40], species_codes()))
    return _parse(entry)


def species_entry(code: str, name: str, cells: np.ndarray, radius: float, dt: float,
                  growth: str, kernels: list[Kernel], *, family: str = "", source: str = "",
                  motion: str = "varies") -> dict[str, Any]:
    """A catalogue entry (JSON-able) in this library's format, e.g. for a found creature.

    `cells` [C, h, w] (or [h, w]) levels in [0, 1]; `kernels` as `Kernel`s. Names turn back into
    Chan's `kn`/`gn` numbers; `b` is written as fractions where they are exact to 1e-6.
    """
    kn = {v: k for k, v in lk.CHAN_KN.items()}
    gn = {v: k for k, v in lk.CHAN_GN.items()}
    a = np.asarray(cells, np.float32)
    a = a[None] if a.ndim == 2 else a

    def frac(x: float) -> str:
        f = Fraction(x).limit_denominator(12)
        return str(f) if abs(float(f) - x) < 1e-6 else f"{x:g}"

    multi = a.shape[0] > 1 or len(kernels) > 1
    out_kernels = []
    for k in kernels:
        d: dict[str, Any] = {"b": ",".join(frac(b) for b in k.peaks), "m": k.mu, "s": k.sigma,
                             "kn": kn[k.core]}
        if multi or k.weight != 1.0 or k.relative != 1.0:
            d.update(h=k.weight, r=k.relative, c=[k.source, k.target])
        out_kernels.append(d)
    entry: dict[str, Any] = {"code": code, "name": name, "family": family, "source": source,
                             "motion": motion, "R": radius, "T": round(1.0 / dt, 6),
                             "gn": gn[growth]}
    if a.shape[0] > 1:
        entry["channels"] = int(a.shape[0])
    entry["kernels"] = out_kernels
    rle = [encode_cells(c) for c in a]
    entry["cells"] = rle if a.shape[0] > 1 else rle[0]
    _parse(entry)  # it must read back
    return entry


# ---- reshaping ----------------------------------------------------------------------------------
def linear_weights(n_in: int, n_out: int) -> np.ndarray:
    """[n_out, n_in] weights of a linear resize of n_in samples to n_out, as
    `jax.image.resize(..., "linear")` computes them: output sample i sits at input position
    (i + 0.5) n_in / n_out - 0.5, weighted by a triangle kernel one input cell wide (widened
    by n_in / n_out when shrinking, which smooths), weights normalised to sum 1, none for a
    position off the input. float64."""
    inv = n_in / n_out
    width = max(inv, 1.0)
    at = (np.arange(n_out) + 0.5) * inv - 0.5
    w = np.maximum(0.0, 1.0 - np.abs(at[:, None] - np.arange(n_in)[None, :]) / width)
    total = w.sum(axis=1, keepdims=True)
    w = np.where(total > 1000 * np.finfo(np.float32).eps, w / np.where(total > 0, total, 1), 0.0)
    inside = (at >= -0.5) & (at <= n_in - 0.5)
    return np.where(inside[:, None], w, 0.0)


def rescale(cells: np.ndarray, factor: float) -> np.ndarray:
    """Cells [..., h, w] zoomed by `factor` (linear interpolation, clipped to [0, 1]), each side
    to `max(1, round(side * factor))`; the same cells when `factor` is 1. float32.

    The zoom is `jax.image.resize`'s "linear" (the engine's zoom since the start), done in NumPy
    with its weights (`linear_weights`): no compile per new size, so the app's R slider zooms at
    once."""
    a = np.asarray(cells, np.float32)
    if abs(factor - 1.0) <= 1e-6:
        return a
    h, w = a.shape[-2:]
    size = (max(1, round(h * factor)), max(1, round(w * factor)))
    wy, wx = linear_weights(h, size[0]), linear_weights(w, size[1])
    out = wy @ a.astype(np.float64) @ wx.T  # [..., h, w] -> [..., size]
    return np.clip(out, 0.0, 1.0).astype(np.float32)


def rotate(cells: np.ndarray, degrees: float) -> np.ndarray:
    """Cells [..., h, w] turned `degrees` anticlockwise (as drawn, row 0 at the top). Multiples
    of 90 are exact; other angles sample bilinearly onto a canvas that holds the whole turned
    pattern. float32."""
    a = np.asarray(cells, np.float32)
    turns = degrees / 90.0
    if abs(turns - round(turns)) < 1e-9:
        return np.ascontiguousarray(np.rot90(a, k=int(round(turns)) % 4, axes=(-2, -1)))
    h, w = a.shape[-2:]
    t = math.radians(degrees)
    c, s = math.cos(t), math.sin(t)
    out_h = int(math.ceil(abs(h * c) + abs(w * s) - 1e-6))
    out_w = int(math.ceil(abs(w * c) + abs(h * s) - 1e-6))
    y, x = np.mgrid[0:out_h, 0:out_w].astype(np.float64)
    y -= (out_h - 1) / 2
    x -= (out_w - 1) / 2
    # screen rotation anticlockwise with y pointing down: source = R(-t) applied to (x, -y)
    src_x = c * x - s * y
    src_y = s * x + c * y
    src_x += (w - 1) / 2
    src_y += (h - 1) / 2
    x0, y0 = np.floor(src_x).astype(int), np.floor(src_y).astype(int)
    fx, fy = src_x - x0, src_y - y0
    flat = a.reshape(-1, h, w)
    out = np.zeros((flat.shape[0], out_h, out_w), np.float64)
    for dy, wy in ((0, 1 - fy), (1, fy)):
        for dx, wx in ((0, 1 - fx), (1, fx)):
            yy, xx = y0 + dy, x0 + dx
            ok = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
            vals = flat[:, np.clip(yy, 0, h - 1), np.clip(xx, 0, w - 1)]
            out += np.where(ok, vals, 0.0) * (wy * wx)
    return np.clip(out, 0.0, 1.0).astype(np.float32).reshape(a.shape[:-2] + (out_h, out_w))


def transform(cells: np.ndarray, scale: float = 1.0, degrees: float = 0.0) -> np.ndarray:
    """`rescale` then `rotate`."""
    return rotate(rescale(cells, scale), degrees)


def rescale_world(cells: np.ndarray | jax.Array, factor: float) -> np.ndarray:
    """A world's cells [..., H, W] zoomed by `factor` about the grid's centre, same shape: what a
    creature becomes when R changes by `factor` and it should keep its shape (the app's R slider
    calls this with new R / old R). Grown content past the edges is cut; shrunk content is padded
    with 0."""
    a = np.asarray(cells, np.float32)
    if abs(factor - 1.0) <= 1e-6:
        return a.copy()
    h, w = a.shape[-2:]
    zoomed = rescale(a, factor)
    zh, zw = zoomed.shape[-2:]
    out = np.zeros_like(a)
    # centre of the zoomed grid onto the centre of the world
    top, left = (h - zh) // 2, (w - zw) // 2
    ys, xs = max(0, -top), max(0, -left)
    yd, xd = max(0, top), max(0, left)
    n_h, n_w = min(zh - ys, h - yd), min(zw - xs, w - xd)
    out[..., yd:yd + n_h, xd:xd + n_w] = zoomed[..., ys:ys + n_h, xs:xs + n_w]
    return out
