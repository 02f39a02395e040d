"""Writing files safely: a temporary file beside the target, flushed to disk, then renamed, so a
crash never leaves a half-written file; the umask decides the permissions. An error of the
operating system (disk full, read-only folder, permission denied...) is a ``FileAccessError``
naming the file, and leaves no temporary file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from clausewright.errors import ClausewrightError, FileAccessError

NAME_MAX = 255  # bytes in one file name on the common file systems
TEMP_EXTRA = len(".") + len(".") + 8 + len(".tmp")  # what mkstemp adds around a temporary file's prefix


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write to a temporary file beside ``path``, then rename: never a half-written file. A link
    at ``path`` is replaced, never followed."""
    path = Path(path)
    if path.exists() and not force:
        raise ClausewrightError(f"{path} already exists; use --force to replace it")
    if path.is_dir():
        raise ClausewrightError(f"{path} is a folder")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ClausewrightError(f"folder {parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{temp_prefix(path.name)}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise FileAccessError(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            set_mode(fh.fileno(), tmp)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise FileAccessError(exc, path) from None
        raise


def temp_prefix(name: str) -> str:
    """``name``, cut (by UTF-8 bytes) so that a temporary file named after it fits in a file name."""
    room = NAME_MAX - TEMP_EXTRA
    encoded = name.encode("utf-8")
    return name if len(encoded) <= room else encoded[:room].decode("utf-8", errors="ignore")


def set_mode(fd: int, path: str) -> None:
    """Give a file just created (by ``mkstemp``, which makes it 0o600) the permissions the umask
    allows, through its descriptor where the platform can (so no link can be slipped in)."""
    mode = 0o666 & ~umask()
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:
        os.chmod(path, mode)


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
