"""Checking a scene's optional blocks (`training:`, `evolution:`) when the scene is loaded.

A block is checked by the block class its family declares (`Family.blocks`, e.g. the NCA
`training:` block) or by a check registered for its name by the layer that reads it
(`register("evolution", check)`: `alife.evolve.settings` does so when imported, as every route
that runs evolution or loads scenes from the command line does). Both use
`alife.core.config.parse_block`, so a typo in any key fails the load with one line naming the
key, where it is in the file, and the nearest valid key. The blocks themselves stay verbatim in
`World.extra`, so saving writes them back byte for byte.

`block_paths(name, block, rule)` names the block's path-valued keys (settings declared with
`path=`, `alife.core.config.path_keys`): from the declared block class, or from the `paths`
function registered with the check (the `evolution:` block's keys depend on its fitness).
`alife.scene.paths` rebases them when a scene moves to another folder.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alife import families as registry
from alife.core.config import parse_block, path_keys
from alife.core.errors import AlifeError
from alife.core.rule import Rule
from alife.scene.checks import Where, relocate

#: checks by block name: `check(block, rule)` raises AlifeError (where: the dotted key)
_CHECKS: dict[str, Callable[[Any, Rule], None]] = {}
#: path-valued keys by block name: `paths(block, rule)` -> {key path: "file" or "cwd"}
_PATHS: dict[str, Callable[[Any, Rule], dict[tuple[str, ...], str]]] = {}


def register(name: str, check: Callable[[Any, Rule], None],
             paths: Callable[[Any, Rule], dict[tuple[str, ...], str]] | None = None) -> None:
    """Check every scene's `name:` block with `check(block, rule)` from now on; `paths(block,
    rule)` names its path-valued keys (`block_paths`)."""
    _CHECKS[name] = check
    if paths is not None:
        _PATHS[name] = paths


def is_known(name: str, rule: Rule) -> bool:
    """Whether block `name` is declared by `rule`'s family or registered (so its path keys are
    known)."""
    return name in registry.family_of(rule).blocks or name in _CHECKS


def block_paths(name: str, block: Any, rule: Rule) -> dict[tuple[str, ...], str]:
    """The path-valued keys block `name` may hold for `rule`: {key path: "file" (relative to the
    scene's folder) or "cwd" (the working folder)}; empty for a block nobody declared."""
    declared = registry.family_of(rule).blocks
    if name in declared:
        return path_keys(declared[name])
    if name in _PATHS:
        return _PATHS[name](block, rule)
    return {}


def check_block(name: str, block: Any, rule: Rule) -> None:
    """Check one optional block for `rule`; errors carry the dotted key (`training.lr`)."""
    declared = registry.family_of(rule).blocks
    if name in declared:
        parse_block(declared[name], block, name)
    elif name in _CHECKS:
        _CHECKS[name](block, rule)


def check_blocks(rule: Rule, tree: dict[str, Any], names: tuple[str, ...], where: Where) -> None:
    """Check each of `names` present in a scene tree; errors name `file:line: key.path`."""
    for name in names:
        if name not in tree:
            continue
        try:
            check_block(name, tree[name], rule)
        except AlifeError as exc:
            raise relocate(exc if exc.where else AlifeError(exc.detail, name), where) from None
