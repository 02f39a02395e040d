"""One deal, one pack: the documents a deal lists in ``agreement.documents`` (``[nnn, supply]``),
drafted from one answers file into one folder.

Each document is drafted as ``generate`` drafts one (checked first; nothing is written when any
is refused), from the same answers, so the parties, the date and the reference are the same in
all of them. The folder holds, for each type ``T``: ``T.docx``, its drafting memo ``T.memo.docx``
and its answers file ``T.answers.yaml`` (which regenerates it alone); and one ``manifest.json``
that lists them with their SHA-256 (docs/pack.md).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clausewright import __version__, pipeline
from clausewright.errors import ClausewrightError
from clausewright.files import write_atomic
from clausewright.interview.output import answers_path, answers_text
from clausewright.ooxml.comments import Author
from clausewright.qa import memo as drafting_memo

MANIFEST = "manifest.json"
FORMAT = "clausewright-pack/1"
SHARED = ("agreement.reference", "agreement.date", "buyer.name", "buyer.country", "supplier.name", "supplier.country")


@dataclass
class Document:
    type: str
    docx: Path
    memo: Path
    answers: Path
    result: pipeline.Result


def generate(
    deal_file: Path,
    folder: Path,
    *,
    overrides: list[str] | tuple[str, ...] = (),
    sources: pipeline.Sources | None = None,
    comments: bool = True,
    force: bool = False,
    allow: list[str] | tuple[str, ...] = (),
    author: Author | None = None,
    page_numbers: bool = False,
) -> list[Document]:
    """Draft every document the deal lists into ``folder`` (created if needed) with the manifest.
    Every document is drafted and checked before anything is written; an existing file is
    replaced only with ``force``."""
    sources = sources or pipeline.load_sources()
    raw = pipeline.read_answers(deal_file, overrides)
    documents = pipeline.documents_of(raw, sources, source=str(deal_file))
    if not documents:
        raise ClausewrightError(f"{deal_file} lists no documents ({pipeline.DOCUMENTS}); give -o a .docx file to draft its one agreement")
    folder = Path(folder)
    drafted = []
    for type_id in documents:
        answers = pipeline.for_document(raw, type_id, documents, sources)
        result = pipeline.draft(answers, sources, source=f"{deal_file} ({type_id})", comments=comments, allow=allow, overrides=overrides,
                                author=author, page_numbers=page_numbers)
        docx = folder / f"{type_id}.docx"
        drafted.append(Document(type_id, docx, folder / f"{type_id}.memo.docx", answers_path(docx), result))
    outputs = [path for d in drafted for path in (d.docx, d.memo, d.answers)] + [folder / MANIFEST]
    if not force:
        for path in outputs:
            if path.exists():
                raise ClausewrightError(f"{path} already exists; use --force to replace it")
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for d in drafted:
        properties = pipeline.provenance(d.result.composition, d.result.deal, sources)
        memo = drafting_memo.build(d.result, sources, properties)
        d.result.output = d.docx
        write_atomic(d.docx, d.result.docx, force=force)
        write_atomic(d.memo, memo, force=force)
        write_atomic(d.answers, answers_text(d.result.deal, sources, d.docx).encode("utf-8"), force=force)
        entries.append(_entry(d, memo, properties))
    write_atomic(folder / MANIFEST, _manifest(deal_file, drafted[0].result.deal, sources, entries).encode("utf-8"), force=force)
    return drafted


def _entry(d: Document, memo: bytes, properties: dict[str, str]) -> dict[str, Any]:
    agreement = d.result.composition.agreement
    return {
        "type": d.type,
        "title": agreement.title,
        "docx": d.docx.name,
        "sha256": hashlib.sha256(d.result.docx).hexdigest(),
        "memo": d.memo.name,
        "memo_sha256": hashlib.sha256(memo).hexdigest(),
        "answers": d.answers.name,
        "deal_sha256": properties.get("clausewright.deal_sha256"),
        "clauses": len(agreement.body),
        "schedules": len(agreement.schedules),
    }


def _manifest(deal_file: Path, deal: pipeline.Deal, sources: pipeline.Sources, entries: list[dict[str, Any]]) -> str:
    """What the pack holds, and what its documents share (the same answers give every one of
    them the same reference, date and parties)."""
    shared = {pid: _text(deal.get(pid)) for pid in SHARED}
    lib = sources.library
    return json.dumps({
        "format": FORMAT,
        "deal": Path(deal_file).name,
        "library": f"{lib.id} {lib.version}",
        "tool_version": __version__,
        "shared": shared,
        "documents": entries,
    }, indent=2, ensure_ascii=False) + "\n"


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
