"""The agreement as a Word package: the parts Word expects (font table, theme, web settings),
Word's own names for its built-in styles, outline levels below the headings, core and extended
properties that state nothing untrue, language tags on text in other scripts, and no schema or
semantic error under openxml-audit's strict Microsoft 365 profile for any sample."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import MINI, SAMPLES
from lxml import etree

from clausewright import pipeline
from clausewright.ooxml.theme import SCRIPT_FONTS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SAMPLE_FILES = sorted(SAMPLES.glob("*.yaml"))


def _part(docx: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return z.read(name).decode("utf-8")


@pytest.fixture(scope="module")
def mini(mini_sources) -> bytes:
    return pipeline.generate(MINI / "deal.yaml", None, sources=mini_sources).docx


def audit(path: Path) -> dict:
    """openxml-audit's report on one file, under its strict Microsoft 365 profile."""
    run = subprocess.run(
        [sys.executable, "-m", "openxml_audit", "--format", "microsoft365", "--policy", "strict", "--output", "json", "--max-errors", "0", str(path)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    return json.loads(run.stdout)[0]


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_every_sample_validates_without_error(bundled_sources, sample, tmp_path):
    out = tmp_path / f"{sample.stem}.docx"
    pipeline.generate(sample, out, sources=bundled_sources)
    report = audit(out)
    assert report["error_count"] == 0, report["errors"]


def test_the_parts_word_expects(mini):
    rels = _part(mini, "word/_rels/document.xml.rels")
    types = _part(mini, "[Content_Types].xml")
    for kind, target in (("fontTable", "fontTable.xml"), ("theme", "theme/theme1.xml"), ("webSettings", "webSettings.xml")):
        assert re.search(rf'Type="[^"]*/relationships/{kind}" Target="{target}"', rels), kind
        assert f'PartName="/word/{target}"' in types
    fonts = etree.fromstring(_part(mini, "word/fontTable.xml").encode())
    assert {"Arial", *SCRIPT_FONTS.values()} <= {f.get(f"{W}name") for f in fonts}


def test_built_in_styles_carry_words_names_and_are_not_custom(mini):
    styles = {s.get(f"{W}styleId"): s for s in etree.fromstring(_part(mini, "word/styles.xml").encode()).iter(f"{W}style")}
    for style_id, name in (("Heading1", "heading 1"), ("TOC1", "toc 1"), ("TOCHeading", "TOC Heading"), ("CommentText", "annotation text"),
                           ("CommentReference", "annotation reference"), ("Header", "header"), ("Footer", "footer")):
        assert styles[style_id].find(f"{W}name").get(f"{W}val") == name
        assert styles[style_id].get(f"{W}customStyle") is None, style_id
    assert styles["Clause2"].get(f"{W}customStyle") == "1"  # the firm's own styles stay custom


def test_outline_levels_below_the_headings(mini):
    styles = {s.get(f"{W}styleId"): s for s in etree.fromstring(_part(mini, "word/styles.xml").encode()).iter(f"{W}style")}

    def outline(style_id):
        element = styles[style_id].find(f"{W}pPr/{W}outlineLvl")
        return None if element is None else int(element.get(f"{W}val"))

    assert [outline(s) for s in ("Heading1", "Clause2", "Clause3", "Clause4")] == [0, 1, 2, None]
    assert [outline(s) for s in ("ScheduleHeading", "Schedule1", "Schedule2", "Schedule3")] == [0, 1, 2, None]


def test_properties_state_no_date_without_source_date_epoch(mini, mini_sources, monkeypatch):
    core = _part(mini, "docProps/core.xml")
    assert "dcterms:created" not in core and "2026-12-01" not in core  # the agreement's date is not when it was made
    assert "<dc:creator>Clause library</dc:creator>" in core and "<dc:language>en-GB</dc:language>" in core
    app = _part(mini, "docProps/app.xml")
    assert "<Template>master.docx</Template>" in app and "<Application>clausewright" in app
    words = int(re.search(r"<Words>(\d+)</Words>", app).group(1))
    assert 200 < words < 2000
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    stamped = pipeline.generate(MINI / "deal.yaml", None, sources=mini_sources).docx
    core = _part(stamped, "docProps/core.xml")
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created>' in core
    assert '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:modified>' in core
    assert stamped == pipeline.generate(MINI / "deal.yaml", None, sources=mini_sources).docx


def test_a_bad_source_date_epoch_is_named(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from clausewright.cli.main import cli

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = CliRunner().invoke(cli, ["generate", str(MINI / "deal.yaml"), "-o", str(tmp_path / "a.docx"), "--library", str(MINI / "library"), "--jurisdictions", str(MINI / "jurisdictions")])
    assert result.exit_code != 0 and "SOURCE_DATE_EPOCH" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "a.docx").exists()


def _runs_with(document: str, text: str) -> list[str]:
    return [r for r in re.findall(r"<w:r>.*?</w:r>", document) if text in r]


@pytest.mark.parametrize(("sample", "text", "lang", "font"), [
    ("shenzhen-electronics.yaml", "深圳市华信精密电子有限公司", 'w:eastAsia="zh-CN"', f'w:eastAsia="{SCRIPT_FONTS["Hans"]}"'),
    ("korea-supplier.yaml", "한빛정밀 주식회사", 'w:eastAsia="ko-KR"', f'w:eastAsia="{SCRIPT_FONTS["Hang"]}"'),
    ("thai-die-caster.yaml", "บริษัท สยาม อีสเทิร์น", 'w:bidi="th-TH"', f'w:cs="{SCRIPT_FONTS["Thai"]}"'),
    ("vietnam-supplier.yaml", "Công ty TNHH Sản xuất Chính xác Sài Gòn", 'w:val="vi-VN"', None),
])
def test_text_in_other_scripts_carries_its_language_and_font(bundled_sources, sample, text, lang, font):
    document = _part(pipeline.generate(SAMPLES / sample, None, sources=bundled_sources).docx, "word/document.xml")
    runs = _runs_with(document, text)
    assert len(runs) >= 2  # the parties clause and the signature block
    for run in runs:
        assert lang in run and (font is None or font in run), run[:300]


def test_vietnamese_is_tagged_word_by_word_not_the_english_around_it(bundled_sources):
    document = _part(pipeline.generate(SAMPLES / "vietnam-supplier.yaml", None, sources=bundled_sources).docx, "word/document.xml")
    tagged = re.findall(r'<w:lang w:val="vi-VN"/></w:rPr><w:t xml:space="preserve">([^<]*)</w:t>', document)
    assert "Công ty TNHH Sản xuất Chính xác Sài Gòn" in tagged
    assert not any("Saigon" in t or "limited" in t for t in tagged)
    english = _runs_with(document, "Saigon Precision Manufacturing Co., Ltd")
    assert english and not any("w:lang" in r for r in english)


def test_table_columns_keep_numbers_whole_and_add_up_to_the_text_width():
    """Table columns (ooxml/writer.py ``column_widths``): each column holds its longest number
    unbroken, the widths add up to the width given, and word columns give way first."""
    from clausewright.ooxml.writer import _width, column_widths

    header = ["Tag", "Item", "Location", "Paid by; owner", "Price or recovery", "Rated life", "Value"]
    row = ["KMP-M-0310A", "Die-casting die, gearbox housing (2-cavity)", "Site",
           "The Buyer, up front (tooling price); owned by the Buyer once the price is paid", "Tooling price THB 2,950,000.00", "–", "THB 3,200,000.00"]
    widths = column_widths([header, row], 8306)
    assert sum(widths) == 8306 and min(widths) >= 400
    for column, number in ((0, "KMP-M-0310A"), (4, "2,950,000.00"), (6, "3,200,000.00")):
        assert widths[column] >= _width(number) + 216, (column, widths)
    narrow = column_widths([["a", "b"], ["x" * 3, "y" * 200]], 8000)
    assert narrow[1] > 4 * narrow[0] and sum(narrow) == 8000  # the text-heavy column gets the room
    assert column_widths([["c"] * 30], 8306) == [276] * 30  # too many columns: equal shares
