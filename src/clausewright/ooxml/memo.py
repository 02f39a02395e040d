"""Write a drafting memo (``qa/memo.py`` decides what it says) as a plain Word document.

The memo is made with python-docx's default template: headings, paragraphs, bulleted items and
one table. Its core properties carry the agreement's date, never the clock.
"""

from __future__ import annotations

import datetime as _dt
import io
from dataclasses import dataclass, field

from docx import Document
from docx.shared import Pt


@dataclass
class Block:
    kind: str  # title | heading | subheading | paragraph | note | bullet | table
    text: str = ""
    bold_lead: str = ""  # a bold first run (a finding's id)
    rows: list[list[str]] = field(default_factory=list)  # table: header row first


@dataclass
class MemoDocument:
    title: str  # the document's core-properties title
    created: _dt.datetime
    blocks: list[Block] = field(default_factory=list)

    def add(self, kind: str, text: str = "", **kw) -> None:
        self.blocks.append(Block(kind, text, **kw))


_HEADING_LEVELS = {"title": 0, "heading": 1, "subheading": 2}


def write(memo: MemoDocument) -> bytes:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)
    props = doc.core_properties
    props.title = memo.title
    props.author = "clausewright"
    props.created = props.modified = memo.created
    props.last_modified_by = "clausewright"
    props.revision = 1
    for block in memo.blocks:
        if block.kind in _HEADING_LEVELS:
            doc.add_heading(block.text, level=_HEADING_LEVELS[block.kind])
        elif block.kind == "paragraph":
            doc.add_paragraph(block.text)
        elif block.kind == "note":
            doc.add_paragraph().add_run(block.text).italic = True
        elif block.kind == "bullet":
            p = doc.add_paragraph(style="List Bullet")
            if block.bold_lead:
                p.add_run(block.bold_lead).bold = True
            p.add_run(block.text)
        elif block.kind == "table":
            _table(doc, block.rows)
        else:
            raise ValueError(f"unknown memo block {block.kind!r}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _table(doc, rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(rows[0]))
    table.style = "Light List"
    for cell, text in zip(table.rows[0].cells, rows[0], strict=True):
        cell.text = text
    for row in rows[1:]:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
