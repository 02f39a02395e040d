"""Exit codes of the bulk commands, and the error that stops a run before anything is written."""

from __future__ import annotations

from pathlib import Path

from clausewright.errors import EXIT_OS, ClausewrightError, FileAccessError, Problem

EXIT_OK = 0  # every row written (or, for validate and --dry-run, every row valid)
EXIT_ROWS_FAILED = 1  # some rows failed; the others were written
# 2 is a usage error (options, an unsupported file type): click exits with it itself
EXIT_PREFLIGHT = 3  # validation or another check failed and nothing was written
# 74 (EXIT_OS): the operating system refused a write (disk full, read-only, permission denied...)


class PreflightError(ClausewrightError):
    """A problem found before writing started: nothing was written."""

    exit_code = EXIT_PREFLIGHT

    def __init__(self, message: str, problems: list[Problem] | None = None):
        self.problems = list(problems or [])
        lines = [message] + [f"  - {p}" for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"  ... and {len(self.problems) - 50} more")
        super().__init__("\n".join(lines))


class RunStopped(ClausewrightError):
    """An operating-system error (a full disk, say) stopped a run part-way: what was written is
    complete, and ``--resume`` finishes the run once the cause is fixed."""

    exit_code = EXIT_OS

    def __init__(self, cause: FileAccessError, *, written: int, unchanged: int, not_written: int, manifest: Path):
        self.cause = cause
        done = f"{written} document(s) written" + (f" and {unchanged} unchanged" if unchanged else "")
        super().__init__(
            f"{cause}\nThe run stopped: {done}, each complete; {not_written} row(s) not written. "
            f"Once that is fixed, run the same command again with --resume to finish (the record is {manifest})."
        )
