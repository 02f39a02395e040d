"""Where the bundled clause library, jurisdictions and master template live.

In an installed package they sit in ``clausewright/_bundled``; in a source checkout they are the
top-level ``clause_library/``, ``jurisdictions/`` and ``templates/`` folders.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    installed = _PACKAGE / "_bundled" / name
    if installed.exists():
        return installed
    checkout = _PACKAGE.parent.parent / name
    if checkout.exists():
        return checkout
    raise FileNotFoundError(f"bundled data {name!r} not found (looked in {installed} and {checkout})")


def library_dir() -> Path:
    return bundled("clause_library")


def jurisdictions_dir() -> Path:
    return bundled("jurisdictions")


def master_template() -> Path:
    return bundled("templates") / "master.docx"


def fingerprint() -> str:
    """A hash of every file of the bundled library, jurisdictions and master template: equal
    while none of them is changed, added or removed."""
    digest = hashlib.sha256()
    for top in (library_dir(), jurisdictions_dir()):
        for root, dirs, files in os.walk(top):
            dirs.sort()
            for name in sorted(files):
                _hash_into(digest, Path(root) / name, top)
    template = master_template()
    _hash_into(digest, template, template.parent)
    return digest.hexdigest()


def _hash_into(digest, path: Path, top: Path) -> None:
    name = str(path.relative_to(top)).encode("utf-8", "surrogateescape")
    try:
        data = path.read_bytes()
    except OSError:
        data = b"\0unreadable"
    digest.update(len(name).to_bytes(8, "little") + name + len(data).to_bytes(8, "little") + data)
