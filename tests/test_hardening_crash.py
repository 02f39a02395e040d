"""Crash safety: a bulk run killed with SIGKILL at random points and resumed ends with every
document present, valid and byte-identical to an uninterrupted run's, and no temporary files; the
wizard's autosave survives a killed terminal.

Temporary files are what ``write_atomic`` and the manifest journal create beside their target
while writing: ``.<file name>.<random>.tmp`` in the output folder."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bulk_helpers import MINI_OPTIONS, manifest, many_rows, write_csv, write_defaults

from clausewright.bulk.manifest import RECORDS
from clausewright.ooxml import reader

pytestmark = [pytest.mark.timeout(300), pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and pseudo-terminals are POSIX")]

ROWS = 30
SEED = 20261201


def _temporary(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp"))


def _command(folder: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "clausewright", "bulk", "run", str(folder / "suppliers.csv"), "--defaults", str(folder / "defaults.yaml"),
            "--out", str(out), "--jobs", "2", "--no-progress", *MINI_OPTIONS, *extra]


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.suffix in (".docx", ".yaml")}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash")
    write_defaults(folder)
    write_csv(folder / "suppliers.csv", many_rows(ROWS))
    done = subprocess.run(_command(folder, folder / "reference"), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    files = _outputs(folder / "reference")
    assert len(files) == 2 * ROWS
    return folder, files


def _kill_when(proc: subprocess.Popen, out: Path, documents: int, extra: float) -> int:
    """SIGKILL the run (the command and its worker processes) once ``documents`` DOCX files exist,
    ``extra`` seconds later; returns how many existed then."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if documents == 0 or (out.is_dir() and len(list(out.glob("*.docx"))) >= documents):
            break
        time.sleep(0.002)
    time.sleep(extra)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return len(list(out.glob("*.docx"))) if out.is_dir() else 0


def test_bulk_run_killed_at_random_points_then_resumed(reference):
    folder, expected = reference
    rng = random.Random(SEED)
    points = [(0, rng.uniform(0.2, 1.5)), *((rng.randrange(1, ROWS - 2), rng.uniform(0, 0.05)) for _ in range(4))]
    interrupted = 0
    for attempt, (documents, extra) in enumerate(points):
        out = folder / f"out-{attempt}"
        # killed once, then killed again while resuming, then resumed to the end
        for kill in ((documents, extra), (rng.randrange(0, ROWS), rng.uniform(0, 0.05))):
            proc = subprocess.Popen(_command(folder, out, "--resume"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            written = _kill_when(proc, out, *kill)
            interrupted += 0 < written < ROWS
        if out.is_dir():  # what a kill in the middle of a write leaves behind, whether or not this one did
            (out / ".S-0001-supplier-1-ltd.docx.k1llxd.tmp").write_bytes(b"PK half a document")
            (out / f".{'manifest.jsonl'}.k1llxd.tmp").write_text('{"row": 2, "sta', encoding="utf-8")
        resumed = subprocess.run(_command(folder, out, "--resume"), capture_output=True, text=True, timeout=300)
        assert resumed.returncode == 0, resumed.stderr
        assert _temporary(out) == [], (attempt, _temporary(out))
        got = _outputs(out)
        assert got.keys() == expected.keys(), attempt
        for name, data in got.items():
            assert data == expected[name], (attempt, name)
            if name.endswith(".docx"):
                assert reader.check(data, [f"Supplier {n} Ltd" for n in range(1, ROWS + 1)]) == [], name
        lines = manifest(out)
        assert [e["row"] for e in lines] == list(range(2, ROWS + 2)) and {e["status"] for e in lines} <= {"written", "unchanged"}
    assert interrupted >= 3, "the kills did not land while documents were being written"


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_workers_end_when_the_main_process_is_killed_alone(reference):
    """SIGKILL the bulk command only, not its workers: they notice, finish the row they are
    writing, and exit; nothing half-written is left, and --resume completes the run."""
    folder, expected = reference
    out = folder / "out-orphans"
    proc = subprocess.Popen(_command(folder, out, "--resume"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not (out.is_dir() and len(list(out.glob("*.docx"))) >= 3):
        time.sleep(0.002)
    workers = _children(proc.pid)
    assert proc.poll() is None and len(workers) >= 2, "the run ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers), "worker processes outlived the command"
    # the workers left no document half-written (the killed command's own records in progress,
    # the manifest, warnings.csv and terms.csv, are cleared by the next run)
    assert [name for name in _temporary(out) if not name.startswith(tuple(f".{record}." for record in RECORDS))] == []
    resumed = subprocess.run(_command(folder, out, "--resume"), capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert _outputs(out) == expected and _temporary(out) == []


# --- the wizard ---------------------------------------------------------------------------------------

pexpect = pytest.importorskip("pexpect")
from test_wizard_terminal import DOWN, ENTER, OFFER, answer, answer_the_rest, finish, spawn  # noqa: E402

from clausewright.inputs.deal import read_deal_file  # noqa: E402
from clausewright.interview.session import session_path  # noqa: E402


def test_wizard_autosave_survives_a_killed_terminal(tmp_path):
    child = spawn(["wizard", "-o", "t.docx"], tmp_path)
    answer(child, OFFER, ENTER)
    answer(child, "Date", "2026-12-01" + ENTER)
    answer(child, "Locale", ENTER)
    answer(child, "Draft", DOWN + ENTER)  # No
    answer(child, "Buyer name", "Acme & <Co> {{ 7*7 }}" + ENTER)
    answer(child, "Buyer country", "")  # asked: the answers before it are saved
    os.kill(child.pid, signal.SIGKILL)  # the terminal is gone, no chance to clean up
    child.close(force=True)
    saved = session_path(tmp_path / "t.docx")
    assert saved.exists() and not list(tmp_path.glob("*.docx"))
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []

    child = spawn(["wizard", "-o", "t.docx", "--resume"], tmp_path)
    skipped = answer(child, "Buyer country", ENTER)
    assert "Continuing the answers saved in" in skipped and " Buyer name " not in skipped
    answer_the_rest(child)
    assert finish(child) == 0
    data = read_deal_file(tmp_path / "t.answers.yaml")
    assert data["agreement"] == {"date": "2026-12-01", "locale": "en_GB", "draft": "no"}
    assert data["buyer"]["name"] == "Acme & <Co> {{ 7*7 }}"
    assert reader.check((tmp_path / "t.docx").read_bytes(), ["Acme & <Co> {{ 7*7 }}"]) == []
    assert not saved.exists()
