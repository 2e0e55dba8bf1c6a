"""Every file path a scene holds, found from the schema, and rebased in one place.

A scene names files relative to its own folder: the schema's keys (`schema.PATH_KEYS`:
`rule.params.file`, `init.<kind>.file`) and the settings its optional blocks declare with
`path=` (`alife.core.config.setting`; e.g. `training.target`, `training.weights`,
`evolution.target`), found per block by `alife.scene.blocks.block_paths`. A few name a folder
relative to the working folder instead (`training.out`, `evolution.out`: where a run writes).
When a scene is written into another folder (Save As, the app's autosave) every file-relative
path is rewritten so it still names the same file; working-folder paths and absolute paths stay
as they are. No list of key names lives here: a new path setting is rebased by declaring it.

    scene_paths(tree, rule) -> list[ScenePath]     the path-valued keys present in a scene tree
    rebase(file, old, new) -> str                  one path from folder `old` to folder `new`
    rebase_tree(tree, rule, old, new) -> dict      a copy of the tree with every path rebased
    resolved(tree, rule, folder) -> {key: Path}    each file-relative path as an absolute path
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any, NamedTuple

from alife.core.rule import Rule
from alife.scene.blocks import block_paths
from alife.scene.schema import EXTRA_BLOCKS, PATH_KEYS


class ScenePath(NamedTuple):
    """One path-valued key of a scene tree: its key path (`("training", "target")`), what the
    path is relative to ("file": the scene's folder, "cwd": the working folder) and its value
    (a string, or a list of strings)."""

    key: tuple[str, ...]
    base: str
    value: Any


def path_keys(tree: dict[str, Any], rule: Rule) -> dict[tuple[str, ...], str]:
    """Every key path that may hold a path in `tree` (a scene tree of `rule`), with its base."""
    keys = {key: "file" for key in PATH_KEYS}
    for name in EXTRA_BLOCKS:
        if isinstance(tree.get(name), dict):
            keys.update({(name,) + key: base
                         for key, base in block_paths(name, tree[name], rule).items()})
    return keys


def _get(tree: Any, key: tuple[str, ...]) -> Any:
    for part in key:
        if not isinstance(tree, dict) or part not in tree:
            return None
        tree = tree[part]
    return tree


def _is_path(value: Any) -> bool:
    return (isinstance(value, str) and value != "") or (
        isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value))


def scene_paths(tree: dict[str, Any], rule: Rule) -> list[ScenePath]:
    """The path-valued keys `tree` (a scene tree of `rule`) holds, in schema order."""
    found = []
    for key, base in path_keys(tree, rule).items():
        value = _get(tree, key)
        if _is_path(value):
            found.append(ScenePath(key, base, value))
    return found


def rebase(file: str, old: str | Path, new: str | Path) -> str:
    """`file`, a path relative to folder `old`, rewritten relative to folder `new` (POSIX
    separators); an absolute path (or `~/...`) is returned as it is. Where the two folders share
    only the root the result is absolute, which reads better than a climb of `../`."""
    if not isinstance(file, str) or not file or file.startswith("~") or Path(file).is_absolute():
        return file
    old_abs, new_abs = Path(os.path.abspath(old)), Path(os.path.abspath(new))
    if old_abs == new_abs:
        return file
    target = os.path.normpath(old_abs / file)
    try:
        common = Path(os.path.commonpath([target, new_abs]))
        if common.parent == common:  # only the root in common
            return Path(target).as_posix()
        return Path(os.path.relpath(target, new_abs)).as_posix()
    except ValueError:  # different drives on Windows
        return Path(target).as_posix()


def _set(tree: dict[str, Any], key: tuple[str, ...], value: Any) -> None:
    for part in key[:-1]:
        tree = tree[part]
    tree[key[-1]] = value


def rebase_tree(tree: dict[str, Any], rule: Rule, old: str | Path,
                new: str | Path) -> dict[str, Any]:
    """A copy of `tree` (a scene tree of `rule`, or any part of one keyed like it: `{"init":
    ..., "training": ...}`) whose file-relative paths, written for a scene in folder `old`, name
    the same files from folder `new`."""
    out = copy.deepcopy(tree)
    for item in scene_paths(out, rule):
        if item.base != "file":
            continue
        value = item.value
        moved = [rebase(v, old, new) for v in value] if isinstance(value, list) \
            else rebase(value, old, new)
        _set(out, item.key, moved)
    return out


def resolved(tree: dict[str, Any], rule: Rule, folder: str | Path) -> dict[tuple[str, ...], Any]:
    """Each path of `tree` as the file it names: file-relative paths joined to `folder` and
    normalised, working-folder paths as written (for comparing a scene with a moved copy)."""
    out: dict[tuple[str, ...], Any] = {}

    def one(value: str, base: str) -> str:
        if base != "file" or value.startswith("~") or Path(value).is_absolute():
            return value
        return os.path.normpath(Path(os.path.abspath(folder)) / value)

    for item in scene_paths(tree, rule):
        value = item.value
        out[item.key] = [one(v, item.base) for v in value] if isinstance(value, list) \
            else one(value, item.base)
    return out
