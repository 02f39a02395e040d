"""Errors in the lawyer's coordinates: a broken copy of the bundled library, profiles or template
in tmp_path, and the message names the file, the line the lawyer edited, and what was meant."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES

from clausewright.cli.main import cli
from clausewright.inputs.jurisdictions import load_jurisdictions
from clausewright.inputs.library import load_library
from clausewright.qa import library_check

DEAL = SAMPLES / "vietnam-supplier.yaml"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the bundled library and profiles: ``copy / "library"``, ``copy / "jurisdictions"``."""
    shutil.copytree(ROOT / "clause_library", tmp_path / "library")
    shutil.copytree(ROOT / "jurisdictions", tmp_path / "jurisdictions")
    return tmp_path


def _edit_line(path: Path, old: str, new: str, *, after: str = "") -> int:
    """Replace the first ``old`` found after the line holding ``after``; return its line (from 1)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(n for n, line in enumerate(lines) if after in line)
    n = next(n for n in range(start, len(lines)) if old in lines[n])
    lines[n] = lines[n].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    return n + 1


def _generate(copy: Path, *extra: str, deal: Path = DEAL):
    return CliRunner().invoke(cli, ["generate", str(deal), "-o", str(copy / "out.docx"), "--force", "--library", str(copy / "library"),
                                    "--jurisdictions", str(copy / "jurisdictions"), *extra])


def _error(result) -> str:
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    return result.stderr


def test_a_mistyped_parameter_is_reported_at_its_file_line_as_library_check_words_it(copy):
    audit = copy / "library" / "clauses" / "audit.clause"
    line = _edit_line(audit, "deal.audit.notice_days", "deal.audit.notice_dayz")
    result = _generate(copy)
    assert result.exit_code == 4
    said = "reads deal.audit.notice_dayz, which the schema does not declare; did you mean audit.notice_days?"
    assert f"clause audit ({audit}, line {line}): {said}" in _error(result)
    library = load_library(copy / "library")
    jurisdictions = load_jurisdictions(copy / "jurisdictions")
    library.schema.bind_catalogues(jurisdictions.catalogues(), jurisdictions.other_names())
    findings, _ = library_check.static_checks(library, jurisdictions)
    assert [(f.source, f.message) for f in findings if f.id == library_check.UNDECLARED] == [(f"{audit}:{line}", said)]


def test_an_optional_parameter_read_as_if_always_answered_says_how_to_read_it(copy):
    """A clause that reads an optional parameter the deal leaves unanswered is told that, and how
    to read it, not that the schema lacks it (which would send the lawyer looking for a typo)."""
    clause = copy / "library" / "clauses" / "dispute-resolution.clause"
    line = _edit_line(clause, "{% if deal.disputes.get('process_agent') %}", "{% if deal.disputes.process_agent %}")
    result = _generate(copy, "--set", "disputes.method=courts", "--set", "disputes.courts=singapore")
    assert result.exit_code == 4
    said = ("reads deal.disputes.process_agent, which this deal does not answer (it is optional, or its condition is false); "
            "read it as deal.disputes.get('process_agent'), or test `deal.disputes.process_agent is defined` first")
    assert f"clause dispute-resolution ({clause}, line {line}): {said}" in _error(result)


def test_a_mistyped_profile_entry_or_name_gets_the_nearest(copy):
    law = copy / "library" / "clauses" / "governing-law.clause"
    line = _edit_line(law, "{{ law.governing_law.name }}", "{{ law.governing_law.nam }}")
    result = _generate(copy)
    assert result.exit_code == 4
    assert f"clause governing-law ({law}, line {line}): law.governing_law has no entry 'nam'; did you mean name?" in _error(result)

    shutil.copy(ROOT / "clause_library" / "clauses" / "governing-law.clause", law)
    audit = copy / "library" / "clauses" / "audit.clause"
    line = _edit_line(audit, "{{ deal.audit.notice_days }}", "{{ lawz.name }}")
    message = _error(_generate(copy))
    assert f"clause audit ({audit}, line {line}): 'lawz' is not a name a clause can read; did you mean law? (the names are: " in message
    assert "supplier_country" in message and "included" in message


def test_a_missing_anchor_is_reported_at_its_file_line_with_the_anchors_that_exist(copy):
    audit = copy / "library" / "clauses" / "audit.clause"
    line = _edit_line(audit, "<<.records>>", "<<.recrods>>")
    message = _error(_generate(copy))
    assert (f"clause audit ({audit}, line {line}) refers to 'audit.recrods', which has no such anchor; did you mean audit.records? "
            "(the anchors of clause audit: audit.audit-rights, audit.costs, audit.findings, audit.inspections, "
            "audit.local-law, audit.records, audit.retention, audit.scope)") in message
    line = _edit_line(audit, "<<intellectual-property>>", "<<intelectual-property>>")  # in the second of three positions' paragraphs alike
    assert f"({audit}, line {line}) refers to 'intelectual-property', which is not in the library; did you mean intellectual-property?" in _error(_generate(copy))


def test_an_undefined_term_is_reported_once_at_its_first_file_line(copy):
    audit = copy / "library" / "clauses" / "audit.clause"
    text = audit.read_text(encoding="utf-8")
    body = text.index("\n---\n")
    audit.write_text(text[:body] + text[body:].replace("[[Supplier]]", "[[supplier]]"), encoding="utf-8")
    first = next(n for n, line in enumerate(audit.read_text(encoding="utf-8").split("\n"), start=1) if "[[supplier]]" in line)
    message = _error(_generate(copy))
    assert message.count("term-undefined:") == 1
    assert (f"the term 'supplier' is used in clause audit ({audit}, line {first}) but never defined; "
            "did you mean Supplier? (it differs in capitals only)") in message


def test_a_markup_error_is_reported_at_its_file_line_not_the_rendered_one(copy):
    audit = copy / "library" / "clauses" / "audit.clause"
    line = _edit_line(audit, "**Findings.**", "**Findings.", after="{% endif %}")
    result = _generate(copy)
    assert result.exit_code == 4
    assert f"clause audit ({audit}, line {line}): a '**' has no closing '**' (in the paragraph that starts there)" in _error(result)


def test_a_profile_block_indented_one_level_too_deep_says_where_it_went(copy):
    profile = copy / "jurisdictions" / "profiles" / "vietnam.yaml"
    lines = profile.read_text(encoding="utf-8").split("\n")
    start = lines.index("non_compete:")
    end = next(n for n in range(start + 1, len(lines)) if lines[n] and not lines[n].startswith(" "))
    profile.write_text("\n".join(lines[:start] + ["  " + line if line else line for line in lines[start:end]] + lines[end:]), encoding="utf-8")
    result = _generate(copy)
    assert result.exit_code == 4
    assert (f"{profile}: missing key(s): non_compete; non_compete is at line {start + 1}, indented under penalty "
            "(so it reads as penalty.non_compete): move its block back to the left margin, level with penalty") in _error(result)


def _template(tmp_path: Path, old: str, new: str) -> Path:
    with zipfile.ZipFile(ROOT / "templates" / "master.docx") as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    xml = parts["word/document.xml"].decode("utf-8")
    assert old in xml
    parts["word/document.xml"] = xml.replace(old, new).encode("utf-8")
    path = tmp_path / "house.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_mistyped_template_tag_is_a_broken_template_with_the_tag_meant(copy):
    house = _template(copy, "{{ date_line }}", "{{ date_lin }}")
    result = _generate(copy, "--template", str(house))
    assert result.exit_code == 4
    assert f"{house}: the template's tags are broken: the document has the tag {{{{ date_lin }}}}, which clausewright does not fill; did you mean date_line?" in _error(result)


def test_a_template_tag_that_does_not_compile_names_its_paragraph(copy):
    house = _template(copy, "{{ date_line }}", "{{ date_line }")
    result = _generate(copy, "--template", str(house))
    assert result.exit_code == 4
    message = _error(result)
    assert "a tag in the document does not compile (unexpected '}'), in the paragraph “" in message and "{{ date_line }" in message
    assert "has no {{p body }} tag" not in message  # a part that does not compile is not said to lack its tags
