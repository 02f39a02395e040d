"""``clausewright library check``: is a clause library (and its profiles) sound in every combination?

1. Every fragment compiles: clause bodies, conditions, definitions, parameter conditions and
   defaults.
2. Every parameter a fragment, condition or default reads is declared in the schema (the syntax
   trees are walked for ``deal.*`` chains, loop variables over lists included), and every declared
   parameter (and list field) is read somewhere: by a fragment, a condition, a default, the
   assembly engine itself (docs/library-format.md §8) or a rule check.
3. Every clause renders, and the terms and cross-references are consistent, in every combination
   of governing-law profile x supplier profile x position, with synthetic deals built from the
   schema's examples and defaults; answer variants (defaults / every option on / the alternative
   options) are spread over the matrix so each law, supplier and position meets each of them, and
   every value of every choice is tried once more.
4. Profile, institution and seat files are complete; schema examples are valid values.
5. Drafting and declarations (``library_drafting``): defined terms written without markup, in
   every combination; ``uses:`` lists against what each clause reads; ``bulk: row`` on the
   parameters that vary by supplier.
6. Shared clauses stay shared (``library_sharing``): a term defined by one clause, no article
   drafted once per type.
7. Versions (``library_versions``): no clause file changed under a version ``versions.lock``
   records with another text.

Problems are findings (``library-*`` ids, docs/qa.md); any error or warning makes the check fail.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies

from clausewright import jinja, resources
from clausewright.assembly import locate
from clausewright.assembly.compose import compose, select
from clausewright.assembly.context import base_context
from clausewright.assembly.front_matter import FORMALITIES
from clausewright.assembly.notes import malformed_references
from clausewright.errors import ClausewrightError, InputError, LibraryError
from clausewright.findings import Finding, counts, kind, make, sort
from clausewright.inputs import versions
from clausewright.inputs.agreement_types import PARTIES, TYPE_PARAMETER, AgreementType
from clausewright.inputs.deal import convert, put_dotted, validate
from clausewright.inputs.jurisdictions import OTHER_TYPES, Jurisdictions, load_jurisdictions
from clausewright.inputs.library import POSITIONS, Library, load_library
from clausewright.inputs.schema import Parameter, Schema
from clausewright.inputs.types import ONE_CHOICE_TYPES, Invalid
from clausewright.qa import draft_words, library_drafting, library_sharing, library_versions, rules
from clausewright.qa import notes as note_checks
from clausewright.qa import terms as key_terms
from clausewright.reads import Read, expression_reads, template_reads, text_reads
from clausewright.roles import PROFILE_ROLES

LOAD = kind("library-load", "error", "the library or the jurisdictions folder cannot be loaded at all", "library")
SYNTAX = kind("library-syntax", "error", "a fragment, condition or default does not compile", "library")
UNDECLARED = kind("library-undeclared-parameter", "error", "a fragment, condition or default reads a deal parameter the schema does not declare", "library")
UNUSED = kind("library-unused-parameter", "warning", "a declared parameter (or list field) is read by no fragment, condition, default, engine or rule", "library")
USES = kind("library-uses-undeclared", "warning", "a clause's 'uses' header names a parameter the schema does not declare", "library")
EXAMPLE = kind("library-example", "warning", "a parameter's example is not a valid value for it", "library")
SYNTHETIC = kind("library-deal", "error", "the schema's defaults give an invalid deal under some profile combination", "library")
RENDER = kind("library-render", "error", "a clause fails to render in some combination", "library")
INCONSISTENT = kind("library-inconsistent", "error", "terms or cross-references are inconsistent in some combination (term-undefined, ref-excluded, ...)", "library")
NEVER = kind("library-never-included", "warning", "a clause is left out in every combination tried, so it was never rendered", "library")
DEFINITION_NEVER = kind("library-definition-never-used", "warning", "a definition is pruned in every combination tried", "library")
PROFILE = kind("library-profile", "error", "a profile lacks data that the engine, the templates or the rule checks read, or has a bad value", "library")
NOTE_MISFIT = kind("library-note-misfit", "error", "a counsel note reaches a draft it does not fit (another seat, a law not in play, an absent clause or agreed sums) in some combination", "library")
NOTE_CALLS = kind("library-note-calls-for-clause", "warning", "a counsel note asks for a clause to be added but neither names the clause that drafts it (<<id>>) nor says the draft has none", "library")
NOTE_ROLES = kind("library-note-roles", "warning", "a counsel note does not say under which roles of its profile it applies (roles:)", "library")
TERM_OF_ART = kind("library-term-of-art", "error", "a term of art of another legal system appears in a draft: a common-law term (library.yaml common_law_terms) under a civil-law system, or a term the governing law's profile lists as foreign to it (governing_law.foreign_terms)", "library")
POSITION_CONFLICT = kind("library-position-conflict", "error", "another clause takes back what a topic's position grants (declared in grants:) in some combination of topic positions", "library")
FLOOR = kind("library-floor-breached", "error", "a clause goes below one of its declared floors (a protection no position may drop) in some combination", "library")
FACT = kind("library-unknown-fact", "warning", "a clause reads a profile's or an agreement type's fact (drafting.<fact>) that none gives, or one gives a fact that no clause reads", "library")
KEY_TERM = kind("library-key-term-undefined", "error", "a key term's label, or the library's wording of its value, names a defined term that the draft it describes does not define", "library")
OTHER_AGREEMENT = kind("library-text-names-another-agreement", "error", "a profile's text (a counsel note, a formality) or a rule check's message that reaches a draft names another type of agreement, in some combination", "library")
OTHER_PARTY_NAME = kind("library-text-names-another-party", "error", "a counsel note, a formality or a rule check's message about a draft names a party by a name the draft does not use (the buyer, in a services agreement), in some combination", "library")
PROFILE_GAP = kind("library-profile-incomplete", "warning", "a profile, institution or seat lacks an entry the library format documents", "library")

# Parameters the assembly engine reads itself (docs/library-format.md §8), besides positions.*.
ENGINE_PARAMETERS = (
    "agreement.type", "agreement.date", "agreement.locale", "agreement.draft", "agreement.reference", "agreement.position_notes",
    "buyer.name", "supplier.name", "buyer.country", "supplier.country",
    "buyer.signatory.name", "buyer.signatory.title", "supplier.signatory.name", "supplier.signatory.title",
    "buyer.local_name", "supplier.local_name", "buyer.signatory.authority", "supplier.signatory.authority",
    "buyer.signatory.authority_date", "supplier.signatory.authority_date", "buyer.signatory.place", "supplier.signatory.place",
    "buyer.signatory.co_signatory", "supplier.signatory.co_signatory",
    "law.governing_law", "disputes.method", "disputes.institution", "disputes.seat",
    "disputes.arbitration_agreement_law", "disputes.courts", "commercial.currency", "positions.overall",
)
_METHODS = {"items", "keys", "values", "get", "year", "month", "day", "isoformat", "strip", "lower", "upper", "title", "split", "replace",
            "startswith", "endswith", "join", "format", "count"}
PENALTY_REGIMES = {"capped_penalty", "reducible_penalty", "liquidated_damages", "penalty_within_principal", "reasonable_compensation", "contractual_penalty"}
POST_TERM = {"allowed", "restricted", "void"}
ADJUSTMENTS = {"reduce", "raise_or_reduce"}  # penalty.adjustment: what a court may do to an agreed sum under a reducible test
COURT_SCOPES = {"system", "court"}  # courts.scope: courts.name names a court system, or one court
# Documented profile entries (docs/library-format.md §6): missing ones make a profile incomplete.
DOCUMENTED = (
    "adjective", "cisg", "governing_law.system", "governing_law.statutes", "governing_law.foreign_law.allowed", "trade_secrets",
    "reverse_engineering", "arbitration.law", "arbitration.institution", "arbitration.seat", "arbitration.language", "arbitration.arbitrators",
    "formalities.stamp_duty.applies", "formalities.legalisation", "formalities.language", "data_protection", "export_control", "customs_recordation",
)
# Entries the engine, the bundled templates' defaults or the rule checks read: missing ones are errors.
REQUIRED = ("governing_law.name", "governing_law.short", "penalty.regime", "non_compete.post_term", "arbitration.new_york_convention.party",
            "courts.name", "formalities.seal")

VARIANTS = ("defaults", "all-on", "alternatives")
PROFILE_ROLE_NAMES = {role.name for role in PROFILE_ROLES}  # law, supplier_country, ...: what a clause calls a profile


@dataclass
class Combination:
    law: str
    supplier: str
    position: str
    variant: str
    extra: tuple[tuple[str, Any], ...] = ()
    type: str | None = None  # the agreement type (None: a library that declares no agreement.type)

    def label(self) -> str:
        out = (f"type={self.type} " if self.type else "") + f"law={self.law} supplier={self.supplier} position={self.position} answers={self.variant}"
        return out + "".join(f" {k}={v}" for k, v in self.extra)


@dataclass
class Outcome:
    combination: Combination
    findings: list[tuple[str, str, str | None]] = field(default_factory=list)  # (id, message, clause)
    included: list[str] = field(default_factory=list)
    definitions: list[str] | None = field(default_factory=list)  # None: it failed to assemble, so which were used is unknown


@dataclass
class Report:
    library: str
    findings: list[Finding]
    stats: dict[str, Any]

    @property
    def ok(self) -> bool:
        c = counts(self.findings)
        return c["error"] == 0 and c["warning"] == 0


# --- static checks -------------------------------------------------------------------------------


def _resolve_read(read: Read, schema: Schema, used: set[str]) -> str | None:
    """Mark what a deal read uses; return a problem description when it reads nothing declared."""
    path = tuple(read.path)
    while path and path[-1] in _METHODS:
        path = path[:-1]
    if not path:
        return None
    param, rest = schema.parameter_at(path)
    if param is None:
        prefix = ".".join(p for p in path if p != "[]")
        under = [pid for pid in schema.ids() if pid.startswith(prefix + ".")]
        if under:  # a whole section, e.g. deal.buyer
            used.update(under)
            return None
        if read.dynamic:
            return None
        return ".".join(path)
    used.add(param.id)
    if param.type.name == "list" and rest:
        if rest[0] == "[]":
            rest = rest[1:]
        rest = tuple(r for r in rest if r not in _METHODS)
        if not rest:
            return None
        fields = {f.id for f in param.fields}
        if rest[0] not in fields:
            return f"{param.id}[].{rest[0]}"
        used.add(f"{param.id}.{rest[0]}")
    return None


def _where_line(clause_path: Path, body_line: int, line: int) -> str:
    return f"{clause_path}:{body_line + line - 1}" if line else str(clause_path)


def static_checks(library: Library, jurisdictions: Jurisdictions) -> tuple[list[Finding], dict[str, Any]]:
    out: list[Finding] = []
    schema = library.schema
    used: set[str] = set(ENGINE_PARAMETERS) | set(rules.PARAMETERS)
    used |= {f"positions.{t}" for t in library.topics()}
    sources = 0

    def reads_of(what: str, fn, text: str, where: str, clause: str | None = None) -> list[Read]:
        nonlocal sources
        sources += 1
        try:
            return fn(text)
        except jinja.FragmentError as exc:
            out.append(make(SYNTAX, f"{what} does not compile: {exc}", clause=clause, source=where))
            return []

    facts = {str(k): pid for pid, p in sorted(jurisdictions.profiles.items()) for k in p.data.get("drafting") or {}}
    type_facts = {str(k): tid for tid, t in library.types.items() for k in t.drafting}
    facts_read: set[str] = set()
    type_facts_read: set[str] = set()

    def check_fact(r: Read, given: dict[str, str], read: set[str], owner: str, where: str, clause: str | None, base_line: int, path: Path | None) -> None:
        read.add(r.path[1])
        if r.path[1] not in given:
            loc = _where_line(path, base_line, r.line) if path else where
            out.append(make(FACT, f"reads {r.dotted}, a fact no {owner} gives" + locate.did_you_mean(r.path[1], given, what=f"the facts {owner}s give"),
                            clause=clause, source=loc, subject=r.path[1]))

    def check_reads(reads: Iterable[Read], where: str, clause: str | None, base_line: int = 1, path: Path | None = None) -> None:
        for r in reads:
            if len(r.path) > 1 and r.path[0] == "drafting" and r.path[1] not in _METHODS:
                if r.root in PROFILE_ROLE_NAMES:
                    check_fact(r, facts, facts_read, "profile", where, clause, base_line, path)
                elif r.root == "agreement_type":
                    check_fact(r, type_facts, type_facts_read, "agreement type", where, clause, base_line, path)
            if r.root != "deal":
                if r.root == "included" and r.path and r.path[0] not in library.clauses:
                    out.append(make(UNDECLARED, f"included({r.path[0]!r}) names a clause that is not in the library", clause=clause, source=where, subject=r.path[0]))
                continue
            bad = _resolve_read(r, schema, used)
            if bad:
                loc = _where_line(path, base_line, r.line) if path else where
                out.append(make(UNDECLARED, locate.undeclared(bad, schema), clause=clause, source=loc, subject=bad))

    for clause in library.clauses.values():
        where = str(clause.path)
        # a syntax error is reported once, by the compile of the whole body
        try:
            jinja.compile_fragment(clause.body)
            body_reads = template_reads(clause.body)
        except jinja.FragmentError as exc:
            loc = _where_line(clause.path, clause.body_line, exc.line) if exc.line else where
            out.append(make(SYNTAX, f"the clause body does not compile: {exc.reason}", clause=clause.id, source=loc))
            body_reads = []
        sources += 1
        check_reads(body_reads, where, clause.id, clause.body_line, clause.path)
        if clause.when:
            check_reads(reads_of("the condition", expression_reads, clause.when, where, clause.id), where + " (when)", clause.id)
        for d in clause.defines:
            check_reads(reads_of(f"the definition of {d.term!r}", template_reads, d.text, where, clause.id), f"{where} (definition {d.term!r})", clause.id)
            if d.when:
                check_reads(reads_of(f"the condition of the definition {d.term!r}", expression_reads, d.when, where, clause.id),
                            f"{where} (definition {d.term!r}, when)", clause.id)
        for floor in clause.floors:
            if floor.when:
                check_reads(reads_of(f"the condition of floor {floor.id!r}", expression_reads, floor.when, where, clause.id),
                            f"{where} (floor {floor.id!r}, when)", clause.id)
        for pid in clause.uses:
            if pid not in schema and not any(p.startswith(pid + ".") for p in schema.ids()):
                out.append(make(USES, f"'uses' names {pid}, which the schema does not declare", clause=clause.id, source=where, subject=pid))
        out += library_drafting.uses_findings(clause, schema)
        out += library_drafting.overall_findings(clause, schema)
        out += library_drafting.straight_quotes(clause)
        out += library_drafting.numbers_in_words(clause)

    for param in schema.parameters:
        where = f"{param.source}: parameter {param.id}"
        if param.when:
            check_reads(reads_of(f"the condition of parameter {param.id}", expression_reads, param.when, where), where + " (when)", None)
        for p in [param, *param.fields]:
            if isinstance(p.default, str) and "{{" in p.default:
                check_reads(reads_of(f"the default of parameter {param.id}", text_reads, p.default, where), where + " (default)", None)

    for fact in sorted(set(facts) - facts_read):
        out.append(make(FACT, f"profile {facts[fact]} gives drafting.{fact}, which no clause or condition reads", source=str(jurisdictions.profiles[facts[fact]].path), subject=fact))
    for fact in sorted(set(type_facts) - type_facts_read):
        out.append(make(FACT, f"agreement type {type_facts[fact]} gives drafting.{fact}, which no clause or condition reads",
                        source=str(library.directory / "types" / f"{type_facts[fact]}.yaml"), subject=fact))

    declared = [p.id for p in schema.parameters] + [f"{p.id}.{f.id}" for p in schema.parameters if p.type.name == "list" for f in p.fields]
    unused = [pid for pid in declared if pid not in used]
    for pid in unused:
        owner = schema.get(pid) or schema.get(pid.rsplit(".", 1)[0])
        out.append(make(UNUSED, f"{pid} is declared but no fragment, condition, default, engine step or rule check reads it", source=owner.source if owner else None, subject=pid))

    out += _examples(schema)
    out += library_drafting.bulk_findings(schema)
    out += library_drafting.straight_quotes_in_wording(library.wording, str(library.directory / "library.yaml"))
    out += library_sharing.findings(library)
    out += profile_checks(library, jurisdictions)
    stats = {"clauses": len(library.clauses), "parameters": len(declared), "sources": sources, "unused": len(unused), "profiles": len(jurisdictions.profiles)}
    return out, stats


def _examples(schema: Schema) -> list[Finding]:
    out = []
    for param in schema.parameters:
        for p, label in [(param, param.id)] + [(f, f"{param.id}[].{f.id}") for f in param.fields]:
            if p.example is None or p.type.name == "list":
                continue
            try:
                convert(p, p.example) if p is param else p.type.convert(p.example, p)
            except (Invalid, InputError, LibraryError) as exc:
                out.append(make(EXAMPLE, f"the example {p.example!r} of {label} is not a valid value: {exc}", source=param.source, subject=label))
    return out


def _get(data: Any, dotted: str) -> tuple[bool, Any]:
    for key in dotted.split("."):
        if not isinstance(data, dict) or key not in data:
            return False, None
        data = data[key]
    return True, data


def _is_date(value: Any) -> bool:
    return _date(value) is not None


def _date(value: Any) -> _dt.date | None:
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _in_future(value: Any) -> bool:
    """A review date after today: a review that has not happened yet."""
    when = _date(value)
    return when is not None and when > _dt.date.today()


_CALLS_FOR_CLAUSE = re.compile(r"(?:^|[.;:]\s+)(?:add|include|insert)\s+(?:a|an|the)\b|\badd (?:a|an) (?:clause|schedule|term)", re.I)


def broken_profiles(jurisdictions: Jurisdictions) -> list[Finding]:
    """Each profile that cannot be loaded, once: the matrix goes on without it, as ``generate``
    does for the deals that do not choose it."""
    return [make(PROFILE, f"profile {pid} cannot be used, so the deals that choose it are refused: {exc}; the other profiles are checked without it",
                 source=str(jurisdictions.directory / "profiles" / f"{pid}.yaml"), subject=pid)
            for pid, exc in sorted(jurisdictions.broken.items())]


def profile_checks(library: Library, jurisdictions: Jurisdictions) -> list[Finding]:
    out: list[Finding] = []
    currencies = set(list_currencies())
    for pid, profile in sorted(jurisdictions.profiles.items()):
        data, where = profile.data, str(profile.path)

        def bad(message: str, pid: str = pid, where: str = where) -> None:
            out.append(make(PROFILE, f"profile {pid}: {message}", source=where, subject=pid))

        missing = [key for key in REQUIRED if not _get(data, key)[0]]
        if missing:
            bad(f"missing {', '.join(missing)}")
        for note in data.get("notes") or []:
            text = " ".join(str(note.get("text") or "").split())
            if _CALLS_FOR_CLAUSE.search(text) and "<<" not in text and "no clause" not in text:
                out.append(make(NOTE_CALLS, f"profile {pid}: note {note.get('id')} asks for something to be added; name the clause that drafts it "
                                "(<<clause-id>>) or say plainly that the draft has no clause for it", source=where, subject=str(note.get("id"))))
            for broken in malformed_references(text):
                bad(f"note {note.get('id')}: {broken} is not a reference to a clause (<<clause-id>> or <<clause-id.anchor>>, on one line)")
            if not note.get("roles"):
                out.append(make(NOTE_ROLES, f"profile {pid}: note {note.get('id')} gives no roles, so it applies whenever the profile is the supplier's "
                                "country, the governing law or the arbitration agreement's law; say which (roles: [governing_law], ...)", source=where, subject=str(note.get("id"))))
        gaps = [key for key in DOCUMENTED if not _get(data, key)[0]]
        if gaps:
            out.append(make(PROFILE_GAP, f"profile {pid}: missing {', '.join(gaps)} (docs/library-format.md §6)", source=where, subject=pid))
        regime = _get(data, "penalty.regime")[1]
        if regime is not None and regime not in PENALTY_REGIMES:
            bad(f"penalty.regime {regime!r} is not one of {', '.join(sorted(PENALTY_REGIMES))}")
        if regime == "capped_penalty" and not isinstance(_get(data, "penalty.cap_percent")[1], (int, float)):
            bad("penalty.cap_percent (a number) is needed for a capped_penalty regime")
        adjustment = _get(data, "penalty.adjustment")[1]
        if _get(data, "penalty.test")[1] == "reducible" and adjustment not in ADJUSTMENTS:
            bad(f"penalty.adjustment ({' or '.join(sorted(ADJUSTMENTS))}: may a court only reduce an agreed sum, or also raise it?) "
                f"is needed for a reducible test{f', not {adjustment!r}' if adjustment is not None else ''}")
        scope = _get(data, "courts.scope")[1]
        if scope is not None and scope not in COURT_SCOPES:
            bad(f"courts.scope {scope!r} is not one of {', '.join(sorted(COURT_SCOPES))}")
        post = _get(data, "non_compete.post_term")[1]
        if post is not None and post not in POST_TERM:
            bad(f"non_compete.post_term {post!r} is not one of {', '.join(sorted(POST_TERM))}")
        party = _get(data, "arbitration.new_york_convention.party")
        if party[0] and not isinstance(party[1], bool):
            bad("arbitration.new_york_convention.party must be true or false")
        for key, _ in FORMALITIES:
            note = _get(data, f"formalities.{key}.note")[1]
            if isinstance(note, dict) and OTHER_TYPES not in note and set(library.types) - set(note):
                bad(f"formalities.{key}.note is given per type of agreement but not for {', '.join(sorted(set(library.types) - set(note)))}; "
                    f"give their text, or a '{OTHER_TYPES}' text for the types it does not name")
        stamp = _get(data, "formalities.stamp_duty.applies")
        if stamp[0] and stamp[1] not in (True, False, None):
            bad("formalities.stamp_duty.applies must be true, false or null (unknown)")
        if str(data.get("currency")) not in currencies:
            bad(f"currency {data.get('currency')!r} is not an ISO 4217 code")
        try:
            Locale.parse(str(data.get("locale")))
        except (ValueError, UnknownLocaleError, TypeError):
            bad(f"locale {data.get('locale')!r} is not a locale Babel knows")
        if not _is_date(data.get("last_reviewed")):
            bad("last_reviewed must be a date (YYYY-MM-DD)")
        elif _in_future(data.get("last_reviewed")):
            bad(f"last_reviewed {data.get('last_reviewed')} is after today: a profile can only say when it was reviewed")
        if not re.fullmatch(r"\d+\.\d+\.\d+", str(data.get("version"))):
            bad(f"version {data.get('version')!r} is not a version number such as 1.0.0")
        seen = set()
        for i, note in enumerate(data.get("notes") or []):
            nid = note.get("id", f"notes[{i}]")
            if nid in seen:
                bad(f"note id {nid!r} is used twice")
            seen.add(nid)
            if str(note.get("clause")) not in library.clauses:
                bad(f"note {nid} is tied to clause {note.get('clause')!r}, which is not in the library")
            if not _is_date(note.get("last_reviewed")):
                bad(f"note {nid}: last_reviewed must be a date (YYYY-MM-DD)")
            elif _in_future(note.get("last_reviewed")):
                bad(f"note {nid}: last_reviewed {note.get('last_reviewed')} is after today: a note can only say when it was reviewed")
            if "verify" in note and not isinstance(note["verify"], bool):
                bad(f"note {nid}: verify must be true or false")
    for sid, seat in sorted(jurisdictions.seats.items()):
        for key in ("name", "state"):
            if not seat.get(key):
                out.append(make(PROFILE_GAP, f"seat {sid}: {key} is missing", source=f"seats.yaml {sid}", subject=sid))
        if not isinstance(seat.get("new_york_convention"), bool):
            out.append(make(PROFILE, f"seat {sid}: new_york_convention must be true or false", source=f"seats.yaml {sid}", subject=sid))
    for iid, inst in sorted(jurisdictions.institutions.items()):
        for key in ("name", "rules", "edition", "in_force"):
            if not inst.get(key):
                out.append(make(PROFILE_GAP, f"institution {iid}: {key} is missing", source=f"institutions.yaml {iid}", subject=iid))
        default_seat = inst.get("default_seat")
        if default_seat is not None and default_seat not in jurisdictions.seats:
            out.append(make(PROFILE, f"institution {iid}: default_seat {default_seat!r} is not in seats.yaml", source=f"institutions.yaml {iid}", subject=iid))
    return out


# --- synthetic deals -------------------------------------------------------------------------------------


def _valid(param: Parameter, value: Any) -> bool:
    try:
        param.type.convert(value, param)
        return True
    except (Invalid, LibraryError, InputError):
        return False


def synthetic_value(param: Parameter, *, bool_value: bool = False) -> Any:
    """A value for ``param``: its example when valid, else one made up from its type."""
    t = param.type.name
    if t == "list":
        record = {}
        for f in param.fields:
            value = synthetic_value(f, bool_value=bool_value)
            if value is not None:
                record[f.id] = value
        return [record]
    if t == "bool":
        return bool_value
    if param.example is not None and _valid(param, param.example):
        return param.example
    if t in ("text", "longtext"):
        if param.pattern:
            return None
        text = f"Example {param.label}"
        return text[: param.max_length] if param.max_length else text
    if t == "email":
        return "notices@example.com"
    if t in ("integer", "decimal", "money", "percent"):
        low = param.min if param.min is not None else (0 if t == "percent" else 1)
        value = max(low, 5 if t == "percent" else (1 if t == "integer" else 1000))
        if param.max is not None:
            value = min(value, param.max)
        return value
    if t == "date":
        return "2026-12-01"
    if t == "currency":
        return "USD"
    if t in ("multichoice", *ONE_CHOICE_TYPES):
        options = list(param.choice_map())
        return options[0] if options else None
    return None


def _alternative(param: Parameter) -> Any:
    if param.type.name == "bool":
        default = param.default if isinstance(param.default, bool) else False
        return not default
    options = list(param.choice_map())
    if param.default is not None and str(param.default) in options and len(options) > 1:
        others = [o for o in options if o != str(param.default)]
        return others[-1]
    return options[-1] if options else None


def synthetic_deal(schema: Schema, combination: Combination) -> dict[str, Any]:
    """The raw answers of one combination (validated later like any deal file)."""
    raw: dict[str, Any] = {}
    fixed = {"supplier.country": combination.supplier, "law.governing_law": combination.law, "positions.overall": combination.position}
    if combination.type is not None:
        fixed[TYPE_PARAMETER] = combination.type
    fixed.update(dict(combination.extra))
    variant = combination.variant
    for param in schema.parameters:
        pid = param.id
        if pid in fixed:
            put_dotted(raw, pid, fixed[pid])
            continue
        if pid.startswith("positions."):
            continue  # topics follow the matrix's overall position
        t = param.type.name
        value = None
        if variant == "defaults":
            if param.default is None and (param.required or (param.example is not None and _valid(param, param.example))):
                value = synthetic_value(param)
        elif variant == "all-on":
            if t == "bool":
                value = True
            elif param.default is None:
                value = synthetic_value(param, bool_value=True)
        elif variant == "alternatives":
            if t in ("bool", "choice") and (param.choices or t == "bool"):
                value = _alternative(param)
            elif param.default is None:
                value = synthetic_value(param, bool_value=True)
        if value is not None:
            put_dotted(raw, pid, value)
    return raw


def combinations(library: Library, jurisdictions: Jurisdictions) -> list[Combination]:
    """The matrix, for each agreement type of the library (docs/library-format.md §1.1)."""
    typed = TYPE_PARAMETER in library.schema
    return [c for kind in library.types.values() for c in _type_combinations(library, jurisdictions, kind, kind.id if typed else None)]


def _type_combinations(library: Library, jurisdictions: Jurisdictions, kind: AgreementType, type_id: str | None) -> list[Combination]:
    laws = sorted(jurisdictions.profiles)
    schema = library.schema
    out = []
    for i, law in enumerate(laws):
        for j, supplier in enumerate(laws):
            for k, position in enumerate(POSITIONS):
                out.append(Combination(law, supplier, position, VARIANTS[(i + j + k) % len(VARIANTS)], type=type_id))
    # every value of every choice the type asks once more, on top of "every option on"
    example_supplier = _example(schema, "supplier.country", laws)
    example_law = _example(schema, "law.governing_law", laws) if "law.governing_law" in schema else example_supplier
    for param in schema.parameters:
        if param.type.name not in ("choice", "multichoice") or param.id.startswith("positions.") or not kind.asks_parameter(param.id):
            continue
        for value in param.choice_map():
            out.append(Combination(example_law, example_supplier, "balanced", "all-on", ((param.id, value),), type=type_id))
    # every profile once as the buyer's country (the grid varies the law and the supplier's): what a
    # clause or note draws from the buyer's country (its data-transfer rules, say) is rendered too
    if "buyer.country" in schema and kind.asks_parameter("buyer.country"):
        out += [Combination(example_law, example_supplier, "balanced", "all-on", (("buyer.country", buyer),), type=type_id) for buyer in laws]
    # every pair of the type's negotiated topics at every pair of different positions: a position
    # one topic grants must survive whatever position another topic is drafted at
    topics = [t for t in library.topics(kind) if f"positions.{t}" in schema and kind.asks_parameter(f"positions.{t}")]
    for a, first in enumerate(topics):
        for second in topics[a + 1:]:
            for p1 in POSITIONS:
                for p2 in POSITIONS:
                    if p1 != p2:
                        out.append(Combination(example_law, example_supplier, "balanced", "all-on", ((f"positions.{first}", p1), (f"positions.{second}", p2)), type=type_id))
    return out


def _example(schema: Schema, pid: str, options: list[str]) -> str:
    param = schema.get(pid)
    if param is not None and param.example in options:
        return str(param.example)
    return options[0]


# --- running the matrix -----------------------------------------------------------------------------


_STATE: dict[str, Any] = {}


def _init(library_dir: str, jurisdictions_dir: str) -> None:
    library = load_library(Path(library_dir))
    jurisdictions = load_jurisdictions(Path(jurisdictions_dir))
    library.schema.bind_catalogues(jurisdictions.catalogues(), jurisdictions.other_names())
    _STATE.update(library=library, jurisdictions=jurisdictions)


def _run(batch: list[Combination]) -> list[Outcome]:
    library, jurisdictions = _STATE["library"], _STATE["jurisdictions"]
    return [run_combination(library, jurisdictions, c) for c in batch]


def run_combination(library: Library, jurisdictions: Jurisdictions, combination: Combination) -> Outcome:
    outcome = Outcome(combination)
    raw = synthetic_deal(library.schema, combination)
    try:
        deal = validate(raw, library.schema, jurisdictions, source="synthetic deal")
    except InputError as exc:
        outcome.findings.append((SYNTHETIC, "the synthetic deal is invalid: " + "; ".join(str(p) for p in exc.problems), None))
        return outcome
    except ClausewrightError as exc:
        if exc not in jurisdictions.broken.values():  # a broken profile is reported once, by broken_profiles
            outcome.findings.append((SYNTHETIC, str(exc), None))
        return outcome
    try:
        composition = compose(library, deal, jurisdictions, comments=False, strict=False)
    except ClausewrightError as exc:
        clause = None
        if isinstance(exc, LibraryError):
            m = re.match(r"clause ([a-z0-9-]+) ", exc.where)
            clause = m.group(1) if m else None
        outcome.findings.append((RENDER, str(exc), clause))
        outcome.included = _selected(library, deal, jurisdictions)
        outcome.definitions = None
        return outcome
    for f in composition.findings:
        if f.severity == "error":
            outcome.findings.append((INCONSISTENT, f"{f.id}: {f.message}", f.clause))
    outcome.findings += floor_breaches(library, jurisdictions, deal, composition)
    outcome.findings += terms_of_art(library, jurisdictions, deal, composition)
    outcome.findings += position_conflicts(library, composition)
    outcome.findings += library_drafting.unmarked_terms(composition, deal, jurisdictions)
    outcome.findings += [(NOTE_MISFIT, f.message, f.clause) for f in note_checks.misfits(composition, deal, jurisdictions)]
    outcome.findings += undefined_in_key_terms(library, jurisdictions, deal, composition)
    outcome.findings += foreign_words(library, jurisdictions, deal, composition)
    outcome.included = [s.clause_id for s in composition.agreement.sections()]
    outcome.definitions = [d.term for d in composition.agreement.definitions]
    return outcome


def _selected(library: Library, deal: Any, jurisdictions: Jurisdictions) -> list[str]:
    """The clauses a deal includes, for a combination that failed to assemble: a clause that
    breaks is not one that is left out."""
    try:
        return [d.clause_id for d in select(library, base_context(deal, jurisdictions, library.type_of(deal)), deal) if d.included]
    except ClausewrightError:
        return []


_VOCABULARY: dict[int, frozenset[str]] = {}  # id(library) -> the terms its drafts can define


def undefined_in_key_terms(library: Library, jurisdictions: Jurisdictions, deal: Any, composition: Any) -> list[tuple[str, str, str | None]]:
    """Each key term whose label, or whose value in the library's words, names a defined term this
    draft does not define (docs/terms.md): a services draft's key terms never speak of an
    Initial Term its term clause does not have."""
    if not library.terms:
        return []
    vocabulary = _VOCABULARY.setdefault(id(library), key_terms.defined_terms(library))
    try:
        found = key_terms.key_terms(library, deal, jurisdictions, composition)
    except LibraryError as exc:
        return [(RENDER, str(exc), None)]
    return [(KEY_TERM, f"key term {term.spec.id}: its {where} ({term.label if where == 'label' else term.value!r}) names {name!r}, "
             f"which the {library.type_of(deal).id} draft does not define; give the type its own words for it (key_term_words:) or reword terms.yaml",
             (key_terms.source_clause(term.spec, library.type_of(deal)) or "").split(".")[0] or None)
            for term, where, name in key_terms.undefined_terms(found, composition.agreement, library.type_of(deal), vocabulary)]


def foreign_words(library: Library, jurisdictions: Jurisdictions, deal: Any, composition: Any) -> list[tuple[str, str, str | None]]:
    """What a reader reads about the draft outside its clauses (counsel notes, formalities, rule
    messages) that speaks of another kind of agreement, or of a party by another name."""
    kind = library.type_of(deal)
    texts = draft_words.texts_about(deal, jurisdictions, composition)
    out = [(OTHER_AGREEMENT, f"{t.source} speaks of {words!r} in a {kind.id} draft: make the text neutral, or give it per type of agreement "
            "(docs/library-format.md §6)", t.clause) for t, words in draft_words.other_agreements(texts, library, kind)]
    out += [(OTHER_PARTY_NAME, f"{t.source} names the {word!r} in a {kind.id} draft, whose parties are the {' and the '.join(kind.name_of(p) for p in PARTIES)}", t.clause)
            for t, word in draft_words.other_party_names(texts, kind)]
    return out


def floor_breaches(library: Library, jurisdictions: Jurisdictions, deal: Any, composition: Any) -> list[tuple[str, str, str | None]]:
    """Each declared floor that a rendered clause does not meet (white space read as one space)."""
    out: list[tuple[str, str, str | None]] = []
    sections = list(composition.agreement.sections())
    present = {s.clause_id for s in sections}
    context: dict[str, Any] | None = None
    for section in sections:
        floors = library.clauses[section.clause_id].floors
        if not floors:
            continue
        text = " ".join(section.rendered.split())
        for floor in floors:
            if floor.when is not None:
                if context is None:
                    context = base_context(deal, jurisdictions, library.type_of(deal))
                    context["included"] = lambda cid: cid in present
                try:
                    applies = jinja.evaluate(floor.when, context)
                except jinja.FragmentError as exc:
                    out.append((FLOOR, f"clause {section.clause_id}: the condition of floor {floor.id!r} cannot be evaluated: {exc}", section.clause_id))
                    continue
                if not applies:
                    continue
            if not floor.requires.search(text):
                where = f" at the {section.position} position" if section.position else ""
                out.append((FLOOR, f"clause {section.clause_id}{where} breaks floor {floor.id!r}: {floor.rule}", section.clause_id))
    return out


def position_conflicts(library: Library, composition: Any) -> list[tuple[str, str, str | None]]:
    """What a position grants (a clause's ``grants``) that the agreement as a whole takes back."""
    sections = list(composition.agreement.sections())
    granted = [(s, g) for s in sections for g in library.clauses[s.clause_id].grants if g.position == s.position]
    if not granted:
        return []
    text = " ".join(" ".join(s.rendered.split()) for s in sections)
    out: list[tuple[str, str, str | None]] = []
    for section, grant in granted:
        found = grant.forbids.search(text)
        if found:
            out.append((POSITION_CONFLICT, f"clause {section.clause_id} at the {grant.position} position grants {grant.id!r} ({grant.rule}), but the draft takes it back: "
                        f"“{found.group(0)[:120]}”", section.clause_id))
    return out


def terms_of_art(library: Library, jurisdictions: Jurisdictions, deal: Any, composition: Any) -> list[tuple[str, str, str | None]]:
    """Terms of art of another legal system in a draft: the common-law terms (library.yaml
    ``common_law_terms``) under a law of the civil-law family, and the terms a law's profile
    names as foreign to it (``governing_law.foreign_terms``, e.g. English terms under New York law)."""
    law = jurisdictions.profiles.get(deal.get("law.governing_law") or "")
    if law is None:
        return []
    governing = law.data.get("governing_law") or {}
    civil = governing.get("system") == "civil"
    terms = [(t, "a common-law term of art", " (civil law)") for t in library.common_law_terms if civil]
    terms += [(str(t), "a term of art of another legal system", "") for t in governing.get("foreign_terms") or []]
    if not terms:
        return []
    out: list[tuple[str, str, str | None]] = []
    for section in composition.agreement.sections():
        text = " ".join(re.sub(r"\{#[^}]*\}|<<[^>]*>>", " ", section.rendered).split()).casefold()  # words, not anchors
        for term, what, where in terms:
            if term.casefold() in text:
                out.append((TERM_OF_ART, f"clause {section.clause_id} says {term!r}, {what}, under {law.name} law{where}", section.clause_id))
    return out


def run_matrix(library: Library, jurisdictions: Jurisdictions, combos: list[Combination], *, jobs: int = 1) -> list[Outcome]:
    if jobs <= 1 or len(combos) < 2:
        return [run_combination(library, jurisdictions, c) for c in combos]
    size = max(1, len(combos) // (jobs * 4))
    batches = [combos[i: i + size] for i in range(0, len(combos), size)]
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init, initargs=(str(library.directory), str(jurisdictions.directory))) as pool:
        return [o for batch in pool.map(_run, batches) for o in batch]


def summarise(library: Library, outcomes: list[Outcome]) -> list[Finding]:
    """One finding per distinct problem, with how many combinations it affects and an example."""
    grouped: dict[tuple[str, str, str | None], list[Combination]] = {}
    for o in outcomes:
        for fid, message, clause in o.findings:
            grouped.setdefault((fid, message, clause), []).append(o.combination)
    total = len(outcomes)
    out = []
    for (fid, message, clause), combos in sorted(grouped.items(), key=lambda kv: (kv[0][0], kv[0][2] or "", kv[0][1])):
        share = "every combination" if len(combos) == total else f"{len(combos)} of {total} combinations"
        laws = sorted({c.law for c in combos})
        detail = f"; laws: {', '.join(laws)}" if len(laws) < 5 and len(combos) != total else ""
        out.append(make(fid, f"{message} — in {share} (e.g. {combos[0].label()}){detail}", clause=clause))
    rendered = [o for o in outcomes if o.included]
    if rendered:
        seen_clauses = {cid for o in rendered for cid in o.included}
        for cid in sorted(set(library.clauses) - seen_clauses):
            out.append(make(NEVER, f"clause {cid} is left out in all {total} combinations (condition: {library.clauses[cid].when}); it was never rendered", clause=cid))
        assembled = [o.definitions for o in rendered]
        kept = {t for terms in assembled if terms is not None for t in terms}
        for defining in library.clauses.values() if None not in assembled else ():  # a failed assembly might have used any
            if defining.id not in seen_clauses:
                continue
            for d in defining.defines:
                if d.term not in kept:
                    out.append(make(DEFINITION_NEVER, f"the definition of {d.term!r} is never used in any combination", clause=defining.id, subject=d.term))
    return out


def check(library_dir: Path | None = None, jurisdictions_dir: Path | None = None, *, jobs: int | None = None, update_versions: bool = False) -> Report:
    """``update_versions`` records, in versions.lock, the clause versions not recorded yet, when
    the check finds no error (``stats["recorded"]`` lists them; None when errors stopped it)."""
    library_dir = Path(library_dir) if library_dir else resources.library_dir()
    jurisdictions_dir = Path(jurisdictions_dir) if jurisdictions_dir else resources.jurisdictions_dir()
    try:
        library = load_library(library_dir)
        jurisdictions = load_jurisdictions(jurisdictions_dir)
        library.schema.bind_catalogues(jurisdictions.catalogues(), jurisdictions.other_names())
        lock = versions.load(library_dir)
    except ClausewrightError as exc:
        return Report(str(library_dir), [make(LOAD, str(exc))], {})
    findings, stats = static_checks(library, jurisdictions)
    findings += broken_profiles(jurisdictions)
    combos = combinations(library, jurisdictions)
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    if any(f.id == SYNTAX for f in findings):
        stats["matrix"] = "skipped: a fragment does not compile"
        outcomes: list[Outcome] = []
    else:
        outcomes = run_matrix(library, jurisdictions, combos, jobs=jobs)
        findings += summarise(library, outcomes)
        failed = sum(1 for o in outcomes if o.findings)
        n, t = len(jurisdictions.profiles), len(library.types)
        grid = t * n * n * len(POSITIONS)
        stats["matrix"] = (f"{t} agreement type{'s' if t != 1 else ''} ({', '.join(library.types)}) x {n} governing laws x {n} supplier countries x {len(POSITIONS)} positions = {grid} combinations, "
                           f"plus {len(combos) - grid} option variants: {len(outcomes)} assembled, {failed} with problems")
        stats["combinations"] = len(outcomes)
        stats["failed"] = failed
    if update_versions:
        # A version is recorded only for a text that passes: a clause fixed after a failed
        # check keeps the version it was given, instead of needing another bump.
        if any(f.severity == "error" for f in findings):
            stats["recorded"] = None
        else:
            try:
                stats["recorded"] = versions.record(library, lock)
            except ClausewrightError as exc:
                findings.append(make(LOAD, str(exc)))
    findings += library_versions.check(library, lock)
    return Report(f"{library.id} {library.version} ({library_dir})", sort(findings), stats)


def format_text(report: Report) -> str:
    from clausewright.findings import format_text as fmt

    lines = [f"Library {report.library}"]
    s = report.stats
    if "recorded" in s and s["recorded"] is None:
        lines.append("  versions.lock: nothing recorded, since the check found errors; fix them and run it again")
    elif "recorded" in s:
        lines.append(f"  versions.lock: recorded {len(s['recorded'])} clause version(s)" + (f": {', '.join(s['recorded'])}" if s["recorded"] else ""))
    if "clauses" in s:
        lines.append(f"  fragments: {s['clauses']} clauses, {s['sources']} fragments and expressions compiled")
        lines.append(f"  parameters: {s['parameters']} declared (list fields included), {s['unused']} unused")
        lines.append(f"  profiles: {s['profiles']}")
    if "matrix" in s:
        lines.append(f"  matrix: {s['matrix']}")
    lines.append(fmt(report.findings))
    lines.append("Library check passed." if report.ok else "Library check FAILED.")
    return "\n".join(lines)


def to_json(report: Report) -> str:
    return json.dumps({"library": report.library, "ok": report.ok, "stats": report.stats, "counts": counts(report.findings),
                       "findings": [f.to_dict() for f in report.findings]}, indent=2, ensure_ascii=False, default=str)
