"""The Jinja context a clause sees: the deal, the profiles it selects, and the positions."""

from __future__ import annotations

from typing import Any

from clausewright.formatting import DEFAULT_LOCALE
from clausewright.inputs.agreement_types import AgreementType
from clausewright.inputs.deal import Deal
from clausewright.inputs.jurisdictions import Jurisdictions
from clausewright.roles import ROLES

OVERALL_DEFAULT = "balanced"


def base_context(deal: Deal, jurisdictions: Jurisdictions, kind: AgreementType | None = None) -> dict[str, Any]:
    """What a clause sees; ``kind`` is the agreement type drafted (``agreement_type.id``, ``.title``,
    and the facts it declares, ``.drafting``)."""
    values = deal.values

    def profile(pid: str | None) -> dict[str, Any] | None:
        return jurisdictions.profiles[pid].data if pid in jurisdictions.profiles else None

    def catalogue_entry(catalogue: dict[str, dict], key: str | None) -> dict[str, Any] | None:
        if key not in catalogue:
            return None
        return dict(catalogue[key], id=key)

    catalogues = {"institutions": jurisdictions.institutions, "seats": jurisdictions.seats}
    context: dict[str, Any] = {"deal": values}
    for role in ROLES:
        key = deal.get(role.parameter)
        context[role.name] = profile(key) if role.catalogue == "profiles" else catalogue_entry(catalogues[role.catalogue], key)
    context["_locale"] = deal.get("agreement.locale") or DEFAULT_LOCALE
    if kind is not None:
        context["agreement_type"] = {"id": kind.id, "title": kind.title, "drafting": dict(kind.drafting)}
    return context


def position_for(topic: str | None, deal: Deal) -> str | None:
    """The position for a negotiated topic: its own override, else the overall position."""
    if not topic:
        return None
    return deal.get(f"positions.{topic}") or deal.get("positions.overall") or OVERALL_DEFAULT
