"""A World straight from a pattern file (`alife run x.rle`, `alife view x.rle`), as Golly does it.

The rule comes from the `rule =` header (or the caller; B3/S23 if neither says). Wolfram rules
(`W110`) give the "elementary" family, everything else the "life" family.

Grid size, following what Golly users expect:

- A bounded-grid suffix (`B3/S23:T64,48`, `:P..`, `:K..`, `:C..`, `:S..`) fixes the size and
  topology exactly. Golly centres a bounded grid on the origin; the pattern goes where its
  `#CXRLE Pos=x,y` puts it relative to that origin, or centred when the file has no position.
- No suffix: Golly's universe is unbounded, which a fixed array cannot be. We give a torus
  around the pattern with `margin` free cells on every side (default: the pattern's larger
  side, at least 32), both sides rounded up to a multiple of 32 so that Life's bit-packed fast
  path applies. Whatever leaves one edge comes back at the other; use a suffix (`:P w,h` for a
  plane with dead cells outside, or a larger `:T w,h`) when that matters.
"""

from __future__ import annotations

import re
from pathlib import Path

from alife.core.errors import AlifeError
from alife.scene.schema import Where
from alife.scene.world import World

ROUND = 32
DEFAULT_RULE = "B3/S23"
_WOLFRAM = re.compile(r"^\s*[Ww]\d+\s*$")


def _round_up(n: int, to: int = ROUND) -> int:
    return max(to, -(-n // to) * to)


def _rule_config(text: str, shape: tuple[int, int], margin: int | None,
                 where: str) -> tuple[str, dict, tuple[int, int]]:
    """(family, config, world shape (H, W)) for a rule text and a pattern of `shape`."""
    h, w = shape
    m = margin if margin is not None else max(32, h, w)
    if m < 0:
        raise AlifeError(f"margin {m}; expected >= 0", where=where)
    if _WOLFRAM.match(text):
        from alife.rules.elementary import codes

        try:
            kind, k, r, number = codes.parse_rule(text.strip(), "elementary", 2, 1)
        except AlifeError as exc:
            raise exc.at(where) from None
        width, history = _round_up(w + 2 * m), _round_up(h + 2 * m)
        config = {"rule": number, "width": width, "history": history, "kind": kind, "k": k,
                  "r": r}
        return "elementary", config, (history, width)
    from alife.rules.life.rulestring import parse_rule

    try:
        spec = parse_rule(text.strip())
    except AlifeError as exc:
        raise exc.at(where) from None
    if spec.bounds is not None:
        width, height = spec.bounds.width, spec.bounds.height
        return "life", {"rule": spec.text(), "width": width, "height": height}, (height, width)
    width, height = _round_up(w + 2 * m), _round_up(h + 2 * m)
    config = {"rule": spec.text(), "width": width, "height": height, "topology": "torus"}
    return "life", config, (height, width)


def pattern_tree(path: str | Path, rule: str | None = None,
                 margin: int | None = None) -> dict:
    """The scene tree `world_from_pattern` builds (before any `--set` overrides)."""
    from alife.scene.patterns import read_pattern

    path = Path(path)
    pattern = read_pattern(path)
    text = rule or pattern.rule or DEFAULT_RULE
    where = f"rule {text!r}" if rule else str(path)
    family, config, (height, width) = _rule_config(text, pattern.shape, margin, where)
    h, w = pattern.shape
    if h > height or w > width:
        raise AlifeError(f"the {w} x {h} pattern does not fit the {width} x {height} grid of "
                         f"rule {text!r}; expected a larger bounded grid", where=str(path))
    x, y = (width - w) // 2, (height - h) // 2
    if pattern.position is not None and family == "life" and ":" in text:
        px, py = pattern.position[0] + width // 2, pattern.position[1] + height // 2
        if 0 <= px <= width - w and 0 <= py <= height - h:
            x, y = px, py
    if family == "elementary":
        y = height - h  # the pattern's rows end at the current (bottom) row
    return {
        "version": 1,
        "name": pattern.name or path.stem,
        "description": "\n".join(pattern.comments),
        "seed": 0,
        "rule": {"family": family, "config": config},
        "init": {"pattern": {"file": str(path.resolve()), "at": [x, y]}},
    }


def rule_tree(text: str, size: int = 256) -> dict:
    """A scene tree for a bare rule string: a `size` x `size` random soup (Life-like; bounded
    suffixes set the size) or the family's default start (Wolfram rules)."""
    family, config, _ = _rule_config(text, (0, 0), size // 2, f"rule {text!r}")
    init = {"random": {"density": 0.5}} if family == "life" else {"default": {}}
    return {"version": 1, "name": text, "seed": 0, "rule": {"family": family, "config": config},
            "init": init}


def _world(tree: dict, file: str, folder: Path, overrides: list[str] | tuple[str, ...]) -> World:
    from alife.scene.io import world_from_tree
    from alife.scene.schema import apply_overrides, validate_tree

    where = Where(file)
    apply_overrides(tree, list(overrides), where)
    validate_tree(tree, where)
    return world_from_tree(tree, where, folder, None)


def world_from_pattern(path: str | Path, rule: str | None = None, margin: int | None = None,
                       overrides: list[str] | tuple[str, ...] = ()) -> World:
    """A World for an `.rle`/`.cells` file; see the module docstring for the grid size."""
    path = Path(path)
    return _world(pattern_tree(path, rule, margin), str(path), path.parent, overrides)


def world_from_rule(text: str, overrides: list[str] | tuple[str, ...] = ()) -> World:
    """A World for a bare rule string (`alife run --rule B3/S23:T256,256`)."""
    return _world(rule_tree(text), f"rule {text!r}", Path.cwd(), overrides)
