"""The stand-alone NNN agreement (agreement.type: nnn): the Shenzhen sample generated and read
back as a document, its defaults (the supplier's own law and courts), the arbitration
alternative, agreed damages worded by the governing law's test, positions, and the rule checks
and counsel notes it carries."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from clausewright import pipeline
from clausewright.cli.main import cli
from clausewright.ooxml import reader

pytestmark = pytest.mark.timeout(300)

SAMPLE = SAMPLES / "shenzhen-nnn.yaml"
# its own clauses, and the definitions, confidentiality core, law, disputes and boilerplate every type shares
NNN_CLAUSES = ["parties", "nnn-recitals", "definitions", "nnn-non-use", "confidentiality", "nnn-non-circumvention", "nnn-damages",
               "nnn-return", "nnn-term", "governing-law", "dispute-resolution", "general", "nnn-schedule-disclosures"]


@pytest.fixture(scope="module")
def sample(bundled_sources, tmp_path_factory):
    path = tmp_path_factory.mktemp("nnn") / "shenzhen-nnn.docx"
    result = pipeline.generate(SAMPLE, path, sources=bundled_sources)
    return result, path.read_bytes()


def _body(bundled_sources, *sets: str) -> str:
    """The text of an NNN agreement for a Vietnamese supplier (no translation), with ``sets``."""
    overrides = ["supplier.country=vietnam", "agreement.translation=", "commercial.currency=USD", *sets]
    result = pipeline.generate(SAMPLE, None, sources=bundled_sources, overrides=overrides, page_numbers=False)
    return reader.read(result.docx).text()


def test_the_shenzhen_sample_is_a_sound_nnn_agreement(sample):
    result, docx = sample
    assert reader.check(docx) == []
    info = reader.read(docx)
    # its parts: only the NNN's clauses and schedule, in order, and the shared parties clause
    drafted = [s.clause_id for s in result.composition.agreement.sections()]
    assert drafted == NNN_CLAUSES
    assert sorted(k.removeprefix("clausewright.clause.") for k in info.properties if k.startswith("clausewright.clause.")) == sorted(NNN_CLAUSES)
    headings = [p.text for p in info.paragraphs if p.style == "Heading1"]
    assert headings == ["Definitions and interpretation", "Non-use", "Confidentiality", "Non-circumvention", "Remedies and agreed damages",
                        "Return of materials", "Term", "Governing law", "Dispute resolution", "General"]
    text = info.text()
    assert "This Non-Use, Non-Disclosure and Non-Circumvention Agreement (this “Agreement”) is dated 1 December 2026" in text
    assert "深圳恒达精密压铸有限公司" in text and "Unified Social Credit Code 91440300MA5XXXXX1Q" in text
    # the supplier's law and courts, the court of its domicile, and the Chinese text prevails
    assert "are governed by the laws of the People’s Republic of China" in text
    assert ("submits to the exclusive jurisdiction of the competent people’s courts of the People’s Republic of China, and in the first instance of "
            "the court with jurisdiction at the place where the Supplier is domiciled, to settle any Dispute.") in text
    assert "This Agreement is made in English and in Chinese, and both texts are signed. If they differ, the Chinese text prevails." in text
    assert "shall affix its company seal next to its signature" in text
    # agreed damages graded in three tiers, worded for a law under which a court may raise or reduce them
    assert "tier 1: CNY 500,000.00 (five hundred thousand Chinese yuan)" in text and "tier 2: CNY 125,000.00" in text
    assert "agreed under PRC law (a pre-estimate of damages within the meaning of Article 585 of the Civil Code)" in text and "may raise an agreed amount that is lower than the loss or reduce one" in text
    # cross-references are fields whose cached numbers are the numbers of their targets
    refs = [r for p in info.paragraphs for r in p.refs]
    assert len(refs) >= 20
    for target, cached in refs:
        assert info.bookmark_paragraph(target).full == cached
    assert "in breach of clause 4.2" in text and "clause 2.1(c)" in text and "recorded in Schedule 1" in text
    # counsel notes for a Mainland supplier, as comments
    comments = " ".join(info.comments.values())
    assert "court of the manufacturer’s domicile" in comments and "sign a Chinese version and let it prevail" in comments
    assert "more than 30% above the loss" in comments


def test_check_passes_the_sample_and_explain_names_the_type(tmp_path):
    checked = CliRunner().invoke(cli, ["check", str(SAMPLE), "--format", "json"])
    assert checked.exit_code == 0, checked.output
    explained = CliRunner().invoke(cli, ["explain", str(SAMPLE)])
    assert explained.output.startswith("Non-Use, Non-Disclosure and Non-Circumvention Agreement (library")
    assert "[IN ] nnn-damages" in explained.output and "intellectual-property" not in explained.output


def test_the_suppliers_own_law_and_courts_by_default_and_arbitration_when_chosen(bundled_sources):
    text = _body(bundled_sources)
    assert "governed by the laws of the Socialist Republic of Vietnam" in text
    assert "in the first instance of the court with jurisdiction at the place where the Supplier is domiciled" in text
    assert "This Agreement is made in English. Any translation is for convenience only" in text
    text = _body(bundled_sources, "disputes.method=arbitration")
    assert "finally resolved by arbitration administered by the Singapore International Arbitration Centre" in text
    assert "the seat, or legal place, of the arbitration is" in text and "domiciled" not in text


@pytest.mark.parametrize("law, wording", [
    ("vietnam", "or, if less and to the extent Vietnamese law limits it, 8 per cent of the value of the contractual obligation breached"),
    ("mexico", "may demand either performance of the obligation breached or payment of the penalty"),
    ("india", "for the purposes of section 74 of the Indian Contract Act 1872"),
    ("germany", "contractual penalty (Vertragsstrafe) within the meaning of sections 339 to 345"),
    ("england-wales", "protects the Buyer’s legitimate interest"),
    ("new-york", "are liquidated damages, payable as compensation"),
])
def test_agreed_damages_follow_the_governing_laws_test(bundled_sources, law, wording):
    text = _body(bundled_sources, f"law.governing_law={law}")
    assert wording in text


def test_positions_shape_duration_and_non_circumvention(bundled_sources):
    buyer = _body(bundled_sources, "positions.overall=buyer")
    assert "continues after this Agreement ends, without limit of time" in buyer
    assert "or any other customer or supplier of the Buyer that the Supplier learns of" in buyer
    supplier = _body(bundled_sources, "positions.overall=supplier", "non_circumvention.years=4")
    assert "During the Term and for 1 year after it ends" in supplier
    assert "During the Term and for 4 years after it ends, the Supplier shall not make" in supplier
    assert "Trade Secrets stay protected under this clause for as long as they remain Trade Secrets" in supplier


def test_the_ban_on_the_buyers_products_lasts_as_long_as_the_design_is_protected_at_the_balanced_position(bundled_sources):
    """As in the supply agreement: no end date at the buyer position, while the design is protected
    at the balanced one (a ban on imitating a product whose design is free is a bare restraint)."""
    buyer = " ".join(_body(bundled_sources, "positions.overall=buyer").split())
    assert "Without limit of time, the Supplier shall not make, have made, sell" in buyer
    balanced = " ".join(_body(bundled_sources, "positions.overall=balanced").split())
    assert ("During the Term, and afterwards for as long as the design of the Product concerned remains protected by any "
            "Intellectual Property Rights of the Buyer or as Confidential Information, the Supplier shall not make") in balanced
    assert "Without limit of time" not in balanced


def test_rule_checks_and_the_penalty_cap_reach_the_nnn(bundled_sources):
    result = pipeline.generate(SAMPLE, None, sources=bundled_sources, overrides=["supplier.country=vietnam", "agreement.translation="], page_numbers=False)
    found = {f.id: f for f in result.findings}
    assert "penalty-cap-unverified" in found or any(f.startswith("penalty") for f in found), sorted(found)
    penalty = next(f for f in result.findings if f.id.startswith("penalty"))
    assert penalty.clause == "nnn-damages" and "8%" in penalty.message
    india = pipeline.generate(SAMPLE, None, sources=bundled_sources, overrides=["supplier.country=india", "agreement.translation="], page_numbers=False)
    stamp = next(f for f in india.findings if f.id == "stamp-duty")
    assert "allocates the duty and the time for stamping" in stamp.message and stamp.clause == "local-law"


def test_key_terms_of_the_nnn_are_its_own(tmp_path):
    result = CliRunner().invoke(cli, ["terms", str(SAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    terms = {tid: t["value"] for tid, t in json.loads(result.output)["terms"].items()}
    assert terms["agreement.type"] == "Non-Use, Non-Disclosure and Non-Circumvention Agreement"
    assert terms["law.governing_law"] == "China (Mainland)" and terms["agreed_sums.tier1"] == "CNY 500,000.00"
    # the supply agreement's terms are empty: the NNN does not ask their parameters or has no such clause
    assert terms["payment.days"] is None and terms["audit.frequency"] is None and terms["term.initial_years"] is None


def test_bulk_sends_an_nnn_agreement_to_every_supplier(tmp_path):
    out = tmp_path / "nnn"
    result = CliRunner().invoke(cli, ["bulk", "run", str(SAMPLES / "bulk" / "suppliers.csv"), "--defaults", str(SAMPLES / "bulk" / "nnn-defaults.yaml"),
                                      "--out", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 7 and all(r["status"] == "written" for r in rows)
    laws = {"vietnam": "the Socialist Republic of Vietnam", "china": "the People’s Republic of China", "thailand": "the Kingdom of Thailand",
            "india": "India", "mexico": "the United Mexican States", "south-korea": "the Republic of Korea"}
    for row in rows:
        assert "nnn-non-circumvention" in row["clauses"] and "remedies" not in row["clauses"]
        # each supplier's own law governs its agreement
        country = row["profiles"]["supplier_country"].split()[0]
        assert row["profiles"]["governing_law"].split()[0] == country
        text = reader.read((out / row["output"]).read_bytes()).text()
        assert text.startswith("Non-Use, Non-Disclosure and Non-Circumvention Agreement") and laws[country] in text
