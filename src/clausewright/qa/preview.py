"""``clausewright clauses render``: one clause as it reads in a deal's agreement.

The whole agreement is assembled for the deal (at the position asked for, on the clause's
negotiated topic), so the clause is numbered as in the full agreement and its cross-references
print the numbers they point to; defined terms print as the reader sees them, and the definitions
of the terms the clause uses follow it. A clause the deal leaves out says so, with the condition
and the values that decided it (as ``explain`` reports them). ``--position all`` renders the three
positions: one after the other in text, side by side in a three-column table in Word.
"""

from __future__ import annotations

import copy
import textwrap
from dataclasses import dataclass, field
from typing import Any

from clausewright.assembly.compose import compose
from clausewright.assembly.context import position_for
from clausewright.assembly.model import Agreement, Paragraph, Section, TermDef, TermUse
from clausewright.inputs.deal import put_dotted, validate
from clausewright.inputs.jurisdictions import Jurisdictions
from clausewright.inputs.library import POSITIONS, Clause, Library
from clausewright.ooxml.memo import MemoDocument, write
from clausewright.qa import explain
from clausewright.qa.drafting import plain_text, plain_text_of
from clausewright.qa.memo import stationery

WIDTH = 100
INDENT = "    "


@dataclass
class Rendering:
    clause: str
    title: str
    version: str
    position: str | None  # the position it is drafted at; None when the clause has no topic in play
    included: bool
    asked: str | None = None  # the position asked for (--position), None for the deal's own
    note: str = ""  # why the position asked for does not change the clause
    number: str = ""  # "7", "Schedule 2", "" for front matter or when left out
    lines: list[str] = field(default_factory=list)  # the clause as it reads, numbered, indented by level
    terms: list[str] = field(default_factory=list)  # the defined terms it uses, with their definitions
    left_out: list[str] = field(default_factory=list)  # why the deal leaves it out

    def heading(self) -> str:
        where = f"clause {self.number}" if self.number.isdigit() else (self.number or "front matter")
        at = f", {self.position} position" if self.position else ""
        return f"{self.clause} {self.version}: {self.title} ({where}{at})" if self.included else f"{self.clause} {self.version}: {self.title} (left out{at})"


def positions_for(clause: Clause, asked: str | None) -> list[str | None]:
    """The positions to render: the deal's own (None), one, or all three. A clause without a
    negotiated topic reads the same at every position, so it is rendered once."""
    if not clause.position or asked is None:
        return [None]
    return list(POSITIONS) if asked == "all" else [asked]


def render(library: Library, jurisdictions: Jurisdictions, raw: dict[str, Any], clause_id: str, *, position: str | None = None,
           source: str | None = None) -> list[Rendering]:
    """The clause in the deal ``raw`` (answers as read), at each position asked for."""
    clause = library.clause(clause_id)
    out = []
    for pos in positions_for(clause, position):
        note = f"{clause.id} has no negotiated topic: it reads the same at every position" if position and not clause.position else ""
        deal = validate(with_position(raw, clause.position, pos), library.schema, jurisdictions, source=source)
        composition = compose(library, deal, jurisdictions, comments=False, strict=False)
        section = next((s for s in composition.agreement.sections() if s.clause_id == clause_id), None)
        if section is None:
            why = explain.explain_clause(library, deal, jurisdictions, composition, clause_id)
            topic = position_for(clause.position, deal)
            out.append(Rendering(clause.id, clause.title, clause.version, topic, False, pos, note, left_out=[line.strip() for line in explain.condition_lines(why)]))
            continue
        if pos and section.position is None:
            note = f"its topic, {clause.position}, does not shape this draft (position_when: {clause.position_when})"
        out.append(Rendering(clause.id, clause.title, clause.version, section.position, True, pos, note, _number(section),
                             lines=[line for p in section.paragraphs for line in _lines(p)], terms=_terms(section, composition.agreement)))
    return out


def with_position(raw: dict[str, Any], topic: str | None, position: str | None) -> dict[str, Any]:
    """The answers ``raw`` with ``topic`` drafted at ``position`` (unchanged when either is None)."""
    if position is None or topic is None:
        return raw
    answers = copy.deepcopy(raw)
    put_dotted(answers, f"positions.{topic}", position)
    return answers


def _number(section: Section) -> str:
    if section.part == "schedule":
        return f"Schedule {section.number}"
    return section.number


def _lines(p: Paragraph) -> list[str]:
    """A paragraph as text lines: its number in the margin, indented by level, wrapped."""
    if p.kind == "heading":
        return [f"{p.label} {plain_text(p).upper()}", ""]
    if p.kind == "title":
        return [plain_text(p).upper(), ""]
    if p.kind == "table":
        return [INDENT + line for line in plain_text(p).splitlines()] + [""]
    indent = INDENT * (max(p.level, 1) - 1) if p.kind == "numbered" else INDENT * p.level
    lead = f"{p.label} " if p.label else ""
    out = []
    for i, part in enumerate(plain_text(p).split("\n")):
        first = indent + (lead if i == 0 else " " * len(lead))
        out += textwrap.wrap(part, WIDTH, initial_indent=first, subsequent_indent=indent + " " * len(lead)) or [first.rstrip()]
    return [*out, ""]


def _where(section: Section) -> str:
    if section.part == "body":
        return f"clause {section.number} ({section.title})"
    return f"Schedule {section.number} ({section.title})" if section.part == "schedule" else f"the {section.title.lower()} block"


def _terms(section: Section, agreement: Agreement) -> list[str]:
    """The defined terms the clause uses, each with its definition (or where it is defined)."""
    used = list(dict.fromkeys(i.term for p in section.paragraphs for i in p.all_inlines() if isinstance(i, TermUse)))
    listed = {d.term: d for d in agreement.definitions}
    in_place = {i.term: _where(s) for s in agreement.sections() for p in s.paragraphs for i in p.all_inlines() if isinstance(i, TermDef)}
    out = []
    for term in used:
        if term in listed:
            out.append(f"“{term}” {plain_text_of(listed[term].inlines)}")
        elif term in in_place:
            out.append(f"“{term}”: defined in {in_place[term]}")
        else:
            out.append(f"“{term}”: not defined in this agreement")
    return out


# --- output ----------------------------------------------------------------------------------------


def format_text(renderings: list[Rendering], deal_name: str) -> str:
    out: list[str] = []
    several = len(renderings) > 1
    for r in renderings:
        if several:
            out += ["=" * WIDTH, f"{(r.asked or '').upper()} POSITION", "=" * WIDTH]
        out.append(f"{r.heading()}, in the agreement for {deal_name}")
        out += [f"Note: {r.note}", ""] if r.note else [""]
        if not r.included:
            out += ["Left out of this agreement:", *(INDENT + line for line in r.left_out), ""]
            continue
        out += r.lines
        if r.terms:
            out += ["Defined terms used:", *(textwrap.fill(t, WIDTH, initial_indent=INDENT, subsequent_indent=INDENT * 2) for t in r.terms), ""]
    return "\n".join(out).rstrip() + "\n"


def to_docx(renderings: list[Rendering], deal_name: str, sources: Any, *, locale: Any = None) -> bytes:
    """A Word document on the house template: the clause, or the three positions side by side in
    a three-column table."""
    first = renderings[0]
    doc = MemoDocument(title=f"{first.clause}: {first.title}")
    doc.add("title", f"{first.title} ({first.clause} {first.version})")
    doc.add("note", f"As it reads in the agreement for {deal_name}.")
    if len(renderings) > 1:
        doc.add("table", rows=[[f"{r.asked} position" for r in renderings], [_cell(r) for r in renderings]])
    else:
        doc.add("heading", first.heading())
        if first.note:
            doc.add("note", first.note)
        for line in (first.lines if first.included else ["Left out of this agreement:", *first.left_out]):
            if line:
                doc.add("paragraph", line)
    terms = list(dict.fromkeys(t for r in renderings for t in r.terms))
    if terms:
        doc.add("heading", "Defined terms used")
        for term in terms:
            doc.add("paragraph", term)
    return write(doc, stationery(sources, locale, {}))


def _cell(r: Rendering) -> str:
    if not r.included:
        return "\n".join(["Left out of this agreement:", *r.left_out])
    return "\n".join(line for line in r.lines if line)
