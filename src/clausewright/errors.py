"""The errors clausewright reports to its users.

Every error a user can cause (a bad deal value, a broken clause, a template without a style)
is a ``ClausewrightError``: the command line prints its message and exits non-zero, with no
traceback. Anything else is a bug.

Each kind of failure has one exit status, the same in every command (the table is in the README):
an error class says which by its ``exit_code``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

EXIT_FAILED = 1  # the command ran and refused or failed: error-level findings, a file that exists, rows that failed
EXIT_USAGE = 2  # how the command was called: an option, an argument, an unsupported file type
EXIT_INPUT = 3  # the deal, answers or supplier list is invalid (or cannot be read as one); nothing was written
EXIT_LIBRARY = 4  # the clause library, a jurisdiction profile or the house template is broken


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
