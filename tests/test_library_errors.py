"""Broken clauses, templates and profiles fail with one clear message naming the place."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest
from click.testing import CliRunner
from conftest import MINI

from clausewright import pipeline, resources
from clausewright.cli.main import cli
from clausewright.errors import ClausewrightError, LibraryError, TemplateError
from clausewright.ooxml.template import MasterTemplate


@pytest.fixture
def library(tmp_path):
    lib = tmp_path / "library"
    shutil.copytree(MINI / "library", lib)
    return lib


def _generate(lib, tmp_path):
    sources = pipeline.load_sources(lib, MINI / "jurisdictions")
    return pipeline.generate(MINI / "deal.yaml", None, sources=sources)


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_undefined_variable_names_the_clause(library, tmp_path):
    _edit(library / "clauses" / "law.clause", "{{ law.governing_law.name }}", "{{ deal.nothing_here }}")
    with pytest.raises(LibraryError, match=r"clause law \(.*law.clause, line \d+\): reads deal.nothing_here, which the schema does not declare"):
        _generate(library, tmp_path)


def test_syntax_error_names_clause_and_line(library, tmp_path):
    _edit(library / "clauses" / "law.clause", "{% endif %}", "")
    with pytest.raises(LibraryError, match=r"clause law .*line \d+"):
        _generate(library, tmp_path)


def test_dangling_reference_is_an_error(library, tmp_path):
    _edit(library / "clauses" / "law.clause", "<<confidentiality>>", "<<confidentiality.nowhere>>")
    with pytest.raises(ClausewrightError, match=r"refers to 'confidentiality.nowhere', which has no such anchor"):
        _generate(library, tmp_path)


def test_reference_to_an_excluded_clause_says_so(library, tmp_path):
    _edit(library / "clauses" / "schedule-tooling.clause", "order: 10", "order: 10\nwhen: deal.tooling.applies")
    with pytest.raises(ClausewrightError, match=r"clause 'schedule-tooling' is not in this agreement \(its condition is false\)"):
        _generate(library, tmp_path)


def test_term_used_but_not_defined(library, tmp_path):
    _edit(library / "clauses" / "law.clause", "This Agreement", "This [[Master Agreement]]")
    with pytest.raises(ClausewrightError, match=r"the term 'Master Agreement' is used .* but never defined"):
        _generate(library, tmp_path)


def test_term_defined_twice(library, tmp_path):
    _edit(library / "clauses" / "law.clause", "This Agreement", 'This Agreement (the ""Buyer"")')
    with pytest.raises(ClausewrightError, match=r"the term 'Buyer' is defined more than once"):
        _generate(library, tmp_path)


def test_unmatched_markup_is_reported(library, tmp_path):
    _edit(library / "clauses" / "law.clause", "This Agreement", "This [[Agreement")
    with pytest.raises(LibraryError, match=r"unmatched '\[\['"):
        _generate(library, tmp_path)


def test_sandbox_blocks_attribute_escapes(library, tmp_path):
    _edit(library / "clauses" / "law.clause", "{{ law.governing_law.name }}", "{{ ''.__class__.__mro__ }}")
    with pytest.raises(LibraryError, match=r"tried something a clause may not do|not defined"):
        _generate(library, tmp_path)


def _template_without(style_id: str) -> bytes:
    src = resources.master_template().read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/styles.xml":
                data = data.replace(f'w:styleId="{style_id}"'.encode(), b'w:styleId="Renamed"')
            zout.writestr(info, data)
    return out.getvalue()


def test_template_missing_styles_lists_them(tmp_path):
    bad = tmp_path / "house.docx"
    bad.write_bytes(_template_without("Clause3"))
    with pytest.raises(TemplateError, match=r"lacks 1 required style\(s\): Clause3 \(paragraph\)"):
        MasterTemplate(bad)


def test_template_that_is_not_a_docx(tmp_path):
    bad = tmp_path / "house.docx"
    bad.write_text("hello", encoding="utf-8")
    result = CliRunner().invoke(cli, ["generate", str(MINI / "deal.yaml"), "-o", str(tmp_path / "o.docx"), "--template", str(bad),
                                      "--library", str(MINI / "library"), "--jurisdictions", str(MINI / "jurisdictions")])
    assert result.exit_code == 4
    assert "not a DOCX file" in result.stderr and "Traceback" not in result.output


def test_profile_missing_keys(tmp_path):
    jur = tmp_path / "jur"
    shutil.copytree(MINI / "jurisdictions", jur)
    _edit(jur / "profiles" / "vietnam.yaml", "currency: VND\n", "")
    sources = pipeline.load_sources(MINI / "library", jur)  # only the deals that choose it are refused
    with pytest.raises(LibraryError, match=r"vietnam.yaml: missing key\(s\): currency"):
        pipeline.generate(MINI / "deal.yaml", None, sources=sources)
