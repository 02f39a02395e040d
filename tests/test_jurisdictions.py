"""Every profile generates an agreement; the dispute clause is assembled from the institution's
elements; counsel notes are comments on the clause they concern; profiles are in the provenance."""

from __future__ import annotations

import shutil

import pytest
from conftest import SAMPLES

from clausewright import pipeline, resources
from clausewright.assembly.notes import Note, applicable_notes, note_text, numbers
from clausewright.inputs.deal import read_deal_file
from clausewright.ooxml import reader

PROFILES = ["vietnam", "singapore", "hong-kong", "china", "england-wales", "new-york", "germany", "india", "thailand", "mexico", "japan", "south-korea"]
INSTITUTIONS = ["ICC", "SIAC", "HKIAC", "CIETAC", "VIAC", "LCIA", "DIS", "JCAA", "KCAB", "MCIA", "TAI", "CAM", "ICDR"]


def _deal_for(supplier_country: str) -> dict:
    """The Vietnam sample with the supplier moved, and law and forum left to the profile."""
    raw = read_deal_file(SAMPLES / "vietnam-supplier.yaml")
    raw["supplier"]["country"] = supplier_country
    raw.pop("law", None)
    raw.pop("disputes", None)
    raw["commercial"].pop("currency", None)
    return raw


def _clause_text(info, title: str) -> str:
    start = next(i for i, p in enumerate(info.paragraphs) if p.style == "Heading1" and p.text == title)
    end = next((i for i, p in enumerate(info.paragraphs[start + 1:], start + 1) if p.style == "Heading1"), len(info.paragraphs))
    return " ".join(p.text for p in info.paragraphs[start:end])


def test_all_twelve_profiles_are_bundled(bundled_sources):
    assert sorted(bundled_sources.jurisdictions.profiles) == sorted(PROFILES)
    assert sorted(bundled_sources.jurisdictions.institutions) == sorted(INSTITUTIONS)


@pytest.mark.parametrize("pid", PROFILES)
def test_each_profile_generates_with_its_own_defaults(pid, bundled_sources):
    jur = bundled_sources.jurisdictions
    profile = jur.profiles[pid].data
    deal = pipeline.validate_deal(_deal_for(pid), bundled_sources)
    defaults = profile["defaults"]
    assert deal.get("law.governing_law") == defaults["governing_law"]
    assert deal.get("commercial.currency") == profile["currency"]
    composition = pipeline.assemble(deal, bundled_sources)
    info = reader.read(pipeline.build_docx(composition, deal, bundled_sources))
    assert reader.check(pipeline.build_docx(composition, deal, bundled_sources), [str(v) for v in deal.flat.values()]) == []
    law = jur.profiles[defaults["governing_law"]].data
    assert law["governing_law"]["name"] in _clause_text(info, "Governing law")
    institution = jur.institutions[defaults["institution"]]
    seat = jur.seats[defaults["seat"]]
    disputes = _clause_text(info, "Dispute resolution")
    assert institution["name"] in disputes and institution["rules"] in disputes
    assert str(institution["edition"]) in disputes
    assert f"the seat, or legal place, of the arbitration is {seat['name']}" in disputes
    assert "governed by" in disputes and "urgent" in disputes  # law of the arbitration agreement; carve-out


@pytest.mark.parametrize("iid", INSTITUTIONS)
def test_dispute_clause_for_each_institution(iid, bundled_sources):
    institution = bundled_sources.jurisdictions.institutions[iid]
    raw = read_deal_file(SAMPLES / "vietnam-supplier.yaml")
    raw["disputes"] = {"method": "arbitration", "institution": iid}
    deal = pipeline.validate_deal(raw, bundled_sources)
    assert deal.get("disputes.seat") == institution["default_seat"]
    info = reader.read(pipeline.build_docx(pipeline.assemble(deal, bundled_sources), deal, bundled_sources))
    disputes = _clause_text(info, "Dispute resolution")
    seat = bundled_sources.jurisdictions.seats[institution["default_seat"]]
    assert institution["name"] in disputes and str(institution["edition"]) in disputes and seat["name"] in disputes
    law = bundled_sources.jurisdictions.profiles[deal.get("disputes.arbitration_agreement_law")].data
    assert f"governed by {law['governing_law']['name']}" in disputes


def test_courts_instead_of_arbitration(bundled_sources):
    raw = read_deal_file(SAMPLES / "vietnam-supplier.yaml")
    raw["disputes"] = {"method": "courts", "courts": "england-wales", "courts_exclusive": "yes"}
    deal = pipeline.validate_deal(raw, bundled_sources)
    assert "disputes.institution" not in deal.flat and "disputes.seat" not in deal.flat
    info = reader.read(pipeline.build_docx(pipeline.assemble(deal, bundled_sources), deal, bundled_sources))
    disputes = _clause_text(info, "Dispute resolution")
    courts = bundled_sources.jurisdictions.profiles["england-wales"].data["courts"]["name"]
    assert courts in disputes and "exclusive jurisdiction" in disputes
    assert "Arbitral Rules" not in disputes and "seat, or legal place" not in disputes


def test_counsel_notes_are_comments_on_their_clause(bundled_sources, tmp_path):
    result = pipeline.generate(SAMPLES / "vietnam-supplier.yaml", tmp_path / "vn.docx", sources=bundled_sources)
    info = reader.read((tmp_path / "vn.docx").read_bytes())
    titles = {s.clause_id: s.paragraphs[0] for s in result.composition.agreement.sections()}
    checked = 0
    applying = {(n.profile.id, n.id) for n in applicable_notes(result.deal, bundled_sources.jurisdictions, set(titles), bundled_sources.library.type_of(result.deal))}
    refs = numbers(result.composition.agreement)
    for pid in ("vietnam", "singapore"):
        profile = bundled_sources.jurisdictions.profiles[pid]
        for note in profile.data["notes"]:
            if note["clause"] not in titles:
                continue
            # the note as printed: its <<clause>> references become this draft's numbers
            expected = " ".join(note_text(Note(profile, note, frozenset()), result.composition.kind, refs).split(" Source:")[0].split())
            everywhere = [" ".join(t.split()) for t in info.comments.values()]
            if (pid, note["id"]) not in applying:  # its roles or condition keep it out of this draft
                assert not any(t.startswith(expected) for t in everywhere), note["id"]
                continue
            heading_text = titles[note["clause"]].inlines[0].text
            anchored = [p for p in info.paragraphs if p.text == heading_text and p.comments]
            assert anchored, note["id"]
            texts = [info.comments[c] for c in anchored[0].comments]
            # the note as printed: its <<clause>> references become this draft's numbers
            expected = " ".join(note_text(Note(profile, note, frozenset()), result.composition.kind, refs).split(" Source:")[0].split())
            mine = [t for t in texts if " ".join(t.split()).startswith(expected)]
            assert len(mine) == 1, note["id"]
            assert ("VERIFY with local counsel" in mine[0]) == bool(note.get("verify")), note["id"]
            assert f"Last reviewed {note['last_reviewed']}" in mine[0]
            checked += 1
    assert checked >= 8
    assert "word/comments.xml" in info.parts


def test_a_profile_change_changes_the_provenance(tmp_path, bundled_sources):
    jur = tmp_path / "jurisdictions"
    shutil.copytree(resources.jurisdictions_dir(), jur)
    path = jur / "profiles" / "vietnam.yaml"
    version = bundled_sources.jurisdictions.profiles["vietnam"].version
    bumped = version.rsplit(".", 1)[0] + "." + str(int(version.rsplit(".", 1)[1]) + 1)
    path.write_text(path.read_text(encoding="utf-8").replace(f"version: {version}", f"version: {bumped}", 1), encoding="utf-8")
    before = reader.read(pipeline.generate(SAMPLES / "vietnam-supplier.yaml", None, sources=bundled_sources).docx).properties
    changed = pipeline.load_sources(None, jur)
    after = reader.read(pipeline.generate(SAMPLES / "vietnam-supplier.yaml", None, sources=changed).docx).properties
    assert before["clausewright.profile.supplier_country"].startswith(f"vietnam {version} sha256:")
    assert after["clausewright.profile.supplier_country"].startswith(f"vietnam {bumped} sha256:")
    assert before["clausewright.profile.governing_law"] == after["clausewright.profile.governing_law"]
