"""The execution pages: each party's block has a signing line with room above it for each
signatory, name, title, capacity, a place and a date line, a seal box of real size where the
party's country customarily seals, and a witness's attestation or a notary's box where its
profile asks for them; no row and no block is split across pages, and the signatures start a page."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest
from conftest import SAMPLES, libreoffice_convert
from lxml import etree

from clausewright import pipeline

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def _blocks(docx: bytes) -> list[dict[str, etree._Element]]:
    """Each signature table as {label: row}, in order (a repeated label gets a number)."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    out = []
    for table in root.iter(f"{W}tbl"):
        if table.find(f"{W}tblPr/{W}tblStyle").get(f"{W}val") != "SignatureTable":
            continue
        rows: dict[str, etree._Element] = {}
        for row in table.iter(f"{W}tr"):
            label = _text(row.findall(f"{W}tc")[0])
            rows[label if label not in rows else f"{label} 2"] = row
        out.append(rows)
    return out


def _value(row) -> str:
    return _text(row.findall(f"{W}tc")[1])


def _height(row) -> tuple[int, str]:
    height = row.find(f"{W}trPr/{W}trHeight")
    return (int(height.get(f"{W}val")), height.get(f"{W}hRule")) if height is not None else (0, "")


def _borders(row) -> set[str]:
    cell = row.findall(f"{W}tc")[1]
    borders = cell.find(f"{W}tcPr/{W}tcBorders")
    return {b.tag.split("}")[1] for b in borders} if borders is not None else set()


def test_signing_lines_date_place_and_seal_box(bundled_sources):
    docx = pipeline.generate(SAMPLES / "vietnam-supplier.yaml", None, sources=bundled_sources).docx
    buyer, supplier = _blocks(docx)
    for block in (buyer, supplier):
        assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in block.values())
        assert _height(block["Signature"])[0] >= 850 and _borders(block["Signature"]) == {"bottom"}
        assert _height(block["Date"])[0] >= 567 and _borders(block["Date"]) == {"bottom"}
        assert _borders(block["Place"]) == {"bottom"}
        assert {"Name", "Title", "Capacity"} <= set(block)
    assert _value(supplier["Place"]) == "Ho Chi Minh City, Vietnam" and _value(supplier["Capacity"]) == "Legal representative"
    # the Vietnamese profile says a company seal is customary: a box of real size; none for the English buyer
    seal = supplier["Company seal"]
    assert _height(seal) == (2268, "exact") and _borders(seal) == {"top", "left", "bottom", "right"}
    assert _value(seal) == "Affix the company seal here"
    assert "Company seal" not in buyer and not any("Witness" in label for label in [*buyer, *supplier])
    root = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert '<w:pStyle w:val="FrontTitle"/><w:pageBreakBefore/></w:pPr><w:r><w:t xml:space="preserve">Signatures</w:t>' in root


@pytest.fixture(scope="module")
def formal_sources(tmp_path_factory):
    """The bundled profiles, with Vietnam asking for a witness and a notary."""
    from clausewright import resources

    folder = tmp_path_factory.mktemp("profiles") / "jurisdictions"
    shutil.copytree(resources.jurisdictions_dir(), folder)
    profile = folder / "profiles" / "vietnam.yaml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace("\nformalities:\n", "\nformalities:\n  witness: {required: true}\n  notary: {required: true, instruction: Certificate of the notary public}\n", 1), encoding="utf-8")
    return pipeline.load_sources(jurisdictions_dir=folder)


def test_witness_and_notary_where_the_profile_asks_for_them(formal_sources):
    docx = pipeline.generate(SAMPLES / "vietnam-supplier.yaml", None, sources=formal_sources).docx
    buyer, supplier = _blocks(docx)
    assert {"In the presence of:", "Witness's signature", "Witness's name", "Witness's address", "Notarial certificate"} <= set(supplier)
    assert _height(supplier["Witness's signature"])[0] >= 850 and _borders(supplier["Witness's signature"]) == {"bottom"}
    notary = supplier["Notarial certificate"]
    assert _height(notary) == (2835, "exact") and _borders(notary) == {"top", "left", "bottom", "right"}
    assert _value(notary) == "Certificate of the notary public"
    assert not any("Witness" in label or "Notarial" in label for label in buyer)


def test_no_block_is_split_across_pages(bundled_sources, tmp_path):
    from pypdf import PdfReader

    path = tmp_path / "thai.docx"
    pipeline.generate(SAMPLES / "thai-die-caster.yaml", path, sources=bundled_sources)  # two blocks, a joint signatory and two seal boxes
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(libreoffice_convert(path, "pdf", tmp_path).read_bytes())).pages]
    first = next(i for i, text in enumerate(pages) if "SIGNATURES" in text)
    assert "Signed for and on behalf of" in pages[first]
    for party in ("Kasumi Motor Parts Co., Ltd. (the Buyer)", "Siam Eastern Diecasting Co., Ltd."):
        page = next(text for text in pages[first:] if party in text)
        assert "Capacity" in page and "Date" in page and "Company seal" in page, party
