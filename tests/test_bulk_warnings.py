"""Bulk runs show every row's warnings, as generate does for one agreement: on screen for
validate and run, in the manifest (warnings and notes) and in warnings.csv."""

from __future__ import annotations

import csv
import json

from bulk_helpers import SAMPLE_DEFAULTS, sample_suppliers, write_csv
from click.testing import CliRunner

from clausewright.cli.main import cli


def test_warnings_reach_the_summary_the_manifest_and_warnings_csv(tmp_path):
    header, rows = sample_suppliers("TH-001", "VN-001")
    rows[0][0], rows[1][0] = "T1", "V1"
    suppliers = write_csv(tmp_path / "s.csv", rows, header=header)
    defaults = ["--defaults", str(SAMPLE_DEFAULTS), "--no-progress"]
    checked = CliRunner().invoke(cli, ["bulk", "validate", str(suppliers), *defaults])
    assert checked.exit_code == 0, checked.output
    assert "row 2 (T1): warning stamp-duty:" in checked.output and "Thailand" in checked.output
    out = tmp_path / "out"
    ran = CliRunner().invoke(cli, ["bulk", "run", str(suppliers), *defaults, "--out", str(out)])
    assert ran.exit_code == 0, ran.output
    assert "warning(s) in 1 row(s)" in ran.output and "warnings.csv" in ran.output
    entries = [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    thai = next(e for e in entries if e["supplier_id"] == "T1")
    assert any(w.startswith("stamp-duty: ") and "Thailand" in w for w in thai["warnings"])
    assert "notes" in thai
    with (out / "warnings.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["supplier_id"] for r in rows if r["severity"] == "warning"} == {"T1"}
    assert any(r["id"] == "stamp-duty" and r["clause"] == "local-law" and r["row"] == "2" for r in rows)
