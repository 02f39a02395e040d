"""Helpers for tests that read the bundled library's drafts across many combinations.

They compose agreements with the Python API (no Word file is written), so a test can walk a
whole matrix of governing laws x supplier countries x positions in seconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from clausewright import jinja
from clausewright.assembly.compose import compose, select
from clausewright.assembly.context import base_context, position_for
from clausewright.assembly.model import Text
from clausewright.inputs.deal import validate
from clausewright.pipeline import load_sources
from clausewright.qa import library_check as lc
from clausewright.qa.drafting import plain_text_of

POSITIONS = ("buyer", "balanced", "supplier")


@lru_cache(maxsize=1)
def sources():
    return load_sources()


def laws() -> list[str]:
    return sorted(sources().jurisdictions.profiles)


def deal_for(law: str, supplier: str, position: str, variant: str = "defaults", extra: dict[str, Any] | None = None):
    src = sources()
    combo = lc.Combination(law, supplier, position, variant, tuple((extra or {}).items()))
    raw = lc.synthetic_deal(src.library.schema, combo)
    return validate(raw, src.library.schema, src.jurisdictions, source="test deal")


def composition(law: str, supplier: str, position: str, variant: str = "defaults", extra: dict[str, Any] | None = None):
    src = sources()
    deal = deal_for(law, supplier, position, variant, extra)
    return deal, compose(src.library, deal, src.jurisdictions, comments=False, strict=False)


def inline_text(inlines, *, drafting_only: bool = False) -> str:
    """What a reader sees; with ``drafting_only``, deal and profile values become "…" (not drafting)."""
    if drafting_only:
        inlines = [Text("\u2026") if isinstance(item, Text) and item.literal else item for item in inlines]
    return plain_text_of(inlines)


def paragraph_text(p, *, drafting_only: bool = False) -> str:
    return inline_text(p.all_inlines(), drafting_only=drafting_only)


def agreement_text(comp) -> str:
    parts = []
    for section in comp.agreement.sections():
        for p in section.paragraphs:
            parts.append(paragraph_text(p))
    for d in comp.agreement.definitions:
        parts.append(f"{d.term} " + inline_text(d.inlines))
    return "\n".join(parts)


def sampled_combinations() -> Iterator[tuple[str, str, str, str]]:
    """Every governing law at every position, each with a rotating supplier country and answer
    variant, so every law, country, position and variant appears."""
    ls = laws()
    variants = ("defaults", "all-on", "alternatives")
    for i, law in enumerate(ls):
        for k, position in enumerate(POSITIONS):
            supplier = ls[(i + 3 * k + 1) % len(ls)]
            yield law, supplier, position, variants[(i + k) % len(variants)]


def rendered_clause(clause_id: str, law: str, supplier: str, position: str, variant: str = "all-on",
                    extra: dict[str, Any] | None = None) -> str | None:
    """The clause's body as rendered by Jinja (markup still in place), or None when the clause
    is not in that agreement (``extra``: answers over the combination's, the agreement type's too)."""
    src = sources()
    deal = deal_for(law, supplier, position, variant, extra)
    context = base_context(deal, src.jurisdictions, src.library.type_of(deal))
    decisions = select(src.library, context, deal)
    included = {d.clause_id for d in decisions if d.included}
    if clause_id not in included:
        return None
    context["included"] = lambda cid: cid in included
    clause = src.library.clauses[clause_id]
    ctx = dict(context, position=position_for(clause.position, deal), clause={"id": clause.id, "title": clause.title})
    return jinja.render_fragment(clause.body, ctx, [])


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;:])\s+", text) if s.strip()]
