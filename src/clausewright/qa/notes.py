"""Counsel notes that do not fit the draft they sit on.

The engine attaches a note only where its profile holds one of the note's roles, its clause is in
the draft and its condition holds (``assembly/notes.py``). This check reads what each attached
note says, so a note whose wording outruns its conditions is caught too: a note that names a
seat other than the draft's, a law that is none of the laws in play, a clause the draft does not
contain, the paragraph it says it speaks of (``paragraph:``) in a draft without it, agreed sums
in a draft that has none, an arrangement (a grant-back, say) that the clause it sits on does
not make in this draft, or the lack of an arrangement (no clause on forced labour, say) that the
draft does make (library.yaml ``note_arrangements``). ``check`` reports it for one deal;
``library check`` over the whole law x country x position matrix.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache

from clausewright.assembly.compose import Composition
from clausewright.assembly.model import Agreement
from clausewright.assembly.notes import Note, refers_to
from clausewright.findings import Finding, kind, make
from clausewright.inputs.deal import Deal
from clausewright.inputs.jurisdictions import Jurisdictions
from clausewright.qa.drafting import plain_text_of
from clausewright.roles import PROFILE_ROLES

NOTE_MISFIT = kind("note-does-not-fit", "warning", "a counsel note attached to the draft speaks of a seat, law, clause, paragraph, agreed sums or an arrangement that the draft does not have", "drafting")

_CLAUSE = re.compile(r"\b[Cc]lauses? ([a-z][a-z0-9]*(?:-[a-z0-9]+)+|[a-z]{4,})\b")
_AGREED_SUMS = re.compile(r"\b(?:penalt(?:y|ies)|agreed sums?|liquidated damages|Vertragsstrafe)\b", re.I)


def misfits(composition: Composition, deal: Deal, jurisdictions: Jurisdictions) -> list[Finding]:
    agreement = composition.agreement
    present = {s.clause_id for s in agreement.sections()}
    known = {d.clause_id for d in composition.decisions}
    anchors = {p.anchor for p in agreement.paragraphs() if p.anchor}
    in_play = {deal.get(role.parameter) for role in PROFILE_ROLES}
    seat = deal.get("disputes.seat") if deal.get("disputes.method", "arbitration") == "arbitration" else None
    agreed_sums = composition.subjects.get("agreed_damages_anchor")
    whole = _DraftText(agreement)
    out = []
    for note in composition.notes:
        text = " ".join(str(note.data.get("text", "")).split())
        for problem in _problems(text, note, jurisdictions, in_play, seat, present, known, anchors | present):
            out.append(_finding(note, problem))
        if agreed_sums and agreed_sums not in anchors and _AGREED_SUMS.search(text) and note.clause == agreed_sums.split(".")[0]:
            out.append(_finding(note, "speaks of agreed sums or a penalty, but this draft has no agreed-sums provision"))
        for arrangement in composition.note_arrangements:
            if arrangement.denied is not None and arrangement.denied.search(text):
                if arrangement.draft.search(whole.text):
                    out.append(_finding(note, f"says the draft lacks {arrangement.what}, which this draft makes"))
            elif arrangement.note.search(text) and not arrangement.draft.search(_clauses_text(agreement, _spoken_of(note))):
                out.append(_finding(note, f"speaks of {arrangement.what}, which {_named(_spoken_of(note))} of this draft {'does' if len(_spoken_of(note)) == 1 else 'do'} not make"))
    return out


class _DraftText:
    """What a reader sees of the whole draft, read only when a note says the draft lacks something."""

    def __init__(self, agreement: Agreement) -> None:
        self._agreement = agreement

    @cached_property
    def text(self) -> str:
        return " ".join(plain_text_of(p.all_inlines()) for s in self._agreement.sections() for p in s.paragraphs)


def _spoken_of(note: Note) -> list[str]:
    """The clauses a note speaks of: the one it sits on, then those its words refer to."""
    return list(dict.fromkeys([note.clause, *(target.split(".")[0] for target in refers_to(note))]))


def _named(clause_ids: list[str]) -> str:
    return f"clause {clause_ids[0]}" if len(clause_ids) == 1 else f"clauses {', '.join(clause_ids[:-1])} and {clause_ids[-1]}"


def _clauses_text(agreement: Agreement, clause_ids: list[str]) -> str:
    """What a reader sees of some clauses of the draft, their paragraphs as one text."""
    return " ".join(plain_text_of(p.all_inlines()) for s in agreement.sections() if s.clause_id in clause_ids for p in s.paragraphs)


def _problems(text: str, note: Note, jurisdictions: Jurisdictions, in_play: set, seat: str | None, present: set[str], known: set[str], anchors: set[str]) -> list[str]:
    problems = []
    for sid, data in jurisdictions.seats.items():
        city = str(data.get("city") or data.get("name") or sid)
        if sid != seat and city in text and _seat_named(city).search(text):
            problems.append(f"names a {city} seat, but the draft's seat is {seat or 'none (courts)'}")
    for pid, profile in jurisdictions.profiles.items():
        short = str((profile.data.get("governing_law") or {}).get("short") or "")
        if pid not in in_play and short and short in text and _word(short).search(text):
            problems.append(f"speaks of {short}, which is none of the laws in play (governing law, the parties' countries, the arbitration agreement, the courts)")
    for cid in sorted(set(_CLAUSE.findall(text)) & known - present):
        problems.append(f"refers to clause {cid}, which is not in this draft")
    for target in refers_to(note):
        if target not in anchors:
            problems.append(f"refers to <<{target}>>, which is not in this draft")
    if note.paragraph and note.paragraph not in anchors:
        problems.append(f"speaks of paragraph {note.paragraph} (its paragraph:), which is not in this draft: its condition (when:) does not follow the paragraph's")
    return problems


@lru_cache(maxsize=256)
def _seat_named(city: str) -> re.Pattern[str]:
    name = re.escape(city)
    return re.compile(rf"\b{name}[- ](?:seat|seated)\b|\bseat(?:ed)? (?:in|of|at) {name}\b")


@lru_cache(maxsize=256)
def _word(words: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(words)}\b")


def _finding(note: Note, problem: str) -> Finding:
    return make(NOTE_MISFIT, f"{note.profile.name} note {note.id} {problem}", clause=note.clause, source=f"{note.profile.id} profile {note.profile.version}, notes", subject=note.id)
