"""One loader for every way a world is opened: `open_world(path, overrides, rule=None)`.

`alife run`, `alife render`, `alife view` and the app's Open all come here, so a file means the
same thing (and bad input gives the same one-line AlifeError) whichever way it arrives:

- a scene (`.yaml`/`.yml`): `alife.scene.io.load_scene`;
- a pattern (`.rle`/`.cells`/`.mcl`/`.mc`, gzip-compressed `.rle.gz`/`.mc.gz`, Golly's `.zip`
  archives and `x.zip/member.rle` paths into them):
  `alife.scene.pattern_world.world_from_pattern`, read once, with `rule` (a typed rule text)
  in place of the file's own; a bare `x.zip` opens as `x.zip/<its first pattern>`, so the
  archive's own rule files are found;
- no path, only `rule`: a random soup of that rule (`world_from_rule`);
- a name with no extension that is not a file (`orbium`, `biomaker/persistence`): the shipped
  scene of that name (`alife.scene.catalog`); a file that exists always wins over a name.

`overrides` (`--set key.path=value`) apply to all three, after the file is read and before the
tree is validated. `.npz` states hold no rule, so they open through a scene's `init: npz:` block.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from alife.core.archive import pattern_members, split_member
from alife.core.errors import AlifeError
from alife.scene import catalog
from alife.scene.io import load_scene
from alife.scene.pattern_world import world_from_pattern, world_from_rule
from alife.scene.world import World

SCENE_SUFFIXES = (".yaml", ".yml")
PATTERN_SUFFIXES = (".rle", ".cells", ".mcl", ".mc", ".lif", ".life", ".gz", ".zip")


def open_world(path: str | Path | None, overrides: Sequence[str] = (),
               rule: str | None = None) -> World:
    """The World a scene, a pattern file or (no path) a rule text describes; AlifeError else."""
    overrides = [str(o) for o in overrides]
    if path is None:
        if not rule:
            raise AlifeError("nothing to open; expected a scene (.yaml), a pattern file "
                             "(.rle, .cells) or a rule")
        return world_from_rule(rule, overrides)
    path = Path(path).expanduser()
    if catalog.is_scene_name(path) and not path.is_file():
        path = catalog.find_scene(path)
    suffix = path.suffix.lower()
    inside = split_member(path)
    if inside is not None and inside[1] is None and path.is_file():  # the first pattern
        members = pattern_members(path)
        if not members:
            raise AlifeError("the archive holds no pattern; expected a .rle, .mc or other "
                             "pattern file inside", where=str(path))
        path = path / members[0]
        suffix = path.suffix.lower()
    if suffix in PATTERN_SUFFIXES or inside is not None:
        return world_from_pattern(path, rule=rule, overrides=overrides)
    if suffix in SCENE_SUFFIXES:
        if rule:
            raise AlifeError("a rule goes with a pattern file; for a scene use "
                             "--set rule.config.rule=...", where=str(path))
        return load_scene(path, overrides)
    if suffix == ".npz":
        raise AlifeError("an .npz file holds a state but not its rule; expected a scene (.yaml) "
                         "whose `init: {npz: {file: ...}}` names it", where=str(path))
    raise AlifeError(f"unknown file type {suffix or '(no extension)'!r}; expected a scene "
                     f"(.yaml) or a pattern (.rle, .cells, .mc, .zip ...)", where=str(path))
