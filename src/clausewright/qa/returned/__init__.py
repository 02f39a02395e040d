"""``clausewright review``: a returned draft against ours, as a redline and an issues list
(docs/review.md).

``review`` reads both drafts (``ooxml.returned``), aligns them clause by clause and paragraph by
paragraph (``align``), classifies each change against the library (``classify``), and turns the
alignment into the redline's plan (``plan``), which ``ooxml.redline`` writes as Word revisions.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from dataclasses import dataclass

from clausewright.errors import ClausewrightError
from clausewright.inputs.library import Library
from clausewright.ooxml import redline
from clausewright.ooxml.comments import Author
from clausewright.ooxml.returned import Change, ReadDocument, read
from clausewright.qa.returned.align import ClauseMatch, Segment, match, normal, our_segments, their_segments
from clausewright.qa.returned.classify import Deals, Issue, classify, comment_text

DEFAULT_COUNTERPARTY = "Counterparty"


@dataclass
class Review:
    matches: list[ClauseMatch]
    issues: list[Issue]
    redline: bytes
    authors: list[str]  # who tracked the changes in the returned draft
    counterparty: str  # who the untracked changes are attributed to

    def unmatched(self) -> list[ClauseMatch]:
        return [m for m in self.matches if m.ours is None or m.theirs is None]


def review(ours_bytes: bytes, theirs_bytes: bytes, library: Library, *, deals: Deals | None = None, ours_name: str = "our draft",
           theirs_name: str = "returned draft", counterparty: str | None = None, author: Author | None = None) -> Review:
    ours, theirs = read(ours_bytes, name=ours_name), read(theirs_bytes, name=theirs_name)
    our_clauses = our_segments(ours)
    if not our_clauses:
        raise ClausewrightError(f"{ours_name}: has no clausewright provenance (custom properties clausewright.bookmark.*); give the draft clausewright generated, or --against DEAL.yaml")
    matches = match(our_clauses, their_segments(theirs, ours, our_clauses))
    drafted = {cid.removeprefix("clausewright.clause."): v.split("position:")[1] for cid, v in ours.properties.items()
               if cid.startswith("clausewright.clause.") and "position:" in v}
    comments = {cid: (c.author, c.text) for cid, c in theirs.comments.items()}
    issues = classify(matches, deals, library, drafted, comments)
    who = counterparty or ours.properties.get("clausewright.supplier") or DEFAULT_COUNTERPARTY
    date = theirs.modified or _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    the_plan = plan(matches, issues, ours, Change("ins", who, date))
    the_plan.comment_author = author or Author(library.wording.get("author", "clausewright"))
    the_plan.comment_date = date
    return Review(matches, issues, redline.write(ours_bytes, the_plan), theirs.authors(), who)


def plan(matches: list[ClauseMatch], issues: list[Issue], ours: ReadDocument, counterparty: Change) -> redline.Plan:
    """What becomes of each of our paragraphs, and where each of theirs arrives."""
    out = redline.Plan(counterparty)
    styles = _Styles(ours, [m.ours for m in matches if m.ours])
    their_order = sorted((m for m in matches if m.theirs), key=lambda m: m.theirs.blocks[0].index if m.theirs and m.theirs.blocks else 0)
    anchor = _first_index(matches) - 1  # where a clause they put first arrives: before our first clause
    for m in their_order:
        if m.ours is not None and not m.moved:
            anchor = m.ours.blocks[-1].index
            continue
        move = f"clause-{m.clause}" if m.moved else ""
        arriving = [redline.Insertion(b, a.style if a is not None else styles.style_for(b), move, a.index if a is not None and m.moved else None)
                    for a, b in m.pairs if b is not None]
        out.insertions.setdefault(anchor, []).extend(arriving)
    for m in matches:
        if m.ours is None:
            continue
        if m.theirs is None or m.moved:
            for ours_block in m.ours.blocks:
                out.deletions[ours_block.index] = redline.Deletion(counterparty, f"clause-{m.clause}" if m.moved else "")
            continue
        last = m.ours.blocks[0].index - 1
        for a, b in m.pairs:
            if a is not None and b is not None:
                if b.tracked or normal(a.text) != normal(b.text):
                    out.edits[a.index] = b
                last = a.index
            elif a is not None:
                out.deletions[a.index] = redline.Deletion(counterparty)
                last = a.index
            elif b is not None:
                out.insertions.setdefault(last, []).append(redline.Insertion(b, styles.style_for(b)))
    by_clause = {i.clause: i for i in issues}
    for m in matches:
        issue = by_clause.get(m.clause)
        if issue is None or issue.status == "unchanged" and not issue.moved:
            continue
        if m.ours is not None:
            out.comments.append((m.ours.blocks[0].index, m.ours.blocks[-1].index, comment_text(issue)))
        else:
            at = next((k for k, found in out.insertions.items() for i in found if m.theirs and i.block is m.theirs.blocks[0]), None)
            if at is not None and at >= 0:
                out.comments.append((at, at, f"After this paragraph: an inserted clause, {m.title!r}. " + comment_text(issue)))
    return out


def _first_index(matches: list[ClauseMatch]) -> int:
    return min(m.ours.blocks[0].index for m in matches if m.ours and m.ours.blocks)


def _most_common(styles: list[str], default: str) -> str:
    return Counter(styles).most_common(1)[0][0] if styles else default


class _Styles:
    """The style a paragraph they inserted takes in our draft: its own where our template has
    it, our heading style for a heading, else the style most of our clause text is in."""

    def __init__(self, ours: ReadDocument, segments: list[Segment]):
        self.known = ours.styles
        self.heading = _most_common([s.blocks[0].style for s in segments if s.blocks], "Heading1")
        self.body = _most_common([b.style for s in segments for b in s.blocks[1:]], "Normal")

    def style_for(self, block) -> str:
        if block.heading:
            return self.heading
        return block.style if block.style in self.known and block.style != "Normal" else self.body


def format_text(result: Review, theirs_name: str, ours_name: str) -> str:
    """How each clause was matched, what could not be matched, and each issue, for the terminal."""
    lines = [f"Review of {theirs_name} against {ours_name}"]
    if result.authors:
        lines.append(f"Tracked changes by: {', '.join(result.authors)}; untracked changes attributed to {result.counterparty}")
    else:
        lines.append(f"No tracked changes; every change attributed to {result.counterparty}")
    methods: dict[str, int] = {}
    for m in result.matches:
        if m.ours is not None and m.theirs is not None:
            key = m.method.split(" ")[0] if m.method.startswith("similarity") else m.method
            methods[key] = methods.get(key, 0) + 1
    lines.append("Matched: " + ", ".join(f"{n} by {how}" for how, n in methods.items()))
    for m in result.matches:
        if m.method.startswith("similarity"):
            lines.append(f"  {m.clause}: matched by {m.method}")
    for m in result.unmatched():
        lines.append(f"  not matched: {m.clause} ({m.title}): " + ("only in the returned draft" if m.ours is None else "not in the returned draft"))
    for i in result.issues:
        lines.append("")
        lines.append(f"{(i.number or 'new')} {i.title} [{i.clause}]: {i.status}{', moved' if i.moved else ''} -> {i.response}")
        lines.append(f"  {i.classification}")
        if i.summary:
            lines.append(f"  {i.summary}")
        lines += [f"  floor: {f}" for f in i.floors[:1]]
        lines += [f"  term {t}" for t in i.terms]
        lines += [f"  reference: {r}" for r in i.references]
    lines.append("")
    lines.append(f"{len(result.issues)} issues")
    return "\n".join(lines)
