"""Read a generated DOCX back: paragraphs with the numbers Word would show, bookmarks, REF
fields, comments, custom properties (``read``); the text of each clause, for ``diff``
(``read_clauses``); and a structural check of the package (``check``).

Numbers are derived here from the document's own numbering.xml and styles.xml, independently of
the model that produced them, so they can be used to check that model.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from clausewright.assembly.compose import bookmark_name
from clausewright.errors import ClausewrightError
from clausewright.ooxml.namespaces import NSMAP, PARSER, W, w
from clausewright.ooxml.package import MAX_PART_BYTES


@dataclass
class Para:
    index: int
    style: str
    text: str  # visible text (field results, not instructions)
    label: str = ""  # list label as displayed: "2.1", "(a)", "Schedule 1"
    full: str = ""  # the full-context number a REF \w field shows: "2.1(a)"
    bookmarks: list[str] = field(default_factory=list)
    refs: list[tuple[str, str]] = field(default_factory=list)  # (bookmark, cached result)
    comments: list[int] = field(default_factory=list)


@dataclass
class DocxInfo:
    paragraphs: list[Para]
    parts: dict[str, bytes]
    properties: dict[str, str]
    comments: dict[int, str]

    def bookmark_paragraph(self, name: str) -> Para | None:
        return next((p for p in self.paragraphs if name in p.bookmarks), None)

    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


def _fmt(kind: str, n: int) -> str:
    if kind == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
    if kind == "upperLetter":
        return _fmt("lowerLetter", n).upper()
    if kind in ("lowerRoman", "upperRoman"):
        out, table = "", [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        for value, numeral in table:
            while n >= value:
                out += numeral
                n -= value
        return out.upper() if kind == "upperRoman" else out
    return str(n)


class _Numbering:
    def __init__(self, numbering_xml: bytes | None, styles_xml: bytes):
        self.abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        if numbering_xml:
            root = etree.fromstring(numbering_xml, PARSER)
            for a in root.findall("w:abstractNum", NSMAP):
                levels = {}
                for lvl in a.findall("w:lvl", NSMAP):
                    ilvl = int(lvl.get(w("ilvl")))
                    fmt = lvl.find("w:numFmt", NSMAP)
                    text = lvl.find("w:lvlText", NSMAP)
                    start = lvl.find("w:start", NSMAP)
                    levels[ilvl] = (
                        fmt.get(w("val")) if fmt is not None else "decimal",
                        text.get(w("val")) if text is not None else "",
                        int(start.get(w("val"))) if start is not None else 1,
                    )
                self.abstract[a.get(w("abstractNumId"))] = levels
            for num in root.findall("w:num", NSMAP):
                overrides = {}
                for o in num.findall("w:lvlOverride", NSMAP):
                    so = o.find("w:startOverride", NSMAP)
                    if so is not None:
                        overrides[int(o.get(w("ilvl")))] = int(so.get(w("val")))
                self.nums[num.get(w("numId"))] = (num.find("w:abstractNumId", NSMAP).get(w("val")), overrides)
        self.style_num: dict[str, tuple[str, int]] = {}
        root = etree.fromstring(styles_xml, PARSER)
        for style in root.findall("w:style", NSMAP):
            numpr = style.find("w:pPr/w:numPr", NSMAP)
            if numpr is not None and numpr.find("w:numId", NSMAP) is not None:
                ilvl = numpr.find("w:ilvl", NSMAP)
                self.style_num[style.get(w("styleId"))] = (numpr.find("w:numId", NSMAP).get(w("val")), int(ilvl.get(w("val"))) if ilvl is not None else 0)
        self.counters: dict[str, list[int]] = {}
        self.seen_nums: set[str] = set()
        self.last: dict[str, list[str]] = {}

    def paragraph(self, p, style: str) -> tuple[str, str]:
        """The (label, full number) of paragraph ``p`` of style ``style``, counted in document order."""
        numpr = p.find("w:pPr/w:numPr", NSMAP)
        if numpr is not None and numpr.find("w:numId", NSMAP) is not None:
            ilvl = numpr.find("w:ilvl", NSMAP)
            return self.label(numpr.find("w:numId", NSMAP).get(w("val")), int(ilvl.get(w("val"))) if ilvl is not None else 0)
        if style in self.style_num:
            return self.label(*self.style_num[style])
        return "", ""

    def paragraph_label(self, p, style: str) -> str:
        return self.paragraph(p, style)[0]

    def label(self, num_id: str, ilvl: int) -> tuple[str, str]:
        if num_id not in self.nums or num_id == "0":
            return "", ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        counters = self.counters.setdefault(abstract_id, [0] * 9)
        if num_id not in self.seen_nums:
            self.seen_nums.add(num_id)
            for lvl, start in overrides.items():
                counters[lvl] = start - 1
                for deeper in range(lvl + 1, 9):
                    counters[deeper] = 0
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        fmt, text, start = levels.get(ilvl, ("decimal", "", 1))
        values = [(counters[i] if counters[i] else levels.get(i, ("decimal", "", 1))[2]) for i in range(9)]
        label = re.sub(r"%(\d)", lambda m: _fmt(levels.get(int(m.group(1)) - 1, ("decimal",))[0], values[int(m.group(1)) - 1]), text)
        fulls = self.last.setdefault(abstract_id, [""] * 9)
        full = label if ("%1" in text or ilvl == 0) else fulls[ilvl - 1] + label
        fulls[ilvl] = full
        return label, full


def style_numbering(numbering_xml: bytes | None, styles_xml: bytes | None) -> _Numbering:
    """The numbers a document's paragraphs show, counted as they are read in order (``paragraph``)."""
    return _Numbering(numbering_xml, styles_xml or f'<w:styles xmlns:w="{W}"/>'.encode())


def read(data: bytes) -> DocxInfo:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    doc = etree.fromstring(parts["word/document.xml"], PARSER)
    numbering = _Numbering(parts.get("word/numbering.xml"), parts["word/styles.xml"])
    paragraphs = []
    for index, p in enumerate(doc.iter(w("p"))):
        style_el = p.find("w:pPr/w:pStyle", NSMAP)
        style = style_el.get(w("val")) if style_el is not None else "Normal"
        label, full = numbering.paragraph(p, style)
        para = Para(index=index, style=style, text=_visible_text(p), label=label, full=full)
        para.bookmarks = [b.get(w("name")) for b in p.iter(w("bookmarkStart"))]
        para.refs = _refs(p)
        para.comments = [int(c.get(w("id"))) for c in p.iter(w("commentRangeStart"))]
        paragraphs.append(para)
    comments = {}
    if "word/comments.xml" in parts:
        for c in etree.fromstring(parts["word/comments.xml"], PARSER).findall("w:comment", NSMAP):
            comments[int(c.get(w("id")))] = "".join(t.text or "" for t in c.iter(w("t")))
    properties = {}
    if "docProps/custom.xml" in parts:
        for prop in etree.fromstring(parts["docProps/custom.xml"], PARSER):
            properties[prop.get("name")] = "".join(prop.itertext())
    return DocxInfo(paragraphs=paragraphs, parts=parts, properties=properties, comments=comments)


def _visible_text(p) -> str:
    out = []
    in_instr = 0
    for el in p.iter():
        tag = el.tag
        if tag == w("fldChar"):
            kind = el.get(w("fldCharType"))
            if kind == "begin":
                in_instr += 1
            elif kind == "separate":
                in_instr -= 1
        elif tag == w("t") and in_instr == 0:
            out.append(el.text or "")
        elif tag == w("tab") and el.getparent().tag == w("r"):
            out.append("\t")
        elif tag == w("br"):
            out.append("\n")
    return "".join(out)


def _refs(p) -> list[tuple[str, str]]:
    """REF fields in a paragraph: (bookmark, cached result text)."""
    refs, stack = [], []
    for el in p.iter():
        if el.tag == w("fldChar"):
            kind = el.get(w("fldCharType"))
            if kind == "begin":
                stack.append({"instr": "", "result": "", "phase": "instr"})
            elif kind == "separate" and stack:
                stack[-1]["phase"] = "result"
            elif kind == "end" and stack:
                f = stack.pop()
                m = re.match(r"\s*REF\s+(\S+)", f["instr"])
                if m:
                    refs.append((m.group(1), f["result"]))
        elif el.tag == w("instrText") and stack:
            stack[-1]["instr"] += el.text or ""
        elif el.tag == w("t") and stack and stack[-1]["phase"] == "result":
            stack[-1]["result"] += el.text or ""
    return refs


def check(data: bytes, literals: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Structural problems of a DOCX; an empty list means none were found.

    ``literals`` are values known to be user text (deal values), which may legitimately hold
    ``{{`` or ``{%``; anything else that looks like a template tag is a leftover."""
    parts, problems = _package_problems(data)
    if problems:
        return problems
    info = read(data)
    doc = etree.fromstring(parts["word/document.xml"], PARSER)
    styles = etree.fromstring(parts["word/styles.xml"], PARSER)
    problems += _style_problems(doc, styles)
    problems += _numbering_problems(doc, styles, parts.get("word/numbering.xml"))
    problems += _bookmark_and_ref_problems(doc, info)
    problems += _text_problems(doc, info, literals)
    comment_ids = set(info.comments)
    for el in doc.iter(w("commentReference")):
        if int(el.get(w("id"))) not in comment_ids:
            problems.append(f"comment reference {el.get(w('id'))} has no comment")
    return problems


def _package_problems(data: bytes) -> tuple[dict[str, bytes], list[str]]:
    """The package's parts, and whether its zip entries are unique and its XML well-formed."""
    problems = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = [i.filename for i in z.infolist()]
        if len(names) != len(set(names)):
            problems.append("duplicate zip entries")
        parts = {n: z.read(n) for n in set(names)}
    for name, blob in parts.items():
        if name.endswith((".xml", ".rels")):
            try:
                etree.fromstring(blob, PARSER)
            except etree.XMLSyntaxError as exc:
                problems.append(f"{name} is not well-formed: {exc}")
    return parts, problems


def _style_problems(doc, styles) -> list[str]:
    style_ids = {s.get(w("styleId")) for s in styles.findall("w:style", NSMAP)}
    return [
        f"{attr} {el.get(w('val'))!r} is not defined in styles.xml"
        for attr in ("pStyle", "rStyle", "tblStyle")
        for el in doc.iter(w(attr))
        if el.get(w("val")) not in style_ids
    ]


def _numbering_problems(doc, styles, numbering_xml: bytes | None) -> list[str]:
    problems = []
    num_ids = set()
    if numbering_xml is not None:
        num_root = etree.fromstring(numbering_xml, PARSER)
        num_ids = {n.get(w("numId")) for n in num_root.findall("w:num", NSMAP)}
        seen_num = False
        for child in num_root:
            if child.tag == w("num"):
                seen_num = True
            elif child.tag == w("abstractNum") and seen_num:
                problems.append("an abstractNum follows a num in numbering.xml")
                break
    for el in list(doc.iter(w("numId"))) + list(styles.iter(w("numId"))):
        if el.get(w("val")) not in num_ids and el.get(w("val")) != "0":
            problems.append(f"numId {el.get(w('val'))} is not defined in numbering.xml")
    return problems


def _bookmark_and_ref_problems(doc, info: DocxInfo) -> list[str]:
    """Bookmarks unique, short and closed; every REF field on a bookmark, showing its number."""
    problems = []
    starts: dict[str, str] = {}
    for b in doc.iter(w("bookmarkStart")):
        bid, name = b.get(w("id")), b.get(w("name"))
        if bid in starts:
            problems.append(f"bookmark id {bid} is used twice")
        if name in starts.values():
            problems.append(f"bookmark name {name!r} is used twice")
        if len(name) > 40:
            problems.append(f"bookmark name {name!r} is longer than 40 characters")
        starts[bid] = name
    ends = {b.get(w("id")) for b in doc.iter(w("bookmarkEnd"))}
    problems += [f"bookmark {name!r} has no end" for bid, name in starts.items() if bid not in ends]
    bookmark_names = set(starts.values())
    for p in info.paragraphs:
        for target, cached in p.refs:
            if target not in bookmark_names:
                problems.append(f"REF to missing bookmark {target!r} in paragraph {p.index}")
                continue
            marked = info.bookmark_paragraph(target)
            expected = marked.full if marked is not None else None
            if cached != expected:
                problems.append(f"REF {target} shows {cached!r} but the target is numbered {expected!r}")
    return problems


def _text_problems(doc, info: DocxInfo, literals: tuple[str, ...] | list[str]) -> list[str]:
    """Leftover template delimiters (outside user text), and text outside w:t."""
    problems = []
    for p in info.paragraphs:
        text = p.text
        for value in sorted(literals, key=len, reverse=True):
            text = text.replace(value, "")
        if re.search(r"\{\{|\{%|%\}|\}\}", text):
            problems.append(f"leftover template delimiters in paragraph {p.index}: {p.text[:60]!r}")
    body = doc.find("w:body", NSMAP)
    for el in body.iter():
        if el.text and el.text.strip() and el.tag not in (w("t"), w("instrText"), w("delText")):
            problems.append(f"stray text outside w:t in <{etree.QName(el).localname}>: {el.text.strip()[:40]!r}")
            break
        if el.tail and el.tail.strip():
            problems.append(f"stray text after <{etree.QName(el).localname}>: {el.tail.strip()[:40]!r}")
            break
    return problems


# --- clause by clause (clausewright diff) ---------------------------------------------------------

_BOUNDARY_STYLES = ("Signature", "Cover", "TOC")


@dataclass
class ClauseText:
    id: str
    paragraphs: list[str] = field(default_factory=list)  # as a reader sees them
    normalised: list[str] = field(default_factory=list)  # cross-references replaced by their target

    @property
    def title(self) -> str:
        return self.paragraphs[0] if self.paragraphs else ""


@dataclass
class Document:
    clauses: dict[str, ClauseText]
    properties: dict[str, str]

    def version(self, cid: str) -> str | None:
        value = self.properties.get(f"clausewright.clause.{cid}")
        return value.split(" ")[0] if value else None

    def position(self, cid: str) -> str | None:
        m = re.search(r"position:(\S+)", self.properties.get(f"clausewright.clause.{cid}", ""))
        return m.group(1) if m else None

    def clause_hash(self, cid: str) -> str | None:
        """The start of the SHA-256 of the clause file the document was made from."""
        m = re.search(r"sha256:(\S+)", self.properties.get(f"clausewright.clause.{cid}", ""))
        return m.group(1) if m else None


def _paragraph_texts(p) -> tuple[str, str]:
    """(visible text, text with each REF field's result replaced by a token naming its target)."""
    visible, normal = [], []
    stack: list[dict[str, Any]] = []
    for el in p.iter():
        tag = el.tag
        if tag == w("fldChar"):
            kind = el.get(w("fldCharType"))
            if kind == "begin":
                stack.append({"instr": "", "phase": "instr"})
            elif kind == "separate" and stack:
                stack[-1]["phase"] = "result"
                m = re.match(r"\s*REF\s+(\S+)", stack[-1]["instr"])
                if m:
                    normal.append(f"⟨{m.group(1)}⟩")
            elif kind == "end" and stack:
                stack.pop()
        elif tag == w("instrText") and stack:
            stack[-1]["instr"] += el.text or ""
        elif tag == w("t"):
            if stack and stack[-1]["phase"] == "instr":
                continue
            visible.append(el.text or "")
            in_ref = any(f["phase"] == "result" and re.match(r"\s*REF\s", f["instr"]) for f in stack)
            if not in_ref:
                normal.append(el.text or "")
        elif tag == w("tab") and el.getparent() is not None and el.getparent().tag == w("r"):
            visible.append("\t")
            normal.append("\t")
        elif tag == w("br"):
            visible.append("\n")
            normal.append("\n")
    return "".join(visible), "".join(normal)


def read_properties(data: bytes, *, name: str = "document") -> dict[str, str]:
    """A Word document's custom properties (a generated agreement's provenance)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if "word/document.xml" not in z.namelist():
                raise ClausewrightError(f"{name}: not a Word document (no word/document.xml)")
            info = z.getinfo("docProps/custom.xml") if "docProps/custom.xml" in z.namelist() else None
            if info is not None and info.file_size > MAX_PART_BYTES:
                raise ClausewrightError(f"{name}: its custom properties unpack to {info.file_size:,} bytes; refusing them")
            custom = z.read(info) if info is not None else None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ClausewrightError(f"{name}: not a Word document ({exc})") from None
    if not custom:
        return {}
    try:
        return {prop.get("name"): "".join(prop.itertext()) for prop in etree.fromstring(custom, PARSER)}
    except etree.XMLSyntaxError as exc:
        raise ClausewrightError(f"{name}: its custom properties are damaged ({exc})") from None


def read_clauses(data: bytes, *, name: str = "document") -> Document:
    """A generated agreement clause by clause, matched by the clause ids in its provenance."""
    properties = read_properties(data, name=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            document_xml = z.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ClausewrightError(f"{name}: not a Word document ({exc})") from None
    clause_ids = [k.split(".", 2)[2] for k in properties if k.startswith("clausewright.clause.")]
    if not clause_ids:
        raise ClausewrightError(f"{name}: has no clausewright provenance (custom properties clausewright.clause.*); was it generated by clausewright?")
    starts = {properties.get(f"clausewright.bookmark.{cid}") or bookmark_name(cid): cid for cid in clause_ids}
    root = etree.fromstring(document_xml, PARSER)
    clauses: dict[str, ClauseText] = {}
    current: ClauseText | None = None
    for p in root.iter(w("p")):
        marks = [b.get(w("name")) for b in p.iter(w("bookmarkStart"))]
        start = next((starts[m] for m in marks if m in starts), None)
        style_el = p.find("w:pPr/w:pStyle", NSMAP)
        style = style_el.get(w("val")) if style_el is not None else "Normal"
        if start is not None:
            current = clauses.setdefault(start, ClauseText(start))
        elif current is not None and (style.startswith(_BOUNDARY_STYLES) or style == "FrontTitle"):
            current = None  # the signature block or other template text: not part of a clause
        if current is None:
            continue
        visible, normal = _paragraph_texts(p)
        if not visible.strip() and not current.paragraphs:
            continue
        current.paragraphs.append(visible)
        current.normalised.append(normal)
    return Document(clauses=clauses, properties=properties)
