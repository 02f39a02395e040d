"""The errors clausewright reports to its users.

Every error a user can cause (a bad deal value, a broken clause, a template without a style)
is a ``ClausewrightError``: the command line prints its message and exits non-zero, with no
traceback. So is an operating-system error (``FileAccessError``: disk full, a read-only folder,
permission denied...), which exits with ``EXIT_OS``. Anything else is a bug.

Each kind of failure has one exit status, the same in every command (the table is in the README):
an error class says which by its ``exit_code``.
"""

from __future__ import annotations

import difflib
import errno
from collections.abc import Iterable
from dataclasses import dataclass

EXIT_FAILED = 1  # the command ran and refused or failed: error-level findings, a file that exists, rows that failed
EXIT_USAGE = 2  # how the command was called: an option, an argument, an unsupported file type
EXIT_INPUT = 3  # the deal, answers or supplier list is invalid (or cannot be read as one); nothing was written
EXIT_LIBRARY = 4  # the clause library, a jurisdiction profile or the house template is broken
EXIT_OS = 74  # sysexits' EX_IOERR: the operating system refused to read or write a file


class ClausewrightError(Exception):
    """An error the user can act on; ``str()`` is the whole message."""

    exit_code = EXIT_FAILED


class UsageError(ClausewrightError):
    """The command was called wrongly: a value of an option or argument it cannot use."""

    exit_code = EXIT_USAGE


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input value."""

    field: str
    message: str
    row: int | None = None
    given_by: str | None = None  # what gave the value, when not the file: "--set agreement.date=2026-02-30"

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        return f"{where}{self.given_by or self.field}: {self.message}"


class InputError(ClausewrightError):
    """The deal (or a bulk row) is invalid. Carries every problem found, not just the first.

    ``outcome`` ends the first line; a command that writes nothing anyway (``check``) gives None."""

    exit_code = EXIT_INPUT

    def __init__(self, problems: list[Problem], source: str | None = None, *, outcome: str | None = "nothing was written"):
        self.problems = list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        count = len(self.problems)
        tail = f"; {outcome}:" if outcome else ":"
        lines = [f"{head}{count} problem{'s' if count != 1 else ''} in the deal{tail}"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class LibraryError(ClausewrightError):
    """A clause, parameter declaration, profile or catalogue entry is broken."""

    exit_code = EXIT_LIBRARY

    def __init__(self, where: str, message: str):
        self.where = where
        self.detail = message
        super().__init__(f"{where}: {message}")


class TemplateError(ClausewrightError):
    """The master DOCX template is unusable."""

    exit_code = EXIT_LIBRARY


def nearest(word: str, candidates: Iterable[str], *, count: int = 3, cutoff: float = 0.6) -> list[str]:
    """The candidates closest to a mistyped word, best first (for "did you mean ...?")."""
    return difflib.get_close_matches(word, list(candidates), n=count, cutoff=cutoff)


# What an operating-system error means for the user, and what to do about it, by errno.
_FULL = ("the disk is full", "free some space, or choose a folder on another disk")
_DENIED = ("permission denied, or the file is open in another program", "close the file if it is open (in Word, say), check the permissions of the file and its folder, or choose another folder")
_CAUSES_BY_NAME: dict[str, tuple[str, str]] = {
    "ENOSPC": _FULL,
    "EDQUOT": ("the disk quota is used up", "free some space, or choose a folder on another disk"),
    "EFBIG": ("the file is larger than this process may write", "raise the file size limit (ulimit -f), or choose another folder"),
    "EROFS": ("the folder is on a read-only file system", "choose a writable folder"),
    "EACCES": _DENIED,
    "EPERM": _DENIED,
    "EBUSY": ("the file is in use by another program", "close it (in Word, say) and try again"),
    "ETXTBSY": ("the file is in use by another program", "close it and try again"),
    "ENAMETOOLONG": ("the name or the path is too long", "choose a shorter name, or a folder nearer the top of the disk"),
    "ENOENT": ("the folder does not exist (or was removed)", "create it, or choose another folder"),
    "ENOTDIR": ("part of the path is a file, not a folder", "choose another path"),
    "EISDIR": ("it is a folder", "choose a file name"),
    "ELOOP": ("it is a symbolic link, which clausewright does not follow here", "remove the link"),
    "EIO": ("the disk reported an input/output error", "check the disk, or choose another folder"),
    "EMFILE": ("too many files are open", "close other programs, or raise the limit (ulimit -n)"),
    "ENFILE": ("too many files are open on this system", "close other programs and try again"),
}
_OS_CAUSES = {getattr(errno, name): cause for name, cause in _CAUSES_BY_NAME.items() if hasattr(errno, name)}  # not every platform has every code
_WINDOWS_IN_USE = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: open in another program


class FileAccessError(ClausewrightError):
    """The operating system refused to read or write a file (disk full, read-only folder,
    permission denied, a file open in another program, a name too long): not a bug, and not the
    input's fault. The message says what failed, on which path, why and what to do."""

    exit_code = EXIT_OS

    def __init__(self, error: OSError, path: object = None, action: str | None = "write"):
        self.error = error
        self.action = action
        self.errno = error.errno
        self.path = path if path is not None else error.filename
        self.cause, self.advice = os_cause(error)
        where = " ".join(str(part) for part in (f"cannot {action}" if action else None, self.path) if part is not None)
        super().__init__(f"{where}: {self.cause}; {self.advice}." if where else f"{self.cause}; {self.advice}.")

    def __reduce__(self):  # travels from a worker process intact
        return type(self), (self.error, self.path, self.action)


def os_cause(error: OSError) -> tuple[str, str]:
    """(what went wrong, what to do) for an operating-system error, in the user's terms."""
    if getattr(error, "winerror", None) in _WINDOWS_IN_USE:
        return "the file is open in another program", "close it (in Word, say) and try again"
    if error.errno in _OS_CAUSES:
        return _OS_CAUSES[error.errno]
    return (error.strerror or str(error)).lower(), "check the file and its folder, then try again"
