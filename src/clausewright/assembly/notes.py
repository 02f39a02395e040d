"""Local counsel notes: which notes of the profiles in play reach a draft, and how a note is worded.

A note belongs to a profile and names the clause it concerns. It reaches the draft only when
all of these hold:

- the profile holds, in this deal, one of the roles the note lists in ``roles`` (supplier_country,
  buyer_country, governing_law, arbitration_law, courts; a note that lists none applies under
  ``roles.DEFAULT_NOTE_ROLES``): a Vietnamese penalty note written for Vietnamese law does not
  reach a Singapore-law draft just because the supplier is Vietnamese;
- its clause is in the draft;
- its ``when`` condition, if any, is true: a Jinja expression over the same names as a clause's
  ``when`` (``deal``, ``law``, ``seat``, ``institution``, ``included('remedies')``, the facts of
  the agreement type drafted as ``agreement_type.drafting``, ...).

A note may also say which paragraph of its clause it speaks of (``paragraph: local-law.cn-nnn``);
its condition must then keep it to the drafts that have that paragraph, which ``check`` and
``library check`` verify (``qa/notes.py``).

The Word comments (``compose.py``), ``explain`` and the drafting memo all take their notes from
here, so they cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import UndefinedError

from clausewright import jinja
from clausewright.assembly.context import base_context
from clausewright.assembly.term_names import party_words
from clausewright.errors import LibraryError
from clausewright.formatting import respelt_prose
from clausewright.inputs.agreement_types import AgreementType
from clausewright.inputs.deal import Deal
from clausewright.inputs.jurisdictions import Jurisdictions, Profile
from clausewright.roles import DEFAULT_NOTE_ROLES, NOTE_ROLES


@dataclass(frozen=True)
class Note:
    profile: Profile
    data: dict[str, Any]
    held: frozenset[str]  # the roles the profile holds in this deal

    @property
    def clause(self) -> str:
        return str(self.data.get("clause"))

    @property
    def id(self) -> str:
        return str(self.data.get("id"))

    @property
    def verify(self) -> bool:
        return bool(self.data.get("verify"))

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(self.data.get("roles") or DEFAULT_NOTE_ROLES)

    @property
    def paragraph(self) -> str | None:
        """The paragraph of its clause the note speaks of (``clause-id.anchor``), if it says."""
        paragraph = self.data.get("paragraph")
        return str(paragraph) if paragraph is not None else None

    @property
    def when(self) -> str | None:
        when = self.data.get("when")
        return str(when) if when is not None else None

    def text(self, kind: AgreementType, spelling: Mapping[str, str] | None = None) -> str:
        """The note's words as a draft of type ``kind`` reads them: a note is written, as a shared
        clause is, in the default type's names for the parties (the buyer), and a services
        draft reads the customer; ``spelling``: the draft's spelling (an ``en_US`` draft's
        "license"), as its clauses are spelt."""
        return respelt_prose(party_words(" ".join(str(self.data.get("text", "")).split()), kind.renamed_parties), spelling or {})


def profiles_in_play(deal: Deal, jurisdictions: Jurisdictions) -> list[tuple[Profile, frozenset[str]]]:
    """Each profile a note can come from, once, in role order, with the roles it holds."""
    held: dict[str, tuple[Profile, set[str]]] = {}
    for role in NOTE_ROLES:
        profile = jurisdictions.profiles.get(deal.get(role.parameter) or "")
        if profile is not None:
            held.setdefault(profile.id, (profile, set()))[1].add(role.id)
    return [(profile, frozenset(roles)) for profile, roles in held.values()]


def candidate_notes(deal: Deal, jurisdictions: Jurisdictions) -> list[Note]:
    """The notes whose profile holds one of their roles, whether or not the rest applies."""
    out = []
    for profile, held in profiles_in_play(deal, jurisdictions):
        for data in profile.data.get("notes") or []:
            note = Note(profile, data, held)
            if held.intersection(note.roles):
                out.append(note)
    return out


def condition(deal: Deal, jurisdictions: Jurisdictions, clause_ids: set[str], kind: AgreementType) -> Callable[[Note], bool]:
    """Whether a note's ``when`` holds in this deal, for a draft of type ``kind`` (the context is
    built on first use)."""
    context: dict[str, Any] = {}

    def holds(note: Note) -> bool:
        if note.when is None:
            return True
        if not context:
            context.update(base_context(deal, jurisdictions, kind), included=lambda cid: cid in clause_ids)
        try:
            return bool(jinja.evaluate(note.when, context))
        except (UndefinedError, jinja.FragmentError) as exc:  # a name or expression the profile got wrong
            raise LibraryError(str(note.profile.path), f"note {note.id}: when {note.when!r} cannot be evaluated: {exc}") from None

    return holds


def numbers(agreement: Any) -> dict[str, str]:
    """Anchor -> the number a reader sees (``clause-id`` -> "15", ``clause-id.x`` -> "15.2")."""
    return {p.anchor: p.ref_text for p in agreement.paragraphs() if p.anchor and p.ref_text}


def refers_to(note: Note) -> list[str]:
    """The clauses and sub-clauses a note's text refers to (``<<...>>``)."""
    return _REF.findall(str(note.data.get("text", "")))


def applicable_notes(deal: Deal, jurisdictions: Jurisdictions, clause_ids: set[str], kind: AgreementType) -> list[Note]:
    """The notes that reach a draft of type ``kind`` holding the clauses ``clause_ids``."""
    holds = condition(deal, jurisdictions, clause_ids, kind)
    return [note for note in candidate_notes(deal, jurisdictions) if note.clause in clause_ids and holds(note)]


_REF = re.compile(r"<<([a-z0-9][a-z0-9.-]*)>>")
_ANY_REF = re.compile(r"<<(.*?)>>", re.DOTALL)


def malformed_references(text: str) -> list[str]:
    """What a note's text puts between ``<<`` and ``>>`` that is not a clause id or
    clause-id.anchor (a reference a line break split in two, ``<<services- scope>>``), which
    the draft could not number."""
    return [m.group(0) for m in _ANY_REF.finditer(text) if not _REF.fullmatch(m.group(0))]


def note_body(note: Note, kind: AgreementType, numbers: dict[str, str] | None = None, spelling: Mapping[str, str] | None = None) -> str:
    """The note's own words, as a draft of type ``kind`` spelt with ``spelling`` reads them;
    ``<<clause-id>>`` and ``<<clause-id.anchor>>`` become the clause numbers of this draft
    (``numbers``: anchor -> number)."""
    return _REF.sub(lambda m: (numbers or {}).get(m.group(1), m.group(1)), note.text(kind, spelling))


def note_text(note: Note, kind: AgreementType, numbers: dict[str, str] | None = None, *, source: str | None = None,
              spelling: Mapping[str, str] | None = None) -> str:
    """The note as the lawyer reads it, with its source (``source``, else its profile's name),
    review date and verify flag."""
    data = note.data
    text = f"[{source or note.profile.name}] {note_body(note, kind, numbers, spelling)}"
    if data.get("citation"):
        text += f" Source: {data['citation']}."
    text += f" Last reviewed {data['last_reviewed']}."
    if data.get("verify"):
        text += " VERIFY with local counsel before relying on this."
    return text
