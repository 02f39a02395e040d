"""Read a bulk input: CSV, XLSX, or a YAML or JSON list, as rows of raw answers.

Cells are not converted here: each value goes through the parameter schema, exactly like a value
in a deal file. A workbook's cells are read as Excel shows them (``bulk/workbook.py``): dates,
numbers as their format shows them, merged cells; formulas without a computed value are refused.

Row numbers are the numbers a spreadsheet shows (the header is row 1, the first supplier row 2);
in a YAML or JSON list, row N is the N-th entry. Rows are read again for each pass, so a large
spreadsheet is never held in memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clausewright import yamlio
from clausewright.bulk.errors import PreflightError
from clausewright.bulk.layout import SUPPLIER_ID, Column, Layout
from clausewright.bulk.workbook import WorkbookTable
from clausewright.errors import ClausewrightError, Problem, UsageError
from clausewright.inputs.types import is_missing

KINDS = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".yaml": "yaml", ".yml": "yaml", ".json": "json"}
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
        self.workbook = WorkbookTable(self.path) if self.kind == "xlsx" else None
        self.columns: list[Column | None] = []
        if self.kind in ("csv", "xlsx"):
            header = next(self._table(), None)
            if header is None:
                raise PreflightError(f"{self.path}: the file is empty; the first row must name the columns")
            number, cells, problems = header
            self.columns, self.problems = layout.parse_header(cells if number == 1 else [])
            self.problems[:0] = problems
        else:
            self._entries = self._load_list()

    def describe(self) -> str | None:
        """Which part of the file is read, where there is a choice: a workbook's sheet."""
        return f"{self.workbook.describe()} of {self.path}" if self.workbook is not None else None

    def rows(self) -> Iterator[InputRow]:
        if self._entries is not None:
            for number, entry in enumerate(self._entries, start=1):
                yield _entry_row(number, entry)
            return
        for number, cells, cell_problems in self._table():
            if number == 1 or (not cell_problems and all(is_missing(c) for c in cells)):
                continue
            supplier_id, answers, problems = self.layout.row_answers(self.columns, cells, number)
            yield InputRow(number, supplier_id, answers, cell_problems + problems)

    # --- tables ----------------------------------------------------------------------------------

    def _table(self) -> Iterator[tuple[int, list[Any], list[Problem]]]:
        """Row number, cells and the problems of cells that hold no usable value (header first)."""
        if self.workbook is not None:
            return self.workbook.rows(self.columns)
        return ((number, cells, []) for number, cells in _csv_rows(self.path))

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
    except UnicodeDecodeError:
        # the decoder's offset counts from the block it was decoding: find the byte in the file
        # (UTF-8 never uses the byte of a line feed inside a character, so lines decode alone)
        with open(path, "rb") as raw:
            start = 0
            for number, line in enumerate(raw, start=1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError as exc:
                    column = len(line[: exc.start].decode("utf-8-sig" if number == 1 else "utf-8")) + 1
                    where = f"line {number}, column {column} (byte {start + exc.start + 1:,}, 0x{line[exc.start]:02X})"
                    raise PreflightError(f"{path}: not UTF-8 text at {where}; in Excel, save as \"CSV UTF-8\"") from None
                start += len(line)
        raise PreflightError(f"{path}: not UTF-8 text; in Excel, save as \"CSV UTF-8\"") from None
    except csv.Error as exc:
        raise PreflightError(f"{path}: not a readable CSV file: {exc}") from None
