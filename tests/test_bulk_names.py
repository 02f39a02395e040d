"""Output names: patterns, names safe on Windows and macOS, collisions reported before anything is
written, and no name (or link) leading outside --out."""

from __future__ import annotations

import os
import sys

import pytest
from bulk_helpers import GOOD, HEADER, bulk, docx_names, write_csv, write_defaults

from clausewright.bulk import naming
from clausewright.errors import ClausewrightError


@pytest.fixture
def folder(tmp_path):
    write_defaults(tmp_path)
    return tmp_path


def _run(folder, suppliers, *extra, out="out"):
    return bulk("run", str(suppliers), "--defaults", str(folder / "defaults.yaml"), "--out", str(folder / out), "--jobs", "1", *extra)


@pytest.mark.parametrize(
    "raw, safe",
    [
        ("Acme: Devices/Ltd*?", "Acme_ Devices_Ltd__"),
        ("  ..hidden", "hidden"),
        ("CON", "CON_"),
        ("trailing. . ", "trailing"),
        ("x" * 300, "x" * naming.MAX_STEM),
        ("Công ty\u0301", "Công tý"),  # NFC: one code point per letter, as macOS and Windows agree on
    ],
)
def test_safe_stem(raw, safe):
    assert naming.safe_stem(raw) == safe


def test_collisions_ignore_case_and_unicode_form():
    problems = naming.collisions([(2, "Acme"), (3, "ACME"), (4, "Cafe\u0301"), (5, "Café"), (6, "other")])
    assert [p.row for p in problems] == [2, 3, 4, 5]
    assert "would also be the name of row 3" in problems[0].message


POSIX = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")


@POSIX
def test_target_refuses_to_leave_the_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    assert naming.target(out, "a", ".docx") == out.resolve() / "a.docx"
    for bad in ("", "..", "a/b"):
        with pytest.raises(ClausewrightError):
            naming.target(out, bad, ".docx")
    outside = tmp_path / "elsewhere.docx"
    outside.write_bytes(b"not yours")
    os.symlink(outside, out / "linked.docx")
    with pytest.raises(ClausewrightError, match="outside"):
        naming.target(out, "linked", ".docx")


def test_pattern_fields_and_filters(mini_sources):
    pattern = naming.NamePattern("{row}-{supplier_id|lower}-{supplier.country|upper}-{agreement.date}", mini_sources.schema)
    assert pattern.render({"row": 7, "supplier_id": "S-ABC", "supplier.country": "vietnam", "agreement.date": __import__("datetime").date(2026, 12, 1)}) == "7-s-abc-VIETNAM-2026-12-01"
    for bad in ("{nope}", "{products}", "{supplier_id|shout}", "no fields", "{supplier_id", "x}"):
        with pytest.raises(naming.PatternError):
            naming.NamePattern(bad, mini_sources.schema)


def test_name_collision_is_reported_before_anything_is_written(folder):
    suppliers = write_csv(folder / "suppliers.csv", GOOD)
    result = _run(folder, suppliers, "--name", "{supplier.country}")
    assert result.exit_code == 3
    assert "row 2, --name: vietnam.docx would also be the name of row 4" in result.stderr
    assert not (folder / "out").exists()
    validate = bulk("validate", str(suppliers), "--defaults", str(folder / "defaults.yaml"), "--name", "{supplier.country}")
    assert validate.exit_code == 3 and "would also be the name" in validate.stderr


def test_duplicate_supplier_ids_are_refused(folder):
    rows = [GOOD[0], [GOOD[0][0].lower(), *GOOD[1][1:]]]
    result = _run(folder, write_csv(folder / "suppliers.csv", rows))
    assert result.exit_code == 3 and "'s-001' is also the id of row 2" in result.stderr
    assert not (folder / "out").exists()


def test_names_cannot_escape_out(folder):
    rows = [["../../evil", *GOOD[0][1:]], ["/etc/passwd", *GOOD[1][1:]], ["..", *GOOD[2][1:]], ["a\\..\\b", *GOOD[0][1:]]]
    result = _run(folder, write_csv(folder / "suppliers.csv", rows), "--name", "{supplier_id}")
    assert result.exit_code == 1, result.stderr
    assert docx_names(folder / "out") == ["_.._evil.docx", "_etc_passwd.docx", "a_.._b.docx"]
    assert "row 4 (..): --name: the pattern '{supplier_id}' gives an empty file name for this row" in result.stderr
    assert not list(folder.glob("*.docx")) and not list(folder.parent.glob("*.docx"))


@POSIX
def test_symlinked_out_and_links_inside_it(folder):
    real = folder / "real"
    real.mkdir()
    os.symlink(real, folder / "out")
    suppliers = write_csv(folder / "suppliers.csv", GOOD[:1], header=HEADER)
    result = _run(folder, suppliers)
    assert result.exit_code == 0, result.stderr
    assert docx_names(real) == ["S-001-alpha-precision-co.docx"]
    # a link planted where an output goes, pointing outside --out, is refused
    secret = folder / "secret.docx"
    secret.write_bytes(b"keep me")
    os.symlink(secret, real / "S-002-beta-sao-mai-ltd.docx")
    again = _run(folder, write_csv(folder / "two.csv", GOOD[1:2]), "--force")
    assert again.exit_code == 3 and "outside" in again.stderr
    assert secret.read_bytes() == b"keep me"
