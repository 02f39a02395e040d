"""Counsel notes, the memo and the positions say what the draft does in the combination drafted:
the China improvements note by position, the New York tariffs note naming the forced-labour and
origin terms the supply draft has, the Korean seal note naming the seal clause, a China note on
Mainland interim measures when the seat leaves Hong Kong, and a supplier-position draft whose
delivery clause and memo agree (real drafts and memos from the samples, with overrides)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import SAMPLES
from docx import Document

from clausewright import resources
from clausewright.cli.main import cli
from clausewright.ooxml import reader

SHENZHEN = SAMPLES / "shenzhen-electronics.yaml"
# draft 1 of the review: the Shenzhen supplier at the supplier position, English law, LCIA London
SUPPLIER_LONDON = ["positions.overall=supplier", "law.governing_law=england-wales", "disputes.institution=LCIA", "disputes.seat=london"]


def _generate(tmp_path: Path, deal: Path, overrides: list[str], *extra: str) -> tuple[Path, Path]:
    out, memo = tmp_path / "draft.docx", tmp_path / "memo.docx"
    args = ["generate", str(deal), "-o", str(out), "--memo", str(memo), "--force", "--no-page-numbers", *extra]
    for item in overrides:
        args += ["--set", item]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return out, memo


def _comments(path: Path) -> list[str]:
    return [" ".join(t.split()) for t in reader.read(path.read_bytes()).comments.values()]


def _memo_text(path: Path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return " ".join(" ".join([p.text for p in doc.paragraphs] + cells).split())


def _draft_text(path: Path) -> str:
    return " ".join(" ".join(p.text for p in Document(str(path)).paragraphs).split())


def test_china_improvements_note_at_the_supplier_position_describes_the_licence_back(tmp_path):
    draft, memo = _generate(tmp_path, SHENZHEN, SUPPLIER_LONDON)
    notes = _comments(draft) + [_memo_text(memo)]
    assert not any("every one at the buyer position" in t for t in notes)
    assert not any("process improvements included" in t for t in notes)
    assert any("leaves the supplier its general process improvements (balanced) or its process know-how" in t for t in notes)
    assert "Civil Code art. 850" in _memo_text(memo)


def test_china_improvements_note_at_the_buyer_position_says_every_improvement_is_assigned(tmp_path):
    draft, _ = _generate(tmp_path, SHENZHEN, ["positions.overall=buyer"])
    texts = _comments(draft)
    assert any("assigns to the buyer every Improvement, the supplier’s own process improvements included" in t for t in texts)
    assert not any("non-exclusive grant-back" in t for t in texts)


def test_new_york_tariffs_note_names_what_the_supply_draft_has_and_lacks(tmp_path):
    draft, memo = _generate(tmp_path, SHENZHEN, SUPPLIER_LONDON)
    text = _memo_text(memo)
    assert "no clause on tariffs or forced" not in text
    assert "requires forced-labor diligence and traceability" in text  # en_US draft: the note is respelt
    assert "no tariff change-in-law clause" in text
    assert "forced, bonded, prison or child labor" in _draft_text(draft)


def test_korean_seal_note_names_the_seal_clause_for_a_korean_supplier(tmp_path):
    raw = yaml.safe_load((SAMPLES / "shenzhen-nnn.yaml").read_text(encoding="utf-8"))
    raw["supplier"].update(country="south-korea", name="Changwon Precision Co., Ltd.", address="1 Changwon-daero, Changwon, Republic of Korea")
    raw["supplier"].pop("name_local", None)
    for key in ("translation", "prevailing_language"):
        raw.get("agreement", {}).pop(key, None)
        raw.get("nnn", {}).pop(key, None)
    raw.setdefault("commercial", {})["currency"] = "KRW"
    deal = tmp_path / "korea-nnn.yaml"
    deal.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    draft, memo = _generate(tmp_path, deal, ["law.governing_law=south-korea", "disputes.method=courts", "disputes.courts=south-korea"])
    assert "shall affix its company seal next to its signature" in _draft_text(draft)
    text = _memo_text(memo)
    assert "has no clause requiring" not in text
    assert "requires the supplier to affix its company seal" in text


def test_china_note_on_interim_measures_follows_the_seat(tmp_path):
    london, _ = _generate(tmp_path, SHENZHEN, SUPPLIER_LONDON)
    assert any("people’s court will generally not order preservation" in t for t in _comments(london))
    (tmp_path / "hk").mkdir()
    hong_kong, _ = _generate(tmp_path / "hk", SHENZHEN, [])  # the sample's own Hong Kong seat
    assert not any("people’s court will generally not order preservation" in t for t in _comments(hong_kong))


def test_a_note_saying_the_draft_lacks_what_it_drafts_is_reported(tmp_path):
    # the New York note as it was: "no clause on ... forced labour" on a draft whose clause 15
    # requires forced-labour diligence
    jur = tmp_path / "jurisdictions"
    shutil.copytree(resources.jurisdictions_dir(), jur)
    path = jur / "profiles" / "new-york.yaml"
    note = ("  - id: ny-old-tariffs\n    clause: price-payment\n    roles: [buyer_country]\n"
            "    text: This draft has no clause on tariffs or forced labour; draft one.\n    last_reviewed: 2026-12-03\n")
    path.write_text(path.read_text(encoding="utf-8").replace("\nnotes:\n", "\nnotes:\n" + note, 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(SHENZHEN), "--jurisdictions", str(jur), "--format", "json"])
    assert "ny-old-tariffs says the draft lacks forced-labour diligence" in result.output


def test_supplier_position_delivery_says_time_is_not_of_the_essence_with_a_cure_period(tmp_path):
    draft, memo = _generate(tmp_path, SHENZHEN, SUPPLIER_LONDON)
    text = _draft_text(draft)
    assert "Time of delivery is not of the essence." in text
    assert "cancel the Order in whole or in part without liability, if the delay continues for 15 days after the Buyer’s notice of it" in text
    assert "time of delivery is not of the essence" in _memo_text(memo)


def test_memo_says_only_the_tabled_terms_follow_the_positions(tmp_path):
    _, memo = _generate(tmp_path, SHENZHEN, SUPPLIER_LONDON)
    assert "Only the terms in this table follow the positions; every other term of the draft is the library’s standard text, which protects the buyer" in _memo_text(memo)


def test_confidentiality_help_matches_what_the_supplier_position_drafts(tmp_path):
    balanced, _ = _generate(tmp_path, SHENZHEN, ["positions.confidentiality_duration=balanced"])
    (tmp_path / "s").mkdir()
    supplier, _ = _generate(tmp_path / "s", SHENZHEN, ["positions.confidentiality_duration=supplier"])

    def duration(path: Path) -> str:
        return next(p.text for p in Document(str(path)).paragraphs if p.text.startswith("Duration."))

    assert duration(balanced) == duration(supplier)  # the trade-secrets floor: supplier drafts the balanced text
    positions = yaml.safe_load((resources.library_dir() / "parameters" / "positions.yaml").read_text(encoding="utf-8"))
    help_text = " ".join(next(p for p in positions["parameters"] if p["id"] == "positions.confidentiality_duration")["help"].split())
    assert "a fixed number of years for everything" not in help_text
    assert "Balanced and supplier (the same text)" in help_text


# Common British forms a clause may bring in: a pattern each, so a new word of a known kind is
# caught even before spelling.yaml lists it.
_BRITISH = re.compile(
    r"\b(?!(?:advis|exercis|otherwis|premis|promis|enterpris|compris|compromis|surpris|supervis|revis|devis|expertis|franchis|merchandis|rais|precis|concis|aris|likewis|disguis|demis|prais|nois|treatis|cruis|wis|ris|pois|chastis|despis|improvis)(?:e|es|ed|ing)\b)"
    r"(?:\w+is(?:e|es|ed|ing|ation|ations|ational)"
    r"|\w*(?:colour|behaviour|labour|favour|honour|harbour|neighbour|endeavour|vigour|flavour|humour)\w*"
    r"|(?:centre|metre|litre|theatre|fibre|calibre|spectre)s?"
    r"|mould\w*|programmes?|cheques?|catalogues?|defences?|offences?|practis(?:e|es|ed|ing)"
    r"|(?:cancel|label|model|travel|signal|counsel|fuel|total|level)l(?:ed|ing|or|ors)"
    r"|fulfil|fulfils|enrol|enrols|ageing|tyres?|aluminium|storeys?|artefacts?|sceptical|manoeuvre\w*)\b",
    re.IGNORECASE)


@pytest.mark.parametrize("sample", ["shenzhen-electronics.yaml", "india-software-services.yaml", "shenzhen-nnn.yaml", "all-options.yaml"])
def test_an_american_english_draft_has_no_british_form_in_the_library_text(bundled_sources, sample):
    from test_spelling import _composition, _library_words

    for position in ("buyer", "balanced", "supplier"):
        _, composition = _composition(bundled_sources, sample, "agreement.locale=en_US", f"positions.overall={position}")
        text = "\n".join(_library_words(composition))
        assert sorted({m.group(0).lower() for m in _BRITISH.finditer(text)}) == [], (sample, position)
