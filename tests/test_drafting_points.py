"""Drafting points that apply across the library: typography, remedies wording, force majeure,
renvoi, consolidation, AI tools, insurance, IP deadlines and the power of attorney."""

from __future__ import annotations

import re

import library_matrix
import pytest

from clausewright.assembly.model import Ref

# Clauses whose wording is maintained elsewhere; they are not read by the typography test yet.
NOT_OURS: set[str] = set()  # every clause of the library is read


def _drafting_text(comp, skip=NOT_OURS) -> str:
    out = []
    for section in comp.agreement.sections():
        if section.clause_id in skip:
            continue
        for p in section.paragraphs:
            out.append(library_matrix.paragraph_text(p, drafting_only=True))
    for d in comp.agreement.definitions:
        if d.clause_id not in skip:
            out.append(library_matrix.inline_text(d.inlines, drafting_only=True))
    return "\n".join(out)


@pytest.mark.parametrize("law,supplier,position,variant", list(library_matrix.sampled_combinations()))
def test_clause_prose_uses_typographic_quotes(law, supplier, position, variant):
    _, comp = library_matrix.composition(law, supplier, position, variant)
    text = _drafting_text(comp)
    bad = [line for line in text.splitlines() if "'" in line or '"' in line]
    assert not bad, "\n".join(bad)


def test_no_right_merely_to_seek_a_remedy():
    for law, supplier, position, variant in library_matrix.sampled_combinations():
        _, comp = library_matrix.composition(law, supplier, position, variant)
        text = _drafting_text(comp, skip=set())
        assert not re.search(r"entitled to seek|proceedings to seek|right to seek", text), (law, position)


@pytest.mark.parametrize("position", library_matrix.POSITIONS)
def test_force_majeure_never_excuses_payment_confidentiality_or_return(position):
    for tooling in (True, False):
        _, comp = library_matrix.composition("england-wales", "vietnam", position, "defaults", {"tooling.applies": tooling})
        text = library_matrix.agreement_text(comp)
        i = text.index("never excuses or suspends")
        part = text[i:i + 600]
        assert "pay any sum" in part and "Confidential Information" in part and "return, deliver up or destroy" in part
        assert ("Buyer Tooling" in part) == tooling


def test_governing_law_excludes_renvoi_and_arbitration_consolidates():
    for law in library_matrix.laws():
        _, comp = library_matrix.composition(law, "vietnam", "balanced", "defaults")
        text = library_matrix.agreement_text(comp)
        assert "without regard to its conflict-of-laws rules" in text
        assert re.search(r"single arbitration and decided by one tribunal|heard and decided together", text)


def test_no_confidential_information_in_ai_tools():
    for position in library_matrix.POSITIONS:
        _, comp = library_matrix.composition("singapore", "china", position, "defaults")
        text = library_matrix.agreement_text(comp)
        assert re.search(r"generative artificial intelligence tool.{0,200}public online service", text, re.S)


def test_cyber_and_recall_insurance_with_amounts_when_given():
    _, comp = library_matrix.composition("england-wales", "vietnam", "balanced", "defaults", {"insurance.cyber": 3000000, "insurance.product_recall": 4000000})
    text = library_matrix.agreement_text(comp)
    assert re.search(r"product recall insurance.{0,300}4,000,000", text, re.S)
    assert re.search(r"cyber insurance.{0,400}3,000,000", text, re.S)
    _, comp = library_matrix.composition("england-wales", "vietnam", "balanced", "defaults")
    text = library_matrix.agreement_text(comp)
    assert "product recall insurance" in text and "cyber insurance" in text


@pytest.mark.parametrize("law", ["england-wales", "new-york", "singapore", "germany", "vietnam", "china", "japan"])
def test_ip_deadlines_and_power_of_attorney(law):
    deal, comp = library_matrix.composition(law, "vietnam", "balanced", "defaults")
    text = library_matrix.agreement_text(comp)
    assert re.search(r"Foreground IP and each Improvement to the Buyer in writing within 30 days after it is created", text)
    assert re.search(r"within 10 Business Days after the Buyer’s request, sign every document", text)
    assert re.search(r"within 30 days after the Buyer’s request withdraw the application", text)
    assert re.search(r"Affiliates, nominees, agents, Personnel and Approved Subcontractors, and anyone acting for any of them", text)
    profile = library_matrix.sources().jurisdictions.profiles[law].data
    civil = profile["governing_law"]["system"] == "civil"
    if civil or profile["drafting"].get("power_of_attorney_deed"):  # a deed law: authorisation here, the power by deed
        assert "Authorisation. The Supplier authorises the Buyer, irrevocably" in text
        assert "irrevocably appoints the Buyer" not in text  # no common-law attorney by way of security
    else:
        assert "By way of security for its obligations under this clause, the Supplier irrevocably appoints the Buyer" in text
    assert not re.search(r"\bpromptly (withdraw|sign every document)", text)


def test_fca_is_the_default_and_recommended_for_containers():
    param = library_matrix.sources().library.schema.get("commercial.incoterm")
    assert param.default == "FCA"
    assert "containerised" in param.help and "FCA" in param.help
    assert not re.search(r"FCA or FOB are usual", param.help)


@pytest.mark.parametrize("position", library_matrix.POSITIONS)
def test_audit_after_incident_and_buyer_site_inspections(position):
    _, comp = library_matrix.composition("england-wales", "vietnam", position, "defaults")
    text = library_matrix.agreement_text(comp)
    audit = text[text.index("Records and audit"):text.index("Records and audit") + 4000]
    assert "Security Incident" in audit.split("Access.")[0]
    if position == "buyer":
        assert re.search(r"Site inspections\..{0,400}without notice", audit, re.S)


def test_no_common_law_terms_of_art_or_self_certification_in_civil_law_drafts():
    for law in library_matrix.laws():
        civil = library_matrix.sources().jurisdictions.profiles[law].data["governing_law"]["system"] == "civil"
        _, comp = library_matrix.composition(law, "vietnam", "buyer", "all-on")
        text = library_matrix.agreement_text(comp)
        assert ("of the essence" in text) == (not civil), law
        assert "agree that this restriction is reasonable" not in text
    _, comp = library_matrix.composition("england-wales", "vietnam", "buyer", "all-on", {"agreement.confirm_negotiation": True})
    text = library_matrix.agreement_text(comp)
    assert "negotiated this restriction individually" in text
    assert re.search(r"manufactures for a Competitor\.(\s|$)", text)


def test_definitions_never_say_this_clause():
    """Definitions are printed in the definitions clause, so "this clause" in one points at clause 1."""
    library = library_matrix.sources().library
    bad = [f"{c.id}: {d.term}" for c in library.clauses.values() for d in c.defines if re.search(r"\bthis clause\b", d.text, re.I)]
    assert not bad


@pytest.mark.parametrize(("law", "supplier"), [("singapore", "vietnam"), ("hong-kong", "china"), ("england-wales", "india"), ("singapore", "thailand")])
def test_local_requirements_survive_the_agreement(law, supplier):
    """The country clauses (transfer approvals, filing abroad, stamping, the companion NNN
    agreement) matter after the agreement ends, so the survival list names them."""
    _, comp = library_matrix.composition(law, supplier, "balanced", "all-on")
    survival = next(p for p in comp.agreement.paragraphs() if p.anchor == "consequences-termination.survival")
    targets = {i.target for i in survival.all_inlines() if isinstance(i, Ref)}
    present = {s.clause_id for s in comp.agreement.sections()}
    for local in ("ip-local-requirements", "local-law"):
        if local in present:
            assert local in targets, (law, supplier, local)


@pytest.mark.parametrize("position", ["balanced", "supplier"])
def test_disclosure_does_not_take_back_the_know_how_a_position_leaves_to_the_supplier(position):
    """Where a position leaves process know-how to the supplier, the disclosure duty asks it to
    identify that know-how, not to hand it over; and the licence to make the products from it
    arises on the same events as the background licence."""
    _, comp = library_matrix.composition("england-wales", "vietnam", position, "all-on")
    paragraphs = {p.anchor: library_matrix.paragraph_text(p) for p in comp.agreement.paragraphs() if p.anchor}
    disclosure = paragraphs["intellectual-property.disclosure"]
    assert "without disclosing the know-how itself" in disclosure
    if position == "supplier":
        improvements = paragraphs["intellectual-property.improvements"]
        assert "after this Agreement ends or if" not in improvements
        assert "terminates it for convenience" in paragraphs["intellectual-property.supplier-licence"]


@pytest.mark.parametrize(("entity", "expected"), [
    ("exempted company", "an exempted company"), ("limited liability company", "a limited liability company"),
    ("LLC", "an LLC"), ("S.A. de C.V.", "an S.A. de C.V."), ("GmbH", "a GmbH"), ("unlimited company", "an unlimited company"),
    ("European company", "a European company"),
])
def test_a_party_is_described_with_the_article_its_legal_form_takes(entity, expected):
    # "a exempted company" in the parties block, "a Indonesian translation" in the general clause
    _, comp = library_matrix.composition("england-wales", "vietnam", "balanced", "defaults",
                                         {"supplier.entity_type": entity, "agreement.translation": "Indonesian"})
    text = " ".join(library_matrix.agreement_text(comp).split())
    assert f", {expected} incorporated in" in text
    assert "an Indonesian translation" in text and "a Indonesian" not in text


def test_a_third_party_claim_is_not_called_a_claim_under_a_warranty():
    """A third party's infringement claim is not made 'under' the Supplier's warranty to the Buyer:
    the paragraph on infringing products describes the claim and points to the warranty."""
    for law, supplier, position, variant in library_matrix.sampled_combinations():
        _, comp = library_matrix.composition(law, supplier, position, variant)
        for p in comp.agreement.paragraphs():
            if p.anchor != "warranties-indemnity.infringing-products":
                continue
            text = library_matrix.paragraph_text(p)
            assert "a claim under clause" not in text and "If a third party claims" in text, text
