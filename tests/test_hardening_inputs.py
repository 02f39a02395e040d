"""Hostile input values (tests/fixtures/hostile_values.py) through ``generate`` and ``bulk run``.

Each value either appears in the document exactly as typed (after the documented line-ending
normalisation) or is rejected with an error naming the field, and in bulk runs the row; never a
corrupt file, never lost text, never evaluated as a template."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from bulk_helpers import MINI_OPTIONS, bulk, errors, manifest
from click.testing import CliRunner
from conftest import libreoffice_text
from fixtures.hostile_values import BY_LABEL, VALUES
from hardening_helpers import assert_sound, between, expected
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from clausewright import pipeline, yamlio
from clausewright.cli.main import cli
from clausewright.errors import InputError
from clausewright.ooxml import reader

pytestmark = pytest.mark.timeout(300)

SUPPLIER = "Sup Co"
# field -> multiline: where each value goes in a deal
DEAL_FIELDS = {"buyer.name": False, "supplier.address": True, "products[1].name": False}
BUYER, ADDRESS, PRODUCT = "QQBUYERQQ", "QQADDRESSQQ", "QQPRODUCTQQ"


def _deal(buyer: str, address: str, product: str) -> dict:
    return {
        "agreement": {"date": "2026-12-01"},
        "buyer": {"name": buyer, "signatory": {"name": "Ann"}},
        "supplier": {"name": SUPPLIER, "address": address, "country": "vietnam", "signatory": {"name": "Bob"}},
        "commercial": {"price": "1000"},
        "products": [{"name": product}],
    }


def _write_deal(path: Path, data: dict) -> Path:
    """A deal file holding exactly ``data`` (double-quoted YAML escapes every character)."""
    text = yaml.safe_dump(data, allow_unicode=True, default_style='"', width=1_000_000)
    assert yamlio.load_text(text, answers=True) == data, "the test could not write this value to YAML"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


@pytest.fixture(scope="module")
def shapes(mini_sources, tmp_path_factory):
    """The paragraphs each field's value appears in, from a document with marker values."""
    folder = tmp_path_factory.mktemp("shapes")
    result = pipeline.generate(_write_deal(folder / "d.yaml", _deal(BUYER, ADDRESS, PRODUCT)), None, sources=mini_sources)
    texts = [p.text for p in reader.read(result.docx).paragraphs]
    found = {marker: [t for t in texts if marker in t] for marker in (BUYER, ADDRESS, PRODUCT)}
    assert len(found[BUYER]) >= 3 and found[ADDRESS] and found[PRODUCT], found  # cover, parties, signature
    return found


def _shown(shapes, marker: str, value: str) -> list[str]:
    return [t.replace(marker, value) for t in shapes[marker]]


def test_corpus_is_complete():
    values = [v for _, v in VALUES]
    assert len(values) >= 200
    for code in range(0x20):
        assert any(chr(code) in v for v in values), f"U+{code:04X}"
    for needle in ("&", "<", ">", '"', "'", "]]>", "\x0b", "\x00", "\ud800", "\ufeff", "\u200b", "\u202e", "{{ 7*7 }}", "{% for", "{#",
                   "{%p", "{{r", "{%tr", "{{p", "{_{", "%_}", "[[Term]]", "<<ref>>", '""Def""', "[? x ?]", "**b**", "..", "CON", "NUL",
                   "COM1", "深圳", "บริษัท", "👩\u200d👩", "🇻🇳", "שָׁלוֹם", "شركة"):
        assert any(needle in v for v in values), needle
    assert any(len(v) >= 100_000 for v in values)
    assert any(v != v.strip() for v in values) and any(v.startswith(("+", "=")) for v in values) and any("|" in v for v in values)
    assert any(unicodedata.normalize("NFC", v) != v and any("\u0300" <= c <= "\u036f" for c in v) for v in values)


def test_every_hostile_value_through_generate(mini_sources, shapes, tmp_path):
    """Each value as buyer.name (one line), supplier.address (longtext) and a product name."""
    accepted = rejected = 0
    multiline_only = []
    for index, (label, value) in enumerate(VALUES):
        deal = _write_deal(tmp_path / f"{index}.yaml", _deal(value, value, value))
        out = tmp_path / f"{index}.docx"
        wanted = {f: expected(value, multiline=m) for f, m in DEAL_FIELDS.items()}
        refused = {f for f, text in wanted.items() if text is None}
        try:
            result = pipeline.generate(deal, out, sources=mini_sources)
        except InputError as exc:
            named = {p.field for p in exc.problems}
            assert named == refused, (label, named, refused, str(exc))
            assert all(p.message for p in exc.problems) and all(f in str(exc) for f in refused), label
            assert not out.exists(), label
            rejected += 1
            if wanted["supplier.address"] is not None:
                multiline_only.append((label, value))
            continue
        assert not refused, (label, refused)
        texts = assert_sound(out.read_bytes(), [value, wanted["buyer.name"]])
        assert result.deal.get("buyer.name") == wanted["buyer.name"], label
        for marker, text in ((BUYER, wanted["buyer.name"]), (ADDRESS, wanted["supplier.address"]), (PRODUCT, wanted["products[1].name"])):
            for paragraph in _shown(shapes, marker, text):
                assert paragraph in texts, (label, paragraph[:200])
        accepted += 1
    # values refused on one line only (line breaks) go into the longtext field alone
    for index, (label, value) in enumerate(multiline_only):
        text = expected(value, multiline=True)
        deal = _write_deal(tmp_path / f"m{index}.yaml", _deal("Acme", value, "Widget"))
        pipeline.generate(deal, tmp_path / f"m{index}.docx", sources=mini_sources)
        texts = assert_sound((tmp_path / f"m{index}.docx").read_bytes(), [value])
        for paragraph in _shown(shapes, ADDRESS, text):
            assert paragraph in texts, (label, paragraph[:200])
    assert accepted > 150 and rejected > 40 and len(multiline_only) >= 8, (accepted, rejected, len(multiline_only))


def test_values_are_never_evaluated(mini_sources, tmp_path):
    for label in ("jinja 7*7", "jinja in name", "jinja for", "jinja macro", "docxtpl escape pair", "jinja deal lookup", "jinja config"):
        value = BY_LABEL[label]
        result = pipeline.generate(_write_deal(tmp_path / "d.yaml", _deal(value, value, value)), None, sources=mini_sources)
        text = reader.read(result.docx).text()
        assert text.count(value) >= 4, label
        assert "49" not in text and "XXX" not in text and "<Config" not in text, label
        assert "QQ" not in text and "Ann" in text


@pytest.mark.parametrize(
    "label, field",
    [("NUL at end", "buyer.name"), ("lone high surrogate", "buyer.name"), ("CRLF", "buyer.name"), ("1001", "buyer.name"), ("form feed", "buyer.name"),
     ("non-character FFFF", "buyer.name")],
)
def test_cli_rejects_with_the_field_named_and_no_traceback(tmp_path, label, field):
    value = BY_LABEL[label]
    deal = _write_deal(tmp_path / "d.yaml", _deal(value, "Hanoi", "Widget"))
    result = CliRunner().invoke(cli, ["generate", str(deal), "-o", str(tmp_path / "o.docx"), *MINI_OPTIONS])
    assert result.exit_code == 3, result.output
    assert f"{field}: " in result.output and "nothing was written" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "o.docx").exists()


def test_cli_set_keeps_values_exactly(tmp_path):
    deal = _write_deal(tmp_path / "d.yaml", _deal("Acme", "Hanoi", "Widget"))
    values = [BY_LABEL[k] for k in ("all xml specials", "jinja 7*7", "docxtpl %p", "leading equals", "both spaces", "RLO", "emoji ZWJ family", "CON")]
    for index, value in enumerate(values):
        out = tmp_path / f"{index}.docx"
        result = CliRunner().invoke(cli, ["generate", str(deal), "-o", str(out), "--set", f"buyer.name={value}", *MINI_OPTIONS])
        assert result.exit_code == 0, result.output
        assert f"{value} (the “Buyer”); and" in assert_sound(out.read_bytes(), [value])


# --- LibreOffice's reading of the text ----------------------------------------------------------------

LIBREOFFICE_LABELS = [
    "all xml specials", "entity text", "cdata end", "xml close tags", "doctype xxe", "tab inside", "BOM inside", "zero width joiner", "soft hyphen",
    "RLO", "RLI isolate", "Arabic", "Hebrew points", "mixed RTL LTR", "combining acute", "zalgo", "emoji ZWJ family", "emoji flags", "emoji keycap",
    "astral math", "jinja 7*7", "jinja for", "jinja comment", "docxtpl %p", "docxtpl r", "docxtpl tr", "docxtpl p", "docxtpl escape open",
    "docxtpl escape block close", "docxtpl escape pair", "defined term", "cross reference", "definition quotes", "placeholder", "bold stars",
    "leading plus", "formula", "pipes", "dotdot slash", "backslash inside", "CON", "NUL", "COM1", "both spaces", "double spaces inside",
    "nbsp edges", "Chinese", "Japanese", "Thai with marks", "Vietnamese NFC", "Vietnamese NFD", "Devanagari", "Korean jamo decomposed",
    "long word no spaces", "yaml python tag", "shell",
]
LIBREOFFICE_MULTILINE = ["vertical tab from Excel", "CRLF", "mixed newlines", "multiline markup", "many blank lines", "CR only"]


def test_libreoffice_reads_the_values_exactly(mini_sources, tmp_path):
    """Values batched into one document: product names (one line) and one address (lines)."""
    assert len(LIBREOFFICE_LABELS) + len(LIBREOFFICE_MULTILINE) >= 30
    products = [{"name": f"«{i}»{BY_LABEL[label]}«/{i}»"} for i, label in enumerate(LIBREOFFICE_LABELS)]
    address = "\n".join(f"«m{i}»{BY_LABEL[label]}«/m{i}»" for i, label in enumerate(LIBREOFFICE_MULTILINE))
    data = _deal("Acme", address, "x")
    data["products"] = products
    out = tmp_path / "batch.docx"
    pipeline.generate(_write_deal(tmp_path / "d.yaml", data), out, sources=mini_sources)
    assert_sound(out.read_bytes(), [p["name"] for p in products] + [address])
    shown = libreoffice_text(out, tmp_path)
    xml_text = reader.read(out.read_bytes()).text()
    for i, label in enumerate(LIBREOFFICE_LABELS):
        want = expected(BY_LABEL[label], multiline=False)
        assert between(xml_text, f"«{i}»", f"«/{i}»") == [want], label
        assert between(shown, f"«{i}»", f"«/{i}»") == [want], label
    for i, label in enumerate(LIBREOFFICE_MULTILINE):
        want = expected(BY_LABEL[label], multiline=True)
        assert between(xml_text, f"«m{i}»", f"«/m{i}»") == [want], label
        assert between(shown, f"«m{i}»", f"«/m{i}»") == [want], label


# --- bulk run: CSV and XLSX cells ----------------------------------------------------------------------

BULK_HEADER = ["supplier_id", "supplier.name", "supplier.address", "supplier.country", "supplier.signatory.name", "products.1.name"]
BULK_FIELDS = {"supplier.name": False, "supplier.address": True}
BULK_DEFAULTS = "agreement:\n  date: 2026-12-01\nbuyer:\n  name: Acme\n  signatory: {name: Ann}\ncommercial:\n  price: 1000\n"


def _bulk_rows() -> list[tuple[str, str, str, str]]:
    """(supplier id, label, name cell, address cell): each value in both text cells, and values
    refused on one line only once more in the address alone."""
    rows = []
    for index, (label, value) in enumerate(VALUES):
        rows.append((f"H{index:03d}", label, value, value))
        if expected(value, multiline=False) is None and expected(value, multiline=True) is not None:
            rows.append((f"M{index:03d}", label, f"Plain {index}", value))
    return rows


_EXCEL_ESCAPE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")


def excel_escaped(value: str) -> str:
    """``value`` as Excel stores it in a workbook (ECMA-376 ST_Xstring): control characters as
    ``_xHHHH_``, and the underscore of a literal ``_xHHHH_`` as ``_x005F_``."""
    return _EXCEL_ESCAPE.sub(lambda m: f"_x{ord(m.group()):04X}_", value)


def excel_unescaped(stored: str) -> str:
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), stored)


def _xlsx_cell(value: str) -> tuple[str | None, str]:
    """What to store in a cell so that the workbook holds ``value`` as Excel would store it,
    or (None, why it cannot)."""
    cell = excel_escaped(value)
    try:
        book = Workbook()
        book.active["A1"] = cell
        if cell.startswith("="):
            book.active["A1"].data_type = "s"  # text, as Excel keeps a cell typed as text
        buffer = io.BytesIO()
        book.save(buffer)
        back = load_workbook(io.BytesIO(buffer.getvalue()), read_only=True).active["A1"].value
    except (IllegalCharacterError, ValueError, UnicodeError) as exc:
        return None, f"{type(exc).__name__}: {str(exc)[:60]}"
    if excel_unescaped(back or "") != value:
        return None, f"the workbook gives back {len(back or '')} characters of {len(value)} (Excel's cell limit is 32,767)"
    return cell, ""


def _check_bulk(out: Path, written_rows: dict[int, tuple[str, str, str, str]], code: int):
    lines = {e["row"]: e for e in manifest(out)}
    problems: dict[int, set[str]] = {}
    for e in errors(out):
        problems.setdefault(int(e["row"]), set()).add(e["field"])
        assert e["message"], e
    accepted = 0
    for row, (ident, label, name, address) in written_rows.items():
        wanted = {"supplier.name": expected(name, multiline=False), "supplier.address": expected(address, multiline=True)}
        refused = {f for f, text in wanted.items() if text is None}
        entry = lines[row]
        assert entry["supplier_id"] == ident
        if refused:
            assert entry["status"] == "failed", (label, entry)
            assert problems.get(row) == refused, (label, problems.get(row), refused)
            continue
        assert entry["status"] == "written" and row not in problems, (label, entry, problems.get(row))
        texts = assert_sound((out / entry["output"]).read_bytes(), [name, address])
        line = f"{wanted['supplier.name']}, of {wanted['supplier.address']} (the “Supplier”)."
        assert line in texts, (label, line[:200])
        assert f"Signed for and on behalf of {wanted['supplier.name']} (the Supplier)" in texts, label
        saved = yamlio.load_file(out / entry["answers"], answers=True)["supplier"]
        assert (saved["name"], saved["address"]) == (wanted["supplier.name"], wanted["supplier.address"]), label
        accepted += 1
    assert accepted > 150, accepted
    assert code == 1


def _run(folder: Path, suppliers: Path):
    (folder / "defaults.yaml").write_text(BULK_DEFAULTS, encoding="utf-8")
    return bulk("run", str(suppliers), "--defaults", str(folder / "defaults.yaml"), "--out", str(folder / "out"), "--jobs", "4")


def test_every_hostile_value_through_bulk_csv(tmp_path):
    rows, skipped = {}, []
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(BULK_HEADER)
    for ident, label, name, address in _bulk_rows():
        try:
            f"{name}{address}".encode()
        except UnicodeEncodeError:
            skipped.append((label, "a lone surrogate cannot be encoded in a UTF-8 file"))
            continue
        writer.writerow([ident, name, address, "vietnam", "Bob", "Widget"])
        rows[len(rows) + 2] = (ident, label, name, address)
    (tmp_path / "s.csv").write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))
    result = _run(tmp_path, tmp_path / "s.csv")
    assert "Traceback" not in result.output
    _check_bulk(tmp_path / "out", rows, result.exit_code)
    print(f"\nCSV: {len(rows)} rows; skipped (cannot be written to a CSV file): {skipped}")
    assert {label for label, _ in skipped} == {"lone high surrogate", "lone low surrogate", "surrogate from bad decode"}


def test_bulk_csv_with_undecodable_bytes_is_refused_as_a_whole(tmp_path):
    """A lone surrogate's bytes (or any invalid UTF-8) in a CSV: the file is refused, nothing written."""
    (tmp_path / "s.csv").write_bytes(",".join(BULK_HEADER).encode() + b"\r\nH1,Acme \xed\xa0\x80,Hanoi,vietnam,Bob,Widget\r\n")
    result = _run(tmp_path, tmp_path / "s.csv")
    assert result.exit_code == 3 and "not UTF-8 text" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_every_hostile_value_through_bulk_xlsx(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "suppliers"
    sheet.append(BULK_HEADER)
    rows, skipped = {}, []
    for ident, label, name, address in _bulk_rows():
        cells = [_xlsx_cell(name), _xlsx_cell(address)]
        why = next((w for c, w in cells if c is None), None)
        if why is not None:
            skipped.append((label, why))
            continue
        sheet.append([ident, cells[0][0], cells[1][0], "vietnam", "Bob", "Widget"])
        for cell in sheet[sheet.max_row][1:3]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
        rows[sheet.max_row] = (ident, label, name, address)
    book.save(tmp_path / "s.xlsx")
    result = _run(tmp_path, tmp_path / "s.xlsx")
    assert "Traceback" not in result.output
    _check_bulk(tmp_path / "out", rows, result.exit_code)
    print(f"\nXLSX: {len(rows)} rows; skipped (cannot be written to XLSX): {skipped}")
    assert {label for label, _ in skipped} == {
        "lone high surrogate", "lone low surrogate", "surrogate from bad decode", "non-character FFFE", "non-character FFFF",
        "100000 x", "100000 emoji", "100000 ampersands", "100000 braces",
    }, skipped
    assert "vertical tab from Excel" in {label for _, label, _, _ in rows.values()}  # held as Excel holds it


def test_bulk_xlsx_reads_control_characters_as_excel_stores_them(tmp_path):
    """Excel stores a cell's vertical tab (a line break pasted from Word) as ``_x000B_`` and a
    typed ``_x0041_`` as ``_x005F_x0041_``; the cell's text is what reaches the document."""
    book = Workbook()
    sheet = book.active
    sheet.append(BULK_HEADER)
    sheet.append(["X1", "Acme _x005F_x0041_ Ltd", "Line one_x000B_Line two_x000D__x000A_Line three", "vietnam", "Bob", "Widget"])
    book.save(tmp_path / "s.xlsx")
    result = _run(tmp_path, tmp_path / "s.xlsx")
    assert result.exit_code == 0, result.output
    texts = assert_sound((tmp_path / "out" / manifest(tmp_path / "out")[0]["output"]).read_bytes(), [])
    assert "Acme _x0041_ Ltd, of Line one\nLine two\nLine three (the “Supplier”)." in texts
