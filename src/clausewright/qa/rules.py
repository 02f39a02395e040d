"""Jurisdiction rule checks: what the combination of the deal and the profiles makes risky or
unenforceable.

Each rule reads the profiles' data (penalty regime and cap, foreign-law stance, post-term
non-compete stance, stamp duty, New York Convention status of the seat, the institution's default
language), so a firm's own profiles drive them; each finding cites the profile's source and carries
its verify flag. The deal parameters the rules read are listed in ``PARAMETERS`` (the library check
counts them as used).

Facts: docs/qa.md lists each rule with the source it relies on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from clausewright import formatting
from clausewright.assembly.compose import Composition
from clausewright.assembly.model import Section, TermUse
from clausewright.assembly.term_names import profile_words
from clausewright.findings import Finding, kind, make
from clausewright.inputs.deal import Deal
from clausewright.inputs.jurisdictions import Jurisdictions, Profile
from clausewright.qa.drafting import section_text

PENALTY_CAP = kind("penalty-cap", "error", "the agreed sum exceeds the statutory cap on penalties of the governing law (Vietnam: 8% of the obligation breached)", "rule")
PENALTY_PRINCIPAL = kind("penalty-over-principal", "error", "the agreed sum exceeds the principal obligation, which the governing law forbids (Mexico)", "rule")
PENALTY_UNVERIFIED = kind("penalty-unverified", "warning", "a fixed or repeating agreed sum that cannot be checked against the governing law's penalty limit", "rule")
FOREIGN_LAW = kind("foreign-law-no-foreign-element", "error", "a foreign governing law chosen for a contract between two parties of a country that allows it only with a foreign element", "rule")
FOREIGN_UNCONFIRMED = kind("foreign-element-unconfirmed", "info", "a foreign governing law needs a foreign element under the supplier's law; the buyer's country is not given", "rule")
NON_COMPETE = kind("non-compete-void", "error", "a post-term non-compete is in the agreement although the governing or supplier's law voids post-term restraints (India)", "rule")
NON_COMPETE_OMITTED = kind("non-compete-omitted", "warning", "the deal asks for a post-term non-compete, but it was left out because the law voids it", "rule")
ARBITRATION_LANGUAGE = kind("arbitration-language", "warning", "no language of arbitration is chosen for an institution whose rules then default to another language (CIETAC: Chinese)", "rule")
STAMP_DUTY = kind("stamp-duty", "warning", "stamp duty applies in a party's country or under the governing law (India, Thailand: unstamped, the agreement is inadmissible in evidence until stamped)", "rule")
STAMP_DUTY_UNKNOWN = kind("stamp-duty-unknown", "info", "the profile does not say whether stamp duty applies", "rule")
TECHNOLOGY_EXPORT = kind("technology-export", "warning", "assigning foreground IP developed in the supplier's country is a technology export needing registration, a licence or an approval (PRC, Korea)", "rule")
PENALTY_ENFORCEMENT = kind("penalty-at-enforcement", "warning", "agreed sums beyond a cap of the supplier's own law, where an award or judgment would be enforced (Mexico, Vietnam)", "rule")
TOOLING_LOCATION = kind("tooling-location-unapproved", "warning", "tooling is kept at a site that is neither the supplier's site nor an approved subcontractor's", "rule")
TOOLING_AMORTISATION = kind("tooling-amortisation-missing", "warning", "tooling amortised into the prices has no amount, or no quantity or period, to amortise over", "rule")
INCOTERM_VESSEL = kind("incoterm-vessel-only", "warning", "FOB, FAS, CFR or CIF chosen for containerised goods; those rules are meant for goods loaded directly on board a vessel", "rule")
SERVICES = kind("services-not-goods", "error", "the deal is for services, but this agreement is for the manufacture and sale of goods", "rule")
DELIVERY_NOT_PHYSICAL = kind("delivery-place-not-physical", "warning", "the named place of an Incoterms rule is a server, e-mail or online location, not a physical place", "rule")
JUDGMENT_ENFORCEMENT = kind("judgment-not-registrable", "warning", "courts are chosen whose judgments cannot be registered where the supplier is (India: only judgments of notified reciprocating territories; Mexico: recognition proceedings first; Thailand: sued on afresh)", "rule")
NON_COMPETE_TERRITORY = kind("non-compete-no-territory", "warning", "a post-term non-compete with no territory under a law that tests restraints for reasonableness", "rule")
STANDARD_TERMS = kind("standard-terms", "warning", "a term that the governing law's standard-terms control is likely to strike down unless individually negotiated (Germany: payment term, agreed sums)", "rule")
SEAT_NYC = kind("seat-not-new-york-convention", "warning", "the arbitration seat is in a state that is not party to the New York Convention", "rule")

# Deal parameters the rules read (counted as used by ``clausewright library check``).
PARAMETERS = (
    "liquidated_damages.applies", "liquidated_damages.basis", "liquidated_damages.amount", "liquidated_damages.percent",
    "positions.liquidated_damages", "non_compete.applies", "disputes.language", "disputes.institution", "disputes.seat",
    "disputes.method", "buyer.country", "supplier.country", "law.governing_law",
    "liquidated_damages.tier2_percent", "liquidated_damages.tier3_percent", "liquidated_damages.max_repeats",
    "tooling.register", "supplier.site", "supplier.address", "subcontracting.allowed", "subcontracting.approved",
    "commercial.incoterm", "commercial.containerised", "commercial.supply", "commercial.delivery_place",
    "commercial.payment_days", "agreement.confirm_negotiation", "disputes.courts",
)

# The clauses, anchors and terms the rules look for are the library's ``subjects``
# (library.yaml): ``Facts.subject("disputes")`` is the bundled library's "dispute-resolution".


@dataclass
class Facts:
    """What a rule sees."""

    deal: Deal
    jurisdictions: Jurisdictions
    composition: Composition | None
    answers: dict[str, Any] | None = None  # the answers as given, before validation

    def asked(self, pid: str) -> bool:
        """Whether the deal says yes to ``pid``, even where the question does not apply."""
        if self.deal.get(pid):
            return True
        if pid not in self.deal.ignored or not self.answers:
            return False
        raw = _get(self.answers, pid)
        return str(raw).strip().lower() in ("true", "yes", "y", "1", "on")

    def profile(self, role: str) -> Profile | None:
        pid = self.deal.get(role)
        return self.jurisdictions.profiles.get(pid) if isinstance(pid, str) else None

    @property
    def law(self) -> Profile | None:
        return self.profile("law.governing_law")

    @property
    def supplier(self) -> Profile | None:
        return self.profile("supplier.country")

    @property
    def buyer(self) -> Profile | None:
        return self.profile("buyer.country")

    def party(self, role: str) -> str:
        """How a message names a party (``buyer``, ``supplier``): as the agreement drafted does
        ("customer" in a services agreement)."""
        kind = self.composition.kind if self.composition is not None else None
        return kind.party(role) if kind is not None else role

    def profile_text(self, text: Any) -> str:
        """A profile's text as the agreement drafted reads it (its type's text, its party names)."""
        kind = self.composition.kind if self.composition is not None else None
        return profile_words(text, kind, self.composition.spelling) if self.composition is not None and kind is not None else " ".join(str(text or "").split())

    def subject(self, name: str) -> str:
        """Where the library keeps a subject the rules report on (library.yaml ``subjects``)."""
        subjects = self.composition.subjects if self.composition is not None else {}
        return subjects.get(name, "")

    def section(self, clause_id: str) -> Section | None:
        """The clause's section in this agreement, if it is in it."""
        if self.composition is None:
            return None
        return next((s for s in self.composition.agreement.sections() if s.clause_id == clause_id), None)

    def included(self, clause_id: str) -> bool:
        if self.composition is None:
            return False
        return any(s.clause_id == clause_id for s in self.composition.agreement.sections())

    def where(self, clause_id: str) -> str | None:
        """The clause a finding concerns, when it is in this agreement."""
        return clause_id if self.included(clause_id) else None

    def number(self, anchor: str) -> str | None:
        """The number a reader sees for a clause or sub-clause of this draft, if it is in it."""
        if self.composition is None or not anchor:
            return None
        return next((p.ref_text for p in self.composition.agreement.paragraphs() if p.anchor == anchor and p.ref_text), None)

    def anchors(self) -> set[str]:
        if self.composition is None:
            return set()
        return {p.anchor for p in self.composition.agreement.paragraphs() if p.anchor}

    def terms_used(self) -> set[str]:
        if self.composition is None:
            return set()
        return {i.term for p in self.composition.agreement.paragraphs() for i in p.all_inlines() if isinstance(i, TermUse)}


def _get(data: Any, dotted: str, default: Any = None) -> Any:
    for key in dotted.split("."):
        if not isinstance(data, dict) or key not in data:
            return default
        data = data[key]
    return data


def _cite(profile: Profile, dotted: str) -> str:
    citation = _get(profile.data, dotted + ".citation")
    where = f"{profile.id} profile {profile.version}, {dotted}"
    return f"{' '.join(str(citation).split())}; {where}" if citation else where


def _law(profile: Profile) -> str:
    """'Vietnamese law', from the profile."""
    short = _get(profile.data, "governing_law.short")
    return str(short) if short else f"{profile.name} law"


def _verify(*flags: Any) -> bool:
    return any(bool(f) for f in flags)


# --- the rules -------------------------------------------------------------------------------------


_TIERS = (("tier 1", "liquidated_damages.percent"), ("tier 2", "liquidated_damages.tier2_percent"), ("tier 3", "liquidated_damages.tier3_percent"))


def penalty(f: Facts) -> list[Finding]:
    """Agreed sums against the governing law's penalty regime (a cap on the obligation breached,
    or the principal obligation), tier by tier; and against the supplier's own law, where an award
    or judgment would be enforced."""
    law = f.law
    if law is None or not f.deal.get("liquidated_damages.applies"):
        return []
    out = _penalty_under(f, law, enforcement=False)
    supplier = f.supplier
    if supplier is not None and supplier.id != law.id:
        out += _penalty_under(f, supplier, enforcement=True)
    return out


def _penalty_under(f: Facts, profile: Profile, *, enforcement: bool) -> list[Finding]:
    pen = profile.data.get("penalty") or {}
    regime = pen.get("regime")
    if regime not in ("capped_penalty", "penalty_within_principal"):
        return []
    if regime == "capped_penalty" and pen.get("cap_percent") is None:
        return []
    limit = Decimal(str(pen["cap_percent"])) if regime == "capped_penalty" else Decimal(100)
    limit_words = f"{limit}% of the value of the obligation breached" if regime == "capped_penalty" else "the value of the principal obligation"
    source, verify = _cite(profile, "penalty"), _verify(pen.get("verify"))
    clause = f.where(f.subject("agreed_damages"))
    position = f.deal.get("positions.liquidated_damages") or f.deal.get("positions.overall")
    times = f.deal.get("liquidated_damages.max_repeats")
    repeats = (f" and, in the {f.party('buyer')}-favourable position, may fall due again{f' up to {times} times' if times else ''} for a continuing breach"
               if position == "buyer" else "")
    basis = f.deal.get("liquidated_damages.basis")
    over = [(tier, f.deal.get(pid), pid) for tier, pid in _TIERS if f.deal.get(pid) is not None and Decimal(str(f.deal.get(pid))) > limit]
    if enforcement:
        if basis == "percent" and not over:
            return []
        return [make(PENALTY_ENFORCEMENT, f"the {f.party('supplier')} is in {profile.name}, where an award or judgment on the agreed sums would be enforced; "
                     f"{_law(profile)} limits a penalty to {limit_words}, and a court there may apply that limit as public policy even though "
                     f"{_law(f.law) if f.law else 'another law'} governs. Keep each tier within that limit or confirm with local counsel",
                     clause=clause, source=source, verify=True, subject="liquidated_damages.amount")]
    if basis == "percent":
        kind_id = PENALTY_CAP if regime == "capped_penalty" else PENALTY_PRINCIPAL
        out = [make(kind_id, f"the {tier} agreed sum is {value}% of 12 months' prices, above {limit_words} allowed under {_law(profile)}; lower {pid} "
                    f"to {limit} or less", clause=clause, source=source, verify=verify, subject=pid) for tier, value, pid in over]
        if out or not repeats:
            return out
    amount = f.deal.get("liquidated_damages.amount")
    if amount is not None and f.deal.get("commercial.currency"):
        amount = formatting.money(amount, f.deal.get("commercial.currency"))
    what = "percentages of 12 months' prices" if basis == "percent" else f"fixed sums (tier 1: {amount})"  # no basis asked (NNN): fixed sums
    return [make(PENALTY_UNVERIFIED, f"the agreed sums are {what}{repeats}; under {_law(profile)} a penalty may not exceed {limit_words}, "
                 "so check each tier against that value (any excess is unenforceable); the clause states each tier as the lesser of its sum and that limit",
                 clause=clause, source=source, verify=verify, subject="liquidated_damages.basis")]


def foreign_law(f: Facts) -> list[Finding]:
    supplier, law = f.supplier, f.law
    if supplier is None or law is None or law.id == supplier.id:
        return []
    rule = _get(supplier.data, "governing_law.foreign_law") or {}
    if rule.get("allowed") != "conditional":
        return []
    condition = f.profile_text(rule.get("condition"))
    source = _cite(supplier, "governing_law.foreign_law")
    buyer = f.deal.get("buyer.country")
    if buyer == supplier.id:
        return [make(FOREIGN_LAW, f"both parties are from {supplier.name} and {_law(law)} is chosen; under {_law(supplier)} a foreign law may "
                     f"govern only a contract with a foreign element. {condition} Contract through a foreign entity, or choose {_law(supplier)}",
                     clause=f.where(f.subject("governing_law")), source=source, verify=_verify(rule.get("verify")), subject="law.governing_law")]
    if not buyer:
        return [make(FOREIGN_UNCONFIRMED, f"{_law(law)} is chosen for a {f.party('supplier')} in {supplier.name}, where a foreign law needs a foreign element; "
                     f"confirm that the {f.party('buyer')} is a foreign entity (buyer.country is not given)", clause=f.where(f.subject("governing_law")), source=source,
                     verify=_verify(rule.get("verify")), subject="buyer.country")]
    return []


def non_compete(f: Facts) -> list[Finding]:
    if not f.asked("non_compete.applies"):
        return []
    out: list[Finding] = []
    seen: set[str] = set()
    for role in ("law.governing_law", "supplier.country"):
        profile = f.profile(role)
        if profile is None or profile.id in seen or _get(profile.data, "non_compete.post_term") != "void":
            continue
        seen.add(profile.id)
        nc = profile.data.get("non_compete") or {}
        which = "governing law" if role == "law.governing_law" else f"{f.party('supplier')}'s law"
        source = _cite(profile, "non_compete")
        in_text = [a for a in f.anchors() if a == f.subject("non_compete")]
        if in_text:
            out.append(make(NON_COMPETE, f"the agreement holds a post-term non-compete (clause {in_text[0]}), but under {_law(profile)} (the {which}) "
                            "post-term restraints are void; rely on the non-use and non-circumvention covenants instead (set non_compete.applies to no)",
                            clause=in_text[0].split(".")[0], source=source, verify=_verify(nc.get("verify")), subject="non_compete.applies"))
        else:
            out.append(make(NON_COMPETE_OMITTED, f"the deal asks for a post-term non-compete, but {_law(profile)} (the {which}) voids post-term "
                            "restraints, so it was left out; the non-use and non-circumvention covenants still apply",
                            clause=f.where(f.subject("non_circumvention")), source=source, verify=_verify(nc.get("verify")), subject="non_compete.applies"))
    return out


def arbitration_language(f: Facts) -> list[Finding]:
    if f.deal.get("disputes.method", "arbitration") != "arbitration":
        return []
    iid = f.deal.get("disputes.institution")
    institution = f.jurisdictions.institutions.get(iid) if isinstance(iid, str) else None
    if not institution or not institution.get("language_default"):
        return []
    default = institution["language_default"]
    language = f.deal.get("disputes.language")
    source = f"{institution.get('rules', iid)} ({institution.get('edition', '')}); institutions.yaml {iid}.language_default"
    verify = _verify(institution.get("verify"))
    if not language:
        return [make(ARBITRATION_LANGUAGE, f"no language of the arbitration is chosen (disputes.language); under the {iid} rules the "
                     f"proceedings are then in {default}. Name the language expressly", clause=f.where(f.subject("disputes")), source=source, verify=verify,
                     subject="disputes.language")]
    section = f.section(f.subject("disputes"))
    if section is not None:
        if str(language).casefold() not in section_text(section).casefold():
            return [make(ARBITRATION_LANGUAGE, f"the dispute clause does not name the language of the arbitration ({language}); under the {iid} "
                         f"rules the proceedings are then in {default}", clause=f.where(f.subject("disputes")), source=source, verify=verify, subject="disputes.language")]
    return []


def stamp_duty(f: Facts) -> list[Finding]:
    out: list[Finding] = []
    seen: set[str] = set()
    for role, who in (("supplier.country", f"the {f.party('supplier')}'s country"), ("buyer.country", f"the {f.party('buyer')}'s country"), ("law.governing_law", "the governing law")):
        profile = f.profile(role)
        if profile is None or profile.id in seen:
            continue
        seen.add(profile.id)
        duty = _get(profile.data, "formalities.stamp_duty") or {}
        note = f.profile_text(duty.get("note"))
        source = f"{profile.id} profile {profile.version}, formalities.stamp_duty"
        drafted = f.number(f.subject("stamp_duty_clause")) if _drafts_stamping_for(f, profile) else None
        if duty.get("applies") is True:
            # on the clause that drafts the stamping when there is one, else on the signing formalities
            out.append(make(STAMP_DUTY, f"stamp duty applies in {profile.name} ({who}): {note or 'stamp the agreement on signing.'}"
                            + (f" Clause {drafted} allocates the duty and the time for stamping." if drafted else ""),
                            clause=f.where(f.subject("stamp_duty_clause" if drafted else "formalities")), source=source, verify=_verify(duty.get("verify")), subject=profile.id))
        elif duty.get("applies") is None and "applies" in duty:
            out.append(make(STAMP_DUTY_UNKNOWN, f"whether stamp duty applies in {profile.name} ({who}) is not recorded: {note or 'confirm locally.'}",
                            clause=f.where(f.subject("formalities")), source=source, verify=True, subject=profile.id))
    return out


def _drafts_stamping_for(f: Facts, profile: Profile) -> bool:
    """Whether the stamp-duty clause drafts stamping in this profile's country."""
    section = f.section(f.subject("stamp_duty_clause"))
    text = section_text(section) if section is not None else ""
    return "stamp" in text.casefold() and str(profile.name).split(" (")[0] in text


def technology_export(f: Facts) -> list[Finding]:
    supplier = f.supplier
    if supplier is None:
        return []
    flagged = _get(supplier.data, "export_control.foreground_assignment_is_export") is True
    if not flagged:
        return []
    assigns = f.subject("foreground_ip_term") in f.terms_used() or f.subject("foreground_ip_anchor") in f.anchors()
    if not assigns:
        return []
    ec = supplier.data.get("export_control") or {}
    note = next((n for n in supplier.data.get("notes") or [] if n.get("clause") == f.subject("foreground_ip") and "export" in str(n.get("text", "")).lower()), None)
    parts = [str(note.get("citation")) if note and note.get("citation") else "", " ".join(str(ec.get("law") or "").split()), f"{supplier.id} profile {supplier.version}, export_control"]
    source = "; ".join(dict.fromkeys(p.strip() for part in parts for p in part.split(";") if p.strip()))
    drafted = f.number(f.subject("transfer_condition_anchor"))
    done = (f"; clause {drafted} makes the transfer of such items conditional on that approval and says who applies, by when and what applies "
            "meanwhile: check the deadlines and the interim licence against current rules") if drafted else "; the agreement does not draft that condition"
    condition = f.profile_text(ec.get("transfer_condition") or "the assignment is a technology export that may need an approval before it takes effect")
    return [make(TECHNOLOGY_EXPORT, f"the {f.party('supplier')} is in {supplier.name} and the agreement assigns the {f.subject('foreground_ip_term')} to the {f.party('buyer')}; {condition}{done}",
                 clause=f.where(f.subject("foreground_ip")), source=source, verify=_verify(ec.get("verify"), note and note.get("verify")), subject=supplier.id)]


def seat_convention(f: Facts) -> list[Finding]:
    if f.deal.get("disputes.method", "arbitration") != "arbitration":
        return []
    sid = f.deal.get("disputes.seat")
    seat = f.jurisdictions.seats.get(sid) if isinstance(sid, str) else None
    if not seat or seat.get("new_york_convention") is not False:
        return []
    note = f.profile_text(seat.get("note"))
    extra = ""
    supplier = f.supplier
    if supplier is not None:
        reservations = _get(supplier.data, "arbitration.new_york_convention.reservations") or []
        if "reciprocity" in reservations:
            extra = f" {supplier.name} applies the Convention only to awards made in another Contracting State, so an award made there may not be enforceable against the {f.party('supplier')}'s assets."
    return [make(SEAT_NYC, f"the seat {seat.get('name', sid)} is in a state that is not party to the New York Convention ({seat.get('state', sid)}). "
                 f"{note or extra.strip()} Choose a seat in a Convention state (e.g. Singapore, Hong Kong, London)".replace("  ", " "),
                 clause=f.where(f.subject("disputes")), source=f"seats.yaml {sid}.new_york_convention", verify=_verify(seat.get("verify")), subject=sid)]


def _normal(text: Any) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", str(text or "")).casefold().split())


def _approved_sites(f: Facts) -> list[str]:
    sites = [_normal(f.deal.get("supplier.site")), _normal(f.deal.get("supplier.address"))]
    if f.deal.get("subcontracting.allowed"):
        sites += [_normal(s.get("address")) for s in f.deal.get("subcontracting.approved") or [] if isinstance(s, dict)]
    return [s for s in sites if s]


def _at_a_site(location: str, sites: list[str]) -> bool:
    """Whether a location names one of the sites: the whole address, or one of its parts (a
    building, a lot) that appears in a site's address."""
    whole = _normal(location)
    if any(whole in site or site in whole for site in sites):
        return True
    parts = [_normal(p) for p in re.split(r"[,\n;]", location)]
    return any(len(p) >= 4 and any(re.search(rf"\b{re.escape(p)}\b", site) for site in sites) for p in parts if p)


def tooling(f: Facts) -> list[Finding]:
    """Each register entry kept at an approved site, and amortised tooling with its basis."""
    if not f.included(f.subject("tooling")):
        return []
    out = []
    sites = _approved_sites(f)
    clause = f.subject("tooling")
    for n, entry in enumerate(f.deal.get("tooling.register") or [], start=1):
        if not isinstance(entry, dict):
            continue
        tag = entry.get("tag") or f"entry {n}"
        location = str(entry.get("location") or "").strip()
        if location and sites and not _at_a_site(location, sites):
            out.append(make(TOOLING_LOCATION, f"tooling {tag} is kept at {' '.join(location.split())!r}, which is neither the supplier's site nor the site of an "
                            "approved subcontractor; move it, approve the site, or correct the register", clause=clause,
                            source="tooling register; supplier.site; subcontracting.approved", subject=f"tooling.register.{n}.location"))
        if entry.get("funding") == "amortised":
            missing = []
            if entry.get("amortisation_amount") is None:
                missing.append("amount to amortise")
            if entry.get("amortisation_quantity") is None and entry.get("amortisation_months") is None:
                missing.append("amortisation quantity or period")
            if missing:
                out.append(make(TOOLING_AMORTISATION, f"tooling {tag} is amortised into the prices but the register gives no {' and no '.join(missing)}, so its "
                                f"unrecovered balance, the {f.party('buyer')}'s title date and the exit payment cannot be worked out", clause=clause,
                                source="tooling register", subject=f"tooling.register.{n}"))
    return out


_VESSEL_RULES = {"FOB", "FAS", "CFR", "CIF"}
_NOT_A_PLACE = re.compile(r"\b(?:s?ftp|server|e-?mail|cloud|portal|online|download|electronic(?:ally)?|website|url)\b|https?://|@", re.I)


def goods_terms(f: Facts) -> list[Finding]:
    """The deal is for goods, and its delivery term fits how the goods travel."""
    out = []
    delivery = f.subject("delivery")
    if f.deal.get("commercial.supply") == "services":
        out.append(make(SERVICES, "the deal is for software or engineering services, but this agreement is for the manufacture and sale of goods "
                        "(delivery under an Incoterms rule, inspection, warranty of goods); use a services agreement instead",
                        clause=f.where(delivery), source="commercial.supply", subject="commercial.supply"))
    incoterm = f.deal.get("commercial.incoterm")
    if incoterm in _VESSEL_RULES and f.deal.get("commercial.containerised", True):
        out.append(make(INCOTERM_VESSEL, f"{incoterm} is chosen for goods shipped in containers; {incoterm} is meant for goods loaded directly on "
                        "board a vessel, and with containers the supplier keeps the risk after handing the goods to the carrier at the terminal. "
                        "Use FCA (or CPT or CIP) instead", clause=f.where(delivery), source="ICC, Incoterms® 2020, guidance notes to FCA, FOB, CFR and CIF",
                        subject="commercial.incoterm"))
    place = str(f.deal.get("commercial.delivery_place") or "")
    if place and _NOT_A_PLACE.search(place):
        out.append(make(DELIVERY_NOT_PHYSICAL, f"the named place {' '.join(place.split())!r} is not a physical place; an Incoterms rule governs the "
                        "delivery of physical goods. Name the factory, terminal or port (software or data is delivered under a services agreement)",
                        clause=f.where(delivery), source="ICC, Incoterms® 2020, introduction", subject="commercial.delivery_place"))
    return out


def judgment_enforcement(f: Facts) -> list[Finding]:
    """Courts-only disputes: can a judgment of the chosen courts be registered where the supplier
    and its assets are? Read from the supplier's profile (``courts.foreign_judgments``: the
    courts whose judgments are, and what a judgment of any other court needs, ``otherwise``)."""
    if f.deal.get("disputes.method") != "courts" or f.supplier is None:
        return []
    rule = _get(f.supplier.data, "courts.foreign_judgments")
    courts = f.deal.get("disputes.courts")
    if not isinstance(rule, dict) or not courts or courts == f.supplier.id or courts in (rule.get("registrable_from") or []):
        return []
    court_profile = f.jurisdictions.profiles.get(courts)
    where = court_profile.name if court_profile else courts
    instead = str(rule.get("otherwise") or "it would have to be sued on afresh there")
    return [make(JUDGMENT_ENFORCEMENT, f"the courts of {where} are chosen, but a judgment of those courts cannot be registered for execution in "
                 f"{f.supplier.name}, where the {f.party('supplier')} and its assets are: {instead}. Choose arbitration seated in a "
                 "New York Convention state, or the courts of a territory whose judgments are registrable",
                 clause=f.where(f.subject("disputes")), source=_cite(f.supplier, "courts.foreign_judgments"), verify=_verify(_get(f.supplier.data, "courts.verify"), True),
                 subject="disputes.courts")]


def non_compete_territory(f: Facts) -> list[Finding]:
    """A post-term non-compete in the draft, under a law that tests restraints for reasonableness,
    has no territory: the deal schema offers none, so say so."""
    if not any(a == f.subject("non_compete") for a in f.anchors()):
        return []
    restricted = [p for p in (f.law, f.supplier) if p is not None and _get(p.data, "non_compete.post_term") == "restricted"]
    if not restricted:
        return []
    profile = restricted[0]
    return [make(NON_COMPETE_TERRITORY, f"the post-term non-compete names no territory; under {_law(profile)} a restraint is enforced only as far as it "
                 f"is reasonable, and one without a territory is at risk. Limit it to the countries where the {f.party('buyer')} sells the products",
                 clause=f.where(f.subject("non_circumvention")), source=_cite(profile, "non_compete"), verify=_verify(_get(profile.data, "non_compete.verify")),
                 subject="non_compete.applies")]


def standard_terms(f: Facts) -> list[Finding]:
    """Under a law that reviews pre-formulated terms (Germany), the points that review catches."""
    law = f.law
    if law is None:
        return []
    control = _get(law.data, "governing_law.standard_terms")
    if not isinstance(control, dict) or not control.get("control"):
        return []
    source, verify = _cite(law, "governing_law.standard_terms"), _verify(control.get("verify"))
    out = []
    days, limit = f.deal.get("commercial.payment_days"), control.get("payment_days_max")
    if isinstance(days, int) and isinstance(limit, int) and days > limit:
        buyer, supplier = f.party("buyer"), f.party("supplier")
        out.append(make(STANDARD_TERMS, f"the {buyer} pays {days} days after invoice; in the {buyer}'s standard terms under {_law(law)} a payment term of more than "
                        f"{limit} days is presumed unreasonable, and more than 60 days needs express agreement that is not grossly unfair to the {supplier}",
                        clause=f.where(f.subject("payment")), source=source, verify=verify, subject="commercial.payment_days"))
    if f.deal.get("liquidated_damages.applies") and not f.deal.get("agreement.confirm_negotiation"):
        out.append(make(STANDARD_TERMS, f"agreed sums under {_law(law)} in terms that are not confirmed as individually negotiated are reviewed as standard "
                        "business terms: keep each tier proportionate and capped, negotiate them and record it (then set agreement.confirm_negotiation)",
                        clause=f.where(f.subject("agreed_damages")), source=source, verify=verify, subject="agreement.confirm_negotiation"))
    return out


RULES: list[Callable[[Facts], list[Finding]]] = [penalty, foreign_law, non_compete, arbitration_language, stamp_duty, technology_export, seat_convention, tooling, goods_terms, standard_terms,
                                                  judgment_enforcement, non_compete_territory]


def check(deal: Deal, jurisdictions: Jurisdictions, composition: Composition | None = None, answers: dict[str, Any] | None = None) -> list[Finding]:
    facts = Facts(deal=deal, jurisdictions=jurisdictions, composition=composition, answers=answers)
    out: list[Finding] = []
    for rule in RULES:
        out += rule(facts)
    return out
