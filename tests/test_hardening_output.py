"""Output safety: no path made from data leaves --out (a symlinked --out included); existing files
are untouched without --force (generate and bulk); files are created as the umask allows."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from bulk_helpers import (
    GOOD,
    HEADER,
    MINI_OPTIONS,
    bulk,
    docx_names,
    write_csv,
    write_defaults,
)
from click.testing import CliRunner
from conftest import MINI

from clausewright.cli.main import cli

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="symlinks and umask are POSIX")

HOSTILE_IDS = ["../../escaped", "/tmp/absolute", "..", "a/../../b", "..\\..\\win", "~/home", "CON", "sub/dir"]


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def _rows():
    return [[ident, f"Supplier ../../{i} /etc/passwd", "1 Road", "vietnam", "Lim", "Part", "", ""] for i, ident in enumerate(HOSTILE_IDS)]


@POSIX
@pytest.mark.parametrize("pattern", ["{supplier_id}", "{supplier.name}", "../{supplier_id}", "/tmp/{supplier_id}", "..{supplier_id}/..", "{supplier_id}/../../x"])
def test_bulk_names_never_leave_a_symlinked_out(tmp_path, pattern):
    work = tmp_path / "work"
    work.mkdir()
    write_defaults(work)
    real = tmp_path / "elsewhere" / "real"
    real.mkdir(parents=True)
    os.symlink(real, work / "out")
    suppliers = write_csv(work / "suppliers.csv", _rows())
    before = _tree(tmp_path)
    tmp_before = set(os.listdir("/tmp"))
    result = bulk("run", str(suppliers), "--defaults", str(work / "defaults.yaml"), "--out", str(work / "out"), "--name", pattern, "--jobs", "1")
    assert "Traceback" not in result.output
    new = _tree(tmp_path) - before
    assert new and all(name.startswith("elsewhere/real/") and name.count("/") == 2 for name in new), sorted(new)
    assert not [name for name in set(os.listdir("/tmp")) - tmp_before if name.startswith(("absolute", "S-", "Supplier"))]
    assert result.exit_code in (0, 1), result.output
    assert len(docx_names(real)) >= len(HOSTILE_IDS) - 1  # ".." gives an empty name for some patterns: refused, with its row


def _generate(tmp_path: Path, output: Path, *extra: str):
    return CliRunner().invoke(cli, ["generate", str(MINI / "deal.yaml"), "-o", str(output), *MINI_OPTIONS, *extra])


def test_generate_leaves_an_existing_file_alone_without_force(tmp_path):
    target = tmp_path / "agreement.docx"
    target.write_bytes(b"the lawyer's edited version")
    os.utime(target, (1_000_000_000, 1_000_000_000))
    result = _generate(tmp_path, target)
    assert result.exit_code == 1 and "already exists; use --force" in result.output
    assert target.read_bytes() == b"the lawyer's edited version" and target.stat().st_mtime == 1_000_000_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["agreement.docx"]  # no temporary file either
    assert _generate(tmp_path, target, "--force").exit_code == 0
    assert target.read_bytes()[:2] == b"PK"


def test_bulk_leaves_existing_files_alone_without_force(tmp_path):
    write_defaults(tmp_path)
    suppliers = write_csv(tmp_path / "suppliers.csv", GOOD[:2], header=HEADER)
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "S-001-alpha-precision-co.docx"
    mine.write_bytes(b"edited by hand")
    result = bulk("run", str(suppliers), "--defaults", str(tmp_path / "defaults.yaml"), "--out", str(out), "--jobs", "1")
    assert result.exit_code == 1 and "already exists" in result.output
    assert mine.read_bytes() == b"edited by hand" and sorted(p.name for p in out.iterdir()) == [mine.name]
    forced = bulk("run", str(suppliers), "--defaults", str(tmp_path / "defaults.yaml"), "--out", str(out), "--jobs", "1", "--force")
    assert forced.exit_code == 0 and mine.read_bytes()[:2] == b"PK"


@POSIX
@pytest.mark.parametrize("umask, mode", [(0o077, 0o600), (0o022, 0o644), (0o027, 0o640)])
def test_files_follow_the_umask(tmp_path, umask, mode):
    write_defaults(tmp_path)
    write_csv(tmp_path / "suppliers.csv", GOOD[:1] + [["S-004", "Delta", "4 Lane", "atlantis", "D", "Screw", "", ""]], header=HEADER)
    script = (
        f"import os, sys; os.umask({umask:#o}); sys.argv[0] = 'clausewright'; from clausewright.cli.main import main; main()"
    )
    generate = [sys.executable, "-c", script, "generate", str(MINI / "deal.yaml"), "-o", str(tmp_path / "one.docx"), *MINI_OPTIONS]
    done = subprocess.run(generate, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    run = [sys.executable, "-c", script, "bulk", "run", str(tmp_path / "suppliers.csv"), "--defaults", str(tmp_path / "defaults.yaml"),
           "--out", str(tmp_path / "out"), "--jobs", "2", "--no-progress", *MINI_OPTIONS]
    done = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr  # one row fails, so errors.csv has a line too
    files = [tmp_path / "one.docx", *sorted((tmp_path / "out").iterdir())]
    assert {p.name for p in files} >= {"one.docx", "manifest.jsonl", "errors.csv", "S-001-alpha-precision-co.docx", "S-001-alpha-precision-co.answers.yaml"}
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == mode, (path.name, oct(path.stat().st_mode))
