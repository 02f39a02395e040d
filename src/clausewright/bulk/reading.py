"""Read a bulk input: CSV, XLSX, or a YAML or JSON list, as rows of raw answers.

Cells are not converted here: each value goes through the parameter schema, exactly like a value
in a deal file. Only what a spreadsheet application does to a cell is undone: Excel's dates and
date-times, its percentages (a cell showing 8% holds 0.08), and numbers stored as floats.

Row numbers are the numbers a spreadsheet shows (the header is row 1, the first supplier row 2);
in a YAML or JSON list, row N is the N-th entry. Rows are read again for each pass, so a large
spreadsheet is never held in memory.
"""

from __future__ import annotations

import csv
import datetime as _dt
import json
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from clausewright import yamlio
from clausewright.bulk.errors import PreflightError
from clausewright.bulk.layout import SUPPLIER_ID, Column, Layout
from clausewright.errors import ClausewrightError, Problem, UsageError
from clausewright.inputs.types import is_missing

KINDS = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".yaml": "yaml", ".yml": "yaml", ".json": "json"}
DATA_SHEET = "suppliers"  # the sheet read from a workbook (else its first sheet)
MAX_LIST_BYTES = 200 * 1024 * 1024


class UnsupportedInput(UsageError):
    """The file is not a kind of bulk input."""


@dataclass
class InputRow:
    number: int
    supplier_id: str | None
    answers: dict[str, Any]  # this row's answers, nested as in a deal file (not merged)
    problems: list[Problem] = field(default_factory=list)  # problems with the row's cells


class BulkInput:
    """An opened bulk input: its file-level problems, and its rows (read anew on each call)."""

    def __init__(self, path: Path, layout: Layout):
        self.path = Path(path)
        self.layout = layout
        self.kind = KINDS.get(self.path.suffix.lower())
        if self.kind is None:
            raise UnsupportedInput(f"{self.path}: a bulk input is .csv, .xlsx, .yaml, .yml or .json")
        if not self.path.is_file():
            raise UnsupportedInput(f"{self.path}: no such file")
        self.problems: list[Problem] = []
        self._entries: list[Any] | None = None
        if self.kind in ("csv", "xlsx"):
            header = next(self._table(), None)
            if header is None:
                raise PreflightError(f"{self.path}: the file is empty; the first row must name the columns")
            self.columns, self.problems = layout.parse_header(header[1])
        else:
            self._entries = self._load_list()

    def rows(self) -> Iterator[InputRow]:
        if self._entries is not None:
            for number, entry in enumerate(self._entries, start=1):
                yield _entry_row(number, entry)
            return
        table = self._table()
        next(table, None)
        for number, cells in table:
            if all(is_missing(c) for c in cells):
                continue
            supplier_id, answers, problems = self.layout.row_answers(self.columns, cells, number)
            yield InputRow(number, supplier_id, answers, problems)

    # --- tables ----------------------------------------------------------------------------------

    def _table(self) -> Iterator[tuple[int, list[Any]]]:
        return _csv_rows(self.path) if self.kind == "csv" else _xlsx_rows(self.path, self)

    # --- lists -----------------------------------------------------------------------------------

    def _load_list(self) -> list[Any]:
        size = self.path.stat().st_size
        if size > MAX_LIST_BYTES:
            raise PreflightError(f"{self.path}: {size:,} bytes; a YAML or JSON list may be at most {MAX_LIST_BYTES:,} (use CSV or XLSX)")
        try:
            text = self.path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PreflightError(f"{self.path}: not UTF-8 text (byte {exc.start})") from None
        if self.kind == "yaml":
            try:
                data = yamlio.load_text(text, str(self.path), answers=True)
            except ClausewrightError as exc:
                raise PreflightError(str(exc)) from None
        else:
            try:
                data = json.loads(text, parse_float=str)  # 4.35 stays the text "4.35", never a binary float
            except json.JSONDecodeError as exc:
                raise PreflightError(f"{self.path}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
        if not isinstance(data, list):
            raise PreflightError(f"{self.path}: expected a list with one entry per supplier, each a mapping like a deal file plus supplier_id")
        return data


def _entry_row(number: int, entry: Any) -> InputRow:
    if not isinstance(entry, dict):
        return InputRow(number, None, {}, [Problem("(entry)", "each entry is a mapping like a deal file, with a supplier_id", number)])
    answers = dict(entry)
    raw_id = answers.pop(SUPPLIER_ID, None)
    supplier_id = None if is_missing(raw_id) or isinstance(raw_id, (dict, list)) else str(raw_id).strip()
    return InputRow(number, supplier_id, answers)


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """Records of a CSV file in UTF-8, with or without a byte-order mark (Excel's "CSV UTF-8").
    The delimiter is the one of ``,`` ``;`` or tab that the header line uses most."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            first = fh.readline()
            delimiter = max((",", ";", "\t"), key=first.count)
            fh.seek(0)
            yield from enumerate(csv.reader(fh, delimiter=delimiter, strict=False), start=1)
    except UnicodeDecodeError as exc:
        raise PreflightError(f"{path}: not UTF-8 text (byte {exc.start}); in Excel, save as \"CSV UTF-8\"") from None
    except csv.Error as exc:
        raise PreflightError(f"{path}: not a readable CSV file: {exc}") from None


def _xlsx_rows(path: Path, bulk: BulkInput) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it does not read
            book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise PreflightError(f"{path}: not a readable XLSX workbook ({exc})") from None
    try:
        sheet = book[DATA_SHEET] if DATA_SHEET in book.sheetnames else book.worksheets[0]
        columns: list[Column | None] | None = getattr(bulk, "columns", None)
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if number == 1 or columns is None:
                yield number, [c.value for c in cells]
            else:
                yield number, [excel_value(c.value, getattr(c, "number_format", None), columns[i] if i < len(columns) else None) for i, c in enumerate(cells)]
    finally:
        book.close()


_XSTRING_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def excel_value(value: Any, number_format: str | None, column: Column | None) -> Any:
    """Undo what Excel does to a typed value, so the schema sees what the user meant."""
    if isinstance(value, str):
        # Excel stores characters XML cannot hold (a line break pasted from Word is a vertical
        # tab) as _xHHHH_, and a typed "_xHHHH_" as "_x005F_xHHHH_"; openpyxl leaves them as stored
        return _XSTRING_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value) if "_x" in value else value
    kind = column.param.type.name if column is not None and column.param is not None else None
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0):
            value = value.date()
        elif kind != "date":
            return value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value if kind == "date" else value.isoformat()
    if isinstance(value, _dt.time):
        return value.isoformat()
    if isinstance(value, float) and not isinstance(value, bool):
        number = Decimal(repr(value))
        if kind == "percent" and number_format and "%" in number_format:
            number *= 100
        number = number.normalize()
        places = _shown_places(number_format) if kind in ("money", "decimal") else 0
        if places and -int(number.as_tuple().exponent) < places:
            return format(number.quantize(Decimal(1).scaleb(-places)), "f")  # 12.5 shown as 12.50
        if number == number.to_integral_value():
            return int(number)
        return format(number, "f")
    if isinstance(value, int) and not isinstance(value, bool) and kind == "percent" and number_format and "%" in number_format:
        return value * 100
    return value


def _shown_places(number_format: str | None) -> int:
    """Decimal places a number format shows (``#,##0.00`` shows 2), so a price typed 12.50 and
    stored by Excel as 12.5 keeps its two places."""
    if not number_format:
        return 0
    match = re.search(r"\.(0+)", number_format.split(";")[0])
    return len(match.group(1)) if match else 0
