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
from lxml import etree

from clausewright.ooxml import package, styles
from clausewright.ooxml.namespaces import W, w


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


BULLET = "\u2022"  # the bullet of the memo's list
_SECTION_ONLY = (w("headerReference"), w("footerReference"), w("type"), w("pgNumType"), w("titlePg"))


def write(memo: MemoDocument, stationery: Stationery) -> bytes:
    doc = Document(io.BytesIO(stationery.template))
    _clear(doc)
    by_id = {style.style_id: style for style in doc.styles}
    bullets = _bullet_list(doc) if any(block.kind == "bullet" for block in memo.blocks) else None
    for block in memo.blocks:
        style = by_id.get(styles.MEMO_PREFERRED.get(block.kind, "")) or by_id[styles.MEMO[block.kind]]
        if block.kind == "table":
            _table(doc, block.rows, style, by_id[styles.TABLE_TEXT])
            continue
        p = doc.add_paragraph(style=style)
        if block.kind == "bullet" and bullets is not None:
            _number(p, bullets)
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


def _bullet_list(doc) -> str:
    """Add a one-level bullet list to the memo's numbering part (the house template has one, as
    its clause styles are numbered) and return its w:numId."""
    numbering = doc.part.numbering_part.element
    abstract_id = 1 + max((int(a.get(w("abstractNumId"))) for a in numbering.findall(w("abstractNum"))), default=0)
    num_id = 1 + max((int(n.get(w("numId"))) for n in numbering.findall(w("num"))), default=0)
    abstract = etree.fromstring(
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="singleLevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="{BULLET}"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="1077" w:hanging="357"/></w:pPr></w:lvl></w:abstractNum>')
    first_num = numbering.find(w("num"))
    if first_num is not None:
        first_num.addprevious(abstract)  # every abstractNum comes before the first num
    else:
        numbering.append(abstract)
    numbering.append(etree.fromstring(f'<w:num xmlns:w="{W}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    return str(num_id)


def _number(paragraph, num_id: str) -> None:
    properties = paragraph._p.get_or_add_pPr()
    numbering = etree.fromstring(f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
    style = properties.find(w("pStyle"))
    if style is not None:
        style.addnext(numbering)
    else:
        properties.insert(0, numbering)


def _table(doc, rows: list[list[str]], style, cell_style) -> None:
    """A table whose header row repeats on every page and stays with the first row below it, and
    whose rows do not split across pages."""
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = style
    for index, (row, texts) in enumerate(zip(table.rows, rows, strict=True)):
        properties = row._tr.get_or_add_trPr()
        properties.append(properties.makeelement(w("cantSplit"), {}))
        if index == 0:
            properties.append(properties.makeelement(w("tblHeader"), {}))
        for cell, text in zip(row.cells, texts, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.style = cell_style
            paragraph.paragraph_format.keep_with_next = index == 0 or None
            paragraph.add_run(text).bold = index == 0 or None
