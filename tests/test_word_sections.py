"""The agreement's sections, as the house template lays them out: a cover without header or
footer, the contents with the header only, the agreement and its signature pages numbered from
their first page, then the schedules; pages start by section breaks and page-break-before, never
by a page break in an empty paragraph. Checked in the XML and on LibreOffice's pages."""

from __future__ import annotations

import io
import zipfile

import pytest
from conftest import SAMPLES, libreoffice_convert
from lxml import etree

from clausewright import pipeline

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def vietnam(bundled_sources, tmp_path_factory):
    out = tmp_path_factory.mktemp("sections") / "vietnam.docx"
    pipeline.generate(SAMPLES / "vietnam-supplier.yaml", out, sources=bundled_sources)
    return out


def test_four_sections_and_no_page_break_paragraphs(vietnam):
    document = zipfile.ZipFile(vietnam).read("word/document.xml")
    assert b'w:type="page"' not in document
    sections = list(etree.fromstring(document).iter(f"{W}sectPr"))
    assert len(sections) == 4

    def refs(section):
        return sorted(r.tag.split("}")[1] for r in section if r.tag in (f"{W}headerReference", f"{W}footerReference"))

    assert [refs(s) for s in sections] == [[], ["headerReference"], ["footerReference", "headerReference"], []]
    assert sections[2].find(f"{W}pgNumType").get(f"{W}start") == "1"
    assert sections[3].find(f"{W}type").get(f"{W}val") == "continuous" and sections[3].find(f"{W}pgNumType") is None


def test_pages_as_libreoffice_lays_them_out(vietnam, tmp_path):
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(libreoffice_convert(vietnam, "pdf", tmp_path).read_bytes())).pages]
    cover, contents, first = pages[0], pages[1], pages[2]
    assert "MANUFACTURING SUPPLY" in cover and "DRAFT" not in cover.replace("Draft for discussion", "") and "Page" not in cover
    assert "CONTENTS" in contents and "DRAFT | SUP-2026-014" in contents and "Page " not in contents
    assert "PARTIES" in first and "Page 1" in first and "CONTENTS" not in first
    signatures = next(i for i, text in enumerate(pages) if "Signed for and on behalf of" in text)
    schedule = next(i for i, text in enumerate(pages) if "SCHEDULE 1" in text.upper().replace("\n", " ") and i > signatures)
    assert f"Page {signatures - 1}" in pages[signatures] and f"Page {schedule - 1}" in pages[schedule]  # numbering runs on
