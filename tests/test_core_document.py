"""End to end on the miniature library: the DOCX is structurally sound, numbered, cross-referenced
and reproducible, and LibreOffice shows the same numbers we computed."""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

import pytest
from conftest import MINI, libreoffice_text
from docx import Document

from clausewright import pipeline
from clausewright.assembly.model import TermUse, Text
from clausewright.ooxml import reader
from clausewright.qa.drafting import plain_text


@pytest.fixture(scope="module")
def mini_docx(tmp_path_factory, mini_sources):
    out = tmp_path_factory.mktemp("mini") / "mini.docx"
    result = pipeline.generate(MINI / "deal.yaml", out, sources=mini_sources)
    return out, result


def _deal_literals(result):
    values = []
    for v in result.deal.flat.values():
        if isinstance(v, list):
            values += [str(x) for rec in v for x in rec.values() if x is not None]
        else:
            values.append(str(v))
    return values


def test_structure_is_sound(mini_docx):
    path, result = mini_docx
    assert reader.check(path.read_bytes(), _deal_literals(result)) == []


def test_python_docx_reopens_it(mini_docx):
    doc = Document(str(mini_docx[0]))
    assert any(p.style.style_id == "Heading1" for p in doc.paragraphs)


def test_numbers_and_cross_references(mini_docx):
    info = reader.read(mini_docx[0].read_bytes())
    labels = [(p.label, p.text) for p in info.paragraphs if p.label]
    assert ("2", "Confidentiality") in labels
    assert ("Schedule 1", "Tooling") in labels
    by_text = {p.text: p for p in info.paragraphs}
    # clause 2.1(a) is referred to from 2.3, clause 2.2 from 2.1(b), Schedule 1 from a definition
    assert "The obligations in clause 2.1(a) last five (5) years after termination." in by_text
    assert "disclose it only as clause 2.2 permits." in by_text
    assert "“Tooling” means the moulds listed in Schedule 1." in by_text
    # every REF's cached text is the number the target paragraph really has
    refs = [(target, cached) for p in info.paragraphs for target, cached in p.refs]
    assert len(refs) == 5
    for target, cached in refs:
        assert info.bookmark_paragraph(target).full == cached


def test_schedule_numbering_restarts(mini_docx):
    info = reader.read(mini_docx[0].read_bytes())
    after = [p.label for p in info.paragraphs[[p.label for p in info.paragraphs].index("Schedule 1"):] if p.label]
    assert after[:4] == ["Schedule 1", "1", "1.1", "2"]


def test_defined_terms_bold_in_quotes_and_pruned(mini_docx):
    path, result = mini_docx
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert re.search(r"“</w:t></w:r><w:r><w:rPr><w:rStyle w:val=\"DefinedTerm\"/></w:rPr><w:t[^>]*>Confidential Information</w:t>", xml)
    assert result.composition.agreement.pruned_definitions == ["Business Day"]
    assert "Business Day" not in reader.read(path.read_bytes()).text()


def test_neighbouring_plain_text_shares_a_run(mini_docx):
    """Text, term uses and the quotes around a term defined in place, in the same formatting,
    make one run (as Word writes them); each paragraph has no two plain runs side by side."""
    path, result = mini_docx
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    term_uses = [p for p in result.composition.agreement.paragraphs() if sum(isinstance(i, TermUse) for i in p.inlines) >= 2]
    assert term_uses
    for paragraph in term_uses:
        runs = [i for i in paragraph.inlines if isinstance(i, (Text, TermUse)) and not i.bold]
        if len(runs) == len(paragraph.inlines):  # plain text and term uses only: one run
            assert f'<w:r><w:t xml:space="preserve">{escape(plain_text(paragraph))}</w:t></w:r>' in xml
    plain = '<w:r><w:t xml:space="preserve">[^<]*</w:t></w:r>'
    assert not re.search(plain + plain, xml)


def test_user_text_exactly_as_typed(mini_docx):
    info = reader.read(mini_docx[0].read_bytes())
    text = info.text()
    for value in [
        "Smith & Jones <UK> Ltd",
        'Công ty TNHH Cơ khí Chính xác "Sao Mai"',
        "Lô 5, KCN Thăng Long\nĐông Anh, Hà Nội",
        "Widget {{ 7*7 }} & <b>",
        "控制器 🚀 [[Fake]] <<x>>",
        "Ann O'Neil",
    ]:
        assert value in text, value
    assert "49" not in text  # the Jinja-looking product name was not evaluated


def test_money_dates_and_words(mini_docx):
    text = reader.read(mini_docx[0].read_bytes()).text()
    assert "This Agreement is dated 1 December 2026." in text
    assert "VND 1,250,000 (one million two hundred and fifty thousand Vietnamese dong)" in text
    assert "VND 12.50" in text  # digits beyond the currency's usual decimals are never dropped


def test_provenance_properties(mini_docx):
    path, result = mini_docx
    props = reader.read(path.read_bytes()).properties
    assert props["clausewright.library"] == "mini 0.1.0"
    assert props["clausewright.deal_sha256"] == result.deal.fingerprint()
    assert props["clausewright.profile.supplier_country"].startswith("vietnam 0.1.0 sha256:")
    assert props["clausewright.profile.governing_law"].startswith("singapore 0.1.0 sha256:")
    assert props["clausewright.clause.confidentiality"].endswith("position:balanced")
    assert set(k.split(".", 2)[2] for k in props if k.startswith("clausewright.clause.")) == {
        "parties", "definitions", "confidentiality", "law", "schedule-tooling"}


def test_signature_blocks_follow_formalities(mini_docx):
    text = reader.read(mini_docx[0].read_bytes()).text()
    assert "Signed for and on behalf of Smith & Jones <UK> Ltd (the Buyer)" in text
    # the Vietnamese profile says a company seal is customary; the buyer has no profile
    assert text.count("Company seal") == 1
    assert "Affix the company seal here" in text  # the library's wording (the profile gives none of its own)
    assert "Affix the seal." not in text  # the profile's note is a comment, not execution text
    # the supplier's title as the deal gives it; the buyer gives none, and none is invented
    assert "Giám đốc" in text and "Authorised Signatory" not in text and text.count("Capacity") == 2


def test_toc_field_is_dirty_and_lists_every_article(mini_docx):
    path, _ = mini_docx
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert 'w:fldCharType="begin" w:dirty="true"' in xml and 'TOC \\o "1-1"' in xml
    info = reader.read(path.read_bytes())
    toc = [p.text for p in info.paragraphs if p.style == "TOC1"]
    assert toc == ["1\tDefinitions and interpretation", "2\tConfidentiality", "3\tGoverning law", "Schedule 1\tTooling"]
    settings = zipfile.ZipFile(path).read("word/settings.xml").decode()
    assert '<w:updateFields w:val="true"/>' in settings


def test_header_and_footer(mini_docx):
    z = zipfile.ZipFile(mini_docx[0])
    header = z.read("word/header1.xml").decode()
    footer = z.read("word/footer1.xml").decode()
    assert ">DRAFT<" in header
    # pages are numbered from the agreement's first page, so "of N" (all pages) is not shown
    assert " PAGE " in footer and "NUMPAGES" not in footer and "Mini Supply Agreement" in footer


def test_byte_identical_regeneration(mini_sources, tmp_path):
    a = pipeline.generate(MINI / "deal.yaml", None, sources=mini_sources).docx
    b = pipeline.generate(MINI / "deal.yaml", None, sources=pipeline.load_sources(MINI / "library", MINI / "jurisdictions")).docx
    assert a == b
    for info in zipfile.ZipFile(io.BytesIO(a)).infolist():
        assert info.date_time == (1980, 1, 1, 0, 0, 0)


def test_a_changed_answer_changes_the_document(mini_sources):
    a = pipeline.generate(MINI / "deal.yaml", None, sources=mini_sources).docx
    b = pipeline.generate(MINI / "deal.yaml", None, sources=mini_sources, overrides=["confidentiality.years=7"]).docx
    assert a != b
    assert "seven (7) years" in reader.read(b).text()


def test_libreoffice_shows_our_numbers(mini_docx, tmp_path):
    path, _ = mini_docx
    text = libreoffice_text(path, tmp_path)
    info = reader.read(path.read_bytes())
    shown = [line.strip() for line in text.splitlines()]
    for p in info.paragraphs:
        if p.label and p.style not in ("TOC1",):
            first_line = p.text.split("\n")[0]
            assert any(line.startswith(p.label) and first_line[:30] in line for line in shown), (p.label, p.text)


def test_comments_anchored_on_the_clause(mini_docx):
    info = reader.read(mini_docx[0].read_bytes())
    anchored = [p for p in info.paragraphs if p.comments]
    assert [p.text for p in anchored] == ["Confidentiality"]
    assert all("VERIFY" in info.comments[c] for c in anchored[0].comments)
    assert any(info.comments[c].startswith("[Vietnam] A note for Vietnam & co <b>.") for c in anchored[0].comments)


def test_no_comments_option(mini_sources):
    docx = pipeline.generate(MINI / "deal.yaml", None, sources=mini_sources, comments=False).docx
    info = reader.read(docx)
    assert info.comments == {} and "word/comments.xml" not in info.parts
