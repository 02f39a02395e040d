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


def test_memo_tables_repeat_their_header_keep_it_with_a_row_and_never_split_a_row(made):
    document = etree.fromstring(_part(made[1], "word/document.xml"))
    tables = document.findall(f".//{W}tbl")
    assert tables
    for table in tables:
        rows = table.findall(f"{W}tr")
        header, *others = rows
        assert header.find(f"{W}trPr/{W}tblHeader") is not None
        assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
        assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in header.iter(f"{W}p"))
        assert not any(row.find(f"{W}trPr/{W}tblHeader") is not None for row in others)


def test_memo_title_stands_apart_and_its_bullets_are_a_word_list(made):
    document = etree.fromstring(_part(made[1], "word/document.xml"))
    numbering = etree.fromstring(_part(made[1], "word/numbering.xml"))
    paragraphs = document.findall(f".//{W}body/{W}p")
    style = [p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") for p in paragraphs]
    assert style[0] != style[2] and style.count(style[0]) == 1  # the title has a style of its own
    bulleted = [p for p in paragraphs if p.find(f"{W}pPr/{W}numPr") is not None]
    assert len(bulleted) > 10
    assert not any("".join(p.itertext()).startswith("\u2022") for p in paragraphs)  # no typed bullets
    (num_id,) = {p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val") for p in bulleted}
    abstract = numbering.find(f"{W}num[@{W}numId='{num_id}']/{W}abstractNumId").get(f"{W}val")
    level = numbering.find(f"{W}abstractNum[@{W}abstractNumId='{abstract}']/{W}lvl")
    assert level.find(f"{W}numFmt").get(f"{W}val") == "bullet"
    tags = [child.tag for child in numbering]
    assert max(i for i, t in enumerate(tags) if t == f"{W}abstractNum") < min(i for i, t in enumerate(tags) if t == f"{W}num")
