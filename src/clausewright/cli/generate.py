"""``clausewright generate``: one agreement from a deal file."""

from __future__ import annotations

from pathlib import Path

import click

from clausewright import pipeline, wizard
from clausewright.cli.common import DocxPath, reports_errors, sources_options
from clausewright.cli.qa import print_findings


@click.command()
@click.argument("deal", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=DocxPath(), required=True, help="Where to write the DOCX.")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a deal value; dotted keys reach nested fields (buyer.name=...). Repeatable.")
@click.option("--no-comments", is_flag=True, help="Leave local counsel notes out of the document.")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@click.option("--ask-missing", is_flag=True, help="On a terminal, ask for missing or invalid answers and save the completed ones beside OUTPUT (OUT.answers.yaml). Without a terminal, nothing is asked.")
@click.option("--allow", multiple=True, metavar="ID", help="Generate despite an error-level check finding with this id (see docs/qa.md). Repeatable.")
@click.option("--memo", type=DocxPath(), help="Also write a drafting memo (DOCX) for the reviewing lawyer.")
@sources_options
@reports_errors
def generate(deal, output, overrides, no_comments, force, ask_missing, allow, memo, library_dir, jurisdictions_dir, template):
    """Generate the agreement for DEAL (a YAML deal file) as a Word document."""
    sources = pipeline.load_sources(library_dir, jurisdictions_dir, template)
    if ask_missing:
        deal, overrides = wizard.ask_missing(deal, overrides, output, sources, force=force)
    result = pipeline.generate(deal, output, overrides=overrides, sources=sources, comments=not no_comments, force=force, allow=allow, memo=memo)
    agreement = result.composition.agreement
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    print_findings(result.findings)
    if agreement.pruned_definitions:
        click.echo(f"Note: {len(agreement.pruned_definitions)} unused definition(s) left out: {', '.join(agreement.pruned_definitions)}", err=True)
    n, k = len(agreement.body), len(agreement.schedules)
    click.echo(f"Wrote {output} ({n} clause{'s' if n != 1 else ''}, {k} schedule{'s' if k != 1 else ''})")
    if memo:
        click.echo(f"Wrote {memo} (drafting memo)")
