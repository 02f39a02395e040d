"""Local counsel notes: which profiles' notes reach a draft, and how a note is worded.

A note belongs to a profile and names the clause it concerns. The profiles in play are those of
the roles in ``roles.NOTE_ROLES`` (deduplicated, in that order); a note reaches the draft only
when its clause is in it. The Word comments (``compose.py``), ``explain`` and the drafting memo all
take their notes from here, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clausewright.inputs.deal import Deal
from clausewright.inputs.jurisdictions import Jurisdictions, Profile
from clausewright.roles import NOTE_ROLES


@dataclass(frozen=True)
class Note:
    profile: Profile
    data: dict[str, Any]

    @property
    def clause(self) -> str:
        return str(self.data.get("clause"))

    @property
    def id(self) -> str:
        return str(self.data.get("id"))

    @property
    def verify(self) -> bool:
        return bool(self.data.get("verify"))


def profiles_in_play(deal: Deal, jurisdictions: Jurisdictions) -> list[Profile]:
    """The profiles whose notes apply, once each, in role order."""
    out: list[Profile] = []
    for role in NOTE_ROLES:
        profile = jurisdictions.profiles.get(deal.get(role.parameter) or "")
        if profile is not None and profile not in out:
            out.append(profile)
    return out


def candidate_notes(deal: Deal, jurisdictions: Jurisdictions) -> list[Note]:
    """Every note of the profiles in play, whether or not its clause is in the draft."""
    return [Note(profile, note) for profile in profiles_in_play(deal, jurisdictions) for note in profile.data.get("notes") or []]


def applicable_notes(deal: Deal, jurisdictions: Jurisdictions, clause_ids: set[str]) -> list[Note]:
    """The notes that reach a draft holding the clauses ``clause_ids``."""
    return [note for note in candidate_notes(deal, jurisdictions) if note.clause in clause_ids]


def note_text(profile_name: str, note: dict[str, Any]) -> str:
    text = f"[{profile_name}] {str(note['text']).strip()}"
    if note.get("citation"):
        text += f" Source: {note['citation']}."
    text += f" Last reviewed {note['last_reviewed']}."
    if note.get("verify"):
        text += " VERIFY with local counsel before relying on this."
    return text
