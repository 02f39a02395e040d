"""What a bulk run leaves beside the documents: ``manifest.jsonl`` (one line per row), ``errors.csv``
(one line per problem), ``warnings.csv``, ``terms.csv`` (the key terms, one line per agreement),
and the hash of a row's inputs that ``--resume`` compares.

A manifest line::

    {"row": 2, "supplier_id": "S-001", "status": "written", "output": "S-001-acme.docx",
     "answers": "S-001-acme.answers.yaml", "sha256": "...", "input_sha256": "...",
     "library": "ip-supply 1.0.0", "profiles": {"supplier_country": "vietnam 1.2.0", ...},
     "clauses": {"audit": "1.0.0 sha256:915a0fa1048d7b21 position:balanced", ...},
     "tool_version": "0.1.0", "problems": 0}

``status`` is ``written``, ``unchanged`` (``--resume`` found the document already made from the
same inputs), ``failed`` or ``not-run`` (after ``--fail-fast`` stopped the run). While a run goes
on, lines are appended as rows finish, so an interrupted run leaves a record ``--resume`` can use;
at the end the file is rewritten with one line per row, in row order.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from clausewright.bulk.errors import PreflightError
from clausewright.errors import FileAccessError, Problem
from clausewright.files import set_mode, write_atomic
from clausewright.quoting import csv_bytes, csv_lines

MANIFEST = "manifest.jsonl"
ERRORS = "errors.csv"
WARNINGS = "warnings.csv"
TERMS = "terms.csv"
TERMS_LEADING = ("row", "supplier_id", "document")  # then the key terms' columns (docs/terms.md)
WARNING_COLUMNS = ("row", "supplier_id", "severity", "id", "clause", "message")
ERROR_COLUMNS = ("row", "supplier", "field", "message")
RECORDS = (MANIFEST, ERRORS, WARNINGS, TERMS)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_LINE_ENDS = re.compile("[\x85\u2028\u2029]")


def input_hash(supplier_id: str | None, answers: dict[str, Any], sources_fingerprint: str, comments: bool, page_numbers: bool = False) -> str:
    """The hash of everything a row's document is made from: its answers (merged with
    ``--defaults``), the library, profiles and template in use, and the options that change it
    (``page_numbers`` only when on, so the hashes of runs without it stay as they were)."""
    made_from: dict[str, Any] = {"supplier_id": supplier_id, "answers": answers, "sources": sources_fingerprint, "comments": comments}
    if page_numbers:
        made_from["page_numbers"] = True
    canonical = json.dumps(
        made_from,
        sort_keys=True,
        default=str,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def sources_fingerprint(library_dir: Path, jurisdictions_dir: Path, template_blob: bytes, tool_version: str) -> str:
    """One hash over every file of the library and the jurisdictions, the template and the tool."""
    digest = hashlib.sha256(f"clausewright {tool_version}\n".encode())
    for base in (Path(library_dir), Path(jurisdictions_dir)):
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            digest.update(f"{path.relative_to(base).as_posix()}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(hashlib.sha256(template_blob).digest())
    return digest.hexdigest()


def read_previous(out_dir: Path) -> dict[str, dict[str, Any]]:
    """The last line recorded for each output file in an earlier run's manifest (lines cut short
    by an interruption are ignored; a link at the manifest's place is not followed)."""
    latest: dict[str, dict[str, Any]] = {}
    try:
        fd = os.open(Path(out_dir) / MANIFEST, os.O_RDONLY | _NOFOLLOW)
    except FileNotFoundError:
        return latest
    except OSError as exc:
        raise FileAccessError(exc, Path(out_dir) / MANIFEST, "read") from None
    with open(fd, encoding="utf-8", errors="replace") as fh:
        for text in fh:
            try:
                entry = json.loads(text)
            except json.JSONDecodeError:
                continue
            if isinstance(entry, dict) and isinstance(entry.get("output"), str):
                latest[entry["output"]] = entry
    return latest


def refuse_links(out_dir: Path) -> None:
    """Refuse to start when a link sits where the run writes its own records (the manifest,
    errors.csv, warnings.csv, terms.csv): they are written in ``out_dir`` and nowhere else."""
    for name in RECORDS:
        path = Path(out_dir) / name
        if path.is_symlink():
            raise PreflightError(f"{path} is a link; a run writes its records only inside --out, never through a link: remove it; nothing was written")


def line(entry: dict[str, Any]) -> str:
    """One manifest line. Characters that some readers take as the end of a line (U+0085, U+2028,
    U+2029, which JSON allows unescaped) are escaped, so that every record is one line to all."""
    text = json.dumps(entry, ensure_ascii=False, sort_keys=False, separators=(", ", ": "))
    return _LINE_ENDS.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


class RowOrdered:
    """A record file whose lines arrive row by row in any order (as worker processes finish) and
    are written, in row order, to a temporary file beside ``path`` that replaces it at the end.
    Only lines that arrive ahead of an unfinished row are held in memory, so a run's memory does
    not grow with its rows. Each row of ``rows`` is given once (``add``), with no data if it has
    none. An operating-system error is a ``FileAccessError`` naming ``path``."""

    def __init__(self, path: Path, rows: list[int], head: bytes = b""):
        self.path = Path(path)
        self._order = iter(sorted(rows))
        self._next = next(self._order, None)
        self._waiting: dict[int, bytes] = {}
        self._fd, self._temporary = -1, ""
        try:
            self._fd, self._temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        except OSError as exc:
            raise FileAccessError(exc, self.path) from None
        self._size = 0
        try:
            self._write(head)
        except FileAccessError:
            self.discard()
            raise

    def add(self, row: int, data: bytes = b"") -> None:
        self._waiting[row] = data
        while self._next is not None and self._next in self._waiting:
            self._write(self._waiting.pop(self._next))
            self._next = next(self._order, None)

    @property
    def complete(self) -> bool:
        return not self._waiting and self._next is None

    def finish(self, *, partial: bool = False) -> None:
        """Put the file in place: when every row was given, or with ``partial`` (a run that
        stopped) the rows given so far, in row order. Else, or on an error, remove it."""
        try:
            if partial:
                for row in sorted(self._waiting):
                    self._write(self._waiting.pop(row))
                self._next = None
            if self.complete:
                os.fsync(self._fd)
                set_mode(self._fd, self._temporary)
                os.close(self._fd)
                self._fd = -1
                os.replace(self._temporary, self.path)
        except OSError as exc:
            raise FileAccessError(exc, self.path) from None
        finally:
            self.discard()

    def discard(self) -> None:
        """Close and remove the temporary file, if it is still there."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        if self._temporary and os.path.lexists(self._temporary):
            try:
                os.unlink(self._temporary)
            except OSError:
                pass

    def _write(self, data: bytes) -> None:
        if data:
            self._size = _append(self._fd, data, self._size, self.path)


class Journal:
    """Records one manifest line per row. Each line is appended to ``manifest.jsonl`` as soon as
    its row finishes (so an interrupted run leaves a record for ``--resume``) and also written, in
    row order, to the file that replaces ``manifest.jsonl`` when the run completes
    (``RowOrdered``).

    Every line of ``manifest.jsonl`` is whole or absent, whatever happens: a line is appended with
    one write, and a write that fails part-way (a full disk) is cut back off; a line left unfinished
    by a crash (a power cut) is removed when the next run opens the file. An operating-system error
    is a ``FileAccessError`` naming the manifest."""

    def __init__(self, out_dir: Path, rows: list[int]):
        self.path = Path(out_dir) / MANIFEST
        self._journal = -1
        self._final: RowOrdered | None = None
        try:
            self._journal = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o666)
            self._end = _whole_lines(self._journal)
        except OSError as exc:
            self._close_journal()
            raise FileAccessError(exc, self.path) from None
        try:
            self._final = RowOrdered(self.path, rows)
        except FileAccessError:
            self._close_journal()
            raise

    def record(self, row: int, entry: dict[str, Any]) -> None:
        data = line(entry).encode("utf-8")
        self._end = _append(self._journal, data, self._end, self.path)
        assert self._final is not None
        self._final.add(row, data)

    def close(self, *, complete: bool = True) -> None:
        """Put the row-ordered manifest in place if every row was recorded; else keep the lines
        appended so far. Raises ``FileAccessError`` if the row-ordered file cannot be finished."""
        self._close_journal()
        final, self._final = self._final, None
        if final is None:
            return
        if complete:
            final.finish()
        else:
            final.discard()

    def _close_journal(self) -> None:
        if self._journal >= 0:
            os.close(self._journal)
            self._journal = -1


def _whole_lines(fd: int) -> int:
    """The size of the file open at ``fd`` once a last line left unfinished is cut off."""
    size = os.fstat(fd).st_size
    if size == 0:
        return 0
    start = max(0, size - 64 * 1024)
    while True:
        os.lseek(fd, start, os.SEEK_SET)
        tail = _read(fd, size - start)
        cut = tail.rfind(b"\n")
        if cut >= 0 or start == 0:
            end = start + cut + 1  # 0 when no line at all is complete
            break
        start = max(0, start - 64 * 1024)
    if end != size:
        os.ftruncate(fd, end)
    return end


def _read(fd: int, count: int) -> bytes:
    chunks = []
    while count > 0:
        chunk = os.read(fd, count)
        if not chunk:
            break
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def _append(fd: int, data: bytes, end: int, path: Path) -> int:
    """Append ``data`` at ``end`` (the file's size) in one write; on failure, cut the file back to
    ``end`` so that no partial line stays, and raise ``FileAccessError``. Returns the new size."""
    try:
        written = os.write(fd, data)
        while written < len(data):  # a short write: the disk filled up part-way
            written += os.write(fd, data[written:])
    except OSError as exc:
        try:
            os.ftruncate(fd, end)
        except OSError:
            pass
        raise FileAccessError(exc, path) from None
    return end + len(data)


def row_csv(out_dir: Path, name: str, columns: Iterable[str], rows: list[int]) -> RowOrdered:
    """A CSV record (``WARNINGS``, ``TERMS``) written as rows finish: UTF-8 with a byte-order mark
    and no cell a spreadsheet would run as a formula; ``add(row, csv_lines(...))`` for each row."""
    return RowOrdered(Path(out_dir) / name, rows, csv_bytes(columns, []))


def warning_lines(row: int, supplier: str | None, notices: list[dict[str, str]]) -> bytes:
    """A row's lines of ``warnings.csv``."""
    return csv_lines([row, supplier or "", n["severity"], n["id"], n.get("clause", ""), n["message"]] for n in notices).encode("utf-8")


def errors_csv(problems: list[tuple[Problem, str | None]]) -> bytes:
    """``errors.csv`` for (problem, supplier id) pairs, in row order, UTF-8 with a byte-order mark
    so that Excel shows every script correctly; no cell can run as a formula."""
    rows = sorted(problems, key=lambda item: (item[0].row or 0))
    return csv_bytes(ERROR_COLUMNS, ([p.row if p.row is not None else "", supplier or "", p.field, p.message] for p, supplier in rows))


def write_errors(out_dir: Path, problems: list[tuple[Problem, str | None]]) -> Path:
    path = Path(out_dir) / ERRORS
    write_atomic(path, errors_csv(problems), force=True)
    return path


def remove_leftovers(out_dir: Path, names: list[str]) -> None:
    """Delete temporary files an interrupted run left behind (``.<name>.<random>.tmp``), for the
    files of this run and the manifest."""
    wanted = {*names, *RECORDS}
    try:
        entries = list(os.scandir(out_dir))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") and entry.name.endswith(".tmp") and entry.is_file(follow_symlinks=False):
            stem = entry.name[1:].rsplit(".", 2)[0]
            if stem in wanted:
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass
