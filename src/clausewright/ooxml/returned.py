"""Read any Word document paragraph by paragraph, tracked changes included (``read``): what a
counterparty sends back, whatever it did to our draft.

Each body paragraph is a ``Block`` of ``Piece``s of text, each plain, a tracked insertion or a
tracked deletion with its author and date (a tracked move counts as a deletion where the text
left and an insertion where it arrived). ``text`` is the paragraph as it reads with every change
accepted, ``original`` as it read before. Numbers are those Word shows, from the document's own
numbering (``reader``), or typed at the start of the text by a counterparty that retyped the
draft (then taken out of the text). Bookmarks, comments (with their authors) and custom
properties are kept as found: our provenance when it survived.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from lxml import etree

from clausewright.errors import ClausewrightError
from clausewright.ooxml.namespaces import NSMAP, PARSER, w
from clausewright.ooxml.package import MAX_PART_BYTES
from clausewright.ooxml.reader import read_properties, style_numbering

PLAIN, INSERTED, DELETED = "plain", "ins", "del"
_CHANGES = {w("ins"): INSERTED, w("moveTo"): INSERTED, w("del"): DELETED, w("moveFrom"): DELETED}
_TYPED_NUMBER = re.compile(r"^\s*((?:schedule\s+)?\d+(?:\.\d+)*\.?|\([a-z]{1,4}\)|\([ivx]{1,6}\)|\(\d{1,3}\))(?:\s+|\t)(?=\S)", re.IGNORECASE)
_HEADING_STYLE = re.compile(r"^(heading\s*1|title)$|heading1$", re.IGNORECASE)


@dataclass(frozen=True)
class Change:
    """Who made a tracked change, and when (the author and date Word records)."""

    kind: str  # plain | ins | del
    author: str = ""
    date: str = ""


NO_CHANGE = Change(PLAIN)


@dataclass
class Piece:
    text: str
    change: Change = NO_CHANGE


@dataclass
class Block:
    index: int  # among the document's paragraphs, in order
    style: str  # the paragraph style's id
    heading: bool  # a top-level heading (outline level 1, or a Heading 1 or Title style)
    label: str  # the number it shows: "9", "9.1", "(a)", "Schedule 2"; "" when none
    pieces: list[Piece] = field(default_factory=list)
    mark: Change = NO_CHANGE  # a tracked insertion or deletion of the paragraph itself
    bookmarks: list[str] = field(default_factory=list)
    comments: list[int] = field(default_factory=list)
    in_table: bool = False

    @property
    def text(self) -> str:
        """The paragraph with every tracked change accepted."""
        return "".join(p.text for p in self.pieces if p.change.kind != DELETED)

    @property
    def original(self) -> str:
        """The paragraph with every tracked change rejected."""
        return "".join(p.text for p in self.pieces if p.change.kind != INSERTED)

    @property
    def tracked(self) -> bool:
        return self.mark.kind != PLAIN or any(p.change.kind != PLAIN for p in self.pieces)

    @property
    def deleted(self) -> bool:
        """Deleted as a whole with tracking on: nothing of it is left once the changes are accepted."""
        return self.mark.kind == DELETED and not self.text.strip()


@dataclass(frozen=True)
class Comment:
    author: str
    text: str


@dataclass
class ReadDocument:
    blocks: list[Block]
    properties: dict[str, str]  # custom properties (our provenance, when it survived)
    comments: dict[int, Comment]
    styles: set[str]  # the paragraph style ids the document defines
    modified: str  # docProps/core.xml's dcterms:modified, "" when absent

    def authors(self) -> list[str]:
        """Who made the tracked changes, in the order they first appear."""
        found = [p.change.author for b in self.blocks for p in b.pieces if p.change.kind != PLAIN]
        found += [b.mark.author for b in self.blocks if b.mark.kind != PLAIN]
        return list(dict.fromkeys(a for a in found if a))


def read(data: bytes, *, name: str = "document") -> ReadDocument:
    """The document's paragraphs with their tracked changes; a clear error when it is not a Word document."""
    properties = read_properties(data, name=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for info in z.infolist():
                if info.file_size > MAX_PART_BYTES:
                    raise ClausewrightError(f"{name}: its part {info.filename} unpacks to {info.file_size:,} bytes; refusing it")
            parts = {n: z.read(n) for n in ("word/document.xml", "word/styles.xml", "word/numbering.xml", "word/comments.xml", "docProps/core.xml") if n in z.namelist()}
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ClausewrightError(f"{name}: not a Word document ({exc})") from None
    try:
        root = etree.fromstring(parts["word/document.xml"], PARSER)
        styles = etree.fromstring(parts["word/styles.xml"], PARSER) if "word/styles.xml" in parts else None
    except etree.XMLSyntaxError as exc:
        raise ClausewrightError(f"{name}: damaged ({exc})") from None
    numbering = style_numbering(parts.get("word/numbering.xml"), parts.get("word/styles.xml"))
    headings = _heading_styles(styles)
    blocks = []
    for index, p in enumerate(paragraphs(root)):
        style_el = p.find("w:pPr/w:pStyle", NSMAP)
        style = style_el.get(w("val")) if style_el is not None else "Normal"
        outline = p.find("w:pPr/w:outlineLvl", NSMAP)
        label = numbering.paragraph_label(p, style)
        block = Block(index, style, style in headings or (outline is not None and outline.get(w("val")) == "0"), label,
                      pieces=_pieces(p), mark=_mark(p), in_table=any(a.tag == w("tc") for a in p.iterancestors()))
        if not label:
            _take_typed_number(block)
        block.bookmarks = [b.get(w("name")) for b in p.iter(w("bookmarkStart"))]
        block.comments = [int(c.get(w("id"))) for c in p.iter(w("commentRangeStart"))]
        blocks.append(block)
    return ReadDocument(blocks, properties, _comments(parts.get("word/comments.xml")), _style_ids(styles), _modified(parts.get("docProps/core.xml")))


def paragraphs(root) -> list:
    """The paragraphs of the document body in order (those in tables included, text boxes not)."""
    body = root.find("w:body", NSMAP)
    return [p for p in body.iter(w("p")) if not any(a.tag == w("txbxContent") for a in p.iterancestors())]


def _pieces(p) -> list[Piece]:
    pieces: list[Piece] = []
    depth = 0  # inside a field's instruction
    for el in p.iter():
        tag = el.tag
        if tag == w("fldChar"):
            kind = el.get(w("fldCharType"))
            depth += 1 if kind == "begin" else -1 if kind == "separate" else 0
            continue
        if tag in (w("t"), w("delText")) and depth == 0:
            text = el.text or ""
        elif tag == w("tab") and el.getparent() is not None and el.getparent().tag == w("r"):
            text = "\t"
        elif tag in (w("br"), w("cr")):
            text = "\n"
        else:
            continue
        change = _change_of(el)
        if pieces and pieces[-1].change == change:
            pieces[-1].text += text
        else:
            pieces.append(Piece(text, change))
    return pieces


def _change_of(el) -> Change:
    for ancestor in el.iterancestors():
        kind = _CHANGES.get(ancestor.tag)
        if kind:
            return Change(kind, ancestor.get(w("author")) or "", ancestor.get(w("date")) or "")
        if ancestor.tag == w("p"):
            break
    return NO_CHANGE


def _mark(p) -> Change:
    """The tracked change on the paragraph mark itself (a paragraph inserted or deleted whole)."""
    for tag, kind in (("ins", INSERTED), ("moveTo", INSERTED), ("del", DELETED), ("moveFrom", DELETED)):
        el = p.find(f"w:pPr/w:rPr/w:{tag}", NSMAP)
        if el is not None:
            return Change(kind, el.get(w("author")) or "", el.get(w("date")) or "")
    return NO_CHANGE


def _take_typed_number(block: Block) -> None:
    """A number typed at the start of the paragraph (a retyped draft) becomes its label."""
    if not block.pieces or block.pieces[0].change.kind == DELETED:
        return
    m = _TYPED_NUMBER.match(block.pieces[0].text)
    if m:
        block.label = re.sub(r"^schedule\s+", "Schedule ", m.group(1).rstrip("."), flags=re.IGNORECASE)
        block.pieces[0].text = block.pieces[0].text[m.end():]


def _heading_styles(styles) -> set[str]:
    """The paragraph styles that make a top-level heading: outline level 1 (0 in the XML), or
    named Heading 1 or Title, directly or through the style they are based on."""
    if styles is None:
        return set()
    found, based = set(), {}
    for s in styles.findall("w:style", NSMAP):
        sid = s.get(w("styleId"))
        name = s.find("w:name", NSMAP)
        outline = s.find("w:pPr/w:outlineLvl", NSMAP)
        parent = s.find("w:basedOn", NSMAP)
        if _HEADING_STYLE.search(sid or "") or (name is not None and _HEADING_STYLE.search(name.get(w("val")) or "")) or (
                outline is not None and outline.get(w("val")) == "0"):
            found.add(sid)
        elif parent is not None:
            based[sid] = parent.get(w("val"))
    return found | {sid for sid, parent in based.items() if parent in found}


def _style_ids(styles) -> set[str]:
    if styles is None:
        return set()
    return {s.get(w("styleId")) for s in styles.findall("w:style", NSMAP) if s.get(w("type")) == "paragraph"}


def _comments(xml: bytes | None) -> dict[int, Comment]:
    if not xml:
        return {}
    out = {}
    for c in etree.fromstring(xml, PARSER).findall("w:comment", NSMAP):
        text = "\n".join("".join(t.text or "" for t in p.iter(w("t"))) for p in c.iter(w("p")))
        out[int(c.get(w("id")))] = Comment(c.get(w("author")) or "", text.strip())
    return out


def _modified(xml: bytes | None) -> str:
    if not xml:
        return ""
    m = re.search(rb"<dcterms:modified[^>]*>([^<]+)</dcterms:modified>", xml)
    return m.group(1).decode("ascii", "replace").strip() if m else ""
