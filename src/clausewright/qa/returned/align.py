"""Align a returned draft with ours clause by clause, then paragraph by paragraph.

Our draft is cut into clauses by the bookmark on each clause heading (its provenance). The
returned draft is cut the same way where our bookmarks survive, and otherwise at each top-level
heading or paragraph that reads as one of our clause titles (numbers typed or not); a paragraph
that reads as our text outside the clauses (the signature block) ends a clause. Each of their
clauses is then matched to ours by clause id, else by heading, else by number (with similar
text), else by text similarity; what matches nothing was inserted or deleted, and a matched
clause out of our order was moved.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from clausewright.ooxml.returned import Block, ReadDocument

BOUNDARY_STYLES = ("Signature", "Cover", "TOC", "FrontTitle")  # our template's text outside the clauses
_CONTENTS = re.compile(r"^(toc|contents|index)", re.IGNORECASE)  # a contents entry reads as a title but starts nothing
NUMBER_SIMILARITY, TEXT_SIMILARITY, PARAGRAPH_SIMILARITY = 0.5, 0.6, 0.5
_SPACE = re.compile(r"\s+")


@dataclass
class Segment:
    """One clause of a document: its heading and every paragraph up to the next clause."""

    blocks: list[Block]
    clause: str | None = None  # our clause id (known for ours; for theirs once matched)

    @property
    def title(self) -> str:
        return self.blocks[0].text.strip() if self.blocks else ""

    @property
    def number(self) -> str:
        return self.blocks[0].label if self.blocks else ""

    @property
    def words(self) -> Counter[str]:
        return Counter(" ".join(b.text for b in self.blocks).split())


@dataclass
class ClauseMatch:
    clause: str  # our clause id, or "new-<n>" for a clause they inserted
    title: str
    ours: Segment | None
    theirs: Segment | None
    method: str  # clause id | heading | number | similarity 0.83 | "" (unmatched)
    moved: bool = False
    pairs: list[tuple[Block | None, Block | None]] = field(default_factory=list)  # paragraph by paragraph

    @property
    def status(self) -> str:
        if self.ours is None:
            return "inserted"
        if self.theirs is None:
            return "deleted"
        changed = any(a is None or b is None or b.tracked or normal(a.text) != normal(b.text) for a, b in self.pairs)
        return "changed" if changed else "unchanged"


def normal(text: str) -> str:
    """Text as compared: runs of white space as one space, curly quotes straight."""
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2018", "'").replace("\u2019", "'")
    return _SPACE.sub(" ", text).strip()


def similarity(a: Counter[str], b: Counter[str]) -> float:
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 1.0


def our_segments(ours: ReadDocument) -> list[Segment]:
    """Our draft's clauses, from the bookmarks its provenance names."""
    starts = _bookmark_starts(ours)
    if not starts:
        return []
    segments: list[Segment] = []
    current: Segment | None = None
    for block in ours.blocks:
        cid = next((starts[m] for m in block.bookmarks if m in starts), None)
        if cid is not None:
            current = Segment([], cid)
            segments.append(current)
        elif current is not None and block.style.startswith(BOUNDARY_STYLES):
            current = None
        if current is not None:
            current.blocks.append(block)
    return segments


def their_segments(theirs: ReadDocument, ours: ReadDocument, our_clauses: list[Segment]) -> list[Segment]:
    """The returned draft's clauses: where our bookmarks survive, by them; elsewhere at headings."""
    starts = _bookmark_starts(ours)
    titles = {normal(s.title).casefold() for s in our_clauses}
    inside = {id(b) for s in our_clauses for b in s.blocks}
    within = {normal(b.text) for s in our_clauses for b in s.blocks}
    outside = {normal(b.text) for b in ours.blocks if id(b) not in inside and normal(b.text)} - within
    segments: list[Segment] = []
    current: Segment | None = None
    for block in theirs.blocks:
        text = normal(block.text or block.original)
        cid = next((starts[m] for m in block.bookmarks if m in starts), None)
        if cid is not None and cid not in {s.clause for s in segments}:
            current = Segment([], cid)
            segments.append(current)
        elif text and not block.in_table and not _CONTENTS.match(block.style) and (block.heading or text.casefold() in titles) and text not in outside:
            current = Segment([])
            segments.append(current)
        elif current is not None and (text in outside or block.style.startswith(BOUNDARY_STYLES)):
            current = None
        if current is not None:
            current.blocks.append(block)
    return segments


def _bookmark_starts(document: ReadDocument) -> dict[str, str]:
    return {v: k.removeprefix("clausewright.bookmark.") for k, v in document.properties.items() if k.startswith("clausewright.bookmark.")}


def match(ours: list[Segment], theirs: list[Segment]) -> list[ClauseMatch]:
    """Our clauses in our order (each with its match, if any), then the clauses they inserted."""
    by_id = {s.clause: s for s in ours}
    found: dict[int, tuple[Segment, str]] = {}  # id(their segment) -> (our segment, method)
    taken: set[str] = set()

    def take(theirs_segment: Segment, our_segment: Segment, method: str) -> None:
        found[id(theirs_segment)] = (our_segment, method)
        assert our_segment.clause is not None
        taken.add(our_segment.clause)

    for t in theirs:
        if t.clause in by_id and t.clause not in taken:
            take(t, by_id[t.clause], "clause id")
    for t in _open(theirs, found):
        ours_left = [s for s in ours if s.clause not in taken and normal(s.title).casefold() == normal(t.title).casefold()]
        if ours_left:
            take(t, ours_left[0], "heading")
    for t in _open(theirs, found):
        ours_left = [s for s in ours if s.clause not in taken and s.number and s.number == t.number and similarity(s.words, t.words) >= NUMBER_SIMILARITY]
        if ours_left:
            take(t, ours_left[0], "number")
    scored = sorted(((similarity(s.words, t.words), n, s, t) for n, t in enumerate(_open(theirs, found)) for s in ours if s.clause not in taken),
                    key=lambda x: (-x[0], x[1]))
    for score, _, ours_segment, t in scored:
        if score >= TEXT_SIMILARITY and id(t) not in found and ours_segment.clause not in taken:
            take(t, ours_segment, f"similarity {score:.2f}")
    matched: dict[str | None, tuple[Segment | None, str]] = {found[id(t)][0].clause: (t, found[id(t)][1]) for t in theirs if id(t) in found}
    out = []
    for s in ours:
        assert s.clause is not None
        partner, method = matched.get(s.clause, (None, ""))
        m = ClauseMatch(s.clause, s.title, s, partner, method)
        m.pairs = pair_paragraphs(s.blocks, partner.blocks if partner else [])
        out.append(m)
    for n, added in enumerate(_open(theirs, found), start=1):
        out.append(ClauseMatch(f"new-{n}", added.title, None, added, "", pairs=[(None, b) for b in added.blocks if not b.deleted]))
    _mark_moves(out, theirs)
    return out


def _open(theirs: list[Segment], found: dict[int, tuple[Segment, str]]) -> list[Segment]:
    return [t for t in theirs if id(t) not in found]


def _mark_moves(matches: list[ClauseMatch], theirs: list[Segment]) -> None:
    """A matched clause that is not in the longest run of clauses kept in our order was moved."""
    position = {id(t): n for n, t in enumerate(theirs)}
    kept = [m for m in matches if m.ours is not None and m.theirs is not None]
    their_order = sorted(kept, key=lambda m: position[id(m.theirs)])
    ours_ids, theirs_ids = [m.clause for m in kept], [m.clause for m in their_order]
    in_order = {ours_ids[b.a + k] for b in SequenceMatcher(None, ours_ids, theirs_ids, autojunk=False).get_matching_blocks() for k in range(b.size)}
    for m in kept:
        m.moved = m.clause not in in_order


def pair_paragraphs(ours: list[Block], theirs: list[Block]) -> list[tuple[Block | None, Block | None]]:
    """Our paragraphs against theirs, in order: same text first, then the most similar of the
    paragraphs between. A paragraph they deleted with tracking on pairs with ours by its old text."""
    key = [normal(b.text) for b in ours]
    their_key = [normal(b.original if b.deleted else b.text) for b in theirs]
    out: list[tuple[Block | None, Block | None]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, key, their_key, autojunk=False).get_opcodes():
        if tag == "equal":
            out += list(zip(ours[i1:i2], theirs[j1:j2], strict=True))
        else:
            out += _closest(ours[i1:i2], theirs[j1:j2])
    return [(a, b) for a, b in out if not (a is None and b is not None and b.deleted)]


def _closest(ours: list[Block], theirs: list[Block]) -> list[tuple[Block | None, Block | None]]:
    """Pair paragraphs in order, each with the similar one that keeps the most pairs (a small
    dynamic programme: the runs between two equal stretches are short)."""
    def score(a: Block, b: Block) -> float:
        words = Counter(a.text.split())
        return max(similarity(words, Counter(b.text.split())), similarity(words, Counter(b.original.split())))

    n, m = len(ours), len(theirs)
    if n * m > 40000:
        return [(a, None) for a in ours] + [(None, b) for b in theirs]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            s = score(ours[i], theirs[j])
            best[i][j] = max(best[i + 1][j], best[i][j + 1], best[i + 1][j + 1] + s if s >= PARAGRAPH_SIMILARITY else 0.0)
    out: list[tuple[Block | None, Block | None]] = []
    i = j = 0
    while i < n and j < m:
        s = score(ours[i], theirs[j])
        if s >= PARAGRAPH_SIMILARITY and best[i][j] == best[i + 1][j + 1] + s:
            out.append((ours[i], theirs[j]))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            out.append((ours[i], None))
            i += 1
        else:
            out.append((None, theirs[j]))
            j += 1
    return out + [(a, None) for a in ours[i:]] + [(None, b) for b in theirs[j:]]
