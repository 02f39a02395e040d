"""``clausewright generate``: one agreement from a deal file."""

from __future__ import annotations

from pathlib import Path

import click

from clausewright import pipeline
from clausewright.cli.common import reports_errors, sources_options


@click.command()
@click.argument("deal", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Where to write the DOCX.")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a deal value; dotted keys reach nested fields (buyer.name=...). Repeatable.")
@click.option("--no-comments", is_flag=True, help="Leave local counsel notes out of the document.")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@sources_options
@reports_errors
def generate(deal, output, overrides, no_comments, force, library_dir, jurisdictions_dir, template):
    """Generate the agreement for DEAL (a YAML deal file) as a Word document."""
    sources = pipeline.load_sources(library_dir, jurisdictions_dir, template)
    result = pipeline.generate(deal, output, overrides=overrides, sources=sources, comments=not no_comments, force=force)
    agreement = result.composition.agreement
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if agreement.pruned_definitions:
        click.echo(f"Note: {len(agreement.pruned_definitions)} unused definition(s) left out: {', '.join(agreement.pruned_definitions)}", err=True)
    n, k = len(agreement.body), len(agreement.schedules)
    click.echo(f"Wrote {output} ({n} clause{'s' if n != 1 else ''}, {k} schedule{'s' if k != 1 else ''})")
