"""Drafting QA of an assembled agreement, before anything is written.

The assembly engine itself reports what it meets while resolving terms and references (its
kinds are declared in ``assembly/kinds.py``). This module adds the checks that read the finished
text: defined terms written without their markup, unfilled placeholders, amounts in another currency, party names
that differ from the deal, and answers that were given but do not apply.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from babel.numbers import get_currency_name, list_currencies

from clausewright.assembly.model import (
    Agreement,
    Paragraph,
    Placeholder,
    Section,
    TermDef,
    Text,
    plain_text_of,
)
from clausewright.findings import Finding, kind, make
from clausewright.inputs.agreement_types import TYPE_PARAMETER, AgreementType
from clausewright.roles import PROFILE_ROLES

TERM_NOT_MARKED = kind("term-not-marked-up", "warning", "a defined term appears as plain capitalised text, without [[ ]] markup", "drafting")
PLACEHOLDER = kind("placeholder-unfilled", "warning", "the draft still holds a [? ... ?] placeholder for the lawyer to complete", "drafting")
PLACEHOLDER_FINAL = kind("placeholder-in-final", "error", "a placeholder remains in a document marked as final (agreement.draft is false)", "drafting")
CURRENCY = kind("currency-mismatch", "warning", "an amount or currency name differs from the deal currency (commercial.currency)", "drafting")
PARTY_NAME = kind("party-name-inconsistent", "warning", "a party's name is written differently from the deal, or is missing from the parties block", "drafting")
PARTY_SAME = kind("party-names-identical", "warning", "the buyer and the supplier have the same name", "drafting")
SIGNATORY = kind("signatory-inconsistent", "warning", "a signatory's title or capacity contradicts the party's other data (notices, authority)", "deal")
ANSWER_IGNORED = kind("answer-ignored", "info", "the deal answers a question whose condition is false, so the answer is not used", "deal")
ANSWER_NOT_ASKED = kind("answer-not-asked", "info", "the deal answers a question its type of agreement does not ask, so the answer is not used", "deal")


def check(agreement: Agreement, deal: Any, jurisdictions: Any = None, agreement_type: AgreementType | None = None) -> list[Finding]:
    """Every drafting check that reads the assembled text. Text that comes from the deal or from
    the profiles and catalogues in play (a statute's name, a seat) is data, not drafting: a piece
    of text the parser marked as a literal value and that is such data is left alone by the term,
    currency and party-name checks (a computed value, such as a formatted amount, is checked).
    Messages name the parties as an agreement of type ``agreement_type`` does (the customer)."""
    said = agreement_type.party if agreement_type is not None else str
    data = literal_texts(deal, jurisdictions)
    out: list[Finding] = []
    out += unmarked_terms(agreement, data)
    out += placeholders(agreement, final=deal.get("agreement.draft", True) is False)
    texts = [(section, drafting_text(p, data)) for section, p in paragraphs(agreement)]
    out += currencies(texts, deal.get("commercial.currency"))
    out += party_names(agreement, deal, texts, said)
    out += signatories(deal, said)
    out += [make(ANSWER_IGNORED, f"{pid} is given but does not apply to this deal (its condition is false)", subject=pid) for pid in deal.ignored]
    kind = deal.get(TYPE_PARAMETER)
    out += [make(ANSWER_NOT_ASKED, f"{pid} is given but an agreement of type {kind} does not ask it", subject=pid) for pid in deal.not_asked]
    return out


def signatories(deal: Any, said: Callable[[str], str] = str) -> list[Finding]:
    """A signatory called "Legal Representative" who signs in another capacity, or whose title
    differs from the title the notices give the same person (``said``: how a message names a party)."""
    out = []
    for role in ("buyer", "supplier"):
        name = str(deal.get(f"{role}.signatory.name") or "").strip()
        title = str(deal.get(f"{role}.signatory.title") or "").strip()
        authority = deal.get(f"{role}.signatory.authority")
        if "legal representative" in title.casefold() and authority and authority != "legal_representative":
            out.append(make(SIGNATORY, f"the {said(role)}'s signatory is titled {title!r} but signs as {authority.replace('_', ' ')}; a title states a position, "
                            f"the capacity is {role}.signatory.authority", subject=f"{role}.signatory.title"))
        attention = str(deal.get(f"{role}.notices.attention") or "")
        if name and title and name.casefold() in attention.casefold():
            rest = attention[attention.casefold().index(name.casefold()) + len(name):].strip(" ,;-–()")
            if rest and rest.casefold() != title.casefold() and title.casefold() not in rest.casefold() and rest.casefold() not in title.casefold():
                out.append(make(SIGNATORY, f"{name} signs for the {said(role)} as {title!r}, but the notices call the same person {rest!r}; use one title",
                                subject=f"{role}.signatory.title"))
    return out


# --- walking the text ---------------------------------------------------------------------------


def paragraphs(agreement: Agreement) -> Iterator[tuple[Section, Paragraph]]:
    for section in agreement.sections():
        for p in section.paragraphs:
            yield section, p


def plain_text(paragraph: Paragraph) -> str:
    """What a reader sees in a paragraph (cells joined by ' | ')."""
    if paragraph.rows:
        return "\n".join(" | ".join(plain_text_of(cell) for cell in row) for row in paragraph.rows)
    return plain_text_of(paragraph.inlines)


def drafting_text(paragraph: Paragraph, data: set[str]) -> str:
    """``plain_text`` with the values from the deal or a profile (``data``) blanked out: what the
    drafting checks judge."""

    def one(items) -> str:
        out = []
        for i in items:
            if type(i) is Text:
                out.append(" \u2022 " if i.literal and i.text in data else i.text)
            else:
                out.append(plain_text_of((i,)))
        return "".join(out)

    if paragraph.rows:
        return "\n".join(" | ".join(one(cell) for cell in row) for row in paragraph.rows)
    return one(paragraph.inlines)


def section_text(section: Section) -> str:
    return "\n".join(plain_text(p) for p in section.paragraphs)


def literal_texts(deal: Any, jurisdictions: Any = None) -> set[str]:
    """The texts of the deal and of the profiles and catalogue entries in play: data, which the
    drafting checks leave alone where the parser marked them as literal values."""
    data = set(_deal_texts(deal))
    if jurisdictions is not None:
        data |= set(_profile_texts(deal, jurisdictions))
    return data


def _deal_texts(deal: Any) -> list[str]:
    """Text the user typed: never judged as drafting (it is printed exactly as given)."""
    out: list[str] = []

    def add(value: Any) -> None:
        if isinstance(value, str) and len(value.strip()) >= 2:
            out.append(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    for v in item.values():
                        add(v)
                else:
                    add(item)

    for value in deal.flat.values():
        add(value)
    return sorted(set(out), key=len, reverse=True)


def _profile_texts(deal: Any, jurisdictions: Any) -> list[str]:
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            if len(node.strip()) >= 4:
                out.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for pid in {deal.get(role.parameter) for role in PROFILE_ROLES}:
        if pid in jurisdictions.profiles:
            walk({k: v for k, v in jurisdictions.profiles[pid].data.items() if k != "notes"})
    for key, catalogue in (("disputes.institution", jurisdictions.institutions), ("disputes.seat", jurisdictions.seats)):
        if deal.get(key) in catalogue:
            walk(catalogue[deal.get(key)])
    return out


# --- defined terms written as plain text --------------------------------------------------------


def _forms(term: str) -> list[str]:
    forms = [term, term + "s", term + "es", term + "'s", term + "’s"]
    if term.endswith("y"):
        forms.append(term[:-1] + "ies")
    return forms


# Capitalised words that start a sentence or a heading rather than a longer proper name.
_LEADING_WORDS = {
    "A", "All", "An", "Any", "As", "At", "Both", "By", "Each", "Either", "Every", "For", "From", "If", "In", "Its", "Neither",
    "No", "Nothing", "Of", "On", "Once", "Other", "Such", "That", "The", "Their", "This", "To", "Unless", "Until", "Upon",
    "When", "Where", "Whether", "While", "With", "Without",
}


def unmarked_terms(agreement: Agreement, data: set[str]) -> list[Finding]:
    terms = {d.term for d in agreement.definitions}
    for _, p in paragraphs(agreement):
        terms |= {i.term for i in p.all_inlines() if isinstance(i, TermDef)}
    if not terms:
        return []
    finder = _term_finder(tuple(sorted(terms)))
    hits: dict[tuple[str, str], int] = {}
    for section, p in paragraphs(agreement):
        if p.kind in ("heading", "title"):
            continue
        # a table's first row holds column labels, which are headings rather than drafting
        cells = [i for row in p.rows[1:] for cell in row for i in cell] if p.rows else p.inlines
        for item in cells:
            if type(item) is not Text or item.bold or (item.literal and item.text in data):
                continue
            for term in finder.find(item.text):
                hits[(section.clause_id, term)] = hits.get((section.clause_id, term), 0) + 1
    return [
        make(TERM_NOT_MARKED, f"“{term}” appears {n} time{'s' if n != 1 else ''} as plain text; write [[{term}]] so it reads as the defined term", clause=cid, subject=term)
        for (cid, term), n in sorted(hits.items())
    ]


class _TermFinder:
    """Finds the defined terms written without markup in a text. The same texts recur in every
    agreement a library produces, so each answer is remembered (for this set of terms)."""

    MAX_REMEMBERED = 4096

    def __init__(self, terms: tuple[str, ...]):
        self.pattern = re.compile(
            r"(?<![\w“\"'‘])(" + "|".join(re.escape(f) for t in sorted(terms, key=len, reverse=True) for f in _forms(t)) + r")(?![\w”\"’])"
        )
        self.base = {f: t for t in terms for f in _forms(t)}
        self.found: dict[str, tuple[str, ...]] = {}

    def find(self, text: str) -> tuple[str, ...]:
        found = self.found.get(text)
        if found is None:
            if len(self.found) >= self.MAX_REMEMBERED:
                self.found.clear()
            found = self.found[text] = self._search(text)
        return found

    def _search(self, text: str) -> tuple[str, ...]:
        found = []
        for m in self.pattern.finditer(text):
            before = text[: m.start()]
            after = text[m.end():]
            # "Third Party", "Product Liability": part of a longer capitalised phrase
            prev = re.search(r"([A-Z][\w-]*)\s$", before)
            nxt = re.match(r"\s([A-Z][\w-]*)", after)
            if prev and prev.group(1) not in _LEADING_WORDS and f"{prev.group(1)} {m.group(1)}" not in self.base:
                continue
            if nxt and f"{m.group(1)} {nxt.group(1)}" not in self.base:
                continue
            found.append(self.base[m.group(1)])
        return tuple(found)


@lru_cache(maxsize=16)
def _term_finder(terms: tuple[str, ...]) -> _TermFinder:
    return _TermFinder(terms)


# --- placeholders ----------------------------------------------------------------------------------


def placeholders(agreement: Agreement, *, final: bool = False) -> list[Finding]:
    found: dict[str, list[str]] = {}
    for section, p in paragraphs(agreement):
        if section.form:  # a form's blanks are completed when the form is used, not before signature
            continue
        for item in p.all_inlines():
            if isinstance(item, Placeholder):
                found.setdefault(section.clause_id, []).append(item.text)
    for d in agreement.definitions:
        for item in d.inlines:
            if isinstance(item, Placeholder):
                found.setdefault(d.clause_id, []).append(item.text)
    out = []
    for cid, items in found.items():
        shown = "; ".join(f"[{t}]" for t in items[:5]) + (f" and {len(items) - 5} more" if len(items) > 5 else "")
        n = len(items)
        if final:
            out.append(make(PLACEHOLDER_FINAL, f"{n} placeholder{'s' if n != 1 else ''} left in a document marked final: {shown}", clause=cid))
        else:
            out.append(make(PLACEHOLDER, f"{n} placeholder{'s' if n != 1 else ''} to complete before signature: {shown}", clause=cid))
    return out


# --- currency ----------------------------------------------------------------------------------------

_SYMBOLS = {"€": {"EUR"}, "£": {"GBP"}, "₫": {"VND"}, "₹": {"INR"}, "₩": {"KRW"}, "฿": {"THB"}, "¥": {"JPY", "CNY"},
            "$": {"USD", "SGD", "HKD", "MXN", "AUD", "CAD", "NZD", "TWD"}}


@lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    return frozenset(list_currencies())


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """English currency names (singular and plural) -> ISO code, for names of 5+ characters."""
    out: dict[str, str] = {}
    for code in sorted(_codes()):
        for count in (1, 2):
            try:
                name = get_currency_name(code, count=count, locale="en")
            except Exception:  # pragma: no cover - Babel data gaps
                continue
            if name and name != code and len(name) >= 5:
                out.setdefault(name, code)
    return out


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _names_by_first_word() -> dict[str, list[str]]:
    """Currency names indexed by their first word, longest first (one look-up per word of text,
    rather than a regular expression of several hundred alternatives)."""
    index: dict[str, list[str]] = {}
    for name in _names():
        first = _WORD.match(name)
        if first:
            index.setdefault(first.group(), []).append(name)
    for names in index.values():
        names.sort(key=len, reverse=True)
    return index


@lru_cache(maxsize=2048)
def _currency_names_in(text: str) -> tuple[str, ...]:
    """Each currency name in ``text`` that stands as whole words (remembered per text)."""
    index = _names_by_first_word()
    found = []
    for m in _WORD.finditer(text):
        for name in index.get(m.group(), ()):
            end = m.start() + len(name)
            if text.startswith(name, m.start()) and not (end < len(text) and (text[end].isalnum() or text[end] == "_")):
                found.append(name)
                break
    return tuple(found)


_CODE_AMOUNT = re.compile(r"(?<![A-Za-z])([A-Z]{3})\s?(?=\d)")
_SYMBOL_AMOUNT = re.compile(r"([€£₫₹₩฿¥$])\s?(?=\d)")


@lru_cache(maxsize=4096)
def _amounts_in(text: str) -> tuple[tuple[str, str], ...]:
    """(ISO code, how it is written) for each amount written with a currency code (per text)."""
    return tuple(
        (m.group(1), text[m.start(): m.start() + 24].split("\n")[0].strip()) for m in _CODE_AMOUNT.finditer(text) if m.group(1) in _codes()
    )


@lru_cache(maxsize=4096)
def _symbol_amounts_in(text: str) -> tuple[tuple[str, str], ...]:
    """(symbol, how it is written) for each amount written with a currency symbol (per text)."""
    return tuple((m.group(1), text[m.start(): m.start() + 16].split("\n")[0].strip()) for m in _SYMBOL_AMOUNT.finditer(text))


def currencies(texts: list[tuple[Section, str]], currency: str | None) -> list[Finding]:
    """``texts``: each paragraph's section and its ``drafting_text``."""
    if not currency:
        return []
    own_names = {n for n, c in _names().items() if c == currency}
    hits: dict[tuple[str, str], list[str]] = {}
    for section, text in texts:
        for code, sample in _amounts_in(text):
            if code != currency:
                hits.setdefault((section.clause_id, code), []).append(sample)
        for symbol, sample in _symbol_amounts_in(text):
            if currency not in _SYMBOLS[symbol]:
                hits.setdefault((section.clause_id, symbol), []).append(sample)
        for name in _currency_names_in(text):
            code = _names()[name]
            if code != currency and not any(name in own for own in own_names):
                hits.setdefault((section.clause_id, code), []).append(name)
    return [
        make(CURRENCY, f"mentions {other} ({', '.join(dict.fromkeys(samples))}) but the deal currency (commercial.currency) is {currency}", clause=cid, subject=other)
        for (cid, other), samples in sorted(hits.items())
    ]


# --- party names ---------------------------------------------------------------------------------------

_SUFFIX = re.compile(
    r"[\s,]*\b(?:co\.?,?\s*ltd\.?|company\s+limited|limited|ltd\.?|llc|l\.l\.c\.|inc\.?|incorporated|corp\.?|corporation|gmbh"
    r"|ag|s\.a\.(?:\s*de\s*c\.v\.)?|sa\s+de\s+cv|pte\.?\s*ltd\.?|pvt\.?\s*ltd\.?|private\s+limited|jsc|joint\s+stock\s+company|plc"
    r"|k\.k\.|kk|b\.v\.|bv|n\.v\.|s\.r\.l\.|sas|sdn\.?\s*bhd\.?|llp|lp|co\.)\s*$",
    re.I,
)


def name_stem(name: str) -> str:
    """The distinctive part of a company name: without its legal-form suffix(es)."""
    stem = name.strip()
    while True:
        shorter = _SUFFIX.sub("", stem).strip(" ,")
        if shorter == stem or len(shorter) < 3:
            return stem
        stem = shorter


# Characters outside ASCII that a case-insensitive regular expression matches to an ASCII letter
# (dotless i, dotted capital I, long s; the Kelvin sign lower-cases to k by itself).
_TO_ASCII = str.maketrans({"\u0131": "i", "\u0130": "i", "\u017f": "s"})


def folded_for_search(text: str) -> str:
    if "\u0131" in text or "\u0130" in text or "\u017f" in text:  # rare: translating every text costs more than looking
        return text.translate(_TO_ASCII).lower()
    return text.lower()


def may_hold(text_folded: str, stem: str) -> bool:
    """False only when a case-insensitive search for ``stem`` cannot match the text whose
    ``folded_for_search`` form is given: a plain substring search is many times faster than a
    case-insensitive regular expression. A stem beyond ASCII is always searched for."""
    return not stem.isascii() or stem.lower() in text_folded


def party_names(agreement: Agreement, deal: Any, texts: list[tuple[Section, str]], said: Callable[[str], str] = str) -> list[Finding]:
    out: list[Finding] = []
    names = {role: deal.get(f"{role}.name") for role in ("buyer", "supplier")}
    names = {r: n for r, n in names.items() if isinstance(n, str) and n.strip()}
    if len(names) == 2 and names["buyer"].strip().casefold() == names["supplier"].strip().casefold():
        out.append(make(PARTY_SAME, f"the {said('buyer')} and the {said('supplier')} are both named {names['buyer']!r}; check buyer.name and supplier.name", subject="buyer.name"))
    party_blocks = [s for s in agreement.front if s.style == "parties"]
    block_text = "\n".join(section_text(s) for s in party_blocks)
    folded: list[tuple[Section, str, str]] | None = None
    for role, name in names.items():
        if party_blocks and name not in block_text:
            out.append(make(PARTY_NAME, f"the {said(role)}'s name {name!r} (from {role}.name) does not appear in the parties block", clause=party_blocks[0].clause_id, subject=f"{role}.name"))
        stem = name_stem(name)
        if stem == name:
            continue
        if folded is None:
            folded = [(section, text, folded_for_search(text)) for section, text in texts]
        pattern = re.compile(r"(?<!\w)" + re.escape(stem) + r"(?!\w)", re.I)
        variants: dict[str, set[str]] = {}
        for section, text, text_folded in folded:
            if not may_hold(text_folded, stem):
                continue
            for m in pattern.finditer(text):
                if text.startswith(name, m.start()):
                    continue
                tail = re.match(r"[\w.,&' -]{0,20}", text[m.end():])  # always matches (possibly nothing)
                shown = (m.group(0) + (tail.group(0) if tail else "")).strip(" ,")
                variants.setdefault(section.clause_id, set()).add(shown)
        for cid, forms in sorted(variants.items()):
            out.append(
                make(PARTY_NAME, f"the {said(role)} is written as {', '.join(repr(s) for s in sorted(forms))}, but {role}.name is {name!r}", clause=cid, subject=f"{role}.name")
            )
    return out

