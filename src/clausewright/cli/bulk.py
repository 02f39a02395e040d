"""``clausewright bulk template | validate | run``: one agreement per supplier row.

Exit codes (the table in the README): 0 everything written (validate: every row valid); 1 some
rows failed and the others were written, or files would be overwritten; 2 a usage error; 3 the
input is invalid and nothing was written (another run holding --out included); 4 the library, a
profile or the template is broken; 74 the operating system refused a write (disk full,
read-only, permission denied...): what was written is complete, --resume finishes the run; 130
interrupted.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from clausewright import pipeline
from clausewright.bulk import spreadsheet
from clausewright.bulk.errors import EXIT_OK, PreflightError
from clausewright.bulk.layout import DEFAULT_ENTRIES, Layout
from clausewright.bulk.manifest import ERRORS, MANIFEST, WARNINGS
from clausewright.bulk.naming import DEFAULT_PATTERN
from clausewright.bulk.progress import Progress
from clausewright.bulk.runner import Options, Report, Runner
from clausewright.cli.common import contents_note, reports_errors, sources_options
from clausewright.errors import ClausewrightError
from clausewright.ooxml import layout

SHOWN = 20  # problems listed on stderr after a run (all of them are in errors.csv)

suppliers_argument = click.argument("suppliers", type=click.Path(exists=True, dir_okay=False, path_type=Path))
defaults_option = click.option(
    "--defaults", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="A deal file with the values shared by every row; a row's cells override them."
)
name_option = click.option(
    "--name", "pattern", default=DEFAULT_PATTERN, show_default=True,
    help="File name pattern: {supplier_id}, {row} or any parameter id, with |slug, |upper or |lower.",
)
jobs_option = click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: one per core).")
progress_option = click.option("--no-progress", is_flag=True, help="No progress bar or progress lines.")


def nothing_written(func):
    """An error of no particular kind before anything is written exits with 3, as invalid input
    (errors of a kind keep their own code)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ClausewrightError as exc:
            if type(exc).exit_code == ClausewrightError.exit_code and not isinstance(exc, PreflightError):
                raise PreflightError(str(exc)) from None
            raise

    return wrapper


@click.group()
def bulk():
    """Generate one agreement per supplier from a spreadsheet (CSV, XLSX) or a YAML/JSON list."""


@bulk.command("template")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="suppliers.xlsx (with a help sheet) or suppliers.csv.")
@click.option("--entries", type=click.IntRange(min=1, max=100), default=DEFAULT_ENTRIES, show_default=True, help="Numbered column groups for each list (e.g. products).")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@click.option("--type", "type_id", metavar="TYPE", help="The type of agreement the rows draft (agreement.type): only its columns. Default: the library's default type.")
@sources_options
@reports_errors
def template(output, entries, force, type_id, library_dir, jurisdictions_dir, template):
    """Write a ready-to-fill input: one column per parameter that varies by supplier, for one type of agreement."""
    sources = pipeline.load_sources(library_dir, jurisdictions_dir, template)
    kind = pipeline.agreement_type(sources, type_id)
    columns = spreadsheet.write(output, Layout(sources.schema), kind, entries=entries, force=force)
    extra = " and a help sheet" if output.suffix.lower() == ".xlsx" else ""
    click.echo(f"Wrote {output} ({len(columns)} columns of the {kind.title}{extra})")


@bulk.command("validate")
@suppliers_argument
@defaults_option
@name_option
@jobs_option
@click.option("--allow", "allow", multiple=True, metavar="ID", help="Accept an error-level check finding by its id (see docs/qa.md). Repeatable.")
@progress_option
@sources_options
@reports_errors
@nothing_written
def validate(suppliers, defaults, pattern, jobs, allow, no_progress, library_dir, jurisdictions_dir, template):
    """Check every row as a real run would (validation and assembly); write nothing.

    Every problem is listed, by row, column and message. Exit 0 when all rows are valid, else 3."""
    sources = pipeline.load_sources(library_dir, jurisdictions_dir, template)
    options = Options(suppliers, defaults, None, jobs or 0, pattern, allow=tuple(allow), library_dir=library_dir, jurisdictions_dir=jurisdictions_dir, template=template)
    runner = Runner(options, sources, Progress(enabled=not no_progress))
    _reading(runner)
    report = runner.validate("assemble")
    _problems(report, limit=None)
    _notices(report)
    bad = len({p.row for p, _ in report.problems})
    if report.exit_code == EXIT_OK:
        click.echo(f"All {report.rows} rows of {suppliers} are valid.")
    else:
        click.echo(f"{bad} of {report.rows} rows have problems; nothing was written.", err=True)
    sys.exit(report.exit_code)


@bulk.command("run")
@suppliers_argument
@defaults_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder for the documents, manifest.jsonl and errors.csv.")
@jobs_option
@name_option
@click.option("--resume", is_flag=True, help="Skip rows whose document exists and whose inputs are unchanged (per the manifest).")
@click.option("--force", is_flag=True, help="Replace existing documents.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first failing row (a bad row found while checking: write nothing).")
@click.option("--dry-run", is_flag=True, help="Check everything, build each document in memory, write nothing.")
@click.option("--no-comments", is_flag=True, help="Leave local counsel notes out of the documents.")
@click.option("--allow", "allow", multiple=True, metavar="ID", help="Accept an error-level check finding by its id (see docs/qa.md). Repeatable.")
@click.option("--page-numbers", is_flag=True, help="Lay each document out with LibreOffice to put page numbers in its contents (about 2.5 s per document); off by default.")
@click.option("--pdf", is_flag=True, help="Also write each agreement's PDF beside its DOCX, made by LibreOffice kept running for the run (one per --jobs worker).")
@click.option("--pdf-a", "pdf_a", is_flag=True, help="Write each PDF as PDF/A-2b, the archival PDF (implies --pdf).")
@progress_option
@click.option("--progress-every", type=click.IntRange(min=1), default=100, show_default=True, help="Rows between progress lines when not on a terminal.")
@sources_options
@reports_errors
@nothing_written
def run(suppliers, defaults, out_dir, jobs, pattern, resume, force, fail_fast, dry_run, no_comments, allow, page_numbers, pdf, pdf_a, no_progress, progress_every,
        library_dir, jurisdictions_dir, template):
    """Generate one agreement per row of SUPPLIERS into --out."""
    pdf = pdf or pdf_a
    sources = pipeline.load_sources(library_dir, jurisdictions_dir, template)
    if page_numbers and layout.soffice() is None:
        click.echo(contents_note(layout.NOT_INSTALLED), err=True)
    options = Options(
        suppliers, defaults, out_dir, jobs or 0, pattern, resume=resume, force=force, fail_fast=fail_fast, dry_run=dry_run,
        comments=not no_comments, allow=tuple(allow), page_numbers=page_numbers, pdf=pdf, pdf_a=pdf_a, library_dir=library_dir, jurisdictions_dir=jurisdictions_dir, template=template,
    )
    runner = Runner(options, sources, Progress(enabled=not no_progress, every=progress_every))
    _reading(runner)
    try:
        report = runner.run()
    except KeyboardInterrupt:
        click.echo(f"Interrupted. Documents already written are complete; run again with --resume to finish ({out_dir / MANIFEST}).", err=True)
        sys.exit(130)
    if dry_run:
        _problems(report, limit=None)
        what = " and their PDFs" if pdf else ""
        click.echo(f"Dry run: would write {len(report.planned)} document(s){what} to {out_dir}" + (f", {report.unchanged} unchanged" if report.unchanged else "") + "; nothing was written.")
        for names in report.planned[:10]:
            click.echo("  " + "  ".join(names))
        if len(report.planned) > 10:
            click.echo(f"  ... and {len(report.planned) - 10} more")
        sys.exit(report.exit_code)
    _problems(report, limit=SHOWN)
    rate = f" in {report.seconds:.1f} s" if report.seconds else ""
    click.echo(
        f"Wrote {report.written} of {report.rows} document(s) to {out_dir}{rate}"
        + (f"; {report.unchanged} unchanged" if report.unchanged else "")
        + (f"; {report.failed} failed (see {out_dir / ERRORS})" if report.failed else "")
        + (f"; {report.warning_count} warning(s) in {report.warning_rows} row(s) (see {out_dir / WARNINGS})" if report.warning_count else "")
        + (f"; {report.not_run} not run (--fail-fast)" if report.not_run else "")
        + "."
    )
    sys.exit(report.exit_code)


def _reading(runner: Runner) -> None:
    """Say which sheet of a workbook is read (the others are not)."""
    where = runner.input.describe()
    if where:
        click.echo(f"Reading {where}.", err=True)


def _problems(report: Report, *, limit: int | None) -> None:
    """What concerns the run as a whole, then each row's problems (up to ``limit``) and the hint."""
    for notice in report.run_notices:
        click.echo(notice, err=True)
    shown = report.problems if limit is None else report.problems[:limit]
    for problem, supplier in shown:
        who = f" ({printable(supplier)})" if supplier else ""
        row = f"row {problem.row}{who}: " if problem.row is not None else ""
        message = problem.message.replace("\n", "\n    ")
        click.echo(f"  {row}{problem.field}: {message}", err=True)
    if limit is not None and len(report.problems) > limit:
        click.echo(f"  ... and {len(report.problems) - limit} more problem(s) in {ERRORS}", err=True)
    if report.hint:
        click.echo(report.hint, err=True)


def _notices(report, limit: int | None = None) -> None:
    """Each row's warnings (and notes), as ``generate`` prints them for one agreement."""
    shown = [n for n in report.notices if n[2]["severity"] != "info"]
    for row, supplier, notice in shown[:limit] if limit else shown:
        where = f"row {row}" + (f" ({printable(supplier)})" if supplier else "")
        clause = f"[{notice['clause']}] " if notice.get("clause") else ""
        click.echo(f"  {where}: warning {notice['id']}: {clause}{notice['message']}", err=True)
    if shown:
        click.echo(f"{len(shown)} warning(s) in {len({r for r, _, _ in shown})} row(s).", err=True)


def printable(text: str) -> str:
    """A supplier id as the terminal should show it: control and formatting characters (a line
    break, an escape sequence, a right-to-left override) written as escapes, not obeyed."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)
