"""``library check`` rules on how a library is drafted and declared (docs/qa.md):

- a defined term written as plain text ("the Buyer" without ``[[ ]]``), found by the same check
  ``generate`` runs on each draft (``drafting.unmarked_terms``), in every combination;
- a clause's ``uses:`` list against the parameters it really reads (its body, conditions and
  definitions, walked by ``reads.py``; reading a profile or catalogue entry reads the parameter
  that selects it, e.g. ``law.*`` reads ``law.governing_law``);
- a parameter that varies by supplier (under ``supplier.``, or its default is read from the
  supplier's profile) that is not a column of the bulk spreadsheet (``bulk: row``);
- a straight quote or apostrophe in a clause's prose (its body and definitions, outside Jinja
  code and the ``""Term""`` markup) or in the wording printed outside the clauses
  (``library.yaml``): the library's text uses curly ones, so a draft never sets
  one beside the other; what the user types is printed as typed;
- a period of time written in words in a clause's prose ("ten (10) Business Days", "three months",
  ``{{ days | words }} ({{ days }})``): the library writes digits ("10 Business Days"), so a draft
  never sets one style beside the other.
"""

from __future__ import annotations

import re
from typing import Any

from clausewright import jinja
from clausewright.findings import Finding, kind, make
from clausewright.inputs.library import Clause
from clausewright.inputs.schema import Schema
from clausewright.qa import drafting
from clausewright.reads import Read, expression_reads, template_reads
from clausewright.roles import BY_NAME

UNMARKED = kind("library-term-not-marked-up", "warning", "a defined term is written as plain text, without [[ ]] markup, in some combination", "library")
USES_UNREAD = kind("library-uses-unread", "warning", "a clause's uses: list names a parameter the clause never reads", "library")
USES_INCOMPLETE = kind("library-uses-incomplete", "warning", "a clause reads a parameter that its uses: list does not name", "library")
OVERALL_UNSAID = kind("library-overall-unsaid", "warning", "a clause's wording follows the overall position without a topic of its own, but it does not say (overall:) what it does at each position, so the memo cannot tell the lawyer", "library")
STRAIGHT_QUOTE = kind("library-straight-quote", "warning", "a clause's prose or the library's wording has a straight quote or apostrophe (' or \"); the library's text uses curly ones (’ “ ”)", "library")
NUMBER_IN_WORDS = kind("library-number-in-words", "warning", "a clause's prose writes a period of time in words, or in words and digits (“ten (10) Business Days”, “three months”); the library writes digits (“10 Business Days”)", "library")
SUPPLIER_SHARED = kind("library-supplier-parameter-shared", "warning", "a parameter about the supplier lacks bulk: row, so it is not a column of the bulk spreadsheet", "library")


# --- defined terms written as plain text ----------------------------------------------------------


def unmarked_terms(composition: Any, deal: Any, jurisdictions: Any) -> list[tuple[str, str, str | None]]:
    """``generate``'s check for unmarked defined terms, worded for the library's maintainer."""
    found = drafting.unmarked_terms(composition.agreement, drafting.literal_texts(deal, jurisdictions))
    return [(UNMARKED, f"clause {f.clause} writes “{f.subject}” as plain text; write [[{f.subject}]] so it reads as the defined term", f.clause) for f in found]


# --- uses: ------------------------------------------------------------------------------------------


def clause_reads(clause: Clause) -> list[Read]:
    """Everything a clause reads: body, conditions, definitions and floors. A source that does not
    compile reads nothing here (``library check`` reports its syntax error)."""
    sources: list[tuple[Any, str]] = [(template_reads, clause.body)]
    sources += [(template_reads, d.text) for d in clause.defines]
    expressions = [clause.when, clause.position_when, *(d.when for d in clause.defines), *(f.when for f in clause.floors)]
    sources += [(expression_reads, e) for e in expressions if e]
    reads: list[Read] = []
    for walk, source in sources:
        try:
            reads += walk(source)
        except jinja.FragmentError:
            continue
    return reads


def parameters_read(reads: list[Read], schema: Schema) -> set[str]:
    """The declared parameters that ``reads`` read. A whole section (``deal.buyer``) names no one
    parameter; ``position`` (the clause's own topic) is not counted."""
    out = set()
    for r in reads:
        if r.root == "deal":
            param, _ = schema.parameter_at(r.path)
            if param is not None:
                out.add(param.id)
        elif r.root in BY_NAME and BY_NAME[r.root].parameter in schema:
            out.add(BY_NAME[r.root].parameter)
    return out


def _names(entry: str, pid: str) -> bool:
    """Whether a ``uses:`` entry covers a parameter: the parameter itself, or a section or list it
    belongs to (``products`` covers ``products``; ``buyer`` covers ``buyer.name``)."""
    return pid == entry or pid.startswith(entry + ".")


def uses_findings(clause: Clause, schema: Schema) -> list[Finding]:
    read = parameters_read(clause_reads(clause), schema)
    declared = [u for u in clause.uses if u in schema or any(p.startswith(u + ".") for p in schema.ids())]  # the rest: library-uses-undeclared
    if not clause.uses:
        if not read:
            return []
        return [make(USES_INCOMPLETE, f"clause {clause.id} has no 'uses' list; it reads {', '.join(sorted(read))}", clause=clause.id,
                     source=str(clause.path), subject=clause.id)]
    out = []
    for entry in declared:
        if not any(_names(entry, pid) for pid in read):
            out.append(make(USES_UNREAD, f"'uses' names {entry}, which clause {clause.id} never reads; take it off the list", clause=clause.id,
                            source=str(clause.path), subject=entry))
    for pid in sorted(read):
        if not any(_names(entry, pid) for entry in clause.uses):
            out.append(make(USES_INCOMPLETE, f"clause {clause.id} reads {pid}, which its 'uses' list does not name; add it", clause=clause.id,
                            source=str(clause.path), subject=pid))
    return out


def overall_findings(clause: Clause, schema: Schema) -> list[Finding]:
    """A clause whose wording reads ``positions.overall`` and no topic of its own (no ``position``,
    no other ``positions.<topic>``) must say in ``overall:`` what it does at each position: the
    memo lists it among the choices made, so a lawyer who sets the overall position sees every
    clause it moves."""
    read = parameters_read(clause_reads(clause), schema)
    if "positions.overall" not in read or clause.position or clause.overall:
        return []
    if any(pid.startswith("positions.") and pid != "positions.overall" for pid in read):
        return []  # it follows a topic whose own clause describes the positions
    return [make(OVERALL_UNSAID, f"clause {clause.id} changes with positions.overall but has no 'overall:' notes saying what it does at "
                 "buyer, balanced and supplier; add them (docs/library-format.md §5)", clause=clause.id, source=str(clause.path), subject=clause.id)]


# --- bulk: row ------------------------------------------------------------------------------------


def bulk_findings(schema: Schema) -> list[Finding]:
    """Parameters about the supplier that the bulk spreadsheet would leave out: those under
    ``supplier.``. A parameter whose default is read from the supplier's profile (the currency, the
    governing law and forum) is not flagged: it already follows each row's supplier, and a firm may
    fix it for a whole run in ``--defaults`` (the run notes that it did). Nor is a question asked
    only for some suppliers (``when: deal.supplier.country == 'china'``): its answer is usually the
    firm's policy for every such supplier, given once in ``--defaults``."""
    out = []
    for p in schema.parameters:
        if p.bulk == "row":
            continue
        if not p.id.startswith("supplier."):
            continue
        out.append(make(SUPPLIER_SHARED, f"{p.id} varies by supplier (a supplier detail) but is not a column of the bulk spreadsheet; add 'bulk: row'", source=p.source, subject=p.id))
    return out


# --- straight quotes in prose ---------------------------------------------------------------------

_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{##.*?##\}|\"\"", re.S)  # Jinja code and comments, and the ""Term"" markup
_STRAIGHT = re.compile(r"['\"]")
_CURLY = {"'": "’ (or ‘ ’ around a quotation)", '"': "“ ”"}


def straight_quotes_in_wording(wording: dict[str, str], source: str) -> list[Finding]:
    """Each text of the library's ``wording`` (cover, header, signature blocks) with a straight
    quote or apostrophe."""
    out = []
    for key, text in wording.items():
        found = sorted(set(_STRAIGHT.findall(text)))
        if found:
            use = "; ".join(f"{c} -> {_CURLY[c]}" for c in found)
            out.append(make(STRAIGHT_QUOTE, f"wording.{key}: straight {' and '.join(found)} in {text[:80]!r}; use {use}", source=source, subject=f"wording.{key}"))
    return out


def straight_quotes(clause: Clause) -> list[Finding]:
    """Each line of a clause's prose (body and definitions) with a straight quote or apostrophe,
    naming the line and the character to use."""
    texts = [(clause.body, f"line {{}} of clause {clause.id}", clause.body_line)]
    texts += [(d.text, f"line {{}} of the definition of {d.term!r} in clause {clause.id}", 1) for d in clause.defines]
    out = []
    for text, where, first in texts:
        prose = _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)  # code blanked out, lines kept
        for number, (line, original) in enumerate(zip(prose.splitlines(), text.splitlines(), strict=True), start=first):
            found = sorted(set(_STRAIGHT.findall(line)))
            if found:
                use = "; ".join(f"{c} -> {_CURLY[c]}" for c in found)
                out.append(make(STRAIGHT_QUOTE, f"{where.format(number)}: straight {' and '.join(found)} in {original.strip()[:80]!r}; use {use}",
                                clause=clause.id, source=str(clause.path), subject=where.format(number)))
    return out


# --- periods of time written in words -------------------------------------------------------------

_NUMBER_WORDS = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
                 r"|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred")
_UNITS = r"\[\[Business Day|Business Days?|days?|weeks?|months?|years?|hours?|minutes?"
# a number word (or "twenty-one") before a unit of time, or before its own digits: "three months", "ten (10)"
_IN_WORDS = re.compile(rf"\b(?:{_NUMBER_WORDS})(?:-(?:{_NUMBER_WORDS}))?(?:\s+\(\d+\))?\s+(?:{_UNITS})\b|\b(?:{_NUMBER_WORDS})(?:-(?:{_NUMBER_WORDS}))?\s+\(\d+\)", re.I)
_WORDS_FILTER = re.compile(r"\|\s*words\b")  # a number from the deal printed in words


def numbers_in_words(clause: Clause) -> list[Finding]:
    """Each place in a clause's prose (body and definitions) that writes a period of time in
    words, or prints a deal's number in words (the ``words`` filter), naming the line."""
    texts = [(clause.body, f"line {{}} of clause {clause.id}", clause.body_line)]
    texts += [(d.text, f"line {{}} of the definition of {d.term!r} in clause {clause.id}", 1) for d in clause.defines]
    out = []
    for text, where, first in texts:
        prose = _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)  # code blanked out, lines kept
        found = [(m.start(), " ".join(m.group().split())) for m in _IN_WORDS.finditer(prose)]
        found += [(m.start(), "{{ … | words }}") for m in _WORDS_FILTER.finditer(text)]
        for start, words in sorted(found):
            line = where.format(first + text.count("\n", 0, start))
            out.append(make(NUMBER_IN_WORDS, f"{line}: “{words}” writes a number in words; the library writes digits (“10 Business Days”, “3 months”)",
                            clause=clause.id, source=str(clause.path), subject=line))
    return out
