"""A cache on disk of what is slow to work out again and depends only on some text: the parsed
YAML of library and profile files, and the compiled code of clause fragments and expressions.

Each entry is found by a hash of what it was made from, the tool's version and Python's (so an
edited file, another clausewright or another Python never finds an old entry), and holds plain
data in ``marshal``'s format behind a checksum. The cache can only save time, never change a
result: an entry that is missing, unreadable, cut short or altered is ignored and made again, and
a folder that cannot be written (read-only, full, not a folder) only means nothing is kept.
Entries are written to a temporary file and renamed into place, so runs at the same time never
see half an entry. The folder may be deleted at any time.

Where: ``$CLAUSEWRIGHT_CACHE_DIR`` if set, else the platform's cache folder
(``$XDG_CACHE_HOME/clausewright``, by default ``~/.cache/clausewright``; ``~/Library/Caches/clausewright``
on macOS; ``%LOCALAPPDATA%\\clausewright\\Cache`` on Windows). ``CLAUSEWRIGHT_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from clausewright import __version__

DIR_VARIABLE = "CLAUSEWRIGHT_CACHE_DIR"
OFF_VARIABLE = "CLAUSEWRIGHT_NO_CACHE"
_MAGIC = b"clausewright-cache 1\n"
_CHECKSUM = 32  # bytes of SHA-256 between the magic line and the data


def folder() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    if os.environ.get(OFF_VARIABLE, "").strip() not in ("", "0"):
        return None
    chosen = os.environ.get(DIR_VARIABLE)
    if chosen:
        return Path(chosen)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "clausewright" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "clausewright"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "clausewright"


class Store:
    """One kind of entry (``kind`` names its subfolder). Besides the key text, entries depend on
    ``salt`` (the version of the package that makes them) and on the source of ``code``, the
    modules whose code makes them: a change to that code, even without a new version, is a
    different key."""

    def __init__(self, kind: str, salt: str, code: tuple[str | Path, ...] = ()):
        self.kind = kind
        self._salt = f"{kind}\0{salt}\0clausewright {__version__}\0python {sys.implementation.cache_tag} marshal {marshal.version}\0".encode()
        self._code = code
        self._digest: Any = None

    def key(self, *parts: str | bytes) -> str:
        if self._digest is None:
            self._digest = hashlib.sha256(self._salt)
            for path in self._code:
                try:
                    self._digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
                except OSError:  # no source to read (a frozen build): the version alone
                    pass
        digest = self._digest.copy()
        for part in parts:
            data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path | None:
        base = folder()
        return None if base is None else base / self.kind / key

    def get(self, key: str) -> Any | None:
        """The value stored under ``key``, or None (not there, unreadable or damaged)."""
        path = self._path(key)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except (OSError, ValueError):
            return None
        head, body = data[: len(_MAGIC) + _CHECKSUM], data[len(_MAGIC) + _CHECKSUM :]
        if head != _MAGIC + hashlib.sha256(body).digest():
            return None
        try:
            return marshal.loads(body)
        except (EOFError, ValueError, TypeError):
            return None

    def put(self, key: str, value: Any) -> None:
        """Keep ``value`` (plain data or code) under ``key``, if it can be kept; never raises."""
        path = self._path(key)
        if path is None:
            return
        try:
            body = marshal.dumps(value)
        except ValueError:  # something marshal cannot hold (an object of another type)
            return
        temporary = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(prefix=f".{key[:16]}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(_MAGIC + hashlib.sha256(body).digest() + body)
            os.replace(temporary, path)
            temporary = None
        except OSError:
            pass
        finally:
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
