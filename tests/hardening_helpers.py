"""Helpers for the hardening tests: what a value should become in a document (the documented
normalisations of clausewright.inputs.types, written out independently), and how to find it."""

from __future__ import annotations

import io
import re

import docx as python_docx

from clausewright.ooxml import reader

TEXT_LIMIT, LONGTEXT_LIMIT = 1000, 20000  # the default limits of text and longtext parameters
MISSING = {"", "~", "null"}


def _forbidden(ch: str) -> bool:
    """Outside XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
    [#x10000-#x10FFFF] (a carriage return never gets here: it is a line ending)."""
    code = ord(ch)
    if code < 0x20:
        return ch not in "\t\n"
    return 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF)


def expected(value: str, *, multiline: bool) -> str | None:
    """The text a value must appear as, or None when it must be rejected.

    Documented: line endings (CRLF, CR, vertical tab) become line breaks; what XML 1.0 cannot
    hold (control characters, lone surrogates, U+FFFE and U+FFFF) is refused; a single-line field refuses line breaks; a
    blank value is missing; text and longtext have a length limit. Everything else is kept."""
    text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    if any(_forbidden(ch) for ch in text):
        return None
    if not multiline and "\n" in text:
        return None
    if len(text) > (LONGTEXT_LIMIT if multiline else TEXT_LIMIT):
        return None
    if text.strip() in MISSING:
        return None
    return text


def assert_sound(data: bytes, literals: list[str]) -> list[str]:
    """The DOCX is structurally sound and python-docx reopens it; returns its paragraph texts."""
    assert data[:2] == b"PK"
    problems = reader.check(data, literals)
    assert problems == [], problems[:5]
    python_docx.Document(io.BytesIO(data))  # reopens without error
    return [p.text for p in reader.read(data).paragraphs]


def between(text: str, start: str, end: str) -> list[str]:
    """Every piece of ``text`` between the markers ``start`` and ``end``."""
    return re.findall(re.escape(start) + "(.*?)" + re.escape(end), text, flags=re.S)
