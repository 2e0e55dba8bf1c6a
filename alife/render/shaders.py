"""Shader programs, loaded by name from the `alife.shaders` package (the top-level `shaders/`).

API:
    load_program(ctx, name, defines=None) -> moderngl.Program
        Reads `<name>.vert` + `<name>.frag`, or one file `<name>.glsl`
        holding both stages separated by `#ifdef VERTEX_SHADER` / `#ifdef FRAGMENT_SHADER` blocks
        (the matching define is inserted after the `#version` line). `defines` ({"NAME": value})
        are inserted after `#version` in both stages (compile-time variants).
    shader_dir() -> Traversable   (`importlib.resources`: works from a wheel or a zip too)

Every shader targets `#version 330 core` so it runs on a GL 3.3 GPU (CI pins Mesa to 3.3).
Compile errors are raised as AlifeError naming the file, with the driver's log.
"""

from __future__ import annotations

import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from alife.core.errors import AlifeError


def shader_dir() -> Traversable:
    """The folder holding `*.vert`, `*.frag`, `*.glsl` (override with `ALIFE_SHADER_DIR`).

    Package data (`shaders/`, installed as `alife.shaders` by pyproject's package-dir), found
    through `importlib.resources`, so an editable install and a wheel work the same way.
    """
    override = os.environ.get("ALIFE_SHADER_DIR")
    if override:
        return Path(override)
    return resources.files("alife.shaders")


def _with_define(source: str, *defines: str) -> str:
    """`source` with `#define`s inserted after its `#version` line (or a 330 core header)."""
    extra = [f"#define {d}" for d in defines]
    lines = source.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith("#version"):
            return "\n".join(lines[: i + 1] + extra + lines[i + 1:]) + "\n"
    return "\n".join(["#version 330 core"] + extra + [source]) + "\n"


def read_sources(name: str) -> tuple[str, str, str]:
    """(vertex source, fragment source, where) for shader `name`."""
    folder = shader_dir()
    vert, frag, single = (folder / f"{name}.vert", folder / f"{name}.frag",
                          folder / f"{name}.glsl")
    if vert.is_file() and frag.is_file():
        return vert.read_text(), frag.read_text(), f"{vert} + {frag.name}"
    if single.is_file():
        text = single.read_text()
        vertex = _with_define(text, "VERTEX_SHADER")
        return vertex, _with_define(text, "FRAGMENT_SHADER"), str(single)
    raise AlifeError(f"no shader named {name!r}; expected {name}.vert + {name}.frag or {name}.glsl",
                     where=str(folder))


def load_program(ctx: Any, name: str, defines: dict[str, Any] | None = None) -> Any:
    """Compile and link shader `name` (with optional `#define`s) into a `moderngl.Program`."""
    vertex, fragment, where = read_sources(name)
    if defines:
        extra = [f"{key} {value}" for key, value in defines.items()]
        vertex, fragment = _with_define(vertex, *extra), _with_define(fragment, *extra)
    try:
        return ctx.program(vertex_shader=vertex, fragment_shader=fragment)
    except Exception as exc:
        raise AlifeError(f"shader failed to compile: {str(exc).strip()}", where=where) from None
