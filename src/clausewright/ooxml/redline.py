"""Write a redline: our draft with a counterparty's text as Word revisions (``write``).

The caller (``qa/returned``) decides what became of each of our paragraphs (a ``Plan``): kept,
edited into one of the counterparty's paragraphs, deleted, moved away; and which of their
paragraphs arrive where. Here that becomes WordprocessingML:

- an edited paragraph keeps our runs, styles, bookmarks, fields and comment anchors; the words
  that differ are ``w:del`` (our words) and ``w:ins`` (theirs), compared word by word against
  every piece of their paragraph, so a change they tracked keeps its author and date and one they
  made without tracking is signed with the counterparty's name (``Plan.counterparty``);
- a deleted paragraph has its runs and its paragraph mark deleted; an inserted one is a new
  paragraph in one of our styles with its runs and mark inserted;
- a moved clause leaves as ``w:moveFrom`` and arrives as ``w:moveTo``, each in a named move range;
- each comment of ``Plan.comments`` spans its paragraphs, added to the comments already there.

Accepting every revision gives their text, rejecting every one gives ours.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import count

from lxml import etree

from clausewright.ooxml import comments as comment_parts
from clausewright.ooxml import package, styles
from clausewright.ooxml.namespaces import NSMAP, PARSER, w
from clausewright.ooxml.returned import DELETED, INSERTED, Block, Change, paragraphs

_WORD = re.compile(r"\s+|\w+|[^\w\s]")
_ZERO_WIDTH_RUN = (w("commentReference"), w("footnoteReference"), w("endnoteReference"), w("drawing"), w("lastRenderedPageBreak"))
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_MOVE_NAME = "{urn:clausewright:move}name"  # a move's name while the document is being written


@dataclass(frozen=True)
class Deletion:
    change: Change  # who deleted it (their tracked deletion, or the counterparty)
    move: str = ""  # the name of the move range it leaves by, "" for a deletion


@dataclass(frozen=True)
class Insertion:
    block: Block  # their paragraph
    style: str  # the style it takes in our draft
    move: str = ""  # the name of the move range it arrives by, "" for an insertion
    carries: int | None = None  # the paragraph of ours it moves: its bookmarks go with it, so references follow the move


@dataclass
class Plan:
    counterparty: Change  # who made the changes they did not track, and when
    edits: dict[int, Block] = field(default_factory=dict)  # our paragraph -> their paragraph it becomes
    deletions: dict[int, Deletion] = field(default_factory=dict)  # our paragraph -> how it goes
    insertions: dict[int, list[Insertion]] = field(default_factory=dict)  # after our paragraph -> what arrives
    comments: list[tuple[int, int, str]] = field(default_factory=list)  # (first, last of our paragraphs, text)
    comment_author: comment_parts.Author = comment_parts.Author("clausewright")
    comment_date: str = ""


@dataclass
class _Token:
    text: str  # what is compared
    nodes: list  # our elements that make it (runs, a field's runs, a hyperlink)
    rpr: object = None  # the run properties of a piece of a text run
    before: list = field(default_factory=list)  # zero-width elements just before it (bookmarks, comment anchors)
    continues: bool = False  # a later word of what a field or hyperlink shows: its first word carries it


def write(ours: bytes, plan: Plan) -> bytes:
    """Our draft ``ours`` with the revisions of ``plan``."""
    with zipfile.ZipFile(io.BytesIO(ours)) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    root = etree.fromstring(parts["word/document.xml"], PARSER)
    ids = count(_max_id(root) + 1)
    found = paragraphs(root)
    comments = _existing_comments(parts.get("word/comments.xml"))
    first_new = len(comments)
    for n, (first, last, text) in enumerate(plan.comments):
        _anchor_comment(found[first], found[last], first_new + n)
        comments.append(text)
    carried = {i.carries: _take_bookmarks(found[i.carries]) for arriving in plan.insertions.values() for i in arriving if i.carries is not None}
    for index, p in enumerate(found):
        if index in plan.edits:
            _edit(p, plan.edits[index], plan.counterparty, ids)
        elif index in plan.deletions:
            _delete(p, plan.deletions[index], ids)
    for index in sorted(plan.insertions, reverse=True):
        anchor = found[index]
        for insertion in reversed(plan.insertions[index]):
            arriving = _inserted(insertion, plan.counterparty, ids)
            starts, ends = carried.get(insertion.carries, ([], [])) if insertion.carries is not None else ([], [])
            arriving.find(w("pPr")).addnext(etree.Element("placeholder"))
            placeholder = arriving[1]
            for start in starts:
                placeholder.addprevious(start)
            arriving.remove(placeholder)
            arriving.extend(ends)
            _after(anchor, insertion.block.in_table).addnext(arriving)
    for kind, moves in (("moveFrom", {d.move: d.change for d in plan.deletions.values() if d.move}),
                        ("moveTo", {i.move: i.block.mark if i.block.mark.kind == INSERTED else plan.counterparty
                                    for found_insertions in plan.insertions.values() for i in found_insertions if i.move})):
        _move_ranges(root, kind, moves, ids)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if plan.comments:
        xml = comment_parts.parts(comments, plan.comment_author, plan.comment_date, styles.COMMENT_TEXT, styles.COMMENT_REFERENCE)
        parts = package.with_parts(parts, {name: (text, *comment_parts.PARTS[name]) for name, text in xml.items()})
    parts["word/settings.xml"] = _tracking_on(parts["word/settings.xml"])
    return package.zipped(parts)


# --- paragraphs ------------------------------------------------------------------------------------


def _edit(p, theirs: Block, counterparty: Change, ids: Iterator[int]) -> None:
    """Rewrite ``p``'s content as our words, with theirs where they differ, as revisions."""
    tokens, trailing = _tokens(p)
    theirs_words = [(word, piece.change) for piece in theirs.pieces for word in _WORD.findall(piece.text)]
    matcher = SequenceMatcher(None, [t.text for t in tokens], [word for word, _ in theirs_words], autojunk=False)
    out: list = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        their_changes = [c for _, c in theirs_words[j1:j2]]
        if tag == "equal":
            for token, change in zip(tokens[i1:i2], their_changes, strict=True):
                out += token.before
                out += _deleted([token], change, ids) if change.kind == DELETED else _kept(token)
            continue
        if tag in ("delete", "replace"):
            by = next((c for c in their_changes if c.kind == DELETED), counterparty)
            for token in tokens[i1:i2]:
                out += token.before
                out += _deleted([token], by, ids)
        if tag in ("insert", "replace"):
            if tag == "insert" and i1 < len(tokens):
                out += tokens[i1].before
                tokens[i1].before = []
            out += _inserted_words(theirs_words[j1:j2], counterparty, ids)
    out += trailing
    if theirs.mark.kind == DELETED and theirs.deleted:
        _mark(p, "del", theirs.mark, ids)
    for child in [c for c in p if c.tag != w("pPr")]:
        p.remove(child)
    p.extend(_merged(out))


def _delete(p, deletion: Deletion, ids: Iterator[int]) -> None:
    """Every run of ``p`` deleted (or moved away), and its mark too unless it closes a table cell."""
    tokens, trailing = _tokens(p)
    out = []
    for token in tokens:
        out += token.before
        out += _deleted([token], deletion.change, ids, move=deletion.move)
    out += trailing
    for child in [c for c in p if c.tag != w("pPr")]:
        p.remove(child)
    p.extend(_merged(out))
    if not _closes_cell(p):
        _mark(p, "moveFrom" if deletion.move else "del", deletion.change, ids, move=deletion.move)


def _inserted(insertion: Insertion, counterparty: Change, ids: Iterator[int]):
    block = insertion.block
    p = etree.Element(w("p"))
    ppr = etree.SubElement(p, w("pPr"))
    etree.SubElement(ppr, w("pStyle")).set(w("val"), insertion.style)
    words = [(word, piece.change) for piece in block.pieces if piece.change.kind != DELETED for word in _WORD.findall(piece.text)]
    who = block.mark if block.mark.kind == INSERTED else counterparty
    p.extend(_merged(_inserted_words(words, counterparty, ids, move=insertion.move)))
    _mark(p, "moveTo" if insertion.move else "ins", who, ids, move=insertion.move)
    return p


def _take_bookmarks(p) -> tuple[list, list]:
    """The bookmarks of ``p`` (starts, ends), taken out of it."""
    starts = [b for b in p if b.tag == w("bookmarkStart")]
    ends = [b for b in p if b.tag == w("bookmarkEnd")]
    for b in starts + ends:
        p.remove(b)
    return starts, ends


def _after(p, in_table: bool):
    """Where a paragraph inserted after ``p`` goes: after ``p`` itself, or after the table ``p``
    is in when the new paragraph is not part of a table."""
    if in_table:
        return p
    top = p
    for ancestor in p.iterancestors():
        if ancestor.tag == w("body"):
            break
        top = ancestor
    return top


def _closes_cell(p) -> bool:
    parent = p.getparent()
    return parent is not None and parent.tag == w("tc") and p is parent.findall(w("p"))[-1]


def _mark(p, tag: str, change: Change, ids: Iterator[int], *, move: str = "") -> None:
    """A revision on the paragraph mark itself (inserted, deleted or moved with the paragraph)."""
    ppr = p.find(w("pPr"))
    if ppr is None:
        ppr = etree.Element(w("pPr"))
        p.insert(0, ppr)
    rpr = ppr.find(w("rPr"))
    if rpr is None:
        rpr = etree.SubElement(ppr, w("rPr"))  # the last child of pPr but for sectPr and pPrChange
        sect = ppr.find(w("sectPr"))
        if sect is not None:
            sect.addprevious(rpr)
    rpr.insert(0, _revision(tag, change, ids, move=move))


# --- tokens and runs -------------------------------------------------------------------------------


def _tokens(p) -> tuple[list[_Token], list]:
    """Our paragraph's words (a field or hyperlink counts as one word: what it shows), each with
    the zero-width elements before it; and the zero-width elements after the last word."""
    tokens: list[_Token] = []
    pending: list = []
    field_nodes: list = []
    depth = 0
    for child in p:
        tag = child.tag
        if tag == w("pPr"):
            continue
        if tag == w("r") and (depth or child.find(w("fldChar")) is not None):
            field_nodes.append(child)
            for fc in child.iter(w("fldChar")):
                kind = fc.get(w("fldCharType"))
                depth += 1 if kind == "begin" else -1 if kind == "end" else 0
            if depth == 0:
                tokens += _atom(_shown(field_nodes), field_nodes, pending)
                field_nodes, pending = [], []
            continue
        if tag == w("hyperlink"):
            tokens += _atom("".join(t.text or "" for t in child.iter(w("t"))), [child], pending)
            pending = []
        elif tag == w("r") and _has_text(child):
            rpr = child.find(w("rPr"))
            for text in _run_texts(child):
                for word in _WORD.findall(text):
                    tokens.append(_Token(word, [], rpr=rpr, before=pending))
                    pending = []
            if any(e.tag in _ZERO_WIDTH_RUN for e in child):
                pending.append(_holder(child))
        else:
            pending.append(child)
    return tokens, pending + field_nodes


def _atom(shown: str, nodes: list, before: list) -> list[_Token]:
    """A field or hyperlink as the words it shows (compared as their words are), the first
    carrying its elements."""
    words = _WORD.findall(shown) or [""]
    return [_Token(words[0], nodes, before=before)] + [_Token(word, [], continues=True) for word in words[1:]]


def _has_text(r) -> bool:
    return any(e.tag in (w("t"), w("tab"), w("br"), w("cr")) for e in r)


def _run_texts(r) -> list[str]:
    out = []
    for e in r:
        if e.tag == w("t"):
            out.append(e.text or "")
        elif e.tag == w("tab"):
            out.append("\t")
        elif e.tag in (w("br"), w("cr")):
            out.append("\n")
    return ["".join(out)]


def _holder(r):
    """A run keeping only the zero-width content of ``r`` (a comment reference, a drawing)."""
    kept = etree.Element(w("r"))
    for e in r:
        if e.tag == w("rPr") or e.tag in _ZERO_WIDTH_RUN:
            kept.append(copy.deepcopy(e))
    return kept


def _shown(field_runs: list) -> str:
    """What a field shows: its result, after the separator."""
    out, after = [], False
    for r in field_runs:
        for e in r.iter():
            if e.tag == w("fldChar") and e.get(w("fldCharType")) == "separate":
                after = True
            elif e.tag == w("t") and after:
                out.append(e.text or "")
    return "".join(out)


def _text_run(text: str, rpr, *, deleted: bool = False):
    r = etree.Element(w("r"))
    if rpr is not None:
        r.append(copy.deepcopy(rpr))
    for i, line in enumerate(text.split("\n")):
        if i:
            etree.SubElement(r, w("br"))
        for j, part in enumerate(line.split("\t")):
            if j:
                etree.SubElement(r, w("tab"))
            if part:
                t = etree.SubElement(r, w("delText") if deleted else w("t"))
                t.text = part
                t.set(_XML_SPACE, "preserve")
    return r


def _kept(token: _Token) -> list:
    if token.continues:
        return []
    if token.nodes:
        return [copy.deepcopy(n) for n in token.nodes]
    return [_text_run(token.text, token.rpr)]


def _deleted(tokens: list[_Token], change: Change, ids: Iterator[int], *, move: str = "") -> list:
    wrapper = _revision("moveFrom" if move else "del", change, ids, move=move)
    for token in tokens:
        if token.continues:
            continue
        if not token.nodes:
            wrapper.append(_text_run(token.text, token.rpr, deleted=not move))
            continue
        for node in token.nodes:
            node = copy.deepcopy(node)
            if not move:
                for e in node.iter(w("t"), w("instrText")):
                    e.tag = w("delText") if e.tag == w("t") else w("delInstrText")
            if node.tag == w("hyperlink"):
                return [*([wrapper] if len(wrapper) else []), _wrapped_hyperlink(node, change, ids, move)]
            wrapper.append(node)
    return [wrapper] if len(wrapper) else []


def _wrapped_hyperlink(link, change: Change, ids: Iterator[int], move: str):
    """A hyperlink whose runs are deleted: the revision goes inside it, around its runs."""
    inner = _revision("moveFrom" if move else "del", change, ids, move=move)
    for r in list(link):
        inner.append(r)
    link.append(inner)
    return link


def _inserted_words(words: list[tuple[str, Change]], counterparty: Change, ids: Iterator[int], *, move: str = "") -> list:
    out = []
    for word, change in words:
        if change.kind == DELETED:
            continue
        by = change if change.kind == INSERTED else counterparty
        wrapper = _revision("moveTo" if move else "ins", by, ids, move=move)
        wrapper.append(_text_run(word, None))
        out.append(wrapper)
    return out


def _revision(tag: str, change: Change, ids: Iterator[int], *, move: str = ""):
    """A revision element; a move's name rides on it (``_MOVE_NAME``) until ``_move_ranges`` has
    put the move's range around it."""
    el = etree.Element(w(tag))
    if move:
        el.set(_MOVE_NAME, move)
    el.set(w("id"), str(next(ids)))
    el.set(w("author"), change.author or "Counterparty")
    if change.date:
        el.set(w("date"), change.date)
    return el


def _merged(elements: list) -> list:
    """Neighbouring revisions of the same kind, author and date joined into one, their runs joined
    where their properties are the same (fewer, longer revisions, as Word writes them)."""
    out: list = []
    for el in elements:
        prev = out[-1] if out else None
        if (prev is not None and el.tag == prev.tag and el.tag in (w("ins"), w("del"), w("moveFrom"), w("moveTo"))
                and el.get(w("author")) == prev.get(w("author")) and el.get(w("date")) == prev.get(w("date"))):
            for r in list(el):
                _append_run(prev, r)
            continue
        if prev is not None and el.tag == w("r") and prev.tag == w("r") and _joinable(prev, el):
            _join(prev, el)
            continue
        out.append(el)
    return out


def _append_run(wrapper, r) -> None:
    last = wrapper[-1] if len(wrapper) else None
    if last is not None and last.tag == w("r") and r.tag == w("r") and _joinable(last, r):
        _join(last, r)
    else:
        wrapper.append(r)


def _joinable(a, b) -> bool:
    simple = (w("rPr"), w("t"), w("delText"), w("tab"), w("br"))
    if any(e.tag not in simple for e in a) or any(e.tag not in simple for e in b):
        return False
    ra, rb = a.find(w("rPr")), b.find(w("rPr"))
    return (etree.tostring(ra) if ra is not None else b"") == (etree.tostring(rb) if rb is not None else b"")


def _join(a, b) -> None:
    for e in b:
        if e.tag == w("rPr"):
            continue
        last = a[-1] if len(a) else None
        if last is not None and e.tag in (w("t"), w("delText")) and last.tag == e.tag:
            last.text = (last.text or "") + (e.text or "")
        else:
            a.append(e)


def _move_ranges(root, kind: str, change_of: dict[str, Change], ids: Iterator[int]) -> None:
    """One named range around each move: from its first paragraph to its last."""
    by_name: dict[str, list] = {}
    for p in paragraphs(root):
        for el in p.iter(w(kind)):
            name = el.attrib.pop(_MOVE_NAME, None)
            if name is not None:
                by_name.setdefault(name, [])
                if not by_name[name] or by_name[name][-1] is not p:
                    by_name[name].append(p)
    for name, found in by_name.items():
        start = _revision(f"{kind}RangeStart", change_of[name], ids)
        start.set(w("name"), name)
        ppr = found[0].find(w("pPr"))
        if ppr is not None:
            ppr.addnext(start)
        else:
            found[0].insert(0, start)
        etree.SubElement(found[-1], w(f"{kind}RangeEnd")).set(w("id"), start.get(w("id")))


# --- comments and settings -------------------------------------------------------------------------


def _existing_comments(xml: bytes | None) -> list[str]:
    if not xml:
        return []
    root = etree.fromstring(xml, PARSER)
    found = {int(c.get(w("id"))): "".join(t.text or "" for t in c.iter(w("t"))) for c in root.findall("w:comment", NSMAP)}
    return [found.get(i, "") for i in range(max(found, default=-1) + 1)]


def _anchor_comment(first, last, cid: int) -> None:
    start = etree.Element(w("commentRangeStart"))
    start.set(w("id"), str(cid))
    ppr = first.find(w("pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        first.insert(0, start)
    end = etree.SubElement(last, w("commentRangeEnd"))
    end.set(w("id"), str(cid))
    r = etree.SubElement(last, w("r"))
    rpr = etree.SubElement(r, w("rPr"))
    etree.SubElement(rpr, w("rStyle")).set(w("val"), styles.COMMENT_REFERENCE)
    etree.SubElement(r, w("commentReference")).set(w("id"), str(cid))


def _tracking_on(settings: bytes) -> bytes:
    """Settings with Track Changes on, so the lawyer's own edits to the redline are tracked too."""
    root = etree.fromstring(settings, PARSER)
    if root.find(w("trackRevisions")) is None:
        track = etree.Element(w("trackRevisions"))
        after = [root.find(w(t)) for t in ("writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
                                            "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
                                            "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts",
                                            "embedSystemFonts", "saveSubsetFonts", "saveFormsData", "mirrorMargins",
                                            "alignBordersAndEdges", "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter",
                                            "gutterAtTop", "hideSpellingErrors", "hideGrammaticalErrors", "activeWritingStyle",
                                            "proofState", "formsDesign", "attachedTemplate", "linkStyles", "stylePaneFormatFilter",
                                            "stylePaneSortMethod", "documentType", "mailMerge", "revisionView")]
        previous = [e for e in after if e is not None]
        if previous:
            previous[-1].addnext(track)
        else:
            root.insert(0, track)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _max_id(root) -> int:
    """The highest ``w:id`` in use (bookmarks, comments, revisions), so that new ids are unique."""
    found = [int(v) for el in root.iter() if (v := el.get(w("id"))) is not None and v.isdigit()]
    return max(found, default=0)
