"""Versions that mean something: versions.lock and library check, diff's "same version, different
text", clause versions in the bulk manifest, and ``clausewright affected`` over a folder of
generated drafts and bulk manifests."""

from __future__ import annotations

import json

import docx
from bulk_helpers import GOOD, write_csv, write_defaults
from click.testing import CliRunner
from conftest import ROOT
from qa_helpers import mini_copy

from clausewright.cli.main import cli
from clausewright.inputs import versions
from clausewright.inputs.library import load_library
from clausewright.qa import library_check, library_versions

NEW_WORDS = ("may disclose it to its employees who need to know it.", "may disclose it only to its employees who need to know it.")


def _invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _sources(copy):
    return ["--library", copy.library, "--jurisdictions", copy.jurisdictions]


def _version_findings(copy, *, update=False):
    report = library_check.check(copy.library, copy.jurisdictions, jobs=1, update_versions=update)
    return [(f.id, f.clause) for f in report.findings if f.id.startswith("library-version")], report


def _generate(copy, out):
    result = _invoke("generate", copy.deal, "-o", out, "--force", *_sources(copy))
    assert result.exit_code == 0, result.output
    return out


def test_bundled_library_records_every_clause_version():
    library = load_library(ROOT / "clause_library")
    assert library_versions.check(library, versions.load(library.directory)) == []


def test_text_changed_without_a_version_bump_is_an_error_until_bumped_and_recorded(tmp_path):
    copy = mini_copy(tmp_path)
    found, report = _version_findings(copy, update=True)
    assert found == [] and len(report.stats["recorded"]) == 5
    lock = (copy.library / "versions.lock").read_text(encoding="utf-8")
    assert "confidentiality:\n  0.1.0: " in lock
    copy.edit("library/clauses/confidentiality.clause", *NEW_WORDS)
    found, report = _version_findings(copy)
    assert found == [("library-version-not-bumped", "confidentiality")] and not report.ok
    message = next(f.message for f in report.findings if f.id == "library-version-not-bumped")
    assert "the text changed but the version is still 0.1.0" in message and "--update-versions" in message
    # recording cannot hide it: a recorded version keeps its hash
    found, report = _version_findings(copy, update=True)
    assert found == [("library-version-not-bumped", "confidentiality")] and report.stats["recorded"] == []
    copy.edit("library/clauses/confidentiality.clause", "version: 0.1.0", "version: 0.2.0")
    found, _ = _version_findings(copy)
    assert found == [("library-version-unrecorded", "confidentiality")]  # a note, until recorded
    result = _invoke("library", "check", "--update-versions", "--jobs", "1", *_sources(copy))
    assert "recorded 1 clause version(s): confidentiality 0.2.0" in result.output and "library-version" not in result.output
    lock = versions.load(copy.library)
    assert set(lock.history("confidentiality")) == {"0.1.0", "0.2.0"}


def test_a_check_that_finds_errors_records_no_version(tmp_path):
    """--update-versions records nothing while the check fails, so the clause fixed afterwards
    keeps the version it was given (no second bump for a text that was never right)."""
    copy = mini_copy(tmp_path)
    _version_findings(copy, update=True)
    copy.edit("library/clauses/confidentiality.clause", "version: 0.1.0", "version: 0.2.0")
    copy.edit("library/clauses/confidentiality.clause", *NEW_WORDS)
    copy.edit("library/clauses/confidentiality.clause", "only as clause <<.disclosure>> permits", "only as clause <<.disclosur>> permits")
    result = _invoke("library", "check", "--update-versions", "--jobs", "1", *_sources(copy))
    assert result.exit_code != 0 and "nothing recorded, since the check found errors" in result.output
    assert set(versions.load(copy.library).history("confidentiality")) == {"0.1.0"}
    copy.edit("library/clauses/confidentiality.clause", "<<.disclosur>>", "<<.disclosure>>")
    result = _invoke("library", "check", "--update-versions", "--jobs", "1", *_sources(copy))
    assert "recorded 1 clause version(s): confidentiality 0.2.0" in result.output and "Errors" not in result.output
    assert versions.load(copy.library).recorded("confidentiality", "0.2.0") == load_library(copy.library).clauses["confidentiality"].sha256


def test_a_version_bumped_with_unchanged_text_is_fine(tmp_path):
    copy = mini_copy(tmp_path)
    _version_findings(copy, update=True)
    copy.edit("library/clauses/law.clause", "version: 0.1.0", "version: 0.1.1")
    found, report = _version_findings(copy)
    assert found == [("library-version-unrecorded", "law")]
    assert all(f.severity == "info" for f in report.findings if f.id.startswith("library-version"))


def test_a_library_without_versions_lock_is_told_how_to_start_one(tmp_path):
    copy = mini_copy(tmp_path)
    report = library_check.check(copy.library, copy.jurisdictions, jobs=1)
    found = [f for f in report.findings if f.id == "library-versions-untracked"]
    assert len(found) == 1 and found[0].severity == "info" and "--update-versions" in found[0].message


def test_diff_says_same_version_different_text(tmp_path):
    copy = mini_copy(tmp_path)
    old = _generate(copy, tmp_path / "old.docx")
    copy.edit("library/clauses/confidentiality.clause", *NEW_WORDS)
    new = _generate(copy, tmp_path / "new.docx")
    text = _invoke("diff", old, new).output
    assert "CHANGED confidentiality: Confidentiality (same version 0.1.0, different text in the library)" in text
    data = json.loads(_invoke("diff", old, new, "--format", "json").output)
    flagged = {c["clause"] for c in data["clauses"] if c["library_text_changed"]}
    assert flagged == {"confidentiality"}
    copy.edit("library/clauses/confidentiality.clause", "version: 0.1.0", "version: 0.2.0")
    bumped = _generate(copy, tmp_path / "bumped.docx")
    assert "CHANGED confidentiality: Confidentiality (version 0.1.0 -> 0.2.0)" in _invoke("diff", old, bumped).output


def _bulk(copy, folder, out):
    suppliers = write_csv(folder / "suppliers.csv", GOOD[:2])
    result = _invoke("bulk", "run", suppliers, "--defaults", write_defaults(folder), "--out", out, "--jobs", "1", "--no-progress", *_sources(copy))
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def test_bulk_manifest_records_clause_versions(tmp_path):
    copy = mini_copy(tmp_path)
    entries = _bulk(copy, tmp_path, tmp_path / "out")
    clauses = entries[0]["clauses"]
    assert set(clauses) == {"parties", "definitions", "confidentiality", "law", "schedule-tooling"}
    assert clauses["confidentiality"].startswith("0.1.0 sha256:") and clauses["confidentiality"].endswith("position:balanced")


def test_affected_lists_the_drafts_a_change_concerns(tmp_path):
    copy = mini_copy(tmp_path)
    drafts = tmp_path / "drafts"
    (drafts / "2026" / "q4").mkdir(parents=True)
    _generate(copy, drafts / "old.docx")
    copy.edit("library/clauses/confidentiality.clause", "version: 0.1.0", "version: 0.2.0")
    copy.edit("library/clauses/confidentiality.clause", *NEW_WORDS)
    _generate(copy, drafts / "2026" / "q4" / "new.docx")
    entries = _bulk(copy, tmp_path, drafts / "bulk")
    (drafts / "bulk" / entries[1]["output"]).unlink()  # moved away: only its manifest line is left
    docx.Document().save(str(drafts / "letter.docx"))  # not made by clausewright
    supplier = "Công ty TNHH Cơ khí Chính xác \"Sao Mai\""

    result = _invoke("affected", drafts, "--clause", "confidentiality", "--before-version", "0.2.0")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"old.docx\t{supplier}\tclause confidentiality 0.1.0"
    assert "skipped letter.docx: not made by clausewright (no provenance)" in result.output
    assert result.output.rstrip().endswith("1 draft affected by clause confidentiality before version 0.2.0 (of 4 scanned)")

    every = _invoke("affected", drafts, "--clause", "confidentiality").output.splitlines()
    assert every[0].startswith(f"2026/q4/new.docx\t{supplier}\tclause confidentiality 0.2.0")
    assert every[1].startswith("bulk/S-001-alpha-precision-co.docx\tAlpha Precision Co (S-001)\tclause confidentiality 0.2.0")
    assert every[2].startswith("bulk/S-002-beta-sao-mai-ltd.docx (not found; as its bulk manifest records it)\tS-002\tclause confidentiality 0.2.0")
    assert every[-1].startswith("4 drafts affected")

    profile = json.loads(_invoke("affected", drafts, "--profile", "vietnam", "--format", "json").output)
    assert profile["count"] == 3  # the Singapore supplier's row is not
    assert profile["affected"][0]["found"] == "profile supplier_country vietnam 0.1.0"

    stale = _invoke("affected", drafts, "--review-date-before", "2026-12-01").output.splitlines()
    assert stale[0] == f"2026/q4/new.docx\t{supplier}\tcounsel note singapore/singapore-1 reviewed 2026-11-21; vietnam/vietnam-1 reviewed 2026-11-21"
    assert stale[-1].startswith("3 drafts affected by counsel notes last reviewed before 2026-12-01")
    assert _invoke("affected", drafts, "--review-date-before", "2026-11-21").output.splitlines()[-1].startswith("0 drafts affected")


def test_affected_needs_one_criterion(tmp_path):
    for args in ([], ["--clause", "x", "--profile", "y"], ["--review-date-before", "2026-01-01", "--before-version", "1.0"]):
        result = _invoke("affected", tmp_path, *args)
        assert result.exit_code == 2 and "Traceback" not in result.output
    assert "is not a version number" in _invoke("affected", tmp_path, "--clause", "x", "--before-version", "one").output
