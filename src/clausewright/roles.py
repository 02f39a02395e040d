"""Which deal parameter selects each jurisdiction profile or catalogue entry a clause can read.

This table is the one place that says it: the Jinja context (``assembly/context.py``), the
analysis of what a fragment reads (``reads.py``), counsel notes, provenance, ``explain`` and the
memo all read it. A role's ``name`` is what a clause calls it (``law.penalty.regime``); its
``id`` is how counsel notes, provenance and reports refer to it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    id: str  # how notes and reports name the role: governing_law
    name: str  # what a clause calls it: law
    parameter: str  # the deal parameter that selects it: law.governing_law
    catalogue: str  # profiles | institutions | seats
    label: str  # how explain describes its source
    provenance: str | None = None  # custom property clausewright.profile.<provenance>, if recorded
    notes: bool = False  # whether its profile's counsel notes reach the draft (assembly/notes.py)


ROLES: tuple[Role, ...] = (
    Role("supplier_country", "supplier_country", "supplier.country", "profiles", "supplier's country profile", "supplier_country", notes=True),
    Role("governing_law", "law", "law.governing_law", "profiles", "governing-law profile", "governing_law", notes=True),
    Role("arbitration_law", "arbitration_law", "disputes.arbitration_agreement_law", "profiles", "arbitration-agreement-law profile", "arbitration_agreement_law", notes=True),
    Role("buyer_country", "buyer_country", "buyer.country", "profiles", "buyer's country profile", "buyer_country", notes=True),
    Role("courts", "courts", "disputes.courts", "profiles", "courts profile", notes=True),
    Role("institution", "institution", "disputes.institution", "institutions", "arbitral institution (institutions.yaml)"),
    Role("seat", "seat", "disputes.seat", "seats", "arbitration seat (seats.yaml)"),
)

BY_NAME: dict[str, Role] = {role.name: role for role in ROLES}
BY_ID: dict[str, Role] = {role.id: role for role in ROLES}
PROFILE_ROLES: tuple[Role, ...] = tuple(role for role in ROLES if role.catalogue == "profiles")
NOTE_ROLES: tuple[Role, ...] = tuple(role for role in ROLES if role.notes)
# The roles a counsel note that names none (``roles:``) applies under.
DEFAULT_NOTE_ROLES: tuple[str, ...] = ("supplier_country", "governing_law", "arbitration_law")
