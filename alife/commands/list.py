"""`alife list`: the rule families (built-in and installed plug-ins, with where each came from)
and the shipped scenes, grouped by family."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

SCENES = Path(__file__).resolve().parents[2] / "scenes"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", default=None, metavar="FOLDER",
                        help=f"where to look for scenes (default: {SCENES})")


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def scene_summaries(folder: Path) -> list[tuple[str, str, str]]:
    """(family, path, name) for every scene file under `folder`, read without building it."""
    from alife.core.errors import AlifeError
    from alife.scene.schema import read_scene_file

    out = []
    for path in sorted(folder.rglob("*.yaml")) + sorted(folder.rglob("*.yml")):
        try:  # the scene reader: bounded size and depth, regular files only (no FIFO hangs)
            tree, _ = read_scene_file(path)
            family = str(tree["rule"]["family"])
            name = str(tree.get("name") or path.stem)
        except (AlifeError, TypeError, KeyError, AttributeError):
            family, name = "(unreadable)", path.stem
        out.append((family, _shown(path), name))
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
    folder = Path(args.folder) if args.folder else SCENES
    scenes = scene_summaries(folder) if folder.is_dir() else []
    print(f"\nScenes in {_shown(folder)}:" if scenes else f"\nNo scenes in {_shown(folder)}.")
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
