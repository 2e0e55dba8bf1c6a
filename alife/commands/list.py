"""`alife list [FOLDER]`: the rule families (built-in and installed plug-ins, with where each
came from) and the scenes, grouped by family: the shipped ones by the name `alife run NAME`
takes (from the installed package, `alife.scene.catalog`), or those under FOLDER by path."""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", default=None, metavar="FOLDER",
                        help="where to look for scenes (default: the shipped scenes, by name)")


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def scene_summaries(folder: Path, by_name: bool = False) -> list[tuple[str, str, str]]:
    """(family, path, name) for every scene file under `folder`, read without building it;
    `by_name`: the path is given as the scene's name (relative, no extension)."""
    from alife.core.errors import AlifeError
    from alife.scene.schema import read_scene_file

    out = []
    for path in sorted(folder.rglob("*.yaml")) + sorted(folder.rglob("*.yml")):
        shown = path.relative_to(folder).with_suffix("").as_posix() if by_name else _shown(path)
        try:  # the scene reader: bounded size and depth, regular files only (no FIFO hangs)
            tree, _ = read_scene_file(path)
            family = str(tree["rule"]["family"])
            name = str(tree.get("name") or path.stem)
        except (AlifeError, TypeError, KeyError, AttributeError):
            family, name = "(unreadable)", path.stem
        out.append((family, shown, name))
    return out


def main(args: argparse.Namespace) -> int:
    from alife.families import families

    known = families()
    print("Rule families:")
    width = max((len(n) for n in known), default=0)
    for name in sorted(known):
        family = known[name]
        origin = "" if family.origin == "built-in" else f"  [plug-in: {family.origin}]"
        print(f"  {name:<{width}}  {family.summary}{origin}")
    if args.folder:
        folder = Path(args.folder)
        scenes = scene_summaries(folder) if folder.is_dir() else []
        print(f"\nScenes in {_shown(folder)}:" if scenes else f"\nNo scenes in {_shown(folder)}.")
    else:
        from alife.scene.catalog import scenes_root

        folder = scenes_root()
        scenes = scene_summaries(folder, by_name=True)
        print(f"\nShipped scenes, by name (alife run NAME; files in {folder}):" if scenes
              else f"\nNo scenes shipped in {folder}.")
    groups: dict[str, list[tuple[str, str]]] = {}
    for family, path, name in scenes:
        groups.setdefault(family, []).append((path, name))
    for family in sorted(groups):
        note = "" if family in known else "  (family not available in this build)"
        print(f"  {family}{note}")
        pad = max(len(p) for p, _ in groups[family])
        for path, name in groups[family]:
            print(f"    {path:<{pad}}  {name}")
    return 0
