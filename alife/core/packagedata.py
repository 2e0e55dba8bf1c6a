"""The data folders shipped inside the package, found through `importlib.resources`.

    data_folder("scenes" | "assets" | "shaders") -> Path

pyproject maps the repository's top-level scenes/, assets/ and shaders/ to the packages
`alife.scenes`, `alife.assets` and `alife.shaders`: an installed wheel holds them inside alife,
an editable install points at the top-level folders, and both are found the same way here
(never through `__file__` or the repository root).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from alife.core.errors import AlifeError

FOLDERS = ("scenes", "assets", "shaders")


def data_folder(name: str) -> Path:
    """The folder of data package `alife.<name>`, as a real path (scenes are read as files)."""
    if name not in FOLDERS:
        raise ValueError(f"unknown data folder {name!r}; expected one of {FOLDERS}")
    folder = resources.files(f"alife.{name}")
    if not isinstance(folder, Path):
        raise AlifeError(f"alife.{name} is installed zipped ({folder}); expected an unpacked "
                         "install (pip installs unpacked)")
    return folder
