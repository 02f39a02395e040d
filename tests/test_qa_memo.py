"""``generate --memo``: the drafting memo for the reviewing lawyer."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import MINI, SAMPLES
from docx import Document
from qa_helpers import mini_copy

from clausewright.cli.main import cli

MINI_ARGS = ["--library", str(MINI / "library"), "--jurisdictions", str(MINI / "jurisdictions")]


def _text(path):
    doc = Document(str(path))
    paragraphs = [p.text for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return paragraphs, cells


def test_memo_sections(tmp_path):
    out, memo = tmp_path / "a.docx", tmp_path / "memo.docx"
    result = CliRunner().invoke(cli, ["generate", str(MINI / "deal.yaml"), "-o", str(out), "--memo", str(memo), *MINI_ARGS])
    assert result.exit_code == 0, result.output
    assert out.exists() and memo.exists() and f"Wrote {memo} (drafting memo)" in result.output
    paragraphs, cells = _text(memo)
    for heading in ("Drafting memo", "Parties", "Choices made", "Jurisdiction notes", "Items to verify", "Checks"):
        assert heading in paragraphs
    text = "\n".join(paragraphs)
    assert "Buyer: Smith & Jones <UK> Ltd" in text and "Supplier: Công ty TNHH" in text
    assert "Governing law: Singapore" in text and "seat Singapore" in text
    assert "[Vietnam, clause 2] A note for Vietnam & co <b>." in text and "(verify)" in text
    assert "definition-unused" in text
    # the topic is named by its question's label in the library's own schema (here "Override")
    assert "Override (clause 2)" in cells and "balanced (overall position)" in cells


def test_memo_lists_rule_findings(tmp_path):
    sample = SAMPLES / "vietnam-supplier.yaml"
    if not sample.exists():
        pytest.skip("the bundled sample is not there")
    memo = tmp_path / "memo.docx"
    result = CliRunner().invoke(cli, ["generate", str(sample), "-o", str(tmp_path / "a.docx"), "--memo", str(memo), "--set", "disputes.seat=taipei"])
    assert result.exit_code == 0, result.output
    text = "\n".join(_text(memo)[0])
    assert "seat-not-new-york-convention" in text and "Source: seats.yaml taipei.new_york_convention" in text


def test_memo_is_not_written_over_or_onto_the_agreement(tmp_path):
    out, memo = tmp_path / "a.docx", tmp_path / "memo.docx"
    memo.write_bytes(b"keep")
    runner = CliRunner()
    refused = runner.invoke(cli, ["generate", str(MINI / "deal.yaml"), "-o", str(out), "--memo", str(memo), *MINI_ARGS])
    assert refused.exit_code == 1 and "already exists" in refused.output
    assert memo.read_bytes() == b"keep" and not out.exists()  # nothing half-written
    same = runner.invoke(cli, ["generate", str(MINI / "deal.yaml"), "-o", str(out), "--memo", str(out), *MINI_ARGS])
    assert same.exit_code == 1 and "cannot be the same file" in same.output


def test_no_memo_when_generation_is_refused(tmp_path):
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/confidentiality.clause", "who need to know it.", "who need to know it under the [[Policy]].")
    memo = tmp_path / "memo.docx"
    result = CliRunner().invoke(cli, ["generate", str(copy.deal), "-o", str(tmp_path / "a.docx"), "--memo", str(memo),
                                      "--library", str(copy.library), "--jurisdictions", str(copy.jurisdictions)])
    assert result.exit_code == 1 and "term-undefined" in result.output and not memo.exists()


@pytest.mark.parametrize("overall", ["balanced", "supplier"])
def test_the_memo_says_what_the_overall_position_does_in_clauses_without_a_topic(tmp_path, overall):
    """Title and set-off follow the overall position without a negotiated topic of their own: the
    memo's table of choices says what each does at the position set (their 'overall:' notes)."""
    out, memo = tmp_path / "a.docx", tmp_path / "memo.docx"
    result = CliRunner().invoke(cli, ["generate", str(SAMPLES / "vietnam-supplier.yaml"), "-o", str(out), "--memo", str(memo),
                                      "--no-page-numbers", "--set", f"positions.overall={overall}"])
    assert result.exit_code == 0, result.output
    _, cells = _text(memo)
    assert any(c.startswith("Delivery, title and risk (clause") for c in cells) and f"{overall} (overall position)" in cells
    if overall == "supplier":
        assert any(c.startswith("The Supplier keeps title until the Products are paid for (the Buyer may use and resell them meanwhile)") for c in cells)
        assert any(c.startswith("The Buyer may set off only amounts that are undisputed or finally decided") for c in cells)
    else:
        assert any(c.startswith("Title passes on delivery or payment, whichever is earlier, and any retention of title is excluded") for c in cells)


def test_library_check_asks_a_clause_that_follows_the_overall_position_to_say_how(tmp_path):
    from qa_helpers import mini_copy as copy_of

    from clausewright.qa import library_check

    copy = copy_of(tmp_path)
    copy.append("library/clauses/confidentiality.clause", "{% if deal.positions.overall == 'supplier' %}\n+ The Supplier may also tell its auditors.\n{% endif %}\n")
    report = library_check.check(copy.library, copy.jurisdictions, jobs=1)
    found = [f for f in report.findings if f.id == "library-overall-unsaid"]
    assert found == [] or all(f.clause == "confidentiality" for f in found)  # the mini clause has a topic of its own
    copy.append("library/clauses/law.clause", "{% if deal.positions.overall == 'supplier' %}\n+ Each Party bears its own costs.\n{% endif %}\n")
    report = library_check.check(copy.library, copy.jurisdictions, jobs=1)
    assert [f.clause for f in report.findings if f.id == "library-overall-unsaid"] == ["law"]
