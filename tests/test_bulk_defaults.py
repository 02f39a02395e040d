"""A --defaults file gives only what every agreement shares: what belongs to a supplier is
refused, what would follow the supplier's country is noted, and the bundled supplier list runs
exactly as the README says."""

from __future__ import annotations

import shlex
import shutil

import pytest
from bulk_helpers import SAMPLE_DEFAULTS, SAMPLE_SUPPLIERS, assert_valid, errors, sample_suppliers, write_csv
from click.testing import CliRunner
from conftest import ROOT, SAMPLES

from clausewright.bulk.defaults import follows_supplier
from clausewright.cli.main import cli
from clausewright.errors import EXIT_INPUT

pytestmark = pytest.mark.timeout(300)


def _bulk(*args: str):
    return CliRunner().invoke(cli, ["bulk", *args, "--no-progress"])


def test_a_deal_file_as_defaults_is_refused_naming_each_supplier_key(tmp_path):
    """The Vietnam sample as --defaults would give a Thai supplier's agreement a Vietnamese
    translation, site, delivery place and tooling tags."""
    header, rows = sample_suppliers("TH-001")
    suppliers = write_csv(tmp_path / "suppliers.csv", rows, header=header)
    for command in (["validate", str(suppliers)], ["run", str(suppliers), "--out", str(tmp_path / "out")]):
        result = _bulk(*command, "--defaults", str(SAMPLES / "vietnam-supplier.yaml"))
        assert result.exit_code == EXIT_INPUT, result.output
        assert "sets what belongs to each supplier, which --defaults would copy into every agreement; nothing was written" in result.stderr
        for key in ("agreement.translation", "supplier.name", "supplier.site", "commercial.delivery_place", "products", "tooling.register"):
            assert f"  - {key}: " in result.stderr, key
        for shared in ("buyer.name", "commercial.currency", "law.governing_law"):
            assert f"  - {shared}: " not in result.stderr
    assert not (tmp_path / "out").exists()


def test_what_follows_the_supplier_country_is_found_from_the_schema(bundled_sources):
    found = [p.id for p in follows_supplier(bundled_sources.schema)]
    assert found == [
        "commercial.currency", "law.governing_law", "disputes.institution", "disputes.seat", "disputes.arbitrators",
        "disputes.language", "disputes.arbitration_agreement_law", "disputes.courts",
        "nnn.prevailing_language",  # the local text prevails when the supplier's own law governs
    ]


def test_defaults_that_fix_what_follows_the_supplier_country_are_noted(tmp_path):
    header, rows = sample_suppliers("VN-001", "CN-001")
    suppliers = write_csv(tmp_path / "suppliers.csv", rows, header=header)
    defaults = tmp_path / "defaults.yaml"
    defaults.write_text(SAMPLE_DEFAULTS.read_text(encoding="utf-8") + "law:\n  governing_law: england-wales\n", encoding="utf-8")
    noted = _bulk("validate", str(suppliers), "--defaults", str(defaults))
    assert noted.exit_code == 0, noted.output
    assert "Note: --defaults sets for every supplier what would otherwise follow each supplier's country: commercial.currency (USD), law.governing_law (england-wales)" in noted.stderr
    # an amount while the currency follows each supplier's country: the same figure, a different sum
    text = SAMPLE_DEFAULTS.read_text(encoding="utf-8").replace("  currency: USD\n", "  minimum_order_value: 10000\n")
    defaults.write_text(text, encoding="utf-8")
    warned = _bulk("validate", str(suppliers), "--defaults", str(defaults))
    assert "Warning: --defaults gives amounts (commercial.minimum_order_value) but not commercial.currency" in warned.stderr


def test_without_defaults_the_missing_shared_values_end_with_one_hint(tmp_path):
    result = _bulk("validate", str(SAMPLE_SUPPLIERS))
    assert result.exit_code == EXIT_INPUT
    assert result.stderr.count("buyer.name: missing") == 7
    assert result.stderr.count("Hint: ") == 1 and "give them once in a deal file with --defaults" in result.stderr
    assert result.stderr.index("Hint: ") > result.stderr.rindex("buyer.name: missing")
    ran = _bulk("run", str(SAMPLE_SUPPLIERS), "--out", str(tmp_path / "out"))
    assert ran.exit_code == EXIT_INPUT and ran.stderr.count("Hint: ") == 1


def test_the_readme_bulk_command_runs_over_the_bundled_suppliers(tmp_path, monkeypatch):
    command = next(line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines() if line.startswith("clausewright bulk run samples/bulk/"))
    assert command == "clausewright bulk run samples/bulk/suppliers.csv --defaults samples/bulk/defaults.yaml --out agreements/"
    shutil.copytree(SAMPLES / "bulk", tmp_path / "samples" / "bulk")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, [*shlex.split(command)[1:], "--no-progress"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "agreements"
    header, rows = sample_suppliers("VN-001", "VN-002", "CN-001", "TH-001", "IN-001", "MX-001", "KR-001")
    assert {p.name.split("-")[0] for p in out.glob("*.docx")} == {"VN", "CN", "TH", "IN", "MX", "KR"} and len(list(out.glob("*.docx"))) == 7
    assert errors(out) == []
    name, local, place = header.index("supplier.name"), header.index("supplier.local_name"), header.index("commercial.delivery_place")
    for row in rows:
        docx = next(out.glob(f"{row[0]}-*.docx"))
        texts = [row[name], row[place]] + ([row[local]] if row[local] else [])
        shown = assert_valid(docx, *texts)
        others = [other[place] for other in rows if other[place] != row[place]]
        assert not [p for p in others if p in shown], row[0]  # no supplier's delivery place in another's agreement
    warnings = (out / "warnings.csv").read_text(encoding="utf-8-sig")
    assert "placeholder" not in warnings  # nothing the sample leaves unanswered
