"""The assembly pipeline, as one function per stage:

    load sources -> read answers -> validate -> compose (select, render, number, resolve)
    -> write DOCX (render once into the master template) -> save atomically

``generate()`` is what the command line calls, and what a Python user calls too. ``Sources``
holds everything that is loaded once and reused for many documents (bulk runs).
"""

from __future__ import annotations

import copy
import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clausewright import resources
from clausewright.assembly import front_matter
from clausewright.assembly.compose import Composition, compose
from clausewright.errors import ClausewrightError, InputError, Problem, UsageError, nearest
from clausewright.files import write_atomic
from clausewright.findings import Finding, FindingsError, blocking
from clausewright.formatting import DEFAULT_LOCALE
from clausewright.inputs.agreement_types import TYPE_PARAMETER, AgreementType
from clausewright.inputs.deal import Deal, apply_overrides, flatten, read_deal_file, validate
from clausewright.inputs.jurisdictions import Jurisdictions, load_jurisdictions
from clausewright.inputs.library import Library, load_library
from clausewright.ooxml import document, layout, writer
from clausewright.ooxml import pdf as pdf_output
from clausewright.ooxml.comments import Author
from clausewright.ooxml.template import MasterTemplate
from clausewright.provenance import provenance as stamp
from clausewright.qa import memo as drafting_memo
from clausewright.qa import terms as key_terms_of
from clausewright.qa.review import review


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
    unnumbered_contents: str = ""  # why the contents has no page numbers, when it has none and they were asked for


def load_sources(library_dir: Path | None = None, jurisdictions_dir: Path | None = None, template: Path | None = None) -> Sources:
    if _kept is not None and not (library_dir or jurisdictions_dir or template) and _kept[0] == resources.fingerprint():
        return _kept[1]
    library = load_library(Path(library_dir) if library_dir else resources.library_dir())
    jurisdictions = load_jurisdictions(Path(jurisdictions_dir) if jurisdictions_dir else resources.jurisdictions_dir())
    library.schema.bind_catalogues(jurisdictions.catalogues(), jurisdictions.other_names())
    master = MasterTemplate(Path(template) if template else resources.master_template())
    return Sources(library=library, jurisdictions=jurisdictions, template=master)


_kept: tuple[str, Sources] | None = None  # the bundled sources and their files' fingerprint (keep_bundled_sources)


def keep_bundled_sources() -> Sources:
    """Load the bundled sources, and have ``load_sources`` give these again while their files are
    unchanged (the resident process, whose copies each run one command: resident/server.py)."""
    global _kept
    fingerprint = resources.fingerprint()
    _kept = None
    _kept = (fingerprint, load_sources())
    return _kept[1]


def read_answers(deal_file: Path | None, overrides: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    raw = read_deal_file(Path(deal_file)) if deal_file else {}
    return apply_overrides(raw, list(overrides))


DOCUMENTS = "agreement.documents"  # a pack: the types of agreement one answers file drafts


def documents_of(raw: dict[str, Any], sources: Sources, *, source: str | None = None) -> list[str]:
    """The types of agreement a deal lists in ``agreement.documents``, in its order (none: a deal
    for one document). Each must be a type of the library; ``agreement.type`` may not be given
    with it, since each document of the pack has its own."""
    agreement = raw.get("agreement")
    if not isinstance(agreement, dict) or "documents" not in agreement:
        return []
    value = agreement["documents"]
    items = value if isinstance(value, list) else [part for part in str(value or "").split(";") if part.strip()]
    types = sources.library.types
    problems = []
    listed: list[str] = []
    for item in items:
        tid = str(item).strip()
        if tid in types:
            listed += [] if tid in listed else [tid]
            continue
        close = nearest(tid, list(types), count=1)
        problems.append(Problem(DOCUMENTS, f"{tid!r} is not a type of agreement of the library ({', '.join(types)})" + (f"; did you mean {close[0]}?" if close else "")))
    if not items:
        problems.append(Problem(DOCUMENTS, f"lists no document; give the types of agreement to draft, e.g. [{', '.join(types)}]"))
    if "type" in agreement:
        problems.append(Problem(TYPE_PARAMETER, f"give either {TYPE_PARAMETER} (one document) or {DOCUMENTS} (a pack, each document of its own type), not both"))
    if problems:
        raise InputError(problems, source)
    return listed


def for_document(raw: dict[str, Any], type_id: str, documents: list[str], sources: Sources) -> dict[str, Any]:
    """The answers of one document of a pack: the pack's answers, with ``agreement.type`` set to
    the document's type and without the answers only the pack's other documents ask (those are
    theirs, not answers this document leaves unused)."""
    answers = copy.deepcopy(raw)
    agreement = answers["agreement"]
    del agreement["documents"]
    agreement["type"] = type_id
    types = sources.library.types
    own = types[type_id]
    others = [types[d] for d in documents if d != type_id]
    flat, _ = flatten(answers, sources.schema)
    for pid in flat:
        if not own.asks_parameter(pid) and any(other.asks_parameter(pid) for other in others):
            _remove(answers, pid.split("."))
    for other in others:  # what signing the others alongside settles (e.g. the NNN agreement is signed)
        for pid, value in other.in_pack.items():
            if own.asks_parameter(pid):
                _put(answers, pid.split("."), value)
    return answers


def agreement_type(sources: Sources, type_id: str | None) -> AgreementType:
    """The library's type ``type_id`` (None: its default type); another is refused with the nearest."""
    library = sources.library
    if type_id is None:
        return library.default_type
    if type_id not in library.types:
        close = nearest(type_id, library.types, count=1)
        raise UsageError(f"--type {type_id}: not a type of agreement of the library ({', '.join(library.types)})" + (f"; did you mean {close[0]}?" if close else ""))
    return library.types[type_id]


def one_document(raw: dict[str, Any], sources: Sources, type_id: str | None = None, *, source: str | None = None,
                 fits: Callable[[str], bool] | None = None, option: str = "--type") -> dict[str, Any]:
    """The answers of the one document a command works on (``diff --against-library``, ``clauses
    render``, ``terms``): a deal for one document as it is; in a pack, those of its document of
    type ``type_id``, or without it, of the one document the pack lists that ``fits`` accepts
    (the one that uses the clause asked for). Anything else is refused with the types to choose from."""
    listed = documents_of(raw, sources, source=source)
    name = source or "the deal"
    if not listed:
        if type_id is not None:
            raise UsageError(f"{option} {type_id} chooses a document of a pack (agreement.documents); {name} drafts one document")
        return raw
    if type_id is None:
        candidates = [t for t in listed if fits is not None and fits(t)]
        if len(candidates) != 1:
            raise UsageError(f"{name} is a pack of {len(listed)} documents ({', '.join(listed)}): say which with {option} "
                             + " or ".join(listed))
        type_id = candidates[0]
    if type_id not in listed:
        raise UsageError(f"{option} {type_id}: {name} lists the documents {', '.join(listed)}")
    return for_document(raw, type_id, listed, sources)


def _put(tree: dict[str, Any], path: list[str], value: Any) -> None:
    node = tree
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def _remove(tree: dict[str, Any], path: list[str]) -> None:
    node: Any = tree
    for part in path[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(path[-1], None)


def validate_deal(
    raw: dict[str, Any], sources: Sources, *, source: str | None = None, row: int | None = None, overrides: list[str] | tuple[str, ...] = ()
) -> Deal:
    """Validate answers as read; ``overrides`` (the ``--set`` items applied) are named in the problems they cause."""
    return validate(raw, sources.schema, sources.jurisdictions, source=source, row=row, overrides=overrides)


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


def build_docx(
    composition: Composition, deal: Deal, sources: Sources, *, comments: bool = True, author: Author | None = None, page_numbers: bool = False
) -> bytes:
    """The agreement's DOCX. ``author`` signs the comments (and is the document's author); by
    default the library's ``wording.author``. ``page_numbers`` lays the document out once with
    LibreOffice and writes each contents entry's page number (``ooxml/layout.py``; raises
    ``layout.LayoutError`` when it cannot); without, the contents is left for Word to number."""
    agreement, wording = composition.agreement, sources.library.wording_for(sources.library.type_of(deal), deal.get("agreement.locale"))
    when = deal.get("agreement.date")
    locale = str(deal.get("agreement.locale") or DEFAULT_LOCALE)

    def build(pages: dict[str, str] | None) -> bytes:
        return document.build(
            agreement,
            sources.template,
            cover=front_matter.cover(agreement.title, deal, wording),
            signatures=front_matter.signature_blocks(deal, sources.jurisdictions, wording),
            properties=provenance(composition, deal, sources),
            dated=when if isinstance(when, _dt.date) else None,
            author=author or Author(wording["author"]),
            language=locale.replace("_", "-"),
            with_comments=comments,
            pages=pages,
        )

    if not page_numbers:
        return build(None)
    if layout.soffice() is None:
        raise layout.LayoutError(layout.NOT_INSTALLED)
    # The body's pages do not depend on the numbers in the contents (its own section, before the
    # page numbering restarts), so the document laid out with placeholders gives the final pages.
    bookmarks = [bookmark for _, _, bookmark in writer.contents_entries(agreement)]
    placeholders = build(dict.fromkeys(bookmarks, "0"))
    return build(layout.printed_pages(placeholders, bookmarks))


def draft(
    raw: dict[str, Any],
    sources: Sources,
    *,
    source: str | None = None,
    comments: bool = True,
    allow: list[str] | tuple[str, ...] = (),
    overrides: list[str] | tuple[str, ...] = (),
    author: Author | None = None,
    page_numbers: bool = False,
) -> Result:
    """Answers as read -> the checked agreement as DOCX bytes (nothing written). With
    ``page_numbers``, the contents shows page numbers when LibreOffice can lay the document out;
    when it cannot, the contents is left for Word to number and ``unnumbered_contents`` says why."""
    deal = validate_deal(raw, sources, source=source, overrides=overrides)
    composition, findings = assemble_checked(deal, sources, comments=comments, allow=allow, answers=raw)
    unnumbered = ""
    try:
        docx = build_docx(composition, deal, sources, comments=comments, author=author, page_numbers=page_numbers)
    except layout.LayoutError as exc:
        docx, unnumbered = build_docx(composition, deal, sources, comments=comments, author=author), str(exc)
    return Result(deal=deal, composition=composition, docx=docx, warnings=list(composition.agreement.warnings), findings=findings, unnumbered_contents=unnumbered)


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
    author: Author | None = None,
    page_numbers: bool = False,
    pdf: Path | None = None,
    pdf_a: bool = False,
) -> Result:
    """Generate one agreement. With ``output`` None, the DOCX is returned but not written.

    The assembled agreement is checked first (docs/qa.md): an error-level finding raises
    ``FindingsError`` and nothing is written, unless ``allow`` names its id. ``memo`` also writes
    the drafting memo there. ``page_numbers``: see ``draft``. ``pdf`` also writes the agreement's
    PDF there (PDF/A-2b with ``pdf_a``), converted before anything is written, so a conversion
    that fails (``layout.LayoutError``) leaves no file behind."""
    sources = sources or load_sources()
    raw = read_answers(deal_file, overrides)
    result = draft(raw, sources, source=str(deal_file) if deal_file else None, comments=comments, allow=allow, overrides=overrides, author=author, page_numbers=page_numbers)
    result.output = output
    memo_docx = None
    if memo is not None:
        if output is not None and Path(memo).resolve() == Path(output).resolve():
            raise ClausewrightError(f"{memo}: the memo and the agreement cannot be the same file")
        if Path(memo).exists() and not force:
            raise ClausewrightError(f"{memo} already exists; use --force to replace it")
        memo_docx = memo_of(result, sources)
    pdf_copy = None
    if pdf is not None:
        if Path(pdf).exists() and not force:
            raise ClausewrightError(f"{pdf} already exists; use --force to replace it")
        with pdf_output.PdfConverter(pdf_a=pdf_a) as converter:
            pdf_copy = converter.pdf(result.docx, Path(output).name if output is not None else "the agreement")
    if output is not None:
        write_atomic(Path(output), result.docx, force=force)
    if memo is not None and memo_docx is not None:
        write_atomic(Path(memo), memo_docx, force=force)
    if pdf is not None and pdf_copy is not None:
        write_atomic(Path(pdf), pdf_copy, force=force)
    return result


def memo_of(result: Result, sources: Sources) -> bytes:
    """The drafting memo for a drafted agreement, as DOCX bytes (``qa/memo.py``)."""
    return drafting_memo.build(result, sources, provenance(result.composition, result.deal, sources))


def key_terms(composition: Composition, deal: Deal, sources: Sources) -> list[key_terms_of.Term]:
    """The key terms of the assembled agreement, each with its clause number (docs/terms.md)."""
    return key_terms_of.key_terms(sources.library, deal, sources.jurisdictions, composition)


def provenance(composition: Composition, deal: Deal, sources: Sources) -> dict[str, str]:
    """What the document was made from (``provenance.py``), for its custom properties."""
    return stamp(composition, deal, sources.library, sources.jurisdictions, sources.template.blob)
