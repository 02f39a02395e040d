"""The drafting memo as a Word package: on the house template (A4, the firm's styles and fonts,
compatibility mode 15), with the agreement's provenance and properties, no stock metadata or
thumbnail, and no error under openxml-audit's strict Microsoft 365 profile."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from lxml import etree
from test_word_package import audit

from clausewright.cli.main import cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _generate(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(exist_ok=True)
    out, memo = folder / "agreement.docx", folder / "memo.docx"
    result = CliRunner().invoke(cli, ["generate", str(SAMPLES / "vietnam-supplier.yaml"), "-o", str(out), "--memo", str(memo), "--no-page-numbers"])
    assert result.exit_code == 0, result.output
    return out, memo


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> tuple[Path, Path]:
    return _generate(tmp_path_factory.mktemp("memo"))


def _part(docx: Path, name: str) -> bytes:
    return zipfile.ZipFile(docx).read(name)


def test_the_memo_validates_without_error(made):
    report = audit(made[1])
    assert report["error_count"] == 0, report["errors"]


def test_a4_on_the_house_templates_styles_in_compatibility_mode_15(made):
    memo = made[1]
    document = etree.fromstring(_part(memo, "word/document.xml"))
    size = document.find(f"{W}body/{W}sectPr/{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
    assert document.find(f"{W}body/{W}sectPr/{W}headerReference") is None  # the agreement's draft header is not the memo's
    used = {s.get(f"{W}val") for s in document.iter(f"{W}pStyle")}
    assert {"FrontTitle", "FrontText", "Body2", "TableText"} <= used
    assert {t.get(f"{W}val") for t in document.iter(f"{W}tblStyle")} == {"ClauseTable"}
    settings = _part(memo, "word/settings.xml")
    assert b'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"' in settings
    assert b"proofState" not in settings and b"updateFields" not in settings
    assert _part(memo, "word/styles.xml") == _part(made[0], "word/styles.xml")  # the firm's styles, as the agreement has them


def test_no_stock_metadata_and_the_agreements_provenance(made):
    agreement, memo = made
    names = zipfile.ZipFile(memo).namelist()
    assert not [n for n in names if "thumbnail" in n or n.startswith("word/header") or n.startswith("word/footer")]
    app = _part(memo, "docProps/app.xml").decode()
    assert "Macintosh" not in app and "<Application>clausewright " in app and "<Template>master.docx</Template>" in app
    assert _part(memo, "docProps/custom.xml") == _part(agreement, "docProps/custom.xml")
    core = _part(memo, "docProps/core.xml").decode()
    assert "<dc:title>Drafting memo: " in core and "<dc:language>en-GB</dc:language>" in core and "python-docx" not in core


def test_the_same_inputs_give_the_same_memo(made, tmp_path):
    assert _generate(tmp_path)[1].read_bytes() == made[1].read_bytes()
