"""The shipped scenes and assets, found through `importlib.resources`, and scenes by name.

    scenes_root() -> Path                the `alife.scenes` package (scenes/ in a checkout)
    assets_root() -> Path                the `alife.assets` package (assets/ in a checkout)
    shipped_scenes() -> dict[str, Path]  {"lenia/orbium": .../lenia/orbium.yaml, ...}
    scene_names() -> list[str]           every name `find_scene` takes
    short_names() -> list[str]           the shortest name of each scene
    find_scene(name) -> Path             a shipped scene by name; AlifeError naming the others
    is_scene_name(text) -> bool          True for a word with no file extension

A scene's name is its path under scenes/ without `.yaml` (`biomaker/persistence`); its bare
file name (`persistence`) works too while no other shipped scene has it, and so does its file
name under any folder above it while no other scene in that folder's tree has it
(`lenia/O2u` for `lenia/species/O2u`). The folders come from
`alife.core.packagedata` (importlib.resources), so a scene's `../../assets/...` reference
resolves in an editable checkout and in an installed wheel alike.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from alife.core.errors import AlifeError, did_you_mean
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
    """Full names, plus each file name, bare or under a folder above it, that only one shipped
    scene in that folder's tree has."""
    scenes = shipped_scenes()
    stems: dict[str, list[str]] = {}
    for name in scenes:
        *folders, stem = name.split("/")
        for depth in range(len(folders)):  # "" (the bare name), then each folder above
            short = "/".join(folders[:depth] + [stem])
            stems.setdefault(short, []).append(name)
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
    naming the nearest name (of all) and the others (the scenes in the folder a `/` names, else
    the shortest name of each scene at most one folder deep: a deeper folder is a collection,
    such as the Lenia species, that would crowd the line)."""
    word = str(name).replace("\\", "/").strip("/")
    known = _by_name()
    if word in known:
        return known[word]
    folder = word.rpartition("/")[0]
    choices = [n for n in shipped_scenes() if n.rpartition("/")[0] == folder] if folder else []
    if not choices:
        top = {p for n, p in shipped_scenes().items() if n.count("/") <= 1}
        choices = [n for n in short_names() if known[n] in top]
    word = word[:40]
    hint = did_you_mean(word, [n for n in known if not folder or n.startswith(folder + "/")])
    names = sorted(choices)
    listed = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    raise AlifeError(f"unknown scene `{word}`{hint} (expected one of {listed}); see `alife list`")
