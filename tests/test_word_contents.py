"""The contents page: with LibreOffice, each entry is cached complete (a link to its heading, a
dot leader, a PAGEREF field to a ``_Toc`` bookmark on the heading) with the page number the
footer prints on the heading's page, and Word is not asked to update fields on opening. Without
LibreOffice, or with --no-page-numbers, the contents is left for Word to number, and said so.
Bulk runs lay documents out only with --page-numbers."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from bulk_helpers import SAMPLE_DEFAULTS, SAMPLE_SUPPLIERS
from click.testing import CliRunner
from conftest import SAMPLES, libreoffice_convert, need_soffice
from lxml import etree

from clausewright.cli.main import cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
VIETNAM = SAMPLES / "vietnam-supplier.yaml"


def _generate(out: Path, *extra: str) -> CliRunner:
    result = CliRunner().invoke(cli, ["generate", str(VIETNAM), "-o", str(out), "--force", *extra])
    assert result.exit_code == 0, result.output
    return result


def _part(docx: Path, name: str) -> bytes:
    return zipfile.ZipFile(docx).read(name)


def _entries(docx: Path) -> list[dict]:
    """Each contents paragraph: its text before the page number, the PAGEREF target and cached
    page, the link's anchor, and whether the TOC field is marked dirty."""
    body = etree.fromstring(_part(docx, "word/document.xml"))
    out = []
    for p in body.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is None or style.get(f"{W}val") != "TOC1":
            continue
        instructions = [t.text.strip() for t in p.iter(f"{W}instrText")]
        pageref = next((i for i in instructions if i.startswith("PAGEREF")), None)
        link = p.find(f"{W}hyperlink")
        runs = list(p.iter(f"{W}r"))
        texts = [t.text for t in p.iter(f"{W}t")]
        out.append({
            "label": texts[0] if texts else "", "title": texts[1] if len(texts) > 1 else "", "page": texts[-1] if pageref else None,
            "target": pageref.split()[1] if pageref else None, "anchor": None if link is None else link.get(f"{W}anchor"),
            "tabs": sum(1 for r in runs if r.find(f"{W}tab") is not None),
            "dirty": any(f.get(f"{W}dirty") == "true" for f in p.iter(f"{W}fldChar")),
        })
    return out


@pytest.fixture(scope="module")
def numbered(tmp_path_factory) -> Path:
    need_soffice()
    out = tmp_path_factory.mktemp("contents") / "vietnam.docx"
    _generate(out)
    return out


def test_each_entry_has_the_page_its_heading_is_printed_on(numbered, tmp_path):
    """Converted again by LibreOffice, each heading falls on the page whose footer prints the
    number the contents shows (the agreement is numbered from its first page, after the cover and
    contents, so the number is not the PDF's page index)."""
    from pypdf import PdfReader

    entries = _entries(numbered)
    assert len(entries) == 31 and all(e["page"] and e["page"].isdigit() for e in entries)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(libreoffice_convert(numbered, "pdf", tmp_path).read_bytes())).pages]
    at = 2  # the cover and the contents come first
    for entry in entries:
        heading = re.compile(rf"(^|\n){re.escape(entry['label'].upper())}\s+{re.escape(entry['title'].upper()[:25])}")
        at = next(i for i in range(at, len(pages)) if heading.search(pages[i].upper()))
        footer = re.search(r"Page (\d+)", pages[at])
        assert footer and footer.group(1) == entry["page"], (entry, at)
        assert footer.group(1) != str(at + 1)  # the printed number, not the PDF's own


def test_entries_link_to_a_toc_bookmark_on_their_heading_and_word_is_not_asked_to_update(numbered):
    body = etree.fromstring(_part(numbered, "word/document.xml"))
    bookmarks = {b.get(f"{W}name"): b.getparent() for b in body.iter(f"{W}bookmarkStart")}
    for entry in _entries(numbered):
        assert entry["target"].startswith("_Toc") and entry["anchor"] == entry["target"] and not entry["dirty"]
        assert entry["tabs"] == 2  # number, title, dot leader, page
        heading = bookmarks[entry["target"]]
        assert heading.find(f"{W}pPr/{W}pStyle").get(f"{W}val") in ("Heading1", "ScheduleHeading")
    assert b"updateFields" not in _part(numbered, "word/settings.xml")
    toc1 = next(s for s in etree.fromstring(_part(numbered, "word/styles.xml")).iter(f"{W}style") if s.get(f"{W}styleId") == "TOC1")
    assert [(t.get(f"{W}val"), t.get(f"{W}leader")) for t in toc1.iter(f"{W}tab")] == [("right", "dot")]


def test_the_same_inputs_give_the_same_bytes(numbered, tmp_path):
    again = tmp_path / "again.docx"
    _generate(again)
    assert again.read_bytes() == numbered.read_bytes()


def _unnumbered(docx: Path) -> None:
    entries = _entries(docx)
    assert entries and all(e["target"] is None and e["anchor"] is None for e in entries) and entries[0]["dirty"]
    assert b'<w:updateFields w:val="true"/>' in _part(docx, "word/settings.xml")


def test_no_page_numbers_leaves_the_contents_for_word_and_says_so(tmp_path):
    out = tmp_path / "plain.docx"
    result = _generate(out, "--no-page-numbers")
    _unnumbered(out)
    assert [line for line in result.stderr.splitlines() if "contents" in line] == [
        "Note: contents without page numbers (--no-page-numbers); Word numbers it when it updates fields on opening."
    ]


def test_without_libreoffice_the_contents_is_left_for_word_and_said_so(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on it
    out = tmp_path / "plain.docx"
    result = _generate(out)
    _unnumbered(out)
    assert "Note: contents without page numbers (LibreOffice (soffice) is not installed)" in result.stderr


def _bulk(out: Path, *extra: str) -> list[Path]:
    out.parent.mkdir(parents=True)
    suppliers = out.parent / "two.csv"
    with SAMPLE_SUPPLIERS.open(encoding="utf-8-sig", newline="") as source, suppliers.open("w", encoding="utf-8", newline="") as two:
        csv.writer(two).writerows(list(csv.reader(source))[:3])  # the header and two suppliers
    result = CliRunner().invoke(cli, ["bulk", "run", str(suppliers), "--defaults", str(SAMPLE_DEFAULTS), "--out", str(out), "--jobs", "1", "--no-progress", *extra])
    assert result.exit_code == 0, result.output
    return sorted(out.glob("*.docx"))


def test_bulk_lays_documents_out_only_with_page_numbers(tmp_path):
    need_soffice()
    plain = _bulk(tmp_path / "plain" / "out")
    assert len(plain) == 2
    for docx in plain:
        _unnumbered(docx)
        assert "--no-page-numbers" in docx.with_suffix(".answers.yaml").read_text(encoding="utf-8")
    numbered = _bulk(tmp_path / "numbered" / "out", "--page-numbers")
    for docx in numbered:
        entries = _entries(docx)
        assert all(e["page"] and e["page"].isdigit() and e["target"] for e in entries)
        assert int(entries[-1]["page"]) > int(entries[0]["page"]) >= 1
        assert "--no-page-numbers" not in docx.with_suffix(".answers.yaml").read_text(encoding="utf-8")
