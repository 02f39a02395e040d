"""Shared definitions are written once: a term every type defines in the same words lives in one
clause file, and each agreement type takes each of its defined terms from exactly one clause."""

from __future__ import annotations

from collections import defaultdict

from jinja2 import UndefinedError

from clausewright import jinja
from clausewright.inputs.agreement_types import AgreementType
from clausewright.inputs.library import Clause, Definition


def _words(definition: Definition) -> str:
    return " ".join(definition.text.split())


def _may_apply(definition: Definition, kind: AgreementType) -> bool:
    """Whether a conditional definition can be in an agreement of this type: a condition on the
    type's facts is decided here; any other condition may hold, so it counts."""
    if definition.when is None:
        return True
    context = {"agreement_type": {"id": kind.id, "title": kind.title, "drafting": dict(kind.drafting)}}
    try:
        return bool(jinja.evaluate(definition.when, context))
    except (UndefinedError, jinja.FragmentError):
        return True


def _definers(clauses: list[Clause], kind: AgreementType) -> dict[str, set[str]]:
    """Each term, as the type names it, and the clauses of that type that may define it."""
    out: dict[str, set[str]] = defaultdict(set)
    for clause in clauses:
        for definition in clause.defines:
            if _may_apply(definition, kind):
                out[kind.name_of(definition.term)].add(clause.id)
    return out


def test_no_definition_is_written_twice_in_the_same_words(bundled_sources):
    library = bundled_sources.library
    places: dict[tuple[str, str], set[str]] = defaultdict(set)
    for clause in library.clauses.values():
        for definition in clause.defines:
            places[(definition.term, _words(definition))].add(clause.id)
    repeated = {term: sorted(ids) for (term, _), ids in places.items() if len(ids) > 1}
    assert repeated == {}


def test_each_type_defines_each_term_in_exactly_one_clause(bundled_sources):
    library = bundled_sources.library
    assert set(library.types) == {"supply", "services", "nnn"}
    for kind in library.types.values():
        clauses = [c for c in library.clauses.values() if library.used_by(c, kind)]
        twice = {term: sorted(ids) for term, ids in _definers(clauses, kind).items() if len(ids) > 1}
        assert twice == {}, kind.id


def test_trade_secret_is_defined_in_one_clause_for_supply_and_services(bundled_sources):
    library = bundled_sources.library
    definers = {
        clause.id
        for kind in (library.types["supply"], library.types["services"])
        for clause in library.clauses.values()
        if library.used_by(clause, kind) and any(d.term == "Trade Secret" for d in clause.defines)
    }
    assert definers == {"confidentiality"}
