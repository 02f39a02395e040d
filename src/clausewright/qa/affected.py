"""``clausewright affected``: the drafts in a folder that a clause or profile change, or an expired
counsel-note review date, concerns.

Every ``*.docx`` under the folder (at any depth) is read for its provenance (its custom
properties: clause versions, profiles, counsel notes and their review dates, the supplier), and
every bulk ``manifest.jsonl`` for the rows it records. A document listed in a manifest is read
from the document itself, with the row's ``supplier_id`` added; a manifest row whose document is
no longer there is reported from the manifest (which records clause and profile versions, but not
counsel notes).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from clausewright.errors import ClausewrightError
from clausewright.ooxml.reader import read_properties

MANIFEST = "manifest.jsonl"
_CLAUSE, _PROFILE, _NOTE = "clausewright.clause.", "clausewright.profile.", "clausewright.note."


@dataclass
class Draft:
    path: str  # relative to the folder scanned
    supplier: str = ""
    clauses: dict[str, str] = field(default_factory=dict)  # clause id -> version
    profiles: dict[str, str] = field(default_factory=dict)  # role -> "profile-id version"
    notes: dict[str, str] = field(default_factory=dict)  # "profile/note-id" -> review date (ISO)
    from_manifest: bool = False  # the document is not there: what its bulk manifest recorded


@dataclass
class Hit:
    path: str
    supplier: str
    found: str  # the clause or profile version, or the counsel notes, that make it affected


@dataclass
class Criterion:
    """What to look for: one of ``clause``, ``profile`` or ``review_date_before``."""

    clause: str | None = None
    profile: str | None = None
    before_version: str | None = None
    review_date_before: _dt.date | None = None

    def describe(self) -> str:
        older = f" before version {self.before_version}" if self.before_version else ""
        if self.clause:
            return f"clause {self.clause}{older}"
        if self.profile:
            return f"profile {self.profile}{older}"
        return f"counsel notes last reviewed before {self.review_date_before}"


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version))


# --- reading the folder ------------------------------------------------------------------------


def _from_properties(path: str, props: dict[str, str]) -> Draft:
    return Draft(
        path=path,
        supplier=props.get("clausewright.supplier", ""),
        clauses={k[len(_CLAUSE):]: v.split(" ")[0] for k, v in props.items() if k.startswith(_CLAUSE)},
        profiles={k[len(_PROFILE):]: " ".join(v.split(" ")[:2]) for k, v in props.items() if k.startswith(_PROFILE)},
        notes={k[len(_NOTE):].replace(".", "/", 1): v.removeprefix("reviewed ") for k, v in props.items() if k.startswith(_NOTE)},
    )


def _manifest_rows(path: Path) -> list[dict[str, Any]]:
    """The last line recorded for each document of a manifest, for the documents it made."""
    rows: dict[str, dict[str, Any]] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("output"), str) and entry.get("status") in ("written", "unchanged"):
            rows[entry["output"]] = entry
    return list(rows.values())


def scan(folder: Path) -> tuple[list[Draft], list[str]]:
    """The drafts found under ``folder``, and the files passed over (with the reason)."""
    folder = Path(folder)
    drafts: dict[Path, Draft] = {}
    skipped: list[str] = []
    for path in sorted(folder.rglob("*.docx")):
        if path.name.startswith((".", "~$")) or not path.is_file():
            continue  # a temporary file, or Word's lock file
        name = path.relative_to(folder).as_posix()
        try:
            props = read_properties(path.read_bytes(), name=name)
        except (ClausewrightError, OSError) as exc:
            skipped.append(str(exc) if isinstance(exc, ClausewrightError) else f"{name}: {exc}")
            continue
        if not any(k.startswith(_CLAUSE) for k in props):
            skipped.append(f"{name}: not made by clausewright (no provenance)")
            continue
        drafts[path.resolve()] = _from_properties(name, props)
    for manifest in sorted(folder.rglob(MANIFEST)):
        for row in _manifest_rows(manifest):
            document = manifest.parent / row["output"]
            draft = drafts.get(document.resolve())
            supplier_id = str(row.get("supplier_id") or "")
            if draft is None:
                draft = Draft(document.relative_to(folder).as_posix(), from_manifest=True,
                              clauses={cid: str(v).split(" ")[0] for cid, v in (row.get("clauses") or {}).items()},
                              profiles={role: str(v) for role, v in (row.get("profiles") or {}).items()})
                drafts[document.resolve()] = draft
            if supplier_id and supplier_id not in draft.supplier:
                draft.supplier = f"{draft.supplier} ({supplier_id})" if draft.supplier else supplier_id
    return sorted(drafts.values(), key=lambda d: d.path), skipped


# --- what is affected --------------------------------------------------------------------------------


def _older(version: str, before: str | None) -> bool:
    return before is None or version_key(version) < version_key(before)


def match(draft: Draft, criterion: Criterion) -> str | None:
    """What makes the draft affected, or None."""
    if criterion.clause:
        version = draft.clauses.get(criterion.clause)
        return f"clause {criterion.clause} {version}" if version is not None and _older(version, criterion.before_version) else None
    if criterion.profile:
        found = []
        for role, value in sorted(draft.profiles.items()):
            pid, _, version = value.partition(" ")
            if pid == criterion.profile and _older(version, criterion.before_version):
                found.append(f"{role} {value}")
        return "profile " + "; ".join(found) if found else None
    cutoff = criterion.review_date_before
    stale = [f"{note} reviewed {date}" for note, date in sorted(draft.notes.items()) if cutoff is not None and date < cutoff.isoformat()]
    return "counsel note " + "; ".join(stale) if stale else None


def affected(drafts: list[Draft], criterion: Criterion) -> list[Hit]:
    hits = []
    for draft in drafts:
        found = match(draft, criterion)
        if found:
            path = draft.path + (" (not found; as its bulk manifest records it)" if draft.from_manifest else "")
            hits.append(Hit(path, draft.supplier, found))
    return hits


def format_text(hits: list[Hit], scanned: int, skipped: list[str], criterion: Criterion) -> str:
    lines = [f"{h.path}\t{h.supplier or '-'}\t{h.found}" for h in hits]
    lines += [f"skipped {s}" for s in skipped]
    lines.append(f"{len(hits)} draft{'s' if len(hits) != 1 else ''} affected by {criterion.describe()} (of {scanned} scanned)")
    return "\n".join(lines)


def to_json(hits: list[Hit], scanned: int, skipped: list[str], criterion: Criterion) -> str:
    return json.dumps({"criterion": criterion.describe(), "scanned": scanned, "count": len(hits), "affected": [asdict(h) for h in hits], "skipped": skipped},
                      indent=2, ensure_ascii=False)
