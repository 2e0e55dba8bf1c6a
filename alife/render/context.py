"""Headless OpenGL: an offscreen ModernGL context through EGL (Mesa llvmpipe on a CPU machine).

API:
    headless_context(require=330) -> moderngl.Context
        A standalone EGL context (no window, no X server). Raises `GLUnavailable` (an AlifeError,
        so the CLI prints one line and exits 2) when moderngl, libEGL or a GL 3.3 driver is missing.

Without `backend="egl"` moderngl tries X11 and fails on a headless machine (see ARCHITECTURE.md,
"Headless OpenGL"). The desktop app makes its context from the pygame window instead.
"""

from __future__ import annotations

from typing import Any

from alife.core.errors import AlifeError

#: What to install when EGL is missing (Debian/Ubuntu package names).
MESA_HINT = "install Mesa EGL: apt-get install libegl1 libgl1 libegl-mesa0 libgl1-mesa-dri"


class GLUnavailable(AlifeError):
    """No OpenGL context could be made (no libEGL, no GPU driver, or GL older than 3.3)."""


def headless_context(require: int = 330) -> Any:
    """A standalone offscreen `moderngl.Context` (OpenGL >= `require`, e.g. 330) via EGL."""
    try:
        import moderngl
    except ImportError as exc:  # pragma: no cover - moderngl is a hard dependency
        raise GLUnavailable(f"moderngl is not importable ({exc}); pip install moderngl") from None
    try:
        return moderngl.create_context(standalone=True, backend="egl", require=require)
    except Exception as exc:  # moderngl raises bare Exception for every EGL failure
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise GLUnavailable(
            f"no OpenGL {require // 100}.{require % 100 // 10} context through EGL ({reason}); "
            f"{MESA_HINT}"
        ) from None
