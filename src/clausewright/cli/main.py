"""The ``clausewright`` command."""

from __future__ import annotations

import click

from clausewright import __version__
from clausewright.cli.affected import affected
from clausewright.cli.bulk import bulk
from clausewright.cli.catalogue import clauses, jurisdictions
from clausewright.cli.generate import generate
from clausewright.cli.qa import check, diff, explain, library, terms
from clausewright.cli.review import review
from clausewright.cli.serve import serve
from clausewright.cli.template import template
from clausewright.cli.wizard import wizard


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clausewright")
def cli():
    """Assemble international supplier agreements that protect the buyer's IP and trade
    secrets, as Word documents, from a clause library, jurisdiction profiles and a deal file."""


cli.add_command(generate)
cli.add_command(wizard)
cli.add_command(serve)
cli.add_command(clauses)
cli.add_command(jurisdictions)
cli.add_command(bulk)
cli.add_command(check)
cli.add_command(explain)
cli.add_command(terms)
cli.add_command(library)
cli.add_command(diff)
cli.add_command(review)
cli.add_command(affected)
cli.add_command(template)


def main() -> None:
    cli(prog_name="clausewright")
