"""The house template contract: ``clausewright template check FILE`` reports every problem of a
firm's template at once (styles by the names Word shows, tags, clause numbering), and loading a
template refuses a clause numbering format the code cannot follow."""

from __future__ import annotations

import zipfile
from pathlib import Path

from click.testing import CliRunner
from conftest import ROOT, SAMPLES

from clausewright.cli.main import cli

MASTER = ROOT / "templates" / "master.docx"
CLAUSE3_LEVEL = '<w:pStyle w:val="Clause3"/><w:suff w:val="tab"/><w:lvlText w:val="(%3)"/>'


def _variant(tmp_path: Path, name: str, **edits: list[tuple[str, str]]) -> Path:
    """A copy of the bundled template with text replaced in some parts (part=[(old, new), ...])."""
    with zipfile.ZipFile(MASTER) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    for part, replacements in edits.items():
        xml = parts[f"word/{part}.xml"].decode("utf-8")
        for old, new in replacements:
            assert old in xml, old
            xml = xml.replace(old, new)
        parts[f"word/{part}.xml"] = xml.encode("utf-8")
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for part_name, data in parts.items():
            z.writestr(part_name, data)
    return path


def _check(path):
    return CliRunner().invoke(cli, ["template", "check", str(path)])


def test_the_bundled_template_keeps_the_contract():
    result = _check(MASTER)
    assert result.exit_code == 0 and "keeps the house template contract" in result.output


def test_a_restyled_template_keeps_it(tmp_path):
    restyled = _variant(tmp_path, "restyled.docx", styles=[('w:ascii="Arial"', 'w:ascii="Georgia"')],
                        numbering=[(CLAUSE3_LEVEL, CLAUSE3_LEVEL.replace('w:suff w:val="tab"', 'w:suff w:val="space"'))])
    assert _check(restyled).exit_code == 0
    out = tmp_path / "out.docx"
    assert CliRunner().invoke(cli, ["generate", str(SAMPLES / "vietnam-supplier.yaml"), "-o", str(out), "--template", str(restyled)]).exit_code == 0


def test_every_problem_is_reported_at_once(tmp_path):
    broken = _variant(
        tmp_path, "broken.docx",
        styles=[('w:styleId="TOC1"', 'w:styleId="TOC10"'), ('w:styleId="CommentText"><w:name w:val="annotation text"/>', 'w:styleId="Notes"><w:name w:val="Notes"/>')],
        numbering=[(CLAUSE3_LEVEL, CLAUSE3_LEVEL.replace("(%3)", "%3)"))],
        document=[("{{ supplier_name }}", "{{ supplier_nme }}"), ("{{p schedules }}", ""), ("{{ s.place }}", "{{ s.plase }}")],
    )
    result = _check(broken)
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith("  - ")]
    assert len(problems) == 6, result.output
    text = result.output
    assert "paragraph style “toc 1” (style id TOC1) is missing; a style of that name exists, but with the id 'TOC10'" in text
    assert "paragraph style “annotation text” (style id CommentText) is missing" in text
    assert "“Clause 3” (style id Clause3), level 3 of its list numbers as lowerLetter '%3)': clausewright can follow only lowerLetter '(%3)'" in text
    assert "{{ supplier_nme }}, which clausewright does not fill; did you mean supplier_name?" in text
    assert "{{ s.plase }} in the signature blocks, which clausewright does not fill; did you mean place?" in text
    assert "the template has no {{p schedules }} tag" in text


def test_loading_refuses_a_numbering_format_the_code_cannot_follow(tmp_path):
    changed = _variant(tmp_path, "b-paren.docx", numbering=[(CLAUSE3_LEVEL, CLAUSE3_LEVEL.replace("(%3)", "%3)"))])
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(cli, ["generate", str(SAMPLES / "vietnam-supplier.yaml"), "-o", str(out), "--template", str(changed)])
    assert result.exit_code == 4 and not out.exists()  # a broken template
    assert "“Clause 3” (style id Clause3), level 3 of its list numbers as lowerLetter '%3)'" in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_schedule_numbering_is_checked_too(tmp_path):
    schedule_level = '<w:numFmt w:val="lowerLetter"/><w:pStyle w:val="Schedule3"/>'
    changed = _variant(tmp_path, "schedules.docx", numbering=[(schedule_level, schedule_level.replace("lowerLetter", "upperLetter"))])
    result = _check(changed)
    assert result.exit_code == 1
    assert "“Schedule 3” (style id Schedule3), level 3 of list 5" in result.output and "upperLetter '(%3)'" in result.output


def test_a_file_that_is_not_a_word_document(tmp_path):
    bad = tmp_path / "template.docx"
    bad.write_bytes(b"not a zip")
    result = _check(bad)
    assert result.exit_code == 1 and "not a DOCX file" in result.output and "Traceback" not in result.output


def test_the_contract_lists_every_field_of_a_signature_block():
    # a field added to the execution blocks is a tag the template may use: the contract must know it
    from dataclasses import fields

    from clausewright.assembly.front_matter import SignatureBlock
    from clausewright.ooxml.contract import SIGNATORY_FIELDS

    assert set(SIGNATORY_FIELDS) == {f.name for f in fields(SignatureBlock)}
