"""Job logs: a table of metric rows (CSV, optionally JSONL too) and PNG line plots (Pillow).

A row is `{"step": int, "loss": float, ...}` for training, `{"generation": int, ...}` for a run.
`MetricsLog` keeps the rows in memory and rewrites its files whole and atomically on `flush()`,
which the driver (`alife.jobs.loop.run_job`) calls before every checkpoint: the files on disk
always reach at least as far as the checkpoint, and `restart(upto)` drops what lies beyond it
when a run resumes, so a kill at any instant loses nothing.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from alife.core.errors import AlifeError
from alife.core.fileio import atomic_write, atomic_write_text, make_folder


class MetricsLog:
    """The rows of one job, written to `csv_path` (and `jsonl_path` when given).

    `key` names the position column ("step", "generation"); `lineterminator` is the CSV's line
    end ("\\r\\n", the csv module's default, for training logs; "\\n" for `alife run`).
    """

    def __init__(self, csv_path: str | Path, fields: list[str], *,
                 jsonl_path: str | Path | None = None, key: str = "step",
                 lineterminator: str = "\r\n") -> None:
        self.csv = Path(csv_path)
        self.jsonl = Path(jsonl_path) if jsonl_path is not None else None
        self.fields = list(fields)
        self.key = key
        self.lineterminator = lineterminator
        self._rows: list[dict[str, Any]] = []

    @classmethod
    def in_folder(cls, folder: str | Path, fields: list[str]) -> MetricsLog:
        """`<folder>/metrics.csv` and `<folder>/metrics.jsonl` (training and evolution runs)."""
        folder = make_folder(folder)  # a failure is one line naming the folder
        return cls(folder / "metrics.csv", fields, jsonl_path=folder / "metrics.jsonl")

    def restart(self, upto: int | None = None) -> None:
        """Start empty (`None`), or from the rows on disk with `key <= upto` (a resume from a
        checkpoint at position `upto`: rows logged after it are computed again)."""
        self._rows = [] if upto is None else [r for r in self.read()
                                              if int(r[self.key]) <= upto]

    def append(self, rows: list[dict[str, Any]]) -> None:
        self._rows.extend(rows)

    def rows(self) -> list[dict[str, Any]]:
        """The rows in memory: those kept by `restart` and those appended since."""
        return list(self._rows)

    def read(self) -> list[dict[str, Any]]:
        """The rows on disk: from the JSONL (typed) when there is one, else the CSV (as text)."""
        if self.jsonl is not None:
            if not self.jsonl.exists():
                return []
            return [json.loads(line) for line in self.jsonl.read_text().splitlines()
                    if line.strip()]
        return read_csv(self.csv)

    def flush(self) -> None:
        """Write every row, each file atomically (a kill leaves the old file or the new one)."""
        if self.jsonl is not None:
            text = "".join(json.dumps(r) + "\n" for r in self._rows)
            try:
                atomic_write_text(self.jsonl, text)
            except OSError as exc:
                raise AlifeError(f"cannot write metrics ({exc.strerror or exc})",
                                 where=str(self.jsonl)) from None
        write_csv(self.csv, self._rows, self.fields, lineterminator=self.lineterminator)


def write_csv(path: str | Path, rows: list[dict[str, Any]], fields: list[str] | None = None,
              lineterminator: str = "\n") -> None:
    """A CSV table written whole and atomically; columns `fields` (extra keys ignored), by
    default every key in the order met (a missing value is left empty)."""
    if fields is None:
        fields = list(dict.fromkeys(k for row in rows for k in row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fields, extrasaction="ignore", lineterminator=lineterminator)
    writer.writeheader()
    writer.writerows(rows)
    try:
        atomic_write_text(path, buffer.getvalue())
    except OSError as exc:
        raise AlifeError(f"cannot write metrics ({exc.strerror or exc})",
                         where=str(path)) from None


def read_csv(path: str | Path) -> list[dict[str, str]]:
    """The rows of a CSV table (values as text); none when the file is missing."""
    path = Path(path)
    if not path.exists():
        return []
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


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
