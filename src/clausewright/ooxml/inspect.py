"""Read a generated DOCX back: paragraphs with the numbers Word would show, bookmarks, REF
fields, comments, custom properties; and a structural check of the package.

Numbers are derived here from the document's own numbering.xml and styles.xml, independently of
the model that produced them, so they can be used to check that model.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


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
            root = etree.fromstring(numbering_xml, _PARSER)
            for a in root.findall("w:abstractNum", NS):
                levels = {}
                for lvl in a.findall("w:lvl", NS):
                    ilvl = int(lvl.get(_w("ilvl")))
                    fmt = lvl.find("w:numFmt", NS)
                    text = lvl.find("w:lvlText", NS)
                    start = lvl.find("w:start", NS)
                    levels[ilvl] = (
                        fmt.get(_w("val")) if fmt is not None else "decimal",
                        text.get(_w("val")) if text is not None else "",
                        int(start.get(_w("val"))) if start is not None else 1,
                    )
                self.abstract[a.get(_w("abstractNumId"))] = levels
            for num in root.findall("w:num", NS):
                overrides = {}
                for o in num.findall("w:lvlOverride", NS):
                    so = o.find("w:startOverride", NS)
                    if so is not None:
                        overrides[int(o.get(_w("ilvl")))] = int(so.get(_w("val")))
                self.nums[num.get(_w("numId"))] = (num.find("w:abstractNumId", NS).get(_w("val")), overrides)
        self.style_num: dict[str, tuple[str, int]] = {}
        root = etree.fromstring(styles_xml, _PARSER)
        for style in root.findall("w:style", NS):
            numpr = style.find("w:pPr/w:numPr", NS)
            if numpr is not None and numpr.find("w:numId", NS) is not None:
                ilvl = numpr.find("w:ilvl", NS)
                self.style_num[style.get(_w("styleId"))] = (numpr.find("w:numId", NS).get(_w("val")), int(ilvl.get(_w("val"))) if ilvl is not None else 0)
        self.counters: dict[str, list[int]] = {}
        self.seen_nums: set[str] = set()
        self.last: dict[str, list[str]] = {}

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


def read(data: bytes) -> DocxInfo:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    doc = etree.fromstring(parts["word/document.xml"], _PARSER)
    numbering = _Numbering(parts.get("word/numbering.xml"), parts["word/styles.xml"])
    paragraphs = []
    for index, p in enumerate(doc.iter(_w("p"))):
        style_el = p.find("w:pPr/w:pStyle", NS)
        style = style_el.get(_w("val")) if style_el is not None else "Normal"
        numpr = p.find("w:pPr/w:numPr", NS)
        num = None
        if numpr is not None and numpr.find("w:numId", NS) is not None:
            ilvl = numpr.find("w:ilvl", NS)
            num = (numpr.find("w:numId", NS).get(_w("val")), int(ilvl.get(_w("val"))) if ilvl is not None else 0)
        elif style in numbering.style_num:
            num = numbering.style_num[style]
        label, full = numbering.label(*num) if num else ("", "")
        para = Para(index=index, style=style, text=_visible_text(p), label=label, full=full)
        para.bookmarks = [b.get(_w("name")) for b in p.iter(_w("bookmarkStart"))]
        para.refs = _refs(p)
        para.comments = [int(c.get(_w("id"))) for c in p.iter(_w("commentRangeStart"))]
        paragraphs.append(para)
    comments = {}
    if "word/comments.xml" in parts:
        for c in etree.fromstring(parts["word/comments.xml"], _PARSER).findall("w:comment", NS):
            comments[int(c.get(_w("id")))] = "".join(t.text or "" for t in c.iter(_w("t")))
    properties = {}
    if "docProps/custom.xml" in parts:
        for prop in etree.fromstring(parts["docProps/custom.xml"], _PARSER):
            properties[prop.get("name")] = "".join(prop.itertext())
    return DocxInfo(paragraphs=paragraphs, parts=parts, properties=properties, comments=comments)


def _visible_text(p) -> str:
    out = []
    in_instr = 0
    for el in p.iter():
        tag = el.tag
        if tag == _w("fldChar"):
            kind = el.get(_w("fldCharType"))
            if kind == "begin":
                in_instr += 1
            elif kind == "separate":
                in_instr -= 1
        elif tag == _w("t") and in_instr == 0:
            out.append(el.text or "")
        elif tag == _w("tab") and el.getparent().tag == _w("r"):
            out.append("\t")
        elif tag == _w("br"):
            out.append("\n")
    return "".join(out)


def _refs(p) -> list[tuple[str, str]]:
    """REF fields in a paragraph: (bookmark, cached result text)."""
    refs, stack = [], []
    for el in p.iter():
        if el.tag == _w("fldChar"):
            kind = el.get(_w("fldCharType"))
            if kind == "begin":
                stack.append({"instr": "", "result": "", "phase": "instr"})
            elif kind == "separate" and stack:
                stack[-1]["phase"] = "result"
            elif kind == "end" and stack:
                f = stack.pop()
                m = re.match(r"\s*REF\s+(\S+)", f["instr"])
                if m:
                    refs.append((m.group(1), f["result"]))
        elif el.tag == _w("instrText") and stack:
            stack[-1]["instr"] += el.text or ""
        elif el.tag == _w("t") and stack and stack[-1]["phase"] == "result":
            stack[-1]["result"] += el.text or ""
    return refs


def check(data: bytes, literals: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Structural problems of a DOCX; an empty list means none were found.

    ``literals`` are values known to be user text (deal values), which may legitimately hold
    ``{{`` or ``{%``; anything else that looks like a template tag is a leftover."""
    problems = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = [i.filename for i in z.infolist()]
        if len(names) != len(set(names)):
            problems.append("duplicate zip entries")
        parts = {n: z.read(n) for n in set(names)}
    for name, blob in parts.items():
        if name.endswith((".xml", ".rels")):
            try:
                etree.fromstring(blob, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
            except etree.XMLSyntaxError as exc:
                problems.append(f"{name} is not well-formed: {exc}")
    if problems:
        return problems
    info = read(data)
    doc = etree.fromstring(parts["word/document.xml"], _PARSER)
    styles = etree.fromstring(parts["word/styles.xml"], _PARSER)
    style_ids = {s.get(_w("styleId")) for s in styles.findall("w:style", NS)}
    for attr in ("pStyle", "rStyle", "tblStyle"):
        for el in doc.iter(_w(attr)):
            if el.get(_w("val")) not in style_ids:
                problems.append(f"{attr} {el.get(_w('val'))!r} is not defined in styles.xml")
    num_ids = set()
    if "word/numbering.xml" in parts:
        num_root = etree.fromstring(parts["word/numbering.xml"], _PARSER)
        num_ids = {n.get(_w("numId")) for n in num_root.findall("w:num", NS)}
        seen_num = False
        for child in num_root:
            if child.tag == _w("num"):
                seen_num = True
            elif child.tag == _w("abstractNum") and seen_num:
                problems.append("an abstractNum follows a num in numbering.xml")
                break
    for el in list(doc.iter(_w("numId"))) + list(styles.iter(_w("numId"))):
        if el.get(_w("val")) not in num_ids and el.get(_w("val")) != "0":
            problems.append(f"numId {el.get(_w('val'))} is not defined in numbering.xml")
    starts = {}
    for b in doc.iter(_w("bookmarkStart")):
        bid, name = b.get(_w("id")), b.get(_w("name"))
        if bid in starts:
            problems.append(f"bookmark id {bid} is used twice")
        if name in starts.values():
            problems.append(f"bookmark name {name!r} is used twice")
        if len(name) > 40:
            problems.append(f"bookmark name {name!r} is longer than 40 characters")
        starts[bid] = name
    ends = {b.get(_w("id")) for b in doc.iter(_w("bookmarkEnd"))}
    for bid, name in starts.items():
        if bid not in ends:
            problems.append(f"bookmark {name!r} has no end")
    names = set(starts.values())
    for p in info.paragraphs:
        for target, cached in p.refs:
            if target not in names:
                problems.append(f"REF to missing bookmark {target!r} in paragraph {p.index}")
                continue
            expected = info.bookmark_paragraph(target).full
            if cached != expected:
                problems.append(f"REF {target} shows {cached!r} but the target is numbered {expected!r}")
        text = p.text
        for value in sorted(literals, key=len, reverse=True):
            text = text.replace(value, "")
        if re.search(r"\{\{|\{%|%\}|\}\}", text):
            problems.append(f"leftover template delimiters in paragraph {p.index}: {p.text[:60]!r}")
    body = doc.find("w:body", NS)
    for el in body.iter():
        if el.text and el.text.strip() and el.tag not in (_w("t"), _w("instrText"), _w("delText")):
            problems.append(f"stray text outside w:t in <{etree.QName(el).localname}>: {el.text.strip()[:40]!r}")
            break
        if el.tail and el.tail.strip():
            problems.append(f"stray text after <{etree.QName(el).localname}>: {el.tail.strip()[:40]!r}")
            break
    comment_ids = set(info.comments)
    for el in doc.iter(_w("commentReference")):
        if int(el.get(_w("id"))) not in comment_ids:
            problems.append(f"comment reference {el.get(_w('id'))} has no comment")
    return problems
