"""Every bundled sample generates a sound, complete agreement with the bundled library, and
LibreOffice opens it and shows the numbers we computed."""

from __future__ import annotations

import pytest
from conftest import SAMPLES, libreoffice_convert, libreoffice_text
from docx import Document

from clausewright import pipeline
from clausewright.ooxml import reader

SAMPLE_FILES = sorted(SAMPLES.glob("*.yaml"))


def _literals(deal):
    out = []
    for v in deal.flat.values():
        if isinstance(v, list):
            out += [str(x) for rec in v for x in (rec.values() if isinstance(rec, dict) else [rec]) if x is not None]
        else:
            out.append(str(v))
    return out


@pytest.fixture(scope="module")
def generated(bundled_sources, tmp_path_factory):
    out = {}
    folder = tmp_path_factory.mktemp("samples")
    for sample in SAMPLE_FILES:
        path = folder / f"{sample.stem}.docx"
        out[sample.stem] = (path, pipeline.generate(sample, path, sources=bundled_sources))
    return out


def test_there_are_samples():
    names = {p.stem for p in SAMPLE_FILES}
    assert {"vietnam-supplier", "singapore-law", "buyer-favourable", "supplier-favourable", "all-options",
            "shenzhen-electronics", "bengaluru-engineering", "thai-die-caster", "korea-supplier", "mexico-maquiladora", "shenzhen-nnn"} <= names


@pytest.mark.parametrize("name", [p.stem for p in SAMPLE_FILES])
def test_sample_is_structurally_sound(generated, name):
    path, result = generated[name]
    assert reader.check(path.read_bytes(), _literals(result.deal)) == []
    Document(str(path))  # python-docx reopens it


@pytest.mark.parametrize("name", [p.stem for p in SAMPLE_FILES])
def test_sample_is_a_complete_agreement(generated, name):
    path, result = generated[name]
    info = reader.read(path.read_bytes())
    agreement = result.composition.agreement
    assert len(agreement.body) >= (12 if result.deal.get("agreement.type") == "supply" else 8) and agreement.schedules
    text = info.text()
    assert result.deal.get("buyer.name") in text and result.deal.get("supplier.name") in text
    for marker in ("{{", "{%", "[[", "]]", "<<", ">>"):
        assert marker not in "".join(p.text for p in info.paragraphs if p.style != "TableText") or any(marker in v for v in _literals(result.deal)), marker
    toc = [p.text.split("\t", 1)[1] for p in info.paragraphs if p.style == "TOC1"]
    assert toc == [s.title for s in agreement.body + agreement.schedules if s.toc]
    refs = [r for p in info.paragraphs for r in p.refs]
    assert len(refs) >= 10
    for target, cached in refs:
        assert info.bookmark_paragraph(target).full == cached


@pytest.mark.parametrize("name", ["vietnam-supplier", "all-options"])
def test_libreoffice_opens_the_sample_and_shows_our_numbers(generated, name, tmp_path):
    path, _ = generated[name]
    text = libreoffice_text(path, tmp_path)
    shown = [line.strip() for line in text.splitlines() if line.strip()]
    info = reader.read(path.read_bytes())
    numbered = [p for p in info.paragraphs if p.label and p.style != "TOC1"]
    assert len(numbered) > 50
    for p in numbered:
        first = p.text.split("\n")[0][:25]
        assert any(line.startswith(p.label) and first in line for line in shown), (p.label, p.text[:60])
    pdf = libreoffice_convert(path, "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_price_schedule_in_the_suppliers_number_format(bundled_sources):
    result = pipeline.generate(SAMPLES / "vietnam-supplier.yaml", None, sources=bundled_sources, overrides=[
        "commercial.currency=VND", "commercial.schedule_locale=vi_VN", "products.1.unit_price=25000000000",
        "liability.minimum_cap=1250000"])
    info = reader.read(result.docx)
    cells = [p.text for p in info.paragraphs if p.style == "TableText"]
    assert "VND 25.000.000.000" in cells  # the price schedule in the Vietnamese number format
    assert "VND 11,80" in cells
    assert "VND 1,250,000" in info.text()  # the clauses keep the agreement's (en_GB) format


def test_documents_do_not_leak_into_each_other(bundled_sources):
    """Generating other agreements in between (other clauses, other numbering, other values)
    never changes a document: what is reused from one document to the next is never shared."""
    first = pipeline.generate(SAMPLES / "vietnam-supplier.yaml", None, sources=bundled_sources).docx
    pipeline.generate(SAMPLES / "all-options.yaml", None, sources=bundled_sources)
    pipeline.generate(SAMPLES / "supplier-favourable.yaml", None, sources=bundled_sources, overrides=["positions.overall=buyer"])
    again = pipeline.generate(SAMPLES / "vietnam-supplier.yaml", None, sources=bundled_sources).docx
    assert again == first
    from clausewright.assembly import markup

    markup._PARSED.clear()  # nothing remembered: the same bytes
    fresh = pipeline.generate(SAMPLES / "vietnam-supplier.yaml", None, sources=pipeline.load_sources()).docx
    assert fresh == first
