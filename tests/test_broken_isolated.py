"""What is broken is isolated: a broken profile refuses only the deals that choose it, and
``library check`` reports a broken profile or clause once, without false warnings about what it
could not render."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import ROOT, SAMPLES
from qa_helpers import mini_copy

from clausewright.cli.main import cli
from clausewright.qa import library_check


def _break_vietnam(jurisdictions: Path) -> Path:
    profile = jurisdictions / "profiles" / "vietnam.yaml"
    text = profile.read_text(encoding="utf-8")
    assert "\ncurrency: VND\n" in text
    profile.write_text(text.replace("\ncurrency: VND\n", "\n"), encoding="utf-8")
    return profile


def _generate(deal: Path, out: Path, jurisdictions: Path):
    return CliRunner().invoke(cli, ["generate", str(deal), "-o", str(out), "--jurisdictions", str(jurisdictions)])


def test_a_broken_profile_refuses_only_the_deals_that_choose_it(tmp_path):
    intact, broken = tmp_path / "intact", tmp_path / "broken"
    shutil.copytree(ROOT / "jurisdictions", intact)
    shutil.copytree(ROOT / "jurisdictions", broken)
    profile = _break_vietnam(broken)

    china = SAMPLES / "shenzhen-electronics.yaml"  # a PRC supplier, Hong Kong law: no Vietnamese profile in play
    assert _generate(china, tmp_path / "a.docx", intact).exit_code == 0
    result = _generate(china, tmp_path / "b.docx", broken)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()

    refused = _generate(SAMPLES / "vietnam-supplier.yaml", tmp_path / "c.docx", broken)
    assert refused.exit_code == 4 and "Traceback" not in refused.output
    assert f"{profile}: missing key(s): currency" in refused.stderr and not (tmp_path / "c.docx").exists()
    shown = CliRunner().invoke(cli, ["jurisdictions", "show", "vietnam", "--jurisdictions", str(broken)])
    assert shown.exit_code == 4 and "missing key(s): currency" in shown.stderr


def test_library_check_reports_a_broken_profile_once_and_checks_the_rest(tmp_path):
    copy = mini_copy(tmp_path)
    _break_vietnam(copy.jurisdictions)
    report = library_check.check(copy.library, copy.jurisdictions, jobs=1)
    about = [f for f in report.findings if "vietnam" in f.message]
    assert len(about) == 1 and about[0].id == library_check.PROFILE, library_check.format_text(report)
    assert "profile vietnam cannot be used" in about[0].message and "missing key(s): currency" in about[0].message
    assert report.stats["combinations"] > 0 and report.stats["failed"] == 0  # singapore alone, checked in full
    assert not report.ok


def test_a_clause_broken_wherever_it_is_included_is_not_said_to_be_left_out(tmp_path):
    copy = mini_copy(tmp_path)
    (copy.library / "clauses" / "local.clause").write_text(
        "---\nid: local\ntitle: Local points\nversion: 0.1.0\npart: body\norder: 40\nwhen: \"deal.supplier.country == 'vietnam'\"\n---\n"
        "+ The law of {{ supplier_country.nam }} applies to the [[Site]].\n", encoding="utf-8")
    report = library_check.check(copy.library, copy.jurisdictions, jobs=1)
    ids = [f.id for f in report.findings]
    render = [f for f in report.findings if f.id == library_check.RENDER]
    assert len(render) == 1 and "local.clause, line 9): supplier_country has no entry 'nam'; did you mean name?" in render[0].message
    assert library_check.NEVER not in ids and library_check.DEFINITION_NEVER not in ids, library_check.format_text(report)
