"""``clausewright wizard``: answer the questions in the terminal, get the DOCX and its answers file."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from clausewright import pipeline
from clausewright import wizard as wizards
from clausewright.cli.common import DocxPath, contents_note, print_findings, reports_errors, sources_options
from clausewright.interview.session import session_path
from clausewright.quoting import argument


@click.command()
@click.option("-o", "--output", type=DocxPath(), help="Where to write the DOCX (asked at the end if not given).")
@click.option("--answers", "answers_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Start from this deal or answers file (e.g. OUT.answers.yaml): only missing or invalid answers are asked, then every answer can be reviewed and changed.")
@click.option("--resume", is_flag=True, help="Continue the answers saved when the wizard was last cancelled or quit (use the same -o).")
@click.option("--quick", is_flag=True, help="Ask only the questions without a default; see and change every other answer at the review.")
@click.option("--force", is_flag=True, help="Replace OUTPUT and its answers file if they exist.")
@click.option("--allow", multiple=True, metavar="ID", help="Generate despite an error-level check finding with this id (as generate does). Repeatable.")
@sources_options
@reports_errors
def wizard(output, answers_file, resume, quick, force, allow, library_dir, jurisdictions_dir, template):
    """Draft an agreement by answering questions, section by section.

    Choices are picked from lists; at a text prompt, Enter keeps the answer shown in grey or
    brackets, and < alone goes back to the previous question. Each section with defaults offers
    to keep them all; --quick keeps every default without asking. Before generating, the review
    lists the sections: open one to see and change its answers. Ctrl-C cancels: nothing is
    written, and the answers so far are kept for --resume.

    Writes OUTPUT and OUTPUT's answers file (OUT.answers.yaml, a deal file):
    `clausewright generate OUT.answers.yaml -o OUT.docx` makes the same document again.
    """
    if resume and answers_file:
        raise click.UsageError("use either --answers or --resume, not both")
    sources = pipeline.load_sources(library_dir, jurisdictions_dir, template)
    given = [("--library", library_dir), ("--jurisdictions", jurisdictions_dir), ("--template", template), *(("--allow", a) for a in allow)]
    options = "".join(f" {flag} {shlex.quote(argument(str(value)))}" for flag, value in given if value)
    asker = wizards.make_asker()
    try:
        written = wizards.run(
            sources, asker, output=output, answers_file=answers_file, resume=resume, quick=quick, force=force, allow=allow, options=options
        )
    except (wizards.Cancelled, KeyboardInterrupt):
        saved = session_path(output)
        click.echo("", err=True)
        click.echo("Cancelled; no document was written.", err=True)
        if saved.exists():
            click.echo(f"Your answers so far are saved in {saved}. Continue with:\n  {_resume_command(output, options)}", err=True)
        sys.exit(wizards.Cancelled.exit_code)
    if written is None:
        click.echo(f"Stopped before generating. Your answers are saved in {session_path(output)}. Continue with:\n  {_resume_command(output, options)}")
        return
    agreement = written.result.composition.agreement
    for warning in written.result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    print_findings(written.result.findings)
    if written.result.unnumbered_contents:
        click.echo(contents_note(written.result.unnumbered_contents), err=True)
    n, k = len(agreement.body), len(agreement.schedules)
    click.echo(f"Wrote {written.docx} ({n} clause{'s' if n != 1 else ''}, {k} schedule{'s' if k != 1 else ''}) and {written.answers}")
    click.echo(f"Regenerate it with: clausewright generate {shlex.quote(argument(str(written.answers)))} -o {shlex.quote(argument(str(written.docx)))}{options}")


def _resume_command(output: Path | None, options: str) -> str:
    return "clausewright wizard --resume" + (f" -o {shlex.quote(argument(str(output)))}" if output else "") + options
