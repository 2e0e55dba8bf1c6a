"""Training logs: metrics rows to CSV and JSONL, and a loss plot PNG drawn with Pillow.

A row is `{"step": int, "loss": float, ...}`. Files are appended to as training runs (so a resumed
run continues the same log) and the plot is redrawn from the whole JSONL at the end.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from alife.core.fileio import atomic_write


class MetricsLog:
    """Appends metric rows to `<dir>/metrics.jsonl` and `<dir>/metrics.csv`."""

    def __init__(self, folder: str | Path, fields: list[str]):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.fields = fields
        self.jsonl = self.folder / "metrics.jsonl"
        self.csv = self.folder / "metrics.csv"

    def truncate_after(self, step: int) -> None:
        """Drop rows with `step >= step` (rows logged after the checkpoint being resumed)."""
        rows = [r for r in self.rows() if r["step"] < step]
        self.jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows))
        with self.csv.open("w", newline="") as f:
            writer = csv.DictWriter(f, self.fields, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)

    def append(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        with self.jsonl.open("a") as f:
            f.writelines(json.dumps(r) + "\n" for r in rows)
        new = not self.csv.exists() or self.csv.stat().st_size == 0
        with self.csv.open("a", newline="") as f:
            writer = csv.DictWriter(f, self.fields, extrasaction="ignore")
            if new:
                writer.writeheader()
            writer.writerows(rows)

    def rows(self) -> list[dict[str, Any]]:
        if not self.jsonl.exists():
            return []
        return [json.loads(line) for line in self.jsonl.read_text().splitlines() if line.strip()]


class LinePlot:
    """A white PNG chart drawn with Pillow: a framed plot box, a title, lines in data units and
    labels on the y axis (three values) and the x axis (its two ends)."""

    def __init__(self, title: str, x_range: tuple[float, float], y_range: tuple[float, float],
                 size: tuple[int, int] = (640, 360), left: int = 60) -> None:
        w, h = size
        self.img = Image.new("RGB", size, "white")
        self.draw = ImageDraw.Draw(self.img)
        self.box = (left, w - 15, 25, h - 35)  # left, right, top, bottom
        self.draw.rectangle([left, 25, w - 15, h - 35], outline="black")
        self.draw.text((left, 5), title, fill="black")
        self.x0, self.x1 = x_range[0], max(x_range[1], x_range[0] + 1)
        self.lo, self.hi = y_range[0], (y_range[1] if y_range[1] > y_range[0]
                                        else y_range[0] + 1.0)

    def xy(self, x: float, y: float) -> tuple[float, float]:
        left, right, top, bottom = self.box
        return (left + (x - self.x0) / (self.x1 - self.x0) * (right - left),
                bottom - (y - self.lo) / (self.hi - self.lo) * (bottom - top))

    def line(self, points: list[tuple[float, float]], fill: Any, width: int = 1) -> None:
        self.draw.line([self.xy(x, y) for x, y in points], fill=fill, width=width)

    def axes(self, y_label: Any) -> None:
        """Three y labels (`y_label(value) -> str`) and the x range's ends."""
        left, right, _, bottom = self.box
        for frac in (0.0, 0.5, 1.0):
            v = self.lo + frac * (self.hi - self.lo)
            self.draw.text((4, self.xy(self.x0, v)[1] - 6), y_label(v), fill="black")
        self.draw.text((left, bottom + 8), str(self.x0), fill="black")
        self.draw.text((right - 40, bottom + 8), str(self.x1), fill="black")

    def save(self, path: str | Path) -> None:
        atomic_write(path, lambda f: self.img.save(f, format="PNG"))


def plot_loss(path: str | Path, steps: list[int], losses: list[float], title: str = "loss",
              size: tuple[int, int] = (640, 360)) -> None:
    """Draw log10(loss) against step as a PNG (raw points grey, a moving average black)."""
    pts = [(s, math.log10(v)) for s, v in zip(steps, losses, strict=True) if v > 0]
    if len(pts) < 2:
        LinePlot(title, (0, 1), (0, 1), size).save(path)
        return
    plot = LinePlot(title, (pts[0][0], pts[-1][0]),
                    (min(p[1] for p in pts), max(p[1] for p in pts)), size)
    plot.line(pts, fill=(190, 190, 190))
    k = max(1, len(pts) // 50)
    smooth = [(pts[i][0], sum(p[1] for p in pts[max(0, i - k):i + 1]) /
               len(pts[max(0, i - k):i + 1])) for i in range(len(pts))]
    plot.line(smooth, fill="black", width=2)
    plot.axes(lambda v: f"{10 ** v:.1e}")
    plot.save(path)
