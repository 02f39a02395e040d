"""The Jinja context a clause sees: the deal, the profiles it selects, and the positions."""

from __future__ import annotations

from typing import Any

from clausewright.formatting import DEFAULT_LOCALE
from clausewright.inputs.deal import Deal
from clausewright.inputs.jurisdictions import Jurisdictions

OVERALL_DEFAULT = "balanced"


def base_context(deal: Deal, jurisdictions: Jurisdictions) -> dict[str, Any]:
    values = deal.values

    def profile(pid: str | None) -> dict[str, Any] | None:
        return jurisdictions.profiles[pid].data if pid in jurisdictions.profiles else None

    def catalogue_entry(catalogue: dict[str, dict], key: str | None) -> dict[str, Any] | None:
        if key not in catalogue:
            return None
        return dict(catalogue[key], id=key)

    disputes = values.get("disputes") or {}
    return {
        "deal": values,
        "supplier_country": profile(deal.get("supplier.country")),
        "buyer_country": profile(deal.get("buyer.country")),
        "law": profile(deal.get("law.governing_law")),
        "arbitration_law": profile(deal.get("disputes.arbitration_agreement_law")),
        "courts": profile(disputes.get("courts")),
        "institution": catalogue_entry(jurisdictions.institutions, disputes.get("institution")),
        "seat": catalogue_entry(jurisdictions.seats, disputes.get("seat")),
        "_locale": deal.get("agreement.locale") or DEFAULT_LOCALE,
    }


def position_for(topic: str | None, deal: Deal) -> str | None:
    """The position for a negotiated topic: its own override, else the overall position."""
    if not topic:
        return None
    return deal.get(f"positions.{topic}") or deal.get("positions.overall") or OVERALL_DEFAULT
