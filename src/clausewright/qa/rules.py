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

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from clausewright import formatting
from clausewright.assembly.compose import Composition
from clausewright.assembly.model import Section, TermUse
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
TECHNOLOGY_EXPORT = kind("technology-export", "warning", "assigning foreground IP developed in the supplier's country is a technology export needing registration or a licence (PRC)", "rule")
SEAT_NYC = kind("seat-not-new-york-convention", "warning", "the arbitration seat is in a state that is not party to the New York Convention", "rule")

# Deal parameters the rules read (counted as used by ``clausewright library check``).
PARAMETERS = (
    "liquidated_damages.applies", "liquidated_damages.basis", "liquidated_damages.amount", "liquidated_damages.percent",
    "positions.liquidated_damages", "non_compete.applies", "disputes.language", "disputes.institution", "disputes.seat",
    "disputes.method", "buyer.country", "supplier.country", "law.governing_law",
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


def penalty(f: Facts) -> list[Finding]:
    law = f.law
    if law is None or not f.deal.get("liquidated_damages.applies"):
        return []
    pen = law.data.get("penalty") or {}
    regime = pen.get("regime")
    basis = f.deal.get("liquidated_damages.basis")
    percent = f.deal.get("liquidated_damages.percent")
    amount = f.deal.get("liquidated_damages.amount")
    source = _cite(law, "penalty")
    verify = _verify(pen.get("verify"))
    if amount is not None and f.deal.get("commercial.currency"):
        amount = formatting.money(amount, f.deal.get("commercial.currency"))
    position = f.deal.get("positions.liquidated_damages") or f.deal.get("positions.overall")
    repeats = position == "buyer"
    out: list[Finding] = []
    clause = f.subject("agreed_damages")
    if regime == "capped_penalty" and pen.get("cap_percent") is not None:
        cap = Decimal(str(pen["cap_percent"]))
        if basis == "percent" and percent is not None and Decimal(str(percent)) > cap:
            out.append(make(PENALTY_CAP, f"the agreed sum is {percent}% of 12 months' prices, above the {cap}% cap on penalties under {_law(law)} "
                            f"(the cap is measured on the value of the obligation breached); lower liquidated_damages.percent to {cap} or less",
                            clause=f.where(clause), source=source, verify=verify, subject="liquidated_damages.percent"))
        elif basis == "amount" or repeats:
            what = f"a fixed sum ({amount})" if basis == "amount" else f"{percent}% of 12 months' prices"
            extra = " and, in the buyer-favourable position, it is due again for every 30 days a breach continues" if repeats else ""
            out.append(make(PENALTY_UNVERIFIED, f"the agreed sum is {what}{extra}; under {_law(law)} a penalty may not exceed {cap}% of the value of "
                            "the obligation breached, so check the figure against that value (any excess is unenforceable)",
                            clause=f.where(clause), source=source, verify=verify, subject="liquidated_damages.basis"))
    elif regime == "penalty_within_principal":
        if basis == "percent" and percent is not None and Decimal(str(percent)) > 100:
            out.append(make(PENALTY_PRINCIPAL, f"the agreed sum is {percent}% of 12 months' prices; under {_law(law)} a penalty may not exceed the "
                            "principal obligation", clause=f.where(clause), source=source, verify=verify, subject="liquidated_damages.percent"))
        elif basis == "amount" or repeats:
            what = f"a fixed sum ({amount})" if basis == "amount" else f"{percent}% of 12 months' prices"
            extra = ", due again for every 30 days a breach continues (buyer-favourable position)" if repeats else ""
            out.append(make(PENALTY_UNVERIFIED, f"the agreed sum is {what}{extra}; under {_law(law)} a penalty may not exceed the value of the "
                            "principal obligation, so check the total against it", clause=f.where(clause), source=source, verify=verify, subject="liquidated_damages.basis"))
    return out


def foreign_law(f: Facts) -> list[Finding]:
    supplier, law = f.supplier, f.law
    if supplier is None or law is None or law.id == supplier.id:
        return []
    rule = _get(supplier.data, "governing_law.foreign_law") or {}
    if rule.get("allowed") != "conditional":
        return []
    condition = " ".join(str(rule.get("condition") or "").split())
    source = _cite(supplier, "governing_law.foreign_law")
    buyer = f.deal.get("buyer.country")
    if buyer == supplier.id:
        return [make(FOREIGN_LAW, f"both parties are from {supplier.name} and {_law(law)} is chosen; under {_law(supplier)} a foreign law may "
                     f"govern only a contract with a foreign element. {condition} Contract through a foreign entity, or choose {_law(supplier)}",
                     clause=f.where(f.subject("governing_law")), source=source, verify=_verify(rule.get("verify")), subject="law.governing_law")]
    if not buyer:
        return [make(FOREIGN_UNCONFIRMED, f"{_law(law)} is chosen for a supplier in {supplier.name}, where a foreign law needs a foreign element; "
                     "confirm that the buyer is a foreign entity (buyer.country is not given)", clause=f.where(f.subject("governing_law")), source=source,
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
        which = "governing law" if role == "law.governing_law" else "supplier's law"
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
    for role, who in (("supplier.country", "the supplier's country"), ("buyer.country", "the buyer's country"), ("law.governing_law", "the governing law")):
        profile = f.profile(role)
        if profile is None or profile.id in seen:
            continue
        seen.add(profile.id)
        duty = _get(profile.data, "formalities.stamp_duty") or {}
        note = " ".join(str(duty.get("note") or "").split())
        source = f"{profile.id} profile {profile.version}, formalities.stamp_duty"
        if duty.get("applies") is True:
            out.append(make(STAMP_DUTY, f"stamp duty applies in {profile.name} ({who}): {note or 'stamp the agreement on signing.'}",
                            clause=f.where(f.subject("formalities")), source=source, verify=_verify(duty.get("verify")), subject=profile.id))
        elif duty.get("applies") is None and "applies" in duty:
            out.append(make(STAMP_DUTY_UNKNOWN, f"whether stamp duty applies in {profile.name} ({who}) is not recorded: {note or 'confirm locally.'}",
                            clause=f.where(f.subject("formalities")), source=source, verify=True, subject=profile.id))
    return out


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
    source = "; ".join(x for x in (str(note.get("citation")) if note and note.get("citation") else None, " ".join(str(ec.get("law") or "").split()),
                                    f"{supplier.id} profile {supplier.version}, export_control") if x)
    return [make(TECHNOLOGY_EXPORT, f"the supplier is in {supplier.name} and the agreement assigns the {f.subject('foreground_ip_term')} to the buyer; an assignment of "
                 "patents developed there to a foreign buyer is a technology export that needs registration (or a licence for restricted "
                 "technology) before it takes effect, and inventions made there need a confidentiality examination before filing abroad",
                 clause=f.where(f.subject("foreground_ip")), source=source, verify=_verify(ec.get("verify"), note and note.get("verify")), subject=supplier.id)]


def seat_convention(f: Facts) -> list[Finding]:
    if f.deal.get("disputes.method", "arbitration") != "arbitration":
        return []
    sid = f.deal.get("disputes.seat")
    seat = f.jurisdictions.seats.get(sid) if isinstance(sid, str) else None
    if not seat or seat.get("new_york_convention") is not False:
        return []
    note = " ".join(str(seat.get("note") or "").split())
    extra = ""
    supplier = f.supplier
    if supplier is not None:
        reservations = _get(supplier.data, "arbitration.new_york_convention.reservations") or []
        if "reciprocity" in reservations:
            extra = f" {supplier.name} applies the Convention only to awards made in another Contracting State, so an award made there may not be enforceable against the supplier's assets."
    return [make(SEAT_NYC, f"the seat {seat.get('name', sid)} is in a state that is not party to the New York Convention ({seat.get('state', sid)}). "
                 f"{note or extra.strip()} Choose a seat in a Convention state (e.g. Singapore, Hong Kong, London)".replace("  ", " "),
                 clause=f.where(f.subject("disputes")), source=f"seats.yaml {sid}.new_york_convention", verify=_verify(seat.get("verify")), subject=sid)]


RULES: list[Callable[[Facts], list[Finding]]] = [penalty, foreign_law, non_compete, arbitration_language, stamp_duty, technology_export, seat_convention]


def check(deal: Deal, jurisdictions: Jurisdictions, composition: Composition | None = None, answers: dict[str, Any] | None = None) -> list[Finding]:
    facts = Facts(deal=deal, jurisdictions=jurisdictions, composition=composition, answers=answers)
    out: list[Finding] = []
    for rule in RULES:
        out += rule(facts)
    return out
