"""The library's own words in the spelling of the draft's locale (``spelling.yaml``: the library is
written in British English; an ``en_US`` draft prints "license", "amortized", "trademark").

Only the library's text is respelled: the text of its paragraphs, the names of its defined terms
and the titles of its articles. A piece of text the markup marked as a value from the deal or a
profile (``Text.literal``: a party's name, an address, a statute) is printed exactly as given.
It runs on the assembled agreement, after its terms and references are resolved, so every
defined term is respelled the same way wherever it is used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from clausewright.assembly.model import Agreement, TermDef, TermUse, Text


def respell(agreement: Agreement, words: Mapping[str, str]) -> None:
    """Respell the library's text of ``agreement`` in place with ``words`` ({british: other})."""
    if not words:
        return
    change = _changer(tuple(sorted(words.items())))
    for section in agreement.sections():
        section.title = change(section.title)
        for p in section.paragraphs:
            _inlines(p.inlines, change)
            for row in p.rows:
                for cell in row:
                    _inlines(cell, change)
    for d in agreement.definitions:
        d.term = change(d.term)
        _inlines(d.inlines, change)


def respell_text(text: str, words: Mapping[str, str]) -> str:
    """One text of the library's own wording (a key term's value) in the locale's spelling."""
    return _changer(tuple(sorted(words.items())))(text) if words and text else text


def _inlines(items: list, change) -> None:
    for n, item in enumerate(items):
        kind = type(item)
        if kind is Text and not item.literal:
            new = change(item.text)
            if new != item.text:
                items[n] = Text(new, bold=item.bold, literal=False)  # pieces may be shared between drafts: replaced, not changed
        elif kind is TermUse:
            new = change(item.display)
            if new != item.display:
                items[n] = TermUse(item.term, new, bold=item.bold)
        elif kind is TermDef:
            new = change(item.term)
            if new != item.term:
                items[n] = TermDef(new)


@lru_cache(maxsize=8)
def _changer(words: tuple[tuple[str, str], ...]):
    """A function that respells a text, keeping the case of each word it changes."""
    table = {british.lower(): other for british, other in words}
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(table, key=len, reverse=True)) + r")\b", re.IGNORECASE)

    def cased(match: re.Match[str]) -> str:
        found = match.group(0)
        other = table[found.lower()]
        if found.isupper() and len(found) > 1:
            return other.upper()
        if found[0].isupper():
            return other[0].upper() + other[1:]
        return other

    def change(text: str) -> str:
        return pattern.sub(cased, text) if text else text

    return change
