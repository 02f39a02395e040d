"""Legal logic in data: clauses and parameters test facts of the profiles (``eu_member``,
``drafting.*``, ``penalty.provision``, the seal and duty-stamp wording), never a country's id, so a
firm changes a country's points, or adds a country, in its profile alone; and what differs
between agreement types is data of the type (its ``drafting:`` facts, ``terms:`` and
``references:``), never its id, so a firm adds a type without editing the shared clauses."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES

from clausewright.assembly import term_names
from clausewright.cli.main import cli
from clausewright.inputs.jurisdictions import load_jurisdictions
from clausewright.inputs.library import load_library
from clausewright.ooxml.reader import read
from clausewright.qa import library_check

# A comparison of a profile's, a deal's or an agreement type's id with a name written in the library:
# law.id == 'germany', supplier_country.id in ['china', ...], deal.supplier.country == 'china',
# agreement_type.id == 'supply', deal.agreement.type != 'nnn'.
COUNTRY_TEST = re.compile(r"""(\.id|\.country|\.governing_law|\.type)\s*(==|!=|in|not in)\s*[\['"]""")


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
    _edit(profiles / "singapore.yaml", "\n  copyright_assignment:", "\n  business_scope: true\n  copyright_assignment:")
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


def _fact_findings(library_dir: Path) -> list[str]:
    """The messages of library check's fact rule over the library in ``library_dir``."""
    library = load_library(library_dir)
    jurisdictions = load_jurisdictions(ROOT / "jurisdictions")
    library.schema.bind_catalogues(jurisdictions.catalogues(), jurisdictions.other_names())
    findings, _ = library_check.static_checks(library, jurisdictions)
    return [f.message for f in findings if f.id == library_check.FACT]


def test_library_check_flags_a_fact_no_profile_gives(tmp_path):
    shutil.copytree(ROOT / "clause_library", tmp_path / "library")
    _edit(tmp_path / "library" / "clauses" / "warranties-indemnity.clause", "drafting.get('business_scope')", "drafting.get('busines_scope')")
    messages = _fact_findings(tmp_path / "library")
    assert any("reads supplier_country.drafting.busines_scope, a fact no profile gives; did you mean business_scope?" in m for m in messages), messages
    assert any("gives drafting.business_scope, which no clause or condition reads" in m for m in messages), messages


def _goods_type_named(library: Path, tid: str) -> None:
    """A copy of the supply type under another id, used by every clause the supply type uses: the
    type id the shared clauses see is new, and nothing else."""
    types = library / "types"
    (types / f"{tid}.yaml").write_text((types / "supply.yaml").read_text(encoding="utf-8").replace("id: supply", f"id: {tid}").replace("order: 10", "order: 12"), encoding="utf-8")
    for path in (library / "clauses").glob("*.clause"):
        text = path.read_text(encoding="utf-8")
        header = text.split("\n---\n", 1)[0]
        if "\ntypes:" not in header:
            text = text.replace("\norder:", f"\ntypes: [supply, {tid}]\norder:", 1)
        elif "supply" in header.split("\ntypes:", 1)[1].split("\n", 1)[0]:
            text = text.replace("types: [supply", f"types: [supply, {tid}", 1)
        path.write_text(text, encoding="utf-8")


def test_a_type_the_shared_clauses_do_not_name_drafts_from_its_own_facts(tmp_path):
    shutil.copytree(ROOT / "clause_library", tmp_path / "library")
    _goods_type_named(tmp_path / "library", "distribution")
    deal = SAMPLES / "vietnam-supplier.yaml"
    runner = CliRunner()
    texts = {}
    for tid in ("supply", "distribution"):
        out = tmp_path / f"{tid}.docx"
        result = runner.invoke(cli, ["generate", str(deal), "-o", str(out), "--force", "--no-page-numbers", "--library", str(tmp_path / "library"), "--set", f"agreement.type={tid}"])
        assert result.exit_code == 0, result.output
        texts[tid] = [p.text for p in read(out.read_bytes()).paragraphs]
    assert texts["distribution"] == texts["supply"]
    assert any("every Order and any non-contractual obligation" in t for t in texts["distribution"])


def test_a_renamed_term_keeps_its_plural_and_article_and_a_reference_points_at_the_types_clause(tmp_path):
    names, plurals = {"Order": "Statement of Work", "Buyer": "Customer"}, {"Orders": "Statements of Work"}
    text = "party to an [[Order]], under [[Order|Orders]], An [[Order]] of the [[Buyer|Buyer’s]] and a [[Buyer]]; see clause <<price-payment.currency>> and <<.term>>"
    renamed = term_names.repoint(term_names.rename(text, names, plurals), {"price-payment.currency": "services-fees.currency"})
    assert renamed == ("party to a [[Statement of Work]], under [[Statement of Work|Statements of Work]], A [[Statement of Work]] of the "
                       "[[Customer|Customer’s]] and a [[Customer]]; see clause <<services-fees.currency>> and <<.term>>")
    out = tmp_path / "services.docx"
    result = CliRunner().invoke(cli, ["generate", str(SAMPLES / "india-software-services.yaml"), "-o", str(out), "--no-page-numbers"])
    assert result.exit_code == 0, result.output
    text = " ".join(p.text for p in read(out.read_bytes()).paragraphs)
    assert "party to a Statement of Work or has given" in text and "under one or more Statements of Work may be brought" in text


def test_library_check_flags_a_type_fact_no_clause_reads_and_one_no_type_gives(tmp_path):
    shutil.copytree(ROOT / "clause_library", tmp_path / "library")
    _edit(tmp_path / "library" / "clauses" / "general.clause", "{% set supplies = agreement_type.drafting.get('supplies') %}",
          "{% set supplies = agreement_type.drafting.get('suplies') %}")
    _edit(tmp_path / "library" / "types" / "nnn.yaml", "\n  disclosure: one_way", "\n  notarised: true\n  disclosure: one_way")
    messages = _fact_findings(tmp_path / "library")
    assert any("reads agreement_type.drafting.suplies, a fact no agreement type gives; did you mean supplies?" in m for m in messages), messages
    assert any("agreement type nnn gives drafting.notarised, which no clause or condition reads" in m for m in messages), messages
