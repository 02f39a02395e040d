"""The issues list of a review: one row per changed clause, as XLSX (a filter-ready table) or
DOCX (a table on the house template)."""

from __future__ import annotations

from typing import Any

from clausewright.ooxml.memo import MemoDocument, write
from clausewright.ooxml.sheet import table_xlsx
from clausewright.qa.memo import stationery
from clausewright.qa.returned.classify import Issue

COLUMNS = ["Clause", "Title", "Status", "Matched by", "What changed", "Classification", "Floors", "Defined terms and references",
           "Their comments", "Position note", "Suggested response", "Decision"]


def rows(issues: list[Issue]) -> list[list[str]]:
    out = []
    for i in issues:
        number = i.number or "(new)"
        if i.moved or (i.their_number and i.their_number != i.number):
            number += f" (theirs: {i.their_number or '?'}{', moved' if i.moved else ''})"
        out.append([number, i.title, i.status, i.matched_by, i.summary, i.classification, "; ".join(i.floors),
                    "; ".join([*i.terms, *i.references]), "; ".join(i.their_comments), i.note, i.response, ""])
    return out


def to_xlsx(issues: list[Issue]) -> bytes:
    return table_xlsx("Issues", COLUMNS, rows(issues), widths={"What changed": 60, "Classification": 40, "Position note": 40, "Decision": 20})


def to_docx(issues: list[Issue], title: str, sources: Any, locale: Any = None) -> bytes:
    doc = MemoDocument(title=title)
    doc.add("title", title)
    shown = ["Clause", "What changed", "Classification", "Position note", "Suggested response", "Decision"]
    picked = [COLUMNS.index(c) for c in shown]
    doc.add("table", rows=[shown, *([r[k] for k in picked] for r in rows(issues))])
    return write(doc, stationery(sources, locale, {}))
