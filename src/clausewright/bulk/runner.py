"""Plan every row, then write them: the logic of ``bulk validate`` and ``bulk run``.

1. **Check** (nothing is written): read each row, merge it over ``--defaults``, validate it with
   the pipeline's validation, and name its output. ``bulk validate`` also assembles each
   agreement, ``--dry-run`` also builds each DOCX in memory, so that they report every problem a
   real run would meet. Then the checks that span rows: duplicate supplier ids, name collisions,
   names leading outside ``--out``, and existing files. Any of those stops the run before anything
   is written (exit 3), as does a bad row under ``--fail-fast`` or when no row is valid.
2. **Write**: each valid row is generated and written (DOCX and answers file, each atomically) by
   a pool of worker processes that loaded the sources once; each result is recorded in the
   manifest as it arrives. Rows that failed the check, or fail now, go to errors.csv.

Rows are read from the input twice (once per step) rather than held in memory, so memory stays
flat however many rows there are.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import shlex
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clausewright import __version__, pipeline
from clausewright.bulk import manifest, naming, worker
from clausewright.bulk.defaults import review as review_defaults
from clausewright.bulk.errors import (
    EXIT_OK,
    EXIT_PREFLIGHT,
    EXIT_ROWS_FAILED,
    OverwriteRefused,
    PreflightError,
    RunStopped,
)
from clausewright.bulk.layout import SUPPLIER_ID, Layout, column_name, merge
from clausewright.bulk.lock import RunLock
from clausewright.bulk.progress import Progress
from clausewright.bulk.reading import BulkInput
from clausewright.errors import ClausewrightError, FileAccessError, Problem
from clausewright.inputs.types import Invalid, Text, normalise_text
from clausewright.ooxml import pdf as pdf_output
from clausewright.qa import terms as key_terms
from clausewright.quoting import argument, comment, csv_lines

CHECK_BATCH = 32  # rows per task while checking (cheap per row); writing sends one row per task
MAX_SUPPLIER_ID = Text.default_max  # characters, as for any single-line text


@dataclass
class Options:
    suppliers: Path
    defaults: Path | None = None
    out_dir: Path | None = None
    jobs: int = 0  # 0: one per core
    pattern: str = naming.DEFAULT_PATTERN
    resume: bool = False
    force: bool = False
    fail_fast: bool = False
    dry_run: bool = False
    comments: bool = True
    allow: tuple[str, ...] = ()
    page_numbers: bool = False  # lay each document out with LibreOffice for the contents' page numbers
    pdf: bool = False  # also write each document's PDF beside it
    pdf_a: bool = False  # as PDF/A-2b
    library_dir: Path | None = None
    jurisdictions_dir: Path | None = None
    template: Path | None = None


@dataclass(slots=True)
class Plan:
    """One row after the check: what to write, or why not."""

    number: int
    supplier_id: str | None
    input_sha256: str
    stem: str | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)  # warnings and notes of the check


@dataclass
class Report:
    exit_code: int
    rows: int = 0
    written: int = 0
    unchanged: int = 0
    failed: int = 0
    not_run: int = 0
    problems: list[tuple[Problem, str | None]] = field(default_factory=list)  # (problem, supplier id)
    planned: list[list[str]] = field(default_factory=list)  # dry run: each row's files that would be written (its DOCX, and its PDF with --pdf)
    out_dir: Path | None = None
    seconds: float = 0.0
    notices: list[tuple[int, str | None, dict[str, str]]] = field(default_factory=list)  # (row, supplier id, warning or note) of the check
    run_notices: list[str] = field(default_factory=list)  # about the run as a whole ("Note: ...", "Warning: ...")
    hint: str | None = None  # what would fix most of the problems
    stopped: FileAccessError | None = None  # the operating-system error that stopped the run
    warning_count: int = 0  # warnings (not notes) of the check, or of the documents written (those go to warnings.csv, not to memory)
    warning_rows: int = 0

    def count(self, notices: list[dict[str, str]]) -> None:
        """Count one row's warnings and notes (each row is counted once, by the check or the write)."""
        warnings = sum(1 for n in notices if n["severity"] != "info")
        self.warning_count += warnings
        self.warning_rows += warnings > 0


class Runner:
    def __init__(self, options: Options, sources: pipeline.Sources, progress: Progress | None = None):
        self.options = options
        self.sources = sources
        self.progress = progress or Progress(enabled=False)
        self.jobs = options.jobs if options.jobs and options.jobs > 0 else (os.cpu_count() or 1)
        self.layout = Layout(sources.schema)
        naming.NamePattern(options.pattern, sources.schema)  # a bad pattern is a usage error, reported now
        self.input = BulkInput(options.suppliers, self.layout)
        self.defaults = pipeline.read_answers(options.defaults) if options.defaults else {}
        shared = review_defaults(self.defaults, sources.schema)
        if shared.refused:
            raise PreflightError(
                f"{options.defaults}: sets what belongs to each supplier, which --defaults would copy into every agreement; nothing was written:",
                shared.refused,
                ["Give these in columns of the supplier list (bulk template writes one), and keep in --defaults only the buyer and the terms every agreement shares."],
            )
        self.run_notices = [f"Note: {n}" for n in shared.notes] + [f"Warning: {w}" for w in shared.warnings]
        self.fingerprint = manifest.sources_fingerprint(
            sources.library.directory, sources.jurisdictions.directory, sources.template.blob, __version__
        )
        self._pool: _Pool | None = None
        if options.pdf:
            pdf_output.require()  # before anything is checked or written (a dry run stops as the run would)
            pdf_output.uno_python()  # looked for once, here: forked workers inherit the answer

    # --- entry points ----------------------------------------------------------------------------

    def validate(self, level: str = "assemble") -> Report:
        """Check every row; write nothing. Exit code 0 when every row is valid, else 3."""
        started = time.perf_counter()
        try:
            plans = self._check(level)
            report = self._report(plans)
            report.problems += self._named_problems(plans)
        finally:
            self.close()
        report.exit_code = EXIT_PREFLIGHT if report.problems else EXIT_OK
        report.seconds = time.perf_counter() - started
        return report

    def run(self) -> Report:
        started = time.perf_counter()
        try:
            report = self._run()
        finally:
            self.close()
        report.seconds = time.perf_counter() - started
        return report

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    # --- step 1: check ---------------------------------------------------------------------------

    def _inputs(self) -> Iterator[tuple[Any, dict[str, Any], str]]:
        """Each input row with its answers merged over the defaults and its input hash."""
        for row in self.input.rows():
            answers = merge(self.defaults, row.answers)
            yield row, answers, manifest.input_hash(row.supplier_id, answers, self.fingerprint, self.options.comments, self.options.page_numbers)

    def _check(self, level: str) -> list[Plan]:
        if self.input.problems:
            raise PreflightError(f"{self.options.suppliers}: the columns are not usable; nothing was written:", self.input.problems)
        plans: dict[int, Plan] = {}

        def batches() -> Iterator[list[worker.Check]]:
            batch: list[worker.Check] = []
            for row, answers, digest in self._inputs():
                plan = plans[row.number] = Plan(row.number, row.supplier_id, digest, problems=list(row.problems))
                plan.problems += supplier_id_problems(row.supplier_id, row.number)
                batch.append(worker.Check(row.number, row.supplier_id, answers, self.options.pattern, level, self.options.comments, self.options.allow))
                if len(batch) == CHECK_BATCH:
                    yield batch
                    batch = []
            if batch:
                yield batch

        pool = self._pool_for()  # workers start before the progress display's thread does
        self.progress.start("checking", None)
        for _, results in pool.run(worker.check_batch, batches()):
            for checked in results:
                plan = plans[checked.number]
                plan.stem = checked.stem
                refused = {p.field for p in plan.problems}  # a cell refused while reading is not reported again (as missing)
                plan.problems += [p for p in checked.problems if column_name(p.field) not in refused]
                plan.warnings = checked.warnings
            self.progress.advance(len(results))
        self.progress.finish()
        if not plans:
            raise PreflightError(f"{self.options.suppliers}: no supplier rows; nothing was written")
        ordered = [plans[n] for n in sorted(plans)]
        if self.input.kind in ("csv", "xlsx"):
            for plan in ordered:
                plan.problems = [Problem(column_name(p.field), p.message, p.row) for p in plan.problems]
        return ordered

    def _named_problems(self, plans: list[Plan]) -> list[tuple[Problem, str | None]]:
        """Problems across rows: duplicate supplier ids and file names that clash."""
        problems: list[tuple[Problem, str | None]] = []
        first: dict[str, int] = {}
        for plan in plans:
            if plan.supplier_id:
                key = plan.supplier_id.casefold()
                if key in first:
                    problems.append((Problem(SUPPLIER_ID, f"{plan.supplier_id!r} is also the id of row {first[key]}; supplier ids must be unique", plan.number), plan.supplier_id))
                first.setdefault(key, plan.number)
        named = [(plan.number, plan.stem) for plan in plans if plan.stem and not plan.problems]
        ids = {plan.number: plan.supplier_id for plan in plans}
        problems += [(p, ids.get(p.row) if p.row is not None else None) for p in naming.collisions(named)]
        return problems

    def _report(self, plans: list[Plan]) -> Report:
        report = Report(EXIT_OK, rows=len(plans), out_dir=self.options.out_dir, run_notices=list(self.run_notices))
        for plan in plans:
            report.problems += [(p, plan.supplier_id) for p in plan.problems]
            report.notices += [(plan.number, plan.supplier_id, n) for n in plan.warnings]
            report.count(plan.warnings)
        report.hint = self._hint([p for p, _ in report.problems])
        return report

    def _hint(self, problems: list[Problem]) -> str | None:
        """Without --defaults, shared values reported missing in every row: say where they go."""
        if self.options.defaults is not None:
            return None
        shared = {param.id for param in self.sources.schema.parameters if param.bulk != "row"}
        missing = sorted({p.field for p in problems if p.field in shared and p.message.startswith("missing")})
        if not missing:
            return None
        return (f"Hint: {len(missing)} value(s) that every agreement shares are missing ({', '.join(missing[:3])}{', ...' if len(missing) > 3 else ''}); "
                "give them once in a deal file with --defaults (samples/bulk/defaults.yaml is an example)")

    # --- step 2: write ---------------------------------------------------------------------------

    def _run(self) -> Report:
        opts = self.options
        plans = self._check("build" if opts.dry_run else "validate")
        report = self._report(plans)
        good = self._refuse_bad_rows(plans, report)
        out_dir = self._out_dir()
        if opts.dry_run:
            targets, skipped = self._targets(good, out_dir, report)
            suffixes = (naming.DOCX, naming.PDF) if opts.pdf else (naming.DOCX,)
            report.planned = [[targets[n] + suffix for suffix in suffixes] for n in sorted(targets) if n not in skipped]
            report.unchanged = len(skipped)
            report.exit_code = EXIT_PREFLIGHT if report.problems else EXIT_OK
            return report
        with self._claim(out_dir):
            targets, skipped = self._targets(good, out_dir, report)
            self._write_all(plans, out_dir, targets, skipped, report)
        if report.stopped is not None:
            not_written = report.rows - report.written - report.unchanged
            raise RunStopped(report.stopped, written=report.written, unchanged=report.unchanged, not_written=not_written, manifest=out_dir / manifest.MANIFEST)
        report.exit_code = EXIT_ROWS_FAILED if report.failed or report.not_run else EXIT_OK
        return report

    @contextmanager
    def _claim(self, out_dir: Path) -> Iterator[None]:
        """Create ``--out`` if needed and hold it for this run alone (``lock.RunLock``); a run
        refused before it writes anything leaves no folder behind."""
        created = not out_dir.exists()
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FileAccessError(exc, out_dir, "create") from None
        try:
            with RunLock(out_dir):
                manifest.refuse_links(out_dir)
                yield
        except PreflightError:
            if created:
                with suppress(OSError):
                    out_dir.rmdir()
            raise

    def _refuse_bad_rows(self, plans: list[Plan], report: Report) -> list[Plan]:
        """The valid rows; refuses the run when rows clash, or when invalid rows stop it."""
        opts = self.options
        cross = self._named_problems(plans)
        if cross:
            raise PreflightError("some rows cannot be told apart; nothing was written:", [p for p, _ in cross])
        good = [plan for plan in plans if not plan.problems]
        if report.problems and (opts.fail_fast or not good):
            why = "--fail-fast" if opts.fail_fast and good else "no row is valid"
            raise PreflightError(
                f"{len({p.row for p, _ in report.problems})} row(s) failed validation ({why}); nothing was written:",
                [p for p, _ in report.problems],
                [report.hint] if report.hint else None,
            )
        return good

    def _out_dir(self) -> Path:
        if self.options.out_dir is None:
            raise PreflightError("--out is needed to write documents")
        out_dir = Path(self.options.out_dir)
        if out_dir.exists() and not out_dir.is_dir():
            raise PreflightError(f"--out {out_dir} is a file, not a folder")
        return out_dir

    def _targets(self, good: list[Plan], out_dir: Path, report: Report) -> tuple[dict[int, str], dict[int, dict]]:
        """Row -> file stem for every valid row, and the rows --resume skips (with their manifest
        entries); refuses names that leave --out and files that would be overwritten (naming the
        rows that failed their check too)."""
        opts = self.options
        previous = manifest.read_previous(out_dir) if opts.resume and out_dir.is_dir() else {}
        targets: dict[int, str] = {}  # row -> file stem (paths are made from it when needed)
        skipped: dict[int, dict] = {}
        conflicts, escapes = [], []
        for plan in good:
            assert plan.stem is not None  # every valid row has a file name
            try:
                docx = naming.target(out_dir, plan.stem, naming.DOCX)
                answers = naming.target(out_dir, plan.stem, naming.ANSWERS)
            except ClausewrightError as exc:
                escapes.append(Problem("--name", str(exc), plan.number))
                continue
            targets[plan.number] = plan.stem
            taken = [path for path in (docx, answers, *([docx.with_suffix(naming.PDF)] if opts.pdf else [])) if path.exists()]
            if not taken or opts.force:
                continue
            before = previous.get(docx.name)
            if opts.resume and before and before.get("input_sha256") == plan.input_sha256 and _finished(before, docx, answers, docx.with_suffix(naming.PDF) if opts.pdf else None):
                skipped[plan.number] = before
            elif not opts.resume or (before and before.get("input_sha256") != plan.input_sha256):
                why = "its inputs changed since it was written" if opts.resume else "it already exists"
                conflicts.append(Problem("--out", f"{(docx if docx in taken else taken[0]).name}: {why}", plan.number))
        if escapes:
            raise PreflightError("some names lead outside --out; nothing was written:", escapes)
        if conflicts:
            hint = "--force replaces them" if opts.resume else "--resume skips rows already done; --force replaces them"
            raise OverwriteRefused(conflicts, hint, [p for p, _ in report.problems])
        return targets, skipped

    def _write_all(self, plans: list[Plan], out_dir: Path, targets: dict[int, str], skipped: dict[int, dict], report: Report) -> None:
        """Record failed and skipped rows, write the others, and finish the manifest, errors.csv,
        warnings.csv and terms.csv. An operating-system error (a full disk) stops the run: rows not
        started are ``not-run``, the manifest keeps every line written so far whole, the CSV
        records are written if they can be, and ``report.stopped`` says why."""
        manifest.remove_leftovers(out_dir, [stem + suffix for stem in targets.values() for suffix in (naming.DOCX, naming.ANSWERS, naming.PDF)])
        self._base = out_dir.resolve()
        records = _Records(out_dir, plans, key_terms.columns(self.sources.library.terms))
        complete = False
        try:
            by_number = {plan.number: plan for plan in plans}
            for plan in plans:
                if plan.problems:
                    records.record(plan, self._entry(plan, "failed"))
                    report.failed += 1
            for number, before in skipped.items():
                entry = {**self._entry(by_number[number], "unchanged", *self._paths(targets[number])), **_carried(before)}
                records.record(by_number[number], entry, terms=entry.get("terms") or {})
                report.unchanged += 1
            self._write(by_number, targets, skipped, records, report)
            complete = True
        except FileAccessError as exc:  # a record could not be written
            report.stopped = report.stopped or exc
        finally:
            try:
                records.journal.close(complete=complete)
            except FileAccessError as exc:
                report.stopped = report.stopped or exc
        try:
            manifest.write_errors(out_dir, report.problems)
            records.finish()
        except FileAccessError as exc:
            report.stopped = report.stopped or exc
        finally:
            records.discard()

    def _write(self, plans: dict[int, Plan], targets: dict, skipped: dict, records: _Records, report: Report) -> None:
        opts = self.options
        todo = {n for n in targets if n not in skipped}
        header = _Header(self)

        def tasks() -> Iterator[worker.Write]:
            for row, answers, digest in self._inputs():
                if row.number not in todo:
                    continue
                plan = plans[row.number]
                if digest != plan.input_sha256:  # the file was changed while the run went on
                    plan.problems.append(Problem("(input)", "the row changed during the run; run again", row.number))
                    continue
                docx, answers_file = self._paths(targets[row.number])
                yield worker.Write(row.number, row.supplier_id, answers, str(docx), str(answers_file), header(plan, docx, answers_file), opts.force, opts.comments, opts.allow,
                                   opts.page_numbers, opts.pdf, opts.pdf_a)

        self.progress.start("writing", len(todo))
        pending = set(todo)
        stop = False
        try:
            for task, result in self._pool_for().run(worker.write, tasks(), stop=lambda: stop):  # noqa: B023 - reads the flag as it is set below
                plan = plans[task.number]
                pending.discard(task.number)
                docx, answers_file = self._paths(targets[task.number])
                if result.status == "failed":
                    plan.problems += result.problems
                    report.problems += [(p, plan.supplier_id) for p in result.problems]
                    report.failed += 1
                    records.record(plan, self._entry(plan, "failed"))
                    report.stopped = report.stopped or result.stopped
                    stop = stop or opts.fail_fast or report.stopped is not None
                else:
                    entry = self._entry(plan, result.status, docx, answers_file, result)
                    report.count(result.warnings)
                    records.record(plan, entry, notices=result.warnings, terms=result.terms)
                    report.written += result.status == "written"
                    report.unchanged += result.status == "unchanged"
                self.progress.advance()
        finally:
            self.progress.finish()
        for number in sorted(pending):
            plan = plans[number]
            if plan.problems:  # changed during the run
                report.problems += [(p, plan.supplier_id) for p in plan.problems]
                report.failed += 1
                records.record(plan, self._entry(plan, "failed"))
            else:
                report.not_run += 1
                records.record(plan, self._entry(plan, "not-run"))

    def _paths(self, stem: str) -> tuple[Path, Path]:
        """The DOCX and answers file of a stem, in the (resolved) output folder checked before."""
        return self._base / f"{stem}{naming.DOCX}", self._base / f"{stem}{naming.ANSWERS}"

    def _entry(self, plan: Plan, status: str, docx: Path | None = None, answers: Path | None = None, result: worker.Written | None = None) -> dict[str, Any]:
        lib = self.sources.library
        return {
            "row": plan.number,
            "supplier_id": plan.supplier_id,
            "status": status,
            "output": docx.name if docx else None,
            "answers": answers.name if answers else None,
            "sha256": result.sha256 if result else None,
            **({"pdf": result.pdf, "pdf_sha256": result.pdf_sha256} if result and result.pdf else {}),
            "input_sha256": plan.input_sha256,
            "library": result.library if result and result.library else f"{lib.id} {lib.version}",
            "profiles": result.profiles if result else {},
            "clauses": result.clauses if result else {},
            "tool_version": __version__,
            "problems": len(plan.problems),
            "warnings": [f"{n['id']}: {n['message']}" for n in (result.warnings if result else []) if n["severity"] != "info"],
            "notes": [f"{n['id']}: {n['message']}" for n in (result.warnings if result else []) if n["severity"] == "info"],
            "terms": result.terms if result else {},
        }

    # --- processes -------------------------------------------------------------------------------

    def _pool_for(self) -> _Pool:
        if self._pool is None:
            self._pool = _Pool(self.jobs, self)
        return self._pool


def supplier_id_problems(supplier_id: str | None, row: int) -> list[Problem]:
    """A supplier id is required, and is one line of text (it names files, and appears in
    errors.csv, the manifest and the answers files' comments)."""
    if not supplier_id:
        return [Problem(SUPPLIER_ID, "missing; every row needs a supplier id", row)]
    try:
        normalise_text(supplier_id, multiline=False)
    except Invalid as exc:
        return [Problem(SUPPLIER_ID, str(exc), row)]
    if len(supplier_id) > MAX_SUPPLIER_ID:
        return [Problem(SUPPLIER_ID, f"is {len(supplier_id):,} characters long; the limit is {MAX_SUPPLIER_ID}", row)]
    return []


def _finished(before: dict[str, Any], docx: Path, answers: Path, pdf: Path | None = None) -> bool:
    """The manifest says this document (and its ``pdf``, when asked for) was made, and each file
    on disk is the one it recorded."""
    if before.get("status") not in ("written", "unchanged") or not docx.is_file() or not answers.is_file():
        return False
    if pdf is not None and not (pdf.is_file() and _sha256(pdf) == before.get("pdf_sha256")):
        return False
    return _sha256(docx) == before.get("sha256")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _carried(before: dict[str, Any]) -> dict[str, Any]:
    return {k: before[k] for k in ("sha256", "pdf", "pdf_sha256", "library", "profiles", "clauses", "warnings", "notes", "terms") if k in before}


class _Records:
    """What a run records of each row as it finishes, each in row order: its manifest line
    (``manifest.Journal``), its warnings and notes in warnings.csv (those of the check, then those
    of the write) and its key terms in terms.csv (one line per agreement written or found
    unchanged). Nothing is kept in memory but the lines that arrive ahead of an unfinished row."""

    def __init__(self, out_dir: Path, plans: list[Plan], term_columns: list[str]):
        rows = [plan.number for plan in plans]
        self.term_columns = term_columns
        self.journal = manifest.Journal(out_dir, rows)
        self._files: list[manifest.RowOrdered] = []
        try:
            self.warnings = manifest.row_csv(out_dir, manifest.WARNINGS, manifest.WARNING_COLUMNS, rows)
            self._files.append(self.warnings)
            self.terms = manifest.row_csv(out_dir, manifest.TERMS, [*manifest.TERMS_LEADING, *term_columns], rows)
            self._files.append(self.terms)
        except FileAccessError:
            self.journal.close(complete=False)
            self.discard()
            raise

    def record(self, plan: Plan, entry: dict[str, Any], *, notices: list[dict[str, str]] | None = None, terms: dict[str, Any] | None = None) -> None:
        self.journal.record(plan.number, entry)
        self.warnings.add(plan.number, manifest.warning_lines(plan.number, plan.supplier_id, [*plan.warnings, *(notices or [])]))
        if terms is not None:
            line = [str(plan.number), plan.supplier_id or "", entry["output"], *key_terms.csv_row(terms, self.term_columns)]
            self.terms.add(plan.number, csv_lines([line]).encode("utf-8"))
        else:
            self.terms.add(plan.number)

    def finish(self) -> None:
        """Put warnings.csv and terms.csv in place, with every row recorded (all of them, unless the run stopped)."""
        for record in self._files:
            record.finish(partial=True)

    def discard(self) -> None:
        for record in self._files:
            record.discard()


class _Header:
    """The comment at the top of each answers file: where it came from, how to regenerate."""

    def __init__(self, runner: Runner):
        opts = runner.options
        self.source = comment(Path(opts.suppliers).name)
        extra = []
        for flag, value in (("--library", opts.library_dir), ("--jurisdictions", opts.jurisdictions_dir), ("--template", opts.template)):
            if value is not None:
                extra += [flag, argument(str(value))]
        if not opts.comments:
            extra.append("--no-comments")
        if not opts.page_numbers:
            extra.append("--no-page-numbers")
        if opts.pdf:
            extra.append("--pdf-a" if opts.pdf_a else "--pdf")
        for finding_id in opts.allow:
            extra += ["--allow", finding_id]
        self.extra = extra
        lib = runner.sources.library
        self.library = f"{lib.id} {lib.version}"

    def __call__(self, plan: Plan, docx: Path, answers: Path) -> str:
        command = shlex.join(["clausewright", "generate", argument(answers.name), "-o", argument(docx.name), "--force", *self.extra])
        ident = f" (supplier_id {comment(plan.supplier_id)})" if plan.supplier_id else ""
        return (
            f"# Answers for one agreement of a bulk run: {self.source}, row {plan.number}{ident}.\n"
            f"# Library {self.library}. To regenerate this document alone, in this folder:\n"
            f"#   {command}\n"
        )


class _Pool:
    """Runs tasks in worker processes (each loads the sources once), or in this process."""

    def __init__(self, jobs: int, runner: Runner):
        self.executor: ProcessPoolExecutor | None = None
        self.window = max(2, jobs * 4)
        self._gc: tuple[int, int, int] | None = None
        if jobs <= 1:
            worker.use(runner.sources)
            self._gc = gc.get_threshold()  # restored when the run ends (a library caller's process)
            worker.settle()
            return
        opts = runner.options
        context = _context()
        inherited = context.get_start_method() == "fork"
        if inherited:  # forked workers start with these, already loaded and compiled
            runner.sources.template.compile()
            worker.use(runner.sources)
        self.executor = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            initializer=worker.init,
            initargs=(opts.library_dir, opts.jurisdictions_dir, opts.template, inherited),
        )
        self.executor.submit(worker.ping).result()  # start the workers now, before any progress thread

    def run(self, fn: Callable, tasks: Iterable, stop: Callable[[], bool] = lambda: False) -> Iterator[tuple[Any, Any]]:
        """Yield (task, result) as tasks finish, with a bounded number in flight."""
        if self.executor is None:
            for task in tasks:
                if stop():
                    return
                yield task, fn(task)
            return
        source = iter(tasks)
        running: dict[Future, Any] = {}
        try:
            while True:
                while len(running) < self.window and not stop():
                    task = next(source, None)
                    if task is None:
                        break
                    running[self.executor.submit(fn, task)] = task
                if not running:
                    return
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: id(f)):
                    task = running.pop(future)
                    yield task, future.result()
        finally:
            for future in running:
                future.cancel()

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
        worker.close_pdf()  # the LibreOffice this process used for --jobs 1, if any
        if self._gc is not None:
            gc.unfreeze()
            gc.set_threshold(*self._gc)
            self._gc = None


def _context():
    """fork where it is the platform's default (Linux: fast, no re-import); spawn elsewhere."""
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")
