"""``bulk run`` and ``bulk validate`` end to end on the miniature library: good and bad rows, CSV
and XLSX, errors.csv, the manifest, answers files, exit codes, resume, and --jobs."""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bulk_helpers import (
    BAD,
    GOOD,
    HEADER,
    MINI_OPTIONS,
    SAMPLE_DEFAULTS,
    assert_valid,
    bulk,
    docx_names,
    errors,
    files,
    manifest,
    many_rows,
    sample_suppliers,
    write_csv,
    write_defaults,
)
from conftest import MINI
from openpyxl import Workbook

from clausewright import pipeline


@pytest.fixture
def folder(tmp_path):
    write_defaults(tmp_path)
    return tmp_path


def _run(folder: Path, supplier_file: Path, *extra: str, out: str = "out"):
    return bulk("run", str(supplier_file), "--defaults", str(folder / "defaults.yaml"), "--out", str(folder / out), *extra)


def test_csv_run_with_good_and_bad_rows(folder, mini_sources):
    suppliers = write_csv(folder / "suppliers.csv", GOOD + BAD)
    result = _run(folder, suppliers, "--jobs", "1")
    assert result.exit_code == 1, result.output
    out = folder / "out"
    assert docx_names(out) == ["S-001-alpha-precision-co.docx", "S-002-beta-sao-mai-ltd.docx", "S-003-gamma-kong-zhi-qi-ltd.docx"]
    alpha = assert_valid(out / "S-001-alpha-precision-co.docx", "Alpha Precision Co", "1 Road\nHanoi", "Nguyễn Văn An", "Widget & <Bolt>", "Smith & Jones <UK> Ltd")
    assert "VND 12.50" in alpha and "Gadget" in alpha
    assert_valid(out / "S-002-beta-sao-mai-ltd.docx", 'Beta "Sao Mai" Ltd', "Sprocket", "Lim")
    gamma = assert_valid(out / "S-003-gamma-kong-zhi-qi-ltd.docx", "Gamma 控制器 Ltd", "Nut {{ 7*7 }}")
    assert "49" not in gamma

    problems = errors(out)
    assert [(e["row"], e["supplier"], e["field"]) for e in problems] == [("5", "S-004", "supplier.country"), ("6", "S-005", "products.1.price")]
    assert "'atlantis' is not one of" in problems[0]["message"] and "'cheap' is not a number" in problems[1]["message"]
    assert "row 5 (S-004): supplier.country" in result.stderr and "errors.csv" in result.stdout

    lines = manifest(out)
    assert [(e["row"], e["supplier_id"], e["status"]) for e in lines] == [
        (2, "S-001", "written"), (3, "S-002", "written"), (4, "S-003", "written"), (5, "S-004", "failed"), (6, "S-005", "failed")]
    for entry in lines[:3]:
        docx = out / entry["output"]
        assert entry["sha256"] == hashlib.sha256(docx.read_bytes()).hexdigest()
        assert entry["library"] == "mini 0.1.0" and entry["profiles"]["governing_law"] == "singapore 0.1.0"
        assert len(entry["input_sha256"]) == 64
        # the answers file regenerates that document alone, byte for byte
        again = pipeline.generate(out / entry["answers"], None, sources=mini_sources).docx
        assert again == docx.read_bytes()
    assert lines[3]["output"] is None and lines[3]["problems"] == 1


def test_xlsx_run_with_excel_values(folder):
    book = Workbook()
    sheet = book.active
    sheet.title = "suppliers"
    sheet.append([*HEADER, "agreement.date", "commercial.price", "confidentiality.years"])
    sheet.append(["S-001", "Alpha Co", "1 Road\nHanoi", "vietnam", "An", "Widget", 12.5, "", _dt.datetime(2027, 3, 4), 1250000.0, 7])
    sheet.append([1002, "Beta Co", "2 Road", "singapore", "Binh", "Bolt", 3, "", _dt.date(2027, 1, 2), 99.99, 3.0])
    sheet["G2"].number_format = "#,##0.00"  # shown as 12.50, stored as 12.5
    sheet.append([None] * 11)  # an empty row is skipped
    sheet.append(["S-003", "", "3 Road", "vietnam", "Chi", "Nut", 1, "", None, None, 25])  # no name; years above the maximum
    book.save(folder / "suppliers.xlsx")
    result = _run(folder, folder / "suppliers.xlsx", "--jobs", "1")
    assert result.exit_code == 1, result.output
    out = folder / "out"
    alpha = assert_valid(out / "S-001-alpha-co.docx", "Alpha Co", "Widget")
    assert "4 March 2027" in alpha and "VND 12.50" in alpha and "seven (7) years" in alpha and "VND 1,250,000 " in alpha
    beta = assert_valid(out / "1002-beta-co.docx", "Beta Co")
    assert "2 January 2027" in beta and "three (3) years" in beta and "SGD 99.99 " in beta and "SGD 3.00" in beta
    assert [(e["row"], e["supplier"], e["field"]) for e in errors(out)] == [("5", "S-003", "supplier.name"), ("5", "S-003", "confidentiality.years")]


def test_validate_reports_everything_and_writes_nothing(folder):
    suppliers = write_csv(folder / "suppliers.csv", GOOD + BAD)
    before = sorted(os.listdir(folder))
    result = bulk("validate", str(suppliers), "--defaults", str(folder / "defaults.yaml"))
    assert result.exit_code == 3
    assert "row 5 (S-004): supplier.country: 'atlantis' is not one of" in result.stderr
    assert "row 6 (S-005): products.1.price: 'cheap' is not a number" in result.stderr
    assert "2 of 5 rows have problems" in result.stderr
    assert sorted(os.listdir(folder)) == before

    good = write_csv(folder / "good.csv", GOOD)
    ok = bulk("validate", str(good), "--defaults", str(folder / "defaults.yaml"), "--jobs", "2")
    assert ok.exit_code == 0 and "All 3 rows" in ok.stdout


def test_dry_run_writes_nothing(folder):
    suppliers = write_csv(folder / "suppliers.csv", GOOD)
    result = _run(folder, suppliers, "--dry-run", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "would write 3 document(s)" in result.stdout and "S-001-alpha-precision-co.docx" in result.stdout
    assert not (folder / "out").exists()


def test_identical_output_whatever_the_number_of_jobs(folder):
    suppliers = write_csv(folder / "suppliers.csv", GOOD + BAD + many_rows(9, start=10))
    one = _run(folder, suppliers, "--jobs", "1", out="one")
    two = _run(folder, suppliers, "--jobs", "2", out="two")
    assert one.exit_code == two.exit_code == 1
    a, b = files(folder / "one"), files(folder / "two")
    assert len(a) == 2 * 12 + 4  # 12 documents and their answers files, the manifest, errors.csv, warnings.csv and terms.csv
    assert a == b


def test_fail_fast_writes_nothing_when_a_row_is_invalid(folder):
    suppliers = write_csv(folder / "suppliers.csv", GOOD + BAD)
    result = _run(folder, suppliers, "--fail-fast")
    assert result.exit_code == 3 and "nothing was written" in result.stderr
    assert not (folder / "out").exists()


def test_no_valid_row_is_exit_3(folder):
    suppliers = write_csv(folder / "suppliers.csv", BAD)
    result = _run(folder, suppliers)
    assert result.exit_code == 3 and not (folder / "out").exists()


def test_existing_files_need_force_or_resume(folder):
    suppliers = write_csv(folder / "suppliers.csv", GOOD)
    assert _run(folder, suppliers, "--jobs", "1").exit_code == 0
    out = folder / "out"
    target = out / "S-001-alpha-precision-co.docx"
    target.write_bytes(b"edited by hand")
    again = _run(folder, suppliers)
    assert again.exit_code == 1 and "would be overwritten" in again.stderr and "--force" in again.stderr
    assert target.read_bytes() == b"edited by hand"
    # --resume sees that the file is not the one it wrote, and still does not overwrite it
    resumed = _run(folder, suppliers, "--resume")
    assert resumed.exit_code == 1 and target.read_bytes() == b"edited by hand"
    assert "already exists with different content" in resumed.stderr
    forced = _run(folder, suppliers, "--force", "--jobs", "1")
    assert forced.exit_code == 0
    assert_valid(target, "Alpha Precision Co")


def test_resume_skips_unchanged_rows_and_redoes_changed_ones(folder):
    rows = [list(r) for r in GOOD]
    suppliers = write_csv(folder / "suppliers.csv", rows)
    assert _run(folder, suppliers, "--jobs", "1").exit_code == 0
    out = folder / "out"
    first = files(out)
    resumed = _run(folder, suppliers, "--resume", "--jobs", "1")
    assert resumed.exit_code == 0 and "3 unchanged" in resumed.stdout
    assert [e["status"] for e in manifest(out)] == ["unchanged"] * 3
    assert {k: v for k, v in files(out).items() if k.endswith(".docx")} == {k: v for k, v in first.items() if k.endswith(".docx")}
    rows[1][2] = "22 New Street"  # a changed row is not silently regenerated
    write_csv(suppliers, rows)
    changed = _run(folder, suppliers, "--resume")
    assert changed.exit_code == 1 and "inputs changed" in changed.stderr
    redone = _run(folder, suppliers, "--resume", "--force", "--jobs", "1")
    assert redone.exit_code == 0
    assert [e["status"] for e in manifest(out)] == ["unchanged", "written", "unchanged"]
    assert_valid(out / "S-002-beta-sao-mai-ltd.docx", "22 New Street")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_resume_after_an_interrupted_run(folder):
    rows = many_rows(120)
    suppliers = write_csv(folder / "suppliers.csv", rows)
    out = folder / "out"
    command = [sys.executable, "-c", "from clausewright.cli.main import main; main()", "bulk", "run", str(suppliers),
               "--defaults", str(folder / "defaults.yaml"), "--out", str(out), "--jobs", "1", "--no-progress", *MINI_OPTIONS]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*.docx"))) < 10 and proc.poll() is None:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = len(list(out.glob("*.docx")))
    assert 0 < done_before < len(rows), "the run was not interrupted part-way; make it longer"
    resumed = subprocess.run([*command, "--resume"], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    lines = manifest(out)
    assert [e["row"] for e in lines] == list(range(2, 2 + len(rows)))
    statuses = [e["status"] for e in lines]
    assert set(statuses) <= {"written", "unchanged"} and statuses.count("unchanged") >= done_before - 1
    assert not list(out.glob(".*.tmp"))
    for entry in lines:
        docx = out / entry["output"]
        assert hashlib.sha256(docx.read_bytes()).hexdigest() == entry["sha256"]
    for docx in sorted(out.glob("*.docx")):
        assert_valid(docx)


def test_yaml_and_json_lists(folder):
    entries = [
        {"supplier_id": "Y-1", "supplier": {"name": "Yankee Ltd", "address": "1 Way", "country": "vietnam", "signatory": {"name": "Y"}}, "products": [{"name": "Yoyo", "price": "1.50"}]},
        {"supplier_id": "Y-2", "supplier": {"name": "Zulu Ltd", "address": "2 Way", "country": "singapore", "signatory": {"name": "Z"}}, "products": [{"name": "Zip"}], "bogus": 1},
    ]
    import json

    from clausewright import yamlio

    (folder / "suppliers.yaml").write_text(yamlio.dump(entries), encoding="utf-8")
    (folder / "suppliers.json").write_text(json.dumps(entries), encoding="utf-8")
    for name in ("suppliers.yaml", "suppliers.json"):
        out = folder / f"out-{name}"
        result = _run(folder, folder / name, "--jobs", "1", out=out.name)
        assert result.exit_code == 1, result.output
        assert_valid(out / "Y-1-yankee-ltd.docx", "Yankee Ltd", "Yoyo", "VND 1.50")
        assert [(e["row"], e["supplier"], e["field"]) for e in errors(out)] == [("2", "Y-2", "bogus")]


def test_template_columns_fill_and_run(folder):
    result = bulk("template", "-o", str(folder / "suppliers.csv"))
    assert result.exit_code == 0, result.output
    header = (folder / "suppliers.csv").read_bytes().decode("utf-8-sig").strip().split(",")
    assert header[0] == "supplier_id" and "supplier.name" in header and "products.3.price" in header
    assert "buyer.name" not in header  # shared values come from --defaults
    rows = [["T-1", "Tango Ltd", "1 Quay", "vietnam", "Tam", "", "Tube", "2", "", "", "", ""]]
    write_csv(folder / "suppliers.csv", rows, header=header)
    run = _run(folder, folder / "suppliers.csv", "--jobs", "1")
    assert run.exit_code == 0, run.output
    assert_valid(folder / "out" / "T-1-tango-ltd.docx", "Tango Ltd", "Tube")


def test_csv_without_bom_and_with_semicolons(folder):
    suppliers = write_csv(folder / "suppliers.csv", GOOD[:1], bom=False, delimiter=";")
    result = _run(folder, suppliers, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert_valid(folder / "out" / "S-001-alpha-precision-co.docx", "Alpha Precision Co", "1 Road\nHanoi")


def test_unusable_columns_stop_before_anything_is_written(folder):
    header = [*HEADER[:1], "supplier.nmae", *HEADER[2:]]
    suppliers = write_csv(folder / "suppliers.csv", GOOD, header=header)
    result = _run(folder, suppliers)
    assert result.exit_code == 3 and "supplier.nmae: not a parameter of this library; did you mean supplier.name?" in result.stderr
    assert not (folder / "out").exists()
    no_id = write_csv(folder / "noid.csv", [r[1:] for r in GOOD], header=HEADER[1:])
    assert _run(folder, no_id).exit_code == 3


def test_usage_errors_are_exit_2(folder):
    (folder / "suppliers.txt").write_text("x", encoding="utf-8")
    assert _run(folder, folder / "suppliers.txt").exit_code == 2
    suppliers = write_csv(folder / "suppliers.csv", GOOD)
    bad_pattern = _run(folder, suppliers, "--name", "{supplier.nam}")
    assert bad_pattern.exit_code == 2 and "did you mean {supplier.name}?" in bad_pattern.stderr
    assert bulk("run", str(suppliers)).exit_code == 2  # --out is required


def test_bundled_library_end_to_end(tmp_path):
    """The full supply agreement: three suppliers of the shipped list over its shared values."""
    header, rows = sample_suppliers("VN-001", "CN-001", "TH-001")
    suppliers = write_csv(tmp_path / "suppliers.csv", rows, header=header)
    result = bulk("run", str(suppliers), "--defaults", str(SAMPLE_DEFAULTS), "--out", str(tmp_path / "out"), "--jobs", "2", options=[])
    assert result.exit_code == 0, result.output + result.stderr
    name, product = header.index("supplier.name"), header.index("products.1.name")
    for row in rows:
        names = list((tmp_path / "out").glob(f"{row[0]}-*.docx"))
        assert len(names) == 1
        assert_valid(names[0], row[name], row[product])


def test_plain_progress_lines_when_not_on_a_terminal(folder):
    suppliers = write_csv(folder / "suppliers.csv", many_rows(5))
    from click.testing import CliRunner

    from clausewright.cli.main import cli

    result = CliRunner().invoke(cli, ["bulk", "run", str(suppliers), "--defaults", str(folder / "defaults.yaml"), "--out", str(folder / "out"), "--jobs", "1", "--progress-every", "2", *MINI_OPTIONS])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("writing:")]
    assert [line.split(" rows")[0] for line in lines] == ["writing: 2/5", "writing: 4/5", "writing: 5/5"]


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_each_worker_loads_the_sources_once(mini_sources, method, monkeypatch):
    """Each worker process uses one sources object for all its rows: a forked worker the main
    process's own (loaded and compiled before the fork), a spawned one its own, loaded once."""
    import multiprocessing

    from clausewright.bulk import runner

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} here")
    monkeypatch.setattr(runner, "_context", lambda: multiprocessing.get_context(method))
    options = runner.Options(MINI / "deal.yaml", jobs=2, library_dir=MINI / "library", jurisdictions_dir=MINI / "jurisdictions")
    pool = runner._Pool(2, type("R", (), {"options": options, "sources": mini_sources})())
    try:
        seen = [result for _, result in pool.run(lambda_free_identity, range(40))]
    finally:
        pool.close()
    by_process: dict[int, set[tuple[int, bool]]] = {}
    for pid, sources_id, compiled in seen:
        by_process.setdefault(pid, set()).add((sources_id, compiled))
    assert os.getpid() not in by_process and 1 <= len(by_process) <= 2
    assert all(len(ids) == 1 for ids in by_process.values())
    if method == "fork":
        assert all(ids == {(id(mini_sources), True)} for ids in by_process.values()), by_process
    else:
        assert all(not compiled for ids in by_process.values() for _, compiled in ids), by_process  # its own, loaded fresh


def lambda_free_identity(_):
    from clausewright.bulk import worker

    return worker.identity()


def test_bulk_runs_the_same_checks_as_generate(tmp_path):
    """A row whose penalty exceeds the Vietnamese 8% cap fails with the rule's id, like
    `generate`; --allow accepts it, and the other rows are written either way."""
    header, rows = sample_suppliers(
        "VN-001", "VN-002", law__governing_law=["singapore", "vietnam"], liquidated_damages__applies=["no", "yes"],
        liquidated_damages__basis=["", "percent"], liquidated_damages__percent=["", "12"],
    )
    suppliers = write_csv(tmp_path / "suppliers.csv", rows, header=header)
    defaults = str(SAMPLE_DEFAULTS)
    result = bulk("run", str(suppliers), "--defaults", defaults, "--out", str(tmp_path / "out"), "--jobs", "1", options=[])
    assert result.exit_code == 1, result.output + result.stderr
    failed = errors(tmp_path / "out")
    assert [(e["row"], e["field"]) for e in failed] == [("3", "check penalty-cap")]
    assert "8%" in failed[0]["message"]
    assert len(list((tmp_path / "out").glob("VN-001-*.docx"))) == 1 and not list((tmp_path / "out").glob("VN-002-*.docx"))
    check = bulk("validate", str(suppliers), "--defaults", defaults, options=[])
    assert check.exit_code == 3 and "check penalty-cap" in check.output + check.stderr
    allowed = bulk("run", str(suppliers), "--defaults", defaults, "--out", str(tmp_path / "out2"), "--jobs", "1", "--allow", "penalty-cap", options=[])
    assert allowed.exit_code == 0, allowed.output + allowed.stderr
    assert len(list((tmp_path / "out2").glob("VN-002-*.docx"))) == 1


def test_workers_collect_garbage_less_often_and_a_library_caller_gets_its_settings_back(mini_sources):
    """Worker processes raise the collector's threshold for the run; with --jobs 1 the run
    happens in the caller's process, whose settings are put back when it ends."""
    import gc

    from clausewright.bulk import runner, worker

    before = gc.get_threshold()
    options = runner.Options(MINI / "deal.yaml", jobs=2, library_dir=MINI / "library", jurisdictions_dir=MINI / "jurisdictions")
    pool = runner._Pool(2, type("R", (), {"options": options, "sources": mini_sources})())
    try:
        thresholds = {result for _, result in pool.run(lambda_free_gc_threshold, range(8))}
    finally:
        pool.close()
    assert thresholds == {worker.GC_THRESHOLD}
    single = runner._Pool(1, type("R", (), {"options": options, "sources": mini_sources})())
    try:
        assert [result for _, result in single.run(lambda_free_gc_threshold, range(2))] == [worker.GC_THRESHOLD] * 2
    finally:
        single.close()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def lambda_free_gc_threshold(_):
    import gc

    return gc.get_threshold()[0]


def test_thousands_of_columns(folder):
    """A sheet with thousands of columns: unknown ones are all reported at once (and quickly)
    with nothing written; a thousand product entries per supplier are all in each document."""
    import time as _time

    from clausewright.ooxml import reader

    junk = [f"junk{i}" for i in range(3000)]
    wide = write_csv(folder / "wide.csv", [["S-1", "Alpha Ltd", *["x"] * 3000]], header=["supplier_id", "supplier.name", *junk])
    started = _time.monotonic()
    result = bulk("run", str(wide), "--defaults", str(folder / "defaults.yaml"), "--out", str(folder / "wide-out"), "--jobs", "1")
    assert result.exit_code == 3 and not (folder / "wide-out").exists()
    assert "junk0: not a parameter of this library" in result.output and "and 2950 more" in result.output
    assert _time.monotonic() - started < 30

    header = ["supplier_id", "supplier.name", "supplier.address", "supplier.country", "supplier.signatory.name"]
    header += [column for n in range(1, 1001) for column in (f"products.{n}.name", f"products.{n}.price")]
    rows = [[f"S-{r}", f"Supplier {r}", "Road", "vietnam", "Signer", *[v for n in range(1, 1001) for v in (f"Part {r}-{n} <&>", f"{n}.50")]] for r in (1, 2)]
    out = folder / "long-out"
    result = bulk("run", str(write_csv(folder / "long.csv", rows, header=header)), "--defaults", str(folder / "defaults.yaml"), "--out", str(out), "--jobs", "2")
    assert result.exit_code == 0, result.output
    for r in (1, 2):
        [docx] = [p for p in out.glob(f"S-{r}-*.docx")]
        text = reader.read(docx.read_bytes()).text()
        assert all(f"Part {r}-{n} <&>" in text for n in (1, 500, 1000)) and text.count(f"Part {r}-") == 1000
