"""What runs for one row, in a worker process (or in the main process with ``--jobs 1``).

A worker loads the sources once, when it starts (``init``): the library, the profiles and the
master template, whose compiled form is then reused for every row it renders. A worker forked
from the main process (Linux) starts with the main process's copy, already loaded and compiled. Each task is plain
data in and plain data out, and goes through the same pipeline functions as ``generate``.
With ``--pdf``, each worker converts its own rows through a LibreOffice of its own, started on
its first PDF and kept until the worker ends (``--jobs 2``: two conversions at a time).
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing.util
import os
import signal
import threading
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clausewright import pipeline, yamlio
from clausewright.bulk.layout import SUPPLIER_ID
from clausewright.bulk.naming import PDF, NamePattern
from clausewright.errors import ClausewrightError, FileAccessError, InputError, Problem
from clausewright.files import write_atomic
from clausewright.findings import FindingsError, blocking
from clausewright.ooxml import pdf as pdf_output
from clausewright.ooxml.layout import LayoutError
from clausewright.qa import terms as key_terms

GC_THRESHOLD = 5_000  # allocations between young-generation collections (Python's default: 700)

_sources: pipeline.Sources | None = None
_patterns: dict[str, NamePattern] = {}
_converter: pdf_output.PdfConverter | None = None  # this process's LibreOffice, from its first PDF on


def init(library_dir: Path | None, jurisdictions_dir: Path | None, template: Path | None, inherited: bool = False) -> None:
    """Process-pool initializer: load the sources once for every row this process will handle
    (a forked worker that ``inherited`` them from the main process uses that copy)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the main process
    if not (inherited and _sources is not None):
        use(pipeline.load_sources(library_dir, jurisdictions_dir, template))
    settle()
    threading.Thread(target=_watch_parent, args=(os.getppid(),), name="clausewright-parent-watch", daemon=True).start()


PARENT_CHECK_SECONDS = 0.5
_writing = threading.Lock()  # held while a row's files are written


def _watch_parent(parent: int) -> None:
    """End this worker when the main process is gone (killed outright, it could not stop its
    workers, which would wait for tasks forever). A row being written is finished first, so
    no temporary file is left behind."""
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if os.getppid() != parent:
            with _writing:
                close_pdf()
                os._exit(0)


def settle() -> None:
    """Garbage collection for a process that renders row after row: what is loaded so far stays
    for the whole run, so the collector stops scanning it (``gc.freeze``), and young objects are
    collected less often (a row makes tens of thousands of short-lived objects and almost no
    reference cycles). This takes about 3 ms of collection per row down to about 0.3 ms. (A larger
    threshold saves little more and lets a worker's memory creep up over thousands of rows.)"""
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, 10, 10)


def converter(pdf_a: bool) -> pdf_output.PdfConverter:
    """This process's PDF converter, started on first use; it ends with the process (or ``close_pdf``)."""
    global _converter
    if _converter is None or _converter.pdf_a != pdf_a:
        close_pdf()
        _converter = pdf_output.PdfConverter(pdf_a=pdf_a)
        multiprocessing.util.Finalize(_converter, _converter.close, exitpriority=10)  # run as a worker process ends
    return _converter


def close_pdf() -> None:
    """End this process's LibreOffice, if it started one."""
    global _converter
    if _converter is not None:
        _converter.close()
        _converter = None


def use(sources: pipeline.Sources) -> None:
    global _sources
    _sources = sources
    _patterns.clear()


def ping() -> bool:
    return _sources is not None


def identity() -> tuple[int, int, bool]:
    """This process, its sources object, and whether that object's master template is compiled
    already: the same for every task a worker runs."""
    sources = _require()
    return os.getpid(), id(sources), sources.template.compiled


@dataclass
class Check:
    number: int
    supplier_id: str | None
    answers: dict[str, Any]
    pattern: str
    level: str = "validate"
    comments: bool = True
    allow: tuple[str, ...] = ()


def notices(composition: Any, findings: list) -> list[dict[str, str]]:
    """A row's warnings and notes (the same as ``generate`` prints), as plain records."""
    out = [{"severity": "warning", "id": "assembly", "clause": "", "message": str(w)} for w in composition.agreement.warnings]
    for f in findings:
        if f.severity in ("warning", "info") or f.allowed:
            message = f.message + (f" (source: {f.source})" if f.source else "")
            if f.verify and "(verify)" not in message:
                message += " (verify)"
            out.append({"severity": "allowed error" if f.allowed else f.severity, "id": f.id, "clause": f.clause or "", "message": message})
    return out


@dataclass
class Checked:
    number: int
    stem: str | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)  # warnings and notes (``notices``)


@dataclass
class Write:
    number: int
    supplier_id: str | None
    answers: dict[str, Any]
    docx: str  # paths, already checked to lie inside the output folder
    answers_file: str
    header: str  # the comment that heads the answers file
    force: bool
    comments: bool
    allow: tuple[str, ...] = ()
    page_numbers: bool = False
    pdf: bool = False  # also write the PDF beside the DOCX
    pdf_a: bool = False  # as PDF/A-2b


@dataclass
class Written:
    number: int
    status: str  # written | unchanged | failed
    sha256: str | None = None
    library: str | None = None
    profiles: dict[str, str] = field(default_factory=dict)
    clauses: dict[str, str] = field(default_factory=dict)  # clause id -> "version sha256:... [position:...]", as in the provenance
    problems: list[Problem] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)  # warnings and notes (``notices``)
    terms: dict[str, Any] = field(default_factory=dict)  # the key terms, column -> value (``qa.terms.record``)
    stopped: FileAccessError | None = None  # an operating-system error, which stops the run
    pdf: str | None = None  # the PDF's file name, once written (``--pdf``)
    pdf_sha256: str | None = None


def check(task: Check) -> Checked:
    """Validate one row (and, by ``level``, assemble it and build its DOCX); name its output."""
    sources = _require()
    result = Checked(task.number)
    try:
        deal = pipeline.validate_deal(task.answers, sources, row=task.number)
    except InputError as exc:
        result.problems = [_at(p, task.number) for p in exc.problems]
        return result
    pattern = _patterns.get(task.pattern) or _patterns.setdefault(task.pattern, NamePattern(task.pattern, sources.schema))
    stem = pattern.render({**deal.flat, SUPPLIER_ID: task.supplier_id, "row": task.number})
    if stem:
        result.stem = stem
    else:
        result.problems.append(Problem("--name", f"the pattern {task.pattern!r} gives an empty file name for this row", task.number))
    if task.level in ("assemble", "build"):
        try:
            composition, findings = pipeline.assemble_checked(deal, sources, comments=task.comments, allow=task.allow, answers=task.answers)
            result.warnings = notices(composition, findings)
            if task.level == "build":
                pipeline.build_docx(composition, deal, sources, comments=task.comments)
        except FindingsError as exc:
            result.problems += _findings(exc, task.number)
        except ClausewrightError as exc:
            result.problems.append(Problem("(agreement)", str(exc), task.number))
        except Exception as exc:  # a bug must not stop the other rows
            result.problems.append(Problem("(agreement)", f"internal error ({type(exc).__name__}: {exc})", task.number))
    return result


def write(task: Write) -> Written:
    """Generate one row's DOCX and answers file, and write each unless an identical file is there."""
    sources = _require()
    try:
        deal = pipeline.validate_deal(task.answers, sources, row=task.number)
        composition, findings = pipeline.assemble_checked(deal, sources, comments=task.comments, allow=task.allow, answers=task.answers)
        docx, unnumbered = _docx(composition, deal, sources, task)
        terms = key_terms.record(pipeline.key_terms(composition, deal, sources))
        answers = (task.header + yamlio.dump(deal.answers(sources.schema))).encode("utf-8")
        with _writing:
            wrote = _write_pair(Path(task.docx), docx, Path(task.answers_file), answers, task.force)
    except FileAccessError as exc:
        return Written(task.number, "failed", problems=[Problem("(output)", str(exc), task.number)], stopped=exc)
    except OSError as exc:  # reading back a file already there
        error = FileAccessError(exc, action="read")
        return Written(task.number, "failed", problems=[Problem("(output)", str(error), task.number)], stopped=error)
    except InputError as exc:
        return Written(task.number, "failed", problems=[_at(p, task.number) for p in exc.problems])
    except FindingsError as exc:
        return Written(task.number, "failed", problems=_findings(exc, task.number))
    except ClausewrightError as exc:
        return Written(task.number, "failed", problems=[Problem("(agreement)", str(exc), task.number)])
    except Exception as exc:  # a bug must not stop the other rows
        return Written(task.number, "failed", problems=[Problem("(agreement)", f"internal error ({type(exc).__name__}: {exc})", task.number)])
    props = pipeline.provenance(composition, deal, sources)
    profiles = {key.rsplit(".", 1)[1]: value.split(" sha256:")[0] for key, value in props.items() if key.startswith("clausewright.profile.")}
    clauses = {key.split(".", 2)[2]: value for key, value in props.items() if key.startswith("clausewright.clause.")}
    result = Written(
        task.number,
        "written" if wrote else "unchanged",
        sha256=hashlib.sha256(docx).hexdigest(),
        library=props["clausewright.library"],
        profiles=profiles,
        clauses=clauses,
        warnings=notices(composition, findings) + unnumbered,
        terms=terms,
    )
    if task.pdf:
        _add_pdf(result, docx, Path(task.docx), task.pdf_a)
    return result


def _add_pdf(result: Written, docx: bytes, docx_path: Path, pdf_a: bool) -> None:
    """Write the PDF of a row's DOCX beside it and record it in ``result``; a PDF LibreOffice
    cannot make fails the row (its DOCX stays), a refused write stops the run."""
    pdf = docx_path.with_suffix(PDF)
    try:
        data = converter(pdf_a).pdf(docx, docx_path.name)
        with _writing:
            write_atomic(pdf, data, force=True)
    except FileAccessError as exc:
        result.status, result.problems, result.stopped = "failed", [Problem("(pdf)", str(exc), result.number)], exc
        return
    except LayoutError as exc:
        result.status, result.problems = "failed", [Problem("(pdf)", str(exc), result.number)]
        return
    result.pdf, result.pdf_sha256 = pdf.name, hashlib.sha256(data).hexdigest()


def _docx(composition: Any, deal: Any, sources: Any, task: Write) -> tuple[bytes, list[dict[str, str]]]:
    """A row's DOCX; with ``--page-numbers``, its contents numbered, or else a warning that says
    why it is not."""
    try:
        return pipeline.build_docx(composition, deal, sources, comments=task.comments, page_numbers=task.page_numbers), []
    except LayoutError as exc:
        warning = {"severity": "warning", "id": "contents", "clause": "", "message": f"contents without page numbers: {exc}"}
        return pipeline.build_docx(composition, deal, sources, comments=task.comments), [warning]


def _write_pair(docx_path: Path, docx: bytes, answers_path: Path, answers: bytes, force: bool) -> bool:
    """Write a row's DOCX and answers file; if the answers file cannot be written, a DOCX this
    call created is removed again, so that no document is left without its answers file."""
    existed = docx_path.exists()
    wrote = _write_if_changed(docx_path, docx, force)
    try:
        return _write_if_changed(answers_path, answers, force) or wrote
    except BaseException:
        if wrote and not existed:
            with suppress(OSError):
                docx_path.unlink()
        raise


def _write_if_changed(path: Path, data: bytes, force: bool) -> bool:
    """Write ``data`` atomically; False when the file already holds exactly ``data``."""
    if path.exists() and not path.is_dir():
        if path.read_bytes() == data:
            return False
        if not force:
            raise ClausewrightError(f"{path.name} already exists with different content; --force replaces it")
    write_atomic(path, data, force=force)
    return True


def _findings(exc: FindingsError, row: int) -> list[Problem]:
    """One problem per blocking finding, named by its id so ``--allow`` can accept it."""
    return [Problem(f"check {f.id}", f.line(), row) for f in blocking(exc.findings)]


def _at(problem: Problem, row: int) -> Problem:
    return problem if problem.row is not None else Problem(problem.field, problem.message, row)


def _require() -> pipeline.Sources:
    if _sources is None:
        raise RuntimeError("bulk worker used before init()")
    return _sources


def check_batch(tasks: list[Check]) -> list[Checked]:
    return [check(task) for task in tasks]
