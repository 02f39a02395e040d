"""The library's own words in the spelling of the draft's locale (``spelling.yaml``: the library is
written in British English; an ``en_US`` draft prints "license", "amortized", "trademark").

Only the library's text is respelled: the text of its paragraphs, the names of its defined terms
and the titles of its articles. A piece of text the markup marked as a value from the deal or a
profile (``Text.literal``: a party's name, an address, a statute) is printed exactly as given.
It runs on the assembled agreement, after its terms and references are resolved, so every
defined term is respelled the same way wherever it is used.
"""

from __future__ import annotations

from collections.abc import Mapping

from clausewright.assembly.model import Agreement, TermDef, TermUse, Text
from clausewright.formatting import respeller


def respell(agreement: Agreement, words: Mapping[str, str]) -> None:
    """Respell the library's text of ``agreement`` in place with ``words`` ({british: other})."""
    if not words:
        return
    change = respeller(words)
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
