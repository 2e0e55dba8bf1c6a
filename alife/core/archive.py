"""Golly's zip archives (a rule and its patterns packed together) and gzip-compressed patterns,
read with hard limits on what a hostile file can make us unpack.

Golly's convention (Help, File Formats, "Zip files"): an archive holds rule files (`.rule`,
and the older `.table` / `.tree`) and one or more patterns; Golly installs the rules and opens
the pattern (or lists the patterns when there are several). Here:

- `x.zip` opens its first pattern (in archive order); `x.zip/folder/name.mc` opens that member
  (the archive's path followed by the member's name, as Python's zipimport names members);
- `pattern_members(path)` lists the patterns an archive holds (the app's library, the tests);
- the archive's rule files are written, under their own base names, into a temporary folder
  named after the archive's content (`rules_folder`), which the pattern's rule is looked up in
  first; nothing else is ever written to disk, and no member name is ever used as a path;
- scripts (`.lua`, `.py`), HTML and text members are ignored (Golly would run a lone script:
  alife runs no scripts from files).

Refused, each with one line naming the archive (and member) and what was expected: an archive
over `MAX_ARCHIVE_BYTES` on disk, more than `MAX_MEMBERS` members, a member whose name is
absolute or climbs out of the archive (`..`), an encrypted member, a member that would unpack to
more than `MAX_MEMBER_BYTES` or a total over `MAX_UNPACKED_BYTES` (zip bombs: the declared sizes
are checked before anything is inflated, and inflation stops at the declared size), a corrupt
archive (bad CRC, truncated data). `gunzip(data, where)` unpacks `.gz` files with the same cap.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from alife.core.errors import AlifeError

#: the largest archive read from disk
MAX_ARCHIVE_BYTES = 64 << 20
#: the most members an archive may list
MAX_MEMBERS = 4096
#: the largest member unpacked (a pattern file's own cap)
MAX_MEMBER_BYTES = 32 << 20
#: the most bytes all the members read from one archive may unpack to
MAX_UNPACKED_BYTES = 128 << 20
#: the largest gzip-compressed pattern once unpacked
MAX_GUNZIP_BYTES = 256 << 20
RULE_SUFFIXES = (".rule", ".table", ".tree")
PATTERN_SUFFIXES = (".rle", ".cells", ".mcl", ".mc", ".lif", ".life", ".rle.gz", ".mc.gz")
IGNORED_SUFFIXES = (".lua", ".py", ".pl", ".html", ".htm", ".txt", ".doc", ".colors", ".icons",
                    ".ruel", ".zip")
_RULE_NAME = re.compile(r"[A-Za-z0-9_+\-][A-Za-z0-9_+.\-]*")


def is_archive(path: str | Path) -> bool:
    return str(path).lower().endswith(".zip")


def split_member(path: str | Path) -> tuple[Path, str | None] | None:
    """(archive, member or None) when `path` is a `.zip` file or a path through one, else None.

    `a/b.zip` -> (a/b.zip, None); `a/b.zip/c/d.mc` -> (a/b.zip, "c/d.mc"). Only a component
    that names an existing regular file counts as the archive."""
    path = Path(path)
    parts = path.parts
    for i in range(len(parts), 0, -1):
        if not parts[i - 1].lower().endswith(".zip"):
            continue
        archive = Path(*parts[:i])
        if i == len(parts):
            return archive, None
        if archive.is_file():
            return archive, "/".join(parts[i:])
    return None


def _suffix(name: str) -> str:
    low = name.lower()
    for suffix in sorted(PATTERN_SUFFIXES + RULE_SUFFIXES + IGNORED_SUFFIXES, key=len,
                         reverse=True):
        if low.endswith(suffix):
            return suffix
    return PurePosixPath(low).suffix


def _open(archive: Path) -> zipfile.ZipFile:
    from alife.core.safeio import read_regular

    data = read_regular(archive, MAX_ARCHIVE_BYTES, "a zip archive (.zip)")
    import io

    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise AlifeError(f"not a readable zip archive ({exc})", where=str(archive)) from None


def _members(archive: Path, handle: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The archive's file members, checked (module docstring); folders left out."""
    infos = handle.infolist()
    if len(infos) > MAX_MEMBERS:
        raise AlifeError(f"the archive lists {len(infos)} members; expected at most "
                         f"{MAX_MEMBERS}", where=str(archive))
    total = 0
    out = []
    for info in infos:
        name = info.filename
        where = f"{archive}/{name}"
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", name):
            raise AlifeError(f"member {name!r} points outside the archive; expected relative "
                             "names without '..'", where=str(archive))
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise AlifeError("the member is encrypted; expected a plain zip member", where=where)
        if info.file_size > MAX_MEMBER_BYTES:
            raise AlifeError(f"the member unpacks to {info.file_size} bytes; expected at most "
                             f"{MAX_MEMBER_BYTES >> 20} MiB", where=where)
        total += info.file_size
        if total > MAX_UNPACKED_BYTES:
            raise AlifeError(f"the members unpack to over {MAX_UNPACKED_BYTES >> 20} MiB; "
                             "expected a smaller archive", where=str(archive))
        out.append(info)
    return out


def _read(archive: Path, handle: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, never more than it declares (a lying header is corrupt data)."""
    where = f"{archive}/{info.filename}"
    try:
        with handle.open(info) as stream:
            data = stream.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError,
            RuntimeError) as exc:
        raise AlifeError(f"cannot unpack the member ({exc})", where=where) from None
    if len(data) != info.file_size:
        raise AlifeError(f"the member holds {len(data)} bytes but declares {info.file_size}; "
                         "expected an intact archive", where=where)
    return data


def _is_pattern(info: zipfile.ZipInfo) -> bool:
    name = PurePosixPath(info.filename).name
    return (_suffix(info.filename) in PATTERN_SUFFIXES and not info.filename.startswith("__MACOSX")
            and not name.startswith("._"))


def pattern_members(path: str | Path) -> list[str]:
    """The patterns an archive holds, in archive order (member names)."""
    archive = Path(path)
    with _open(archive) as handle:
        return [i.filename for i in _members(archive, handle) if _is_pattern(i)]


def archive_rules(path: str | Path) -> Path:
    """The temporary folder holding the rule files of archive `path` (`rules_folder`)."""
    archive = Path(path)
    with _open(archive) as handle:
        rules = {PurePosixPath(i.filename).name: _read(archive, handle, i)
                 for i in _members(archive, handle) if _is_rule(i)}
    return rules_folder(archive, rules)


def _is_rule(info: zipfile.ZipInfo) -> bool:
    name = PurePosixPath(info.filename).name
    return (_suffix(info.filename) in RULE_SUFFIXES and not name.startswith("._")
            and not info.filename.startswith("__MACOSX"))


def read_member(path: str | Path) -> tuple[bytes, str, Path]:
    """(bytes, member name, rules folder) of the pattern `path` names: an archive (its first
    pattern) or a path through one (that member). The rules folder holds the archive's rule
    files (`rules_folder`)."""
    archive, member = split_member(path) or (Path(path), None)
    with _open(archive) as handle:
        members = _members(archive, handle)
        patterns = [i for i in members if _is_pattern(i)]
        if member is None:
            if not patterns:
                raise AlifeError("the archive holds no pattern; expected one of "
                                 f"{', '.join(PATTERN_SUFFIXES)}", where=str(archive))
            chosen = patterns[0]
        else:
            found = [i for i in members if i.filename == member]
            if not found:
                names = ", ".join(i.filename for i in patterns[:8]) or "none"
                raise AlifeError(f"no member {member!r} in the archive; its patterns: {names}",
                                 where=str(archive))
            chosen = found[0]
        data = _read(archive, handle, chosen)
        rules = {PurePosixPath(i.filename).name: _read(archive, handle, i) for i in members
                 if _is_rule(i)}
    return data, chosen.filename, rules_folder(archive, rules)


def rules_folder(archive: Path, rules: dict[str, bytes]) -> Path:
    """A temporary folder holding `rules` ({base name: bytes}), named after their content, so
    reopening an archive finds the same folder. Names that are not rule-file names (Golly's
    letters, digits, `_ - + .`) are skipped: nothing is written outside the folder."""
    digest = hashlib.sha256()
    for name in sorted(rules):
        digest.update(name.encode() + b"\0" + hashlib.sha256(rules[name]).digest())
    uid = os.getuid() if hasattr(os, "getuid") else 0
    base = Path(tempfile.gettempdir()) / f"alife-archive-rules-{uid}"
    base.mkdir(mode=0o700, exist_ok=True)
    info = base.lstat()
    if base.is_symlink() or info.st_uid != uid or info.st_mode & 0o022:
        base = Path(tempfile.mkdtemp(prefix="alife-archive-rules-"))  # not ours: a fresh one
    folder = base / digest.hexdigest()[:20]
    if folder.is_dir():
        return folder
    staging = Path(tempfile.mkdtemp(dir=base))
    for name, data in rules.items():
        if _RULE_NAME.fullmatch(name) and _suffix(name) in RULE_SUFFIXES:
            (staging / name).write_bytes(data)
    try:
        staging.rename(folder)
    except OSError:  # another process made it first
        for child in staging.iterdir():
            child.unlink()
        staging.rmdir()
    return folder


def gunzip(data: bytes, where: str, limit: int | None = None) -> bytes:
    """gzip data unpacked, refusing more than `limit` bytes (default MAX_GUNZIP_BYTES: a gzip
    bomb) or a corrupt file."""
    limit = MAX_GUNZIP_BYTES if limit is None else limit
    unpack = zlib.decompressobj(wbits=31)
    try:
        out = unpack.decompress(data, limit)
    except zlib.error as exc:
        raise AlifeError(f"not a readable gzip file ({exc})", where=where) from None
    if unpack.unconsumed_tail:
        raise AlifeError(f"unpacks to more than {limit >> 20} MiB; expected a smaller pattern",
                         where=where)
    if not unpack.eof:
        raise AlifeError("the gzip data is truncated; expected a complete file", where=where)
    return out
