"""The shipped scenes and assets, found through `importlib.resources`, and scenes by name.

    scenes_root() -> Path                the `alife.scenes` package (scenes/ in a checkout)
    assets_root() -> Path                the `alife.assets` package (assets/ in a checkout)
    shipped_scenes() -> dict[str, Path]  {"lenia/orbium": .../lenia/orbium.yaml, ...}
    scene_names() -> list[str]           every name `find_scene` takes
    short_names() -> list[str]           the shortest name of each scene
    find_scene(name) -> Path             a shipped scene by name; AlifeError naming the others
    is_scene_name(text) -> bool          True for a word with no file extension

A scene's name is its path under scenes/ without `.yaml` (`biomaker/persistence`); its bare
file name (`persistence`) works too while no other shipped scene has it. The folders come from
`alife.core.packagedata` (importlib.resources), so a scene's `../../assets/...` reference
resolves in an editable checkout and in an installed wheel alike.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from alife.core.errors import AlifeError, unknown_name
from alife.core.packagedata import data_folder

SCENE_SUFFIXES = (".yaml", ".yml")


def scenes_root() -> Path:
    """The shipped scenes' folder."""
    return data_folder("scenes")


def assets_root() -> Path:
    """The shipped patterns, weights, targets and Lenia creatures."""
    return data_folder("assets")


def shipped_scenes() -> dict[str, Path]:
    """{name: file} for every shipped scene, names sorted."""
    root = scenes_root()
    found = [p for suffix in SCENE_SUFFIXES for p in root.rglob(f"*{suffix}") if p.is_file()]
    named = {p.relative_to(root).with_suffix("").as_posix(): p for p in found}
    return dict(sorted(named.items()))


def _by_name() -> dict[str, Path]:
    """Full names, plus each bare file name that only one shipped scene has."""
    scenes = shipped_scenes()
    stems: dict[str, list[str]] = {}
    for name in scenes:
        stems.setdefault(PurePosixPath(name).name, []).append(name)
    out = dict(scenes)
    for stem, names in stems.items():
        if len(names) == 1 and stem not in out:
            out[stem] = scenes[names[0]]
    return out


def scene_names() -> list[str]:
    """Every name `find_scene` accepts, sorted."""
    return sorted(_by_name())


def is_scene_name(text: str | Path) -> bool:
    """True when `text` has no file extension (so it may name a shipped scene)."""
    return str(text) != "" and PurePosixPath(str(text).replace("\\", "/")).suffix == ""


def short_names() -> list[str]:
    """The shortest name of each shipped scene (its file name where that is unique), sorted."""
    best: dict[Path, str] = {}
    for name, path in _by_name().items():
        if path not in best or len(name) < len(best[path]):
            best[path] = name
    return sorted(best.values())


def find_scene(name: str | Path) -> Path:
    """The shipped scene called `name`; else an AlifeError (one line, under 300 characters)
    naming the nearest name and the others (the scenes in the folder a `/` names, else each
    scene's shortest name)."""
    word = str(name).replace("\\", "/").strip("/")
    known = _by_name()
    if word in known:
        return known[word]
    folder = word.rpartition("/")[0] + "/"
    choices = [n for n in shipped_scenes() if n.startswith(folder)] if "/" in word else []
    raise AlifeError(unknown_name("scene", word[:40], choices or short_names())
                     + "; see `alife list`")
