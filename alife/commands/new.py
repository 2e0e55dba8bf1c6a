"""`alife new DIR --from SCENE`: copy a scene and every file it references into a folder.

    alife new my_lizard --from lizard        # writes my_lizard/scene.yaml + its weights, target
    alife run my_lizard/scene.yaml --steps 10

SCENE is a shipped scene's name (`alife list`) or a scene file. Every string in the scene that
names an existing file relative to the scene (weights, patterns, targets, `.npz` sidecars) is
copied beside the new `scene.yaml` under its own file name, and the reference rewritten to that
name, so the folder is self-contained and loads from anywhere. The scene's text (comments
included) is kept; only the references change. An existing non-empty DIR is refused.
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
from pathlib import Path
from typing import Any

from alife.core.errors import AlifeError

SCENE_FILE = "scene.yaml"
#: longest string taken for a file reference
MAX_REFERENCE = 4096


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="DIR", help="the new folder (must not hold files)")
    parser.add_argument("--from", dest="source", required=True, metavar="SCENE",
                        help="a shipped scene's name (see `alife list`) or a scene file")


def source_scene(text: str) -> Path:
    """A scene file: a path that exists, else a shipped scene's name."""
    from alife.scene import catalog

    path = Path(text).expanduser()
    if path.is_file():
        return path
    if catalog.is_scene_name(text):
        return catalog.find_scene(text)
    raise AlifeError("no such scene file; expected a shipped scene's name (see `alife list`) or "
                     "a scene file", where=text)


def _is_file(folder: Path, text: str) -> bool:
    if "\n" in text or len(text) > MAX_REFERENCE or Path(text).suffix == "":
        return False
    try:
        return (folder / text).is_file()
    except (OSError, ValueError):
        return False


def references(tree: Any, folder: Path) -> list[str]:
    """Strings in the scene tree that name an existing file (relative to `folder`), in order."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str) and node not in found and _is_file(folder, node):
            found.append(node)

    walk(tree)
    return found


def local_names(refs: list[str], folder: Path) -> dict[str, str]:
    """{reference: file name in the new folder}; files sharing a name get `-2`, `-3`, ..."""
    taken = {SCENE_FILE}
    by_target: dict[Path, str] = {}
    out = {}
    for ref in refs:
        target = (folder / ref).resolve()
        if target not in by_target:
            name, n = Path(ref).name, 1
            while name in taken:
                n += 1
                name = f"{Path(ref).stem}-{n}{Path(ref).suffix}"
            taken.add(name)
            by_target[target] = name
        out[ref] = by_target[target]
    return out


def substituted(tree: Any, names: dict[str, str]) -> Any:
    """The tree with every reference string replaced by its new name."""
    if isinstance(tree, dict):
        return {k: substituted(v, names) for k, v in tree.items()}
    if isinstance(tree, list):
        return [substituted(v, names) for v in tree]
    return names.get(tree, tree) if isinstance(tree, str) else tree


def rewritten_text(text: str, names: dict[str, str], expected: dict[str, Any]) -> str:
    """The scene text with its references renamed in place (comments kept); when that does not
    parse back to `expected`, the tree written out afresh."""
    from alife.scene.dump import dump_yaml
    from alife.scene.schema import parse_scene_text

    out = text
    for ref in sorted(names, key=len, reverse=True):
        if names[ref] != ref:
            pattern = rf"(?<![\w./\\-]){re.escape(ref)}(?![\w./\\-])"
            out = re.sub(pattern, lambda _m, new=names[ref]: new, out)
    try:
        if parse_scene_text(out, SCENE_FILE)[0] == expected:
            return out
    except AlifeError:
        pass
    return dump_yaml(expected)


def _check_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise AlifeError("is a file; expected a new folder", where=str(folder))
    if folder.is_dir() and any(folder.iterdir()):
        raise AlifeError("already holds files; expected a new or empty folder (nothing was "
                         "written)", where=str(folder))


def main(args: argparse.Namespace) -> int:
    from alife.core.fileio import atomic_write_text
    from alife.scene.io import load_scene
    from alife.scene.schema import read_scene_file

    source = source_scene(args.source)
    folder = Path(args.folder).expanduser()
    _check_folder(folder)
    tree, _ = read_scene_file(source)
    text = source.read_text(encoding="utf-8").removeprefix("\ufeff")
    refs = references(tree, source.parent)
    names = local_names(refs, source.parent)
    new_text = rewritten_text(text, names, substituted(copy.deepcopy(tree), names))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for ref in refs:
            shutil.copyfile(source.parent / ref, folder / names[ref])
        atomic_write_text(folder / SCENE_FILE, new_text)
    except OSError as exc:
        raise AlifeError(f"cannot write the copy ({exc.strerror or exc})",
                         where=str(folder)) from None
    load_scene(folder / SCENE_FILE)  # the copy loads on its own (an AlifeError if not)
    copied = sorted(set(names.values()))
    extra = f" and {', '.join(copied)}" if copied else ""
    print(f"wrote {folder / SCENE_FILE}{extra} (from {source}); run it with "
          f"`alife run {folder / SCENE_FILE}`")
    return 0
