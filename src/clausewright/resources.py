"""Where the bundled clause library, jurisdictions and master template live.

In an installed package they sit in ``clausewright/_bundled``; in a source checkout they are the
top-level ``clause_library/``, ``jurisdictions/`` and ``templates/`` folders.
"""

from __future__ import annotations

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
