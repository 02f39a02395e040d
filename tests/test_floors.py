"""Floors: protections no negotiated position may go below.

A clause declares its floors in its header (``floors:``, a list of ``id``, ``rule``, ``requires``
and an optional ``when``). ``requires`` is a regular expression over the clause's text as Jinja
renders it (markup still in place: ``[[Term]]``, ``{#anchor}``, ``<<ref>>``; runs of white
space, including line breaks, read as one space); ``when`` is a Jinja
condition like a clause's ``when`` (e.g. ``included('tooling')``). This test renders every
floor-carrying clause at every position under every governing law, with the answers all on and
at their defaults, and checks every floor.
"""

from __future__ import annotations

import re

import library_matrix
import pytest

from clausewright import jinja, yamlio

EXPECTED = {
    "confidentiality": {"trade-secrets-while-secret", "no-ai-upload", "trade-secret-register"},
    "liability": {"confidentiality-breach-uncapped"},
    "audit": {"audit-after-security-incident"},
    "consequences-termination": {"information-returned-on-termination", "tooling-returned-on-termination"},
    "general": {"force-majeure-exclusions"},
}


def _floors() -> dict[str, list[dict]]:
    out = {}
    for clause in library_matrix.sources().library.clauses.values():
        text = clause.path.read_text(encoding="utf-8")
        header = yamlio.load_text(re.match(r"---\n(.*?)\n---\n", text, re.S).group(1), str(clause.path))
        if header.get("floors"):
            out[clause.id] = header["floors"]
    return out


def test_the_library_declares_its_floors():
    floors = _floors()
    for clause_id, ids in EXPECTED.items():
        assert ids <= {f["id"] for f in floors.get(clause_id, [])}, clause_id
    for clause_id, items in floors.items():
        for f in items:
            assert set(f) <= {"id", "rule", "requires", "when"}, (clause_id, f)
            assert f["id"] and f["rule"] and f["requires"], (clause_id, f)
            re.compile(f["requires"])


@pytest.mark.parametrize("variant", ["all-on", "defaults"])
@pytest.mark.parametrize("position", library_matrix.POSITIONS)
def test_every_floor_holds_at_every_position_under_every_law(position, variant):
    floors = _floors()
    failures = []
    for i, law in enumerate(library_matrix.laws()):
        supplier = library_matrix.laws()[(i + 5) % len(library_matrix.laws())]
        for clause_id, items in floors.items():
            rendered = library_matrix.rendered_clause(clause_id, law, supplier, position, variant)
            if rendered is None:
                continue
            rendered = re.sub(r"\s+", " ", rendered)  # line breaks inside a paragraph are spaces
            for f in items:
                if f.get("when"):
                    deal = library_matrix.deal_for(law, supplier, position, variant)
                    if not _when(f["when"], deal):
                        continue
                if not re.search(f["requires"], rendered):
                    failures.append(f"{clause_id}: floor {f['id']} ({f['rule']}) fails under {law} at {position} ({variant})")
    assert not failures, "\n".join(failures)


def _when(expression: str, deal) -> bool:
    from clausewright.assembly.compose import select
    from clausewright.assembly.context import base_context

    src = library_matrix.sources()
    context = base_context(deal, src.jurisdictions, src.library.type_of(deal))
    included = {d.clause_id for d in select(src.library, context, deal) if d.included}
    context["included"] = lambda cid: cid in included
    return bool(jinja.evaluate(expression, context))
