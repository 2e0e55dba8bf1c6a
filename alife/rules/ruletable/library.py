"""Finding a rule by name, as Golly's RuleLoader does, and loading it once.

A rule text is a name with an optional bounded-grid suffix: `Langtons-Loops`,
`WireWorld:P60,60`. The name `Foo` is looked up as `Foo.rule` in these folders, in order, then
as the older `Foo.table` and `Foo.tree` in the same folders (Golly's order of file kinds):

1. the `folder` the caller gives (the folder of the pattern file that names the rule; for a
   pattern inside a zip archive, the archive's own rule files);
2. the folders in `$ALIFE_RULES` (separated like PATH);
3. the user's rules folder, `$XDG_CONFIG_HOME/alife/rules` (default `~/.config/alife/rules`);
4. the rules alife ships (`assets/rules`: WireWorld and Langton's loops written from their
   published definitions);
5. Golly's own Rules folder where Golly is installed (`$GOLLY_RULES`, else
   `/usr/share/golly/Rules`, `/usr/local/share/golly/Rules`, `/opt/homebrew/share/golly/Rules`;
   `GOLLY_RULES=` set empty leaves it out);
6. rules Golly runs with an algorithm of its own, built here (`builtin.py`: `JvN29`,
   `Nobili32`, `Hutton32`).

As in Golly, a `.rule` file without `@TABLE` or `@TREE` (one that only overrides colours) does
not stop the search for the transitions; colours come from the first `Foo.rule` found, else from
`Prefix-shared.rule` (the name up to its last hyphen, Golly's shared colours), else Golly's
defaults. Golly turns `/` and `\\` in a name into `_` for the file name; so do we. Names are
letters, digits, `_`, `-`, `+` and `.` (not first), so a name never leaves its folder.

Loaded rules are cached by (path, size, modification time): a changed file is read again.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from alife.core.errors import AlifeError, did_you_mean
from alife.core.grid_suffix import GridSuffix, parse_grid_suffix
from alife.core.safeio import read_regular
from alife.rules.ruletable import bitsets
from alife.rules.ruletable.bitsets import BitsetTable
from alife.rules.ruletable.compile import Compiled, TooIntricate, from_table, from_tree
from alife.rules.ruletable.ruleformat import (
    RuleFile,
    colours_for,
    parse_rule_file,
    parse_table,
    parse_tree,
)

#: the largest rule file read (Golly's largest supplied rule is 61 KB; big trees are MBs)
MAX_RULE_BYTES = 32 << 20
#: node children a table's tree may take to compile (Golly's supplied tables take at most
#: ~30,000); past it the table runs as bitsets (`bitsets.py`) rather than as a tree
TREE_WORK = 1 << 19
GOLLY_FOLDERS = ("/usr/share/golly/Rules", "/usr/local/share/golly/Rules",
                 "/opt/homebrew/share/golly/Rules")
KINDS = (".rule", ".table", ".tree")
_NAME = re.compile(r"[A-Za-z0-9_+\-][A-Za-z0-9_+.\-]*")


def split_rule_text(text: str) -> tuple[str, GridSuffix | None]:
    """(name, bounded-grid suffix or None) of a rule text; AlifeError for a malformed one."""
    if not isinstance(text, str) or not text.strip():
        raise AlifeError(f"rule {text!r}: expected a rule name such as 'WireWorld'")
    name, colon, suffix = "".join(text.split()).partition(":")
    name = name.replace("/", "_").replace("\\", "_")
    if not _NAME.fullmatch(name):
        raise AlifeError(f"rule {text!r}: {name!r} is not a rule name; expected letters, "
                         "digits, '-', '_', '+' or '.' (Golly's rule file names)")
    return name, parse_grid_suffix(text, suffix) if colon else None


# ---- the search path -----------------------------------------------------------------------
def user_folder() -> Path:
    """The user's rules folder: `$XDG_CONFIG_HOME/alife/rules` (default ~/.config/...)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "alife" / "rules"


def shipped_folder() -> Path:
    """The rules alife ships (`assets/rules`)."""
    from alife.core.packagedata import data_folder

    return data_folder("assets") / "rules"


def golly_folder() -> Path | None:
    """Golly's installed Rules folder, or None where Golly is not installed. `$GOLLY_RULES`
    names it (set but empty: leave Golly's rules out)."""
    given = os.environ.get("GOLLY_RULES")
    candidates = [given] if given is not None else list(GOLLY_FOLDERS)
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def search_folders(folder: str | Path | None = None) -> list[Path]:
    """The folders searched for a rule, in order (module docstring)."""
    folders = [_archive_folder(Path(folder).expanduser())] if folder else []
    folders += [Path(p).expanduser() for p in os.environ.get("ALIFE_RULES", "").split(os.pathsep)
                if p]
    folders += [user_folder(), shipped_folder()]
    golly = golly_folder()
    if golly is not None:
        folders.append(golly)
    out: list[Path] = []
    for f in folders:
        if f not in out:
            out.append(f)
    return out


def _archive_folder(folder: Path) -> Path:
    """A folder inside a zip archive (where a pattern packed in one lies) stands for the
    archive's own rule files (`alife.core.archive`); any other folder is itself."""
    from alife.core.archive import split_member

    inside = split_member(folder)
    if inside is None or not inside[0].is_file():
        return folder
    stamp = _stamp(inside[0])
    return _archive_rules(*stamp) if stamp else folder


@lru_cache(maxsize=16)
def _archive_rules(path: str, size: int, mtime: int) -> Path:
    from alife.core.archive import archive_rules

    del size, mtime  # part of the cache key only
    return archive_rules(path)


def known_names(folders: list[Path]) -> list[str]:
    """Rule names in `folders` (for 'did you mean')."""
    names = set()
    for folder in folders:
        try:
            names.update(p.stem for p in folder.iterdir() if p.suffix in KINDS)
        except OSError:
            continue
    return sorted(names)


@dataclass(frozen=True, eq=False)
class LoadedRule:
    """A rule ready to run: its name, the file its transitions came from, the compiled tree,
    a colour per state and names for the states."""

    name: str
    path: Path
    compiled: Compiled | BitsetTable
    colours: tuple[tuple[int, int, int], ...]
    names: tuple[str, ...]
    neighbourhood: str

    @property
    def n_states(self) -> int:
        return self.compiled.n_states


def _stamp(path: Path) -> tuple[str, int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    if not path.is_file():
        return None
    return str(path), info.st_size, info.st_mtime_ns


@lru_cache(maxsize=64)
def _read(path: str, size: int, mtime: int, kind: str, name: str
          ) -> tuple[RuleFile, Compiled | BitsetTable | None]:
    del size, mtime  # part of the cache key only
    data = read_regular(path, MAX_RULE_BYTES, "a Golly rule file")
    text = data.decode("utf-8", "replace").removeprefix("\ufeff")
    if kind == ".rule":
        parsed = parse_rule_file(text, path, expect_name=name)
    elif kind == ".table":
        parsed = RuleFile(name, table=parse_table(text.splitlines(), path))
    else:
        parsed = RuleFile(name, tree=parse_tree(text.splitlines(), path))
    compiled: Compiled | BitsetTable | None = None
    if parsed.table is not None:
        try:
            compiled = from_table(parsed.table, path, max_work=TREE_WORK)
        except TooIntricate:  # Golly's own way: bitsets over the transitions, AND-ed per cell
            compiled = bitsets.from_table(parsed.table, path)
    elif parsed.tree is not None:
        compiled = from_tree(parsed.tree)
    return parsed, compiled


def _load_file(path: Path, name: str
               ) -> tuple[RuleFile, Compiled | BitsetTable | None] | None:
    stamp = _stamp(path)
    if stamp is None:
        return None
    return _read(*stamp, path.suffix, name)


def load_rule(name: str, folder: str | Path | None = None) -> LoadedRule:
    """The rule called `name` (no suffix), found and compiled (module docstring)."""
    name, _ = split_rule_text(name)
    folders = search_folders(folder)
    first_rule_file: RuleFile | None = None
    found: tuple[Path, RuleFile, Compiled | BitsetTable] | None = None
    for kind in KINDS:
        for f in folders:
            path = f / f"{name}{kind}"
            loaded = _load_file(path, name)
            if loaded is None:
                continue
            parsed, compiled = loaded
            if kind == ".rule" and first_rule_file is None:
                first_rule_file = parsed
            if compiled is not None:
                found = (path, parsed, compiled)
                break
        if found:
            break
    if found is None:
        where = ", ".join(_short(f) for f in folders)
        if first_rule_file is not None:
            raise AlifeError(f"{name}.rule has no @TABLE or @TREE section here or in a later "
                             f"folder ({where}); expected a rule with transitions")
        from alife.rules.ruletable.builtin import builtin_rule

        built = builtin_rule(name)
        if built is not None:
            return built
        hint = did_you_mean(name, known_names(folders))
        raise AlifeError(f"no rule named {name!r}{hint} (no {name}.rule, .table or .tree in "
                         f"{where})")
    path, parsed, compiled = found
    if folder and folders and path.parent == folders[0] != Path(folder).expanduser():
        path = Path(folder).expanduser() / path.name  # found in an archive: named as inside it
    colour_file = first_rule_file or parsed
    colour_lines = colour_file.colour_lines
    if not colour_file.has_colours and "-" in name:
        shared = _shared(name.rsplit("-", 1)[0] + "-shared", folders)
        if shared is not None:
            colour_lines = shared.colour_lines
    n = compiled.n_states
    colours = tuple(colours_for(colour_lines, n))
    file_names = colour_file.names or parsed.names
    names = tuple(file_names.get(s, str(s)) for s in range(n))
    neighbourhood = (parsed.table.neighbourhood if parsed.table is not None
                     else {4: "vonNeumann", 8: "Moore"}[parsed.tree.n_neighbours])  # type: ignore
    return LoadedRule(name, path, compiled, colours, names, neighbourhood)


def _short(folder: Path) -> str:
    """A folder for a message: the home folder as ~."""
    try:
        return "~/" + folder.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(folder)


def _shared(name: str, folders: list[Path]) -> RuleFile | None:
    for f in folders:
        try:
            loaded = _load_file(f / f"{name}.rule", name)
        except AlifeError:
            return None
        if loaded is not None:
            return loaded[0] if loaded[0].has_colours else None
    return None
