"""Legend panel (right-hand column): what the colours and shapes on the canvas mean, for any family.

Everything comes from the look and the rule's declared capabilities (`alife.core.rule`), never
from the family's name:

- a view coloured through a table (`alife.scene.palettes`): discrete looks list each state with
  its colour and its name (`NamedStates`, else dead / alive / dying k); a colour-map look (or a
  picked channel) shows the colour map as a bar with its value range and what it measures
  (`ColourKey.view_scale`, else "cell value" from 0 to 1);
- a view the family colours itself ("rgb"): the colour of each named state
  (`ColourKey.state_colours` with `NamedStates`: Biomaker's earth, air, root, leaf, flower...);
  an "rgba" view says how transparency shows; cells of several channels (`CellChannels`):
  each channel's colour (or, with one picked, the colour map of its level);
- entities (`EntityWorld.entity_kinds`): each kind's shape (as the renderer draws it), its
  colour or what its colour shows, and how many are alive; where the colours of one kind vary,
  a key of its largest groups: by identity (`Entities.id`) when an identity's members share a
  colour, else by alike colours (agents coloured by lineage: relatives look alike);
- message lines (`Linked`): their colour, and whether they are shown.

`legend_for(app)` gives the panel's content as plain data (tests read it); `draw` draws it.
View > Legend or the K key shows or hides it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from alife.app.panels.base import Panel

#: at most this many states get a row each (more: the first ones, then "...")
MAX_STATES = 16
#: rows of the identity (lineage) key
MAX_IDS = 8


@dataclass
class Swatch:
    name: str
    rgb: tuple[int, int, int]


@dataclass
class Scale:
    quantity: str
    low: float
    high: float
    lut: np.ndarray  # [256, 3] uint8


@dataclass
class EntityRow:
    name: str
    shape: str
    rgb: tuple[int, int, int] | None  # one colour for the whole kind, else None
    meaning: str  # what the colour shows ("" for one fixed colour)
    count: int


@dataclass
class LegendData:
    cells: list[Swatch] = field(default_factory=list)
    more_states: int = 0  # states not listed
    scale: Scale | None = None
    note: str = ""
    entities: list[EntityRow] = field(default_factory=list)
    ids: list[tuple[str, tuple[int, int, int], int]] = field(default_factory=list)
    id_label: str = ""
    links: tuple[tuple[float, float, float, float], bool] | None = None

    def names(self) -> list[str]:
        """Every name the legend lists (tests)."""
        return ([s.name for s in self.cells] + [e.name for e in self.entities]
                + [i[0] for i in self.ids] + ([self.scale.quantity] if self.scale else []))


def _rgb(values: Any) -> tuple[int, int, int]:
    v = np.asarray(values, np.float64).ravel()[:3]
    if v.max(initial=0.0) <= 1.0:
        v = v * 255.0
    return tuple(int(round(float(x))) for x in np.clip(v, 0, 255))  # type: ignore[return-value]


def _default_names(look: str, n: int) -> list[str]:
    if look == "binary":
        return ["dead", "alive"]
    names = ["dead", "alive"] + [f"dying {k - 1}" for k in range(2, n)]
    if look == "spacetime":
        names = ["0", "1"] + [str(k) for k in range(2, n)]
    return names[:n]


def cell_legend(app: Any, out: LegendData) -> None:
    """The grid's colours (module docstring)."""
    from alife.core.rule import ColourKey, NamedStates
    from alife.scene import palettes

    c = app.controller
    look = c.look
    view = np.asarray(c.display_image())
    channels = min(view.shape[2] if view.ndim == 3 else 1, 4)
    channel = app.channel if 0 <= app.channel < (view.shape[2] if view.ndim == 3 else 1) \
        else None
    mode, eff = palettes.resolve(look, channels, channel)
    names = list(c.state_names)
    if mode == palettes.MODE_LUT and eff in palettes.DISCRETE_LOOKS:
        n = 2 if eff == "binary" else max(int(c.num_states), 2)
        table = palettes.lut(eff, n, app.colormap)
        if len(names) < n:
            names = _default_names(eff, n)
        out.cells = [Swatch(names[k], _rgb(table[k])) for k in range(min(n, MAX_STATES))]
        out.more_states = max(0, n - MAX_STATES)
    elif mode == palettes.MODE_LUT:
        quantity, low, high = "cell value", 0.0, 1.0
        declared = c.rule.view_scale(c.params) if isinstance(c.rule, ColourKey) else None
        if c.cell_channels >= 2 and c.cell_channel >= 0:  # `CellChannels`: one picked
            quantity = f"channel {c.cell_channel} level"
        elif channel is not None:
            quantity = f"channel {channel}"
        elif declared is not None:
            quantity, low, high = str(declared[0]), float(declared[1]), float(declared[2])
        out.scale = Scale(quantity, low, high, palettes.colormap_lut(app.colormap))
    elif isinstance(c.rule, NamedStates) and isinstance(c.rule, ColourKey) \
            and c.rule.state_colours:
        colours = c.rule.state_colours
        out.cells = [Swatch(str(name), palettes.parse_colour(colours[k]))
                     for k, name in enumerate(names[:len(colours)])]
    elif mode == palettes.MODE_RGBA:
        out.note = ("channels 0-2 are the colour and channel 3 how solid a cell is; "
                    "empty cells show white")
    elif c.cell_channels >= 2:  # `CellChannels`: each channel's colour, levels added up
        out.cells = [Swatch(f"channel {k}", _rgb(rgb)) for k, rgb in
                     enumerate(c.channel_colours())]
        out.note = "each channel's level in its colour, added up (Channels panel)"
    else:
        out.note = "the family's own colours (red, green, blue channels)"


def entity_legend(app: Any, out: LegendData) -> None:
    """Each entity kind, and an identity key where colours follow identity."""
    c = app.controller
    kinds = c.entity_kinds
    table = c.entity_table()
    if not kinds or table is None:
        return
    kind = np.clip(table["kind"], 0, len(kinds) - 1)
    colour, ident = table["colour"], table["id"]
    for k, spec in enumerate(kinds):
        mine = kind == k
        count = int(mine.sum())
        fixed = None
        if count and float(np.ptp(colour[mine, :3], axis=0).max()) < 0.02:
            fixed = _rgb(colour[mine][0, :3])
        out.entities.append(EntityRow(spec.name, spec.shape, fixed, spec.colour, count))
        if count and fixed is None and not out.ids:
            _id_key(out, spec, colour[mine, :3], ident[mine])
    from alife.render.links import LINK_COLOUR

    if c.has_links:
        out.links = (LINK_COLOUR, bool(app.message_lines))


def _id_key(out: LegendData, spec: Any, colour: np.ndarray, ident: np.ndarray) -> None:
    """A key of the kind's most numerous groups with their colours: by identity (`Entities.id`)
    when members of one identity share a colour, else by colour itself (entities coloured by
    lineage, where relatives look alike and every life has its own id)."""
    label = spec.colour.split(":")[0].strip() if spec.colour else "id"
    ids, inverse, counts = np.unique(ident, return_inverse=True, return_counts=True)
    if len(ids) and counts.max() > 1:
        spread = [float(np.ptp(colour[inverse == i], axis=0).max()) for i in range(len(ids))]
        if float(np.mean(spread)) <= 0.15:
            out.id_label = f"{spec.name}s by {label}"
            for i in np.argsort(-counts, kind="stable")[:MAX_IDS]:
                rgb = _rgb(colour[inverse == i].mean(axis=0))
                out.ids.append((f"{label} {int(ids[i])}", rgb, int(counts[i])))
            return
    groups = colour_groups(colour)
    if len(groups) >= len(colour):  # every one its own colour: no key to give
        return
    out.id_label = f"{spec.name}s of alike colour ({label})"
    for k, (rgb, count) in enumerate(groups[:MAX_IDS]):
        out.ids.append((f"colour group {k + 1}", _rgb(rgb), count))


def colour_groups(colour: np.ndarray, radius: float = 0.08) -> list[tuple[np.ndarray, int]]:
    """Entities whose colours lie within `radius` of a group's first member form a group (a
    greedy clustering, at most 4096 entities looked at): [(mean colour, count)], largest first."""
    rgb = np.asarray(colour, np.float64)[:4096, :3]
    centres: list[np.ndarray] = []
    members: list[list[int]] = []
    for i, c in enumerate(rgb):
        if centres:
            d = np.abs(np.asarray(centres) - c).max(axis=1)
            j = int(np.argmin(d))
            if d[j] <= radius:
                members[j].append(i)
                continue
        centres.append(c)
        members.append([i])
    groups = [(rgb[m].mean(axis=0), len(m)) for m in members]
    return sorted(groups, key=lambda g: -g[1])


def legend_for(app: Any) -> LegendData:
    out = LegendData()
    cell_legend(app, out)
    if app.controller.has_entities:
        entity_legend(app, out)
    return out


# ---- drawing ------------------------------------------------------------------------------------
def _col32(rgb: tuple[int, int, int], alpha: int = 255) -> int:
    from imgui_bundle import imgui

    return imgui.IM_COL32(rgb[0], rgb[1], rgb[2], alpha)


def _swatch(rgb: tuple[int, int, int], shape: str = "square", size: float = 14.0) -> None:
    """A coloured shape as the canvas draws it (with its dark rim), as one item."""
    from imgui_bundle import imgui

    pos = imgui.get_cursor_screen_pos()
    imgui.dummy(imgui.ImVec2(size, size))
    dl = imgui.get_window_draw_list()
    cx, cy, r = pos.x + size / 2, pos.y + size / 2, size / 2 - 1
    fill, rim = _col32(rgb), _col32(tuple(int(v * 0.3) for v in rgb))  # type: ignore[arg-type]
    V = imgui.ImVec2
    if shape == "disc":
        dl.add_circle_filled(V(cx, cy), r, fill)
        dl.add_circle(V(cx, cy), r, rim, 0, 1.5)
    elif shape == "diamond":
        pts = (V(cx, cy - r), V(cx + r, cy), V(cx, cy + r), V(cx - r, cy))
        dl.add_quad_filled(*pts, fill)
        dl.add_quad(*pts, rim, 1.5)
    elif shape == "triangle":
        pts = (V(cx, cy - r), V(cx + r, cy + 0.7 * r), V(cx - r, cy + 0.7 * r))
        dl.add_triangle_filled(*pts, fill)
        dl.add_triangle(*pts, rim, 1.5)
    else:
        q = 0.85 * r if shape == "square" else r
        dl.add_rect_filled(V(cx - q, cy - q), V(cx + q, cy + q), fill)
        edge = rim if shape == "square" else _col32((128, 134, 150))  # a cell: a grey frame
        dl.add_rect(V(cx - q, cy - q), V(cx + q, cy + q), edge, rounding=0.0, thickness=1.5)


def _row(rgb: tuple[int, int, int], text: str, shape: str = "cell") -> None:
    from imgui_bundle import imgui

    _swatch(rgb, shape)
    imgui.same_line()
    imgui.text(text)


def _scale_bar(scale: Scale) -> None:
    from imgui_bundle import imgui

    width = max(80.0, imgui.get_content_region_avail().x - 8)
    height = 14.0
    pos = imgui.get_cursor_screen_pos()
    imgui.dummy(imgui.ImVec2(width, height))
    dl = imgui.get_window_draw_list()
    steps = 64
    for i in range(steps):
        rgb = _rgb(scale.lut[int(round(i / (steps - 1) * 255))])
        x0 = pos.x + width * i / steps
        dl.add_rect_filled(imgui.ImVec2(x0, pos.y), imgui.ImVec2(x0 + width / steps + 1,
                                                                  pos.y + height), _col32(rgb))
    texts = (f"{scale.low:.3g}", f"{(scale.low + scale.high) / 2:.3g}", f"{scale.high:.3g}")
    top = pos.y + height + 2
    colour = imgui.get_color_u32(imgui.Col_.text)
    for text, at in zip(texts, (0.0, 0.5, 1.0), strict=True):
        w = imgui.calc_text_size(text).x
        x = min(max(pos.x + width * at - w / 2, pos.x), pos.x + width - w)
        dl.add_text(imgui.ImVec2(x, top), colour, text)
    imgui.dummy(imgui.ImVec2(width, imgui.get_text_line_height() + 2))


def draw(app: Any) -> None:
    from imgui_bundle import imgui

    from alife.app.panels import widgets

    data = legend_for(app)
    app.__dict__["legend_shown"] = data  # what the panel lists now (tests read it)
    if data.scale is not None:
        widgets.dim_text(f"{data.scale.quantity} ({app.colormap})")
        _scale_bar(data.scale)
    if data.cells:
        columns = 2 if len(data.cells) > 4 and imgui.get_content_region_avail().x > 240 else 1
        if imgui.begin_table("##legend_cells", columns):
            for swatch in data.cells:
                imgui.table_next_column()
                _row(swatch.rgb, swatch.name)
            imgui.end_table()
        if data.more_states:
            widgets.dim_text(f"... and {data.more_states} more states")
    if data.note:
        widgets.dim_text(data.note, wrap=True)
    for row in data.entities:
        rgb = row.rgb if row.rgb is not None else (200, 200, 200)
        _row(rgb, f"{row.name} ({row.shape}): {row.count} alive")
        if row.meaning:
            imgui.same_line()
            widgets.dim_text(f"colour = {row.meaning}", wrap=True)
    if data.ids:
        widgets.dim_text(data.id_label)
        for name, rgb, count in data.ids:
            _row(rgb, f"{name}: {count}", "disc")
    if data.links is not None:
        colour, on = data.links
        pos = imgui.get_cursor_screen_pos()
        imgui.dummy(imgui.ImVec2(14, 14))
        imgui.get_window_draw_list().add_line(
            imgui.ImVec2(pos.x, pos.y + 7), imgui.ImVec2(pos.x + 14, pos.y + 7),
            imgui.get_color_u32(imgui.ImVec4(*colour)), 2.0)
        imgui.same_line()
        imgui.text("message lines " + ("(shown)" if on else "(hidden: World panel)"))


PANEL = Panel("Legend", draw, kind="right", default_open=True)
