"""Writing files safely: a temporary file beside the target, flushed to disk, then renamed, so a
crash never leaves a half-written file; the umask decides the permissions."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from clausewright.errors import ClausewrightError


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write to a temporary file beside ``path``, then rename: never a half-written file."""
    path = Path(path)
    if path.exists() and not force:
        raise ClausewrightError(f"{path} already exists; use --force to replace it")
    if path.is_dir():
        raise ClausewrightError(f"{path} is a folder")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ClausewrightError(f"folder {parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
