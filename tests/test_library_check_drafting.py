"""``library check`` on how a library is drafted and declared: defined terms written without their
markup, ``uses:`` lists that do not match what a clause reads, and parameters that vary by
supplier but are not columns of the bulk spreadsheet. Each case changes a copy of the miniature
library."""

from __future__ import annotations

from click.testing import CliRunner
from qa_helpers import mini_copy

from clausewright.cli.main import cli
from clausewright.qa import library_check

LAW_USES = "uses: [law.governing_law, disputes.method, disputes.institution, disputes.seat]\n"


def _report(copy):
    return library_check.check(copy.library, copy.jurisdictions, jobs=1)


def _found(report, finding_id):
    return [f for f in report.findings if f.id == finding_id]


def test_a_defined_term_written_as_plain_text_is_reported_by_library_check(tmp_path):
    copy = mini_copy(tmp_path)
    copy.append("library/clauses/confidentiality.clause", "+ The Supplier shall return all [[Tooling]] drawings.\n")
    report = _report(copy)
    found = _found(report, "library-term-not-marked-up")
    assert [(f.clause, f.severity) for f in found] == [("confidentiality", "warning")]  # once, not once per combination
    assert "“Supplier”" in found[0].message and "write [[Supplier]]" in found[0].message and "every combination" in found[0].message
    assert not report.ok
    # the same finding generate's drafting QA gives for a draft
    result = CliRunner().invoke(cli, ["check", str(copy.deal), "--library", str(copy.library), "--jurisdictions", str(copy.jurisdictions)])
    assert "term-not-marked-up" in result.output and "“Supplier”" in result.output
    # marked up, it passes
    copy.edit("library/clauses/confidentiality.clause", "+ The Supplier shall return", "+ The [[Supplier]] shall return")
    assert _found(_report(copy), "library-term-not-marked-up") == []


def test_uses_list_is_checked_against_what_the_clause_reads(tmp_path):
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/law.clause", "order: 30\n", "order: 30\n" + LAW_USES.replace("disputes.seat]", "confidentiality.years]"))
    report = _report(copy)
    unread = _found(report, "library-uses-unread")
    incomplete = [f for f in _found(report, "library-uses-incomplete") if f.clause == "law"]
    assert [(f.clause, f.subject) for f in unread] == [("law", "confidentiality.years")]
    assert [f.subject for f in incomplete] == ["disputes.seat"]  # read as seat.name, through the seat the deal chose
    assert incomplete[0].source.endswith("law.clause")


def test_a_complete_uses_list_passes_and_a_missing_one_is_reported_once(tmp_path):
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/law.clause", "order: 30\n", "order: 30\n" + LAW_USES)
    report = _report(copy)
    assert [f.clause for f in _found(report, "library-uses-unread")] == []
    incomplete = {f.clause: f for f in _found(report, "library-uses-incomplete")}
    assert "law" not in incomplete
    # a clause without a uses list: one finding naming everything it reads
    assert "has no 'uses' list; it reads agreement.date, buyer.name, supplier.address, supplier.name" in incomplete["parties"].message


def test_a_parameter_that_varies_by_supplier_needs_bulk_row(tmp_path):
    copy = mini_copy(tmp_path)
    copy.append("library/parameters/main.yaml", "  - {id: supplier.vat_number, type: text, required: false, bulk: shared, label: VAT number}\n"
                "  - {id: local.cn_filing, type: bool, default: true, when: \"deal.supplier.country == 'vietnam'\", label: Filing}\n")
    copy.append("library/clauses/parties.clause", "{{ deal.supplier.vat_number | default('') }}{{ deal.local.cn_filing | default('') }}\n")
    found = {f.subject: f for f in _found(_report(copy), "library-supplier-parameter-shared")}
    # under supplier.; what is defaulted from the supplier's profile already follows each row
    assert set(found) == {"supplier.vat_number"}
    assert "add 'bulk: row'" in found["supplier.vat_number"].message and found["supplier.vat_number"].source.endswith("main.yaml")


def test_straight_quotes_in_clause_prose_or_wording_are_reported_and_code_is_not(tmp_path):
    copy = mini_copy(tmp_path)
    copy.append(
        "library/clauses/confidentiality.clause",
        "+ The [[Supplier]]'s staff shall not mark any copy \"public\".\n"
        "{% if deal.supplier.name != 'x' %}+ \"\"Copy\"\" means any copy{{ ' kept' }}.{% endif %}\n",
    )
    (copy.library / "library.yaml").write_text(
        (copy.library / "library.yaml").read_text(encoding="utf-8") + "wording:\n  seal_instruction: \"Affix the company's seal here\"\n", encoding="utf-8")
    found = _found(_report(copy), "library-straight-quote")
    assert sorted(f.subject for f in found) == ["line 23 of clause confidentiality", "wording.seal_instruction"]
    line = next(f for f in found if f.clause == "confidentiality")
    assert line.severity == "warning" and "straight \" and '" in line.message and "’" in line.message and "“ ”" in line.message
    assert line.source.endswith("confidentiality.clause")
    # curly, it passes; the Jinja strings and the ""Term"" markup were never findings
    copy.edit("library/clauses/confidentiality.clause", "[[Supplier]]'s staff shall not mark any copy \"public\"", "[[Supplier]]’s staff shall not mark any copy “public”")
    (copy.library / "library.yaml").write_text((copy.library / "library.yaml").read_text(encoding="utf-8").replace("company's", "company’s"), encoding="utf-8")
    assert _found(_report(copy), "library-straight-quote") == []
