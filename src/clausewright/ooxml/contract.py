"""The house template contract: what a firm's master template must hold for clausewright to write
into it (docs/library-format.md, "House template contract").

- the styles of ``styles.REQUIRED_STYLES``, which Word lists by the names in ``styles.NAMES``;
- the tags the writer fills (``TAGS``; the paragraph tags ``{{p front }}``, ``{{p body }}`` and
  ``{{p schedules }}`` are required);
- for each numbered style, a list level whose format clausewright can follow (``NUMBERING``):
  the numbers clausewright caches in cross-references (``assembly.compose``) are the numbers
  Word shows only when the list numbers each level the same way.

The checks here read the template's parts; ``template.check`` runs them all on a file, and
loading a template (``MasterTemplate``) refuses numbering it cannot follow.
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import meta, nodes
from jinja2.exceptions import TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from clausewright.assembly.compose import BODY_LEVELS, SCHEDULE_LEVELS
from clausewright.ooxml import styles
from clausewright.ooxml.namespaces import w

# --- tags ---------------------------------------------------------------------------------------------

TAGS = {
    "title": "the agreement's title (library.yaml title)",
    "date_line": "“Dated 1 December 2026”, or the undated wording",
    "buyer_name": "the buyer's name",
    "supplier_name": "the supplier's name",
    "cover_note": "the draft note under the parties, on the cover",
    "header_text": "the running header (reference and DRAFT marker)",
    "footer_text": "the running footer (the agreement's title)",
    "attestation": "the sentence above the signature blocks",
    "toc": "the table of contents ({{p toc }})",
    "front": "the parties and recitals ({{p front }})",
    "body": "the numbered clauses ({{p body }})",
    "schedules": "the schedules ({{p schedules }})",
    "signatories": "one block per signing party: {%p for s in signatories %} ... {%p endfor %}",
}
REQUIRED_TAGS = ("front", "body", "schedules")
SIGNATORY_FIELDS = {
    "party": "the party's name", "name": "the signatory's name", "title": "the signatory's title", "capacity": "the capacity they sign in",
    "place": "where they sign", "co_name": "a second signatory, where two must sign", "seal": "yes when a company seal is customary",
    "seal_label": "the seal line's label", "seal_note": "the seal instruction (from the profile)",
    "stamp": "yes when the profile asks for a duty stamp signed across (formalities.stamp_duty.signing)",
    "stamp_label": "the duty stamp box's label (from the profile)", "stamp_note": "the duty stamp instruction (from the profile)",
    "witness": "yes when a witness attests the signature", "notary": "yes when a notary certifies the signature",
    "notary_label": "the notary box's label", "notary_note": "the notary instruction (from the profile)",
}


# --- numbering -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    """What a numbered style's list level must show."""

    style: str  # style id
    ilvl: int  # the list level (0-based, as stored; Word shows ilvl + 1)
    fmt: str  # numFmt: decimal, lowerLetter, ...
    text: str  # lvlText: "%1.%2", "(%3)", ...
    example: str  # how the code numbers it: "1.1", "(a)"


def _level_text(label: str, ilvl: int) -> str:
    """compose's label pattern as Word's level text: "{parent}.{n}" at list level 1 is "%1.%2"."""
    return label.format(parent=f"%{ilvl}", n=f"%{ilvl + 1}")


def _numbering() -> tuple[Level, ...]:
    examples = {"decimal": "1", "lowerLetter": "a", "lowerRoman": "i", "upperLetter": "A"}
    out = [Level(styles.HEADING, 0, "decimal", "%1", "1")]
    for level, (fmt, label, _) in BODY_LEVELS.items():
        out.append(Level(styles.CLAUSE[level], level, fmt, _level_text(label, level), label.format(parent="1", n=examples[fmt])))
    out += [Level(styles.PARTIES, 0, "decimal", "(%1)", "(1)"), Level(styles.RECITAL, 0, "upperLetter", "(%1)", "(A)"),
            Level(styles.SCHEDULE_HEADING, 0, "decimal", "Schedule %1", "Schedule 1")]
    for level, (fmt, label, _) in SCHEDULE_LEVELS.items():
        out.append(Level(styles.SCHEDULE[level], level - 1, fmt, _level_text(label, level - 1), label.format(parent="1", n=examples[fmt])))
    return tuple(out)


NUMBERING = _numbering()
_BODY_LIST = {styles.HEADING, *styles.CLAUSE.values()}  # one list: a heading restarts the levels below it


def describe(style_id: str) -> str:
    return f"“{styles.NAMES.get(style_id, style_id)}” (style id {style_id})"


def _xml(data: bytes | None):
    return etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True)) if data else None


def _style_numbering(styles_root) -> dict[str, tuple[str, int]]:
    """Each paragraph style's list: (numId, ilvl), following basedOn as Word does."""
    own: dict[str, tuple[str | None, int | None]] = {}
    based: dict[str, str] = {}
    for style in styles_root.iter(w("style")):
        sid = style.get(w("styleId"))
        num_id = style.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}")
        ilvl = style.find(f"{w('pPr')}/{w('numPr')}/{w('ilvl')}")
        own[sid] = (num_id.get(w("val")) if num_id is not None else None, int(ilvl.get(w("val"))) if ilvl is not None else None)
        parent = style.find(w("basedOn"))
        if parent is not None:
            based[sid] = parent.get(w("val"))
    out = {}
    for sid in own:
        list_id: str | None = None
        level: int | None = None
        seen: set[str] = set()
        current: str | None = sid
        while current in own and current not in seen:
            seen.add(current)
            list_id = list_id if list_id is not None else own[current][0]
            level = level if level is not None else own[current][1]
            current = based.get(current)
        if list_id is not None:
            out[sid] = (list_id, level or 0)
    return out


def _lists(numbering_root) -> tuple[dict[Any, Any], dict[Any, dict[int, tuple[str, str]]]]:
    """(numId -> abstractNumId, abstractNumId -> {ilvl: (numFmt, lvlText)})."""
    nums: dict[Any, Any] = {}
    abstract: dict[Any, dict[int, tuple[str, str]]] = {}
    if numbering_root is None:
        return nums, abstract
    for a in numbering_root.iter(w("abstractNum")):
        levels = {}
        for lvl in a.iter(w("lvl")):
            fmt, text = lvl.find(w("numFmt")), lvl.find(w("lvlText"))
            levels[int(lvl.get(w("ilvl"), "0"))] = (fmt.get(w("val")) if fmt is not None else "decimal", text.get(w("val")) if text is not None else "")
        abstract[a.get(w("abstractNumId"))] = levels
    for num in numbering_root.iter(w("num")):
        ref = num.find(w("abstractNumId"))
        if ref is not None:
            nums[num.get(w("numId"))] = ref.get(w("val"))
    return nums, abstract


def numbering_problems(styles_xml: bytes, numbering_xml: bytes | None) -> list[str]:
    """Each numbered style whose list level clausewright cannot follow, naming the style, the
    level and the format found."""
    style_lists = _style_numbering(_xml(styles_xml))
    nums, abstract = _lists(_xml(numbering_xml))
    out = []
    body_lists = set()
    for expected in NUMBERING:
        if expected.style in styles.SCHEDULE.values():
            # the writer gives each schedule its own list on this abstract list (template.py)
            levels = abstract.get(str(styles.ABSTRACT_SCHEDULE_PARAGRAPHS))
            where = f"list {styles.ABSTRACT_SCHEDULE_PARAGRAPHS} (w:abstractNumId), which numbers the schedules' paragraphs,"
            ilvl = expected.ilvl
            if levels is None:
                out.append(f"{describe(expected.style)}: the template has no {where.rstrip(',')}")
                continue
        else:
            linked = style_lists.get(expected.style)
            if linked is None:
                out.append(f"{describe(expected.style)} is not numbered: link it to a list level showing {expected.text!r} ({expected.fmt}, e.g. {expected.example})")
                continue
            num_id, ilvl = linked
            abstract_id = nums.get(num_id)
            levels = abstract.get(abstract_id) if abstract_id is not None else None
            if levels is None:
                out.append(f"{describe(expected.style)} is linked to list {num_id}, which the template's numbering does not define")
                continue
            if expected.style in _BODY_LIST:
                body_lists.add(abstract_id)
            where = "its list"
            if ilvl != expected.ilvl:
                out.append(f"{describe(expected.style)} is on level {ilvl + 1} of its list; clausewright writes it at level {expected.ilvl + 1}")
                continue
        fmt, text = levels.get(ilvl, ("(none)", ""))
        if (fmt, text) != (expected.fmt, expected.text):
            out.append(f"{describe(expected.style)}, level {ilvl + 1} of {where} numbers as {fmt} {text!r}: clausewright can follow only "
                       f"{expected.fmt} {expected.text!r} (e.g. {expected.example}); with another format the numbers it writes in "
                       "cross-references would differ from the numbers Word shows")
    if len(body_lists) > 1:
        out.append(f"the clause headings and clause levels ({', '.join(describe(s) for s in sorted(_BODY_LIST))}) must share one list; they are on {len(body_lists)}")
    return out


# --- styles ----------------------------------------------------------------------------------------


def style_problems(found: dict[str, set[str]], names: dict[str, str] | None = None) -> list[str]:
    """Each required style the template lacks, by the name Word shows. ``names`` maps the
    template's style names to their ids, to point out a style that exists under another id."""
    out = []
    by_name = {name.casefold(): sid for name, sid in (names or {}).items()}
    for kind, ids in styles.REQUIRED_STYLES.items():
        for sid in ids:
            if sid in found.get(kind, set()):
                continue
            other = by_name.get(styles.NAMES[sid].casefold())
            hint = f"; a style of that name exists, but with the id {other!r} (clausewright finds a style by its id: {sid})" if other else ""
            out.append(f"{kind} style “{styles.NAMES[sid]}” (style id {sid}) is missing{hint}")
    return out


def style_names(styles_xml: bytes) -> dict[str, str]:
    """The template's style names -> style ids."""
    out = {}
    for style in _xml(styles_xml).iter(w("style")):
        name = style.find(w("name"))
        if name is not None:
            out[name.get(w("val"))] = style.get(w("styleId"))
    return out


# --- tags ----------------------------------------------------------------------------------------------


def tag_problems(blob: bytes) -> list[str]:
    """Tags that do not compile, that clausewright does not fill (with the closest it does), and
    required tags the template lacks."""
    template = DocxTemplate(io.BytesIO(blob))
    template.get_docx()  # opens the package
    env = SandboxedEnvironment()
    parts = [("the document", template.get_xml())]
    for uri, label in ((template.HEADER_URI, "a header"), (template.FOOTER_URI, "a footer")):
        parts += [(label, template.get_part_xml(part)) for _, part in template.get_headers_footers(uri)]
    out: list[str] = []
    used: set[str] = set()
    compiled = True
    for where, xml in parts:
        source = _PARAGRAPH.sub(r"\n<w:p\1", template.patch_xml(xml))  # one paragraph a line, so an error's line is its paragraph
        try:
            tree = env.parse(source)
        except TemplateSyntaxError as exc:
            out.append(f"a tag in {where} does not compile ({exc.message}), in the paragraph “{_paragraph_text(source, exc.lineno)}”")
            compiled = False
            continue
        names = meta.find_undeclared_variables(tree)
        used |= names
        for name in sorted(names - set(TAGS)):
            out.append(f"{where} has the tag {{{{ {name} }}}}, which clausewright does not fill" + _did_you_mean(name, TAGS))
        out += _signatory_fields(tree, where)
    for name in REQUIRED_TAGS if compiled else ():  # a part that does not compile may hold them
        if name not in used:
            out.append(f"the template has no {{{{p {name} }}}} tag, so {TAGS[name].split(' (')[0]} would not be printed")
    return out


_PARAGRAPH = re.compile(r"<w:p([ >])")
_XML_TAG = re.compile(r"<[^>]*>")


def _paragraph_text(source: str, line: int) -> str:
    """The text of the paragraph on ``line`` of a part's XML laid out one paragraph a line."""
    lines = source.split("\n")
    text = _XML_TAG.sub("", lines[line - 1]) if 1 <= line <= len(lines) else ""
    text = " ".join(text.split())
    return text if len(text) <= 120 else text[:120] + "…"


def _signatory_fields(tree: nodes.Template, where: str) -> list[str]:
    out = []
    for loop in tree.find_all(nodes.For):
        if not (isinstance(loop.iter, nodes.Name) and loop.iter.name == "signatories" and isinstance(loop.target, nodes.Name)):
            continue
        for attr in loop.find_all(nodes.Getattr):
            if isinstance(attr.node, nodes.Name) and attr.node.name == loop.target.name and attr.attr not in SIGNATORY_FIELDS:
                out.append(f"{where} has {{{{ {loop.target.name}.{attr.attr} }}}} in the signature blocks, which clausewright does not fill"
                           + _did_you_mean(attr.attr, SIGNATORY_FIELDS))
    return out


def _did_you_mean(name: str, known) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else f"; the tags are: {', '.join(known)}"
