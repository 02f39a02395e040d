"""Write a drafting memo (``qa/memo.py`` decides what it says) on the house template.

The memo takes the house template's page (A4 and its margins, from the template's last section,
without its headers and footers), its styles, fonts, theme and settings (compatibility mode 15),
and carries the same properties as the agreement: the provenance record, author, language, and no
time but ``SOURCE_DATE_EPOCH``. The template's body, headers and footers are left out.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from clausewright.ooxml import package, styles
from clausewright.ooxml.namespaces import w


@dataclass
class Block:
    kind: str  # title | heading | subheading | paragraph | note | bullet | table
    text: str = ""
    bold_lead: str = ""  # a bold first run (a finding's id)
    rows: list[list[str]] = field(default_factory=list)  # table: header row first


@dataclass
class MemoDocument:
    title: str  # the document's core-properties title
    blocks: list[Block] = field(default_factory=list)

    def add(self, kind: str, text: str = "", **kw) -> None:
        self.blocks.append(Block(kind, text, **kw))


@dataclass
class Stationery:
    """What the memo is written on and signed with: the house template and the properties the
    agreement carries."""

    template: bytes
    template_name: str
    author: str
    language: str  # BCP 47, as en-GB
    properties: dict[str, str]  # the provenance record


BULLET = "\u2022\u2002"  # a bullet and an en space before each item
_SECTION_ONLY = (w("headerReference"), w("footerReference"), w("type"), w("pgNumType"), w("titlePg"))


def write(memo: MemoDocument, stationery: Stationery) -> bytes:
    doc = Document(io.BytesIO(stationery.template))
    _clear(doc)
    by_id = {style.style_id: style for style in doc.styles}
    for block in memo.blocks:
        style = by_id[styles.MEMO[block.kind]]
        if block.kind == "table":
            _table(doc, block.rows, style, by_id[styles.TABLE_TEXT])
            continue
        p = doc.add_paragraph(style=style)
        if block.kind == "bullet":
            p.add_run(BULLET)
        if block.bold_lead:
            p.add_run(block.bold_lead).bold = True
        run = p.add_run(block.text)
        run.italic = block.kind == "note" or None
        run.bold = block.kind == "subheading" or None
    out = io.BytesIO()
    doc.save(out)
    with zipfile.ZipFile(out) as z:
        parts = {info.filename: z.read(info) for info in z.infolist()}
    if package.SETTINGS in parts:
        parts[package.SETTINGS] = package.without_update_fields(parts[package.SETTINGS])
    return package.finish_parts(parts, title=memo.title, author=stationery.author, language=stationery.language, template=stationery.template_name,
                                properties=stationery.properties)


def _clear(doc) -> None:
    """The template's body emptied down to its last section's page, without headers and footers."""
    body = doc.element.body
    section = body.find(w("sectPr"))
    for child in list(body):
        if child is not section:
            body.remove(child)
    if section is not None:
        for child in list(section):
            if child.tag in _SECTION_ONLY:
                section.remove(child)
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype in (RT.HEADER, RT.FOOTER):
            doc.part.drop_rel(rid)


def _table(doc, rows: list[list[str]], style, cell_style) -> None:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = style
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.paragraphs[0].style = cell_style
            cell.paragraphs[0].add_run(text)
