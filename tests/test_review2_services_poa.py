"""The power of attorney under a law that creates one only by deed, the copyright rules of the
services customer's country, the DPDP Act for an Indian supplier working for a customer abroad,
and the compliance clause of the services agreement with the counsel notes on it.

Each point is read from real drafts generated from the bundled samples (the DOCX read back) and
over the matrix of governing laws and countries (composed with the Python API), with a mechanical
guard where the defect could come back: a floor that `library check` tests in every combination,
or a test over every counsel note."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from library_matrix import composition, laws, paragraph_text, rendered_clause, sources

from clausewright import pipeline
from clausewright.cli.main import cli
from clausewright.ooxml import reader

pytestmark = pytest.mark.timeout(300)

SUPPLY = SAMPLES / "shenzhen-electronics.yaml"  # a Shenzhen supplier under Hong Kong law (HKIAC)
SERVICES = SAMPLES / "india-software-services.yaml"  # an Indian supplier, a UK customer, personal data
GOODS_ONLY = "agreement_type.drafting.get('supplies') == 'goods'"  # how a note on a shared clause says it concerns goods only


def _fact(pid: str | None, *path: str):
    value = sources().jurisdictions.profiles[pid].data if pid else {}
    for key in path:
        value = (value or {}).get(key)
    return value


@dataclass
class Draft:
    result: pipeline.Result
    info: reader.DocxInfo
    clauses: reader.Document

    def clause(self, clause_id: str) -> list[str]:
        """The paragraphs of one clause, heading first, as the DOCX holds them."""
        return self.clauses.clauses[clause_id].paragraphs

    def starting(self, clause_id: str, heading: str) -> str | None:
        return next((text for text in self.clause(clause_id) if text.startswith(heading)), None)

    def notes(self, clause_id: str) -> set[str]:
        return {n.id for n in self.result.composition.notes if n.clause == clause_id}

    def comments(self) -> str:
        return " ".join(" ".join(text.split()) for text in self.info.comments.values())

    def definition(self, term: str) -> str:
        return next(p.text for p in self.info.paragraphs if p.text.startswith(f"“{term}”"))


def _generate(bundled_sources, tmp_path, sample, *overrides: str) -> Draft:
    out = tmp_path / f"{sample.stem}-{abs(hash(overrides))}.docx"
    result = pipeline.generate(sample, out, sources=bundled_sources, overrides=list(overrides), page_numbers=False)
    data = out.read_bytes()
    return Draft(result, reader.read(data), reader.read_clauses(data))


def _clause_text(comp, clause_id: str) -> dict[str, str]:
    section = next(s for s in comp.agreement.sections() if s.clause_id == clause_id)
    return {p.anchor or f"#{i}": paragraph_text(p) for i, p in enumerate(section.paragraphs)}


def _services(law: str, supplier: str, customer: str, position: str = "balanced", **extra):
    return composition(law, supplier, position, extra={"agreement.type": "services", "buyer.country": customer, **extra})


# 1. The power of attorney under a law that creates one only by deed ----------------------------

ENGLISH_LAW = ("law.governing_law=england-wales", "disputes.institution=LCIA", "disputes.seat=london", "agreement.locale=en_GB")


def test_an_english_law_supply_draft_authorises_and_has_the_power_granted_by_deed(bundled_sources, tmp_path):
    draft = _generate(bundled_sources, tmp_path, SUPPLY, *ENGLISH_LAW, "positions.overall=supplier")
    attorney = draft.starting("intellectual-property", "Authorisation.")
    assert attorney is not None, draft.clause("intellectual-property")
    assert "The Supplier authorises the Buyer, irrevocably, to sign every document" in attorney
    # the deed, in the form the PRC supplier's country requires, expressed irrevocable and by way of security
    assert ("grant the Buyer a separate power of attorney in the terms of this clause, executed as a deed and signed by its "
            "legal representative and bearing its company chop, expressed to be irrevocable and given by way of security") in attorney
    assert "within 10 Business Days after the date of this Agreement" in attorney
    assert not re.search(r"appoints the Buyer.{0,80}as its attorney", draft.info.text())
    assert "ew-power-of-attorney-deed" in draft.notes("intellectual-property")
    assert "Powers of Attorney Act 1971 s 1(1)" in draft.comments()


def test_the_agreement_itself_appoints_an_attorney_under_no_law_that_requires_a_deed():
    deed_laws = {pid for pid in laws() if _fact(pid, "drafting", "power_of_attorney_deed")}
    assert deed_laws == {"england-wales", "hong-kong", "singapore"}
    for law in laws():
        civil = _fact(law, "governing_law", "system") == "civil"
        for supplier in laws():
            for kind in ("supply", "services", "nnn"):
                _, comp = composition(law, supplier, "buyer", extra={"agreement.type": kind})
                text = "\n".join(paragraph_text(p) for s in comp.agreement.sections() for p in s.paragraphs)
                where = f"type={kind} law={law} supplier={supplier}"
                if law in deed_laws:
                    assert "as its attorney" not in text, where
                if kind != "supply":
                    continue
                deed = "separate power of attorney in the terms of this clause, executed as a deed" in text
                assert deed == (law in deed_laws), where
                assert text.count("Authorisation. The Supplier authorises the Buyer") == int(civil or law in deed_laws), where
                notes = {n.profile.id for n in comp.notes if n.id.endswith("-power-of-attorney-deed")}
                assert notes == ({law} & deed_laws), where


def test_the_floor_refuses_an_attorney_appointed_in_the_agreement_under_a_deed_law():
    """The floor `library check` tests in every combination matches the clause under English law
    and would not match the common-law appointment the clause used to make there."""
    clause = sources().library.clauses["intellectual-property"]
    floor = next(f for f in clause.floors if f.id == "power-of-attorney-by-deed")
    assert "power_of_attorney_deed" in (floor.when or "")
    english = " ".join((rendered_clause("intellectual-property", "england-wales", "china", "balanced") or "").split())
    appointment = " ".join((rendered_clause("intellectual-property", "new-york", "china", "balanced") or "").split())  # under hand
    assert english and "irrevocably appoints the [[Buyer]]" in appointment
    assert re.search(floor.requires, english)
    assert not re.search(floor.requires, appointment)


# 2. The copyright rules of the services customer's country -------------------------------------

# The paragraph of clause services-ip that each copyright_assignment fact calls for.
SERVICES_COPYRIGHT = {
    "rights-of-use": ("germany", "Rights of use under German law."),
    "named-adaptation-rights": ("japan", "Adaptation rights under Japanese law."),
    "derivative-rights": ("korea", "Derivative works under Korean law."),
    "term-stated": ("thailand", "Term of the assignment under Thai law."),
    "onerous-registered": ("mexico", "Transfer under Mexican law."),
    "signed-writing": ("signed-writing", "Signed writing."),
}
# The customers' countries whose services copyright note reaches a draft for a customer there.
CUSTOMER_NOTES = {"japan": "jp-services-copyright", "germany": "de-services-copyright", "thailand": "th-services-copyright",
                  "mexico": "mx-services-copyright", "england-wales": "ew-services-copyright", "hong-kong": "hk-services-copyright",
                  "singapore": "sg-services-copyright"}


@pytest.mark.parametrize("law", laws())
def test_the_services_assignment_meets_the_copyright_rule_of_every_law_in_play(law):
    """Governing law, the supplier's country (where the work is made) and the customer's country
    (where it is exploited): each one's rule has its paragraph in the services IP clause."""
    for k, customer in enumerate(laws()):
        supplier = laws()[(k + 1 + laws().index(law) % (len(laws()) - 1)) % len(laws())]  # never the customer's country
        assert supplier != customer
        _, comp = _services(law, supplier, customer)
        ip = _clause_text(comp, "services-ip")
        where = f"law={law} supplier={supplier} customer={customer}"
        expected = {_fact(pid, "drafting", "copyright_assignment") for pid in (law, supplier, customer)} - {None}
        drafted = {rule for rule, (anchor, _) in SERVICES_COPYRIGHT.items() if f"services-ip.{anchor}" in ip}
        assert drafted == expected, where
        for rule in expected:
            anchor, heading = SERVICES_COPYRIGHT[rule]
            assert ip[f"services-ip.{anchor}"].startswith(heading), where
        if customer in CUSTOMER_NOTES:
            assert CUSTOMER_NOTES[customer] in {n.id for n in comp.notes}, where


def test_a_japanese_customers_services_draft_names_articles_27_and_28_and_registration(bundled_sources, tmp_path):
    draft = _generate(bundled_sources, tmp_path, SERVICES, "buyer.country=japan", "law.governing_law=singapore",
                      "disputes.institution=SIAC", "disputes.seat=singapore", "disputes.arbitration_agreement_law=singapore")
    japan = draft.starting("services-ip", "Adaptation rights under Japanese law.")
    assert japan is not None, draft.clause("services-ip")
    assert "articles 27 and 28 of the Copyright Act of Japan" in japan
    assert "help the Customer register the assignment so that it has effect against third parties" in japan
    assert draft.starting("services-ip", "Terms of the assignment under Indian law.") is not None  # the supplier's country still
    assert draft.starting("services-ip", "Signed writing.") is not None  # and the governing law's
    assert "jp-services-copyright" in draft.notes("services-ip") and "art. 61(2)" in draft.comments()


# 3. The DPDP Act for an Indian supplier working for a customer outside India --------------------

def test_an_indian_supplier_for_a_customer_abroad_keeps_only_the_duties_that_still_apply(bundled_sources, tmp_path):
    """For a UK customer the DPDP Act is not the data's law; for an Indian customer it still is."""
    draft = _generate(bundled_sources, tmp_path, SERVICES)  # a UK customer
    india = draft.starting("services-data", "Indian law.")
    assert india is not None
    assert "section 17(1)(d) of the Digital Personal Data Protection Act, 2023 disapplies most of that Act" in india
    assert "the law of the Customer’s country on the protection of Personal Data, not that Act, governs it" in india
    assert "reasonable security safeguards against a personal data breach that section 8(5) calls for" in india
    assert "CERT-In within 6 hours" in india and "180 days" in india
    assert "Act, 2023 of India and the rules made under it, to the extent they apply" in draft.definition("Data Protection Law")
    assert draft.notes("services-data") >= {"in-services-dpdp-abroad"} and "in-services-dpdp" not in draft.notes("services-data")
    assert "s 17(1)(d) disapplies Chapter II" in draft.comments()
    assert not [f.message for f in draft.result.findings if f.id == "note-does-not-fit"]

    home = _generate(bundled_sources, tmp_path, SERVICES, "buyer.country=india", "law.governing_law=india")
    india = home.starting("services-data", "Indian law.")
    assert india is not None and "17(1)(d)" not in india
    assert india.startswith("Indian law. The Supplier shall comply with the obligations of a data processor under the Digital")
    assert "to the extent they apply" not in home.definition("Data Protection Law")
    assert "in-services-dpdp" in home.notes("services-data") and "in-services-dpdp-abroad" not in home.notes("services-data")


def test_a_japanese_customers_draft_has_the_appi_terms_and_the_indian_exemption(bundled_sources, tmp_path):
    draft = _generate(bundled_sources, tmp_path, SERVICES, "buyer.country=japan")
    assert "section 17(1)(d)" in (draft.starting("services-data", "Indian law.") or "")
    assert draft.starting("services-data", "Transfers from Japan.") is not None


def test_the_floor_holds_the_indian_paragraph_for_a_customer_abroad():
    clause = sources().library.clauses["services-data"]
    floor = next(f for f in clause.floors if f.id == "dpdp-not-the-customers-law")
    abroad = " ".join((rendered_clause("services-data", "england-wales", "india", "balanced",
                                       extra={"agreement.type": "services", "buyer.country": "japan"}) or "").split())
    assert abroad and re.search(floor.requires, abroad)
    assert not re.search(floor.requires, abroad.replace("section 17(1)(d)", "section 17"))


# 4. The compliance clause of the services agreement ----------------------------------------------

def test_a_japanese_customers_services_draft_has_export_controls_and_the_jp_export_control_note(bundled_sources, tmp_path):
    draft = _generate(bundled_sources, tmp_path, SERVICES, "buyer.country=japan", "services.personal_data=true")
    compliance = " ".join(draft.clause("compliance"))
    assert "Export controls and sanctions." in compliance and "(a deemed export)" in compliance
    assert draft.starting("compliance", "Technology the Customer provides.") is not None
    assert draft.starting("compliance", "Anti-bribery.") is not None
    # the goods-only paragraphs stay out, and so do the notes declared for them
    for heading in ("Customs measures.", "Responsible sourcing.", "Personal data."):
        assert draft.starting("compliance", heading) is None, heading
    assert "jp-export-control" in draft.notes("compliance")
    assert not draft.notes("compliance") & {"jp-data", "jp-customs", "in-data"}
    assert "FEFTA art. 25" in draft.comments()
    explained = json.loads(CliRunner().invoke(cli, ["explain", str(SERVICES), "--set", "buyer.country=japan", "--format", "json"]).output)
    compliance_entry = next(c for c in explained["clauses"] if c["clause"] == "compliance")
    assert "jp-export-control" in {n["id"] for n in compliance_entry["notes"] if n["attached"]}
    # the supply agreement's compliance clause keeps its goods paragraphs and their notes
    draft = _generate(bundled_sources, tmp_path, SUPPLY, "buyer.country=japan")
    for heading in ("Customs measures.", "Responsible sourcing.", "Personal data."):
        assert draft.starting("compliance", heading) is not None, heading
    assert draft.starting("compliance", "Technology the Buyer provides.") is None
    assert {"jp-export-control", "jp-data", "jp-customs"} <= draft.notes("compliance")


def _services_kind_uses(clause_id: str) -> bool:
    clause = sources().library.clauses[clause_id]
    return bool(clause.types) and ("services" in clause.types or "all" in clause.types)


def _supply_kind_uses(clause_id: str) -> bool:
    clause = sources().library.clauses[clause_id]
    return not clause.types or "supply" in clause.types or "all" in clause.types


def test_every_note_on_a_clause_both_agreements_share_reaches_a_services_draft_unless_declared_goods_only():
    """A note on a shared clause either reaches some services draft where its profile holds one of
    its roles, or says in its `when` that it concerns goods only: no note vanishes silently."""
    profiles = sources().jurisdictions.profiles
    expected = {(pid, n["id"]) for pid, p in profiles.items() for n in p.data.get("notes") or []
                if n["clause"] == "compliance" and GOODS_ONLY not in (n.get("when") or "")}
    reached: set[tuple[str, str]] = set()
    for supplier in laws():
        for customer in laws():
            _, comp = _services(supplier, supplier, customer)
            reached |= {(n.profile.id, n.id) for n in comp.notes if n.clause == "compliance"}
    assert expected - reached == set()
    # and a note declared goods-only never reaches one
    assert not {(pid, nid) for pid, nid in reached if GOODS_ONLY in (next(n for n in profiles[pid].data["notes"] if n["id"] == nid).get("when") or "")}
    assert _services_kind_uses("compliance") and _supply_kind_uses("compliance")
