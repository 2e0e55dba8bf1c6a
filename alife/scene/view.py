"""A scene's display settings (`view:` block), parsed once at load into one frozen type.

`ViewSettings.parse(block, rule, where)` checks the block (declared as `ViewBlock` with
`alife.core.config`: keys, types, finite numbers, ranges) and
resolves what it leaves out from the rule: the look (the rule's `look`), the colour map
(viridis), grid lines (on for discrete looks without a channel picker, off for continuous ones).
`alife render` (`alife.render.frames`) and the app read the attributes; `block()` is what the
scene said (what a saved scene writes back, so loading then saving keeps the file's bytes).

For readers written against the old plain-dict block, a ViewSettings is also a read-only
mapping of what the scene said (`view.get("zoom")`, `{**view, "zoom": 2}`); `World` turns a dict
given for `view` back into ViewSettings for its rule.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from alife.core.config import block_keys, parse_block, setting
from alife.core.errors import AlifeError
from alife.scene.checks import Where, is_colour, relocate

LOOKS = ("binary", "states", "spacetime", "colormap", "rgb", "rgba")
#: looks of discrete cells, where grid lines help (continuous looks default to none)
DISCRETE_LOOKS = ("binary", "states", "spacetime")
DEFAULT_COLORMAP = "viridis"
#: the largest zoom (pixels per cell) a scene may ask for
MAX_ZOOM = 512


@dataclass(frozen=True)
class ViewBlock:
    """The `view:` block as declared (`alife.core.config`); None: resolved from the rule."""

    zoom: float = setting(None, above=0, high=MAX_ZOOM, doc="pixels per cell")
    grid_lines: bool = setting(None, doc="cell borders (default: on for discrete looks)")
    look: str | None = setting(None, choices=LOOKS, doc="how cells are drawn (default: the "
                                                        "rule's)")
    colormap: str = setting(None, doc="colour map of continuous looks (default viridis)")
    channel: int = setting(None, low=0, high=4095, doc="the channel shown")
    palette: list[str] = setting(None, doc="colours of discrete states, like '#ff8800'")
    message_lines: bool = setting(None, doc="lines for messages between agents (default off)")

    def validate(self, where: str) -> None:
        def here(key: str) -> str:
            return f"{where}.{key}" if where else key

        if self.colormap is not None and not 0 < len(self.colormap) <= 64:
            raise AlifeError(f"got {self.colormap!r}; expected a colormap name",
                             where=here("colormap"))
        if self.palette is not None and not (len(self.palette) <= 256 and
                                             all(is_colour(c) for c in self.palette)):
            raise AlifeError("expected a list of at most 256 colours like '#ff8800'",
                             where=here("palette"))


VIEW_KEYS = block_keys(ViewBlock)


def check_block(block: dict[str, Any], where: Where, path: tuple = ("view",)) -> None:
    """Check a `view:` block's keys and value types (`ViewBlock`); AlifeError naming the key."""
    try:
        parse_block(ViewBlock, block, ".".join(path))
    except AlifeError as exc:
        raise relocate(exc, where) from None


@dataclass(frozen=True)
class ViewSettings(Mapping):
    """Resolved display settings for one rule, plus the block they came from (`given`)."""

    look: str = "binary"
    num_states: int = 2
    colormap: str = DEFAULT_COLORMAP
    channel: int | None = None
    palette: tuple[str, ...] | None = None
    grid_lines: bool = True
    zoom: float | None = None
    #: lines for a rule's `links` hook (messages between agents), off unless asked for
    message_lines: bool = False
    given: tuple[tuple[str, Any], ...] = ()
    #: the rule's (look, num_states) these were resolved for
    basis: tuple[str, int] = ("binary", 2)

    @classmethod
    def parse(cls, block: Mapping[str, Any] | None, rule: Any,
              where: Where | None = None) -> ViewSettings:
        """Check `block` (a scene's `view:` mapping, or None) and resolve it for `rule`."""
        block = dict(block or {})
        check_block(block, where or Where("view", {}), ("view",) if where else ())
        rule_look = str(rule.look)
        num_states = int(rule.num_states)
        look = str(block.get("look") or rule_look)
        channel = block.get("channel")
        palette = block.get("palette")
        zoom = block.get("zoom")
        return cls(
            look=look, num_states=num_states,
            colormap=str(block.get("colormap") or DEFAULT_COLORMAP),
            channel=None if channel is None else int(channel),
            palette=tuple(palette) if palette else None,
            grid_lines=bool(block.get("grid_lines", look in DISCRETE_LOOKS and channel is None)),
            zoom=None if zoom is None else float(zoom),
            message_lines=bool(block.get("message_lines", False)),
            given=tuple((k, _frozen(block[k])) for k in VIEW_KEYS if k in block),
            basis=(rule_look, num_states))

    def for_rule(self, rule: Any) -> ViewSettings:
        """The same block resolved for another rule (after a rule change in the app)."""
        basis = (str(rule.look), int(rule.num_states))
        return self if basis == self.basis else ViewSettings.parse(self.block(), rule)

    def block(self) -> dict[str, Any]:
        """The `view:` block as the scene gave it (lists as lists), for saving."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.given}

    def colorize(self, array: Any) -> Any:
        """A rule's `[H, W, C]` view coloured with these settings, as the app's shader colours
        it: `[H, W, 3]` uint8 (`alife.scene.palettes.colorize`). The one colouring path of
        `alife run --out x.png`, evolution reports and the Evolve panel's thumbnails."""
        import numpy as np

        from alife.scene.palettes import colorize

        return colorize(np.asarray(array), self.look, self.num_states, self.colormap,
                        self.channel, list(self.palette) if self.palette else None)

    def replace(self, rule: Any, **values: Any) -> ViewSettings:
        """New settings with `values` added to the scene's block."""
        return ViewSettings.parse({**self.block(), **values}, rule)

    # ---- read-only mapping of the scene's block (for dict-style readers) ------------------
    def __getitem__(self, key: str) -> Any:
        return self.block()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(k for k, _ in self.given)

    def __len__(self) -> int:
        return len(self.given)


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
