"""Drafting QA: each finding fires on a deliberately flawed copy of the miniature library and is
silent on the miniature library as it is."""

from __future__ import annotations

import pytest
from conftest import MINI
from hypothesis import given, settings
from hypothesis import strategies as st
from qa_helpers import mini_copy, tooling_optional

from clausewright import pipeline
from clausewright.assembly.compose import AssemblyError
from clausewright.findings import FindingsError
from clausewright.ooxml import reader
from clausewright.qa.review import review


def _findings(copy_or_sources, overrides=(), deal=None):
    sources = copy_or_sources.sources() if hasattr(copy_or_sources, "sources") else copy_or_sources
    deal_file = deal or (copy_or_sources.deal if hasattr(copy_or_sources, "deal") else MINI / "deal.yaml")
    raw = pipeline.read_answers(deal_file, overrides)
    answers = pipeline.validate_deal(raw, sources)
    composition = pipeline.assemble(answers, sources, strict=False)
    return review(composition, answers, sources.jurisdictions, answers=raw)


def _ids(findings):
    return {f.id for f in findings}


@pytest.fixture(scope="module")
def clean(mini_sources):
    return _findings(mini_sources)


def test_the_mini_library_is_clean(clean):
    # only the pruned definition is reported, as a note
    assert [(f.id, f.severity, f.subject) for f in clean] == [("definition-unused", "info", "Business Day")]


def test_term_used_but_not_defined(tmp_path, clean):
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/confidentiality.clause", "who need to know it.", "who need to know it under the [[Need-to-know Policy]].")
    found = [f for f in _findings(copy) if f.id == "term-undefined"]
    assert len(found) == 1 and found[0].severity == "error"
    assert found[0].subject == "Need-to-know Policy" and found[0].clause == "confidentiality"
    assert "term-undefined" not in _ids(clean)


def test_term_defined_twice(tmp_path, clean):
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/confidentiality.clause", "who need to know it.", 'who need to know it (the ""Tooling"").')
    found = [f for f in _findings(copy) if f.id == "term-defined-twice"]
    assert found and found[0].subject == "Tooling" and found[0].severity == "error"
    assert "term-defined-twice" not in _ids(clean)


def test_definition_never_used_is_pruned_and_reported(tmp_path, clean):
    assert any(f.id == "definition-unused" and f.subject == "Business Day" and f.clause == "definitions" for f in clean)
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/confidentiality.clause", "who need to know it.", "who need to know it, on any [[Business Day]].")
    assert "definition-unused" not in _ids(_findings(copy))


def test_reference_to_an_excluded_clause(tmp_path):
    copy = mini_copy(tmp_path)
    tooling_optional(copy)  # the Tooling definition refers to the tooling schedule
    found = [f for f in _findings(copy) if f.id == "ref-excluded"]
    assert len(found) == 1 and found[0].severity == "error" and found[0].subject == "schedule-tooling"
    assert found[0].clause == "definitions"
    assert "ref-excluded" not in _ids(_findings(copy, ["tooling.applies=yes"]))


def test_reference_to_nothing(tmp_path, clean):
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/confidentiality.clause", "as clause <<.disclosure>> permits", "as clause <<.nowhere>> permits")
    found = [f for f in _findings(copy) if f.id == "ref-missing"]
    assert found and found[0].subject == "confidentiality.nowhere"
    assert "ref-missing" not in _ids(clean)


def test_anchor_used_twice(tmp_path, clean):
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/confidentiality.clause", "+ {#disclosure} The", "+ {#use} The")
    assert "anchor-duplicate" in _ids(_findings(copy))
    assert "anchor-duplicate" not in _ids(clean)


def test_strict_assembly_still_raises(tmp_path):
    copy = mini_copy(tmp_path)
    tooling_optional(copy)
    sources = copy.sources()
    deal = pipeline.validate_deal(pipeline.read_answers(copy.deal), sources)
    with pytest.raises(AssemblyError) as exc:
        pipeline.assemble(deal, sources)
    assert "schedule-tooling" in str(exc.value) and exc.value.findings


def test_generate_refuses_on_an_error_unless_allowed(tmp_path):
    copy = mini_copy(tmp_path)
    tooling_optional(copy)
    sources = copy.sources()
    out = tmp_path / "out.docx"
    with pytest.raises(FindingsError) as exc:
        pipeline.generate(copy.deal, out, sources=sources)
    assert "ref-excluded" in str(exc.value) and "--allow ref-excluded" in str(exc.value)
    assert not out.exists()
    result = pipeline.generate(copy.deal, out, sources=sources, allow=["ref-excluded"])
    assert out.exists() and any(f.id == "ref-excluded" and f.allowed for f in result.findings)
    data = out.read_bytes()
    assert reader.check(data) == []  # the dangling reference is printed as a highlighted placeholder, not a broken field
    assert "[schedule-tooling]" in reader.read(data).text()


def test_unmarked_defined_term(tmp_path, clean):
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/confidentiality.clause", "+ {#disclosure} The [[Supplier]] may", "+ {#disclosure} The Supplier may")
    found = [f for f in _findings(copy) if f.id == "term-not-marked-up"]
    assert [(f.clause, f.subject, f.severity) for f in found] == [("confidentiality", "Supplier", "warning")]
    assert "term-not-marked-up" not in _ids(clean)


def test_unmarked_term_ignores_longer_names_and_user_text(tmp_path):
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/confidentiality.clause", "who need to know it.", "who need to know it, and its Supplier Relations team.")
    found = [f for f in _findings(copy, ["supplier.address=1 Supplier Way, Hanoi"]) if f.id == "term-not-marked-up"]
    assert found == []  # "Supplier Relations" is a longer name; "Supplier Way" is the user's own text


def test_placeholder(tmp_path, clean):
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/confidentiality.clause", "who need to know it.", "who need to know it, [? list the employees ?].")
    found = [f for f in _findings(copy) if f.id.startswith("placeholder")]
    assert [(f.id, f.severity, f.clause) for f in found] == [("placeholder-unfilled", "warning", "confidentiality")]
    assert "[list the employees]" in found[0].message
    final = [f for f in _findings(copy, ["agreement.draft=no"]) if f.id.startswith("placeholder")]
    assert [(f.id, f.severity) for f in final] == [("placeholder-in-final", "error")]
    assert not any(f.id.startswith("placeholder") for f in clean)


def test_amount_in_another_currency(tmp_path, clean):
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/confidentiality.clause", "({{ deal.commercial.price | money_words }})",
              "({{ deal.commercial.price | money_words }}), plus {{ deal.commercial.price | money('USD') }} ({{ deal.commercial.price | money_words('EUR') }})")
    found = [f for f in _findings(copy) if f.id == "currency-mismatch"]
    assert {f.subject for f in found} == {"USD", "EUR"}
    assert all(f.clause == "confidentiality" and "VND" in f.message for f in found)
    assert "currency-mismatch" not in _ids(clean)
    # the same text is consistent when the deal's currency is USD... except for the euros
    assert {f.subject for f in _findings(copy, ["commercial.currency=USD"]) if f.id == "currency-mismatch"} == {"EUR"}


def test_party_name_written_differently(tmp_path, clean):
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/confidentiality.clause", "who need to know it.", "who need to know it, and Acme Devices Limited may audit it.")
    found = [f for f in _findings(copy, ["buyer.name=Acme Devices Ltd"]) if f.id == "party-name-inconsistent"]
    assert len(found) == 1 and found[0].clause == "confidentiality" and "Acme Devices Limited" in found[0].message
    assert "party-name-inconsistent" not in _ids(_findings(mini_copy(tmp_path / "b"), ["buyer.name=Acme Devices Ltd"]))
    assert "party-name-inconsistent" not in _ids(clean)


def test_party_name_missing_from_the_parties_block(tmp_path):
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/parties.clause", "+ {{ deal.buyer.name }} (the", "+ The purchaser (the")
    found = [f for f in _findings(copy) if f.id == "party-name-inconsistent"]
    assert len(found) == 1 and found[0].clause == "parties" and found[0].subject == "buyer.name"


def test_identical_party_names(mini_sources, clean):
    found = _findings(mini_sources, ["supplier.name=Smith & Jones <UK> Ltd"])
    assert "party-names-identical" in _ids(found)
    assert "party-names-identical" not in _ids(clean)


def test_answer_that_does_not_apply(mini_sources, clean):
    found = [f for f in _findings(mini_sources, ["disputes.method=courts", "disputes.seat=singapore"]) if f.id == "answer-ignored"]
    assert [f.subject for f in found] == ["disputes.seat"]
    assert "answer-ignored" not in _ids(clean)


def test_every_finding_id_is_documented():
    from conftest import ROOT

    import clausewright.cli.qa  # noqa: F401 - declares deal-invalid
    import clausewright.qa.library_check  # noqa: F401
    from clausewright.findings import CATALOGUE

    doc = (ROOT / "docs" / "qa.md").read_text(encoding="utf-8")
    missing = [fid for fid in CATALOGUE if f"`{fid}`" not in doc]
    assert missing == []


def test_invalid_deal_in_check(tmp_path):
    import json

    from click.testing import CliRunner

    from clausewright.cli.main import cli

    args = ["check", str(MINI / "deal.yaml"), "--set", "agreement.date=2026-02-30", "--library", str(MINI / "library"), "--jurisdictions", str(MINI / "jurisdictions")]
    as_json = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert as_json.exit_code == 3
    data = json.loads(as_json.output)
    assert data["blocking"] == ["deal-invalid"] and data["findings"][0]["subject"] == "agreement.date"
    as_text = CliRunner().invoke(cli, args)
    assert as_text.exit_code == 3 and "--set agreement.date=2026-02-30: '2026-02-30' is not a real date" in as_text.output
    assert "deal-invalid" not in CliRunner().invoke(cli, [*args[:2], *args[4:], "--format", "json"]).output


def test_text_from_a_profile_is_not_judged(tmp_path):
    copy = mini_copy(tmp_path)
    copy.edit("jurisdictions/profiles/singapore.yaml", "governing_law: {name: the laws of Singapore,", "governing_law: {name: 'the laws of Singapore as the Supplier knows them (USD 5 fees)',")
    assert not {"term-not-marked-up", "currency-mismatch"} & _ids(_findings(copy))


_CASES = "sSſkKKiIıİßẞσςΣµμǅǄǆꭰᎠﬀﬆ\u0307"


@settings(max_examples=600, deadline=None)
@given(
    stem=st.text(alphabet=_CASES + "abzAZ", min_size=1, max_size=4) | st.text(alphabet="sSkKiIabzAZ ", min_size=1, max_size=4),
    text=st.text(alphabet=_CASES + "abzAZ .,", max_size=30),
)
def test_party_name_prefilter_never_hides_a_match(stem, text):
    """The quick pre-check of the party-name check skips a paragraph only when the
    case-insensitive search would find nothing in it (tried on the characters whose case
    rules differ most: long s, Kelvin sign, dotted and dotless i, sharp s, final sigma,
    micro sign, titlecase digraphs, Cherokee, ligatures, a combining dot)."""
    import re

    from clausewright.qa.drafting import folded_for_search, may_hold

    if re.search(re.escape(stem), text, re.I):
        assert may_hold(folded_for_search(text), stem), (stem, text)


def test_party_name_prefilter_covers_every_character_matching_an_ascii_letter():
    """Every character of the Basic Multilingual Plane that a case-insensitive expression
    matches to an ASCII letter passes the pre-check for that letter."""
    import re

    from clausewright.qa.drafting import folded_for_search, may_hold

    letter = re.compile("[a-z]", re.I)
    checked = 0
    for code in range(0x10000):
        ch = chr(code)
        if 0xD800 <= code <= 0xDFFF or not letter.fullmatch(ch):
            continue
        for a in "abcdefghijklmnopqrstuvwxyz":
            if re.fullmatch(a, ch, re.I):
                assert may_hold(folded_for_search(ch), a) and may_hold(folded_for_search(ch), a.upper()), (hex(code), a)
                checked += 1
    assert checked >= 56  # the 52 letters and the four others (dotless i, dotted I, long s, Kelvin)
