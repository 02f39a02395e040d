"""What the master template prints around the clauses: the cover lines, the header, and one
signature block per party following its country's signing formalities.

The wording comes from the library (``library.yaml`` ``wording``); the signing formalities from
each party's jurisdiction profile. Everything here is plain text; ``ooxml/document.py`` places it.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from clausewright.assembly.term_names import profile_words
from clausewright.formatting import DEFAULT_LOCALE, respelt_prose
from clausewright.formatting import date as format_date
from clausewright.inputs.agreement_types import AgreementType
from clausewright.inputs.deal import Deal
from clausewright.inputs.jurisdictions import Jurisdictions, Profile


@dataclass(frozen=True)
class Cover:
    title: str
    date_line: str
    buyer_name: str
    supplier_name: str
    note: str
    header: str
    attestation: str = ""  # the sentence above the signature blocks


@dataclass(frozen=True)
class SignatureBlock:
    party: str
    name: str
    title: str
    seal: bool  # a seal box is printed
    seal_label: str
    seal_note: str
    capacity: str = ""  # on what authority the signatory signs
    place: str = ""  # where the signatory signs (blank: completed by hand)
    co_name: str = ""  # a second signatory signing jointly, with a signature line of their own
    witness: bool = False  # a witness attests the signature (signature, name and address lines)
    notary: bool = False  # a box for a notary's certificate of the signature
    notary_label: str = ""
    notary_note: str = ""
    stamp: bool = False  # a box for a duty stamp signed across (Indonesia's meterai)
    stamp_label: str = ""
    stamp_note: str = ""


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
        attestation=wording["attestation"],
    )


def signature_blocks(deal: Deal, jurisdictions: Jurisdictions, wording: dict[str, str]) -> list[SignatureBlock]:
    """One signature block per party, following its country's signing formalities."""
    out = []
    for role in ("buyer", "supplier"):
        profile = jurisdictions.profiles.get(deal.get(f"{role}.country") or "")
        formalities = (profile.data.get("formalities") or {}) if profile else {}
        seal = formalities.get("seal") or {}
        notary = formalities.get("notary") or {}
        stamp = (formalities.get("stamp_duty") or {}).get("signing") or {}
        local = deal.get(f"{role}.local_name")
        out.append(
            SignatureBlock(
                party=f"{deal.get(f'{role}.name', '')}{f' ({local})' if local else ''} ({wording[f'{role}_label']})",
                name=str(deal.get(f"{role}.signatory.name", "")),
                title=str(deal.get(f"{role}.signatory.title") or ""),
                seal=_asks(seal),
                seal_label=str(seal.get("label") or (wording["seal_required"] if seal.get("required") else wording["seal_label"])),
                seal_note=str(seal.get("instruction") or wording["seal_instruction"]),
                capacity=capacity(deal, role, wording, jurisdictions),
                place=str(deal.get(f"{role}.signatory.place") or ""),
                co_name=str(deal.get(f"{role}.signatory.co_signatory") or ""),
                witness=_asks(formalities.get("witness")),
                notary=_asks(notary),
                notary_label=wording["notary_label"],
                notary_note=str(notary.get("instruction") or wording["notary_instruction"]),
                stamp=bool(stamp),
                stamp_label=str(stamp.get("label") or ""),
                stamp_note=str(stamp.get("instruction") or ""),
            )
        )
    return out


@dataclass(frozen=True)
class Formality:
    """What a party's country says about signing, stamping, legalising or the language of this draft."""

    role: str  # buyer | supplier
    profile: Profile
    what: str  # Seal | Stamp duty | Legalisation | Language
    text: str  # as a draft of this type reads it
    verify: bool


FORMALITIES = (("seal", "Seal"), ("stamp_duty", "Stamp duty"), ("legalisation", "Legalisation"), ("language", "Language"))


def formalities(deal: Deal, jurisdictions: Jurisdictions, kind: AgreementType, spelling: dict[str, str] | None = None) -> list[Formality]:
    """Each party's country's notes on the formalities (``formalities.<key>.note``), in the words
    of a draft of type ``kind`` and its ``spelling``: the note for its type where the profile gives one per type."""
    out = []
    for role in ("buyer", "supplier"):
        profile = jurisdictions.profiles.get(deal.get(f"{role}.country") or "")
        entries = (profile.data.get("formalities") or {}) if profile else {}
        for key, what in FORMALITIES:
            entry = entries.get(key) or {}
            text = profile_words(entry.get("note"), kind, spelling)
            if profile is not None and text:
                out.append(Formality(role, profile, respelt_prose(what, spelling or {}), text, bool(entry.get("verify"))))
    return out


def _asks(formality) -> bool:
    """Whether a profile's formality (``seal``, ``witness``, ``notary``) is required or customary."""
    return isinstance(formality, dict) and bool(formality.get("required") or formality.get("customary"))


def capacity(deal: Deal, role: str, wording: dict[str, str], jurisdictions: Jurisdictions | None = None) -> str:
    """The capacity in which the party's signatory signs: in its country's own words where its
    profile gives them (``formalities.capacity.<authority>``: a Mexican attorney's notarial
    deed), else in the library's wording."""
    authority = deal.get(f"{role}.signatory.authority")
    profile = jurisdictions.profiles.get(deal.get(f"{role}.country") or "") if jurisdictions is not None else None
    own = ((profile.data.get("formalities") or {}).get("capacity") or {}).get(authority) if profile and authority else None
    if not authority or (f"capacity_{authority}" not in wording and not own):
        return ""
    when = deal.get(f"{role}.signatory.authority_date")
    text = str(own) if own else wording[f"capacity_{authority}"]
    if deal.get(f"{role}.signatory.co_signatory") and authority == "authorised_directors":
        text = wording.get("capacity_authorised_directors_jointly", text)
    return text.format(date=format_date(when, deal.get("agreement.locale") or DEFAULT_LOCALE) if isinstance(when, _dt.date) else "____________")
