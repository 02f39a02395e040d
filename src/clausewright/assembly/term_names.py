"""A type's own names for the defined terms of shared clauses (``terms:`` in ``types/*.yaml``).

A clause every type uses is written once with the default type's terms (``[[Buyer]]``); an
agreement type may call a term otherwise (``terms: {Buyer: Customer}``), and its documents then
define and use ``Customer`` wherever a shared clause says ``Buyer``. The rename applies to the
markup a clause renders to (a term used, ``[[Buyer]]`` or ``[[Buyer|Buyer’s]]``, and a term defined
in place, ``""Buyer""``), never to the values a deal supplies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

_USE = r"\[\[(?P<term>{names})(?P<tail>\|[^\]]*)?\]\]"
_DEFINE = r'""(?P<define>{names})""'


def rename(text: str, names: Mapping[str, str]) -> str:
    """``text`` with each term of ``names`` used and defined under its new name (a display form
    that starts with the old name, such as ``Buyer’s``, starts with the new one)."""
    if not names:
        return text
    pattern = _pattern(tuple(sorted(names, key=len, reverse=True)))

    def replace(match: re.Match[str]) -> str:
        if match.group("define"):
            return f'""{names[match.group("define")]}""'
        old, tail = match.group("term"), match.group("tail") or ""
        new = names[old]
        if tail.startswith("|" + old):
            tail = "|" + new + tail[len(old) + 1:]
        return f"[[{new}{tail}]]"

    return pattern.sub(replace, text)


def renamed(term: str, names: Mapping[str, str]) -> str:
    """The name a term defined in a shared clause's ``defines:`` takes in this type."""
    return names.get(term, term)


@lru_cache(maxsize=64)
def _pattern(olds: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(re.escape(o) for o in olds)
    return re.compile(_USE.format(names=names) + "|" + _DEFINE.format(names=names))
