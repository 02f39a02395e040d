"""What the master template prints around the clauses: the cover lines, the header, and one
signature block per party following its country's signing formalities.

The wording comes from the library (``library.yaml`` ``wording``); the signing formalities from
each party's jurisdiction profile. Everything here is plain text; ``ooxml/document.py`` places it.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from clausewright.formatting import DEFAULT_LOCALE
from clausewright.formatting import date as format_date
from clausewright.inputs.deal import Deal
from clausewright.inputs.jurisdictions import Jurisdictions


@dataclass(frozen=True)
class Cover:
    title: str
    date_line: str
    buyer_name: str
    supplier_name: str
    note: str
    header: str


@dataclass(frozen=True)
class SignatureBlock:
    party: str
    name: str
    title: str
    seal: bool  # a seal box is printed
    seal_label: str
    seal_note: str


def cover(title: str, deal: Deal, wording: dict[str, str]) -> Cover:
    reference = deal.get("agreement.reference")
    draft = deal.get("agreement.draft", True)
    when = deal.get("agreement.date")
    locale = deal.get("agreement.locale") or DEFAULT_LOCALE
    date_line = wording["dated"].format(date=format_date(when, locale)) if isinstance(when, _dt.date) else wording["undated"]
    note = [wording["draft_note"]] if draft else []
    header = [wording["draft_marker"]] if draft else []
    if reference:
        note.append(wording["reference"].format(reference=reference))
        header.append(str(reference))
    return Cover(
        title=title,
        date_line=date_line,
        buyer_name=str(deal.get("buyer.name", "")),
        supplier_name=str(deal.get("supplier.name", "")),
        note="\n".join(note),
        header=" | ".join(header),
    )


def signature_blocks(deal: Deal, jurisdictions: Jurisdictions, wording: dict[str, str]) -> list[SignatureBlock]:
    """One signature block per party, following its country's signing formalities."""
    out = []
    for role in ("buyer", "supplier"):
        profile = jurisdictions.profiles.get(deal.get(f"{role}.country") or "")
        formalities = (profile.data.get("formalities") or {}) if profile else {}
        seal = formalities.get("seal") or {}
        title = deal.get(f"{role}.signatory.title") or formalities.get("signatory_title") or wording["signatory_title"]
        out.append(
            SignatureBlock(
                party=f"{deal.get(f'{role}.name', '')} ({wording[f'{role}_label']})",
                name=str(deal.get(f"{role}.signatory.name", "")),
                title=str(title),
                seal=bool(seal.get("customary") or seal.get("required")),
                seal_label=wording["seal_required"] if seal.get("required") else wording["seal_label"],
                seal_note=str(seal.get("instruction") or wording["seal_instruction"]),
            )
        )
    return out
