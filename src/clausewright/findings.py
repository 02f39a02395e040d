"""Findings: what the checks report about an assembled agreement, a deal or a library.

A finding has an id (stable, documented in docs/qa.md, and what ``--allow`` names), a severity
(``error`` stops ``generate`` unless allowed; ``warning`` is printed; ``info`` is shown by
``check``), a message in a lawyer's terms, the clause it concerns, the source it relies on, and a
verify flag that carries "(verify)" from the profiles and the reference facts through to the
lawyer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from clausewright.errors import ClausewrightError, UsageError

SEVERITIES = ("error", "warning", "info")
_RANK = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Kind:
    """One kind of finding: its id, fixed severity and a one-line summary (for docs and --allow)."""

    id: str
    severity: str
    summary: str
    group: str  # drafting | rule | deal | library


CATALOGUE: dict[str, Kind] = {}


def kind(id: str, severity: str, summary: str, group: str) -> str:
    """Declare a kind of finding; returns its id so modules can keep it as a constant."""
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")
    existing = CATALOGUE.get(id)
    if existing is not None and existing != Kind(id, severity, summary, group):
        raise ValueError(f"finding id {id!r} is declared twice")
    CATALOGUE[id] = Kind(id, severity, summary, group)
    return id


@dataclass
class Finding:
    id: str
    severity: str
    message: str
    clause: str | None = None
    source: str | None = None  # the statute, case, profile or catalogue entry relied on
    verify: bool = False
    subject: str | None = None  # the term, reference, parameter or profile concerned
    allowed: bool = False  # an error named by --allow: reported, but it does not stop generation

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def blocking(self) -> bool:
        return self.severity == "error" and not self.allowed

    def line(self) -> str:
        """One line for the terminal."""
        where = f"[{self.clause}] " if self.clause else ""
        text = f"{self.id}: {where}{self.message}"
        if self.source:
            text += f" (source: {self.source})"
        if self.verify and "(verify)" not in text:
            text += " (verify)"
        if self.allowed:
            text += " [allowed]"
        return text


def at_least(severity: str, minimum: str) -> bool:
    """Whether ``severity`` is ``minimum`` or graver (errors are the gravest)."""
    return _RANK[severity] <= _RANK[minimum]


def make(id: str, message: str, **kw: Any) -> Finding:
    """A finding of a declared kind (its severity comes from the catalogue)."""
    return Finding(id=id, severity=CATALOGUE[id].severity, message=message, **kw)


def sort(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (_RANK[f.severity], f.id, f.clause or "", f.message))


def apply_allow(findings: list[Finding], allow: Iterable[str]) -> list[Finding]:
    """Mark errors named by ``--allow``; an id that is not a known error kind is refused."""
    allow = set(allow)
    unknown = sorted(a for a in allow if a not in CATALOGUE)
    if unknown:
        errors = sorted(k.id for k in CATALOGUE.values() if k.severity == "error" and k.group in ("drafting", "rule"))
        raise UsageError(f"--allow {', '.join(unknown)}: no such finding id; errors that can be allowed: {', '.join(errors)}")
    for f in findings:
        if f.severity == "error" and f.id in allow:
            f.allowed = True
    return findings


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    out = {s: 0 for s in SEVERITIES}
    for f in findings:
        out[f.severity] += 1
    return out


def format_text(findings: list[Finding], *, min_severity: str = "info", title: str | None = None) -> str:
    """Findings grouped by severity, errors first."""
    shown = [f for f in sort(findings) if _RANK[f.severity] <= _RANK[min_severity]]
    lines = [title] if title else []
    for severity in SEVERITIES:
        group = [f for f in shown if f.severity == severity]
        if not group:
            continue
        heading = {"error": "Errors", "warning": "Warnings", "info": "Notes"}[severity]
        lines.append(f"{heading} ({len(group)}):")
        lines += [f"  - {f.line()}" for f in group]
    c = counts(findings)
    allowed = sum(1 for f in findings if f.allowed)
    summary = f"{c['error']} error(s){f' ({allowed} allowed)' if allowed else ''}, {c['warning']} warning(s), {c['info']} note(s)"
    lines.append(summary)
    return "\n".join(lines)


def to_json(findings: list[Finding], **extra: Any) -> str:
    data = dict(extra)
    data["counts"] = counts(findings)
    data["blocking"] = [f.id for f in blocking(findings)]
    data["findings"] = [f.to_dict() for f in sort(findings)]
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


class FindingsError(ClausewrightError):
    """Error-level findings that were not allowed: nothing is written."""

    def __init__(self, findings: list[Finding], *, what: str = "the agreement"):
        self.findings = findings
        errors = blocking(findings)
        lines = [f"{what} has {len(errors)} error-level finding{'s' if len(errors) != 1 else ''}; nothing was written:"]
        lines += [f"  - {f.line()}" for f in sort(errors)]
        ids = sorted({f.id for f in errors})
        lines.append(f"Fix the deal or the library, or accept the risk with {' '.join('--allow ' + i for i in ids)}.")
        super().__init__("\n".join(lines))
