"""Every check on one deal: what the assembly engine found, the drafting checks on the assembled
text, and the jurisdiction rule checks. ``clausewright check`` prints the result; ``generate``
refuses to write when an error is not allowed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from clausewright.assembly.compose import Composition
from clausewright.findings import Finding, apply_allow, sort
from clausewright.inputs.deal import Deal
from clausewright.inputs.jurisdictions import Jurisdictions
from clausewright.qa import drafting, notes, rules


def review(composition: Composition, deal: Deal, jurisdictions: Jurisdictions, *, allow: Iterable[str] = (), answers: dict[str, Any] | None = None) -> list[Finding]:
    """``answers`` are the answers as given (before validation), so a rule can see a request the
    schema set aside, e.g. a non-compete asked for under a law that voids it."""
    findings = list(composition.findings)
    findings += drafting.check(composition.agreement, deal, jurisdictions, composition.kind)
    findings += rules.check(deal, jurisdictions, composition, answers)
    findings += notes.misfits(composition, deal, jurisdictions)
    return sort(apply_allow(findings, allow))

