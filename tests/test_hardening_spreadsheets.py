"""Spreadsheets read as Excel shows them: merged cells, formulas with and without a computed
value, numbers as their format shows them, which sheet is read, stray cells far away, zip bombs
and ``_xHHHH_`` text. Workbooks are made with openpyxl; what openpyxl cannot write (a computed
value, shared strings as Excel writes them, a cell at XFD1048576, a zip bomb) is written into
the package's XML parts directly."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from bulk_helpers import HEADER, MINI_OPTIONS, bulk, errors, manifest, write_defaults
from openpyxl import Workbook

from clausewright import yamlio
from clausewright.bulk.workbook import shown_number
from clausewright.ooxml.workbook import LIMITS

ROW = ["Alpha Co", "1 Road", "vietnam", "An", "Widget"]  # supplier.name ... products.1.name
SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def folder(tmp_path):
    write_defaults(tmp_path)  # commercial.price: 1250000
    return tmp_path


def _book(rows: list[list], header: list[str] = HEADER) -> tuple[Workbook, object]:
    book = Workbook()
    sheet = book.active
    sheet.title = "suppliers"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    return book, sheet


def _edit(path: Path, part: str, change) -> None:
    """Change the text of one XML part of the package (what openpyxl cannot write)."""
    with zipfile.ZipFile(path) as z:
        parts = {info.filename: z.read(info) for info in z.infolist()}
    parts[part] = change(parts[part].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _rewrite(path: Path, old: str, new: str) -> None:
    def replace(text: str) -> str:
        assert old in text, (old, text[:500])
        return text.replace(old, new)

    _edit(path, SHEET, replace)


def _computed(path: Path, values: dict[str, str], kind: str = "n") -> None:
    """Store with each formula cell the value Excel computed (openpyxl leaves it empty), as the
    cell type ``kind``: n (number), str (text) or e (error)."""

    def store(text: str) -> str:
        for ref, value in values.items():
            text, count = re.subn(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v></v></c>', rf'<c r="{ref}"\1 t="{kind}"><f>\2</f><v>{escape(value)}</v></c>', text)
            assert count == 1, (ref, text[:500])
        return text

    _edit(path, SHEET, store)


def _run(folder: Path, path: Path, *extra: str, out: str = "out"):
    return bulk("run", str(path), "--defaults", str(folder / "defaults.yaml"), "--out", str(folder / out), "--jobs", "1", *extra)


def _validate(folder: Path, path: Path):
    return bulk("validate", str(path), "--defaults", str(folder / "defaults.yaml"), "--jobs", "1")


def _answers(out: Path) -> dict[str, dict]:
    """Each written row's answers file, by supplier id."""
    return {e["supplier_id"]: yamlio.load_file(out / e["answers"], answers=True) for e in manifest(out) if e["status"] == "written"}


# --- 1. merged cells ------------------------------------------------------------------------------


def test_a_value_merged_down_a_column_applies_to_every_row_it_covers(folder):
    book, sheet = _book([["S-1", *ROW, 99.5], ["S-2", *ROW, None], ["S-3", *ROW, None], ["S-4", *ROW, None]], [*HEADER[:6], "commercial.price"])
    sheet.merge_cells("G2:G4")  # the price shown once for the first three suppliers
    book.save(folder / "s.xlsx")
    result = _run(folder, folder / "s.xlsx")
    assert result.exit_code == 0, result.output
    prices = {sid: answers["commercial"]["price"] for sid, answers in _answers(folder / "out").items()}
    assert prices == {"S-1": "99.5", "S-2": "99.5", "S-3": "99.5", "S-4": "1250000"}


def test_merges_across_columns_or_into_the_header_are_refused_with_the_range(folder):
    book, sheet = _book([["S-1", "Alpha Co", None, "vietnam", "An", "Widget"], ["S-2", *ROW]])
    sheet.merge_cells("B2:C2")  # name and address merged: which column is the value?
    book.save(folder / "across.xlsx")
    result = _validate(folder, folder / "across.xlsx")
    assert result.exit_code == 3
    assert "row 2 (S-1): supplier.name: cells B2:C2 are merged across columns; a value belongs to one column: unmerge them" in result.stderr
    assert "row 3" not in result.stderr

    book, sheet = _book([[None, *ROW]])
    sheet.merge_cells("A1:A2")  # the header merged into the first row
    book.save(folder / "header.xlsx")
    result = _validate(folder, folder / "header.xlsx")
    assert result.exit_code == 3 and "cells A1:A2: merge the header with the rows below" in result.stderr


# --- 2. formulas without a computed value, and error values ----------------------------------------


def test_a_formula_with_no_computed_value_is_refused_never_read_as_empty(folder):
    header = [*HEADER[:6], "supplier.signatory.title"]
    book, _ = _book([["S-1", *ROW, '=TEXT(7,"000")'], ["S-2", '="Beta "&"Co"', *ROW[1:], None]], header)
    book.save(folder / "s.xlsx")  # openpyxl stores formulas without a computed value
    result = _validate(folder, folder / "s.xlsx")
    assert result.exit_code == 3
    assert ('row 2 (S-1): supplier.signatory.title: cell G2 holds formula =TEXT(7,"000") with no computed value; '
            "open and save the file in Excel (which computes it), or type the value") in result.stderr
    assert "row 3 (S-2): supplier.name: cell B3 holds formula =\"Beta \"&\"Co\" with no computed value" in result.stderr
    assert "missing" not in result.stderr

    # the same formulas once Excel has computed them: their values are read
    _computed(folder / "s.xlsx", {"G2": "007", "B3": "Beta Co"}, kind="str")
    result = _run(folder, folder / "s.xlsx")
    assert result.exit_code == 0, result.output
    answers = _answers(folder / "out")
    assert answers["S-1"]["supplier"]["signatory"]["title"] == "007" and answers["S-2"]["supplier"]["name"] == "Beta Co"


def test_an_error_value_is_refused(folder):
    book, _ = _book([["S-1", "=VLOOKUP(1,Z1:Z2,2,FALSE)", *ROW[1:]]])
    book.save(folder / "s.xlsx")
    _computed(folder / "s.xlsx", {"B2": "#N/A"}, kind="e")
    result = _validate(folder, folder / "s.xlsx")
    assert result.exit_code == 3 and "row 2 (S-1): supplier.name: cell B2 shows the error #N/A" in result.stderr


# --- 3. and 4. numbers as their format shows them --------------------------------------------------


def test_a_computed_price_is_the_price_its_format_shows(folder):
    book, sheet = _book([["S-1", *ROW, "=4.25*1.1"], ["S-2", *ROW, "=4.25*1.1"], ["S-3", *ROW, "=100/3"]], HEADER[:7])
    sheet["G3"].number_format = "#,##0.00"
    sheet["G4"].number_format = "0.00"
    book.save(folder / "s.xlsx")
    _computed(folder / "s.xlsx", {"G2": "4.675000000000001", "G3": "4.675000000000001", "G4": "33.333333333333336"})
    result = _run(folder, folder / "s.xlsx")
    assert result.exit_code == 0, result.output
    prices = {sid: answers["products"][0]["price"] for sid, answers in _answers(folder / "out").items()}
    assert prices == {"S-1": "4.675", "S-2": "4.68", "S-3": "33.33"}  # General: Excel's 15 digits; 0.00: two places


def test_zero_padding_formats_keep_their_zeros(folder):
    header = [*HEADER[:6], "supplier.signatory.title"]
    book, sheet = _book([[42, *ROW, 105536001234]], header)
    sheet["A2"].number_format = "00000"
    sheet["G2"].number_format = "0000000000000"  # a 13-digit Thai registration number with a leading 0
    book.save(folder / "s.xlsx")
    result = _run(folder, folder / "s.xlsx")
    assert result.exit_code == 0, result.output
    [entry] = manifest(folder / "out")
    assert entry["supplier_id"] == "00042"
    assert _answers(folder / "out")["00042"]["supplier"]["signatory"]["title"] == "0105536001234"


@pytest.mark.parametrize(
    "stored, number_format, points, shown",
    [
        ("0.30000000000000004", "General", False, "0.3"),  # Excel's 15 significant digits
        ("1.0049999999999999", "0.00", False, "1.01"),  # 1.005 at 15 digits, rounded half away from zero as Excel does
        ("12.5", '"VND "#,##0.00', False, "12.50"),
        ("2.5", "0.0#", False, "2.5"),  # optional places
        ("1250000", "#,##0,", False, "1250"),  # shown in thousands
        ("-4.675", "0.00;(0.00)", False, "-4.68"),
        ("0.085", "0.0%", True, "8.5"),  # a percent parameter gets its points
        ("0.085", "0%", False, "0.09"),  # any other column: the fraction shown
        ("7", "000", False, "007"),
        ("123456789012", "0.00E+00", False, "123456789012"),  # scientific: the number itself
    ],
)
def test_numbers_as_their_format_shows_them(stored, number_format, points, shown):
    assert shown_number(Decimal(stored), number_format, percent_points=points) == shown


# --- 5. which sheet is read -----------------------------------------------------------------------


def test_the_active_visible_sheet_is_read_and_named_not_a_hidden_first_sheet(folder):
    book = Workbook()
    old = book.active
    old.title = "Old list"
    old.append(HEADER[:6])
    old.append(["S-OLD", *ROW])
    vendors = book.create_sheet("Vendors")
    vendors.append(HEADER[:6])
    vendors.append(["S-NEW", *ROW])
    book.active = vendors
    old.sheet_state = "hidden"
    book.save(folder / "s.xlsx")
    result = _run(folder, folder / "s.xlsx")
    assert result.exit_code == 0, result.output
    assert [e["supplier_id"] for e in manifest(folder / "out")] == ["S-NEW"]
    assert f"Reading sheet 'Vendors' (the active sheet) of {folder / 's.xlsx'}." in result.stderr

    named = book.create_sheet("Suppliers", 0)  # a sheet named suppliers is read even when not active
    named.append(HEADER[:6])
    named.append(["S-NAMED", *ROW])
    book.save(folder / "named.xlsx")
    result = _validate(folder, folder / "named.xlsx")
    assert result.exit_code == 0, result.output
    assert "Reading sheet 'Suppliers' (the sheet named suppliers)" in result.stderr and "All 1 rows" in result.stdout


# --- 6. stray cells far away ----------------------------------------------------------------------


def test_a_stray_cell_at_the_grids_far_corner_costs_nothing(folder):
    book, _ = _book([["S-1", *ROW]], HEADER[:6])
    book.save(folder / "s.xlsx")
    _rewrite(folder / "s.xlsx", '<dimension ref="A1:F2"/>', '<dimension ref="A1:XFD1048576"/>')
    _rewrite(folder / "s.xlsx", "</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t> </t></is></c></row></sheetData>')
    assert (folder / "s.xlsx").stat().st_size < 10_000
    command = [sys.executable, "-m", "clausewright", "bulk", "validate", str(folder / "s.xlsx"), "--defaults", str(folder / "defaults.yaml"), "--jobs", "1", "--no-progress", *MINI_OPTIONS]
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "All 1 rows" in result.stdout and time.monotonic() - started < 60


def test_a_cell_beyond_the_grid_is_refused_clearly(folder):
    book, _ = _book([["S-1", *ROW]], HEADER[:6])
    book.save(folder / "s.xlsx")
    _rewrite(folder / "s.xlsx", "</sheetData>", '<row r="3"><c r="XFE3" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
    result = _validate(folder, folder / "s.xlsx")
    assert result.exit_code == 3 and "cell XFE3 is beyond Excel's grid (16,384 columns, 1,048,576 rows)" in result.stderr
    assert "Traceback" not in result.output


# --- 7. zip bombs ---------------------------------------------------------------------------------


def _pad_sheet(path: Path, size: int) -> None:
    """Pad the sheet part with ``size`` spaces (well-formed XML, about 1/1000 of that compressed)."""
    with zipfile.ZipFile(path) as z:
        parts = {info.filename: z.read(info) for info in z.infolist()}
    sheet = parts.pop(SHEET)
    head, tail = sheet.rsplit(b"</worksheet>", 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        with z.open(SHEET, "w") as fh:
            fh.write(head)
            block = b" " * (1 << 20)
            for _ in range(size >> 20):
                fh.write(block)
            fh.write(b"</worksheet>" + tail)


def _declare_size(path: Path, part: str, size: int) -> None:
    """Make the package's headers declare ``size`` unpacked bytes for ``part`` (a lying zip)."""
    import struct

    data = bytearray(path.read_bytes())
    name = part.encode()
    for signature, header, offset in ((b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)):  # local header, central directory
        at = data.find(signature)
        while at != -1:
            if data[at + header : at + header + len(name)] == name:
                struct.pack_into("<I", data, at + offset, size)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))


def test_a_zip_bomb_is_refused_before_it_is_unpacked(folder):
    book, _ = _book([["S-1", *ROW]], HEADER[:6])
    book.save(folder / "s.xlsx")
    size = LIMITS.part_bytes + (2 << 20)
    _pad_sheet(folder / "s.xlsx", size)
    assert (folder / "s.xlsx").stat().st_size < 1024 * 1024
    started = time.monotonic()
    result = _run(folder, folder / "s.xlsx")
    assert result.exit_code == 3, result.output
    assert "part xl/worksheets/sheet1.xml unpacks to" in result.stderr and f"the limit is {LIMITS.part_bytes:,}" in result.stderr
    assert time.monotonic() - started < 10 and not (folder / "out").exists()

    _declare_size(folder / "s.xlsx", SHEET, 5000)  # the headers lie about its size
    result = _run(folder, folder / "s.xlsx")
    assert result.exit_code == 3, result.output
    assert "part xl/worksheets/sheet1.xml is damaged or larger than its header says" in result.stderr
    assert "Traceback" not in result.output and not (folder / "out").exists()


# --- 8. _xHHHH_ text ------------------------------------------------------------------------------


def _excel_package(path: Path, header: list[str], row: list[str]) -> Path:
    """A workbook as Excel writes one: every text in the shared-strings part."""
    xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rels = "http://schemas.openxmlformats.org/package/2006/relationships"
    kinds = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    strings = [*header, *row]

    def cells(number: int, first: int, count: int) -> str:
        return f'<row r="{number}">' + "".join(f'<c r="{chr(65 + i)}{number}" t="s"><v>{first + i}</v></c>' for i in range(count)) + "</row>"

    parts = {
        "[Content_Types].xml": xml + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": xml + f'<Relationships xmlns="{rels}"><Relationship Id="rId1" Type="{kinds}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": xml + f'<workbook xmlns="{main}" xmlns:r="{kinds}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": xml + f'<Relationships xmlns="{rels}"><Relationship Id="rId1" Type="{kinds}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{kinds}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/sharedStrings.xml": xml + f'<sst xmlns="{main}">' + "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings) + "</sst>",
        SHEET: xml + f'<worksheet xmlns="{main}"><sheetData>{cells(1, 0, len(header))}{cells(2, len(header), len(row))}</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_only_what_excel_escaped_is_decoded(folder):
    # written by a library that does not escape: the text as written
    book, _ = _book([["S-1", "Part_x0031_ Co", "Line one_x000B_Line two", *ROW[2:]]], HEADER[:6])
    book.save(folder / "library.xlsx")
    # written as Excel writes a typed "_x0031_" (its underscore escaped) and a line break pasted from Word
    _excel_package(folder / "excel.xlsx", HEADER[:6], ["S-2", "Part_x005F_x0031_ Co", "Line one_x000B_Line two", *ROW[2:]])
    for name in ("library.xlsx", "excel.xlsx"):
        result = _run(folder, folder / name, out=f"{name}.out")
        assert result.exit_code == 0, result.output
    answers = {**_answers(folder / "library.xlsx.out"), **_answers(folder / "excel.xlsx.out")}
    assert answers["S-1"]["supplier"]["name"] == "Part_x0031_ Co" and answers["S-2"]["supplier"]["name"] == "Part_x0031_ Co"
    assert answers["S-1"]["supplier"]["address"] == answers["S-2"]["supplier"]["address"] == "Line one\nLine two"
    assert not errors(folder / "library.xlsx.out") and not errors(folder / "excel.xlsx.out")
