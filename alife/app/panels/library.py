"""Library window (File > Library, key L): every shipped scene, the user's own folders and Golly's
pattern collection, each with a thumbnail, its family and description; a search box and a family
filter; one click opens it.

The model (entries, search, the thumbnail cache and its worker process) is `alife.app.library`;
this module draws it and keeps its settings and GL textures in `LibraryUI` (`AppState.library`,
made when the window is first shown, closed with the window). Opening goes through the app's one
Open (`alife.app.unsaved.open_file`: asks before unsaved changes are lost; undoable), so a scene
opened from here behaves exactly as one opened from the Files panel. Rows are drawn only where
they are visible, and only visible rows ask for their thumbnails first; the rest of the shipped
scenes are made ahead in the background. Each thumbnail is uploaded to a texture once (at most a
few a frame).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from imgui_bundle import imgui

from alife.app import library as model
from alife.app.panels import register_panel, widgets
from alife.app.panels.base import Panel

TABS = (("shipped", "Scenes"), ("folders", "My folders"), ("golly", "Golly patterns"))
SCENE_THUMB = 64.0     # px: thumbnails in scene rows
PATTERN_THUMB = 44.0   # px: thumbnails in pattern rows
UPLOADS_PER_FRAME = 6  # thumbnails turned into textures per frame (each a PNG read + upload)
ALL = "all families"
PLACEHOLDER_RGBA = (0.18, 0.19, 0.23, 1.0)


class Textures:
    """Thumbnail PNGs as textures ImGui draws, made once each in the window's GL context."""

    def __init__(self, renderer: Any) -> None:
        self.renderer = renderer
        self._made: dict[Path, tuple[int, Any]] = {}
        self.uploads_left = UPLOADS_PER_FRAME

    def get(self, png: Path) -> int | None:
        made = self._made.get(png)
        if made is not None:
            return made[0]
        if self.renderer is None or self.uploads_left <= 0:
            return None
        self.uploads_left -= 1
        import numpy as np
        from PIL import Image

        try:
            with Image.open(png) as image:
                rgba = np.asarray(image.convert("RGBA"), np.uint8)
        except (OSError, ValueError):
            return None
        ctx = self.renderer.ctx
        texture = ctx.texture((rgba.shape[1], rgba.shape[0]), 4, np.ascontiguousarray(rgba))
        import moderngl

        texture.build_mipmaps()  # drawn smaller than made: averaged, not every other pixel
        texture.filter = (moderngl.LINEAR_MIPMAP_LINEAR, moderngl.LINEAR)
        tex_id = self.renderer.register_texture(texture)
        self._made[png] = (tex_id, texture)
        return tex_id

    def release(self) -> None:
        for tex_id, texture in self._made.values():
            if self.renderer is not None:
                self.renderer.textures.pop(tex_id, None)
            texture.release()
        self._made.clear()


@dataclass
class LibraryUI:
    """The Library window's settings, model and textures (one per app window)."""

    lib: Any
    textures: Textures
    search: str = ""
    family: str = ""           # "" = every family
    tab: str = "shipped"
    tab_request: str = ""      # a tab to bring forward next frame
    folder_path: str = ""      # the "Add folder" field
    close_on_open: bool = True
    error: str = ""
    prefetched: bool = False
    focus: bool = True
    last_frame: int = -2
    waiting: int | None = None  # the world serial before an open that asks about changes
    #: names in the current tab after search and filter; rows drawn this frame; rows whose
    #: thumbnail was drawn this frame (tests and hints read them)
    listed: list[str] = field(default_factory=list)
    drawn: list[str] = field(default_factory=list)
    thumbs_shown: set[str] = field(default_factory=set)

    def close(self) -> None:
        self.lib.close()
        self.textures.release()


def ui_for(app: Any) -> LibraryUI:
    """The window's LibraryUI, made (and its sources read, on a thread) on first use."""
    ui = getattr(app, "library", None)
    if ui is None:
        lib = model.Library()
        lib.refresh()
        ui = LibraryUI(lib, Textures(getattr(app, "imgui_renderer", None)))
        app.library = ui
    return ui


def close(app: Any) -> None:
    """Stop the thumbnail worker and free the textures (the window calls it when closing)."""
    ui = getattr(app, "library", None)
    if ui is not None:
        ui.close()
        app.library = None


# ---- drawing -----------------------------------------------------------------------------------
def draw(app: Any) -> None:
    ui = ui_for(app)
    lib = ui.lib
    ui.textures.uploads_left = UPLOADS_PER_FRAME
    lib.thumbnails.new_frame()
    ui.listed, ui.drawn, ui.thumbs_shown = [], [], set()
    frame = imgui.get_frame_count()
    if ui.last_frame != frame - 1:  # shown again (L, File > Library): bring it to the front
        ui.focus = True
    ui.last_frame = frame
    if ui.waiting is not None and getattr(app, "unsaved", None) is None:  # answered
        if app.controller.world_serial != ui.waiting and ui.close_on_open:
            app.shown["Library"] = False  # opened after Save or Discard
        ui.waiting = None
    pos, size = imgui.get_window_pos(), imgui.get_window_size()
    app.widget_rects["library_window"] = (pos.x, pos.y, pos.x + size.x, pos.y + size.y)
    if ui.focus:
        imgui.set_window_focus()
        ui.focus = False
    imgui.set_next_item_width(max(120.0, imgui.get_content_region_avail().x - 250))
    _, ui.search = imgui.input_text_with_hint("##library_search", "search names, descriptions, "
                                              "rules", ui.search)
    widgets.note_rect(app, "library_search")
    widgets.tip("every word must appear in the name, title, family, description or rule")
    imgui.same_line()
    families = lib.families(ui.tab)
    if ui.family and ui.family not in families:
        families = sorted([*families, ui.family])
    imgui.set_next_item_width(150)
    if imgui.begin_combo("##library_family", ui.family or ALL):
        for name in ["", *families]:
            if imgui.selectable(name or ALL, ui.family == name)[0]:
                ui.family = name
            widgets.note_rect(app, f"library_family_{name or 'all'}")
        imgui.end_combo()
    else:  # (while open, the last item is the popup's)
        widgets.note_rect(app, "library_family")
    widgets.tip("show one rule family only")
    imgui.same_line()
    if widgets.button(app, "Rescan", "library_rescan"):
        lib.refresh()
        lib.thumbnails.forget()
    widgets.tip("read the shipped scenes and the folders again")

    if ui.error:
        widgets.error_text(ui.error)
    if lib.error:
        widgets.error_text(lib.error)

    footer = imgui.get_frame_height_with_spacing() + 4
    if imgui.begin_tab_bar("##library_tabs"):
        for source, title in TABS:
            flags = imgui.TabItemFlags_.set_selected if ui.tab_request == source else 0
            label = f"{title} ({lib.count(source)})###{source}"
            selected = imgui.begin_tab_item(label, None, flags)[0]
            widgets.note_rect(app, f"library_tab_{source}")
            if selected:
                if ui.tab != source:
                    ui.family = ""  # another tab has other families
                ui.tab = source
                imgui.begin_child("##library_list", imgui.ImVec2(0, -footer))
                if lib.scans == 0:
                    widgets.dim_text("reading the library...")
                elif source == "shipped":
                    _flat(app, ui, lib.search(source, ui.search, ui.family))
                elif source == "folders":
                    _folders(app, ui)
                else:
                    _golly(app, ui)
                imgui.end_child()
                imgui.end_tab_item()
        imgui.end_tab_bar()
    ui.tab_request = ""

    if lib.scans and not ui.prefetched:  # the rest of the shipped scenes' thumbnails, made
        ui.prefetched = True             # ahead, after those of the rows drawn above
        lib.prefetch("shipped")

    _, ui.close_on_open = imgui.checkbox("close after opening", ui.close_on_open)
    widgets.note_rect(app, "library_close_on_open")
    imgui.same_line()
    busy = lib.thumbnails.pending()
    widgets.dim_text(f"making {busy} thumbnail{'s' * (busy != 1)}..." if busy else
                     ("reading folders..." if lib.scanning else "click to open"))


def _flat(app: Any, ui: LibraryUI, entries: list[model.Entry]) -> None:
    ui.listed += [e.name for e in entries]
    if not entries:
        widgets.dim_text("nothing matches" + (f" '{ui.search}'" if ui.search else "")
                         + (f" in {ui.family}" if ui.family else ""))
        return
    for e in entries:
        _row(app, ui, e)


def _tree(app: Any, ui: LibraryUI, node: model.Tree, prefix: str) -> None:
    for name, child in node.folders.items():
        opened = imgui.tree_node(f"{name} ({child.count()})###{prefix}/{child.path}")
        widgets.note_rect(app, f"library_folder_{prefix}/{child.path}")
        if opened:
            _tree(app, ui, child, prefix)
            imgui.tree_pop()
    for e in node.entries:
        _row(app, ui, e)


def _filtered_or_tree(app: Any, ui: LibraryUI, source: str, folder: Path | None,
                      prefix: str) -> None:
    lib = ui.lib
    if ui.search.strip() or ui.family:
        _flat(app, ui, lib.search(source, ui.search, ui.family, folder=folder))
    else:
        ui.listed += [e.name for e in lib.search(source, folder=folder)]
        _tree(app, ui, lib.tree(source, folder), prefix)


def _golly(app: Any, ui: LibraryUI) -> None:
    lib = ui.lib
    if lib.golly_root is None:
        widgets.dim_text("Golly's pattern collection was not found on this machine (looked in "
                         "$XDG_DATA_DIRS/golly/Patterns, e.g. /usr/share/golly/Patterns). "
                         "Install Golly (Debian and Ubuntu: apt install golly) and press Rescan.",
                         wrap=True)
        return
    widgets.dim_text(str(lib.golly_root))
    _filtered_or_tree(app, ui, "golly", None, "golly")


def _folders(app: Any, ui: LibraryUI) -> None:
    lib = ui.lib
    imgui.set_next_item_width(max(120.0, imgui.get_content_region_avail().x - 190))
    entered, ui.folder_path = imgui.input_text_with_hint(
        "##library_folder_path", "a folder of scenes and patterns", ui.folder_path,
        imgui.InputTextFlags_.enter_returns_true)
    widgets.note_rect(app, "library_folder_path")
    imgui.same_line()
    if widgets.button(app, "Add folder", "library_add_folder") or entered:
        _add(app, ui, ui.folder_path)
    if app.native_dialogs:
        imgui.same_line()
        if widgets.button(app, "Browse...", "library_browse"):
            picked = _native_folder()
            if picked:
                _add(app, ui, picked)
    if lib.entries.get("found"):  # what `alife evolve` found (alife.evolve.found)
        count = len(lib.entries["found"])
        opened = imgui.tree_node_ex(f"Found creatures: {lib.found_root} ({count})###found",
                                    imgui.TreeNodeFlags_.default_open)
        widgets.note_rect(app, "library_found")
        if opened:
            _filtered_or_tree(app, ui, "folders", lib.found_root, str(lib.found_root))
            imgui.tree_pop()
    if not lib.folders:
        widgets.dim_text("Add a folder: its scenes (.yaml) and patterns (.rle, .cells, .mc ...) "
                         "are listed here, in every session.", wrap=True)
        return
    for folder in list(lib.folders):
        imgui.push_id(str(folder))
        if imgui.small_button("x"):
            lib.remove_folder(folder)
            app.note(f"removed {folder} from the Library")
        widgets.note_rect(app, f"library_remove_{folder}")
        widgets.tip("take this folder out of the Library (its files stay)")
        imgui.same_line()
        count = len(lib.by_folder.get(folder, []))
        missing = "" if folder.is_dir() else " (missing)"
        flags = imgui.TreeNodeFlags_.default_open
        opened = imgui.tree_node_ex(f"{folder}{missing} ({count})###top", flags)
        widgets.note_rect(app, f"library_folder_{folder}")
        if opened:
            _filtered_or_tree(app, ui, "folders", folder, str(folder))
            imgui.tree_pop()
        imgui.pop_id()


def _add(app: Any, ui: LibraryUI, path: str) -> None:
    error = ui.lib.add_folder(path)
    ui.error = error or ""
    if error is None:
        app.note(f"added {path} to the Library")
        ui.folder_path = ""


def _native_folder() -> str:
    from imgui_bundle import portable_file_dialogs as pfd

    return pfd.select_folder("Add a folder to the Library", str(Path.cwd())).result() or ""


# ---- one entry ----------------------------------------------------------------------------------
def _row(app: Any, ui: LibraryUI, e: model.Entry) -> None:
    thumb = SCENE_THUMB if e.kind == "scene" else PATTERN_THUMB
    style = imgui.get_style()
    height = thumb + 4
    width = imgui.get_content_region_avail().x
    if not imgui.is_rect_visible(imgui.ImVec2(max(width, 1.0), height)):
        imgui.dummy(imgui.ImVec2(1.0, height))  # off screen: its place only
        return
    ui.drawn.append(e.name)
    top = imgui.get_cursor_screen_pos()
    imgui.push_id(str(e.path))
    clicked = imgui.selectable("##row", False, 0, imgui.ImVec2(0.0, height))[0]
    widgets.note_rect(app, f"library_row_{e.name}")
    ok, why = model.openable(e)
    status, value = ui.lib.thumbnail(e)
    if imgui.is_item_hovered():
        _tooltip(e, why, f"no thumbnail: {value}" if status in ("failed", "none") else "")
    imgui.pop_id()

    dl = imgui.get_window_draw_list()
    x, y = top.x + 2, top.y + 2
    tex = ui.textures.get(value) if status == "ready" else None
    lo, hi = imgui.ImVec2(x, y), imgui.ImVec2(x + thumb, y + thumb)
    if tex is not None:
        dl.add_image(imgui.ImTextureRef(tex), lo, hi)
        ui.thumbs_shown.add(e.name)
    else:
        dl.add_rect_filled(lo, hi, imgui.get_color_u32(imgui.ImVec4(*PLACEHOLDER_RGBA)))
        mark = {"pending": "...", "ready": "...", "failed": "!", "none": e.format}.get(status, "")
        size = imgui.calc_text_size(mark)
        dl.add_text(imgui.ImVec2(x + (thumb - size.x) / 2, y + (thumb - size.y) / 2),
                    imgui.get_color_u32(imgui.ImVec4(*widgets.DIM_RGBA)), mark)
    tx = x + thumb + style.item_spacing.x
    right = top.x + width
    line = imgui.get_text_line_height()
    lines = max(2, int((height - 2) // line))  # whole lines only: no half-cut last line
    dl.push_clip_rect(imgui.ImVec2(tx, top.y), imgui.ImVec2(right, y + lines * line + 2), True)
    text_col = imgui.get_color_u32(imgui.Col_.text if ok else imgui.Col_.text_disabled)
    dim = imgui.get_color_u32(imgui.ImVec4(*widgets.DIM_RGBA))
    dl.add_text(imgui.ImVec2(tx, y), text_col, e.label)
    if e.kind == "scene":
        sub = f"{e.name}  -  {e.family}"
    else:
        parts = [e.name.rpartition("/")[2]] if e.title else []  # (else it is the label)
        parts += [f"rule {e.rule}"] if e.rule else []
        sub = "  -  ".join(parts) or e.format
    if not ok:
        sub += "  -  cannot open yet"
    dl.add_text(imgui.ImVec2(tx, y + line), dim, sub)
    text = e.error or e.description
    if text:
        dl.add_text(imgui.get_font(), imgui.get_font_size(), imgui.ImVec2(tx, y + 2 * line + 2),
                    text_col, text, max(10.0, right - tx - 4))
    dl.pop_clip_rect()
    if clicked:
        open_entry(app, ui, e)


def _tooltip(e: model.Entry, why: str, thumb: str) -> None:
    imgui.begin_tooltip()
    imgui.push_text_wrap_pos(imgui.get_font_size() * 32)
    imgui.text(e.label)
    widgets.dim_text(str(e.path))
    if e.rule:
        imgui.text(f"rule {e.rule}")
    if e.description:
        imgui.text_wrapped(e.description)
    if e.error:
        widgets.error_text(e.error)
    if why:
        widgets.error_text(why)
    if thumb:
        widgets.dim_text(thumb)
    imgui.text("click to open it (replaces this world; Ctrl+Z brings it back)")
    imgui.pop_text_wrap_pos()
    imgui.end_tooltip()


def open_entry(app: Any, ui: LibraryUI, e: model.Entry) -> None:
    """Open an entry through the app's one Open (the unsaved-changes guard, undoable)."""
    from alife.app import unsaved
    from alife.core.errors import AlifeError

    c = app.controller
    try:
        path = model.open_path(e)
    except AlifeError as exc:
        ui.error = str(exc)
        app.note(ui.error)
        return
    serial = c.world_serial
    unsaved.open_file(app, str(path))
    if c.world_serial != serial:  # opened
        ui.error = ""
        if ui.close_on_open:
            app.shown["Library"] = False
    elif getattr(app, "unsaved", None) is not None:
        ui.error = ""  # the unsaved-changes question decides; once answered, see `draw`
        ui.waiting = serial
    else:
        message = c.message or "it did not open"
        ui.error = message if str(path) in message else f"{e.name}: {message}"


def show(app: Any, tab: str = "") -> None:
    """Show the Library window (on `tab`), in front."""
    app.shown["Library"] = True
    ui = ui_for(app)
    ui.focus = True
    if tab:
        ui.tab_request = tab


PANEL = Panel("Library", draw, kind="window", default_open=False, key="L")
register_panel(PANEL)
