"""``library check`` rules that keep the shared clauses shared (docs/qa.md, docs/library-format.md §1.1).

A text every agreement type needs (a definition, the confidentiality core, the boilerplate, the
law and disputes clauses) is written once, in a clause the types share, with a variant (a ``when:``
on a type's fact, or a condition in the text) only where the law or the deal differs. Two rules
stop a per-type copy from coming back:

- a term is given in ``defines:`` by one clause of the library, not by a second clause written
  for another type;
- two clauses that serve no type in common do not carry the same heading in the same part (the
  same article drafted twice, once per type).

Where a type really has its own clause for a part (the services agreement's own IP clause for
the supply agreement's), its ``references:`` in ``types/<id>.yaml`` already say that its clause
stands for the other; such a pair is not a copy, and its clauses may define the same term and
carry the same heading.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from clausewright.findings import Finding, kind, make
from clausewright.inputs.library import Clause, Library

TERM_TWICE = kind("library-term-defined-twice", "error", "a term is defined (defines:) by two clauses instead of once, in a clause the types share", "library")
CLAUSE_COPIED = kind("library-clause-copied", "error", "two clauses for different agreement types carry the same heading: one article drafted once per type instead of shared", "library")


def findings(library: Library) -> list[Finding]:
    parts = _parts(library)
    return _terms_defined_twice(library, parts) + _copied_clauses(library, parts)


def _parts(library: Library) -> dict[str, str]:
    """Each clause that a type's ``references:`` declares to stand for a clause of the default
    type (its own clause for that part), with that clause: clauses that play the same part, for
    different types, are not copies of each other."""
    return {own.split(".")[0]: shared.split(".")[0] for kind_ in library.types.values() for shared, own in kind_.references.items()}


def _same_part(parts: dict[str, str], a: str, b: str) -> bool:
    return parts.get(a, a) == parts.get(b, b)


def _types_of(library: Library, clause: Clause) -> set[str]:
    return {tid for tid, kind_ in library.types.items() if library.used_by(clause, kind_)}


def _terms_defined_twice(library: Library, parts: dict[str, str]) -> list[Finding]:
    definers: dict[str, list[Clause]] = defaultdict(list)
    for clause in library.clauses.values():
        for definition in clause.defines:
            definers[definition.term].append(clause)
    out = []
    for term, clauses in sorted(definers.items()):
        copies = sorted({c.id for a, b in combinations(clauses, 2) if not _same_part(parts, a.id, b.id) for c in (a, b)})
        if copies:
            out.append(make(TERM_TWICE, f"the term {term!r} is defined by clauses {', '.join(copies)}: define it once, in a clause the "
                            "types share, with a variant (a when: on a type's fact, or a condition in its text) where they differ",
                            clause=copies[0], source=str(library.clauses[copies[0]].path), subject=term))
    return out


def _copied_clauses(library: Library, parts: dict[str, str]) -> list[Finding]:
    default = next(iter(library.types.values()))
    # the default type's clause first: it is the one a type's references: names on the left
    ordered = sorted(library.clauses.values(), key=lambda c: (not library.used_by(c, default), c.id))
    out = []
    for a, b in combinations(ordered, 2):
        if (a.part, a.title.casefold()) != (b.part, b.title.casefold()) or _same_part(parts, a.id, b.id):
            continue
        if _types_of(library, a) & _types_of(library, b):
            continue
        out.append(make(CLAUSE_COPIED, f"clauses {a.id} and {b.id} are both headed {a.title!r}, for different agreement types: share one "
                        "clause (types: [...]) with variants where the types differ or, if one is a type's own clause for the part, "
                        f"say so in that type's references: ({a.id}: {b.id})", clause=b.id, source=str(b.path), subject=b.id))
    return out
