"""``clausewright diff``: compare two agreements clause by clause, by clause id.

A generated document records in its custom properties every clause it holds
(``clausewright.clause.<id>``) and the bookmark on each clause's heading
(``clausewright.bookmark.<id>``). Reading the document back, a clause runs from its heading to the
next clause's heading (or to the signature block), so clauses are matched by id, not position,
and a lawyer's edits (tracked insertions count, tracked deletions do not) show as changes to the
clause they were made in. Cross-reference numbers are compared by their target, so a clause
added earlier in the agreement does not make every later reference look changed.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import asdict, dataclass, field

from clausewright.ooxml.reader import Document

_TOKEN = re.compile(r"\s*(?:\w+|[^\w\s])")


def _tokens(paragraphs: list[str]) -> list[str]:
    """Words and punctuation marks, each with the space before it; "\n" between paragraphs."""
    out: list[str] = []
    for i, text in enumerate(paragraphs):
        if i:
            out.append("\n")
        out += _TOKEN.findall(text)
    return out


@dataclass
class Change:
    op: str  # insert | delete | replace
    old: str
    new: str


@dataclass
class ClauseDiff:
    clause: str
    status: str  # added | removed | changed | renumbered | unchanged
    title: str
    old_version: str | None = None
    new_version: str | None = None
    old_position: str | None = None
    new_position: str | None = None
    changes: list[Change] = field(default_factory=list)
    inline: str = ""  # the clause's words with [-removed-] and {+added+}, unchanged runs shortened
    library_text_changed: bool = False  # made from different texts of the clause under the same version

    def version_note(self) -> str:
        """How the two documents' clause versions compare, for the clause's heading line."""
        if self.library_text_changed:
            return f" (same version {self.new_version}, different text in the library)"
        if self.old_version and self.new_version and self.old_version != self.new_version:
            return f" (version {self.old_version} -> {self.new_version})"
        return ""


def word_diff(old: list[str], new: list[str], *, context: int = 8) -> tuple[list[Change], str]:
    """Word-level changes, and the clause's text with [-removed-] and {+added+} marked (long
    unchanged stretches shortened to their ends)."""
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, [t.strip() or t for t in a], [t.strip() or t for t in b], autojunk=False)
    changes: list[Change] = []
    pieces: list[str] = []
    ops = matcher.get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            words = a[i1:i2]
            if len(words) > 2 * context + 1:
                head = words[:context] if n else []
                tail = words[-context:] if n < len(ops) - 1 else []
                words = head + [" …"] + tail
            pieces.append("".join(words))
            continue
        old_text, new_text = "".join(a[i1:i2]), "".join(b[j1:j2])
        changes.append(Change(tag, old_text.strip(), new_text.strip()))
        space = " " if (old_text or new_text)[:1].isspace() else ""
        if old_text.strip():
            pieces.append(f"{space}[-{old_text.strip()}-]")
        if new_text.strip():
            pieces.append(f"{space}{{+{new_text.strip()}+}}")
    text = "".join(pieces)
    return changes, "\n".join(line.strip() for line in text.split("\n"))


def compare(old: Document, new: Document) -> list[ClauseDiff]:
    order = list(new.clauses) + [cid for cid in old.clauses if cid not in new.clauses]
    out = []
    for cid in order:
        a, b = old.clauses.get(cid), new.clauses.get(cid)
        present = b or a
        assert present is not None  # cid comes from one of the two documents
        d = ClauseDiff(cid, "unchanged", present.title, old.version(cid), new.version(cid), old.position(cid), new.position(cid))
        old_hash, new_hash = old.clause_hash(cid), new.clause_hash(cid)
        d.library_text_changed = bool(d.new_version and d.old_version == d.new_version and old_hash and new_hash and old_hash != new_hash)
        if a is None:
            d.status = "added"
            d.inline = "\n".join(present.paragraphs)
        elif b is None:
            d.status = "removed"
            d.inline = "\n".join(a.paragraphs)
        elif a.normalised != b.normalised:
            d.status = "changed"
            d.changes, d.inline = word_diff(a.paragraphs, b.paragraphs)
        elif a.paragraphs != b.paragraphs:
            d.status = "renumbered"  # only cross-reference numbers differ
            d.changes, d.inline = word_diff(a.paragraphs, b.paragraphs)
        out.append(d)
    return out


def format_text(diffs: list[ClauseDiff], old_name: str, new_name: str, notes: list[str] | tuple[str, ...] = ()) -> str:
    lines = [f"--- {old_name}", f"+++ {new_name}", *notes]
    tally: dict[str, int] = {}
    for d in diffs:
        tally[d.status] = tally.get(d.status, 0) + 1
    for d in diffs:
        if d.status == "unchanged" and not d.library_text_changed:
            continue
        version = d.version_note()
        if d.old_position != d.new_position and d.old_position and d.new_position:
            version += f" (position {d.old_position} -> {d.new_position})"
        lines.append("")
        lines.append(f"{d.status.upper()} {d.clause}: {d.title}{version}")
        if d.status in ("added", "removed"):
            sign = "+ " if d.status == "added" else "- "
            lines += [sign + line for line in d.inline.splitlines()[:40]]
            if len(d.inline.splitlines()) > 40:
                lines.append(sign + "…")
        else:
            lines += ["  " + line for line in d.inline.splitlines()]
    lines.append("")
    order = ("added", "removed", "changed", "renumbered", "unchanged")
    lines.append(", ".join(f"{tally.get(s, 0)} {s}" for s in order))
    return "\n".join(lines)


def to_json(diffs: list[ClauseDiff], old_name: str, new_name: str, notes: list[str] | tuple[str, ...] = ()) -> str:
    summary: dict[str, int] = {}
    for d in diffs:
        summary[d.status] = summary.get(d.status, 0) + 1
    return json.dumps({"old": old_name, "new": new_name, "notes": list(notes), "summary": summary, "clauses": [asdict(d) for d in diffs]},
                      indent=2, ensure_ascii=False)


def provenance_notes(old: Document, new: Document, *, old_label: str = "old", new_label: str = "new") -> list[str]:
    """Differences in what the two documents were made from (library, profiles, answers)."""
    notes = []
    for key, what in (("clausewright.library", "library"), ("clausewright.deal_sha256", "set of answers"),
                      ("clausewright.profile.governing_law", "governing-law profile"), ("clausewright.profile.supplier_country", "supplier profile")):
        a, b = old.properties.get(key), new.properties.get(key)
        if a and b and a != b:
            shown = (a[:12], b[:12]) if key.endswith("sha256") else (a, b)
            notes.append(f"note: made from a different {what}: {old_label} {shown[0]}, {new_label} {shown[1]}")
    return notes
