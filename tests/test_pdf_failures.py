"""What ``--pdf`` does when LibreOffice fails or hangs, with real processes: a fake ``soffice``
first on the PATH that exits at once, or sleeps (with a child of its own, as the real one starts
the office as its child)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bulk_helpers import GOOD, MINI_OPTIONS, write_csv, write_defaults
from conftest import SAMPLES

import clausewright
from clausewright.ooxml import layout, pdf

KOREA = SAMPLES / "korea-supplier.yaml"

FAILING = """#!/bin/sh
echo "this LibreOffice cannot start" >&2
exit 1
"""

# Records its own process id and its child's, then waits for ever.
HANGING = """#!/bin/sh
"{sleep}" 1000 &
echo $$ $! > "{pids}"
wait
"""


def _fake_soffice(tmp_path: Path, script: str) -> Path:
    folder = tmp_path / "fake-bin"
    folder.mkdir(exist_ok=True)
    fake = folder / "soffice"
    fake.write_text(script.format(pids=tmp_path / "pids", sleep=shutil.which("sleep")), encoding="utf-8")
    fake.chmod(0o755)
    return folder


def _run(tmp_path: Path, bin_folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    source = str(Path(clausewright.__file__).resolve().parents[1])  # this checkout, whatever the folder the command runs in
    env = {**os.environ, "PATH": str(bin_folder), "PYTHONPATH": source}  # the fake soffice, and nothing else
    return subprocess.run([sys.executable, "-m", "clausewright", *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)


def _running(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return False


def _still_running(pids: list[int]) -> list[int]:
    """Those of ``pids`` still running a few seconds on (a killed process takes a moment to go)."""
    deadline = time.monotonic() + 5
    while (running := [pid for pid in pids if _running(pid)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    return running


def _fake_processes(tmp_path: Path) -> list[int]:
    deadline = time.monotonic() + 10
    while not (tmp_path / "pids").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return [int(pid) for pid in (tmp_path / "pids").read_text().split()]


def test_generate_with_a_failing_libreoffice_says_so_and_writes_nothing(tmp_path):
    fake = _fake_soffice(tmp_path, FAILING)
    out = tmp_path / "korea.docx"
    memo = tmp_path / "memo.docx"
    result = _run(tmp_path, fake, "generate", str(KOREA), "-o", str(out), "--memo", str(memo), "--no-page-numbers", "--pdf")
    assert result.returncode == 1, result.stderr
    assert "Error: LibreOffice ended (exit status 1) before it could start" in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("Error:") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fake-bin"]  # no DOCX, memo, PDF or temporary file


def test_bulk_run_with_a_failing_libreoffice_fails_each_row_clearly_and_leaves_no_pdf(tmp_path):
    fake = _fake_soffice(tmp_path, FAILING)
    suppliers = write_csv(tmp_path / "suppliers.csv", GOOD)
    out = tmp_path / "out"
    result = _run(tmp_path, fake, "bulk", "run", str(suppliers), "--defaults", str(write_defaults(tmp_path)), "--out", str(out), "--pdf", "--no-progress", "-j", "2", *MINI_OPTIONS)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = (out / "errors.csv").read_text(encoding="utf-8")
    assert errors.count("(pdf)") == len(GOOD) and errors.count("LibreOffice ended (exit status 1) before it could start") == len(GOOD)
    assert not list(out.glob("*.pdf")) and not [p for p in out.iterdir() if p.name.startswith(".")]


def test_a_libreoffice_that_does_not_start_in_time_is_stopped_and_said_so(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", f"{_fake_soffice(tmp_path, HANGING)}{os.pathsep}{os.environ['PATH']}")
    started = time.monotonic()
    with pdf.PdfConverter(timeout=3) as converter:
        if not converter.persistent:
            pytest.skip("no Python with LibreOffice's uno module (python3-uno)")
        with pytest.raises(layout.LayoutError, match=r"^LibreOffice did not start within 3 seconds; it was stopped$"):
            converter.pdf((SAMPLES.parent / "templates" / "master.docx").read_bytes(), "master.docx")
        processes = _fake_processes(tmp_path)
        assert time.monotonic() - started < 30
        assert not _still_running(processes)  # the fake soffice and its child are gone


def test_a_one_off_conversion_that_overruns_is_stopped_with_its_children_and_said_so(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(_fake_soffice(tmp_path, HANGING)))
    with pytest.raises(layout.LayoutError, match=r"^LibreOffice did not convert the document within 2 seconds; it was stopped$"):
        layout.to_pdf(b"not read by the fake", timeout=2)
    assert not _still_running(_fake_processes(tmp_path))
