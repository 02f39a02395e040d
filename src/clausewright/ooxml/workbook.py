"""Read an XLSX workbook's cells as the file stores them, streaming, with its sizes bounded.

What is read: which worksheet (``pick``), its cells row by row with their number formats, and its
merged ranges. What Excel would *show* for a cell (number formats applied, merged values spread)
is decided by the caller; this module only undoes the storage format:

- text: shared or inline strings; ``_xHHHH_`` is decoded only where Excel writes it (a control
  character, or a code point XML cannot hold), and ``_x005F_`` only where it escapes the
  underscore of a following ``_xHHHH_``; any other ``_xHHHH_`` is text as the writer wrote it;
- numbers as the exact decimal stored (never a binary float); a number whose format is a date
  format as a date or time (in the workbook's 1900 or 1904 calendar);
- a formula with no computed value (files written by libraries, or saved without calculating)
  as ``Uncomputed``, never as an empty cell; an error value (``#N/A``) as ``CellError``.

Only rows and cells present in the file are read, so a stray cell far away costs nothing; a
reference beyond Excel's grid is refused. The package's sizes are checked before anything is
unpacked (``zipcheck``), and the sheet is parsed as a stream.
"""

from __future__ import annotations

import datetime as _dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from clausewright import zipcheck
from clausewright.errors import ClausewrightError
from clausewright.ooxml.namespaces import PARSER

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_TYPE = _DOC_RELS + "/"  # officeDocument, worksheet, styles, sharedStrings

MAX_ROW, MAX_COLUMN = 1_048_576, 16_384  # Excel's grid
_GENERAL = ("General", False)
LIMITS = zipcheck.Limits(parts=10_000, part_bytes=128 * 1024 * 1024, total_bytes=256 * 1024 * 1024)


def _m(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


_ROW, _CELL, _VALUE, _FORMULA, _INLINE, _TEXT, _RUN, _STRING, _MERGE = (
    _m(t) for t in ("row", "c", "v", "f", "is", "t", "r", "si", "mergeCell")
)
_REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")
# ECMA-376 ST_Xstring escapes, as Excel writes them: control characters and code points XML cannot
# hold, and the underscore that starts a literal "_xHHHH_" (stored as "_x005F_xHHHH_")
_ESCAPE = re.compile(r"_x005[Ff]_(?=x[0-9A-Fa-f]{4}_)|_x(00[01][0-9A-Fa-f]|[Dd][89A-Fa-f][0-9A-Fa-f]{2}|[Ff]{3}[EeFf])_")


class WorkbookError(ClausewrightError):
    """The workbook cannot be read (not a workbook, too large, damaged)."""


@dataclass(frozen=True)
class Uncomputed:
    """A formula cell that holds no computed value."""

    formula: str


@dataclass(frozen=True)
class CellError:
    """A cell holding an error value, such as ``#N/A`` or ``#REF!``."""

    code: str


CellValue = str | Decimal | bool | _dt.datetime | _dt.time | Uncomputed | CellError


@dataclass(frozen=True, slots=True)
class Cell:
    value: CellValue
    number_format: str = "General"


@dataclass(frozen=True)
class Range:
    """A merged range of cells, by row and column number (from 1)."""

    first_column: int
    first_row: int
    last_column: int
    last_row: int

    def __str__(self) -> str:
        return f"{cell_name(self.first_row, self.first_column)}:{cell_name(self.last_row, self.last_column)}"


@dataclass(frozen=True)
class Sheet:
    name: str
    part: str
    hidden: bool
    chosen_as: str  # why this sheet: "the sheet named suppliers", "the active sheet", ...


def cell_name(row: int, column: int) -> str:
    """``cell_name(3, 28)`` is ``AB3``."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def decode_text(stored: str) -> str:
    """A stored string as Excel reads it back (see the module's docstring)."""
    if "_x" not in stored:
        return stored
    return _ESCAPE.sub(lambda m: "_" if m.group(1) is None else chr(int(m.group(1), 16)), stored)


class Workbook:
    """An opened workbook and the worksheet to read. Use as a context manager."""

    def __init__(self, path: Path, *, prefer: str):
        """``prefer``: the name of the sheet to read when there is one (see ``pick``)."""
        self.path = Path(path)
        self._where = str(self.path)
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise WorkbookError(f"{self.path}: not a readable XLSX workbook ({exc})") from None
        try:
            self._names = {info.filename for info in zipcheck.check_sizes(self._zip, self._where, LIMITS, WorkbookError)}
            book_part = self._related("", "officeDocument")
            book = self._xml(book_part) if book_part is not None else None
            if book_part is None or book is None or book.tag != _m("workbook"):
                raise WorkbookError(f"{self.path}: not an XLSX workbook as Excel saves it (in Excel, save it as \"Excel Workbook\")")
            self.sheet = pick(book, self._relationships(book_part), prefer, self._where)
            properties = book.find(_m("workbookPr"))
            self._epoch = CALENDAR_MAC_1904 if properties is not None and properties.get("date1904") in ("1", "true") else CALENDAR_WINDOWS_1900
            self._formats = self._number_formats(self._related(book_part, "styles"))
            self._strings = self._shared_strings(self._related(book_part, "sharedStrings"))
        except BaseException:
            self._zip.close()
            raise

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *_: object) -> None:
        self._zip.close()

    # --- the sheet -------------------------------------------------------------------------------

    def merged_ranges(self) -> list[Range]:
        """The sheet's merged ranges (they follow the cells in the file: one pass over the sheet)."""
        found = []
        for element in self._stream(self.sheet.part, (_ROW, _MERGE)):
            if element.tag == _MERGE:
                first, _, last = (element.get("ref") or "").partition(":")
                (row1, col1), (row2, col2) = self._position(first), self._position(last or first)
                found.append(Range(min(col1, col2), min(row1, row2), max(col1, col2), max(row1, row2)))
        return found

    def rows(self) -> Iterator[tuple[int, dict[int, Cell]]]:
        """Each row present in the sheet, in order: its number and its cells by column number.
        Cells that hold nothing (formatting only) are left out."""
        last_row = 0
        columns: dict[str, int] = {}  # a reference's letters -> column number, worked out once
        for element in self._stream(self.sheet.part, (_ROW,)):
            number = int(element.get("r") or last_row + 1)
            if not last_row < number <= MAX_ROW:
                raise WorkbookError(f"{self.path}: sheet {self.sheet.name!r}: row {number} is out of order or beyond Excel's {MAX_ROW:,} rows")
            last_row = number
            cells: dict[int, Cell] = {}
            column = 0
            for cell in element.iterchildren(_CELL):
                reference = cell.get("r")
                if reference:
                    letters = reference.rstrip("0123456789")
                    column = columns.get(letters) or columns.setdefault(letters, self._position(reference)[1])
                else:
                    column += 1
                    if column > MAX_COLUMN:
                        raise WorkbookError(f"{self.path}: sheet {self.sheet.name!r}: row {number} has more than Excel's {MAX_COLUMN:,} columns")
                number_format, is_date = self._formats.get(cell.get("s") or "0", _GENERAL)
                value = self._value(cell, number, column, is_date)
                if value is not None:
                    cells[column] = Cell(value, number_format)
            yield number, cells

    def _value(self, cell: Any, row: int, column: int, is_date: bool) -> CellValue | None:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(_INLINE)
            return decode_text(_string(inline)) if inline is not None else None
        stored = cell.find(_VALUE)
        text = stored.text if stored is not None else None
        if text is None or (text == "" and kind != "str"):
            formula = cell.find(_FORMULA)
            return Uncomputed((formula.text or "").strip()) if formula is not None else None
        try:
            if kind == "s":
                return self._strings[int(text)]
            if kind == "str":
                return decode_text(text)
            if kind == "b":
                return text.strip() in ("1", "true")
            if kind == "e":
                return CellError(text.strip())
            if kind == "d":
                return _dt.datetime.fromisoformat(text.strip())
            number = Decimal(text.strip())
            if not number.is_finite():
                raise ValueError(text)
            return from_excel(float(number), self._epoch) if is_date else number
        except (ValueError, IndexError, InvalidOperation, OverflowError):
            raise WorkbookError(f"{self.path}: sheet {self.sheet.name!r}: cell {cell_name(row, column)} holds {text[:40]!r}, which is not a valid value for it") from None

    def _position(self, reference: str) -> tuple[int, int]:
        match = _REFERENCE.fullmatch(reference.strip())
        if match is None:
            raise WorkbookError(f"{self.path}: sheet {self.sheet.name!r}: {reference[:40]!r} is not a cell reference")
        column = 0
        for letter in match.group(1).upper():
            column = column * 26 + ord(letter) - 64
        row = int(match.group(2))
        if not (1 <= row <= MAX_ROW and 1 <= column <= MAX_COLUMN):
            raise WorkbookError(f"{self.path}: sheet {self.sheet.name!r}: cell {reference} is beyond Excel's grid ({MAX_COLUMN:,} columns, {MAX_ROW:,} rows)")
        return row, column

    def _stream(self, part: str, tags: tuple[str, ...]) -> Iterator[Any]:
        """The elements ``tags`` of ``part`` as they end, each dropped once the caller is done."""
        try:
            with self._zip.open(part) as source:
                for _, element in etree.iterparse(source, events=("end",), tag=tags, resolve_entities=False, no_network=True, huge_tree=True):
                    yield element
                    element.clear()
                    while element.getprevious() is not None:
                        del element.getparent()[0]
        except zipcheck.UNPACK_ERRORS as exc:
            raise WorkbookError(zipcheck.damaged(self._where, part, exc)) from None
        except etree.XMLSyntaxError as exc:
            raise WorkbookError(f"{self.path}: {part} is not well-formed XML: {exc}") from None

    # --- the workbook's other parts --------------------------------------------------------------

    def _xml(self, part: str) -> Any:
        data = zipcheck.read_part(self._zip, part, self._where, WorkbookError)
        try:
            return etree.fromstring(data, parser=PARSER)
        except etree.XMLSyntaxError as exc:
            raise WorkbookError(f"{self.path}: {part} is not well-formed XML: {exc}") from None

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """The parts ``part`` refers to: relationship id -> (kind, such as ``worksheet``; part name)."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{name}.rels")
        found: dict[str, tuple[str, str]] = {}
        if rels not in self._names:
            return found
        for rel in self._xml(rels).iter(f"{{{_PACKAGE_RELS}}}Relationship"):
            target, kind = rel.get("Target") or "", rel.get("Type") or ""
            if rel.get("TargetMode") == "External" or not kind.startswith(_REL_TYPE):
                continue
            path = posixpath.normpath(target[1:] if target.startswith("/") else posixpath.join(folder, target))
            if path in self._names:
                found[rel.get("Id") or ""] = (kind[len(_REL_TYPE):], path)
        return found

    def _related(self, part: str, kind: str) -> str | None:
        """The first part of ``kind`` that ``part`` refers to."""
        return next((path for k, path in self._relationships(part).values() if k == kind), None)

    def _number_formats(self, part: str | None) -> dict[str, tuple[str, bool]]:
        """Each cell style's number format code and whether it shows a date, by style index (as
        the cells give it)."""
        if part is None:
            return {}
        styles = self._xml(part)
        custom = {int(f.get("numFmtId") or 0): f.get("formatCode") or "General" for f in styles.iter(_m("numFmt"))}
        formats: dict[str, tuple[str, bool]] = {}
        cell_formats = styles.find(_m("cellXfs"))
        for index, xf in enumerate(cell_formats.iterchildren(_m("xf")) if cell_formats is not None else ()):
            number = int(xf.get("numFmtId") or 0)
            code = custom.get(number) or BUILTIN_FORMATS.get(number) or "General"
            formats[str(index)] = (code, is_date_format(code))
        return formats

    def _shared_strings(self, part: str | None) -> list[str]:
        if part is None:
            return []
        return [decode_text(_string(element)) for element in self._stream(part, (_STRING,))]


def _string(element: Any) -> str:
    """The text of a shared or inline string: its ``t``, or its runs' ``t`` (phonetic hints left out)."""
    parts = []
    for child in element.iterchildren(_TEXT, _RUN):
        if child.tag == _TEXT:
            parts.append(child.text or "")
        else:
            parts.extend(t.text or "" for t in child.iterchildren(_TEXT))
    return "".join(parts)


def pick(book: Any, parts: dict[str, tuple[str, str]], prefer: str, where: str) -> Sheet:
    """The worksheet to read: the one named ``prefer`` (in any case), else the active sheet if it
    is visible, else the first visible worksheet."""
    sheets: list[tuple[str, str, bool]] = []  # (name, worksheet part or "" for a chart sheet, hidden), in tab order
    for element in book.iter(_m("sheet")):
        kind, part = parts.get(element.get(f"{{{_DOC_RELS}}}id") or "", ("", ""))
        sheets.append((element.get("name") or "", part if kind == "worksheet" else "", element.get("state", "visible") != "visible"))
    for name, part, hidden in sheets:
        if part and name.casefold() == prefer.casefold():
            return Sheet(name, part, hidden, f"the sheet named {prefer}")
    view = book.find(f"{_m('bookViews')}/{_m('workbookView')}")
    active = (view.get("activeTab") or "0") if view is not None else "0"
    if active.isdigit() and int(active) < len(sheets):
        name, part, hidden = sheets[int(active)]
        if part and not hidden:
            return Sheet(name, part, False, "the active sheet")
    for name, part, hidden in sheets:
        if part and not hidden:
            return Sheet(name, part, False, "the first visible sheet")
    raise WorkbookError(f"{where}: no visible worksheet to read")
