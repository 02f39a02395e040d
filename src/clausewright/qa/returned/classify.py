"""Classify each change of a returned draft against the library.

- **Positions**: a changed clause on a negotiated topic is rendered for the deal at the buyer,
  balanced and supplier positions; their text matches one of them, or it is off-playbook.
- **Floors**: a change to a clause that carries a floor (``floors:`` in its front matter) or a
  protection the library names in ``library.yaml`` ``review_floors`` (trade-secret protection,
  IP assignment, return of tooling and information, governing law, seat and institution, caps and
  agreed sums, liability carve-outs) is flagged as such.
- **Defined terms** whose definition changed, each with every clause of ours that uses it.
- **Cross-references** whose number no longer points at the clause it pointed at in our draft.
- **A suggested response**: accept (their text is a position no worse for the buyer than the one
  we drafted at), accept with the balanced text (they went past it), reject (a floor, an
  off-playbook change, a deleted or inserted clause).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from clausewright.assembly.compose import compose, position_note
from clausewright.assembly.context import base_context
from clausewright.inputs.deal import Deal, validate
from clausewright.inputs.jurisdictions import Jurisdictions
from clausewright.inputs.library import POSITIONS, Library
from clausewright.qa.diff import word_diff
from clausewright.qa.drafting import plain_text
from clausewright.qa.preview import with_position
from clausewright.qa.returned.align import ClauseMatch, Segment, normal

ACCEPT, ACCEPT_BALANCED, REJECT = "accept", "accept with the balanced text", "reject"
_DEFINITION = re.compile(r'^\s*"([^"]{1,80})"\s')
_REFERENCE = re.compile(r"\b(?:[Cc]lause|[Pp]aragraph)s?\s+(\d+)(?:\.\d+)*|\b(Schedule\s+\d+)")
_FAVOUR = {p: n for n, p in enumerate(POSITIONS)}  # buyer 0, balanced 1, supplier 2


@dataclass
class Deals:
    """What positions are judged against: the library, the deal's answers as read and validated."""

    library: Library
    jurisdictions: Jurisdictions
    answers: dict[str, Any]
    deal: Deal
    source: str | None = None
    _texts: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    def position_text(self, topic: str, position: str, clause: str) -> str | None:
        """The clause's text at ``position`` on ``topic``, in this deal (None when left out)."""
        key = (topic, position)
        if key not in self._texts:
            deal = validate(with_position(self.answers, topic, position), self.library.schema, self.jurisdictions, source=self.source)
            agreement = compose(self.library, deal, self.jurisdictions, comments=False, strict=False).agreement
            self._texts[key] = {s.clause_id: normal(" ".join(plain_text(p).replace(" | ", " ") for p in s.paragraphs)) for s in agreement.sections()}
        return self._texts[key].get(clause)

    def note(self, clause: str, position: str) -> str:
        return position_note(self.library.clauses[clause], position, base_context(self.deal, self.jurisdictions, self.library.type_of(self.deal)),
                             spelling=self.library.spelling_of(self.deal))


@dataclass
class Issue:
    clause: str
    number: str  # in our draft ("" for a clause they inserted)
    title: str
    status: str  # changed | deleted | inserted | unchanged
    matched_by: str
    moved: bool
    their_number: str = ""
    summary: str = ""  # the word-level change, shortened
    classification: str = ""
    floors: list[str] = field(default_factory=list)
    note: str = ""  # the position note that explains our trade-off
    response: str = ""
    their_comments: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # defined terms whose definition changed here, and where they are used
    references: list[str] = field(default_factory=list)  # cross-references that point elsewhere now


def classify(matches: list[ClauseMatch], deals: Deals | None, library: Library, drafted: dict[str, str], comments: dict[int, tuple[str, str]]) -> list[Issue]:
    """One issue per clause that changed (and each clause moved or renumbered). ``drafted`` is
    each clause's position in our draft (from its provenance); ``comments`` the returned draft's
    comments by id, (author, text)."""
    numbers = _numbers(matches)
    issues = []
    for m in matches:
        status = m.status
        ours_number = m.ours.number if m.ours else ""
        theirs_number = m.theirs.number if m.theirs else ""
        if status == "unchanged" and not m.moved and (ours_number == theirs_number or not theirs_number):
            continue
        issue = Issue(m.clause, ours_number, m.title, status, m.method or "not matched", m.moved, theirs_number)
        issue.summary = _summary(m)
        issue.their_comments = [f"{comments[c][0]}: {comments[c][1]}" for b in (m.theirs.blocks if m.theirs else []) for c in b.comments if c in comments]
        issue.terms = _terms(m, matches)
        issue.references = _references(m, numbers)
        _judge(issue, m, deals, library, drafted.get(m.clause))
        issues.append(issue)
    return issues


def _judge(issue: Issue, m: ClauseMatch, deals: Deals | None, library: Library, drafted: str | None) -> None:
    clause = library.clauses.get(m.clause)
    if clause is not None:
        issue.floors = [f"{label}" for label in [library.review_floors.get(clause.id, "")] if label] + [f"floor: {f.id}" for f in clause.floors]
    if issue.status == "unchanged":
        issue.classification = "moved, text unchanged" if m.moved else "renumbered, text unchanged"
        issue.response = ACCEPT
        return
    if issue.status == "inserted":
        issue.classification = "off-playbook: a clause the library does not have"
        issue.response = REJECT
        return
    if issue.status == "deleted":
        issue.classification = "clause deleted" + (" (a floor)" if issue.floors else "")
        issue.response = REJECT
        return
    matched = None
    if clause is not None and clause.position and deals is not None and m.theirs is not None:
        theirs = normal(" ".join(b.text for b in m.theirs.blocks))
        matched = next((p for p in POSITIONS if deals.position_text(clause.position, p, clause.id) == theirs), None)
        ours_at = drafted or "balanced"
        issue.note = deals.note(clause.id, matched or ours_at)
        if matched is not None:
            issue.classification = f"matches the library's {matched} position on {clause.position} (we drafted at {ours_at})"
            issue.response = ACCEPT if _FAVOUR[matched] <= max(_FAVOUR[ours_at], _FAVOUR["balanced"]) else ACCEPT_BALANCED
    elif clause is not None and clause.position and deals is None:
        issue.classification = "positions not compared (give --deal with the deal's answers)"
    if matched is None:
        issue.classification = issue.classification or "off-playbook: matches none of the library's positions"
        issue.response = REJECT if issue.floors or not (clause and clause.position) else ACCEPT_BALANCED
    if issue.floors and matched is None:
        issue.classification += "; changes a floor"


def _summary(m: ClauseMatch, limit: int = 400) -> str:
    ours = [b.text for b in (m.ours.blocks if m.ours else [])]
    theirs = [b.text for b in (m.theirs.blocks if m.theirs else []) if not b.deleted]
    if m.ours is None:
        text = "inserted: " + " / ".join(theirs)
    elif m.theirs is None:
        text = "deleted: " + " / ".join(ours)
    else:
        changes, text = word_diff(ours, theirs, context=4)
        text = text.replace("\n", " / ") if changes else ("moved" if m.moved else "renumbered")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _definitions(segments: list[Segment]) -> dict[str, str]:
    out = {}
    for s in segments:
        for b in s.blocks:
            m = _DEFINITION.match(normal(b.text))
            if m:
                out[m.group(1)] = normal(b.text)
    return out


def _terms(m: ClauseMatch, matches: list[ClauseMatch]) -> list[str]:
    """Defined terms whose definition in this clause changed, each with the clauses that use it."""
    ours = _definitions([m.ours] if m.ours else [])
    theirs = _definitions([m.theirs] if m.theirs else [])
    out = []
    for term in sorted(set(ours) | set(theirs)):
        if ours.get(term) == theirs.get(term):
            continue
        how = "definition deleted" if term not in theirs else "definition added" if term not in ours else "definition changed"
        pattern = re.compile(rf"\b{re.escape(term)}\b")
        users = [f"{x.ours.number or x.clause} ({x.title})" for x in matches if x.ours and x is not m and any(pattern.search(b.text) for b in x.ours.blocks)]
        out.append(f"“{term}”: {how}; used in " + (", ".join(users) if users else "no other clause"))
    return out


def _numbers(matches: list[ClauseMatch]) -> dict[str, dict[str, ClauseMatch]]:
    """Each draft's clause numbers, and the clause each one is: {"ours"|"theirs": {number: match}}."""
    out: dict[str, dict[str, ClauseMatch]] = {"ours": {}, "theirs": {}}
    for m in matches:
        if m.ours and m.ours.number:
            out["ours"][m.ours.number] = m
        if m.theirs and m.theirs.number:
            out["theirs"][m.theirs.number] = m
    return out


def _targets(text: str) -> list[str]:
    return [a or b for a, b in _REFERENCE.findall(text)]


def _references(m: ClauseMatch, numbers: dict[str, dict[str, ClauseMatch]]) -> list[str]:
    """References in their text that point at another clause than the one ours pointed at."""
    out = []
    for a, b in m.pairs:
        if b is None:
            continue
        before = _targets(a.text) if a is not None else []
        for n, target in enumerate(_targets(b.text)):
            now = numbers["theirs"].get(target)
            meant = numbers["ours"].get(before[n]) if n < len(before) else now
            if now is None:
                out.append(f"{_named(target)} points at nothing in the returned draft")
            elif meant is not None and now.clause != meant.clause:
                out.append(f"{_named(target)} now points at {now.title}; in our draft it pointed at {meant.title}")
    return list(dict.fromkeys(out))


def _named(target: str) -> str:
    return target if target.startswith("Schedule") else f"clause {target}"


def comment_text(issue: Issue) -> str:
    """The comment on a changed clause in the redline."""
    parts = [f"{issue.status.capitalize()} ({'matched by ' + issue.matched_by if issue.matched_by != 'not matched' else 'no match in our draft'})."]
    if issue.moved:
        parts.append(f"Moved (numbered {issue.their_number or '?'} in the returned draft).")
    parts.append(f"Classification: {issue.classification}.")
    if issue.floors:
        parts.append("Floor: " + ", ".join(issue.floors) + ".")
    parts += [f"Defined term {t}." for t in issue.terms]
    parts += [f"Cross-reference: {r}." for r in issue.references]
    parts += [f"Their comment: {c}" for c in issue.their_comments]
    if issue.note:
        parts.append(f"Position note: {issue.note}")
    parts.append(f"Suggested response: {issue.response}.")
    return " ".join(parts)

