"""Text clausewright writes where another program will interpret it, made to be read as text.

- **Spreadsheet cells** (errors.csv, warnings.csv, any CSV or XLSX clausewright writes): a cell
  that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to Excel,
  LibreOffice and Google Sheets, which run it when the file is opened (a supplier id
  ``=HYPERLINK(...)``). Such a cell is written with a leading apostrophe, the mark those programs
  use for "text, not a formula" (a plain number such as ``-12.50`` is left alone). ``csv_bytes``
  writes a whole CSV file that way; XLSX writers store such text as text (``formula_like``).
- **Printed commands** (in answers files and messages): a file name that begins with ``-`` is
  written ``./-name`` so that it is not read as an option (``shlex`` then quotes each word).
- **Comments** in YAML files: one line, whatever the text holds.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")  # and their full-width forms
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")  # what YAML (or a terminal) takes as a new line or a control


def formula_like(text: str) -> bool:
    """Whether a spreadsheet program would take this text, typed into a cell, as a formula."""
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def cell(value: Any) -> Any:
    """A value for a CSV cell: text that would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and formula_like(value):
        return "'" + value
    return value


def csv_text(columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """CSV text with CRLF line ends (the header, then the rows), every cell made safe with ``cell``."""
    return csv_lines([columns]) + csv_lines(rows)


def csv_lines(rows: Iterable[Iterable[Any]]) -> str:
    """Rows of CSV text with CRLF line ends, every cell made safe with ``cell``."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([cell(v) for v in row] for row in rows)
    return out.getvalue()


def csv_bytes(columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A CSV file as Excel reads it best: ``csv_text`` in UTF-8 with a byte-order mark."""
    return ("\ufeff" + csv_text(columns, rows)).encode("utf-8")


def argument(word: str) -> str:
    """A file name or path as the argument of a printed command (which ``shlex.join`` or
    ``shlex.quote`` then quotes): ``-rf.docx`` becomes ``./-rf.docx``."""
    return f"./{word}" if word.startswith("-") else word


def comment(text: str) -> str:
    """Text for a one-line comment: quoted, with line breaks and control characters escaped."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _LINE_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)
