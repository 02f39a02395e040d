"""Comments as Word 2016 and later write them: a date (the agreement's, or SOURCE_DATE_EPOCH),
a configurable author and initials, and the commentsExtended, commentsIds and people parts; and
other readers (docx2python, mammoth, pandoc) read every paragraph and every comment."""

from __future__ import annotations

import io
import re
import shutil
import zipfile

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from lxml import etree

from clausewright import pipeline
from clausewright.cli.main import cli
from clausewright.ooxml import reader

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
W16CID = "{http://schemas.microsoft.com/office/word/2016/wordml/cid}"
VIETNAM = SAMPLES / "vietnam-supplier.yaml"


def _xml(docx: bytes, name: str):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read(name))


@pytest.fixture(scope="module")
def vietnam(bundled_sources, tmp_path_factory):
    path = tmp_path_factory.mktemp("comments") / "vietnam.docx"
    result = pipeline.generate(VIETNAM, path, sources=bundled_sources)
    return path, result


def test_comments_are_dated_and_signed_by_the_librarys_author(vietnam):
    path, _ = vietnam
    comments = list(_xml(path.read_bytes(), "word/comments.xml").iter(f"{W}comment"))
    assert len(comments) >= 5
    for comment in comments:
        assert comment.get(f"{W}date") == "2026-12-01T00:00:00Z"  # the agreement's date
        assert (comment.get(f"{W}author"), comment.get(f"{W}initials")) == ("Clause library", "CL")


def test_word_2016_parts_describe_each_comment(vietnam):
    data = vietnam[0].read_bytes()
    para_ids = [c.find(f"{W}p").get(f"{W14}paraId") for c in _xml(data, "word/comments.xml").iter(f"{W}comment")]
    assert len(set(para_ids)) == len(para_ids) and all(re.fullmatch(r"[0-7][0-9A-F]{7}", p) for p in para_ids)
    extended = [(e.get(f"{W15}paraId"), e.get(f"{W15}done")) for e in _xml(data, "word/commentsExtended.xml")]
    assert extended == [(p, "0") for p in para_ids]
    ids = [(e.get(f"{W16CID}paraId"), e.get(f"{W16CID}durableId")) for e in _xml(data, "word/commentsIds.xml")]
    assert [p for p, _ in ids] == para_ids and len({d for _, d in ids}) == len(ids)
    assert [p.get(f"{W15}author") for p in _xml(data, "word/people.xml")] == ["Clause library"]
    rels = zipfile.ZipFile(io.BytesIO(data)).read("word/_rels/document.xml.rels").decode()
    for target in ("comments.xml", "commentsExtended.xml", "commentsIds.xml", "people.xml"):
        assert f'Target="{target}"' in rels


def test_comment_author_and_date_are_configurable(tmp_path, monkeypatch):
    out = tmp_path / "a.docx"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    result = CliRunner().invoke(cli, ["generate", str(VIETNAM), "-o", str(out), "--comment-author", "Jane Smith", "--comment-initials", "JAS"])
    assert result.exit_code == 0, result.output
    comments = list(_xml(out.read_bytes(), "word/comments.xml").iter(f"{W}comment"))
    assert {(c.get(f"{W}author"), c.get(f"{W}initials"), c.get(f"{W}date")) for c in comments} == {("Jane Smith", "JAS", "2026-01-01T00:00:00Z")}
    assert [p.get(f"{W15}author") for p in _xml(out.read_bytes(), "word/people.xml")] == ["Jane Smith"]
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    derived = CliRunner().invoke(cli, ["generate", str(VIETNAM), "-o", str(out), "--force", "--comment-author", "Knowledge Management Team"])
    assert derived.exit_code == 0
    assert {c.get(f"{W}initials") for c in _xml(out.read_bytes(), "word/comments.xml").iter(f"{W}comment")} == {"KMT"}


@pytest.mark.parametrize("value", ["", "   ", "two\nlines", "bell\x07"])
def test_a_bad_comment_author_is_refused_by_name(tmp_path, value):
    result = CliRunner().invoke(cli, ["generate", str(VIETNAM), "-o", str(tmp_path / "a.docx"), "--comment-author", value])
    assert result.exit_code == 2 and "--comment-author" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "a.docx").exists()


def _expected(vietnam):
    """Every non-empty paragraph's text (whitespace collapsed) and every comment's text."""
    info = reader.read(vietnam[0].read_bytes())
    texts = [" ".join(p.text.split()) for p in info.paragraphs if p.text.strip()]
    return texts, [" ".join(c.split()) for c in info.comments.values()]


def _html_text(markup: str) -> str:
    """The text of HTML: block ends as spaces, inline tags as nothing."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"</(?:p|h\d|li|td|th|tr|div|ol|ul)>|<br ?/?>", " ", markup)))


def _missing(wanted: list[str], found: str) -> list[str]:
    found = " ".join(found.split())
    return [text for text in wanted if text not in found]


def test_docx2python_reads_every_paragraph_and_comment(vietnam):
    from docx2python import docx2python

    texts, comments = _expected(vietnam)
    with docx2python(vietnam[0]) as document:
        found = document.text
        read_comments = document.comments
    assert _missing([t.split("\t")[-1] for t in texts], found.replace("\t", " ")) == []
    assert [" ".join(c[3].split()) for c in read_comments] == comments
    assert {c[1] for c in read_comments} == {"Clause library"} and {c[2] for c in read_comments} == {"2026-12-01T00:00:00Z"}


def test_mammoth_reads_every_paragraph_and_comment(vietnam):
    import mammoth

    texts, comments = _expected(vietnam)
    with vietnam[0].open("rb") as f:
        result = mammoth.convert_to_html(f, style_map="comment-reference => sup")
    found = _html_text(result.value)
    assert _missing([t.split("\t")[-1] for t in texts], found.replace("\t", " ")) == []
    assert _missing(comments, found) == []
    assert re.findall(r"Comment \[([A-Z]+)\d+\]", result.value) == ["CL"] * len(comments)  # labelled with the author's initials
    assert not [m for m in result.messages if m.type == "error"]


def test_pandoc_reads_every_paragraph_and_comment(vietnam):
    """pandoc comes with the test extras (pypandoc-binary); skipped where neither it nor a
    pandoc on the PATH is installed."""
    pypandoc = pytest.importorskip("pypandoc")
    try:
        pypandoc.get_pandoc_version()
    except OSError:
        if shutil.which("pandoc") is None:
            pytest.skip("pandoc is not installed")
    texts, comments = _expected(vietnam)
    out = pypandoc.convert_file(str(vietnam[0]), "html", extra_args=["--track-changes=all"])
    found = _html_text(out)
    assert _missing([t.split("\t")[-1] for t in texts], found.replace("\t", " ")) == []
    assert _missing(comments, found) == []
    spans = re.findall(r'<span\s+class="comment-start"[^>]*>', out)
    starts = [(re.search(r'data-author="([^"]*)"', s).group(1), re.search(r'data-date="([^"]*)"', s).group(1)) for s in spans]
    assert starts == [("Clause library", "2026-12-01T00:00:00Z")] * len(comments)
