"""``clausewright template check``: does a house template keep the contract (docs/library-format.md)?"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from clausewright.cli.common import reports_errors
from clausewright.ooxml import template as house_template


@click.group("template")
def template():
    """Tools for the people who maintain the house template."""


@template.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@reports_errors
def template_check(file):
    """Check a house template (DOCX): its required styles, its tags and its clause numbering.

    Lists every problem at once, by the style names Word shows; exits 1 when there is any."""
    problems = house_template.check(file)
    if not problems:
        click.echo(f"{file} keeps the house template contract.")
        return
    click.echo(f"{file}: {len(problems)} problem{'s' if len(problems) != 1 else ''} with the house template contract (docs/library-format.md):")
    for problem in problems:
        click.echo(f"  - {problem}")
    sys.exit(1)
