"""One bulk run at a time in an output folder.

A run holds an exclusive lock on ``.clausewright.lock`` in ``--out`` while it writes; a second run
into the same folder is refused at once, naming the process that holds it. The lock is the
operating system's (``flock`` on POSIX, ``msvcrt.locking`` on Windows), held through an open
file: it ends when the run's processes end, however they end, so a run killed outright never
leaves a lock that blocks ``--resume``. The file is removed when the run finishes; one left by a
killed run is simply locked again by the next.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

from clausewright.bulk.errors import PreflightError
from clausewright.errors import FileAccessError

LOCK = ".clausewright.lock"
_BUSY = {errno.EAGAIN, errno.EACCES, getattr(errno, "EWOULDBLOCK", errno.EAGAIN), getattr(errno, "EDEADLK", errno.EAGAIN)}
_UNSUPPORTED = {errno.ENOLCK, errno.EOPNOTSUPP, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP), errno.ENOSYS, errno.EINVAL}


class OutputInUse(PreflightError):
    """Another run is writing to the same folder: nothing was written."""


class RunLock:
    """The lock of one output folder (a context manager); the folder must exist."""

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self.path = self.out_dir / LOCK
        self._fd: int | None = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def acquire(self) -> None:
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        while True:
            try:
                fd = os.open(self.path, flags, 0o666)
            except OSError as exc:
                raise FileAccessError(exc, self.path) from None
            if not self._lock(fd):
                holder = _holder(fd)
                os.close(fd)
                who = f" (process {holder})" if holder else ""
                raise OutputInUse(f"another bulk run{who} is writing to {self.out_dir}; wait for it to finish, or choose another --out; nothing was written")
            if _same_file(fd, self.path):  # not a file the run before us removed as we opened it
                break
            os.close(fd)
        self._fd = fd
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:  # the process id is only for the message of a second run
            pass

    def release(self) -> None:
        if self._fd is None:
            return
        if sys.platform == "win32":  # an open file cannot be removed there
            os.close(self._fd)
        try:
            os.unlink(self.path)
        except OSError:
            pass
        if sys.platform != "win32":
            os.close(self._fd)  # removed while locked, so no other run can lock the old file
        self._fd = None

    @staticmethod
    def _lock(fd: int) -> bool:
        """Take the lock without waiting; False when another process holds it."""
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in _BUSY:
                return False
            if exc.errno in _UNSUPPORTED:  # a file system without locks: run unguarded, as before
                return True
            raise FileAccessError(exc, LOCK) from None
        return True


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode("ascii", errors="ignore").strip() if hasattr(os, "pread") else ""
    except OSError:
        return ""


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path, follow_symlinks=False))
    except OSError:
        return False
