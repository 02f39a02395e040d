"""The assembly pipeline, as one function per stage:

    load sources -> read answers -> validate -> compose (select, render, number, resolve)
    -> write DOCX (render once into the master template) -> save atomically

``generate()`` is what the command line calls, and what a Python user calls too. ``Sources``
holds everything that is loaded once and reused for many documents (bulk runs).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clausewright import __version__, resources
from clausewright.assembly.compose import Composition, compose
from clausewright.errors import ClausewrightError
from clausewright.formatting import DEFAULT_LOCALE, date as format_date
from clausewright.inputs.deal import Deal, apply_overrides, read_deal_file, validate
from clausewright.inputs.jurisdictions import Jurisdictions, load_jurisdictions
from clausewright.inputs.library import Library, load_library
from clausewright.ooxml import package, writer
from clausewright.ooxml.template import MasterTemplate, markup
from clausewright.ooxml.xml import comments_part, inline_text
from clausewright.qa.findings import Finding, FindingsError, blocking
from clausewright.qa.review import review
from clausewright.ooxml import styles as S


@dataclass
class Sources:
    library: Library
    jurisdictions: Jurisdictions
    template: MasterTemplate

    @property
    def schema(self):
        return self.library.schema


@dataclass
class Result:
    deal: Deal
    composition: Composition
    docx: bytes
    output: Path | None = None
    warnings: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # drafting QA and rule checks (docs/qa.md)


def load_sources(library_dir: Path | None = None, jurisdictions_dir: Path | None = None, template: Path | None = None) -> Sources:
    library = load_library(Path(library_dir) if library_dir else resources.library_dir())
    jurisdictions = load_jurisdictions(Path(jurisdictions_dir) if jurisdictions_dir else resources.jurisdictions_dir())
    library.schema.bind_catalogues(jurisdictions.catalogues())
    master = MasterTemplate(Path(template) if template else resources.master_template())
    return Sources(library=library, jurisdictions=jurisdictions, template=master)


def read_answers(deal_file: Path | None, overrides: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    raw = read_deal_file(Path(deal_file)) if deal_file else {}
    return apply_overrides(raw, list(overrides))


def validate_deal(raw: dict[str, Any], sources: Sources, *, source: str | None = None, row: int | None = None) -> Deal:
    return validate(raw, sources.schema, sources.jurisdictions, source=source, row=row)


def assemble(deal: Deal, sources: Sources, *, comments: bool = True, strict: bool = True) -> Composition:
    return compose(sources.library, deal, sources.jurisdictions, comments=comments, strict=strict)


def assemble_checked(
    deal: Deal, sources: Sources, *, comments: bool = True, allow: list[str] | tuple[str, ...] = (), answers: dict[str, Any] | None = None
) -> tuple[Composition, list[Finding]]:
    """Assemble, then run the drafting QA and the jurisdiction rule checks (docs/qa.md).
    Error-level findings that ``allow`` does not name raise ``FindingsError``: generate, the
    wizard and bulk runs all go through here, so they refuse the same drafts."""
    composition = assemble(deal, sources, comments=comments, strict=False)
    findings = review(composition, deal, sources.jurisdictions, allow=allow, answers=answers)
    if blocking(findings):
        raise FindingsError(findings)
    return composition, findings


def build_docx(composition: Composition, deal: Deal, sources: Sources, *, comments: bool = True) -> bytes:
    agreement = composition.agreement
    parts = writer.write(agreement, comments=comments)
    context = {
        "title": _text(agreement.title),
        "date_line": _text(_date_line(deal)),
        "buyer_name": _text(deal.get("buyer.name", "")),
        "supplier_name": _text(deal.get("supplier.name", "")),
        "cover_note": _text(_cover_note(deal)),
        "header_text": _text(_header(deal)),
        "footer_text": _text(agreement.title),
        "toc": markup(parts.toc),
        "front": markup(parts.front),
        "body": markup(parts.body),
        "schedules": markup(parts.schedules),
        "signatories": signatories(deal, sources.jurisdictions),
    }
    rendered = sources.template.render_parts(context, schedule_count=parts.schedule_count)
    comments_xml = comments_part(parts.comments, S.COMMENT_TEXT, S.COMMENT_REFERENCE) if parts.comments else None
    created = f"{deal.get('agreement.date').isoformat()}T00:00:00Z" if deal.get("agreement.date") else "2000-01-01T00:00:00Z"
    return package.finish_parts(rendered, title=agreement.title, created=created, properties=provenance(composition, deal, sources), comments_xml=comments_xml)


def draft(
    raw: dict[str, Any], sources: Sources, *, source: str | None = None, comments: bool = True, allow: list[str] | tuple[str, ...] = ()
) -> Result:
    """Answers as read -> the checked agreement as DOCX bytes (nothing written)."""
    deal = validate_deal(raw, sources, source=source)
    composition, findings = assemble_checked(deal, sources, comments=comments, allow=allow, answers=raw)
    docx = build_docx(composition, deal, sources, comments=comments)
    return Result(deal=deal, composition=composition, docx=docx, warnings=list(composition.agreement.warnings), findings=findings)


def generate(
    deal_file: Path | None,
    output: Path | None,
    *,
    overrides: list[str] | tuple[str, ...] = (),
    sources: Sources | None = None,
    comments: bool = True,
    force: bool = False,
    allow: list[str] | tuple[str, ...] = (),
    memo: Path | None = None,
) -> Result:
    """Generate one agreement. With ``output`` None, the DOCX is returned but not written.

    The assembled agreement is checked first (docs/qa.md): an error-level finding raises
    ``FindingsError`` and nothing is written, unless ``allow`` names its id. ``memo`` also writes
    the drafting memo there."""
    sources = sources or load_sources()
    raw = read_answers(deal_file, overrides)
    result = draft(raw, sources, source=str(deal_file) if deal_file else None, comments=comments, allow=allow)
    result.output = output
    memo_docx = None
    if memo is not None:
        from clausewright.qa import memo as memo_writer

        if output is not None and Path(memo).resolve() == Path(output).resolve():
            raise ClausewrightError(f"{memo}: the memo and the agreement cannot be the same file")
        if Path(memo).exists() and not force:
            raise ClausewrightError(f"{memo} already exists; use --force to replace it")
        memo_docx = memo_writer.build(result, sources)
    if output is not None:
        write_atomic(Path(output), result.docx, force=force)
    if memo_docx is not None:
        write_atomic(Path(memo), memo_docx, force=force)
    return result


# --- helpers -------------------------------------------------------------------------------------


def _text(value: str):
    return markup(inline_text(str(value)))


def _locale(deal: Deal) -> str:
    return deal.get("agreement.locale") or DEFAULT_LOCALE


def _date_line(deal: Deal) -> str:
    when = deal.get("agreement.date")
    return f"Dated {format_date(when, _locale(deal))}" if isinstance(when, _dt.date) else "Dated"


def _cover_note(deal: Deal) -> str:
    parts = []
    if deal.get("agreement.draft", True):
        parts.append("Draft for discussion. Subject to contract and to review by counsel in each relevant jurisdiction.")
    if deal.get("agreement.reference"):
        parts.append(f"Reference: {deal.get('agreement.reference')}")
    return "\n".join(parts)


def _header(deal: Deal) -> str:
    pieces = []
    if deal.get("agreement.draft", True):
        pieces.append("DRAFT")
    if deal.get("agreement.reference"):
        pieces.append(str(deal.get("agreement.reference")))
    return " | ".join(pieces)


SEAL_INSTRUCTION = "Affix the company seal (chop) here"


def signatories(deal: Deal, jurisdictions: Jurisdictions) -> list[dict[str, Any]]:
    """One signature block per party, following its country's signing formalities."""
    out = []
    for role, label in (("buyer", "the Buyer"), ("supplier", "the Supplier")):
        profile = jurisdictions.profiles.get(deal.get(f"{role}.country") or "")
        formalities = (profile.data.get("formalities") or {}) if profile else {}
        seal = formalities.get("seal") or {}
        title = deal.get(f"{role}.signatory.title") or formalities.get("signatory_title") or "Authorised Signatory"
        customary = bool(seal.get("customary") or seal.get("required"))
        out.append(
            {
                "party": _text(f"{deal.get(f'{role}.name', '')} ({label})"),
                "name": _text(deal.get(f"{role}.signatory.name", "")),
                "title": _text(title),
                "seal": customary,
                "seal_label": _text("Company seal" + (" (required)" if seal.get("required") else "")),
                "seal_note": _text(SEAL_INSTRUCTION),
            }
        )
    return out


PROFILE_ROLES = {
    "supplier_country": "supplier.country",
    "governing_law": "law.governing_law",
    "arbitration_agreement_law": "disputes.arbitration_agreement_law",
    "buyer_country": "buyer.country",
}


def provenance(composition: Composition, deal: Deal, sources: Sources) -> dict[str, str]:
    """What the document was made from, stamped into its custom properties."""
    lib = sources.library
    props = {
        "clausewright.tool_version": __version__,
        "clausewright.library": f"{lib.id} {lib.version}",
        "clausewright.template_sha256": hashlib.sha256(sources.template.blob).hexdigest(),
        "clausewright.deal_sha256": deal.fingerprint(),
    }
    for role, pid_key in PROFILE_ROLES.items():
        pid = deal.get(pid_key)
        if pid in sources.jurisdictions.profiles:
            p = sources.jurisdictions.profiles[pid]
            props[f"clausewright.profile.{role}"] = f"{p.id} {p.version} sha256:{p.sha256[:16]}"
    for section in composition.agreement.sections():
        props[f"clausewright.clause.{section.clause_id}"] = f"{section.version} sha256:{section.sha256[:16]}" + (
            f" position:{section.position}" if section.position else ""
        )
    for section in composition.agreement.sections():
        # where each clause starts in the document: the bookmark on its heading (read by `diff`)
        if section.paragraphs and section.paragraphs[0].bookmark:
            props[f"clausewright.bookmark.{section.clause_id}"] = section.paragraphs[0].bookmark
    return props


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write to a temporary file beside ``path``, then rename: never a half-written file."""
    path = Path(path)
    if path.exists() and not force:
        raise ClausewrightError(f"{path} already exists; use --force to replace it")
    if path.is_dir():
        raise ClausewrightError(f"{path} is a folder")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ClausewrightError(f"folder {parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
