"""``clausewright explain``: why each clause of the library is in the agreement or left out.

For every clause: the outcome, its condition and the value of everything the condition reads
(found by walking the condition's syntax tree), the negotiation position that applied and its
drafting note, the counsel notes attached to it, and the profile or catalogue entry each
jurisdiction-specific part of its text came from.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from jinja2 import Undefined, UndefinedError

from clausewright import formatting, jinja
from clausewright.assembly.compose import Composition, position_note, select
from clausewright.assembly.context import base_context, position_for
from clausewright.assembly.notes import candidate_notes, condition, note_body, numbers
from clausewright.assembly.term_names import party_words
from clausewright.inputs.agreement_types import AgreementType
from clausewright.inputs.deal import Deal
from clausewright.inputs.jurisdictions import Jurisdictions
from clausewright.inputs.library import Clause, Library
from clausewright.inputs.types import CURRENCY_PARAMETER
from clausewright.reads import Read, expression_reads, template_reads
from clausewright.roles import BY_NAME


@dataclass
class Value:
    expression: str  # as read: deal.tooling.applies, law.penalty.regime, included('tooling')
    value: Any
    origin: str  # "deal", "default", "not answered", "does not apply", "<profile id> profile 1.0.0", ...
    currency: str | None = None  # an amount of money is in the deal's currency

    def show(self) -> str:
        return f"{self.expression} = {_show(self.value, self.currency)} ({self.origin})"


@dataclass
class Variant:
    name: str  # law, supplier_country, institution, ...
    source: str  # "governing-law profile singapore 1.0.0"
    selected_by: str  # the deal parameter that chose it
    reads: list[str] = field(default_factory=list)


@dataclass
class Note:
    profile: str
    id: str
    text: str
    citation: str | None
    last_reviewed: str
    verify: bool
    attached: bool


@dataclass
class Explanation:
    clause: str
    title: str
    part: str
    included: bool
    number: str | None  # "7", "Schedule 2", None when left out or front matter
    when: str | None
    decided_by: list[Value] = field(default_factory=list)
    topic: str | None = None
    position: str | None = None
    position_from: str | None = None
    drafting_note: str | None = None
    definitions: list[dict[str, Any]] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def _show(value: Any, currency: str | None = None) -> str:
    if value is None:
        return "none"
    if isinstance(value, Undefined):  # a fact the profile does not give (read with .get)
        return "not given"
    if currency and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return formatting.money(value, currency)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (_dt.date, Decimal)):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(sorted(str(k) for k in value))[:60] + "}"
    if isinstance(value, list):
        return f"[{len(value)} item{'s' if len(value) != 1 else ''}]"
    return repr(value) if isinstance(value, str) else str(value)


def _parameter(path: tuple[str, ...], library: Library) -> str | None:
    param, _ = library.schema.parameter_at(path)
    return param.id if param else None


class _Explainer:
    def __init__(self, library: Library, deal: Deal, jurisdictions: Jurisdictions, composition: Composition | None):
        self.library, self.deal, self.jurisdictions = library, deal, jurisdictions
        self.kind = library.type_of(deal)
        self.context = base_context(deal, jurisdictions, self.kind)
        self.decisions = {d.clause_id: d for d in (composition.decisions if composition else select(library, self.context, deal))}
        included = {cid for cid, d in self.decisions.items() if d.included}
        self.context["included"] = lambda cid: cid in included
        self.sections = {s.clause_id: s for s in composition.agreement.sections()} if composition else {}
        self.composition = composition
        self.numbers = numbers(composition.agreement) if composition else {}  # a note's clause references, as numbered in the draft
        self.spelling = library.spelling_of(deal)

    def origin(self, read: Read) -> str:
        if read.root == "deal":
            pid = _parameter(read.path, self.library)
            if pid is None:
                return "not a declared parameter"
            if pid in self.deal.defaulted:
                return "default"
            if pid in self.deal.flat:
                return "deal"
            if pid in self.deal.ignored:
                return "does not apply"
            if pid in self.deal.not_asked:
                return "not asked for this type of agreement"
            return "not answered"
        if read.root in BY_NAME:
            return self.source_of(read.root)
        if read.root == "included":
            return "clause condition"
        if read.root == "position":
            return "negotiation position"
        return read.root

    def source_of(self, name: str) -> str:
        role = BY_NAME[name]
        key = self.deal.get(role.parameter)
        label = party_words(role.label, self.kind.renamed_parties)  # the customer's country profile
        if role.catalogue != "profiles":
            return f"{label} {key}" if key else f"no {name} ({role.parameter} not set)"
        profile = self.jurisdictions.profiles.get(key) if isinstance(key, str) else None
        if profile is None:
            return f"no profile ({role.parameter} not set)"
        return f"{label} {profile.id} {profile.version}"

    def value(self, read: Read, context: dict[str, Any]) -> Value:
        expression = read.dotted.replace("[]", "")
        if read.root == "included" or "[]" in read.dotted:
            expression = read.dotted if read.root == "included" else read.dotted.split("[]")[0]
        try:
            value = jinja.evaluate(expression, context)
        except (UndefinedError, jinja.FragmentError):
            value = None
        except Exception:  # an expression that only makes sense inside its template
            value = None
        if isinstance(value, (dict, list)):
            value = _show(value)  # a whole profile section or list: named, not dumped
        return Value(read.dotted, value, self.origin(read), self.currency_of(read))

    def currency_of(self, read: Read) -> str | None:
        """The deal's currency when ``read`` is an amount of money (shown with it)."""
        pid = ".".join(read.path)
        if read.root != "deal" or pid not in self.library.schema or self.library.schema[pid].type.name != "money":
            return None
        return self.deal.get(CURRENCY_PARAMETER)

    def clause(self, clause: Clause) -> Explanation:
        decision = self.decisions.get(clause.id)
        included = bool(decision and decision.included)
        section = self.sections.get(clause.id)
        number = None
        if section is not None and section.number:
            number = f"Schedule {section.number}" if section.part == "schedule" else section.number
        out = Explanation(clause.id, clause.title, clause.part, included, number, clause.when)
        ctx = dict(self.context, position=position_for(clause.position, self.deal), clause={"id": clause.id, "title": clause.title})
        if clause.when:
            try:
                reads = expression_reads(clause.when)
            except jinja.FragmentError:
                reads = []
            out.decided_by = [self.value(r, ctx) for r in reads if r.root != "position" or clause.position]
        if clause.position and not (section is not None and section.position is None):
            out.topic = clause.position
            out.position = position_for(clause.position, self.deal)
            if self.deal.get(f"positions.{clause.position}"):
                out.position_from = f"positions.{clause.position}"
            elif self.deal.get("positions.overall"):
                out.position_from = "positions.overall" + (" (default)" if "positions.overall" in self.deal.defaulted else "")
            else:
                out.position_from = "the default position"
            out.drafting_note = position_note(clause, out.position or "", ctx, spelling=self.spelling)  # rendered and spelt for this deal, as the comment is
        for d in clause.defines:
            # the term as this type names it (a services draft's "Customer", or "Customer Contact")
            entry: dict[str, Any] = {"term": party_words(self.kind.name_of(d.term), self.kind.renamed_parties), "when": d.when}
            if d.when:
                try:
                    entry["applies"] = bool(jinja.evaluate(d.when, ctx))
                except Exception:
                    entry["applies"] = None
                entry["decided_by"] = [asdict(self.value(r, ctx)) for r in expression_reads(d.when)]
            if self.composition is not None and included:
                entry["in_agreement"] = any(x.term == d.term for x in self.composition.agreement.definitions)
            out.definitions.append(entry)
        out.variants = self.variants(clause)
        out.notes = self.notes(clause.id, included)
        return out

    def variants(self, clause: Clause) -> list[Variant]:
        sources = [clause.body] + [d.text for d in clause.defines]
        reads: list[Read] = []
        for src in sources:
            try:
                reads += template_reads(src)
            except jinja.FragmentError:
                continue
        if clause.when:
            try:
                reads += expression_reads(clause.when)
            except jinja.FragmentError:
                pass
        by_name: dict[str, list[str]] = {}
        for r in reads:
            if r.root in BY_NAME:
                by_name.setdefault(r.root, [])
                if r.path and r.dotted not in by_name[r.root]:
                    by_name[r.root].append(r.dotted)
        return [Variant(name, self.source_of(name), BY_NAME[name].parameter, sorted(paths)) for name, paths in sorted(by_name.items())]

    def notes(self, clause_id: str, included: bool) -> list[Note]:
        """The notes of the profiles in play (by their roles) that concern this clause; attached
        when the clause is in the draft and the note's condition holds."""
        present = {s.clause_id for s in self.composition.agreement.sections()} if self.composition else set()
        holds = condition(self.deal, self.jurisdictions, present, self.library.type_of(self.deal))
        return [
            Note(n.profile.id, n.id, note_body(n, self.kind, self.numbers, self.spelling), n.data.get("citation"), str(n.data.get("last_reviewed")), n.verify,
                 included and holds(n))
            for n in candidate_notes(self.deal, self.jurisdictions)
            if n.clause == clause_id
        ]

def explain(library: Library, deal: Deal, jurisdictions: Jurisdictions, composition: Composition | None = None) -> list[Explanation]:
    x = _Explainer(library, deal, jurisdictions, composition)
    kind = library.type_of(deal)
    return [x.clause(c) for part in ("front", "body", "schedule") for c in library.ordered(part, kind)]


def explain_clause(library: Library, deal: Deal, jurisdictions: Jurisdictions, composition: Composition, clause_id: str) -> Explanation:
    """``explain`` for one clause."""
    return _Explainer(library, deal, jurisdictions, composition).clause(library.clause(clause_id))


def summary(deal: Deal, jurisdictions: Jurisdictions, kind: AgreementType) -> list[str]:
    """The choices that select profiles and the forum, one line each, naming the parties as a
    draft of type ``kind`` does (the customer's country)."""
    lines = []
    for label, pid in ((f"{kind.party('supplier')}'s country", "supplier.country"), (f"{kind.party('buyer')}'s country", "buyer.country"),
                       ("governing law", "law.governing_law")):
        key = deal.get(pid)
        p = jurisdictions.profiles.get(key) if isinstance(key, str) else None
        lines.append(f"{label}: {f'{p.id} ({p.name}, profile {p.version})' if p else 'not given'}  [{pid}]")
    if deal.get("disputes.method") == "courts":
        lines.append(f"disputes: courts of {deal.get('disputes.courts')}" + (" (exclusive)" if deal.get("disputes.courts_exclusive") else ""))
    elif deal.get("disputes.institution") or deal.get("disputes.seat"):
        lines.append(f"disputes: arbitration, {deal.get('disputes.institution')} seated in {deal.get('disputes.seat')}"
                     + (f", arbitration agreement governed by {deal.get('disputes.arbitration_agreement_law')} law" if deal.get("disputes.arbitration_agreement_law") else ""))
    return lines


def format_text(explanations: list[Explanation], header: list[str]) -> str:
    lines = list(header)
    n_in = sum(e.included for e in explanations)
    lines.append(f"{n_in} of {len(explanations)} clauses included")
    lines.append("")
    for e in explanations:
        mark = "IN " if e.included else "OUT"
        where = f" (clause {e.number})" if e.number and e.part == "body" else (f" ({e.number})" if e.number else "")
        lines.append(f"[{mark}] {e.clause}: {e.title}{where}")
        lines += format_clause(e)
    return "\n".join(lines)


def condition_lines(e: Explanation) -> list[str]:
    """The clause's condition, its outcome and the value of everything it reads."""
    if e.when in (None, "true", "True"):
        return ["      condition: always"]
    return [f"      condition: {e.when}  ->  {'true' if e.included else 'false'}", *(f"        {v.show()}" for v in e.decided_by)]


def format_clause(e: Explanation) -> list[str]:
    """Why one clause is in or out, and where its parts came from (indented lines)."""
    lines = condition_lines(e)
    if e.topic:
        lines.append(f"      position: {e.topic} = {e.position} (from {e.position_from})")
        if e.drafting_note:
            lines.append(f"        drafting note: {e.drafting_note}")
    for d in e.definitions:
        if d.get("when"):
            decided = ", ".join(f"{v['expression']} = {_show(v['value'], v['currency'])}" for v in d.get("decided_by", []))
            state = "defined" if d.get("applies") else "not defined"
            lines.append(f"      definition {d['term']!r}: {state} (when {d['when']}; {decided})")
    for variant in e.variants:
        reads = f": {', '.join(variant.reads)}" if variant.reads else ""
        lines.append(f"      {variant.name}.* from {variant.source} (chosen by {variant.selected_by}){reads}")
    for n in e.notes:
        state = "attached as a comment" if n.attached else "not attached (clause left out, or its condition is false)"
        cite = f" Source: {n.citation}." if n.citation else ""
        lines.append(f"      counsel note {n.profile}/{n.id} ({state}; reviewed {n.last_reviewed}{'; VERIFY' if n.verify else ''}): {n.text}{cite}")
    return lines


def to_json(explanations: list[Explanation], **extra: Any) -> str:
    data = dict(extra)
    data["clauses"] = [asdict(e) for e in explanations]
    return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, Undefined):  # a fact the profile or the agreement type does not give
        return None
    if isinstance(value, (_dt.date, Decimal)):
        return str(value)
    return str(value)
