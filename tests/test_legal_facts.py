"""Legal logic in data: clauses and parameters test facts of the profiles (``eu_member``,
``drafting.*``, ``penalty.provision``, the seal and duty-stamp wording), never a country's id, so a
firm changes a country's points, or adds a country, in its profile alone."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES

from clausewright.cli.main import cli
from clausewright.inputs.jurisdictions import load_jurisdictions
from clausewright.inputs.library import load_library
from clausewright.ooxml.reader import read
from clausewright.qa import library_check

# A comparison of a profile's or a deal's country id with a name written in the library: law.id ==
# 'germany', supplier_country.id in ['china', ...], deal.supplier.country == 'china'.
COUNTRY_TEST = re.compile(r"""(\.id|\.country|\.governing_law)\s*(==|!=|in|not in)\s*[\['"]""")


def test_no_clause_or_parameter_tests_a_country_by_name():
    sources = [*sorted((ROOT / "clause_library" / "clauses").glob("*.clause")), *sorted((ROOT / "clause_library" / "parameters").glob("*.yaml"))]
    found = [f"{path.name}:{n}: {line.strip()}" for path in sources for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if COUNTRY_TEST.search(line)]
    assert found == []


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "jurisdictions", tmp_path / "jurisdictions")
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _text(copy: Path, deal: Path, *options: str) -> str:
    out = copy / f"{deal.stem}.docx"
    result = CliRunner().invoke(cli, ["generate", str(deal), "-o", str(out), "--force", "--jurisdictions", str(copy / "jurisdictions"), *options])
    assert result.exit_code == 0, result.output
    return " ".join(p.text for p in read(out.read_bytes()).paragraphs)


def test_a_countrys_points_follow_its_profile_facts(copy):
    deal = SAMPLES / "singapore-law.yaml"  # a Singapore supplier, Singapore law
    before = _text(copy, deal)
    assert "registered business scope" not in before and "Russian Federation" not in before
    profiles = copy / "jurisdictions" / "profiles"
    _edit(profiles / "singapore.yaml", "drafting: {}", "drafting: {business_scope: true}")
    _edit(profiles / "singapore.yaml", "\ncisg: true\n", "\ncisg: true\neu_member: true\n")
    after = _text(copy, deal)
    assert "its registered business scope covers the manufacture and export of the Products" in after
    assert "No re-export to Russia or Belarus." in after


def test_seal_and_duty_stamp_wording_come_from_the_profile(copy):
    thailand = copy / "jurisdictions" / "profiles" / "thailand.yaml"
    _edit(thailand, "  stamp_duty:\n", "  stamp_duty:\n    signing: {label: Duty stamp, instruction: Affix the duty stamp here and sign across it}\n")
    text = _text(copy, SAMPLES / "thai-die-caster.yaml")
    assert "Duty stamp Affix the duty stamp here and sign across it" in text
    assert "Duty stamp" not in _text(copy, SAMPLES / "vietnam-supplier.yaml")


def test_library_check_flags_a_fact_no_profile_gives(tmp_path):
    shutil.copytree(ROOT / "clause_library", tmp_path / "library")
    _edit(tmp_path / "library" / "clauses" / "warranties-indemnity.clause", "drafting.get('business_scope')", "drafting.get('busines_scope')")
    library = load_library(tmp_path / "library")
    jurisdictions = load_jurisdictions(ROOT / "jurisdictions")
    library.schema.bind_catalogues(jurisdictions.catalogues(), jurisdictions.other_names())
    findings, _ = library_check.static_checks(library, jurisdictions)
    messages = [f.message for f in findings if f.id == library_check.FACT]
    assert any("reads supplier_country.drafting.busines_scope, a fact no profile gives; did you mean business_scope?" in m for m in messages), messages
    assert any("gives drafting.business_scope, which no clause or condition reads" in m for m in messages), messages
