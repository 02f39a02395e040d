"""``clausewright clauses render``: one clause as it reads in a deal's agreement, numbered as in the
full agreement, with references and defined terms resolved; the three positions side by side; a
clause the deal leaves out says why."""

from __future__ import annotations

import docx
from click.testing import CliRunner
from conftest import MINI, SAMPLES
from qa_helpers import mini_copy, tooling_optional

from clausewright.cli.main import cli
from clausewright.ooxml import reader

MINI_SOURCES = ["--library", str(MINI / "library"), "--jurisdictions", str(MINI / "jurisdictions")]


def _render(*args, sources=MINI_SOURCES, deal=MINI / "deal.yaml"):
    result = CliRunner().invoke(cli, ["clauses", "render", *[str(a) for a in args], "--deal", str(deal), *sources])
    return result


def test_clause_is_numbered_as_in_the_full_agreement(tmp_path):
    out = tmp_path / "full.docx"
    assert CliRunner().invoke(cli, ["generate", str(MINI / "deal.yaml"), "-o", str(out), *MINI_SOURCES]).exit_code == 0
    numbered = {p.text: p.full for p in reader.read(out.read_bytes()).paragraphs if p.label}
    result = _render("confidentiality")
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("confidentiality 0.1.0: Confidentiality (clause 2, balanced position), in the agreement for deal.yaml")
    for paragraph in ("The Supplier may disclose it to its employees who need to know it.", "use it only to perform this Agreement; and"):
        label = numbered[paragraph]  # what Word numbers it in the generated agreement: 2.2, 2.1(a)
        assert f"{label.removeprefix('2.1')} {paragraph}" in text
    # cross-references print the numbers they point to; terms print as the reader sees them
    assert "(b) disclose it only as clause 2.2 permits." in text
    assert "2.3 The obligations in clause 2.1(a) last five (5) years after termination." in text
    assert "[[" not in text and "<<" not in text
    # the definitions of the terms it uses follow it
    assert "“Confidential Information” means information disclosed by the Buyer, including Tooling drawings." in text
    assert "“Supplier”: defined in the parties block" in text


def test_all_three_positions_one_after_the_other():
    text = _render("confidentiality", "--position", "all").output
    assert text.count(" POSITION\n") == 3
    buyer, balanced, supplier = (text.index(f"{p.upper()} POSITION") for p in ("buyer", "balanced", "supplier"))
    assert buyer < balanced < supplier
    assert "2.3 The obligations in clause 2.1 last indefinitely." in text[buyer:balanced]
    assert "last indefinitely" not in text[balanced:]
    assert "(clause 2, supplier position)" in text[supplier:]


def test_all_three_positions_as_a_word_table(tmp_path):
    out = tmp_path / "confidentiality.docx"
    result = _render("confidentiality", "--position", "all", "--format", "docx", "-o", out)
    assert result.exit_code == 0, result.output
    table = docx.Document(str(out)).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["buyer position", "balanced position", "supplier position"]
    cells = [c.text for c in table.rows[1].cells]
    assert "2.3 The obligations in clause 2.1 last indefinitely." in cells[0]
    assert all("2.3 The obligations in clause 2.1(a) last five (5) years after termination." in c for c in cells[1:])
    assert all(c.startswith("2 CONFIDENTIALITY\n2.1 The Supplier shall keep") for c in cells)


def test_one_position_of_the_bundled_library():
    result = _render("audit", "--position", "buyer", sources=[], deal=SAMPLES / "vietnam-supplier.yaml")
    assert result.exit_code == 0, result.output
    assert "(clause 14, buyer position)" in result.output and "14.3 Audit rights. The Buyer may audit" in result.output


def test_a_clause_left_out_says_why(tmp_path):
    copy = mini_copy(tmp_path)
    tooling_optional(copy)
    result = _render("schedule-tooling", sources=["--library", copy.library, "--jurisdictions", copy.jurisdictions])
    assert result.exit_code == 0, result.output
    assert "schedule-tooling 0.1.0: Tooling (left out)" in result.output
    assert "condition: deal.tooling.applies  ->  false" in result.output and "deal.tooling.applies = no (default)" in result.output


def test_a_clause_without_a_topic_reads_the_same_at_every_position():
    text = _render("law", "--position", "all").output
    assert "Note: law has no negotiated topic: it reads the same at every position" in text
    assert text.count("3 GOVERNING LAW") == 1


def test_usage_errors_are_clear(tmp_path):
    assert _render("confidentiality", "--format", "docx").exit_code == 2
    unknown = _render("confidentialty")
    assert unknown.exit_code == 2 and "'confidentialty'" in unknown.output and "did you mean confidentiality?" in unknown.output
    assert "Traceback" not in unknown.output
