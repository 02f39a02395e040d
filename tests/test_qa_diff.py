"""``clausewright diff``: clause-by-clause comparison by clause id, including a hand-edited DOCX."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from click.testing import CliRunner
from conftest import MINI
from qa_helpers import mini_copy, tooling_optional

from clausewright import pipeline
from clausewright.cli.main import cli
from clausewright.errors import ClausewrightError
from clausewright.ooxml.reader import read_clauses
from clausewright.qa import diff as document_diff


def _edit_docx(data: bytes, old: str, new: str) -> bytes:
    """What a lawyer's edit does to the package: the text of a run changes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "word/document.xml":
                text = blob.decode("utf-8")
                assert text.count(old) == 1, old
                blob = text.replace(old, new).encode("utf-8")
            dst.writestr(info, blob)
    return out.getvalue()


@pytest.fixture(scope="module")
def generated(mini_sources):
    return pipeline.generate(MINI / "deal.yaml", None, sources=mini_sources).docx


def test_provenance_records_where_each_clause_starts(generated):
    doc = read_clauses(generated)
    assert list(doc.clauses) == ["parties", "definitions", "confidentiality", "law", "schedule-tooling"]
    assert doc.clauses["confidentiality"].title == "Confidentiality"
    assert doc.clauses["parties"].paragraphs[0] == "Parties"
    # the signature block is not part of the last article
    assert not any("Signed for and on behalf" in p for p in doc.clauses["law"].paragraphs)
    assert all(k in doc.properties for k in ("clausewright.bookmark.parties", "clausewright.bookmark.schedule-tooling"))


def test_a_clause_edited_by_hand(generated):
    edited = _edit_docx(generated, "may disclose it to its employees", "may disclose it only to those employees")
    diffs = {d.clause: d for d in document_diff.compare(read_clauses(generated), read_clauses(edited))}
    conf = diffs["confidentiality"]
    assert conf.status == "changed"
    assert [(c.op, c.old, c.new) for c in conf.changes] == [("insert", "", "only"), ("replace", "its", "those")]
    assert "may disclose it {+only+} to [-its-] {+those+} employees who need to know it." in conf.inline
    assert {d.status for cid, d in diffs.items() if cid != "confidentiality"} == {"unchanged"}


def test_identical_documents(generated):
    assert {d.status for d in document_diff.compare(read_clauses(generated), read_clauses(generated))} == {"unchanged"}


def test_added_removed_and_renumbered_clauses(tmp_path):
    copy = mini_copy(tmp_path)
    tooling_optional(copy)
    sources = copy.sources()
    without = pipeline.generate(copy.deal, None, sources=sources, allow=["ref-excluded"]).docx
    with_tooling = pipeline.generate(copy.deal, None, sources=sources, overrides=["tooling.applies=yes", "confidentiality.years=7"]).docx
    diffs = {d.clause: d for d in document_diff.compare(read_clauses(without), read_clauses(with_tooling))}
    assert diffs["schedule-tooling"].status == "added"
    assert diffs["confidentiality"].status == "changed" and any(c.new.startswith("seven") for c in diffs["confidentiality"].changes)
    back = {d.clause: d for d in document_diff.compare(read_clauses(with_tooling), read_clauses(without))}
    assert back["schedule-tooling"].status == "removed"


def test_cross_reference_numbers_are_compared_by_target(tmp_path):
    copy = mini_copy(tmp_path)
    sources = copy.sources()
    before = pipeline.generate(copy.deal, None, sources=sources).docx
    # a new article before Confidentiality renumbers it and the references into it
    (copy.library / "clauses" / "scope.clause").write_text("---\nid: scope\ntitle: Scope\nversion: 0.1.0\npart: body\norder: 15\n---\n+ The [[Supplier]] makes the products.\n", encoding="utf-8")
    after = pipeline.generate(copy.deal, None, sources=copy.sources()).docx
    diffs = {d.clause: d for d in document_diff.compare(read_clauses(before), read_clauses(after))}
    assert diffs["scope"].status == "added"
    assert diffs["confidentiality"].status == "renumbered"  # "clause 2.2" became "clause 3.2": same target
    assert diffs["definitions"].status == "unchanged"


def test_cli_text_json_and_against_library(generated, tmp_path):
    old, new = tmp_path / "old.docx", tmp_path / "new.docx"
    old.write_bytes(generated)
    new.write_bytes(_edit_docx(generated, "Headings do not affect interpretation.", "Headings do not affect the interpretation of this Agreement."))
    runner = CliRunner()
    text = runner.invoke(cli, ["diff", str(old), str(new)])
    assert text.exit_code == 0, text.output
    assert "CHANGED definitions: Definitions and interpretation" in text.output and "do not affect {+the+} interpretation {+of this Agreement+}." in text.output
    assert "0 added, 0 removed, 1 changed, 0 renumbered, 4 unchanged" in text.output
    data = json.loads(runner.invoke(cli, ["diff", str(old), str(new), "--format", "json"]).output)
    assert data["summary"] == {"unchanged": 4, "changed": 1}
    assert runner.invoke(cli, ["diff", str(old), str(new), "--exit-code"]).exit_code == 1
    mini = ["--library", str(MINI / "library"), "--jurisdictions", str(MINI / "jurisdictions")]
    against = runner.invoke(cli, ["diff", "--against-library", str(MINI / "deal.yaml"), str(new), *mini])
    assert against.exit_code == 0 and "CHANGED definitions" in against.output
    clean = runner.invoke(cli, ["diff", "--against-library", str(MINI / "deal.yaml"), str(old), *mini, "--set", "confidentiality.years=7"])
    assert "made from a different set of answers" in clean.output and "CHANGED confidentiality" in clean.output


def test_not_a_generated_document(tmp_path):
    from docx import Document

    path = tmp_path / "plain.docx"
    Document().save(str(path))
    with pytest.raises(ClausewrightError, match="no clausewright provenance"):
        read_clauses(path.read_bytes(), name="plain.docx")
