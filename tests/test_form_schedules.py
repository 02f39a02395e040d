"""A schedule that is a form completed later (``form: true``, the Statement of Work form) is not
counted among the placeholders to fill before signature; blanks elsewhere still are."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT, SAMPLES

from clausewright import pipeline
from clausewright.errors import LibraryError
from clausewright.inputs.library import load_library


def _placeholder_findings(sources, sample: str, *overrides: str):
    raw = pipeline.read_answers(SAMPLES / sample, list(overrides))
    deal = pipeline.validate_deal(raw, sources)
    _, findings = pipeline.assemble_checked(deal, sources, answers=raw)
    return {f.clause: f.message for f in findings if f.id.startswith("placeholder")}


def test_the_statement_of_work_form_is_not_a_placeholder_to_fill_before_signature(bundled_sources):
    assert bundled_sources.library.clauses["schedule-sow"].form
    found = _placeholder_findings(bundled_sources, "india-software-services.yaml")
    assert "schedule-sow" not in found
    final = _placeholder_findings(bundled_sources, "india-software-services.yaml", "agreement.draft=false")
    assert "schedule-sow" not in final  # nor left in a document marked final: the form is used later


def test_blanks_outside_a_form_are_still_counted(bundled_sources):
    """The tooling register's blank row and the process agent a courts draft does not name are
    still reported."""
    assert not bundled_sources.library.clauses["schedule-tooling"].form
    assert "schedule-tooling" in _placeholder_findings(bundled_sources, "buyer-favourable.yaml")
    assert "agent for service" in _placeholder_findings(bundled_sources, "supplier-favourable.yaml").get("dispute-resolution", "")


def test_form_must_be_true_or_false(tmp_path):
    library = tmp_path / "library"
    shutil.copytree(ROOT / "clause_library", library)
    clause = library / "clauses" / "schedule-sow.clause"
    clause.write_text(clause.read_text(encoding="utf-8").replace("form: true", "form: yes please"), encoding="utf-8")
    with pytest.raises(LibraryError, match="form: 'yes please' must be true or false"):
        load_library(library)
