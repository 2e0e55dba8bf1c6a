"""A World straight from a pattern file (`alife run x.rle`, `alife view x.rle`), as Golly does it.

The rule comes from the `rule =` header (or the caller; Golly's default, the "life" family's
B3/S23, if neither says). Which family reads a rule text is the families' business: each family
that can start from a pattern offers `config_from_text(text, height, width)` on its factory
(Life-like rules and their bounded-grid suffixes in `alife.rules.life`, Wolfram's `W110` in
`alife.rules.elementary`), returning None for text of another grammar; no rule grammar lives here.

Grid size, following what Golly users expect:

- A rule whose text fixes the size (Life's bounded-grid suffixes `:T64,48`, `:P..`, `:K..`,
  `:C..`, `:S..`) gets exactly that grid. Golly centres a bounded grid on the origin; the
  pattern goes where its `#CXRLE Pos=x,y` puts it relative to that origin, or centred when the
  file has no position.
- Otherwise the pattern lives on Golly's unbounded plane when its rule can (a `PlaneWindow`: Life-
  like rules, two-state B0 ones emulated, rule tables): the grid is a window onto the plane that
  follows the pattern, grows and shrinks with it (`alife.core.plane`); the scene's `run.plane`
  holds the plane position of the window's top-left cell, so the pattern keeps Golly's coordinates
  (its `#CXRLE Pos`, or centred on the origin). The window starts with at least `margin` free
  cells around the pattern. A rule that cannot live on the plane gets a torus around the pattern
  with `margin` free cells on every side (default: the pattern's larger side, at least 32), both
  sides rounded up to a multiple of 32 so that bit-packed fast paths apply.

Space-time rules (look "spacetime": the newest row at the bottom) get the pattern's rows ending
at the current (bottom) row. The pattern file is read once: the Pattern travels with the tree to
the `init` block (`patterns_read`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alife import families as registry
from alife.core import plane
from alife.core.errors import AlifeError
from alife.core.rule import SpaceTime
from alife.scene.io import make_rule, world_from_tree
from alife.scene.patterns import read_pattern
from alife.scene.schema import Where, apply_overrides, validate_tree
from alife.scene.world import World

ROUND = 32
#: the family of a pattern file that names no rule (Golly's default rule is Life's)
DEFAULT_FAMILY = "life"
#: the largest margin a caller may ask for
MAX_MARGIN = 1 << 14


def _round_up(n: int, to: int = ROUND) -> int:
    return max(to, -(-n // to) * to)


def family_config(text: str | None, height: int, width: int, where: str,
                  folder: str | Path | None = None) -> tuple[str, dict[str, Any]]:
    """(family, config) for rule `text` on a `height` x `width` grid, asking each family.

    A family whose hook raises does not end the search: the next one may read the text (a
    Golly rule name such as `Langtons-Loops` is no Life rule but a rule table's). When none
    reads it, the one complaint is raised as it stands, or the first that points at a file and
    line (a family read a file the text names: it has claimed the text); else all are joined,
    one that names a near match first. `folder` (the pattern file's folder) goes to
    hooks that take a `folder` keyword (rule files are looked up there first)."""
    families = registry.families()
    names = [DEFAULT_FAMILY] if text is None else list(families)
    errors: list[tuple[str, AlifeError]] = []
    for name in names:
        hook = families[name].read_rule_text
        if hook is None:
            continue
        extra = {"folder": str(folder)} if folder is not None and _takes_folder(hook) else {}
        try:
            config = hook(text, height, width, **extra)
        except AlifeError as exc:
            errors.append((name, exc))
            continue
        if config is not None:
            return name, config
    located = [exc for _, exc in errors if exc.where is not None]
    if len(errors) == 1 or located:  # a family that read a file for the text has claimed it
        raise (located or [errors[0][1]])[0].at(where) from None
    if errors:  # a complaint that names a near match first
        errors.sort(key=lambda e: "did you mean" not in str(e[1]))
        raise AlifeError("; ".join(f"as a {name} rule: {exc}" for name, exc in errors),
                         where=where)
    readers = [n for n, f in families.items() if f.read_rule_text is not None]
    raise AlifeError(f"no rule family reads the rule text {text!r}; expected a rule of "
                     f"{', '.join(readers)}", where=where)


def _takes_folder(hook: Any) -> bool:
    """Whether a family's `read_rule_text` hook accepts the `folder` keyword."""
    import inspect

    try:
        parameters = inspect.signature(hook).parameters
    except (TypeError, ValueError):
        return False
    return "folder" in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


def _rule_for(text: str | None, shape: tuple[int, int], margin: int | None,
              where: str, folder: Path | None = None) -> tuple[str, dict[str, Any], Any, bool]:
    """(family, config, rule, size fixed by the text) for a pattern of `shape`."""
    h, w = shape
    if margin is not None and not 0 <= margin <= MAX_MARGIN:
        raise AlifeError(f"margin {margin}; expected 0..{MAX_MARGIN}", where=where)
    if margin is None and max(h, w) > MAX_MARGIN:
        raise AlifeError(f"the pattern is {w:,} x {h:,} cells; the grid engine opens up to "
                         f"{MAX_MARGIN:,} a side (alife run --engine hashlife runs it)",
                         where=where)
    m = margin if margin is not None else max(32, h, w)
    height, width = _round_up(h + 2 * m), _round_up(w + 2 * m)
    family, config = family_config(text, height, width, where, folder)
    rule = make_rule(family, dict(config), Where(where))
    return family, config, rule, tuple(rule.shape) != (height, width)


def pattern_tree(path: str | Path, rule: str | None = None, margin: int | None = None,
                 pattern: Any = None) -> dict:
    """The scene tree `world_from_pattern` builds (before any `--set` overrides).

    `pattern`: the file already read (a `Pattern`), so it is not read again."""
    from alife.scene.patterns import read_pattern

    path = Path(path)
    if pattern is None:
        pattern = read_pattern(path)
    text = rule if rule is not None else pattern.rule
    where = f"rule {text!r}" if rule else str(path)
    family, config, built, fixed = _rule_for(text, pattern.shape, margin, where,
                                             path.resolve().parent)
    h, w = pattern.shape
    on_plane = not fixed and not isinstance(built, SpaceTime) and plane.can_run(built)
    if on_plane:
        m = max(margin if margin is not None else 0,
                plane.margin_for(built, plane.Box(0, h - 1, 0, w - 1)))
        window = built.plane_window(plane.window_side(h + 2 * m), plane.window_side(w + 2 * m))
        assert window is not None
        built = window
        config = {**config, **window.config(), "width": window.shape[1],
                  "height": window.shape[0], "topology": "plane"}
    height, width = (int(n) for n in built.shape)
    if h > height or w > width:
        raise AlifeError(f"the {w} x {h} pattern does not fit the {width} x {height} grid of "
                         f"rule {text!r}; expected a larger bounded grid", where=str(path))
    x, y = (width - w) // 2, (height - h) // 2
    if pattern.position is not None and fixed:
        px, py = pattern.position[0] + width // 2, pattern.position[1] + height // 2
        if 0 <= px <= width - w and 0 <= py <= height - h:
            x, y = px, py
    if isinstance(built, SpaceTime):
        y = height - h  # the pattern's rows end at the current (bottom) row
    run: dict[str, Any] = {}
    if on_plane:  # Golly puts a pattern with no #CXRLE position centred on the origin
        px, py = pattern.position if pattern.position is not None else (-(w // 2), -(h // 2))
        run["plane"] = [int(px) - x, int(py) - y]
    tree = {
        "version": 1,
        "name": pattern.name or path.stem,
        "description": "\n".join(pattern.comments),
        "seed": 0,
        "rule": {"family": family, "config": config},
        "init": {"pattern": {"file": str(path.resolve()), "at": [x, y]}},
    }
    if run:
        tree["run"] = run
    return tree


def rule_tree(text: str, size: int = 256) -> dict:
    """A scene tree for a bare rule string: a `size` x `size` random soup (the default
    family; a text that fixes the size sets it) or the family's own start (other families)."""
    family, config, _, _ = _rule_for(text, (0, 0), size // 2, f"rule {text!r}")
    init = {"random": {"density": 0.5}} if family == DEFAULT_FAMILY else {"default": {}}
    return {"version": 1, "name": text, "seed": 0, "rule": {"family": family, "config": config},
            "init": init}


def _world(tree: dict, file: str, folder: Path, overrides: list[str] | tuple[str, ...],
           patterns: dict[Path, Any] | None = None) -> World:
    where = Where(file)
    apply_overrides(tree, list(overrides), where)
    validate_tree(tree, where)
    return world_from_tree(tree, where, folder, None, patterns)


def world_from_pattern(path: str | Path, rule: str | None = None, margin: int | None = None,
                       overrides: list[str] | tuple[str, ...] = ()) -> World:
    """A World for an `.rle`/`.cells` file (read once); see the module docstring for the grid."""
    path = Path(path)
    pattern = read_pattern(path)
    tree = pattern_tree(path, rule, margin, pattern)
    return _world(tree, str(path), path.parent, overrides, {path.resolve(): pattern})


def world_from_rule(text: str, overrides: list[str] | tuple[str, ...] = ()) -> World:
    """A World for a bare rule string (`alife run --rule B3/S23:T256,256`)."""
    return _world(rule_tree(text), f"rule {text!r}", Path.cwd(), overrides)
