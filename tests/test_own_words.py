"""Every draft is described in its own words: the key terms name only what the draft they describe
defines, no profile text reaching a draft speaks of another kind of agreement, and every message
about a draft names its parties as the draft does (the services agreement's Customer)."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES

from clausewright import pipeline
from clausewright.cli.main import cli
from clausewright.inputs.jurisdictions import load_jurisdictions
from clausewright.inputs.library import load_library
from clausewright.qa import library_check
from clausewright.qa import terms as key_terms

pytestmark = pytest.mark.timeout(300)

SERVICES = SAMPLES / "india-software-services.yaml"
ALL_SAMPLES = sorted([*SAMPLES.glob("*.yaml"), *(SAMPLES / "pack").glob("*.yaml")])


def run(*args):
    return CliRunner().invoke(cli, [*map(str, args)])


def _drafts(deal, sources):
    """Each document the deal file drafts (every document of a pack), validated and assembled."""
    raw = pipeline.read_answers(deal)
    listed = pipeline.documents_of(raw, sources, source=str(deal))
    for answers in [pipeline.for_document(raw, t, listed, sources) for t in listed] or [raw]:
        validated = pipeline.validate_deal(answers, sources, source=str(deal))
        yield validated, pipeline.assemble(validated, sources, strict=False)


def _combination(library_dir, jurisdictions_dir, **choices):
    """One combination of library check's matrix, run on the given library and profiles."""
    library = load_library(library_dir)
    jurisdictions = load_jurisdictions(jurisdictions_dir)
    library.schema.bind_catalogues(jurisdictions.catalogues(), jurisdictions.other_names())
    extra = tuple(choices.pop("extra", {}).items())
    combination = library_check.Combination(variant="all-on", extra=extra, **choices)
    return library_check.run_combination(library, jurisdictions, combination).findings


# --- 1. key terms -------------------------------------------------------------------------------


def test_the_services_key_terms_use_the_words_of_its_term_clause():
    result = run("terms", SERVICES, "--format", "json")
    assert result.exit_code == 0, result.output
    labels = {tid: t["label"] for tid, t in json.loads(result.output)["terms"].items()}
    assert labels["term.initial_years"] == "Initial period (years)"
    assert labels["term.renewal_years"] == "Length of each further period (years)"
    assert labels["dates.initial_term_end"] == "Last day of the initial period"
    assert not [label for label in labels.values() if "Initial Term" in label or "Renewal Period" in label]
    # the supply agreement keeps the terms its own term clause defines
    supply = json.loads(run("terms", SAMPLES / "vietnam-supplier.yaml", "--format", "json").output)["terms"]
    assert supply["term.renewal_years"]["label"] == "Length of each Renewal Period (years)"


@pytest.mark.parametrize("deal", ALL_SAMPLES, ids=lambda p: p.stem)
def test_every_samples_key_terms_name_only_what_its_draft_defines(bundled_sources, deal):
    library = bundled_sources.library
    for answers, composition in _drafts(deal, bundled_sources):
        terms = key_terms.key_terms(library, answers, bundled_sources.jurisdictions, composition)
        found = key_terms.undefined_terms(terms, composition.agreement, library.type_of(answers), key_terms.defined_terms(library))
        assert [(t.spec.id, where, name) for t, where, name in found] == []


def test_library_check_reports_a_key_term_that_names_what_its_draft_does_not_define(tmp_path):
    library = tmp_path / "clause_library"
    shutil.copytree(ROOT / "clause_library", library)
    services = library / "types" / "services.yaml"
    text = services.read_text(encoding="utf-8")
    start = text.index("key_term_words:")
    services.write_text(text[:start] + text[text.index("wording:", start):], encoding="utf-8")
    jurisdictions = ROOT / "jurisdictions"
    found = [m for fid, m, _ in _combination(library, jurisdictions, type="services", law="singapore", supplier="india", position="balanced")
             if fid == library_check.KEY_TERM]
    assert any("term.initial_years" in m and "'Initial Term'" in m for m in found), found
    assert any("term.renewal_years" in m and "'Renewal Period'" in m for m in found), found
    # the bundled library: none, for any type
    for kind in ("supply", "services", "nnn"):
        assert not [m for fid, m, _ in _combination(ROOT / "clause_library", jurisdictions, type=kind, law="singapore", supplier="india", position="buyer")
                    if fid == library_check.KEY_TERM]


# --- 2. profile text that names the wrong agreement ----------------------------------------------


def _memo_text(tmp_path, deal, *sets):
    import docx

    out = tmp_path / f"{deal.stem}.docx"
    args = ["generate", deal, "-o", out, "--memo", tmp_path / f"{deal.stem}.memo.docx", "--no-page-numbers", "--force"]
    for s in sets:
        args += ["--set", s]
    result = run(*args)
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / f"{deal.stem}.memo.docx"))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_memo_of_a_services_or_nnn_agreement_never_speaks_of_a_supply_agreement(tmp_path):
    services = _memo_text(tmp_path, SERVICES)
    assert "England and Wales — Stamp duty: None identified at the last review." in services
    nnn = _memo_text(tmp_path, SAMPLES / "shenzhen-nnn.yaml")
    for memo in (services, nnn):
        assert "supply agreement" not in memo.lower() and "supply contract" not in memo.lower()
    assert "China (Mainland) — Stamp duty: Not covered by the last review. A confidentiality agreement" in nnn


def test_a_profile_says_per_type_what_differs(bundled_sources):
    def stamp(deal, *sets):
        result = run("check", deal, "--format", "json", *[x for s in sets for x in ("--set", s)])
        findings = json.loads(result.output)["findings"]
        return next(f["message"] for f in findings if f["id"] == "stamp-duty" and "Thailand" in f["message"])

    thai_services = stamp(SERVICES, "supplier.country=thailand")
    assert "A contract for services is a hire of work" in thai_services and "(verify the rate)" in thai_services
    thai_supply = stamp(SAMPLES / "thai-die-caster.yaml")
    assert "a sale of goods is not among the instruments" in thai_supply and "hire of work" in thai_supply


def _profile_copy(tmp_path, profile, old, new):
    jurisdictions = tmp_path / "jurisdictions"
    shutil.copytree(ROOT / "jurisdictions", jurisdictions)
    path = jurisdictions / "profiles" / f"{profile}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return jurisdictions


def test_library_check_reports_profile_text_that_names_another_agreement(tmp_path):
    jurisdictions = _profile_copy(tmp_path, "singapore", "    note: None identified at the last review.\n",
                                  "    note: None identified for a supply agreement at the last review.\n")
    found = _combination(ROOT / "clause_library", jurisdictions, type="services", law="singapore", supplier="singapore", position="balanced")
    assert [m for fid, m, _ in found if fid == library_check.OTHER_AGREEMENT and "formalities.stamp_duty.note" in m and "'supply agreement'" in m]
    # in a supply draft the same words describe the draft: not reported
    found = _combination(ROOT / "clause_library", jurisdictions, type="supply", law="singapore", supplier="singapore", position="balanced")
    assert not [m for fid, m, _ in found if fid == library_check.OTHER_AGREEMENT]


def test_a_per_type_text_must_give_every_type_its_text(tmp_path):
    jurisdictions = _profile_copy(tmp_path, "thailand", "      default: >-\n", "      other: >-\n")
    library = load_library(ROOT / "clause_library")
    loaded = load_jurisdictions(jurisdictions)
    problems = [f.message for f in library_check.profile_checks(library, loaded) if f.id == library_check.PROFILE]
    assert any("thailand" in m and "formalities.stamp_duty.note" in m and "nnn" in m for m in problems), problems
    assert not [f for f in library_check.profile_checks(library, load_jurisdictions(ROOT / "jurisdictions")) if f.id == library_check.PROFILE]


# --- 3. the draft's own names for its parties ---------------------------------------------------


def _prose(text: str) -> str:
    """``text`` without parameter ids and profile roles (buyer.country, buyer_country)."""
    import re

    return re.sub(r"\bbuyer(?:\.[\w.]+|_\w+)", "", text)


def test_explain_names_the_services_parties_as_the_draft_does():
    text = run("explain", SERVICES)
    assert text.exit_code == 0, text.output
    assert "customer's country: england-wales" in text.output and "from customer's country profile england-wales" in text.output
    assert "the contract is the customer’s main protection" in text.output  # a counsel note written for the buyer
    assert "buyer" not in _prose(text.output).lower()
    data = json.loads(run("explain", SERVICES, "--format", "json").output)
    assert any(c.startswith("customer's country:") for c in data["choices"])
    assert "buyer" not in _prose(json.dumps(data, ensure_ascii=False)).lower()


def test_the_rule_messages_and_the_memo_of_a_services_draft_name_the_customer(tmp_path):
    # German law with 45 days' payment (standard terms), a PRC supplier (technology export): each
    # message names a party
    sets = ["law.governing_law=germany", "commercial.payment_days=45", "supplier.country=china"]
    result = run("check", SERVICES, "--format", "json", *[x for s in sets for x in ("--set", s)])
    findings = {f["id"]: f["message"] for f in json.loads(result.output)["findings"]}
    assert "the customer pays 45 days after invoice" in findings["standard-terms"]
    assert "assigns the Work Product to the customer" in findings["technology-export"]
    for message in findings.values():
        assert "buyer" not in _prose(message).lower(), message
    memo = _memo_text(tmp_path, SERVICES, "positions.overall=buyer", "law.governing_law=germany", "commercial.payment_days=45")
    assert "the customer pays 45 days" in memo and "customer (overall position)" in memo
    assert "buyer" not in _prose(memo).lower()


def test_library_check_reports_a_message_that_names_a_party_the_draft_calls_otherwise(bundled_sources):
    from clausewright.qa import draft_words

    library = bundled_sources.library
    texts = [draft_words.Text("rule x", "stamp duty applies in India (the buyer's country)"), draft_words.Text("rule y", "check buyer.country")]
    assert [(t.source, w) for t, w in draft_words.other_party_names(texts, library.types["services"])] == [("rule x", "buyer")]
    assert draft_words.other_party_names(texts, library.types["supply"]) == []
