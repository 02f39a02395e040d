"""The software and engineering services agreement (``agreement.type: services``): the bundled
sample generates, reads as a services agreement under the Customer's and Supplier's names, carries
the Indian assignment terms, and works through bulk runs like the supply agreement."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from clausewright import pipeline
from clausewright.assembly import term_names
from clausewright.cli.main import cli
from clausewright.ooxml import reader

pytestmark = pytest.mark.timeout(300)

SAMPLE = SAMPLES / "india-software-services.yaml"


@pytest.fixture(scope="module")
def sample(bundled_sources, tmp_path_factory):
    path = tmp_path_factory.mktemp("services") / "services.docx"
    result = pipeline.generate(SAMPLE, path, sources=bundled_sources)
    return path, result, reader.read(path.read_bytes())


def test_the_sample_is_a_services_agreement_with_its_own_parts(sample):
    path, result, info = sample
    agreement = result.composition.agreement
    assert result.composition.type_id == "services"
    assert agreement.title == "Software and Engineering Services Agreement"
    body = [s.clause_id for s in agreement.body]
    for cid in ("services-scope", "services-acceptance", "services-fees", "services-ip", "services-source-code",
                "services-open-source", "services-data", "services-personnel",
                "services-security", "services-warranties", "services-service-levels", "services-term"):
        assert cid in body
    # the shared clauses, written once, are in it too
    assert {"definitions", "confidentiality", "governing-law", "dispute-resolution", "general"} <= set(body)
    assert [s.clause_id for s in agreement.front] == ["parties", "services-recitals"]
    assert [s.clause_id for s in agreement.schedules] == ["schedule-sow"]
    assert reader.check(path.read_bytes()) == []


def test_the_parties_are_customer_and_supplier_and_nothing_of_a_supply_of_goods_remains(sample):
    _, _, info = sample
    text = info.text()
    assert "(the “Customer”)" in text and "(the “Supplier”)" in text
    for word in ("Buyer", "Incoterm", "Tooling", "tooling", "manufacturer", "Products", "Order"):
        assert word not in text, word


def test_the_assignment_states_the_section_19_terms_under_indian_law(sample):
    _, _, info = sample
    paragraphs = [p.text for p in info.paragraphs]
    assignment = next(p for p in paragraphs if p.startswith("Assignment."))
    assert "hereby assigns" in assignment and "future rights" in assignment
    india = " ".join(paragraphs[paragraphs.index(next(p for p in paragraphs if p.startswith("Terms of the assignment under Indian law"))):][:5])
    for element in ("section 14", "worldwide and for the full term", "consideration for the assignment", "section 19(5)", "section 19(6)", "section 19(4)"):
        assert element in india, element


def test_every_cross_reference_points_at_its_numbered_target(sample):
    _, _, info = sample
    refs = [r for p in info.paragraphs for r in p.refs]
    assert len(refs) >= 20
    for target, cached in refs:
        assert info.bookmark_paragraph(target).full == cached


def test_the_sample_passes_check_without_an_error():
    result = CliRunner().invoke(cli, ["check", str(SAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)
    assert not [f for f in findings.get("findings", findings) if isinstance(f, dict) and f.get("severity") == "error"]


def test_a_type_renames_the_terms_of_shared_clauses():
    names = {"Buyer": "Customer", "Buyer Materials": "Customer Materials"}
    text = 'the [[Buyer]] and the [[Buyer|Buyer’s]] staff, (the ""Buyer""), [[Buyer Materials]], [[Buyer IP]] and deal text Buyer'
    assert term_names.rename(text, names) == (
        'the [[Customer]] and the [[Customer|Customer’s]] staff, (the ""Customer""), [[Customer Materials]], [[Buyer IP]] and deal text Buyer')
    assert term_names.rename(text, {}) == text


def test_bulk_runs_services_agreements_from_a_small_defaults_file(tmp_path):
    defaults = tmp_path / "defaults.yaml"
    defaults.write_text(
        "agreement: {type: services, date: 2026-12-01}\n"
        "buyer: {name: Harwell Motion Systems Ltd, entity_type: private limited company, country: england-wales,"
        " incorporation: England and Wales, address: 'Unit 4, Milton Park, Abingdon', signatory: {name: Thomas Reid},"
        " notices: {attention: Head of Legal, email: legal@harwell.example}}\n"
        "services: {description: the development of software for the customer's products}\n"
        "commercial: {currency: GBP}\n"
        "law: {governing_law: england-wales}\n", encoding="utf-8")
    suppliers = tmp_path / "suppliers.csv"
    with suppliers.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["supplier_id", "supplier.name", "supplier.entity_type", "supplier.country", "supplier.address",
                    "supplier.signatory.name", "supplier.notices.attention", "supplier.notices.email"])
        w.writerow(["S1", "Nandi Hills Software Private Limited", "private limited company", "india", "Bengaluru 560103",
                    "Vikram Iyer", "Vikram Iyer", "legal@nandihills.example"])
        w.writerow(["S2", "Saigon Code Co., Ltd", "limited liability company", "vietnam", "Ho Chi Minh City",
                    "Tran Van Minh", "Tran Van Minh", "legal@saigoncode.example"])
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["bulk", "run", str(suppliers), "--defaults", str(defaults), "--out", str(out)])
    assert result.exit_code == 0, result.output
    docs = sorted(out.rglob("*.docx"))
    assert len(docs) == 2
    for doc in docs:
        text = reader.read(doc.read_bytes()).text()
        assert "Software and Engineering Services Agreement" in text and "hereby assigns" in text
        assert "Incoterm" not in text and "Buyer" not in text


def test_stamp_duty_is_drafted_for_an_indian_supplier_and_check_points_at_that_clause(sample):
    _, result, info = sample
    paragraphs = [p.text for p in info.paragraphs]
    assert any(p.startswith("Stamp duty. The Supplier shall ensure that this Agreement (and each Statement of Work, amendment") for p in paragraphs)
    assert any(p.startswith("under the Indian Stamp Act 1899") for p in paragraphs)
    number = next(s for s in result.composition.agreement.body if s.clause_id == "local-law").paragraphs[0].label
    checked = CliRunner().invoke(cli, ["check", str(SAMPLE), "--format", "json"])
    stamp = [f for f in json.loads(checked.output)["findings"] if f["id"] == "stamp-duty"]
    assert [f["clause"] for f in stamp] == ["local-law"] and f"Clause {number} allocates the duty" in stamp[0]["message"]


# Each country's points on the assignment of the work product (the paragraph of services-ip its
# profile's copyright_assignment fact picks) and the counsel notes its profile gives the services
# clauses, as comments: assignment, personal data, and disguised agency work or labour dispatch
# where the country has a rule on it.
COUNTRY_POINTS = {
    "india": ("Terms of the assignment under Indian law.", ["in-services-copyright", "in-services-dpdp-abroad", "in-services-labour"]),  # a UK customer
    "vietnam": ("Assignment from Vietnam.", ["vn-services-copyright", "vn-services-technology-transfer", "vn-services-pdpl", "vn-services-labour"]),
    "china": ("Assignment from the People’s Republic of China.", ["cn-services-copyright", "cn-services-technology-export", "cn-services-pipl", "cn-services-labour"]),
    "south-korea": ("Derivative works under Korean law.", ["kr-services-copyright", "kr-services-data", "kr-services-labour", "kr-services-escrow"]),
    "japan": ("Adaptation rights under Japanese law.", ["jp-services-copyright", "jp-services-labour"]),
    "germany": ("Rights of use under German law.", ["de-services-copyright", "de-services-labour", "de-services-escrow"]),
    "thailand": ("Term of the assignment under Thai law.", ["th-services-copyright", "th-services-data", "th-services-labour"]),
    "mexico": ("Transfer under Mexican law.", ["mx-services-copyright", "mx-services-labour", "mx-services-data"]),
    "singapore": ("Signed writing.", ["sg-services-copyright", "sg-services-data"]),
    "hong-kong": ("Signed writing.", ["hk-services-copyright", "hk-services-data"]),
    "new-york": (None, ["ny-services-copyright", "ny-services-escrow"]),
}


@pytest.mark.parametrize("country", sorted(COUNTRY_POINTS))
def test_each_suppliers_country_has_its_assignment_point_and_counsel_notes(bundled_sources, tmp_path, country):
    heading, note_ids = COUNTRY_POINTS[country]
    out = tmp_path / f"{country}.docx"
    result = pipeline.generate(SAMPLE, out, sources=bundled_sources, overrides=[f"supplier.country={country}"], page_numbers=False)
    info = reader.read(out.read_bytes())
    if heading:
        assert any(p.text.startswith(heading) for p in info.paragraphs), heading
    notes = {n.id: n for n in result.composition.notes}
    assert set(note_ids) <= set(notes), sorted(notes)
    comments = list(info.comments.values())
    for nid in note_ids:
        note = notes[nid]
        assert note.clause.startswith("services-") and note.data["last_reviewed"] and note.data["citation"]
        # the note reaches the draft as a comment, flagged where the facts are uncertain
        words = note.data["text"].split()
        phrase = next(" ".join(words[i:i + 6]) for i in range(len(words)) if not any("<<" in w for w in words[i:i + 6]))
        comment = next(c for c in comments if phrase in " ".join(c.split()))
        assert ("VERIFY with local counsel" in comment) == note.verify
        assert ("(verify)" in note.data["text"]) <= note.verify


def test_the_uncertain_points_of_the_facts_reach_the_lawyer_flagged(bundled_sources):
    profiles = bundled_sources.jurisdictions.profiles
    flagged = {(pid, n["id"]) for pid, p in profiles.items() for n in p.data["notes"] if n.get("verify")}
    for expected in [("india", "in-services-copyright"), ("india", "in-services-dpdp"), ("vietnam", "vn-services-technology-transfer"),
                     ("china", "cn-services-copyright"), ("south-korea", "kr-services-copyright"), ("germany", "de-services-copyright"),
                     ("thailand", "th-services-copyright"), ("singapore", "sg-services-copyright"), ("hong-kong", "hk-services-copyright")]:
        assert expected in flagged, expected
    india = next(n for n in profiles["india"].data["notes"] if n["id"] == "in-services-copyright")["text"]
    assert "s 57" in india and "untested" in india and "s 19(5)-(6)" in india


def _data_clause(bundled_sources, *sets):
    """The services-data clause of the sample with ``sets``: its anchors, its text and the counsel
    notes on it as the draft prints them."""
    from clausewright.assembly.notes import note_text, numbers
    from clausewright.qa.drafting import section_text

    raw = pipeline.read_answers(SAMPLE, list(sets))
    deal = pipeline.validate_deal(raw, bundled_sources, source=str(SAMPLE))
    composition = pipeline.assemble(deal, bundled_sources, strict=False)
    section = next(s for s in composition.agreement.sections() if s.clause_id == "services-data")
    refs = numbers(composition.agreement)
    notes = {n.id: note_text(n, composition.kind, refs) for n in composition.notes if n.clause == "services-data"}
    return {p.anchor for p in section.paragraphs if p.anchor}, " ".join(section_text(section).split()), notes, refs


def test_a_uk_customers_transfers_have_their_safeguard_and_the_note_says_what_is_left(bundled_sources):
    anchors, text, notes, refs = _data_clause(bundled_sources)  # UK customer, Indian supplier
    assert "services-data.uk-transfers" in anchors
    assert "Transfers from the United Kingdom" in text and "the International Data Transfer Agreement issued by the Information Commissioner" in text
    assert "not be materially lower" in text
    note = notes["ew-services-transfers"]
    assert f"Clause {refs['services-data.uk-transfers']} requires the IDTA or the UK Addendum" in note
    assert "(from 5 February 2026, verify)" in note and "VERIFY with local counsel" in note
    _, addendum, _, _ = _data_clause(bundled_sources, "services.uk_transfer_tool=addendum")
    assert "as amended for such transfers by the International Data Transfer Addendum issued by the Information Commissioner" in addendum
    # a supplier in the United Kingdom too: no transfer, so neither the paragraph nor the note
    anchors, text, notes, _ = _data_clause(bundled_sources, "supplier.country=england-wales")
    assert "services-data.uk-transfers" not in anchors and "ew-services-transfers" not in notes


@pytest.mark.parametrize(("customer", "anchor", "law"), [("china", "services-data.china", "Personal Information Protection Law"),
                                                         ("vietnam", "services-data.vietnam", "the Law on Personal Data Protection requires for cross-border transfers")])
def test_a_customer_whose_law_controls_transfers_abroad_has_that_paragraph(bundled_sources, customer, anchor, law):
    anchors, text, _, _ = _data_clause(bundled_sources, f"buyer.country={customer}")
    assert anchor in anchors and "services-data.uk-transfers" not in anchors
    assert law in text


def test_an_eu_customer_and_an_eu_supplier_make_no_transfer(bundled_sources):
    anchors, _, _, _ = _data_clause(bundled_sources, "buyer.country=germany")
    assert "services-data.gdpr" in anchors
    anchors, _, _, _ = _data_clause(bundled_sources, "buyer.country=germany", "supplier.country=germany")
    assert "services-data.gdpr" not in anchors
