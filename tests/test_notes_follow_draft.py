"""Counsel notes and the memo describe the draft they sit on: a note reaches a draft only under
the roles it names and when its condition holds; a note whose words outrun its conditions is
reported; the memo names only what is in the draft."""

from __future__ import annotations

import io
import shutil

import docx
from conftest import SAMPLES

from clausewright import pipeline, resources
from clausewright.qa import library_check

VIETNAM = SAMPLES / "vietnam-supplier.yaml"


def _with_note(tmp_path, profile: str, note: str):
    jur = tmp_path / "jurisdictions"
    shutil.copytree(resources.jurisdictions_dir(), jur)
    path = jur / "profiles" / f"{profile}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nnotes:\n", "\nnotes:\n" + note, 1), encoding="utf-8")
    return jur


def _comments(docx_bytes: bytes) -> list[str]:
    from clausewright.ooxml import reader

    return [" ".join(t.split()) for t in reader.read(docx_bytes).comments.values()]


def test_a_governing_law_note_stays_out_when_the_profile_is_only_the_supplier_country(bundled_sources):
    # Vietnam sample: Vietnamese supplier, Singapore law. The Vietnamese penalty note is written for
    # Vietnamese law (roles: [governing_law]), so it must not reach this draft.
    result = pipeline.generate(VIETNAM, None, sources=bundled_sources)
    texts = _comments(result.docx)
    assert not any("Where Vietnamese law governs" in t for t in texts)
    assert any(t.startswith("[Vietnam]") for t in texts)  # the supplier-country notes do
    assert not any("SICC" in t or "Singapore customs" in t.lower() for t in texts)


def test_buyer_country_notes_reach_the_draft(bundled_sources):
    raw = pipeline.read_answers(SAMPLES / "thai-die-caster.yaml")
    assert raw["buyer"]["country"] == "japan"
    result = pipeline.draft(raw, bundled_sources)
    assert any(t.startswith("[Japan]") for t in _comments(result.docx))


def test_note_conditions_and_roles(tmp_path):
    note = ("  - id: xx-only-london\n    clause: dispute-resolution\n    roles: [supplier_country]\n"
            "    when: \"seat and seat.id == 'london'\"\n    text: Only for a London seat.\n    last_reviewed: 2026-12-01\n"
            "  - id: xx-as-law\n    clause: general\n    roles: [governing_law]\n    text: Only when Vietnamese law governs.\n    last_reviewed: 2026-12-01\n"
            "  - id: xx-as-supplier\n    clause: general\n    roles: [supplier_country]\n    text: Supplier note that applies.\n    last_reviewed: 2026-12-01\n")
    sources = pipeline.load_sources(None, _with_note(tmp_path, "vietnam", note))
    texts = _comments(pipeline.generate(VIETNAM, None, sources=sources).docx)
    assert any("Supplier note that applies." in t for t in texts)
    assert not any("Only for a London seat." in t or "Only when Vietnamese law governs." in t for t in texts)
    london = pipeline.generate(VIETNAM, None, overrides=["disputes.seat=london"], sources=sources, allow=["seat-not-new-york-convention"])
    assert any("Only for a London seat." in t for t in _comments(london.docx))


def test_check_reports_a_note_that_names_another_seat(tmp_path):
    note = ("  - id: xx-london\n    clause: dispute-resolution\n    roles: [supplier_country]\n"
            "    text: A London-seated arbitration needs nothing more here.\n    last_reviewed: 2026-12-01\n")
    sources = pipeline.load_sources(None, _with_note(tmp_path, "vietnam", note))
    result = pipeline.generate(VIETNAM, None, sources=sources)
    found = [f for f in result.findings if f.id == "note-does-not-fit"]
    assert len(found) == 1 and "xx-london" in found[0].message and "London seat" in found[0].message and "singapore" in found[0].message


def test_library_check_reports_misfitting_notes_and_notes_without_roles(tmp_path):
    note = ("  - id: xx-law\n    clause: general\n    roles: [supplier_country]\n    text: Under Mexican law this is different.\n    last_reviewed: 2026-12-01\n"
            "  - id: xx-noroles\n    clause: general\n    text: A note that does not say when it applies.\n    last_reviewed: 2026-12-01\n")
    report = library_check.check(None, _with_note(tmp_path, "vietnam", note))
    ids = {(f.id, f.subject) for f in report.findings}
    assert ("library-note-roles", "xx-noroles") in ids
    misfit = [f for f in report.findings if f.id == "library-note-misfit"]
    assert misfit and all("xx-law" in f.message and "Mexican law" in f.message for f in misfit)


def test_memo_names_no_agreed_damages_when_the_draft_has_none(bundled_sources, tmp_path):
    memo = tmp_path / "memo.docx"
    pipeline.generate(VIETNAM, None, overrides=["liquidated_damages.applies=no"], sources=bundled_sources, memo=memo)
    document = docx.Document(io.BytesIO(memo.read_bytes()))
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    paragraphs = " ".join(p.text for p in document.paragraphs)
    assert "agreed damages" not in cells.lower() and "Agreed Sums" not in cells
    assert "penalty" not in paragraphs.lower() or "no agreed" in paragraphs.lower()


def test_a_note_reaches_only_drafts_that_have_the_paragraph_it_speaks_of(tmp_path):
    """The China note that asks for the NNN form to be prepared speaks of the paragraph that asks
    for the NNN agreement to be signed (``paragraph: local-law.cn-nnn``); a condition that let it
    reach a supply agreement whose NNN agreement is already signed is reported by library check."""
    from clausewright.inputs.jurisdictions import load_jurisdictions
    from clausewright.inputs.library import load_library

    def misfits(jurisdictions_dir):
        library = load_library(resources.library_dir())
        jurisdictions = load_jurisdictions(jurisdictions_dir)
        library.schema.bind_catalogues(jurisdictions.catalogues(), jurisdictions.other_names())
        combination = library_check.Combination("singapore", "china", "balanced", "all-on", (("local.cn_nnn_signed", True),), type="supply")
        return [m for fid, m, _ in library_check.run_combination(library, jurisdictions, combination).findings if fid == library_check.NOTE_MISFIT]

    assert misfits(resources.jurisdictions_dir()) == []
    jur = tmp_path / "jurisdictions"
    shutil.copytree(resources.jurisdictions_dir(), jur)
    china = jur / "profiles" / "china.yaml"
    text = china.read_text(encoding="utf-8")
    old = 'when: "deal.local.cn_nnn is defined and deal.local.cn_nnn and not deal.local.cn_nnn_signed"'
    assert old in text
    china.write_text(text.replace(old, 'when: "deal.local.cn_nnn is defined and deal.local.cn_nnn"'), encoding="utf-8")
    found = misfits(jur)
    assert any("cn-nnn-form" in m and "speaks of paragraph local-law.cn-nnn" in m for m in found), found


def test_a_notes_paragraph_is_one_of_its_own_clause(tmp_path):
    from clausewright.inputs.jurisdictions import load_jurisdictions

    note = ("  - id: xx-wrong-paragraph\n    clause: general\n    paragraph: remedies.agreed-sums\n    roles: [supplier_country]\n"
            "    text: Speaks of another clause's paragraph.\n    last_reviewed: 2026-12-01\n")
    broken = load_jurisdictions(_with_note(tmp_path, "vietnam", note)).broken
    assert "paragraph must name the paragraph of its clause" in str(broken["vietnam"]), broken
