"""An XLSX bulk input read as Excel shows it.

- **Which sheet**: the one named ``suppliers``, else the active sheet if it is visible, else the
  first visible one; ``describe()`` says which was read and why.
- **Merged cells**: a value merged down one column applies to every row it covers, as the user
  sees it. A merge across columns that holds a value (which column would it belong to?), and a
  merge that joins the header to the rows below, are refused with the range named.
- **Numbers** are the numbers their format shows: at Excel's precision of 15 significant digits
  (a computed 4.675000000000001 is 4.675), with the decimal places the format shows (12.5 shown
  as ``12.50``, 4.675 shown as ``4.68``), its zero padding (42 shown as ``00042``), and a cell
  shown as a percentage gives a ``percent`` parameter its points (8% gives 8).
- **Dates** are dates; a date in a text column is its ISO text.
- **Formulas** with no computed value, and error values (``#N/A``), are refused, never read as
  empty cells.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from clausewright.bulk.layout import Column
from clausewright.bulk.spreadsheet import DATA_SHEET
from clausewright.errors import Problem
from clausewright.inputs.types import is_missing
from clausewright.ooxml.workbook import MAX_ROW, Cell, CellError, Range, Uncomputed, Workbook, cell_name

Row = tuple[int, list[Any], list[Problem]]  # row number, cell values, problems with its cells

EXCEL_DIGITS = 15  # significant digits Excel keeps and shows
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')  # quoted text, escapes, padding, fills, [colours] and [$locales]
_DIGIT = re.compile(r"[0#?]")
_PLAIN_INTEGER = re.compile(r"-?(?:0|[1-9]\d*)")


class WorkbookTable:
    """The rows of an XLSX input's sheet, read anew on each call to ``rows``."""

    def __init__(self, path: Path):
        self.path = Path(path)
        with Workbook(self.path, prefer=DATA_SHEET) as book:
            self.sheet = book.sheet
            self._merges = book.merged_ranges()

    def describe(self) -> str:
        hidden = ", which is hidden" if self.sheet.hidden else ""
        return f"sheet {self.sheet.name!r} ({self.sheet.chosen_as}{hidden})"

    def rows(self, columns: list[Column | None] | None) -> Iterator[Row]:
        """Each row that holds something, as Excel shows it (row 1, the header, first if present)."""
        with Workbook(self.path, prefer=DATA_SHEET) as book:
            for number, cells, merged_across in _spread_merges(book.rows(), self._merges):
                if number == 1:
                    yield (number, *_row(number, cells, [], problems=self._header_problems()))
                else:
                    yield (number, *_row(number, cells, columns or [], merged_across))

    def _header_problems(self) -> list[Problem]:
        problems = []
        for merged in self._merges:
            if merged.first_row == 1 and merged.last_column > merged.first_column:
                problems.append(Problem(f"cells {merged}", "are merged across columns; give each column its own header cell", 1))
            elif merged.first_row == 1 and merged.last_row > 1:
                problems.append(Problem(f"cells {merged}", "merge the header with the rows below; the header is row 1 alone: unmerge them", 1))
        return problems


def _spread_merges(rows: Iterable[tuple[int, dict[int, Cell]]], merges: list[Range]) -> Iterator[tuple[int, dict[int, Cell], list[tuple[Range, Cell]]]]:
    """The rows with merged ranges as Excel shows them: in each row a range covers (rows the file
    leaves out included), only the range's first cell counts. A range down one column puts that
    cell in each of its rows; a range across columns is handed on with its first cell, for the
    caller to refuse. The header row is never spread into the rows below."""
    starting: dict[int, list[Range]] = {}
    for merged in merges:
        if merged.first_row > 1 and (merged.last_row, merged.last_column) != (merged.first_row, merged.first_column):
            starting.setdefault(merged.first_row, []).append(merged)
    active: list[tuple[Range, Cell | None]] = []  # the ranges covering the current row, with their first cell

    def spread(number: int, cells: dict[int, Cell]) -> tuple[int, dict[int, Cell], list[tuple[Range, Cell]]]:
        nonlocal active
        active = [(m, c) for m, c in active if m.last_row >= number] + [(m, cells.get(m.first_column)) for m in starting.get(number, ())]
        across = []
        for merged, first in active:
            for column in range(merged.first_column, merged.last_column + 1):
                cells.pop(column, None)
            if first is not None and merged.last_column > merged.first_column:
                across.append((merged, first))
            elif first is not None:
                cells[merged.first_column] = first
        return number, cells, across

    def left_out(after: int, before: int) -> Iterator[tuple[int, dict[int, Cell], list[tuple[Range, Cell]]]]:
        """The rows between two rows of the file that a merged range covers."""
        number = after + 1
        while number < before:
            reach = max((m.last_row for m, _ in active), default=0)
            if number > reach:  # no range covers this row: go to the next one that starts a range
                number = min((r for r in starting if number < r < before), default=before)
                continue
            yield spread(number, {})
            number += 1

    last = 1
    for number, cells in rows:
        if number == 1:
            yield number, cells, []
            continue
        yield from left_out(last, number)
        yield spread(number, cells)
        last = number
    yield from left_out(last, MAX_ROW + 1)


def _dense(cells: dict[int, Cell]) -> list[Cell | None]:
    return [cells.get(column) for column in range(1, max(cells, default=0) + 1)]


def _row(number: int, cells: dict[int, Cell], columns: list[Column | None], merged_across: Iterable[tuple[Range, Cell]] = (), problems: list[Problem] | None = None) -> tuple[list[Any], list[Problem]]:
    """The values Excel shows in a row's cells, and the problems of cells that show none usable
    (added to ``problems``)."""
    problems = [] if problems is None else problems
    values: list[Any] = []
    for index, cell in enumerate(_dense(cells)):
        column = columns[index] if index < len(columns) else None
        field = column.name if column is not None else f"column {index + 1}"
        if cell is None:
            values.append(None)
        elif isinstance(cell.value, Uncomputed):
            values.append(None)
            formula = f"formula ={cell.value.formula}" if cell.value.formula else "a formula"
            problems.append(Problem(field, f"cell {cell_name(number, index + 1)} holds {formula} with no computed value; open and save the file in Excel (which computes it), or type the value", number))
        elif isinstance(cell.value, CellError):
            values.append(None)
            problems.append(Problem(field, f"cell {cell_name(number, index + 1)} shows the error {cell.value.code}; correct the formula or type the value", number))
        else:
            values.append(excel_value(cell, column))
    for merged, first in merged_across:
        if not isinstance(first.value, str) or not is_missing(first.value):
            column = columns[merged.first_column - 1] if merged.first_column <= len(columns) else None
            field = column.name if column is not None else f"column {merged.first_column}"
            problems.append(Problem(field, f"cells {merged} are merged across columns; a value belongs to one column: unmerge them", number))
    return values, problems


def excel_value(cell: Cell, column: Column | None) -> Any:
    """What Excel shows in ``cell``, as the schema should read it for ``column``."""
    value: Any = cell.value
    kind = column.param.type.name if column is not None and column.param is not None else None
    if isinstance(value, Decimal):
        shown = shown_number(value, cell.number_format, percent_points=kind == "percent")
        return int(shown) if _PLAIN_INTEGER.fullmatch(shown) else shown
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0):
            value = value.date()
        elif kind != "date":
            return value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value if kind == "date" else value.isoformat()
    if isinstance(value, _dt.time):
        return value.isoformat()
    return value


def shown_number(number: Decimal, number_format: str, *, percent_points: bool = False) -> str:
    """``number`` as a cell formatted with ``number_format`` shows it, without grouping
    separators or currency symbols: Excel's 15 significant digits; then the format's decimal
    places (rounded half away from zero, as Excel does), zero padding, percentage (as points when
    ``percent_points``, else as a fraction with two more places) and thousands scaling
    (``#,##0,``). A format without digit placeholders (General, text), in scientific notation or
    as a fraction gives the number at Excel's precision."""
    number = _excel_precision(number)
    sections = _FORMAT_LITERALS.sub("", number_format).split(";")
    section = sections[1] if number < 0 and len(sections) > 1 and _DIGIT.search(sections[1]) else sections[0]
    if not _DIGIT.search(section) or "general" in section.lower() or re.search(r"[eE][+-]|/", section):
        return _plain(number)
    integer, _, fraction = section.partition(".")
    after_digits = section[max(m.end() for m in _DIGIT.finditer(section)):]
    scale = len(after_digits) - len(after_digits.lstrip(","))  # "#,##0," shows thousands
    places, minimum = len(_DIGIT.findall(fraction)), len(re.findall(r"[0?]", fraction))
    percents = section.count("%")
    if percent_points:
        number = number.scaleb(2 * percents)
    else:
        places, minimum = places + 2 * percents, minimum + 2 * percents
    number = number.scaleb(-3 * scale)
    text = format(number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")
    if places > minimum:
        whole, _, decimals = text.partition(".")
        decimals = decimals[:minimum] + decimals[minimum:].rstrip("0")
        text = f"{whole}.{decimals}" if decimals else whole
    sign = "-" if text.startswith("-") and text.strip("-0.") else ""
    whole, point, decimals = text.lstrip("-").partition(".")
    return f"{sign}{whole.zfill(integer.count('0'))}{point}{decimals}"


def _excel_precision(number: Decimal) -> Decimal:
    if not number:
        return Decimal(0)
    return number.quantize(Decimal(1).scaleb(number.adjusted() - EXCEL_DIGITS + 1), rounding=ROUND_HALF_UP)


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return "0" if text.strip("-0.") == "" else text
