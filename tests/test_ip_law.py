"""The supply agreement's IP article under each law: the copyright-transfer rule of every law in
play, the separate power of attorney the supplier's country requires, customs cooperation as the
supplier's country provides it, and counsel notes that describe the improvements the draft
actually takes. Each is driven by profile facts and checked over every governing law x supplier
country."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES
from library_matrix import composition, laws, paragraph_text, sources

from clausewright.cli.main import cli

# The paragraph of clause intellectual-property.copyright that each copyright_assignment fact
# (the one the services agreement reads too) calls for, by its anchor and heading.
COPYRIGHT_RULES = {
    "rights-of-use": "Rights of use (German law).",
    "named-adaptation-rights": "Adaptation rights (Japanese law).",
    "derivative-rights": "Derivative works (Korean law).",
    "term-stated": "Term (Thai law).",
    "onerous-registered": "Transfer for consideration, its term and its registration (Mexican law).",
    "signed-writing": "Signed writing.",
}


def _fact(pid: str | None, *path: str):
    value = sources().jurisdictions.profiles[pid].data if pid else {}
    for key in path:
        value = (value or {}).get(key)
    return value


def _clause(comp, clause_id: str) -> dict[str, str]:
    """The clause's paragraphs as a reader sees them, by anchor (the anchorless ones by position)."""
    section = next(s for s in comp.agreement.sections() if s.clause_id == clause_id)
    return {p.anchor or f"#{i}": paragraph_text(p) for i, p in enumerate(section.paragraphs)}


def test_the_copyright_rules_the_reference_gives_are_profile_facts():
    given = {pid for pid in laws() if _fact(pid, "drafting", "copyright_assignment")}
    assert {"germany", "japan", "south-korea", "thailand", "mexico", "singapore", "hong-kong", "england-wales", "new-york"} <= given


@pytest.mark.parametrize("law", laws())
def test_the_assignment_meets_the_copyright_rule_of_every_law_in_play(law):
    """Governing law, the supplier's country (where the works are made) and the buyer's country
    (where they are exploited): each one's rule is drafted, with the counsel note that explains it."""
    for supplier in laws():
        buyer = laws()[(laws().index(supplier) + 5) % len(laws())]
        deal, comp = composition(law, supplier, "balanced", extra={"buyer.country": buyer})
        ip = _clause(comp, "intellectual-property")
        expected = {_fact(pid, "drafting", "copyright_assignment") for pid in (law, supplier, buyer)} - {None}
        drafted = {rule for rule in COPYRIGHT_RULES if f"intellectual-property.{rule}" in ip}
        where = f"law={law} supplier={supplier} buyer={buyer}"
        assert drafted == expected, where
        for rule in expected:
            assert ip[f"intellectual-property.{rule}"].startswith(COPYRIGHT_RULES[rule]), where
        if expected:
            assert "The assignment of copyright is made on the terms of clause" in ip["intellectual-property.foreground"], where
            notes = {(n.profile.id, n.id) for n in comp.notes if f"<<intellectual-property.{_fact(n.profile.id, 'drafting', 'copyright_assignment')}>>" in n.data["text"]}
            assert {pid for pid, _ in notes} == {pid for pid in (law, supplier, buyer) if _fact(pid, "drafting", "copyright_assignment")}, where
        else:
            assert "intellectual-property.copyright" not in ip, where


def test_german_law_with_a_thai_supplier_and_new_york_law_with_a_mexican_supplier():
    _, comp = composition("germany", "thailand", "buyer", extra={"buyer.country": "germany"})
    ip = _clause(comp, "intellectual-property")
    german = ip["intellectual-property.rights-of-use"]
    assert "the exclusive right, unlimited in time, territory and content" in german and "in every form of use" in german
    assert "not for the 10 years that the Copyright Act B.E. 2537 (1994) provides" in ip["intellectual-property.term-stated"]
    notes = {n.id: n for n in comp.notes}
    assert notes["de-copyright-transfer"].verify and "§ 31(5)" in notes["de-copyright-transfer"].data["text"]
    assert "where protection is claimed" in notes["th-copyright-transfer"].data["text"]

    _, comp = composition("new-york", "mexico", "buyer", extra={"buyer.country": "new-york"})
    ip = _clause(comp, "intellectual-property")
    mexican = ip["intellectual-property.onerous-registered"]
    assert "for consideration" in mexican and "more than 15 years" in mexican and "(INDAUTOR)" in mexican
    assert "signed by the assignor" in ip["intellectual-property.signed-writing"]


def test_the_power_of_attorney_is_confirmed_where_the_suppliers_country_requires_it_under_every_law():
    requiring = {pid for pid in laws() if _fact(pid, "drafting", "power_of_attorney_form")}
    assert {"mexico", "china", "vietnam", "thailand", "south-korea", "japan"} <= requiring
    for law in laws():
        civil = _fact(law, "governing_law", "system") == "civil"
        for supplier in laws():
            _, comp = composition(law, supplier, "balanced")
            attorney = _clause(comp, "intellectual-property")["intellectual-property.attorney"]
            form = _fact(supplier, "drafting", "power_of_attorney_form")
            where = f"law={law} supplier={supplier}"
            if _fact(law, "drafting", "power_of_attorney_deed"):  # the power is granted by deed, in the supplier's form too
                assert "separate power of attorney in the terms of this clause, executed as a deed" + (f" and {form}" if form else "") in attorney, where
            elif form:
                confirmed = "authorisation" if civil else "appointment"
                assert f"confirm this {confirmed} in a separate power of attorney {form}, certified, apostilled or legalised" in attorney, where
            else:
                assert ("separate power of attorney in the form that the law of the country concerned requires" in attorney) == civil, where


def test_customs_cooperation_follows_the_suppliers_border_measures():
    profiles = sources().jurisdictions.profiles
    without = [pid for pid in laws() if not _fact(pid, "customs_recordation", "available")]
    assert "mexico" in without and all(_fact(pid, "customs_recordation", "measures") for pid in without)
    for supplier in laws():
        _, comp = composition("new-york", supplier, "balanced")
        customs = _clause(comp, "compliance")["compliance.customs"]
        recordal = profiles[supplier].data["customs_recordation"]
        if recordal["available"]:
            assert f"in recording the Buyer IP with customs authorities, including the {recordal['authority']}," in customs, supplier
        else:
            assert customs.startswith("Customs measures. The customs authorities of the Supplier’s country do not record"), supplier
            assert "in recording the Buyer IP with customs authorities," not in customs, supplier
            assert all(measure in customs for measure in recordal["measures"]), supplier


def _japanese_buyer_check(jurisdictions: Path, position: str) -> str:
    result = CliRunner().invoke(cli, ["check", str(SAMPLES / "korea-supplier.yaml"), "--set", f"positions.overall={position}",
                                      "--jurisdictions", str(jurisdictions), "--format", "json"])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_note_that_speaks_of_a_grant_back_the_draft_does_not_make_is_reported(tmp_path):
    """A grant-back note on a draft that assigns every improvement outright is reported, where the
    draft's own notes describe what it does at that position."""
    copy = tmp_path / "jurisdictions"
    shutil.copytree(ROOT / "jurisdictions", copy)
    japan = copy / "profiles" / "japan.yaml"
    text = japan.read_text(encoding="utf-8")
    start = text.index("  - id: jp-improvements-assigned")
    end = text.index("  - id: jp-customs")
    japan.write_text(text[:start] + """  - id: jp-grant-back
    clause: intellectual-property
    roles: [buyer_country, governing_law]
    text: The JFTC IP Guidelines view exclusive grant-backs of supplier improvements as a competition risk.
    last_reviewed: 2026-11-21
""" + text[end:], encoding="utf-8")
    assert "jp-grant-back speaks of a grant-back" in _japanese_buyer_check(copy, "buyer")
    assert "note-does-not-fit" not in _japanese_buyer_check(copy, "balanced")

    bundled = _japanese_buyer_check(ROOT / "jurisdictions", "buyer")
    assert "note-does-not-fit" not in bundled
    _, comp = composition("south-korea", "south-korea", "buyer", extra={"buyer.country": "japan"})
    notes = {n.id: " ".join(n.data["text"].split()) for n in comp.notes}
    assert "jp-grant-back" not in notes and "assigns every Improvement to the buyer outright" in notes["jp-improvements-assigned"]
    _, comp = composition("south-korea", "south-korea", "supplier", extra={"buyer.country": "japan"})
    notes = {n.id: " ".join(n.data["text"].split()) for n in comp.notes}
    assert "jp-improvements-assigned" not in notes and "non-exclusive licence of them to the buyer" in notes["jp-grant-back"]
