"""The errors clausewright reports to its users.

Every error a user can cause (a bad deal value, a broken clause, a template without a style)
is a ``ClausewrightError``: the command line prints its message and exits non-zero, with no
traceback. Anything else is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass


class ClausewrightError(Exception):
    """An error the user can act on; ``str()`` is the whole message."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input value."""

    field: str
    message: str
    row: int | None = None

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        return f"{where}{self.field}: {self.message}"


class InputError(ClausewrightError):
    """The deal (or a bulk row) is invalid. Carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem], source: str | None = None):
        self.problems = list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        count = len(self.problems)
        lines = [f"{head}{count} problem{'s' if count != 1 else ''} in the deal; nothing was written:"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class LibraryError(ClausewrightError):
    """A clause, parameter declaration, profile or catalogue entry is broken."""

    def __init__(self, where: str, message: str):
        self.where = where
        self.detail = message
        super().__init__(f"{where}: {message}")


class TemplateError(ClausewrightError):
    """The master DOCX template is unusable."""
