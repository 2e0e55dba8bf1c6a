"""UI state shared by the window and the panels (no JAX, no GL): what panels read and request.

Panels draw ImGui widgets, call the controller for anything that touches the world, and put
requests that need the window (screenshot, recording, quit, native dialogs) here; the window
carries them out between frames. Text fields keep their buffers here so they survive frames, and
the Training and Evolve panels keep their settings here (`training_ui`, `evolve_ui`), so each app
window has its own and a reopened app starts from the defaults.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TOOLS = ("draw", "select", "move", "inspect", "place", "remove")


@dataclass
class TrainingUI:
    """The Training panel's settings (`alife.app.panels.training`)."""

    target_kind: int = 0  # index into the panel's TARGETS
    png_path: str = ""
    experiment: int = 2  # index into the panel's EXPERIMENTS
    target_size: int = 24
    padding: int = 8
    batch: int = 8
    pool_size: int = 256
    min_steps: int = 48
    max_steps: int = 64
    lr: float = 2e-3
    iterations: int = 4000
    from_world: bool = False
    #: the scene's `training:` block, edited in place (trainers without an image target)
    block: dict[str, Any] = field(default_factory=dict)
    save_path: str = "trained.yaml"
    error: str = ""
    loaded_from: Any = "unset"  # the scene path the settings were last filled from


@dataclass
class EvolveUI:
    """The Evolve panel's settings (`alife.app.panels.evolve`)."""

    n: int = 8
    steps: int = 100
    sigma: float = 0.0  # unused since per-group sizes (kept for old callers): 0, the defaults
    #: mutation size per gene group, in the gene's units (a group not here: its default)
    sizes: dict[str, float] = field(default_factory=dict)
    viable: bool = True  # re-draw candidates that die or explode within the preview
    low: float = 0.02  # dead under low x the start's size
    high: float = 4.0  # exploded over high x the reference size
    from_start: bool = False  # the reference is the start's size even when the parent grows
    caption: str = ""  # what the captions show: a fitness name or "size" ("": the scene's)
    playing: bool = False
    per_frame: int = 2
    error: str = ""


@dataclass
class PlotsUI:
    """The plots' settings (`alife.app.panels.plot_view`), shared by Statistics, Measures, the
    loss and fitness plots and the Plots window."""

    log: dict[str, bool] = field(default_factory=dict)  # plot group -> log-scale y
    window: int = 0  # show the last N generations (iterations); 0: all
    events: int = 1  # event counts: 0 per step, 1 summed over `event_window`, 2 running total
    event_window: int = 100
    folder: str = ""  # where CSV exports go ("": next to the scene)
    hover: str = ""  # the hover read-out shown last (value at the cursor)
    big: bool = False  # the Plots window fills the app's window
    restore: Any = None  # ((x, y), (w, h)) of the Plots window before it was enlarged
    tab: str = ""  # a tab of the Plots window to bring forward next frame


@dataclass
class KernelUI:
    """The Kernel window's settings (`alife.app.panels.kernel`)."""

    index: int = 0  # the kernel shown (several-kernel worlds)
    angle: float = 45.0  # the angle "Rotate" turns the cells by, degrees anticlockwise
    scale: float = 0.0  # the typed scale value (0: not typed yet, the world's own)
    sized: bool = False  # the window has been given its first size


@dataclass
class AppState:
    controller: Any
    camera: Any = None
    tool: str = "draw"
    #: panel name -> shown (sidebar panels are collapsing headers, others are windows)
    shown: dict[str, bool] = field(default_factory=dict)
    # text fields
    open_path: str = ""
    save_path: str = ""
    pattern_path: str = ""
    rle_text: str = ""
    rule_buffer: str = ""
    rule_buffer_for: Any = None  # (rule id, rule text) the buffer was filled from
    screenshot_path: str = "alife.png"
    export_path: str = "world.png"
    record_path: str = "alife.gif"
    record_frames: int = 120
    density: float = 0.3
    config_buffer: dict[str, Any] = field(default_factory=dict)
    config_for: Any = None  # the rule instance the config buffer was filled from
    # what the mouse is over: (row, col) of the cell, or None
    hovered: tuple[int, int] | None = None
    # the cell the inspector shows (inspect tool, or Alt+click), and the camera following the
    # entity in its "slot"
    inspected: tuple[int, int] | None = None
    follow: bool = False
    #: on the unbounded plane, keep the pattern in view (off after a pan by hand; Fit: on)
    follow_pattern: bool = True
    follow_slot: int | None = None
    grid_lines: bool = True
    message_lines: bool = False  # a rule's `links` (messages between agents) drawn as lines
    colormap: str = "viridis"
    channel: int = -1  # -1: the rule's own look
    # requests the window carries out
    want_quit: bool = False
    want_fit: bool = True
    view_request: tuple | None = None  # ("zoom", factor) or ("pan", (dx, dy)) from keys
    focus_request: str | None = None  # a text field to focus next frame ("open", "save")
    screenshot_request: str | None = None
    export_request: str | None = None  # a PNG path: the world alone, at the canvas's zoom
    overwrite_request: str | None = None  # a path that exists: asking before replacing it
    overwrite_kind: str = "scene"  # what replaces it: "scene", "export", "screenshot", "record"
    record_request: tuple[str, int] | None = None
    recording: str = ""  # "path: i/n" while recording
    recovery: Any = None  # Path of an autosave offered back, until the user chooses
    #: (text, when, window position) of a tool's "cannot ..." shown beside the mouse (`warn`)
    toast: tuple[str, float, tuple[float, float] | None] | None = None
    #: an action (open, new, restore, quit) waiting for "save the changes first?"
    #: (`alife.app.unsaved.Pending`), or a granted quit
    unsaved: Any = None
    frames_per_second: float = 0.0
    #: screen rectangles of named widgets (x0, y0, x1, y1), noted by panels for tests and hints
    widget_rects: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    # panel settings, per app window
    training_ui: TrainingUI = field(default_factory=TrainingUI)
    evolve_ui: EvolveUI = field(default_factory=EvolveUI)
    plots_ui: PlotsUI = field(default_factory=PlotsUI)
    kernel_ui: KernelUI = field(default_factory=KernelUI)
    #: the Library window's model, settings and textures (`alife.app.panels.library.LibraryUI`),
    #: made when it is first shown
    library: Any = None
    #: the window's ImGui renderer (panels that draw images register GL textures with it)
    imgui_renderer: Any = None

    @property
    def native_dialogs(self) -> bool:
        """portable_file_dialogs works only with zenity/kdialog present (else returns "")."""
        return bool(shutil.which("zenity") or shutil.which("kdialog"))

    def _store_view(self) -> None:
        """Put the current display settings in the world's view block (saved with it)."""
        view: dict[str, Any] = {"colormap": self.colormap, "grid_lines": self.grid_lines}
        if self.channel >= 0:
            view["channel"] = self.channel
        if self.message_lines or "message_lines" in self.controller.world.view:
            view["message_lines"] = self.message_lines
        if self.camera is not None and self.camera.zoom >= 1:
            view["zoom"] = round(float(self.camera.zoom), 3)
        self.controller.update_view(**view)

    def save(self) -> None:
        """Save: the world's own scene file, or ask for a path (Save As) when it has none."""
        own = self.controller.own_file
        if own is None:
            self.shown["Files"] = True
            self.focus_request = "save"
            self.note("this world has no scene file yet: type a path to save as")
            return
        self._store_view()
        self.note(self.controller.save() or self.controller.message)

    def save_as(self, path: str) -> None:
        """Save As `path`; replacing another existing file waits for `confirm_overwrite`."""
        if not path.strip():
            self.note("type a path to save the scene as")
            return
        if self.controller.would_overwrite(path):
            self.overwrite_request, self.overwrite_kind = path, "scene"  # the window asks
            return
        self._store_view()
        self.note(self.controller.save(path) or self.controller.message)

    def write_request(self, kind: str, path: str) -> None:
        """Ask the window for a "screenshot", a world image ("export") or a "record"ing at
        `path`; an existing file is replaced only after the same question as Save As."""
        if not path.strip():
            self.note("type a file name first")
        elif Path(path).expanduser().exists():
            self.overwrite_request, self.overwrite_kind = path, kind
        else:
            self._grant(kind, path)

    def _grant(self, kind: str, path: str) -> None:
        if kind == "scene":
            self._store_view()
            self.note(self.controller.save(path, overwrite=True) or self.controller.message)
        elif kind == "export":
            self.export_request = path
        elif kind == "screenshot":
            self.screenshot_request = path
        elif kind == "record":
            self.record_request = (path, max(1, int(self.record_frames)))

    def confirm_overwrite(self, yes: bool) -> None:
        """The answer to "replace the existing file?"."""
        path, self.overwrite_request = self.overwrite_request, None
        if yes and path:
            self._grant(self.overwrite_kind, path)
        elif path:
            self.note(f"not written: {path} was kept")

    def note(self, text: str | None) -> None:
        """Show a message in the status bar (and keep a short log)."""
        if text:
            self.controller.message = text
            self.log.append(text)
            del self.log[:-50]

    def warn(self, text: str | None, pos: tuple[float, float] | None = None) -> None:
        """A tool could not act: say why in the status bar and, for a few seconds, beside the
        mouse at window position `pos` (the status panel draws it)."""
        if text:
            import time

            self.note(text)
            self.toast = (text, time.monotonic(), pos)
