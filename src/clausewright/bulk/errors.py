"""Exit codes of the bulk commands, and the error that stops a run before anything is written."""

from __future__ import annotations

from clausewright.errors import ClausewrightError, Problem

EXIT_OK = 0  # every row written (or, for validate and --dry-run, every row valid)
EXIT_ROWS_FAILED = 1  # some rows failed; the others were written
# 2 is a usage error (options, an unsupported file type): click exits with it itself
EXIT_PREFLIGHT = 3  # validation or another check failed and nothing was written


class PreflightError(ClausewrightError):
    """A problem found before writing started: nothing was written."""

    exit_code = EXIT_PREFLIGHT

    def __init__(self, message: str, problems: list[Problem] | None = None):
        self.problems = list(problems or [])
        lines = [message] + [f"  - {p}" for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"  ... and {len(self.problems) - 50} more")
        super().__init__("\n".join(lines))
