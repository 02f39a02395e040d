"""Exit codes of the bulk commands, and the error that stops a run before anything is written.

The codes are the ones every command uses (``clausewright.errors``): 1 some rows failed and the
others were written, or the run would overwrite files; 2 a usage error; 3 the input is invalid
(columns, rows, supplier ids, file names) and nothing was written; 74 the operating system
refused a write (disk full, read-only, permission denied) and the run stopped part-way.
"""

from __future__ import annotations

from pathlib import Path

from clausewright.errors import EXIT_FAILED, EXIT_INPUT, EXIT_OS, ClausewrightError, FileAccessError, Problem

EXIT_OK = 0  # every row written (or, for validate and --dry-run, every row valid)
EXIT_ROWS_FAILED = EXIT_FAILED  # some rows failed; the others were written
EXIT_PREFLIGHT = EXIT_INPUT  # validation or another check of the input failed and nothing was written


SHOWN = 50  # problems listed in the message of a refused run


class PreflightError(ClausewrightError):
    """A problem found before writing started: nothing was written."""

    exit_code = EXIT_PREFLIGHT

    def __init__(self, message: str, problems: list[Problem] | None = None, more: list[str] | None = None):
        self.problems = list(problems or [])
        super().__init__("\n".join([message, *_listed(self.problems), *(more or [])]))


class OverwriteRefused(PreflightError):
    """Files the run would write exist already (and neither --force nor --resume allows it):
    refused, as ``generate`` refuses an existing output. The rows that failed their check are
    listed too, so that they can be fixed before the next run."""

    exit_code = EXIT_FAILED

    def __init__(self, conflicts: list[Problem], hint: str, row_problems: list[Problem]):
        more = []
        if row_problems:
            more = [f"{len({p.row for p in row_problems})} row(s) also have problems, and would not be written in any case:", *_listed(row_problems)]
        super().__init__(f"{len(conflicts)} output file(s) would be overwritten ({hint}); nothing was written:", conflicts, more)


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


def _listed(problems: list[Problem]) -> list[str]:
    lines = [f"  - {p}" for p in problems[:SHOWN]]
    if len(problems) > SHOWN:
        lines.append(f"  ... and {len(problems) - SHOWN} more")
    return lines
