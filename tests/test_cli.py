"""The command line: help, version, catalogue commands, and running as a module."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from clausewright import __version__
from clausewright.cli.main import cli


def _commands(group, prefix=()):
    """Every command and subcommand, as click lists them (the top level loads its commands lazily)."""
    import click

    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        yield (*prefix, name)
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))


COMMANDS = list(_commands(cli))


def test_the_commands_are_all_listed():
    assert {"generate", "wizard", "serve", "bulk", "review", "library", "template"} <= {p[0] for p in COMMANDS}
    assert ("bulk", "run") in COMMANDS and ("library", "check") in COMMANDS


@pytest.mark.parametrize("path", COMMANDS)
def test_every_command_has_help(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output and len(result.output.splitlines()) > 3


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_jurisdictions_list_and_show():
    result = CliRunner().invoke(cli, ["jurisdictions", "list"])
    assert result.exit_code == 0
    for pid in ("vietnam", "singapore", "hong-kong", "china", "england-wales", "new-york", "germany", "india", "thailand", "mexico", "japan", "south-korea"):
        assert pid in result.output
    shown = CliRunner().invoke(cli, ["jurisdictions", "show", "vietnam"])
    assert shown.exit_code == 0 and "capped_penalty" in shown.output
    missing = CliRunner().invoke(cli, ["jurisdictions", "show", "atlantis"])
    assert missing.exit_code == 2 and "no jurisdiction 'atlantis'" in missing.stderr


def test_clauses_list_and_show():
    from conftest import MINI

    result = CliRunner().invoke(cli, ["clauses", "list", "--library", str(MINI / "library")])
    assert result.exit_code == 0 and "confidentiality" in result.output and "position: confidentiality_duration" in result.output
    shown = CliRunner().invoke(cli, ["clauses", "show", "confidentiality", "--library", str(MINI / "library")])
    assert shown.exit_code == 0 and "balanced: Fixed years" in shown.output and "+ {#obligation}" in shown.output
    missing = CliRunner().invoke(cli, ["clauses", "show", "nope", "--library", str(MINI / "library")])
    assert missing.exit_code == 2 and "no clause 'nope'" in missing.stderr


def test_runs_as_a_module():
    out = subprocess.run([sys.executable, "-m", "clausewright", "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and __version__ in out.stdout


def test_output_names_must_be_docx(tmp_path):
    """-o out.pdf, out.doc or out would write a DOCX under a misleading name: refused, with the
    way to a PDF."""
    from conftest import SAMPLES as samples

    for name in ("out.pdf", "out.doc", "out"):
        result = CliRunner().invoke(cli, ["generate", str(samples / "vietnam-supplier.yaml"), "-o", str(tmp_path / name)])
        assert result.exit_code == 2 and "does not end in .docx" in result.output, name
        assert not (tmp_path / name).exists()
    pdf = CliRunner().invoke(cli, ["generate", str(samples / "vietnam-supplier.yaml"), "-o", str(tmp_path / "x.pdf")])
    assert "soffice --headless --convert-to pdf" in pdf.output
    memo = CliRunner().invoke(cli, ["generate", str(samples / "vietnam-supplier.yaml"), "-o", str(tmp_path / "a.docx"), "--memo", str(tmp_path / "m.txt")])
    assert memo.exit_code == 2 and not (tmp_path / "a.docx").exists()


def test_a_word_document_given_as_the_deal_is_named_as_such(tmp_path):
    from conftest import SAMPLES as samples

    agreement = tmp_path / "a.docx"
    assert CliRunner().invoke(cli, ["generate", str(samples / "vietnam-supplier.yaml"), "-o", str(agreement)]).exit_code == 0
    result = CliRunner().invoke(cli, ["check", str(agreement)])
    assert result.exit_code != 0 and "Word document" in result.output and "answers.yaml" in result.output and "Traceback" not in result.output


def test_whole_numbers_accept_thousands_separators():
    from clausewright.inputs.schema import Parameter
    from clausewright.inputs.types import TYPES, Invalid

    integer = TYPES["integer"]
    param = Parameter(id="x", type=integer, label="X")
    assert integer.convert("10,000", param) == 10000
    assert integer.convert("1,234,567", param) == 1234567
    with pytest.raises(Invalid):
        integer.convert("10,00", param)
