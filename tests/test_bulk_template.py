"""``bulk template`` (the XLSX help sheet is derived from the schema), the spreadsheet layout, and
the once-per-worker compiled master template (byte for byte what docxtpl itself produces)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bulk_helpers import bulk
from conftest import MINI, SAMPLES
from openpyxl import load_workbook

from clausewright import pipeline
from clausewright.bulk.layout import Layout, column_name, merge
from clausewright.bulk.workbook import excel_value
from clausewright.ooxml import template
from clausewright.ooxml.workbook import Cell


def test_xlsx_template_has_columns_and_a_help_sheet(tmp_path, mini_sources):
    path = tmp_path / "suppliers.xlsx"
    result = bulk("template", "-o", str(path), "--entries", "2")
    assert result.exit_code == 0, result.output
    book = load_workbook(path)
    assert book.sheetnames == ["suppliers", "help"]
    header = [c.value for c in book["suppliers"][1]]
    assert header == [
        "supplier_id", "supplier.name", "supplier.address", "supplier.country", "supplier.signatory.name", "supplier.signatory.title",
        "products.1.name", "products.1.price", "products.2.name", "products.2.price",
    ]
    help_rows = {row[0]: row for row in book["help"].iter_rows(values_only=True) if row and row[0]}
    country = help_rows["supplier.country"]
    assert country[1] == "Supplier country" and country[2].startswith("jurisdiction") and country[3] == "yes"
    assert "singapore" in country[4] and "vietnam" in country[4]
    assert help_rows["products.N.price"][1] == "Products, entry N: Unit price" and help_rows["products.N.price"][3] == "no"
    assert help_rows["confidentiality.years"][4] == "at least 1; at most 20" and help_rows["confidentiality.years"][5] == "5"
    assert help_rows["disputes.method"][4] == "arbitration (Arbitration); courts (Courts)"
    assert "deal.disputes.method == 'arbitration'" in help_rows["disputes.seat"][6]
    # Excel keeps "0123" as text in text columns
    assert book["suppliers"].column_dimensions["A"].number_format == "@"
    refused = bulk("template", "-o", str(path))
    assert refused.exit_code == 1 and "already exists" in refused.stderr


def test_layout_maps_headers_and_rows(mini_sources):
    layout = Layout(mini_sources.schema)
    columns, problems = layout.parse_header(["supplier_id", "Supplier.Name ", "products.1.name", "products.2.price", None, "buyer.name", "products", "products.1.colour", "products.1.name"])
    assert [c.name if c else None for c in columns][:4] == ["supplier_id", "supplier.name", "products.1.name", "products.2.price"]
    assert [(p.field, p.message.split(";")[0]) for p in problems] == [
        ("products", "products is a list"),
        ("products.1.colour", "products entries have no field 'colour'"),
        ("products.1.name", "column 9 repeats column 3"),
    ]
    sid, answers, row_problems = layout.row_answers(columns[:6], ["S-1", "Acme", "Bolt", "", "stray", "Buyer"], row=7)
    assert sid == "S-1" and answers == {"supplier": {"name": "Acme"}, "products": [{"name": "Bolt"}], "buyer": {"name": "Buyer"}}
    assert [(p.field, p.row) for p in row_problems] == [("column 5", 7)]
    assert column_name("products[2].price") == "products.2.price" and column_name("supplier.name") == "supplier.name"
    assert merge({"a": {"b": 1, "c": 2}, "l": [1]}, {"a": {"c": 3}, "l": [2]}) == {"a": {"b": 1, "c": 3}, "l": [2]}


def test_excel_values(mini_sources):
    import datetime as dt
    from decimal import Decimal

    layout = Layout(mini_sources.schema)
    columns, _ = layout.parse_header(["agreement.date", "supplier.name", "commercial.price", "confidentiality.years"])
    date, name, price, years = columns
    assert excel_value(Cell(dt.datetime(2026, 12, 1), "yyyy-mm-dd"), date) == dt.date(2026, 12, 1)
    assert excel_value(Cell(dt.datetime(2026, 12, 1), "yyyy-mm-dd"), name) == "2026-12-01"
    assert excel_value(Cell(Decimal("12.5"), "#,##0.00"), price) == "12.50"
    assert excel_value(Cell(Decimal("0.30000000000000004"), "General"), price) == "0.3"  # Excel's 15 significant digits
    assert excel_value(Cell(Decimal("1250000"), "General"), price) == 1250000 and excel_value(Cell(Decimal("7"), "General"), years) == 7
    assert excel_value(Cell(Decimal("123"), "General"), name) == 123


def _splices(monkeypatch) -> list[bool]:
    """Record, for each document rendered, whether its body XML was spliced in unparsed."""
    seen: list[bool] = []
    original = template._Compiled._document_xml

    def spy(self, context, spliced):
        out = original(self, context, spliced)
        if spliced:
            seen.append(out is not None)
        elif not seen or seen[-1] is not False:
            seen.append(False)  # rendered whole, without trying to splice
        return out

    monkeypatch.setattr(template._Compiled, "_document_xml", spy)
    return seen


def _classic(path, sources, monkeypatch, **kwargs) -> bytes:
    with monkeypatch.context() as m:
        m.setattr(template._Compiled, "render_parts", lambda self, context, count: self._render_classic(context, count))
        return pipeline.generate(path, None, sources=sources, **kwargs).docx


@pytest.mark.parametrize("deal", sorted(p.name for p in SAMPLES.glob("*.yaml")) + ["mini"])
def test_compiled_template_matches_docxtpl(deal, mini_sources, bundled_sources, monkeypatch):
    """The master template, opened and compiled once, renders exactly what a fresh docxtpl
    DocxTemplate renders and saves (the path every document took before), with the agreement's
    XML spliced in rather than parsed and re-serialised."""
    sources, path = (mini_sources, MINI / "deal.yaml") if deal == "mini" else (bundled_sources, SAMPLES / deal)
    variants = [[], ["tooling.applies=yes", "disputes.method=courts"]] if deal == "mini" else [[]]
    for overrides in variants:
        for comments in (True, False):
            splices = _splices(monkeypatch)
            fast = pipeline.generate(path, None, sources=sources, overrides=overrides, comments=comments).docx
            assert splices == [True], (deal, overrides, comments)
            monkeypatch.undo()
            classic = _classic(path, sources, monkeypatch, overrides=overrides, comments=comments)
            assert fast == classic, (deal, overrides, comments)


def test_hostile_values_splice_to_the_bytes_docxtpl_writes(mini_sources, monkeypatch, tmp_path):
    """Every accepted value of the hostile corpus (markup, entities, braces, quotes, tabs, line
    breaks, bidi controls, astral characters...) in a one-line field, a multi-line field and a
    table cell: the spliced document is byte for byte the one docxtpl's own path writes."""
    import yaml
    from fixtures.hostile_values import VALUES

    from clausewright.errors import InputError

    spliced = multiline = 0
    for index, (label, value) in enumerate(VALUES):
        if len(value) > 5000:
            continue  # the long values only repeat characters the others have
        for one_line in (value, "Widget"):  # a value refused on one line goes to the address alone
            deal = {
                "agreement": {"date": "2026-12-01"},
                "buyer": {"name": "Acme", "signatory": {"name": one_line}},
                "supplier": {"name": "Sup Co", "address": value, "country": "vietnam", "signatory": {"name": "Bob"}},
                "commercial": {"price": "1000"},
                "products": [{"name": one_line}],
            }
            path = tmp_path / f"{index}.yaml"
            path.write_text(yaml.safe_dump(deal, allow_unicode=True, default_style='"', width=1_000_000), encoding="utf-8", errors="surrogatepass")
            splices = _splices(monkeypatch)
            try:
                fast = pipeline.generate(path, None, sources=mini_sources).docx
            except InputError:
                monkeypatch.undo()
                continue
            spliced += splices == [True]
            multiline += one_line != value
            monkeypatch.undo()
            assert fast == _classic(path, mini_sources, monkeypatch), label
            break
    assert spliced > 150 and multiline >= 8, (spliced, multiline)


def test_template_with_footnotes_takes_docxtpl_path(tmp_path):
    import io
    import zipfile

    blob = Path(pipeline.resources.master_template()).read_bytes()
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
            z.writestr(info, data)
        z.writestr("word/footnotes.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
    (tmp_path / "fn.docx").write_bytes(out.getvalue())
    sources = pipeline.load_sources(MINI / "library", MINI / "jurisdictions", tmp_path / "fn.docx")
    docx = pipeline.generate(MINI / "deal.yaml", None, sources=sources).docx
    assert sources.template._compiled.classic and b"footnotes.xml" in docx


def test_template_with_the_body_in_a_table_is_rendered_whole(tmp_path, mini_sources, monkeypatch):
    """A house template that puts the articles inside a table cell: docxtpl would check and fix
    that table with the articles in it, so the document is rendered and re-serialised whole,
    and is still byte for byte what docxtpl writes."""
    import io
    import zipfile

    blob = Path(pipeline.resources.master_template()).read_bytes()
    paragraph = '<w:p><w:r><w:t xml:space="preserve">{{p body }}</w:t></w:r></w:p>'
    cell = f'<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="9000"/></w:tblGrid><w:tr><w:tc>{paragraph}</w:tc></w:tr></w:tbl>'
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                assert data.count(paragraph.encode()) == 1
                data = data.replace(paragraph.encode(), cell.encode())
            z.writestr(info, data)
    (tmp_path / "in-table.docx").write_bytes(out.getvalue())
    sources = pipeline.load_sources(MINI / "library", MINI / "jurisdictions", tmp_path / "in-table.docx")
    splices = _splices(monkeypatch)
    fast = pipeline.generate(MINI / "deal.yaml", None, sources=sources).docx
    assert splices == [False]
    monkeypatch.undo()
    assert fast == _classic(MINI / "deal.yaml", sources, monkeypatch)
    assert b'<w:tc><w:p><w:pPr><w:pStyle w:val="Heading1"/>' in _document(fast)  # the first article opens the cell


def _document(docx: bytes) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return z.read("word/document.xml")
