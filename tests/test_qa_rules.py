"""Jurisdiction rule checks: each fires on the combination it is about and stays silent otherwise.

The rules read profile data, so most tests build small profiles and deals in memory; the last ones
run the bundled library and a bundled sample end to end."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from clausewright import pipeline, resources, yamlio
from clausewright.assembly.compose import Composition
from clausewright.assembly.model import Agreement, Paragraph, Section, TermUse, Text
from clausewright.cli.main import cli
from clausewright.findings import FindingsError
from clausewright.inputs.deal import Deal, put_dotted
from clausewright.inputs.jurisdictions import Jurisdictions, Profile
from clausewright.qa import rules


def _merge(base, extra):
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


BASE = {
    "version": "1.0.0",
    "penalty": {"regime": "liquidated_damages", "citation": "case law"},
    "non_compete": {"post_term": "restricted"},
    "governing_law": {"foreign_law": {"allowed": "free"}},
    "formalities": {"stamp_duty": {"applies": False, "note": "none"}},
    "arbitration": {"new_york_convention": {"party": True, "reservations": ["reciprocity"]}},
    "notes": [],
}
PROFILES = {
    "vietnam": {"name": "Vietnam", "governing_law": {"short": "Vietnamese law", "foreign_law": {"allowed": "conditional", "condition": "A foreign element is needed.", "citation": "Civil Code 2015, art. 663"}},
                "penalty": {"regime": "capped_penalty", "cap_percent": 8, "citation": "Commercial Law 2005, art. 301"}},
    "singapore": {"name": "Singapore", "governing_law": {"short": "Singapore law"}},
    "england-wales": {"name": "England and Wales", "governing_law": {"short": "English law"}},
    "mexico": {"name": "Mexico", "governing_law": {"short": "Mexican law"}, "penalty": {"regime": "penalty_within_principal", "citation": "Federal Civil Code, art. 1843"}},
    "india": {"name": "India", "governing_law": {"short": "Indian law", "foreign_law": {"allowed": "conditional", "condition": "A foreign element is needed."}},
              "non_compete": {"post_term": "void", "citation": "Indian Contract Act 1872, s 27"},
              "formalities": {"stamp_duty": {"applies": True, "note": "Unstamped documents are inadmissible until stamped."}}},
    "thailand": {"name": "Thailand", "formalities": {"stamp_duty": {"applies": True, "note": "Inadmissible in evidence unless stamped."}}},
    "china": {"name": "China (Mainland)", "governing_law": {"short": "PRC law", "foreign_law": {"allowed": "conditional"}},
              "formalities": {"stamp_duty": {"applies": None, "note": "Confirm locally.", "verify": True}},
              "export_control": {"law": "Export Control Law 2020", "foreground_assignment_is_export": True},
              "notes": [{"id": "cn-tech", "clause": "intellectual-property", "text": "Technology export registration.", "citation": "Technology Export Catalogue (2023)", "verify": False}]},
}
INSTITUTIONS = {"SIAC": {"name": "SIAC", "rules": "SIAC Rules", "edition": "2025", "language_default": None},
                "CIETAC": {"name": "CIETAC", "rules": "CIETAC Arbitration Rules", "edition": "2024 Rules", "language_default": "Chinese"}}
SEATS = {"singapore": {"name": "Singapore", "state": "Singapore", "new_york_convention": True},
         "taipei": {"name": "Taipei, Taiwan", "state": "Taiwan", "new_york_convention": False, "note": "Taiwan is not a party."}}


@pytest.fixture(scope="module")
def juris():
    profiles = {}
    for pid, data in PROFILES.items():
        full = _merge(BASE, data) | {"id": pid}
        profiles[pid] = Profile(id=pid, version="1.0.0", data=full, sha256="0" * 64, path=None)
    return Jurisdictions(profiles=profiles, institutions=INSTITUTIONS, seats=SEATS, directory=None)


def deal(**answers) -> Deal:
    flat = {"buyer.country": "england-wales", "supplier.country": "vietnam", "law.governing_law": "singapore", "disputes.method": "arbitration",
            "disputes.institution": "SIAC", "disputes.seat": "singapore", "disputes.language": "English", "commercial.currency": "USD",
            "positions.overall": "balanced"}
    for key, value in answers.items():
        pid = key.replace("__", ".")
        if value is None:
            flat.pop(pid, None)
        else:
            flat[pid] = value
    values = {}
    for pid, value in flat.items():
        put_dotted(values, pid, value)
    return Deal(values=values, flat=flat)


def agreement(*sections: tuple[str, list[Paragraph]]) -> Composition:
    body = [Section(clause_id=cid, version="1", sha256="0", part="body", title=cid, paragraphs=paras) for cid, paras in sections]
    return Composition(agreement=Agreement(title="T", front=[], body=body, schedules=[], definitions=[]), subjects=BUNDLED_SUBJECTS)


# where the rules look for each subject: the bundled library's library.yaml
BUNDLED_SUBJECTS = yamlio.load_file(resources.library_dir() / "library.yaml")["subjects"]


def ids(findings):
    return [f.id for f in findings]


def run(juris, d, composition=None, answers=None):
    return rules.check(d, juris, composition, answers)


# --- penalty above the cap (Vietnam) ------------------------------------------------------------------

LD = {"liquidated_damages__applies": True, "liquidated_damages__basis": "percent"}


def test_penalty_above_the_vietnamese_cap(juris):
    found = run(juris, deal(law__governing_law="vietnam", liquidated_damages__percent=20, **LD))
    assert ids(found) == ["penalty-cap"]
    f = found[0]
    assert f.severity == "error" and "8" in f.message and "Commercial Law 2005" in f.source and "vietnam profile" in f.source


def test_penalty_within_the_cap_or_under_another_law(juris):
    assert run(juris, deal(law__governing_law="vietnam", liquidated_damages__percent=8, **LD)) == []
    # under Singapore law with a Vietnamese supplier, 8% is within the cap where the award is enforced...
    assert run(juris, deal(law__governing_law="singapore", liquidated_damages__percent=8, **LD)) == []
    # ...and 20% is not: the supplier's own cap may apply at enforcement (a warning, marked verify)
    found = run(juris, deal(law__governing_law="singapore", liquidated_damages__percent=20, **LD))
    assert ids(found) == ["penalty-at-enforcement"] and found[0].verify and "Vietnam" in found[0].message
    assert run(juris, deal(law__governing_law="vietnam", liquidated_damages__applies=False)) == []


def test_fixed_or_repeating_sum_cannot_be_checked(juris):
    fixed = run(juris, deal(law__governing_law="vietnam", liquidated_damages__applies=True, liquidated_damages__basis="amount", liquidated_damages__amount=100000))
    assert ids(fixed) == ["penalty-unverified"] and "USD 100,000.00" in fixed[0].message and fixed[0].severity == "warning"
    repeating = run(juris, deal(law__governing_law="vietnam", liquidated_damages__percent=5, positions__liquidated_damages="buyer", **LD))
    assert ids(repeating) == ["penalty-unverified"] and "fall due again" in repeating[0].message


# --- penalty above the principal obligation (Mexico) -----------------------------------------------------


def test_penalty_above_the_principal_obligation(juris):
    found = run(juris, deal(law__governing_law="mexico", supplier__country="mexico", liquidated_damages__percent=120, **LD))
    assert ids(found) == ["penalty-over-principal"] and "1843" in found[0].source


def test_penalty_within_the_principal_obligation(juris):
    assert run(juris, deal(law__governing_law="mexico", supplier__country="mexico", liquidated_damages__percent=100, **LD)) == []
    # under English law the Mexican limit is not the governing law's, but it may bite where the award is enforced
    assert ids(run(juris, deal(law__governing_law="england-wales", supplier__country="mexico", liquidated_damages__percent=120, **LD))) == ["penalty-at-enforcement"]
    assert run(juris, deal(law__governing_law="england-wales", supplier__country="mexico", liquidated_damages__percent=100, **LD)) == []


# --- foreign law without a foreign element (Vietnam, PRC) -----------------------------------------------


def test_foreign_law_between_two_local_parties(juris):
    found = run(juris, deal(buyer__country="vietnam", supplier__country="vietnam", law__governing_law="singapore"))
    assert ids(found) == ["foreign-law-no-foreign-element"] and found[0].severity == "error" and "663" in found[0].source
    cn = run(juris, deal(buyer__country="china", supplier__country="china", law__governing_law="singapore"))
    assert "foreign-law-no-foreign-element" in ids(cn)


def test_foreign_law_with_a_foreign_party_or_local_law(juris):
    assert run(juris, deal(buyer__country="england-wales", supplier__country="vietnam", law__governing_law="singapore")) == []
    assert run(juris, deal(buyer__country="vietnam", supplier__country="vietnam", law__governing_law="vietnam")) == []
    # free choice of law in the supplier's country: nothing to check
    assert run(juris, deal(buyer__country="singapore", supplier__country="singapore", law__governing_law="england-wales")) == []


def test_foreign_element_unconfirmed_when_the_buyer_country_is_unknown(juris):
    found = run(juris, deal(buyer__country=None, supplier__country="vietnam", law__governing_law="singapore"))
    assert ids(found) == ["foreign-element-unconfirmed"] and found[0].severity == "info"


# --- post-term non-compete (India) ----------------------------------------------------------------------


def _non_compete_clause():
    return agreement(("non-circumvention", [Paragraph(kind="numbered", level=1, anchor="non-circumvention.non-compete", inlines=[Text("No competing.")])]))


def test_post_term_non_compete_under_indian_law(juris):
    found = run(juris, deal(law__governing_law="india", supplier__country="india", non_compete__applies=True), _non_compete_clause())
    assert ids(found) == ["non-compete-void", "stamp-duty"]
    assert found[0].severity == "error" and "s 27" in found[0].source and found[0].clause == "non-circumvention"


def test_non_compete_left_out_under_indian_law(juris):
    # the library left the clause out (no non-compete paragraph): a warning that the request was not met
    found = run(juris, deal(law__governing_law="singapore", supplier__country="india", non_compete__applies=True), agreement())
    assert "non-compete-omitted" in ids(found) and "non-compete-void" not in ids(found)
    # the schema may set the question aside (its condition is false): the answer as given still counts
    d = deal(law__governing_law="singapore", supplier__country="india")
    d.ignored.append("non_compete.applies")
    assert "non-compete-omitted" in ids(run(juris, d, agreement(), answers={"non_compete": {"applies": "yes"}}))
    assert "non-compete-omitted" not in ids(run(juris, d, agreement(), answers={"non_compete": {"applies": "no"}}))


def test_non_compete_elsewhere_or_not_asked(juris):
    # not void under Singapore law; only the missing territory is worth a warning (restraints are tested for reasonableness)
    assert ids(run(juris, deal(law__governing_law="singapore", supplier__country="vietnam", non_compete__applies=True), _non_compete_clause())) == ["non-compete-no-territory"]
    assert "non-compete-void" not in ids(run(juris, deal(law__governing_law="india", supplier__country="india", non_compete__applies=False), _non_compete_clause()))


# --- CIETAC with no language -------------------------------------------------------------------------


def test_cietac_without_a_language(juris):
    found = run(juris, deal(disputes__institution="CIETAC", disputes__language=None))
    assert ids(found) == ["arbitration-language"] and "Chinese" in found[0].message and "CIETAC" in found[0].source
    dispute = agreement(("dispute-resolution", [Paragraph(kind="numbered", level=1, inlines=[Text("Disputes go to CIETAC in Beijing.")])]))
    assert ids(run(juris, deal(disputes__institution="CIETAC"), dispute)) == ["arbitration-language"]


def test_cietac_with_a_language_or_another_institution(juris):
    dispute = agreement(("dispute-resolution", [Paragraph(kind="numbered", level=1, inlines=[Text("The language of the arbitration is English.")])]))
    assert run(juris, deal(disputes__institution="CIETAC"), dispute) == []
    assert run(juris, deal(disputes__institution="SIAC", disputes__language=None)) == []
    assert run(juris, deal(disputes__institution="CIETAC", disputes__language=None, disputes__method="courts")) == []


# --- stamp duty (India, Thailand) --------------------------------------------------------------------


def test_unstamped_contract_risk(juris):
    for pid in ("india", "thailand"):
        found = [f for f in run(juris, deal(supplier__country=pid, law__governing_law="singapore")) if f.id.startswith("stamp")]
        assert ids(found) == ["stamp-duty"] and "inadmissible" in found[0].message.lower() and f"{pid} profile" in found[0].source
    unknown = run(juris, deal(supplier__country="china", buyer__country="england-wales", law__governing_law="singapore"))
    assert "stamp-duty-unknown" in ids(unknown) and next(f for f in unknown if f.id == "stamp-duty-unknown").verify


def test_no_stamp_duty(juris):
    assert not [f for f in run(juris, deal(supplier__country="vietnam")) if f.id.startswith("stamp")]


# --- technology export (PRC) ----------------------------------------------------------------------------


def _assignment():
    return agreement(("intellectual-property", [Paragraph(kind="numbered", level=1, anchor="intellectual-property.foreground",
                                                          inlines=[Text("All "), TermUse("Foreground IP", "Foreground IP"), Text(" belongs to the Buyer.")])]))


def test_assigning_prc_foreground_patents(juris):
    found = [f for f in run(juris, deal(supplier__country="china", buyer__country="england-wales"), _assignment()) if f.id == "technology-export"]
    assert len(found) == 1 and found[0].clause == "intellectual-property" and "Technology Export Catalogue" in found[0].source


def test_no_technology_export(juris):
    assert "technology-export" not in ids(run(juris, deal(supplier__country="vietnam"), _assignment()))
    assert "technology-export" not in ids(run(juris, deal(supplier__country="china", buyer__country="england-wales"), agreement()))


# --- seat outside the New York Convention -------------------------------------------------------------


def test_seat_outside_the_new_york_convention(juris):
    found = run(juris, deal(disputes__seat="taipei"))
    assert ids(found) == ["seat-not-new-york-convention"] and "Taiwan" in found[0].message and found[0].source == "seats.yaml taipei.new_york_convention"


def test_seat_in_a_convention_state(juris):
    assert run(juris, deal(disputes__seat="singapore")) == []
    assert run(juris, deal(disputes__seat="taipei", disputes__method="courts")) == []


# --- end to end, on the bundled library ------------------------------------------------------------


VN_PENALTY = ["law.governing_law=vietnam", "liquidated_damages.applies=yes", "liquidated_damages.basis=percent", "liquidated_damages.percent=20"]


@pytest.fixture(scope="module")
def sample():
    path = SAMPLES / "vietnam-supplier.yaml"
    if not path.exists():
        pytest.skip("the bundled sample is not there")
    return path


def test_generate_stops_on_an_error_level_rule(sample, bundled_sources, tmp_path):
    out = tmp_path / "a.docx"
    with pytest.raises(FindingsError) as exc:
        pipeline.generate(sample, out, overrides=VN_PENALTY, sources=bundled_sources)
    assert [f.id for f in exc.value.findings if f.blocking] == ["penalty-cap"] and not out.exists()
    result = pipeline.generate(sample, out, overrides=VN_PENALTY, sources=bundled_sources, allow=["penalty-cap"])
    assert out.exists() and [f.id for f in result.findings if f.severity == "error"] == ["penalty-cap"]


def test_check_command_exit_status_and_grouping(sample):
    runner = CliRunner()
    bad = runner.invoke(cli, ["check", str(sample), *sum((["--set", s] for s in VN_PENALTY + ["disputes.seat=taipei"]), [])])
    assert bad.exit_code == 1, bad.output
    assert bad.output.index("Errors (1):") < bad.output.index("Warnings (1):")
    assert "penalty-cap" in bad.output and "seat-not-new-york-convention" in bad.output and "Commercial Law 2005" in bad.output
    allowed = runner.invoke(cli, ["check", str(sample), "--allow", "penalty-cap", *sum((["--set", s] for s in VN_PENALTY), [])])
    assert allowed.exit_code == 0 and "[allowed]" in allowed.output
    good = runner.invoke(cli, ["check", str(sample), "--format", "json"])
    assert good.exit_code == 0 and '"blocking": []' in good.output


def test_generate_command_prints_warnings_and_refuses_errors(sample, tmp_path):
    runner = CliRunner()
    out = tmp_path / "x.docx"
    refused = runner.invoke(cli, ["generate", str(sample), "-o", str(out), *sum((["--set", s] for s in VN_PENALTY), [])])
    assert refused.exit_code == 1 and "--allow penalty-cap" in refused.output and not out.exists()
    warned = runner.invoke(cli, ["generate", str(sample), "-o", str(out), "--set", "disputes.seat=taipei"])
    assert warned.exit_code == 0 and "Warning: seat-not-new-york-convention" in warned.output and out.exists()
    typo = runner.invoke(cli, ["generate", str(sample), "-o", str(tmp_path / "y.docx"), "--allow", "penalty-kap"])
    assert typo.exit_code == 2 and "no such finding id" in typo.output


# --- goods, delivery terms and tooling -----------------------------------------------------------------


def _check_sample_json(sample, *sets):
    result = CliRunner().invoke(cli, ["check", str(sample), "--format", "json", *sum((["--set", s] for s in sets), [])])
    return json.loads(result.output)


def test_services_deal_is_not_drafted_as_a_sale_of_goods(sample):
    data = _check_sample_json(sample, "commercial.supply=services", "commercial.delivery_place=Supplier's secure SFTP server")
    ids_found = {f["id"]: f for f in data["findings"]}
    assert ids_found["services-not-goods"]["severity"] == "error" and "services-not-goods" in data["blocking"]
    assert ids_found["delivery-place-not-physical"]["severity"] == "warning" and "SFTP" in ids_found["delivery-place-not-physical"]["message"]


def test_vessel_rules_for_containers(sample):
    found = [f["id"] for f in _check_sample_json(sample, "commercial.incoterm=CIF")["findings"]]
    assert "incoterm-vessel-only" in found
    assert "incoterm-vessel-only" not in [f["id"] for f in _check_sample_json(sample, "commercial.incoterm=CIF", "commercial.containerised=no")["findings"]]
    assert "incoterm-vessel-only" not in [f["id"] for f in _check_sample_json(sample)["findings"]]  # FCA


def test_german_standard_terms_points(sample):
    found = _check_sample_json(sample, "law.governing_law=germany", "commercial.payment_days=90")["findings"]
    messages = [f["message"] for f in found if f["id"] == "standard-terms"]
    assert any("90 days" in m and "30 days" in m for m in messages)
    assert not [f for f in _check_sample_json(sample, "law.governing_law=germany", "commercial.payment_days=30")["findings"] if f["id"] == "standard-terms"]
    ld = _check_sample_json(sample, "law.governing_law=germany", "commercial.payment_days=30", "liquidated_damages.applies=yes",
                            "liquidated_damages.basis=amount", "liquidated_damages.amount=10000")["findings"]
    assert [f for f in ld if f["id"] == "standard-terms" and "individually negotiated" in f["message"]]


def test_courts_whose_judgments_cannot_be_registered_where_the_supplier_is(bundled_sources, tmp_path):
    supplier_favourable = SAMPLES / "supplier-favourable.yaml"  # New York courts, Indian supplier
    found = [f for f in _check_sample_json(supplier_favourable)["findings"] if f["id"] == "judgment-not-registrable"]
    assert found and "India" in found[0]["message"] and "44A" in found[0]["source"] and found[0]["verify"]
    london = [f["id"] for f in _check_sample_json(supplier_favourable, "disputes.courts=england-wales")["findings"]]
    assert "judgment-not-registrable" not in london
    memo = tmp_path / "memo.docx"
    pipeline.generate(supplier_favourable, None, sources=bundled_sources, memo=memo)
    import docx

    text = "\n".join(p.text for p in docx.Document(str(memo)).paragraphs)
    assert "India, courts:" in text and "s 44A" in text  # the profile's own warning reaches the items to verify


def test_post_term_non_compete_without_territory(sample):
    found = [f["id"] for f in _check_sample_json(SAMPLES / "all-options.yaml")["findings"]]
    assert "non-compete-no-territory" in found
    assert "non-compete-no-territory" not in [f["id"] for f in _check_sample_json(SAMPLES / "all-options.yaml", "non_compete.applies=no")["findings"]]


def test_rules_name_the_clause_that_drafts_the_point():
    thai = {f["id"] + f["message"][:40]: f for f in _check_sample_json(SAMPLES / "thai-die-caster.yaml")["findings"] if f["id"] == "stamp-duty"}
    messages = [f["message"] for f in thai.values()]
    assert any("Thailand" in m and "allocates the duty" in m for m in messages)
    assert all("allocates the duty" not in m for m in messages if "Japan" in m)  # Japanese stamp tax is not drafted
    china = [f["message"] for f in _check_sample_json(SAMPLES / "shenzhen-electronics.yaml")["findings"] if f["id"] == "technology-export"]
    assert china and "conditional on that approval" in china[0]
