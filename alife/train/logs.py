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


def plot_loss(path: str | Path, steps: list[int], losses: list[float], title: str = "loss",
              size: tuple[int, int] = (640, 360)) -> None:
    """Draw log10(loss) against step as a PNG (raw points grey, a moving average black)."""
    w, h = size
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    left, right, top, bottom = 60, w - 15, 25, h - 35
    draw.rectangle([left, top, right, bottom], outline="black")
    draw.text((left, 5), title, fill="black")
    pts = [(s, math.log10(v)) for s, v in zip(steps, losses, strict=True) if v > 0]
    if len(pts) >= 2:
        s0, s1 = pts[0][0], max(pts[-1][0], pts[0][0] + 1)
        lo, hi = min(p[1] for p in pts), max(p[1] for p in pts)
        hi = hi if hi > lo else lo + 1.0

        def xy(s: float, v: float) -> tuple[float, float]:
            return (left + (s - s0) / (s1 - s0) * (right - left),
                    bottom - (v - lo) / (hi - lo) * (bottom - top))

        draw.line([xy(*p) for p in pts], fill=(190, 190, 190))
        k = max(1, len(pts) // 50)
        smooth = [(pts[i][0], sum(p[1] for p in pts[max(0, i - k):i + 1]) /
                   len(pts[max(0, i - k):i + 1])) for i in range(len(pts))]
        draw.line([xy(*p) for p in smooth], fill="black", width=2)
        for frac in (0.0, 0.5, 1.0):
            v = lo + frac * (hi - lo)
            draw.text((4, xy(s0, v)[1] - 6), f"{10 ** v:.1e}", fill="black")
        draw.text((left, bottom + 8), str(s0), fill="black")
        draw.text((right - 40, bottom + 8), str(s1), fill="black")
    atomic_write(path, lambda f: img.save(f, format="PNG"))
