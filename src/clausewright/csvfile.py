"""CSV as clausewright writes it for spreadsheets: CRLF line ends, UTF-8 with a byte-order mark in
files (so that Excel shows every script), and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

# A cell starting with one of these is read by Excel, LibreOffice or Google Sheets as a formula
# (or, for tab and carriage return, as the start of one once trimmed).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """The cell as text a spreadsheet shows rather than runs: a leading apostrophe is added when
    it starts like a formula (``=HYPERLINK(...)`` becomes ``'=HYPERLINK(...)``); any other cell is
    unchanged."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def text(rows: Iterable[Iterable[str]]) -> str:
    """The rows (the first is the header) as CSV text, every cell passed through ``safe_cell``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def file_bytes(rows: Iterable[Iterable[str]]) -> bytes:
    """The contents of a CSV file: ``text`` in UTF-8 with a byte-order mark."""
    return ("\ufeff" + text(rows)).encode("utf-8")
