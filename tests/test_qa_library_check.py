"""``clausewright library check``: passes on the bundled library, fails on broken copies."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from qa_helpers import mini_copy

from clausewright.cli.main import cli
from clausewright.qa import library_check


def _check(copy):
    return library_check.check(copy.library, copy.jurisdictions, jobs=1)


def _errors(report):
    return [f for f in report.findings if f.severity == "error"]


def test_bundled_library_passes():
    report = library_check.check()
    assert report.ok, library_check.format_text(report)
    assert report.stats["failed"] == 0
    n = report.stats["profiles"]
    assert "3 agreement types (supply, services, nnn)" in report.stats["matrix"]
    assert report.stats["combinations"] >= 2 * n * n * 3


def test_unbroken_mini_copy_has_no_errors(tmp_path):
    report = _check(mini_copy(tmp_path))
    assert _errors(report) == []
    assert report.stats["combinations"] >= 2 * 2 * 3 and report.stats["failed"] == 0


def test_undeclared_variable(tmp_path):
    copy = mini_copy(tmp_path)
    copy.append("library/clauses/confidentiality.clause", "+ Secrets last {{ deal.confidentiality.yeers }} years.\n")
    report = _check(copy)
    assert not report.ok
    found = [f for f in report.findings if f.id == "library-undeclared-parameter"]
    assert len(found) == 1 and found[0].clause == "confidentiality"
    assert "deal.confidentiality.yeers" in found[0].message and "did you mean confidentiality.years" in found[0].message
    assert found[0].source.endswith("confidentiality.clause:23")  # file and line
    # and it cannot render in any combination
    assert any(f.id == "library-render" and "every combination" in f.message for f in report.findings)


def test_undeclared_list_field(tmp_path):
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/schedule-tooling.clause", "| {{ p.name }} |", "| {{ p.nmae }} |")
    found = [f for f in _check(copy).findings if f.id == "library-undeclared-parameter"]
    assert [f.subject for f in found] == ["products[].nmae"]


def test_dangling_reference(tmp_path):
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/confidentiality.clause", "as clause <<.disclosure>> permits", "as clause <<general.notices>> permits")
    report = _check(copy)
    assert not report.ok
    found = [f for f in report.findings if f.id == "library-inconsistent"]
    assert len(found) == 1 and "ref-missing" in found[0].message and "general.notices" in found[0].message
    assert "every combination" in found[0].message  # reported once, not once per combination


def test_syntax_error(tmp_path):
    copy = mini_copy(tmp_path)
    copy.append("library/clauses/law.clause", "{% if deal.confidentiality.years > 3 %}\nLong.\n")
    report = _check(copy)
    found = [f for f in report.findings if f.id == "library-syntax"]
    assert len(found) == 1 and found[0].clause == "law" and "law.clause" in found[0].source
    assert report.stats["matrix"].startswith("skipped")


def test_problem_in_one_profile_only_is_reported_compactly(tmp_path):
    copy = mini_copy(tmp_path)
    copy.edit("jurisdictions/profiles/singapore.yaml", "penalty: {regime: liquidated_damages}", "penalty: {regime: liquidated_damages, summary: Dunlop}")
    copy.append("library/clauses/law.clause", "\nPenalties: {{ law.penalty.summary }}.\n")
    report = _check(copy)
    found = [f for f in report.findings if f.id == "library-render"]
    assert len(found) == 1 and f"6 of {report.stats['combinations']} combinations" in found[0].message
    assert "laws: vietnam" in found[0].message and "law=vietnam" in found[0].message


def test_unused_parameter_and_incomplete_profile(tmp_path):
    copy = mini_copy(tmp_path)
    copy.append("library/parameters/main.yaml", "  - {id: audit.days, type: integer, default: 5, label: Audit days}\n")
    copy.edit("jurisdictions/profiles/vietnam.yaml", "non_compete: {post_term: restricted}", "non_compete: {}")
    report = _check(copy)
    assert any(f.id == "library-unused-parameter" and f.subject == "audit.days" for f in report.findings)
    assert any(f.id == "library-profile" and "non_compete.post_term" in f.message and f.subject == "vietnam" for f in report.findings)


def test_a_review_date_after_today_is_refused(tmp_path):
    copy = mini_copy(tmp_path)
    copy.edit("jurisdictions/profiles/vietnam.yaml", "citation: Some Act, last_reviewed: 2026-11-21", "citation: Some Act, last_reviewed: 2999-01-01")
    copy.edit("jurisdictions/profiles/vietnam.yaml", "last_reviewed: 2026-11-21\n", "last_reviewed: 2999-01-02\n")
    report = _check(copy)
    messages = [f.message for f in report.findings if f.id == "library-profile" and f.subject == "vietnam"]
    assert any("note vietnam-1: last_reviewed 2999-01-01 is after today" in m for m in messages), messages
    assert any("last_reviewed 2999-01-02 is after today: a profile" in m for m in messages), messages


def test_cli_exit_status_and_json(tmp_path):
    copy = mini_copy(tmp_path)
    copy.append("library/clauses/law.clause", "{% if %}\n")
    runner = CliRunner()
    args = ["library", "check", "--library", str(copy.library), "--jurisdictions", str(copy.jurisdictions), "--jobs", "1"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1 and "library-syntax" in result.output and "Library check FAILED." in result.output
    data = json.loads(runner.invoke(cli, [*args, "--format", "json"]).output)
    assert data["ok"] is False and data["counts"]["error"] >= 1


@pytest.mark.parametrize("jobs", [2])
def test_matrix_in_parallel_matches(tmp_path, jobs):
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/confidentiality.clause", "as clause <<.disclosure>> permits", "as clause <<nowhere>> permits")
    one = [(f.id, f.message) for f in _check(copy).findings]
    many = [(f.id, f.message) for f in library_check.check(copy.library, copy.jurisdictions, jobs=jobs).findings]
    assert one == many


def test_schema_and_coverage_findings(tmp_path):
    copy = mini_copy(tmp_path)
    copy.edit("library/parameters/main.yaml", "{id: buyer.name, type: text, label: Buyer name}", "{id: buyer.name, type: text, label: Buyer name, example: Acme Ltd}")
    copy.edit("library/parameters/main.yaml", "{id: confidentiality.years, type: integer, min: 1, max: 20, default: 5, label: Years}",
              "{id: confidentiality.years, type: integer, min: 1, max: 20, default: 5, label: Years, example: 99}")
    copy.edit("library/clauses/law.clause", "order: 30\n", "order: 30\nuses: [law.governing_law, law.nonexistent]\n")
    copy.edit("library/clauses/schedule-tooling.clause", "order: 10\n", 'order: 10\nwhen: "deal.tooling.applies and deal.disputes.method == \'never\'"\n')
    copy.edit("library/clauses/definitions.clause", "means the moulds listed in <<schedule-tooling>>.", "means the moulds.")
    report = _check(copy)
    by_id = {}
    for f in report.findings:
        by_id.setdefault(f.id, []).append(f)
    assert [f.subject for f in by_id["library-example"]] == ["confidentiality.years"]  # 99 is above the maximum; Acme Ltd is fine
    assert [f.subject for f in by_id["library-uses-undeclared"]] == ["law.nonexistent"]
    assert [f.clause for f in by_id["library-never-included"]] == ["schedule-tooling"]
    assert {f.subject for f in by_id["library-definition-never-used"]} == {"Business Day"}
    assert by_id["library-profile-incomplete"] and "tooling.applies" not in {f.subject for f in by_id.get("library-unused-parameter", [])}


def test_library_that_cannot_load(tmp_path):
    copy = mini_copy(tmp_path)
    (copy.library / "library.yaml").unlink()
    report = _check(copy)
    assert [f.id for f in report.findings] == ["library-load"] and not report.ok


def test_a_floor_no_position_may_go_below(tmp_path):
    """A floor declared in a clause header is checked in every combination: here the supplier
    position limits everything to fixed years, below the declared 'indefinitely' floor."""
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/confidentiality.clause", "  supplier: Fixed years for everything.\n",
              "  supplier: Fixed years for everything.\nfloors:\n  - id: secrets-indefinitely\n"
              "    rule: The obligations last indefinitely in every position.\n    requires: 'last indefinitely'\n"
              "    when: \"included('confidentiality')\"\n")
    report = _check(copy)
    found = [f for f in report.findings if f.id == "library-floor-breached"]
    assert {f.clause for f in found} == {"confidentiality"}
    assert sorted("balanced position" in f.message or "supplier position" in f.message for f in found) == [True, True]
    assert all("secrets-indefinitely" in f.message and "every position" in f.message for f in found)
    assert not any("buyer position" in f.message for f in found)  # the buyer position meets it


def test_a_floor_with_a_bad_pattern_is_refused(tmp_path):
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/confidentiality.clause", "  supplier: Fixed years for everything.\n",
              "  supplier: Fixed years for everything.\nfloors:\n  - {id: x, rule: y, requires: '(unclosed'}\n")
    report = _check(copy)
    assert any(f.id == "library-load" and "requires is not a valid regular expression" in f.message for f in report.findings)


def test_common_law_terms_of_art_are_kept_out_of_civil_law_drafts(tmp_path):
    """library.yaml lists common-law terms of art; a clause that prints one under a civil-law
    governing law is reported."""
    copy = mini_copy(tmp_path)
    copy.append("library/library.yaml", "common_law_terms: [of the essence]\n")
    copy.edit("jurisdictions/profiles/vietnam.yaml", "short: Vietnam law}", "short: Vietnam law, system: civil}")
    copy.append("library/clauses/confidentiality.clause", "+ Time of delivery is of the essence.\n")
    found = [f for f in _check(copy).findings if f.id == "library-term-of-art"]
    assert found and all("of the essence" in f.message and f.clause == "confidentiality" for f in found)
    assert all("vietnam" in f.message.lower() for f in found)  # Singapore (common law) is not reported


def test_terms_a_profile_calls_foreign_to_its_law_are_kept_out_of_its_drafts(tmp_path):
    """A profile lists the terms of art of another system its law does not use
    (governing_law.foreign_terms: English terms under New York law); a draft under that law that
    prints one is reported, and a draft under another law is not."""
    copy = mini_copy(tmp_path)
    copy.edit("jurisdictions/profiles/singapore.yaml", "short: Singapore law}", "short: Singapore law, foreign_terms: [special damage]}")
    copy.append("library/clauses/confidentiality.clause", "+ The Buyer need not prove special damage.\n")
    found = [f for f in _check(copy).findings if f.id == "library-term-of-art"]
    assert found and all("'special damage', a term of art of another legal system, under Singapore law" in f.message for f in found)
    assert not any("vietnam" in f.message.lower() for f in found)


def test_a_note_that_calls_for_a_clause_must_say_where_it_is(tmp_path):
    copy = mini_copy(tmp_path)
    copy.append("jurisdictions/profiles/vietnam.yaml", "  - {id: vn-add, clause: confidentiality, roles: [supplier_country], "
                "text: Add a clause on customs recordation., last_reviewed: 2026-12-01}\n")
    found = [f for f in _check(copy).findings if f.id == "library-note-calls-for-clause"]
    assert [f.subject for f in found] == ["vn-add"]


def test_what_a_position_grants_is_not_taken_back(bundled_sources):
    """grants: a position's gift (the supplier keeps its process know-how) is checked against the
    whole draft; a draft that asks for the know-how itself is reported, in every pair of topic
    positions the matrix tries."""
    import re

    from clausewright import pipeline
    from clausewright.inputs.library import Grant

    raw = pipeline.read_answers(SAMPLES / "vietnam-supplier.yaml", ["positions.improvements=supplier"])
    deal = pipeline.validate_deal(raw, bundled_sources)
    composition = pipeline.assemble(deal, bundled_sources, strict=False)
    assert library_check.position_conflicts(bundled_sources.library, composition) == []
    ip = bundled_sources.library.clauses["intellectual-property"]
    kept = ip.grants
    try:
        ip.grants = [Grant("know-how", "supplier", "the supplier keeps its know-how", re.compile(r"Supplier Know-How"))]
        found = library_check.position_conflicts(bundled_sources.library, composition)
        assert found and found[0][0] == "library-position-conflict" and "know-how" in found[0][1]
    finally:
        ip.grants = kept
    from itertools import combinations

    library = bundled_sources.library
    combos = library_check.combinations(library, bundled_sources.jurisdictions)
    pairs = {tuple(k for k, _ in c.extra) for c in combos if len(c.extra) == 2}
    expected = set()
    for kind in library.types.values():  # every pair of the topics each agreement type negotiates
        topics = [f"positions.{t}" for t in library.topics(kind) if kind.asks_parameter(f"positions.{t}")]
        expected |= set(combinations(topics, 2))
    assert pairs == expected and len(expected) >= 28
