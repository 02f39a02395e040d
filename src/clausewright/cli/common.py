"""Options and error handling shared by every command."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from clausewright import findings as finding_list
from clausewright.errors import ClausewrightError, FileAccessError

EXIT_BUG = 70  # sysexits' EX_SOFTWARE: an internal error

library_option = click.option(
    "--library", "library_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Clause library folder (default: the bundled library)."
)
jurisdictions_option = click.option(
    "--jurisdictions", "jurisdictions_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Jurisdictions folder (default: the bundled profiles)."
)
template_option = click.option(
    "--template", "template", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="House-style master DOCX (default: the bundled template)."
)


def sources_options(func):
    for option in (template_option, jurisdictions_option, library_option):
        func = option(func)
    return func


def reports_errors(func):
    """Print a ClausewrightError as one message and exit with its code; never a traceback. An
    operating-system error that reached this far is reported like a ``FileAccessError`` (exit
    ``EXIT_OS``); only anything else is an internal error (exit 70, a bug)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ClausewrightError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except OSError as exc:  # disk full, permission denied...: the operating system, not a bug
            error = FileAccessError(exc, action=None)
            click.echo(f"Error: {error}", err=True)
            sys.exit(error.exit_code)
        except Exception as exc:  # a bug: say so plainly
            if os.environ.get("CLAUSEWRIGHT_DEBUG"):
                raise
            click.echo(f"Error: internal error ({type(exc).__name__}: {exc}). Set CLAUSEWRIGHT_DEBUG=1 for details.", err=True)
            sys.exit(EXIT_BUG)

    return wrapper


class DocxPath(click.Path):
    """A path for a Word document to write: it must end in .docx (a PDF is made from the DOCX)."""

    name = "docx"

    def __init__(self) -> None:
        super().__init__(dir_okay=False, path_type=Path)

    def convert(self, value, param, ctx):
        path = super().convert(value, param, ctx)
        problem = not_docx(path)
        if problem:
            self.fail(problem, param, ctx)
        return path


def not_docx(path: Path) -> str | None:
    """Why ``path`` cannot be a Word document to write (None: it ends in .docx)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".docx":
        return None
    hint = " For a PDF, write the DOCX and convert it: soffice --headless --convert-to pdf FILE.docx" if suffix == ".pdf" else ""
    return f"{str(path)!r} does not end in .docx; clausewright writes Word documents (.docx).{hint}"


def contents_note(reason: str) -> str:
    """The line that says a contents was left without page numbers, and why."""
    return f"Note: contents without page numbers ({reason}); Word numbers it when it updates fields on opening."


def print_findings(findings: list[finding_list.Finding], *, min_severity: str = "warning") -> None:
    """Warnings (and allowed errors) of a generated agreement, on standard error."""
    for f in finding_list.sort(findings):
        if finding_list.at_least(f.severity, min_severity):
            label = "Allowed error" if f.allowed else f.severity.capitalize()
            click.echo(f"{label}: {f.line()}", err=True)
