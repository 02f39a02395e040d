"""``library check`` on clause versions: each clause file against the hash ``versions.lock`` records
for its version (``inputs/versions.py``). A text changed under the same version is an error; a
version not recorded yet (a bump, or a new clause) is a note until it is recorded."""

from __future__ import annotations

from clausewright.findings import Finding, kind, make
from clausewright.inputs.library import Library
from clausewright.inputs.versions import LOCK, VersionLock

NOT_BUMPED = kind("library-version-not-bumped", "error", "a clause's text changed but its version did not (versions.lock records another text for it)", "library")
UNRECORDED = kind("library-version-unrecorded", "info", "a clause version is not recorded in versions.lock yet (record it with library check --update-versions)", "library")
NO_LOCK = kind("library-versions-untracked", "info", "the library has no versions.lock, so a text changed without a version bump cannot be found", "library")

_RECORD = "clausewright library check --update-versions"


def check(library: Library, lock: VersionLock) -> list[Finding]:
    if not lock.exists:
        return [make(NO_LOCK, f"no {LOCK} in the library: a clause changed without a version bump cannot be found; create it with {_RECORD}", source=str(lock.path))]
    out = []
    for cid, clause in sorted(library.clauses.items()):
        recorded = lock.recorded(cid, clause.version)
        if recorded is None:
            out.append(make(UNRECORDED, f"clause {cid} version {clause.version} is not recorded in {LOCK}; once its text is final, record it with {_RECORD}",
                            clause=cid, source=str(clause.path), subject=clause.version))
        elif recorded != clause.sha256:
            out.append(make(NOT_BUMPED, f"clause {cid}: the text changed but the version is still {clause.version} ({LOCK} records another text for "
                            f"{clause.version}); bump 'version:' in {clause.path.name}, then record it with {_RECORD}",
                            clause=cid, source=str(clause.path), subject=clause.version))
    return out
