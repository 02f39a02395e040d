"""A type's own names for the defined terms and cross-references of shared clauses (``terms:`` and
``references:`` in ``types/*.yaml``).

A clause every type uses is written once with the default type's terms (``[[Buyer]]``) and
references (``<<price-payment.currency>>``); an agreement type may call a term otherwise
(``terms: {Buyer: Customer}``) and point a reference at its own clause (``references:
{price-payment.currency: services-fees.currency}``), and its documents then define and use
``Customer`` wherever a shared clause says ``Buyer``, and refer to its own clause. The rename
applies to the markup a clause renders to (a term used, ``[[Buyer]]`` or ``[[Buyer|Buyer’s]]``, a
term defined in place, ``""Buyer""``, and a reference), never to the values a deal supplies. A
term renamed keeps reading well: its plural takes the plural the type gives (``[[Order|Orders]]``
reads Statements of Work), and an "a" or "an" before it follows the new name (an Order, a
Statement of Work).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from clausewright import formatting
from clausewright.inputs.agreement_types import AgreementType
from clausewright.inputs.jurisdictions import for_type

_USE = r"(?:\b(?P<article>[Aa]n?) )?\[\[(?P<term>{names})(?P<tail>\|[^\]]*)?\]\]"
_DEFINE = r'""(?P<define>{names})""'
_REFERENCE = re.compile(r"(?<!\\)<<(?P<target>[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)?)>>")


def rename(text: str, names: Mapping[str, str], plurals: Mapping[str, str] | None = None) -> str:
    """``text`` with each term of ``names`` used and defined under its new name (a display form
    that starts with the old name, such as ``Buyer’s``, starts with the new one; the old plural
    becomes the plural ``plurals`` gives)."""
    if not names:
        return text
    plurals = plurals or {}
    pattern = _pattern(tuple(sorted(names, key=len, reverse=True)))

    def replace(match: re.Match[str]) -> str:
        if match.group("define"):
            return f'""{names[match.group("define")]}""'
        old, tail = match.group("term"), match.group("tail") or ""
        new = names[old]
        display = tail[1:] if tail else old
        if display in plurals:
            display = plurals[display]
        elif display.startswith(old):
            display = new + display[len(old):]
        shown = f"[[{new}|{display}]]" if tail else f"[[{new}]]"
        article = match.group("article")
        if not article:
            return shown
        spoken = formatting.with_article(display).split(" ", 1)[0]
        return (spoken.capitalize() if article[0].isupper() else spoken) + " " + shown

    return pattern.sub(replace, text)


def in_words(text: str, names: Mapping[str, str], plurals: Mapping[str, str] | None = None) -> str:
    """Plain ``text`` (a label, not markup) with each whole word or phrase that names a renamed
    term, or its plural, in the type's name ("Buyer's name" reads "Customer's name"); words that
    open the text start with a capital ("Initial Term (years)" can read "Initial period (years)")."""
    words = {**(plurals or {}), **names}
    if not words:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b")

    def replace(match: re.Match[str]) -> str:
        new = words[match.group(1)]
        return new[:1].upper() + new[1:] if match.start() == 0 else new

    return pattern.sub(replace, text)


def party_words(text: str, parties: Mapping[str, str]) -> str:
    """Prose written in the default type's words (a rule check's message, a counsel note) with
    each party ``parties`` renames in the type's name, capitalised or not as written ("the
    buyer’s main protection" reads "the customer’s main protection"); a parameter id
    (``buyer.country``, ``buyer_country``) stays as it is."""
    if not parties:
        return text
    cased = {**{old.lower(): new.lower() for old, new in parties.items()}, **parties}
    words = {**cased, **{old + "s": new + "s" for old, new in cased.items()}}
    return _party_pattern(tuple(words)).sub(lambda m: words[m.group(1)], text)


def profile_words(text: object, kind: AgreementType, spelling: Mapping[str, str] | None = None) -> str:
    """A profile's text (a counsel note, a formality) as a draft of type ``kind`` reads it: its
    text for that type (a profile may say per type what differs) in that type's party names,
    and in the draft's ``spelling`` (formatting.respelt_prose)."""
    return formatting.respelt_prose(party_words(for_type(text, kind.id), kind.renamed_parties), spelling or {})


@lru_cache(maxsize=16)
def _party_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w.])(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?!\w|\.\w)")


def renamed(term: str, names: Mapping[str, str]) -> str:
    """The name a term defined in a shared clause's ``defines:`` takes in this type."""
    return names.get(term, term)


def repoint(text: str, references: Mapping[str, str]) -> str:
    """``text`` with each cross-reference whose target ``references`` names pointing at the
    type's own clause (``<<price-payment.currency>>`` to ``<<services-fees.currency>>``)."""
    if not references:
        return text
    return _REFERENCE.sub(lambda m: f"<<{references.get(m.group('target'), m.group('target'))}>>", text)


@lru_cache(maxsize=64)
def _pattern(olds: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(re.escape(o) for o in olds)
    return re.compile(_USE.format(names=names) + "|" + _DEFINE.format(names=names))
