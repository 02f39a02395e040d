"""Compose the agreement as data: select clauses, render their fragments, build the definitions
list, number every paragraph, and resolve every cross-reference and defined term.

Nothing here knows about XML; the result is an ``Agreement`` (see model.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

from jinja2 import UndefinedError

from clausewright import jinja
from clausewright.assembly import kinds, locate, markup, render_cache, spelling, term_names
from clausewright.assembly.context import base_context, position_for
from clausewright.assembly.model import (
    Agreement,
    Comment,
    Definition,
    Paragraph,
    Placeholder,
    Ref,
    Section,
    TermDef,
    TermUse,
    Text,
)
from clausewright.assembly.notes import Note, applicable_notes, note_text, numbers
from clausewright.errors import EXIT_LIBRARY, ClausewrightError, LibraryError
from clausewright.findings import Finding, make
from clausewright.formatting import respelt_prose
from clausewright.inputs.agreement_types import AgreementType
from clausewright.inputs.deal import Deal
from clausewright.inputs.jurisdictions import Jurisdictions
from clausewright.inputs.library import Clause, Library, NoteArrangement
from clausewright.roles import ROLES


class AssemblyError(ClausewrightError):
    """The selected clauses do not make a consistent agreement (a dangling reference, a term
    used but never defined, a term defined twice): a defect of the library for this deal."""

    exit_code = EXIT_LIBRARY

    def __init__(self, problems: list[str], findings: list[Finding] | None = None):
        self.problems = problems
        self.findings = findings or []
        lines = [f"the assembled agreement is inconsistent ({len(problems)} problem{'s' if len(problems) != 1 else ''}):"]
        super().__init__("\n".join(lines + [f"  - {p}" for p in problems]))


@dataclass
class Decision:
    """Why a clause is in or out: its condition and the outcome."""

    clause_id: str
    included: bool
    when: str | None
    position: str | None = None


@dataclass
class Composition:
    agreement: Agreement
    decisions: list[Decision] = field(default_factory=list)
    # What resolving terms and references found (docs/qa.md): errors, and the pruned definitions.
    findings: list[Finding] = field(default_factory=list)
    subjects: dict[str, str] = field(default_factory=dict)  # the library's ``subjects``: where rule checks look
    notes: list[Note] = field(default_factory=list)  # the counsel notes that apply to this draft (assembly/notes.py)
    note_arrangements: list[NoteArrangement] = field(default_factory=list)  # what a note may speak of only where its clause drafts it
    kind: AgreementType | None = None  # the agreement type drafted (library types/*.yaml)
    spelling: dict[str, str] = field(default_factory=dict)  # the draft's spelling (spelling.yaml), for the notes, memo and checks

    @property
    def type_id(self) -> str:
        """The id of the agreement type drafted."""
        return self.kind.id if self.kind is not None else ""


def compose(library: Library, deal: Deal, jurisdictions: Jurisdictions, *, comments: bool = True, strict: bool = True) -> Composition:
    """Assemble the agreement. With ``strict`` (the default) an error-level finding raises
    ``AssemblyError``; otherwise the findings are returned with the composition, unresolved
    references print as highlighted placeholders, and the caller decides (``pipeline.generate``
    stops unless the finding is allowed)."""
    kind = library.type_of(deal)
    context = base_context(deal, jurisdictions, kind)
    decisions = select(library, context, deal)
    chosen = [library.clauses[d.clause_id] for d in decisions if d.included]
    included_ids = {c.id for c in chosen}
    context["included"] = lambda cid: cid in included_ids

    renders = _Renders(deal, jurisdictions, context, frozenset(included_ids), kind)
    sections = [_render_section(clause, context, deal, renders, library) for clause in chosen]
    definitions = _render_definitions(chosen, context, deal, renders)
    agreement = Agreement(
        title=kind.title,
        front=[s for s in sections if s.part == "front"],
        body=[s for s in sections if s.part == "body"],
        schedules=[s for s in sections if s.part == "schedule"],
        definitions=definitions,
    )
    findings: list[Finding] = []
    _resolve_terms(agreement, library, findings)
    _number(agreement)
    _resolve_refs(agreement, library, findings)
    words = library.spelling_of(deal)
    spelling.respell(agreement, words)
    errors = [f for f in findings if f.severity == "error"]
    if strict and errors:
        raise AssemblyError([f.message for f in errors], findings)
    # the counsel notes that apply: attached as comments, and read by the memo and the checks
    notes = applicable_notes(deal, jurisdictions, {s.clause_id for s in agreement.sections() if s.paragraphs}, kind)
    if comments:
        _attach_notes(agreement, notes, kind, words)
        if deal.get("agreement.position_notes"):
            _attach_position_notes(agreement, library, context, words)
    return Composition(agreement=agreement, decisions=decisions, findings=findings, subjects=library.subjects_for(kind), notes=notes,
                       note_arrangements=library.note_arrangements, kind=kind, spelling=words)


def select(library: Library, context: dict[str, Any], deal: Deal) -> list[Decision]:
    """Why each clause of the deal's agreement type is in or out."""
    decisions = []
    kind = library.type_of(deal)
    for part in ("front", "body", "schedule"):
        for clause in library.ordered(part, kind):
            included = _condition(clause.when, context, f"clause {clause.id} ({clause.path})")
            decisions.append(Decision(clause.id, included, clause.when, position_for(clause.position, deal)))
    return decisions


def _condition(expression: str | None, context: dict[str, Any], where: str) -> bool:
    if expression is None:
        return True
    try:
        return bool(jinja.evaluate(expression, context))
    except UndefinedError as exc:
        raise LibraryError(where, f"condition {expression!r} uses something that is not defined: {exc.message}") from None
    except jinja.FragmentError as exc:
        raise LibraryError(where, str(exc)) from None


def _clause_context(clause: Clause, context: dict[str, Any], deal: Deal) -> dict[str, Any]:
    return dict(context, position=position_for(clause.position, deal), clause={"id": clause.id, "title": clause.title})


class _Renders:
    """Renders of one deal's fragments, through the memory of earlier renders (render_cache.py)."""

    def __init__(self, deal: Deal, jurisdictions: Jurisdictions, context: dict[str, Any], included: frozenset[str], kind: AgreementType):
        self.deal = deal
        self.included = included
        self.kind = kind  # its own names for shared clauses' terms and references (term_names.py)
        self.names = kind.terms
        profiles = tuple(deal.get(role.parameter) for role in ROLES)
        self.shared = (context["_locale"], jurisdictions.fingerprint, profiles, context["agreement_type"]["id"])

    def _key(self, clause: Clause) -> tuple:
        return (*self.shared, clause.id, clause.title, position_for(clause.position, self.deal))

    def text(self, clause: Clause, source: str, ctx: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
        """A fragment rendered: its text and the literal values its tokens stand for."""

        def render() -> tuple[str, tuple[str, ...]]:
            literals: list[str] = []
            text = term_names.rename(jinja.render_fragment(source, ctx, literals), self.names, self.kind.plurals)
            return term_names.repoint(text, self.kind.references), tuple(literals)

        return render_cache.remembered("template", source, self._key(clause), self.deal.values, self.included, render)

    def condition(self, clause: Clause, expression: str, ctx: dict[str, Any], where: str) -> bool:
        return render_cache.remembered("expression", expression, self._key(clause), self.deal.values, self.included, lambda: _condition(expression, ctx, where))


def _render_section(clause: Clause, context: dict[str, Any], deal: Deal, renders: _Renders, library: Library) -> Section:
    where = f"clause {clause.id} ({clause.path})"
    ctx = _clause_context(clause, context, deal)
    try:
        text, literals = renders.text(clause, clause.body, ctx)
    except jinja.FragmentError as exc:
        reason = locate.explain_undefined(exc.reason, clause.body, exc.line, ctx, library.schema)
        raise LibraryError(locate.place(clause, exc.line), reason) from None
    try:
        paragraphs = markup.parse_cached(text, clause.id, list(literals))
    except markup.MarkupError as exc:
        line = locate.source_line(clause.body, text, exc.line)
        raise LibraryError(locate.place(clause, line), f"{exc.reason} (in the paragraph that starts there)" if line else f"rendered text {exc}") from None
    if clause.part == "front" and any(p.kind == "numbered" and p.level > 1 for p in paragraphs):
        raise LibraryError(where, "front matter takes one level of '+' only")
    return Section(
        clause_id=clause.id,
        version=clause.version,
        sha256=clause.sha256,
        part=clause.part,
        title=clause.title,
        paragraphs=paragraphs,
        style=clause.style,
        position=position_for(clause.position, deal) if _topic_in_play(clause, context, deal, renders) else None,
        toc=clause.toc,
        form=clause.form,
        rendered=text,
    )


def _topic_in_play(clause: Clause, context: dict[str, Any], deal: Deal, renders: _Renders) -> bool:
    """Whether the clause's negotiated topic shapes this draft (``position_when``): the agreed-damages
    position means nothing in a draft without agreed damages, so no note, memo row or provenance
    names it there."""
    if clause.position_when is None:
        return True
    where = f"clause {clause.id} ({clause.path}), position_when"
    return renders.condition(clause, clause.position_when, _clause_context(clause, context, deal), where)


def _render_definitions(chosen: list[Clause], context: dict[str, Any], deal: Deal, renders: _Renders) -> list[Definition]:
    out = []
    for clause in chosen:
        ctx = _clause_context(clause, context, deal)
        for d in clause.defines:
            where = f"clause {clause.id} ({clause.path}), definition {d.term!r}"
            if d.when is not None and not renders.condition(clause, d.when, ctx, where):
                continue
            try:
                text, literals = renders.text(clause, d.text, ctx)
                inlines = markup.inlines(" ".join(text.split()), clause.id, list(literals))
            except (jinja.FragmentError, markup.MarkupError) as exc:
                raise LibraryError(where, str(exc)) from None
            out.append(Definition(term=term_names.renamed(d.term, renders.names), inlines=inlines, clause_id=clause.id))
    return out


# --- defined terms -------------------------------------------------------------------------------


def _resolve_terms(agreement: Agreement, library: Library, findings: list[Finding]) -> None:
    where_defined: dict[str, list[str]] = {}
    owner: dict[str, str] = {}
    used: dict[str, Callable[[], str]] = {}  # where each term is first used, worked out if it is undefined
    user: dict[str, str | None] = {}
    for section in agreement.sections():
        for p in section.paragraphs:
            for item in p.all_inlines():
                kind = type(item)
                if kind is TermUse:
                    if item.term not in used:
                        used[item.term] = partial(_where_term, library, section, p, item.term)
                        user[item.term] = section.clause_id
                elif kind is TermDef:
                    where_defined.setdefault(item.term, []).append(f"clause {section.clause_id}")
                    owner.setdefault(item.term, section.clause_id)
    listed = {}
    for d in agreement.definitions:
        where_defined.setdefault(d.term, []).append(f"definitions list (from clause {d.clause_id})")
        owner.setdefault(d.term, d.clause_id)
        listed[d.term] = d
    for term, places in sorted(where_defined.items()):
        if len(places) > 1:
            findings.append(make(kinds.TERM_TWICE, f"the term {term!r} is defined more than once: {'; '.join(places)}", clause=owner[term], subject=term))

    # A definition kept in the list can use further terms: follow them to a fixed point.
    keep: set[str] = set()
    frontier = [t for t in used if t in listed]
    while frontier:
        term = frontier.pop()
        if term in keep:
            continue
        keep.add(term)
        for item in listed[term].inlines:
            if isinstance(item, TermUse):
                used.setdefault(item.term, partial(str, f"the definition of {term!r}"))
                user.setdefault(item.term, listed[term].clause_id)
                if item.term in listed:
                    frontier.append(item.term)
    for term, where in sorted(used.items()):
        if term not in where_defined:
            hint = locate.did_you_mean(term, [*where_defined, *listed], what="the terms defined in this agreement", listed=False)
            findings.append(make(kinds.TERM_UNDEFINED, f"the term {term!r} is used in {where()} but never defined{hint}", clause=user.get(term), subject=term))
    agreement.pruned_definitions = sorted(t for t in listed if t not in keep)
    for term in agreement.pruned_definitions:
        findings.append(make(kinds.DEFINITION_UNUSED, f"the definition of {term!r} is not used in this agreement and was left out", clause=listed[term].clause_id, subject=term))
    agreement.definitions = sorted((d for d in agreement.definitions if d.term in keep), key=lambda d: _sort_key(d.term))
    _expand_definitions(agreement)


def _where_in_file(library: Library, section: Section, paragraph: Paragraph, token: re.Pattern[str]) -> str:
    """Where a paragraph's term or reference is written in its clause file."""
    clause = library.clauses[section.clause_id]
    return locate.place(clause, locate.source_line(clause.body, section.rendered, paragraph.line, token))


def _sort_key(term: str) -> tuple[str, str]:
    return (re.sub(r"[^0-9a-z ]", "", term.lower()), term)


def _expand_definitions(agreement: Agreement) -> None:
    for section in agreement.sections():
        expanded = []
        for p in section.paragraphs:
            if p.kind != "directive":
                expanded.append(p)
                continue
            for d in agreement.definitions:
                expanded.append(Paragraph(kind="definition", level=p.level, inlines=[TermDef(d.term), Text(" "), *d.inlines], line=p.line))
        section.paragraphs = expanded


# --- numbering ------------------------------------------------------------------------------------


def lower_letter(n: int) -> str:
    """Word's lowerLetter: a..z, then aa..zz, aaa..."""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def lower_roman(n: int) -> str:
    numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, numeral in numerals:
        while n >= value:
            out += numeral
            n -= value
    return out


# Per level below the heading: how the label is shown and how it joins a reference. The house
# template's lists must number the same way (ooxml/contract.py checks them), or the numbers cached
# in cross-references would differ from what Word shows.
BODY_LEVELS = {1: ("decimal", "{parent}.{n}", "{parent}.{n}"), 2: ("lowerLetter", "({n})", "{parent}({n})"), 3: ("lowerRoman", "({n})", "{parent}({n})"), 4: ("upperLetter", "({n})", "{parent}({n})")}
SCHEDULE_LEVELS = {1: ("decimal", "{n}", "{n}"), 2: ("decimal", "{parent}.{n}", "{parent}.{n}"), 3: ("lowerLetter", "({n})", "{parent}({n})"), 4: ("lowerRoman", "({n})", "{parent}({n})")}


def _fmt(kind: str, n: int) -> str:
    if kind == "lowerLetter":
        return lower_letter(n)
    if kind == "upperLetter":
        return lower_letter(n).upper()
    if kind == "lowerRoman":
        return lower_roman(n)
    return str(n)


def _number_paragraphs(paragraphs: list[Paragraph], levels: dict, top: str) -> None:
    counters = [0] * 6
    refs = [top] + [""] * 5
    for p in paragraphs:
        if p.kind != "numbered":
            continue
        counters[p.level] += 1
        for deeper in range(p.level + 1, len(counters)):
            counters[deeper] = 0
        kind, label, ref = levels[p.level]
        n = _fmt(kind, counters[p.level])
        parent = refs[p.level - 1]
        p.label = label.format(parent=parent, n=n)
        p.ref_text = ref.format(parent=parent, n=n)
        refs[p.level] = p.ref_text


def _number(agreement: Agreement) -> None:
    for section in agreement.front:
        fmt = (lambda n: f"({n})") if section.style == "parties" else (lambda n: f"({lower_letter(n).upper()})")
        count = 0
        for p in section.paragraphs:
            if p.kind == "numbered":
                count += 1
                p.label = p.ref_text = fmt(count)
    for i, section in enumerate(agreement.body, start=1):
        section.number = str(i)
        heading = Paragraph(kind="heading", inlines=[Text(section.title)], anchor=section.clause_id, label=str(i), ref_text=str(i))
        _number_paragraphs(section.paragraphs, BODY_LEVELS, str(i))
        section.paragraphs.insert(0, heading)
    for i, section in enumerate(agreement.schedules, start=1):
        section.number = str(i)
        heading = Paragraph(kind="heading", inlines=[Text(section.title)], anchor=section.clause_id, label=f"Schedule {i}", ref_text=f"Schedule {i}")
        _number_paragraphs(section.paragraphs, SCHEDULE_LEVELS, "")
        section.paragraphs.insert(0, heading)
    for section in agreement.front:
        # The bookmark (no anchor: nothing can refer to it) marks where the clause starts, so a
        # generated document can be read back clause by clause (``clausewright diff``).
        section.paragraphs.insert(0, Paragraph(kind="title", inlines=[Text(section.title)], bookmark=bookmark_name(section.clause_id)))


# --- cross-references ---------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def bookmark_name(anchor: str) -> str:
    """A Word bookmark name: at most 40 characters, letters, digits and underscores, unique."""
    slug = re.sub(r"[^A-Za-z0-9]+", "_", anchor)[:22].strip("_")
    digest = hashlib.sha1(anchor.encode("utf-8")).hexdigest()[:8]
    return f"_Ref_{slug}_{digest}"


def _resolve_refs(agreement: Agreement, library: Library, findings: list[Finding]) -> None:
    targets: dict[str, Paragraph] = {}
    for section in agreement.sections():
        for p in section.paragraphs:
            if p.anchor:
                if p.anchor in targets:
                    findings.append(make(kinds.ANCHOR_TWICE, f"the anchor {p.anchor!r} is used twice", clause=section.clause_id, subject=p.anchor))
                p.bookmark = bookmark_name(p.anchor)
                targets[p.anchor] = p

    seen: set[int] = set()  # a definition's inlines also appear in the expanded definitions list

    def resolve(ref: Ref, place: Callable[[], str], clause: str) -> None:
        """Point ``ref`` at its target; ``place`` says where it is written, worked out only for a
        reference that fails."""
        if id(ref) in seen:
            return
        seen.add(id(ref))
        target = targets.get(ref.target)
        if target is None:
            where = place()
            clause_id = ref.target.split(".")[0]
            if clause_id not in library.clauses:
                hint = locate.did_you_mean(clause_id, library.clauses, what="the clauses", listed=False)
                findings.append(make(kinds.REF_MISSING, f"{where} refers to {ref.target!r}, which is not in the library{hint}", clause=clause, subject=ref.target))
            elif not any(s.clause_id == clause_id for s in agreement.sections()):
                findings.append(
                    make(kinds.REF_EXCLUDED, f"{where} refers to {ref.target!r}, but clause {clause_id!r} is not in this agreement (its condition is false)", clause=clause, subject=ref.target)
                )
            else:
                anchors = markup.anchors_written(library.clauses[clause_id].body, clause_id)
                hint = locate.did_you_mean(ref.target, anchors, what=f"the anchors of clause {clause_id}")
                findings.append(make(kinds.REF_MISSING, f"{where} refers to {ref.target!r}, which has no such anchor{hint}", clause=clause, subject=ref.target))
            ref.text = f"[{ref.target}]"  # printed highlighted, with no field (see ooxml.writer)
            return
        ref.text = target.ref_text
        ref.bookmark = target.bookmark

    for section in agreement.sections():
        for p in section.paragraphs:
            for item in p.all_inlines():
                if isinstance(item, Ref):
                    resolve(item, partial(_where_ref, library, section, p, item), section.clause_id)
    for d in agreement.definitions:
        for item in d.inlines:
            if isinstance(item, Ref):
                resolve(item, partial(str, f"the definition of {d.term!r}"), d.clause_id)


def _where_term(library: Library, section: Section, paragraph: Paragraph, term: str) -> str:
    return _where_in_file(library, section, paragraph, locate.term_token(term))


def _where_ref(library: Library, section: Section, paragraph: Paragraph, ref: Ref) -> str:
    return _where_in_file(library, section, paragraph, locate.ref_token(ref.target, section.clause_id))


# --- counsel notes ----------------------------------------------------------------------------


def _attach_notes(agreement: Agreement, notes: list[Note], kind: AgreementType, words: dict[str, str]) -> None:
    headings = {s.clause_id: s.paragraphs[0] for s in agreement.sections() if s.paragraphs}
    refs = numbers(agreement)
    for note in notes:
        headings[note.clause].comments.append(Comment(text=note_text(note, kind, refs, spelling=words)))


def position_note(clause: Clause, position: str, context: dict[str, Any], *, overall: bool = False, spelling: dict[str, str] | None = None) -> str:
    """A position's one-line drafting note, rendered for this deal (a note may test the deal, e.g.
    mention an agreed minimum only where the deal sets one); ``overall``: the clause's note on what
    it does at the overall position (``overall:``), for a clause without a topic of its own;
    ``spelling``: the draft's (its own words respelt before the deal's values are put in)."""
    key = "overall" if overall else "positions"
    note = respelt_prose((clause.overall if overall else clause.positions).get(position, ""), spelling or {})
    if "{" not in note:
        return note
    try:
        return jinja.render_text(note, context)
    except (UndefinedError, jinja.FragmentError) as exc:
        raise LibraryError(str(clause.path), f"{key}.{position}: {exc}") from None


def _attach_position_notes(agreement: Agreement, library: Library, context: dict[str, Any], words: dict[str, str]) -> None:
    """Each negotiated clause's drafting note, as a comment for the lawyer on its heading."""
    for section in agreement.sections():
        clause = library.clauses[section.clause_id]
        if not clause.position or not section.position or not section.paragraphs:
            continue
        others = "; ".join(f"{pos}: {position_note(clause, pos, context, spelling=words)}" for pos in clause.positions if pos != section.position)
        text = (f"Negotiated topic {clause.position}, drafted at the {section.position} position: "
                f"{position_note(clause, section.position, context, spelling=words)} Other positions: {others}")
        section.paragraphs[0].comments.append(Comment(text=text))


def placeholders(agreement: Agreement) -> list[str]:
    found = []
    for p in agreement.paragraphs():
        found += [i.text for i in p.all_inlines() if isinstance(i, Placeholder)]
    return found
