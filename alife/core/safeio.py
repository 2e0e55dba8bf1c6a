"""Reading untrusted files with bounded time and memory: plain files, `.npz` archives, images.

Every input route (scene YAML, patterns, `.npz` sidecars, images) reads through here, so a hostile
path or file ends in one `AlifeError` instead of a hang, a traceback or an exhausted machine:

- `read_regular(path, max_bytes)`: opens without blocking (a FIFO with no writer would block a
  plain `open`), refuses anything but a regular file (FIFOs, devices such as /dev/zero, sockets,
  folders) and files over `max_bytes`, and never reads more than `max_bytes`.
- `read_npz(path, max_bytes)`: an `.npz` read member by member from the zip's central directory:
  the declared unpacked sizes, and each `.npy` header's shape and dtype, are checked against
  `max_bytes` before anything is inflated (a zip bomb is refused, not unpacked); object arrays
  (pickles) are refused; truncated or corrupt archives (bad CRC, short data) are AlifeErrors.
- `open_image(path, max_pixels)`: Pillow's lazy open, then the header's width x height is checked
  before any pixel is decoded (Pillow's own decompression-bomb limit is enforced as an error too).
"""

from __future__ import annotations

import io
import math
import os
import stat
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from alife.core.errors import AlifeError

#: default cap on an `.npz` (on disk and unpacked) when the caller does not know a tighter one
MAX_NPZ_BYTES = 1 << 30
#: members an `.npz` may hold (a pytree of parameters has tens to hundreds)
MAX_NPZ_MEMBERS = 10_000
#: default cap on an image's pixel count (8192 x 8192)
MAX_IMAGE_PIXELS = 1 << 26
#: default cap on an image file's size on disk
MAX_IMAGE_BYTES = 256 << 20
_CHUNK = 1 << 20


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "folder"), (stat.S_ISFIFO, "FIFO (named pipe)"),
                       (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"),
                       (stat.S_ISSOCK, "socket")):
        if test(mode):
            return name
    return "special file"


def _reason(exc: BaseException, limit: int = 120) -> str:
    """A library's exception as a short phrase on one line (some quote raw file bytes)."""
    text = " ".join(f"{exc}".split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _size(n: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def read_regular(path: str | Path, max_bytes: int, what: str = "file") -> bytes:
    """The bytes of regular file `path`, at most `max_bytes` of them; AlifeError otherwise."""
    where = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise AlifeError(f"file not found; expected {what}", where=where) from None
    except IsADirectoryError:
        raise AlifeError(f"is a folder; expected {what}", where=where) from None
    except OSError as exc:
        raise AlifeError(f"cannot open it ({exc.strerror or exc}); expected {what}",
                         where=where) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise AlifeError(f"is a {_kind(info.st_mode)}, not a regular file; expected {what}",
                             where=where)
        if info.st_size > max_bytes:
            raise AlifeError(f"is {_size(info.st_size)}; expected {what} of at most "
                             f"{_size(max_bytes)}", where=where)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(_CHUNK, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:  # it grew while we read
                raise AlifeError(f"is over {_size(max_bytes)}; expected {what} of at most "
                                 f"{_size(max_bytes)}", where=where)
        return b"".join(chunks)
    except OSError as exc:
        raise AlifeError(f"cannot read it ({exc.strerror or exc})", where=where) from None
    finally:
        os.close(fd)


# ---- .npz ------------------------------------------------------------------------------------

def read_text(path: str | Path, max_bytes: int, what: str = "file") -> str:
    """`read_regular`, decoded as UTF-8 (a leading byte-order mark dropped); AlifeError naming
    the first bad byte otherwise."""
    data = read_regular(path, max_bytes, what)
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise AlifeError(f"not UTF-8 text (byte {exc.start}); expected {what}",
                         where=str(path)) from None

def _npy_header(member: Any) -> tuple[tuple[int, ...], np.dtype]:
    version = np.lib.format.read_magic(member)
    if version == (1, 0):
        shape, _, dtype = np.lib.format.read_array_header_1_0(member)
    elif version in ((2, 0), (3, 0)):
        shape, _, dtype = np.lib.format.read_array_header_2_0(member)
    else:
        raise ValueError(f"unsupported .npy version {version}")
    return tuple(int(n) for n in shape), np.dtype(dtype)


def read_npz(path: str | Path, max_bytes: int = MAX_NPZ_BYTES) -> dict[str, np.ndarray]:
    """All arrays of an `.npz` whose unpacked size is at most `max_bytes` (no pickles)."""
    where = str(path)
    data = read_regular(path, max_bytes, "an .npz archive")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise AlifeError(f"not a readable .npz archive ({_reason(exc)}); expected a file "
                         "written by numpy.savez or alife", where=where) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_NPZ_MEMBERS:
            raise AlifeError(f"holds {len(members):,} members; expected at most "
                             f"{MAX_NPZ_MEMBERS:,}", where=where)
        declared = sum(m.file_size for m in members)
        if declared > max_bytes:
            raise AlifeError(f"unpacks to {_size(declared)}; expected at most {_size(max_bytes)}",
                             where=where)
        out: dict[str, np.ndarray] = {}
        for member in members:
            if member.is_dir():
                continue
            name = member.filename.removesuffix(".npy")
            try:
                with archive.open(member) as f:
                    shape, dtype = _npy_header(f)
                    if dtype.hasobject:
                        raise AlifeError(f"member {name[:80]!r} holds Python objects (a pickle); "
                                         "expected plain numeric arrays", where=where)
                    nbytes = math.prod(shape) * dtype.itemsize
                    if nbytes > member.file_size:
                        raise AlifeError(f"member {name[:80]!r} declares {_size(nbytes)} of "
                                         f"data in {_size(member.file_size)}; the archive is "
                                         "corrupt",
                                         where=where)
                with archive.open(member) as f:
                    out[name] = np.lib.format.read_array(f, allow_pickle=False)
            except AlifeError:
                raise
            except Exception as exc:  # noqa: BLE001 - numpy's header parser raises many kinds
                # (ValueError, SyntaxError, tokenize.TokenError, zlib.error, ...): all mean corrupt
                raise AlifeError(f"member {name[:80]!r} is unreadable ({_reason(exc)}); the "
                                 "archive is truncated or corrupt", where=where) from None
        return out


# ---- images ----------------------------------------------------------------------------------
def open_image(path: str | Path, max_pixels: int = MAX_IMAGE_PIXELS,
               max_bytes: int = MAX_IMAGE_BYTES) -> Any:
    """A decoded `PIL.Image` (fully loaded, file closed) of at most `max_pixels` pixels."""
    import warnings

    from PIL import Image

    where = str(path)
    data = read_regular(path, max_bytes, "an image (PNG or JPEG)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise AlifeError(f"is {width} x {height} = {width * height:,} pixels; expected "
                                 f"at most {max_pixels:,}", where=where)
            image.load()
            return image
    except AlifeError:
        raise
    except MemoryError:
        raise AlifeError("too large to decode; expected a smaller image", where=where) from None
    except Exception as exc:  # Pillow raises many kinds (OSError, SyntaxError, struct.error, ...)
        raise AlifeError(f"not a readable image ({type(exc).__name__}: {_reason(exc)}); "
                         "expected a PNG or JPEG file", where=where) from None
