"""The ``clausewright`` command.

Each command's module is imported only when that command runs, so ``clausewright generate``
does not load what ``bulk`` or ``diff`` need, and ``clausewright --help`` loads none of them:
the list of commands is this table, with the summary ``--help`` prints for each
(``tests/test_cli_loading.py`` checks each summary against its command's own help).
"""

from __future__ import annotations

import importlib

import click

from clausewright import __version__

# command -> (module, attribute, the summary --help lists)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "affected": ("clausewright.cli.affected", "affected",
                 "List the drafts in FOLDER (searched at any depth: generated DOCX files and bulk manifests) that a clause or profile change, or an expired counsel-note review date, concerns."),
    "bulk": ("clausewright.cli.bulk", "bulk", "Generate one agreement per supplier from a spreadsheet (CSV, XLSX) or a YAML/JSON list."),
    "check": ("clausewright.cli.qa", "check", "Check the agreement DEAL would produce, without writing anything."),
    "clauses": ("clausewright.cli.catalogue", "clauses", "List and show the clauses of the library."),
    "diff": ("clausewright.cli.qa", "diff", "Compare agreements clause by clause: OLD.docx NEW.docx, or --against-library DEAL.yaml EDITED.docx."),
    "explain": ("clausewright.cli.qa", "explain", "Explain, for every clause of the library, why it is in or out of DEAL's agreement."),
    "generate": ("clausewright.cli.generate", "generate",
                 "Generate the agreement for DEAL (a YAML deal file) as a Word document, or, when DEAL lists several documents (agreement.documents), "
                 "each of them with its memo and answers file into the folder OUTPUT, with one manifest."),
    "jurisdictions": ("clausewright.cli.catalogue", "jurisdictions", "List and show jurisdiction profiles."),
    "library": ("clausewright.cli.qa", "library", "Tools for the people who maintain a clause library."),
    "resident": ("clausewright.cli.resident", "resident", "The resident process that answers commands without Python's start-up."),
    "review": ("clausewright.cli.review", "review", "Review RETURNED.docx against our draft: a redline and the changes classified."),
    "serve": ("clausewright.cli.serve", "serve",
              "Interview in the browser: questions by section, review, preview with the reasons for each clause, and the Word document to download."),
    "template": ("clausewright.cli.template", "template", "Tools for the people who maintain the house template."),
    "terms": ("clausewright.cli.qa", "terms", "The key terms of DEAL's agreement, each with the number of the clause it comes from."),
    "wizard": ("clausewright.cli.wizard", "wizard", "Draft an agreement by answering questions, section by section."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported when they are run (or their own help is asked for)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, attribute, _ = COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands, as click writes it, from the summaries in ``COMMANDS``."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, click.Command(name, help=COMMANDS[name][2]).get_short_help_str(limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clausewright")
def cli():
    """Assemble international supplier agreements that protect the buyer's IP and trade
    secrets, as Word documents, from a clause library, jurisdiction profiles and a deal file."""


def main() -> None:
    cli(prog_name="clausewright")
