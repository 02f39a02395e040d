"""The key terms of one agreement (docs/terms.md), for the systems that come next: each term the
library declares in ``terms.yaml``, its value from the deal and the profiles, and the number in
this draft of the clause it comes from.

Values are JSON-ready and the same in every output: text exactly as typed, dates as
``YYYY-MM-DD``, money as the currency code and the amount (``USD 1,250,000.00``, whatever the
deal's locale), percentages and whole numbers as numbers, yes/no as booleans, lists as lists. A
term with no value (its ``when`` is false, or the deal leaves it out) is ``None`` and has no clause.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from jinja2 import Undefined, UndefinedError

from clausewright import formatting, jinja
from clausewright.assembly import term_names
from clausewright.assembly.compose import Composition
from clausewright.assembly.context import base_context, position_for
from clausewright.assembly.model import Agreement, TermDef
from clausewright.assembly.notes import numbers
from clausewright.errors import LibraryError
from clausewright.inputs.agreement_types import AgreementType
from clausewright.inputs.deal import Deal
from clausewright.inputs.jurisdictions import Jurisdictions
from clausewright.inputs.library import Library
from clausewright.inputs.terms import FILE, LIST_TYPES, TermSpec

_NAME_PATH = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")  # deal.term.notice_days, institution.name
FORMAT = "clausewright-terms/1"  # changes only if a released term changes its meaning or type
CLAUSE_SUFFIX = ".clause"  # the CSV column beside each term that gives its clause number


@dataclass(frozen=True)
class Term:
    spec: TermSpec
    value: Any  # str | int | float | bool | list | None (see the module docstring)
    clause: str | None  # the number of the clause in this draft, e.g. "19.1", "Schedule 4", "Parties"
    label: str = ""  # what the term is, in the names of the agreement drafted (the Customer's name)
    applies: bool = True  # False for a term of another type of agreement (always empty here)


def key_terms(library: Library, deal: Deal, jurisdictions: Jurisdictions, composition: Composition) -> list[Term]:
    """Every term the library declares, for this deal and its assembled draft."""
    numbered = clause_numbers(composition.agreement)
    computed: dict[str, Any] = {}  # term id -> its value before conversion (for terms['id'])
    context = _context(library, deal, jurisdictions, composition, computed)
    currency = jinja.deal_currency(deal.values)
    where = str(library.directory / FILE)
    kind = library.type_of(deal)
    words = library.spelling.get(str(deal.get("agreement.locale") or ""), {})
    out = []
    for spec in library.terms:
        source = source_clause(spec, kind)
        applies = _of_type(spec, source, kind, library)
        raw = _evaluate(spec, context, where) if applies else None
        if spec.text is not None and words:  # the library's own wording, spelt as the draft is
            raw = _respelt(raw, words)
        computed[spec.id] = raw
        value = _converted(spec, raw, currency, where)
        clause = numbered.get(source) if source and value not in (None, []) else None
        out.append(Term(spec, value, clause, label(spec, kind), applies))
    return out


def _respelt(raw: Any, words: dict[str, str]) -> Any:
    """A term's value in the library's words (a text, or a list of texts) in the draft's spelling."""
    if isinstance(raw, list):
        return [_respelt(r, words) for r in raw]
    return formatting.respelt(raw, words) if isinstance(raw, str) else raw


def label(spec: TermSpec, kind: AgreementType) -> str:
    """What a term is, in the words of the agreement drafted: its names for the shared terms
    (the Customer's name) and its words for what it does not define (``key_term_words``)."""
    return term_names.in_words(spec.label, {**kind.key_term_words, **kind.terms}, kind.plurals)


def source_clause(spec: TermSpec, kind: AgreementType) -> str | None:
    """The clause (or clause-id.anchor) a term comes from in agreements of type ``kind``: the one
    ``terms.yaml`` names, or the type's own clause that plays its part (its ``references:``)."""
    return None if spec.clause is None else kind.references.get(spec.clause, spec.clause)


def _of_type(spec: TermSpec, source: str | None, kind: AgreementType, library: Library) -> bool:
    """Whether a term belongs to agreements of type ``kind``: the type asks every parameter it
    reads and uses the clause it comes from. A term of another type of agreement is empty."""
    if not all(kind.asks_parameter(pid) for pid in spec.parameters):
        return False
    clause = library.clauses.get(source.split(".")[0]) if source else None
    return source is None or (clause is not None and library.used_by(clause, kind))


def clause_numbers(agreement: Agreement) -> dict[str, str]:
    """Clause id or clause-id.anchor -> the number a reader of this draft sees; the front matter
    (the parties block) has no number, so it is given by its title."""
    return {**{s.clause_id: s.title for s in agreement.front}, **numbers(agreement)}


# --- the draft's own words ---------------------------------------------------------------------

_DEFINED_IN_PLACE = re.compile(r'""(.+?)""')


def defined_terms(library: Library) -> frozenset[str]:
    """Every term a draft of the library can define, in each type's names, with its plural: the
    words a key term must not use unless its draft defines them."""
    names: set[str] = set()
    for clause in library.clauses.values():
        names |= {d.term for d in clause.defines} | set(_DEFINED_IN_PLACE.findall(clause.body))
    for kind in library.types.values():
        names |= set(kind.terms.values())
    return frozenset(names | {n + "s" for n in names} | {p for kind in library.types.values() for p in kind.plurals.values()})


def undefined_terms(terms: Iterable[Term], agreement: Agreement, kind: AgreementType, vocabulary: frozenset[str]) -> list[tuple[Term, str, str]]:
    """Each defined term (of ``vocabulary``) that the label of a key term with a value, or the
    library's wording of that value (a ``text`` term), names although the draft (of type ``kind``)
    does not define it: (term, "label" or "value", the name). An empty term is not one of the
    draft's terms, so its words are not checked."""
    defined = {d.term for d in agreement.definitions}
    defined |= {i.term for p in agreement.paragraphs() for i in p.all_inlines() if isinstance(i, TermDef)}
    plurals = {kind.terms.get(old[:-1]): new for old, new in kind.plurals.items()}
    defined |= {n + "s" for n in defined} | {plurals[n] for n in defined if n in plurals}
    if not vocabulary - defined:
        return []
    names = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(vocabulary | defined, key=len, reverse=True)) + r")\b")  # the longest name first
    out = []
    for term in terms:
        if term.value in (None, []):
            continue
        worded = [("label", term.label)]
        if term.spec.text is not None:
            worded += [("value", v) for v in (term.value if isinstance(term.value, list) else [term.value])]
        for where, text in worded:
            out += [(term, where, name) for name in dict.fromkeys(names.findall(text)) if name not in defined]
    return out


# --- values -------------------------------------------------------------------------------------


def _context(library: Library, deal: Deal, jurisdictions: Jurisdictions, composition: Composition, computed: dict[str, Any]) -> dict[str, Any]:
    included = {s.clause_id for s in composition.agreement.sections()}
    schema = library.schema

    def choice_label(pid: str) -> str | None:
        value = deal.get(pid)
        return None if value is None else schema[pid].choice_map().get(str(value), str(value))

    return {
        **base_context(deal, jurisdictions, library.type_of(deal)),
        "_locale": formatting.DEFAULT_LOCALE,  # the money filter prints the terms' one format
        "included": lambda cid: cid in included,
        "positions": {topic: position_for(topic, deal) for topic in library.topics()},
        "choice_label": choice_label,
        "library": {"id": library.id, "title": library.title, "version": library.version},
        "terms": computed,
        "add_days": lambda day, n: day + dt.timedelta(days=n),
        "add_months": add_months,
        "anniversary": anniversary,
    }


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), or the month's last day when it is shorter
    (31 January + 1 month = 28 or 29 February)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def anniversary(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 1 March when ``day`` is 29 February and that year has none
    (so the year that starts on ``day`` ends the day before)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def _evaluate(spec: TermSpec, context: dict[str, Any], where: str) -> Any:
    try:
        if spec.when and not _value(spec.when, context):
            return None
        if spec.each:
            items = _value(spec.each, context)
            return None if items is None else [_one(spec, dict(context, item=item)) for item in items]
        return _one(spec, context)
    except (UndefinedError, jinja.FragmentError, TypeError, ValueError, ArithmeticError) as exc:
        raise LibraryError(where, f"term {spec.id}: cannot be worked out for this deal: {exc}") from None


def _one(spec: TermSpec, context: dict[str, Any]) -> Any:
    if spec.text is not None:
        return jinja.render_text(spec.text, context)
    assert spec.source is not None  # a term has from or text (inputs/terms.py)
    return _value(spec.source, context)


def _value(expression: str, context: dict[str, Any]) -> Any:
    """The value of an expression, None where it reads something the deal leaves out. A plain
    chain of names (most terms) is looked up directly, as Jinja would look it up in the nested
    mappings, without the cost of a Jinja call."""
    if _NAME_PATH.fullmatch(expression):
        root, *keys = expression.split(".")
        if root not in context:
            raise UndefinedError(f"{root!r} is undefined")
        value = context[root]
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        return value
    value = jinja.evaluate(expression, context)
    return None if isinstance(value, Undefined) else value


def _converted(spec: TermSpec, raw: Any, currency: str, where: str) -> Any:
    if raw is None:
        return None
    if spec.type in LIST_TYPES:
        if not isinstance(raw, (list, tuple)):
            raise LibraryError(where, f"term {spec.id}: a {spec.type} term needs a list, not {raw!r:.60}")
        return [v for v in (_scalar(spec, "date" if spec.type == "dates" else "text", item, currency, where) for item in raw) if v is not None]
    return _scalar(spec, spec.type, raw, currency, where)


def _scalar(spec: TermSpec, kind: str, raw: Any, currency: str, where: str) -> Any:
    if raw is None or raw == "":
        return None
    try:
        if kind == "text":
            if isinstance(raw, str):
                return raw
            if isinstance(raw, (int, Decimal, dt.date)) and not isinstance(raw, bool):
                return str(raw)
        elif kind == "integer" and isinstance(raw, (int, Decimal, str)) and not isinstance(raw, bool):
            number = Decimal(str(raw))
            if number == number.to_integral_value():
                return int(number)
        elif kind == "date" and isinstance(raw, dt.date):
            return raw.isoformat()
        elif kind == "money" and isinstance(raw, (int, Decimal)) and not isinstance(raw, bool):
            return formatting.money(raw, currency)
        elif kind == "percent" and isinstance(raw, (int, Decimal)) and not isinstance(raw, bool):
            number = Decimal(raw)
            return int(number) if number == number.to_integral_value() else float(number)
        elif kind == "boolean" and isinstance(raw, bool):
            return raw
    except (InvalidOperation, ValueError):
        pass
    raise LibraryError(where, f"term {spec.id}: {raw!r:.60} is not of type {kind}")


# --- outputs ------------------------------------------------------------------------------------


def columns(specs: Iterable[TermSpec]) -> list[str]:
    """The CSV columns: each term, then its clause number (``buyer.name``, ``buyer.name.clause``)."""
    return [column for spec in specs for column in (spec.id, spec.id + CLAUSE_SUFFIX)]


def record(terms: Iterable[Term]) -> dict[str, Any]:
    """One agreement's terms as column -> JSON value (a CSV row; a bulk manifest line keeps it)."""
    out: dict[str, Any] = {}
    for term in terms:
        out[term.spec.id] = term.value
        out[term.spec.id + CLAUSE_SUFFIX] = term.clause
    return out


def cell(value: Any) -> str:
    """A JSON value as a CSV cell: empty for none, yes/no, one line per item of a list."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "\n".join(cell(v) for v in value)
    return str(value)


def csv_row(values: dict[str, Any], names: list[str]) -> list[str]:
    """The cells of a ``record`` (or a manifest line's ``terms``) for the columns ``names``."""
    return [cell(values.get(name)) for name in names]


def csv_rows(terms: list[Term], specs: list[TermSpec]) -> list[list[str]]:
    """One agreement's terms as CSV rows: the header and one row of values (``quoting.csv_bytes`` writes them)."""
    names = columns(specs)
    return [names, csv_row(record(terms), names)]


def to_json(terms: list[Term], *, deal: str | None, library: Library) -> str:
    document = {
        "format": FORMAT,
        "deal": deal,
        "library": f"{library.id} {library.version}",
        "terms": {t.spec.id: {"label": t.label, "type": t.spec.type, "value": t.value, "clause": t.clause} for t in terms},
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def format_text(terms: list[Term], title: str) -> str:
    """For a person at a terminal: each term of this type of agreement, its label, value and
    clause; lists one item a line."""
    lines = [title]
    for t in terms:
        if not t.applies:
            continue
        shown = t.value if isinstance(t.value, list) else [t.value]
        items = [cell(v).replace("\n", " / ") for v in shown] or [""]
        where = f"  [{t.clause}]" if t.clause else ""
        lines.append(f"  {t.label}: {items[0] or '-'}{where}")
        lines += [f"      {item}" for item in items[1:]]
    return "\n".join(lines)
