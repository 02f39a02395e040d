"""``bulk template`` (the XLSX help sheet is derived from the schema), the spreadsheet layout, and
the once-per-worker compiled master template (byte for byte what docxtpl itself produces)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from clausewright import pipeline
from clausewright.bulk.layout import Layout, column_name, merge
from clausewright.bulk.reading import excel_value
from clausewright.ooxml import template as T
from conftest import MINI, SAMPLES
from bulk_helpers import bulk


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

    layout = Layout(mini_sources.schema)
    columns, _ = layout.parse_header(["agreement.date", "supplier.name", "commercial.price", "confidentiality.years"])
    date, name, price, years = columns
    assert excel_value(dt.datetime(2026, 12, 1), "yyyy-mm-dd", date) == dt.date(2026, 12, 1)
    assert excel_value(dt.datetime(2026, 12, 1), "yyyy-mm-dd", name) == "2026-12-01"
    assert excel_value(12.5, "#,##0.00", price) == "12.50" and excel_value(0.1 + 0.2, "General", price) == "0.30000000000000004"
    assert excel_value(1250000.0, "General", price) == 1250000 and excel_value(7.0, "General", years) == 7
    assert excel_value(123.0, "General", name) == 123


@pytest.mark.parametrize("deal", sorted(p.name for p in SAMPLES.glob("*.yaml")) + ["mini"])
def test_compiled_template_matches_docxtpl(deal, mini_sources, bundled_sources, monkeypatch):
    """The master template, opened and compiled once, renders exactly what a fresh docxtpl
    DocxTemplate renders and saves (the path every document took before)."""
    sources, path = (mini_sources, MINI / "deal.yaml") if deal == "mini" else (bundled_sources, SAMPLES / deal)
    variants = [[], ["tooling.applies=yes", "disputes.method=courts"]] if deal == "mini" else [[]]
    for overrides in variants:
        for comments in (True, False):
            fast = pipeline.generate(path, None, sources=sources, overrides=overrides, comments=comments).docx
            with monkeypatch.context() as m:
                m.setattr(T._Compiled, "render_parts", lambda self, context, count: self._render_classic(context, count))
                classic = pipeline.generate(path, None, sources=sources, overrides=overrides, comments=comments).docx
            assert fast == classic, (deal, overrides, comments)


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
