"""What the Evolve panel shows of an `alife.app.evolve_session.EvolveSession`: caption numbers
(`format_value`), per-candidate captions and tips, the round's viability note, what the fitness
means, and thumbnails cut around a small creature (`crop_to_activity`). `CaptionsMixin` is one
base of `EvolveSession`."""

from __future__ import annotations

from typing import Any

import jax
import numpy as np

from alife.scene.view import ViewSettings


def format_value(value: float) -> str:
    """A caption number without scientific notation where it can be avoided: 0.973, 12.5,
    3,103; very small or huge values keep an exponent."""
    v = float(value)
    if not np.isfinite(v):
        return str(v)
    a = abs(v)
    if a == 0:
        return "0"
    if a >= 1e9 or a < 1e-4:
        return f"{v:.2e}"
    if a >= 1000:
        return f"{v:,.0f}"
    return f"{v:.3g}" if a >= 0.01 else f"{v:.2g}"


class CaptionsMixin:
    """The captions, notes and thumbnails of `EvolveSession` (which supplies the state)."""

    # ---- what the panel shows --------------------------------------------------------------
    def caption_metric(self) -> str:
        """What the captions' number is: the fitness's name, else the size metric."""
        return self.scorer.name or self.size_name or "generation"

    def _values(self) -> np.ndarray:
        r = self._shown()
        if self.scorer.fitness is not None:
            return r.fitness
        name = self.caption_metric()
        return np.asarray(r.metrics.get(name, r.metrics["generation"]), np.float64)

    def captions(self) -> list[str]:
        """One line per candidate: "<fitness> <value>" (plus its rule text, where it has one)."""
        name, r = self.caption_metric(), self._shown()
        return [f"{name} {format_value(v)}" + (f" {t}" if t else "")
                for v, t in zip(self._values(), r.rules, strict=True)]

    def caption_rows(self) -> list[dict[str, Any]]:
        """Per candidate: "value" (formatted), "rule" (text or None), "viable", "why" and a
        "tip" with everything (fitness, size, rule, genes)."""
        r = self._shown()
        name = self.caption_metric()
        rows = []
        sizes = r.metrics.get(self.size_name) if self.size_name else None
        for i, value in enumerate(self._values()):
            lines = [f"candidate {i + 1}: {name} {format_value(value)}"
                     + (f" (over the first {self.steps} steps)" if self.scorer.fitness else "")]
            if sizes is not None:
                lines.append(f"{self.size_name} now {format_value(sizes[i])}")
            if r.rules[i]:
                lines.append(f"rule {r.rules[i]}")
            if r.why[i]:
                lines.append(f"not viable: {r.why[i]} within the preview")
            lines.append(self._genes_text(i))
            rows.append({"value": format_value(value), "rule": r.rules[i],
                         "viable": bool(r.viable[i]), "why": r.why[i],
                         "tip": "\n".join(line for line in lines if line)})
        return rows

    def _genes_text(self, i: int) -> str:
        """The candidate's slider genes as values (sliders only: weights are too many)."""
        if self.genome.kind != "sliders":
            return ""
        host = jax.device_get(self._shown().params)
        parts = []
        for g in self.genome.genes:
            v = np.asarray(getattr(host, g.name))[i]
            parts.append(f"{g.name} {format_value(float(v.reshape(-1)[0]))}" if v.size == 1
                         else f"{g.name} [{v.size}]")
        return ", ".join(parts)

    def round_note(self) -> str:
        """How many candidates are viable, and what the viability filter re-drew."""
        if self._round is None:
            return ""
        r = self._round
        viable = int(r.viable.sum())
        text = f"{viable} of {self.n} viable"
        if self.filter:
            text += f"; re-drew {r.redrawn}" + (f" ({r.draws} drawn in all)"
                                                if r.draws > self.n else "")
            if viable < self.n:
                kinds = "/".join(sorted({w for w in r.why if w}))
                text += f"; {self.n - viable} still {kinds} after {self.max_draws} draws"
        else:
            text += " (viability filter off)"
        if r.reference.startswith("the parent"):
            text += f"; the parent itself grows, so 'exploded' is measured against " \
                    f"{r.reference}"
        elif viable < self.n and self._parent_unviable():
            text += "; the parent itself dies or explodes: a larger mutation may find viable ones"
        return text

    def _parent_unviable(self) -> bool:
        sizes = self._parent_size.get(self.parent.tobytes())
        if sizes is None:
            return False
        start, peak, least = sizes
        return start > 0 and (least <= self.low * start or peak > self.high * start)

    def fitness_text(self) -> str:
        """What the captions' number means."""
        if self.scorer.fitness is None:
            return f"captions: {self.caption_metric()} after {self.steps} steps"
        where = {"scene": "the scene's evolution block",
                 "chosen": f"one of the {self.rule.family} family's"}.get(
            self.scorer.source, f"the {self.rule.family} family's (this scene has no "
                                f"evolution: block)")
        return f"captions: fitness {self.scorer.name} over {self.steps} steps, {where}"

    def thumbnails(self, view: ViewSettings, size: int = 48) -> list[np.ndarray]:
        """Each candidate's view coloured with the world's view settings, at most `size` px a
        side, uint8 RGB."""
        settings = view.for_rule(self.rule)
        out = []
        for v in self._shown().views:
            rgb = crop_to_activity(settings.colorize(v))
            step = max(1, -(-max(rgb.shape[:2]) // size))
            out.append(np.ascontiguousarray(rgb[::step, ::step]))
        return out


def _empty_run_end(occupied: np.ndarray) -> int:
    """Index just past the longest circular run of unoccupied entries (0 when none or all)."""
    n = occupied.size
    if occupied.all() or not occupied.any():
        return 0
    best, end, run = 0, 0, 0
    for i, v in enumerate(np.concatenate([occupied, occupied])):
        run = 0 if v else run + 1
        if run > best:
            best, end = run, i + 1
    return end % n


def crop_to_activity(rgb: np.ndarray, most: float = 0.25, pad: float = 0.3) -> np.ndarray:
    """A thumbnail's picture: a creature small in a large world (Orbium, 20 cells in 128) is
    cut out, square and padded, around the pixels that differ from the background (the most
    common colour), across the torus's edges; a busy picture is kept whole."""
    h, w = rgb.shape[:2]
    flat = rgb.reshape(-1, rgb.shape[-1])
    colours, counts = np.unique(flat, axis=0, return_counts=True)
    active = np.any(rgb != colours[np.argmax(counts)], axis=-1)
    if not active.any() or active.mean() > most:
        return rgb
    shift = (-_empty_run_end(active.any(axis=1)), -_empty_run_end(active.any(axis=0)))
    rgb, active = np.roll(rgb, shift, axis=(0, 1)), np.roll(active, shift, axis=(0, 1))
    rows, cols = np.flatnonzero(active.any(axis=1)), np.flatnonzero(active.any(axis=0))
    side = int(max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1) * (1 + 2 * pad)) + 2
    if side >= 0.8 * max(h, w):
        return rgb
    side = min(side, h, w)
    r0 = min(max(0, (rows[0] + rows[-1]) // 2 - side // 2), h - side)
    c0 = min(max(0, (cols[0] + cols[-1]) // 2 - side // 2), w - side)
    return rgb[r0:r0 + side, c0:c0 + side]
