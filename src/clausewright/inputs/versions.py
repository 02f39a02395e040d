"""The library's record of clause versions: ``versions.lock`` beside ``library.yaml``.

For each clause, each version it has had and the SHA-256 of its file at that version (the hash a
generated document's provenance records, ``clausewright.clause.<id>``). ``library check`` compares
every clause with it: a file that no longer matches the hash recorded for its version has changed
without a version bump. ``library check --update-versions`` records the versions not yet recorded
and never overwrites a recorded one (so it cannot hide a change made without a bump)::

    audit:
      1.0.0: 9c1f...            # the file's SHA-256 (64 hex digits)
      1.1.0: 04ab...
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from clausewright import yamlio
from clausewright.errors import LibraryError
from clausewright.files import write_atomic
from clausewright.inputs.library import Library

LOCK = "versions.lock"
_HASH = re.compile(r"[0-9a-f]{64}")
_HEADER = (
    "# Every clause version and the SHA-256 of its file at that version (what a document's provenance\n"
    "# records). `clausewright library check` reports a clause whose text changed while its version\n"
    "# stayed the same. After bumping a clause's version, record it with:\n"
    "#   clausewright library check --update-versions\n"
)


@dataclass
class VersionLock:
    path: Path
    exists: bool
    versions: dict[str, dict[str, str]] = field(default_factory=dict)  # clause id -> version -> sha256

    def recorded(self, clause_id: str, version: str) -> str | None:
        return self.versions.get(clause_id, {}).get(version)

    def history(self, clause_id: str) -> dict[str, str]:
        return self.versions.get(clause_id, {})


def load(library_dir: Path) -> VersionLock:
    path = Path(library_dir) / LOCK
    if not path.is_file():
        return VersionLock(path, exists=False)
    data = yamlio.load_file(path) or {}
    if not isinstance(data, dict):
        raise LibraryError(str(path), "must map clause ids to {version: sha256}")
    versions: dict[str, dict[str, str]] = {}
    for cid, history in data.items():
        if not isinstance(history, dict):
            raise LibraryError(str(path), f"{cid}: must map versions to SHA-256 hashes, e.g. 1.0.0: 9c1f...")
        for version, digest in history.items():
            if not _HASH.fullmatch(str(digest)):
                raise LibraryError(str(path), f"{cid} {version}: {digest!r} is not a SHA-256 hash (64 hexadecimal digits)")
        versions[str(cid)] = {str(v): str(d) for v, d in history.items()}
    return VersionLock(path, exists=True, versions=versions)


def record(library: Library, lock: VersionLock) -> list[str]:
    """Record each clause version that is not recorded yet (``clause version`` of each, in the
    order written); a version already recorded keeps its hash."""
    added = []
    for cid, clause in sorted(library.clauses.items()):
        history = lock.versions.setdefault(cid, {})
        if clause.version not in history:
            history[clause.version] = clause.sha256
            added.append(f"{cid} {clause.version}")
    if added or not lock.exists:
        write_atomic(lock.path, (_HEADER + yamlio.dump(lock.versions)).encode("utf-8"), force=True)
        lock.exists = True
    return added
