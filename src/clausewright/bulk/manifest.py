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

import csv
import hashlib
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from clausewright import csvfile
from clausewright.errors import Problem
from clausewright.files import write_atomic

MANIFEST = "manifest.jsonl"
ERRORS = "errors.csv"
WARNINGS = "warnings.csv"
TERMS = "terms.csv"
TERMS_LEADING = ("row", "supplier_id", "document")  # then the key terms' columns (docs/terms.md)
WARNING_COLUMNS = ("row", "supplier_id", "severity", "id", "clause", "message")
ERROR_COLUMNS = ("row", "supplier", "field", "message")


def input_hash(supplier_id: str | None, answers: dict[str, Any], sources_fingerprint: str, comments: bool) -> str:
    """The hash of everything a row's document is made from: its answers (merged with
    ``--defaults``), the library, profiles and template in use, and the options that change it."""
    canonical = json.dumps(
        {"supplier_id": supplier_id, "answers": answers, "sources": sources_fingerprint, "comments": comments},
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
    by an interruption are ignored)."""
    path = Path(out_dir) / MANIFEST
    latest: dict[str, dict[str, Any]] = {}
    if not path.is_file():
        return latest
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(entry, dict) and isinstance(entry.get("output"), str):
                latest[entry["output"]] = entry
    return latest


def line(entry: dict[str, Any]) -> str:
    return json.dumps(entry, ensure_ascii=False, sort_keys=False, separators=(", ", ": ")) + "\n"


class Journal:
    """Records one manifest line per row. Each line is appended to ``manifest.jsonl`` as soon as
    its row finishes (so an interrupted run leaves a record for ``--resume``) and also written, in
    row order, to a temporary file that replaces ``manifest.jsonl`` when the run completes. Only
    lines that arrive ahead of an unfinished row are held in memory."""

    def __init__(self, out_dir: Path, rows: list[int]):
        self.path = Path(out_dir) / MANIFEST
        self._order = iter(sorted(rows))
        self._next = next(self._order, None)
        self._waiting: dict[int, str] = {}
        self._journal = open(self.path, "a", encoding="utf-8")
        fd, self._final_path = tempfile.mkstemp(prefix=f".{MANIFEST}.", suffix=".tmp", dir=out_dir)
        self._final = os.fdopen(fd, "w", encoding="utf-8")

    def record(self, row: int, entry: dict[str, Any]) -> None:
        text = line(entry)
        self._journal.write(text)
        self._journal.flush()
        self._waiting[row] = text
        while self._next is not None and self._next in self._waiting:
            self._final.write(self._waiting.pop(self._next))
            self._next = next(self._order, None)

    def close(self, *, complete: bool = True) -> None:
        self._journal.close()
        if complete and not self._waiting and self._next is None:
            self._final.flush()
            os.fsync(self._final.fileno())
            self._final.close()
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(self._final_path, 0o666 & ~mask)
            os.replace(self._final_path, self.path)
        else:
            self._final.close()
            os.unlink(self._final_path)


def errors_csv(problems: list[tuple[Problem, str | None]]) -> bytes:
    """``errors.csv`` for (problem, supplier id) pairs, in row order, UTF-8 with a byte-order mark
    so that Excel shows every script correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ERROR_COLUMNS)
    for problem, supplier in sorted(problems, key=lambda item: (item[0].row or 0)):
        writer.writerow([problem.row if problem.row is not None else "", supplier or "", problem.field, problem.message])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_errors(out_dir: Path, problems: list[tuple[Problem, str | None]]) -> Path:
    path = Path(out_dir) / ERRORS
    write_atomic(path, errors_csv(problems), force=True)
    return path


def warnings_csv(notices: list[tuple[int, str | None, dict[str, str]]]) -> bytes:
    """``warnings.csv``: every warning and note of the rows written in this run, in row order (the
    same the ``generate`` command prints for each agreement), UTF-8 with a byte-order mark."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(WARNING_COLUMNS)
    for row, supplier, notice in notices:
        writer.writerow([row, supplier or "", notice["severity"], notice["id"], notice.get("clause", ""), notice["message"]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_warnings(out_dir: Path, notices: list[tuple[int, str | None, dict[str, str]]]) -> Path:
    path = Path(out_dir) / WARNINGS
    write_atomic(path, warnings_csv(notices), force=True)
    return path


def write_terms(out_dir: Path, columns: list[str], rows: list[list[str]]) -> Path:
    """``terms.csv``: the key terms of each agreement, one row each (``TERMS_LEADING``, then
    ``columns``), UTF-8 with a byte-order mark and no cell a spreadsheet would run as a formula."""
    path = Path(out_dir) / TERMS
    write_atomic(path, csvfile.file_bytes([[*TERMS_LEADING, *columns], *rows]), force=True)
    return path


def remove_leftovers(out_dir: Path, names: list[str]) -> None:
    """Delete temporary files an interrupted run left behind (``.<name>.<random>.tmp``), for the
    files of this run and the manifest."""
    wanted = {*names, MANIFEST, ERRORS, WARNINGS, TERMS}
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
