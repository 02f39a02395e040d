"""``clausewright review``: returned drafts made through LibreOffice with record-changes on and
programmatically (untracked edits, moved and inserted clauses, bookmarks and provenance stripped,
a draft retyped into another template), each checked for its alignment, its classification and
its redline (accepting every revision in LibreOffice gives their text, rejecting every one ours;
the package validates)."""

from __future__ import annotations

import copy
import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES, need_soffice
from lxml import etree
from test_word_package import audit

from clausewright import pipeline
from clausewright.cli.main import cli
from clausewright.ooxml.pdf import uno_python, without_comments
from clausewright.ooxml.reader import _paragraph_texts as paragraph_texts
from clausewright.ooxml.returned import read
from clausewright.qa import returned
from clausewright.qa.returned.classify import Deals

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
DEAL = SAMPLES / "vietnam-supplier.yaml"
LO_SCRIPT = ROOT / "tests" / "lo_revisions.py"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@pytest.fixture(scope="module")
def sources():
    return pipeline.load_sources()


@pytest.fixture(scope="module")
def deals(sources):
    answers = pipeline.read_answers(DEAL)
    return Deals(sources.library, sources.jurisdictions, answers, pipeline.validate_deal(answers, sources))


@pytest.fixture(scope="module")
def ours(sources, deals) -> bytes:
    return pipeline.build_docx(pipeline.assemble(deals.deal, sources, strict=False), deals.deal, sources)


# --- making returned drafts ----------------------------------------------------------------------


def edited(data: bytes, change, *, keep_properties: bool = True) -> bytes:
    """``data`` with ``change(root)`` applied to its document.xml (untracked, as a supplier's
    lawyer who turned tracking off would leave it)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    root = etree.fromstring(parts["word/document.xml"])
    change(root)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if not keep_properties:
        parts.pop("docProps/custom.xml", None)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in parts.items():
            z.writestr(name, blob)
    return out.getvalue()


def paragraph(root, starts: str):
    return next(p for p in root.iter(w("p")) if "".join(t.text or "" for t in p.iter(w("t"))).startswith(starts))


def retext(p, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` inside one text element of ``p``."""
    t = next(t for t in p.iter(w("t")) if old in (t.text or ""))
    t.text = t.text.replace(old, new)


def heading_paragraphs(root, title: str) -> list:
    """A clause's paragraphs: its heading and everything up to the next heading."""
    body = root.find("w:body", NS)
    out, inside = [], False
    for p in body.findall("w:p", NS):
        style = p.find("w:pPr/w:pStyle", NS)
        is_heading = style is not None and style.get(w("val")) == "Heading1"
        text = "".join(t.text or "" for t in p.iter(w("t")))
        if is_heading:
            inside = text == title
        if inside:
            out.append(p)
    return out


def new_paragraph(style: str, text: str):
    p = etree.Element(w("p"))
    etree.SubElement(etree.SubElement(p, w("pPr")), w("pStyle")).set(w("val"), style)
    etree.SubElement(etree.SubElement(p, w("r")), w("t")).text = text
    return p


def strip_bookmarks(root) -> None:
    for tag in ("bookmarkStart", "bookmarkEnd"):
        for b in list(root.iter(w(tag))):
            b.getparent().remove(b)


# --- LibreOffice --------------------------------------------------------------------------------


def libreoffice(action: str, data: bytes, tmp: Path, edits: list | None = None) -> bytes:
    """``data`` after LibreOffice accepted or rejected every tracked change, or made ``edits``
    with record-changes on (comments are taken out first: LibreOffice without its graphical
    parts cannot open a document that has them when it is driven as a server)."""
    need_soffice()
    python = uno_python()
    if python is None:
        pytest.skip("no Python with LibreOffice's uno module")
    source, target = tmp / f"in-{action}.docx", tmp / f"out-{action}.docx"
    source.write_bytes(without_comments(data))
    args = [python, str(LO_SCRIPT), action, str(source), str(target)]
    if edits is not None:
        (tmp / "edits.json").write_text(json.dumps(edits), encoding="utf-8")
        args.append(str(tmp / "edits.json"))
    run = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0 and target.is_file(), run.stderr
    return target.read_bytes()


def texts(data: bytes) -> list[str]:
    return [b.text for b in read(data).blocks if b.text.strip()]


def flat(data: bytes) -> list[str]:
    """The document's non-empty paragraphs in order (contents entries left out), each
    cross-reference shown as a mark rather than the number it shows: LibreOffice updates those
    numbers in some documents and not in others."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    out = []
    for p in root.iter(w("p")):
        style = p.find("w:pPr/w:pStyle", NS)
        if style is not None and re.match(r"(TOC|Contents)", style.get(w("val"))):
            continue
        _, text = paragraph_texts(p)
        text = re.sub(r"⟨[^⟩]*⟩", "⟨ref⟩", text).strip()
        if text:
            out.append(text)
    return out


def assert_accept_gives_theirs_and_reject_gives_ours(redline: bytes, theirs: bytes, ours: bytes, tmp: Path) -> None:
    """Every revision accepted reads as their draft, every one rejected as ours (each side through LibreOffice)."""
    accepted, rejected = libreoffice("accept", redline, tmp), libreoffice("reject", redline, tmp)
    assert flat(accepted) == flat(libreoffice("accept", theirs, tmp))
    assert flat(rejected) == flat(libreoffice("accept", ours, tmp))


def revisions(redline: bytes) -> list[tuple[str, str]]:
    """(kind, author) of every revision in the redline's document."""
    with zipfile.ZipFile(io.BytesIO(redline)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return [(etree.QName(e).localname, e.get(w("author"))) for e in root.iter(w("ins"), w("del"), w("moveFrom"), w("moveTo"))]


def by_clause(result) -> dict:
    return {i.clause: i for i in result.issues}


# --- the scenarios ---------------------------------------------------------------------------------


def test_tracked_edits_made_in_libreoffice_keep_their_author(ours, sources, deals, tmp_path):
    theirs = libreoffice("edit", ours, tmp_path, [
        {"author": "Supplier Counsel"},
        {"replace": "keep all Confidential Information secret;", "with": "keep all Confidential Information reasonably secret;"},
        {"delete_paragraph": "prices, costs, volumes, Forecasts and Orders;"},
    ])
    result = returned.review(ours, theirs, sources.library, deals=deals)
    assert result.authors == ["Supplier Counsel"]
    assert {m.method for m in result.matches if m.ours and m.theirs} == {"clause id"}
    issue = by_clause(result)["confidentiality"]
    assert issue.status == "changed" and "reasonably" in issue.summary and "prices, costs, volumes" in issue.summary
    assert "trade-secret protection" in issue.floors and issue.response == "reject"
    assert [i.clause for i in result.issues] == ["confidentiality"]
    assert {author for _, author in revisions(result.redline)} == {"Supplier Counsel"}
    assert_accept_gives_theirs_and_reject_gives_ours(result.redline, theirs, ours, tmp_path)


def test_untracked_cap_seat_and_definition_changes_are_attributed_to_the_counterparty(ours, sources, deals, tmp_path):
    def change(root):
        retext(paragraph(root, "Cap."), "150 per cent", "100 per cent")
        seat = next(p for p in heading_paragraphs(root, "Dispute resolution") if "Singapore" in "".join(t.text or "" for t in p.iter(w("t"))))
        retext(seat, "Singapore", "Ho Chi Minh City")
        definition = next(p for p in root.iter(w("p")) if "".join(t.text or "" for t in p.iter(w("t"))).startswith("“Confidential Information” means"))
        t = list(definition.iter(w("t")))[-1]
        t.text = t.text.rstrip(".") + ", but only if marked as confidential."

    theirs = edited(ours, change)
    result = returned.review(ours, theirs, sources.library, deals=deals, counterparty="Sao Mai Legal")
    issues = by_clause(result)
    assert set(issues) == {"liability", "dispute-resolution", "definitions"}
    assert "caps and liability carve-outs" in issues["liability"].floors and "{+100+}" in issues["liability"].summary
    assert "seat and institution" in issues["dispute-resolution"].floors
    assert all(issues[c].response == "reject" for c in ("liability", "dispute-resolution"))
    (term,) = issues["definitions"].terms
    assert term.startswith("“Confidential Information”: definition changed; used in ") and "9 (Confidentiality)" in term
    assert {author for _, author in revisions(result.redline)} == {"Sao Mai Legal"}
    assert_accept_gives_theirs_and_reject_gives_ours(result.redline, theirs, ours, tmp_path)
    report = tmp_path / "redline.docx"
    report.write_bytes(result.redline)
    assert audit(report)["error_count"] == 0


def test_a_change_to_another_position_is_classified_by_the_library(ours, sources, deals, tmp_path):
    supplier_text = deals.position_text("audit", "supplier", "audit")
    buyer_text = deals.position_text("audit", "buyer", "audit")
    assert supplier_text and buyer_text and supplier_text != buyer_text
    # their audit clause is the library's supplier-position audit clause
    drafted = pipeline.build_docx(*_at_position(sources, deals, "audit", "supplier"))
    with zipfile.ZipFile(io.BytesIO(drafted)) as z:
        their_root = etree.fromstring(z.read("word/document.xml"))
    their_audit = heading_paragraphs(their_root, "Records and audit")

    def change(root):
        mine = heading_paragraphs(root, "Records and audit")
        mine[-1].addnext(etree.Element(w("p")))
        anchor = mine[-1].getnext()
        for p in mine:
            p.getparent().remove(p)
        for p in their_audit:
            anchor.addprevious(copy.deepcopy(p))
        anchor.getparent().remove(anchor)

    theirs = edited(ours, change)
    result = returned.review(ours, theirs, sources.library, deals=deals)
    issue = by_clause(result)["audit"]
    assert issue.classification.startswith("matches the library's supplier position on audit")
    assert issue.response == "accept with the balanced text" and issue.note


def _at_position(sources, deals, topic, position):
    from clausewright.qa.preview import with_position

    deal = pipeline.validate_deal(with_position(deals.answers, topic, position), sources)
    return pipeline.assemble(deal, sources, strict=False), deal, sources


def test_a_moved_clause_an_inserted_clause_and_a_deleted_sub_clause(ours, sources, deals, tmp_path):
    def change(root):
        insurance = heading_paragraphs(root, "Insurance")
        after = heading_paragraphs(root, "Governing law")[-1]
        for p in reversed(insurance):
            after.addnext(p)  # Insurance now follows Governing law
        compliance = heading_paragraphs(root, "Compliance")[-1]
        compliance.addnext(new_paragraph("Clause2", "The Buyer shall pay for every audit the Supplier is asked to host."))
        compliance.addnext(new_paragraph("Heading1", "Audit costs"))
        gone = paragraph(root, "prices, costs, volumes, Forecasts and Orders;")
        gone.getparent().remove(gone)

    theirs = edited(ours, change)
    result = returned.review(ours, theirs, sources.library, deals=deals)
    moved = [m.clause for m in result.matches if m.moved]
    assert moved == ["insurance"]
    inserted = [m for m in result.matches if m.ours is None]
    assert [m.title for m in inserted] == ["Audit costs"] and by_clause(result)[inserted[0].clause].response == "reject"
    assert by_clause(result)["confidentiality"].status == "changed"
    kinds = {kind for kind, _ in revisions(result.redline)}
    assert {"moveFrom", "moveTo", "ins", "del"} <= kinds
    assert_accept_gives_theirs_and_reject_gives_ours(result.redline, theirs, ours, tmp_path)
    report = tmp_path / "redline.docx"
    report.write_bytes(result.redline)
    assert audit(report)["error_count"] == 0


def test_a_renumbered_draft_without_our_bookmarks_or_provenance(ours, sources, deals, tmp_path):
    def change(root):
        strip_bookmarks(root)
        heading_paragraphs(root, "Appointment and scope")[0].addprevious(new_paragraph("Heading1", "Interpretation of orders"))
        heading_paragraphs(root, "Appointment and scope")[0].addprevious(new_paragraph("Clause2", "Orders are read with the Specifications."))

    theirs = edited(ours, change, keep_properties=False)
    result = returned.review(ours, theirs, sources.library, deals=deals)
    methods = {m.clause: m.method for m in result.matches}
    assert methods["confidentiality"] == "heading" and methods["audit"] == "heading"
    assert [m.title for m in result.unmatched()] == ["Interpretation of orders"]
    confidentiality = by_clause(result)["confidentiality"]
    assert (confidentiality.number, confidentiality.their_number) == ("9", "10")
    # their references still say clause 10 (information security), which in their numbering is now Confidentiality
    assert any("clause 10 now points at Confidentiality" in r for r in confidentiality.references)
    assert_accept_gives_theirs_and_reject_gives_ours(result.redline, theirs, ours, tmp_path)


def test_a_draft_retyped_into_another_template(ours, sources, deals, tmp_path):
    from docx import Document

    doc = Document()
    ours_read = read(ours)
    segments = returned.align.our_segments(ours_read)
    for s in segments:
        if s.clause == "confidentiality":
            continue  # they dropped it
        for n, b in enumerate(s.blocks):
            text = b.text.replace("Singapore", "Hanoi") if s.clause == "dispute-resolution" else b.text
            if n == 0:
                doc.add_heading(f"{b.label} {text}" if b.label else text, level=1)
            elif b.label:
                doc.add_paragraph(f"{b.label} {text}")
            else:
                doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    theirs = out.getvalue()
    result = returned.review(ours, theirs, sources.library, deals=deals)
    methods = {m.clause: m.method for m in result.matches}
    assert methods["audit"] == "heading" and methods["confidentiality"] == ""
    issues = by_clause(result)
    assert issues["confidentiality"].status == "deleted" and issues["confidentiality"].response == "reject"
    assert issues["dispute-resolution"].status == "changed" and "Hanoi" in issues["dispute-resolution"].summary
    assert {i.clause for i in result.issues} == {"confidentiality", "dispute-resolution"}
    # their draft has no cover, contents or execution page and types its numbers, so the redline
    # (our draft, revised clause by clause) is compared with it clause by clause, through LibreOffice
    accepted, rejected = (flat(libreoffice(action, result.redline, tmp_path)) for action in ("accept", "reject"))
    assert rejected == flat(libreoffice("accept", ours, tmp_path))
    theirs_text = "\n".join(flat(theirs))
    changed = [p for p in accepted if p not in rejected]
    assert changed and all(p in theirs_text for p in changed)
    assert any("Hanoi" in p for p in changed)
    assert not any("keep all Confidential Information secret" in p for p in accepted)
    assert any("keep all Confidential Information secret" in p for p in rejected)


def test_the_command_writes_the_redline_and_a_filter_ready_issues_list(ours, tmp_path):
    import openpyxl

    def change(root):
        retext(paragraph(root, "Cap."), "150 per cent", "100 per cent")
        general = heading_paragraphs(root, "General")[-1]
        general.addnext(new_paragraph("Clause2", "These terms prevail."))
        general.addnext(new_paragraph("Heading1", "=1+1 Supplier terms"))

    (tmp_path / "returned.docx").write_bytes(edited(ours, change))
    run = CliRunner().invoke(cli, ["review", str(tmp_path / "returned.docx"), "--against", str(DEAL), "-o", str(tmp_path / "redline.docx"),
                                   "--issues", str(tmp_path / "issues.xlsx"), "--counterparty", "Sao Mai Legal"])
    assert run.exit_code == 0, run.output
    assert "Matched: 33 by clause id" in run.output and "Limitation of liability [liability]: changed -> reject" in run.output
    book = openpyxl.load_workbook(tmp_path / "issues.xlsx")
    sheet = book.active
    assert sheet.freeze_panes == "A2"
    (table,) = sheet.tables.values()
    assert table.ref == "A1:L3"
    header = [c.value for c in sheet[1]]
    assert header[0] == "Clause" and header[-1] == "Decision" and "Suggested response" in header
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["Clause"] == "17" and row["Suggested response"] == "reject" and "100" in row["What changed"]
    assert re.search(r"Mutual cap", row["Position note"])
    formula = next(c for c in sheet["B"] if c.value == "=1+1 Supplier terms")  # stored as text, marked as text
    assert formula.data_type == "s" and formula.quotePrefix
    authors = {author for _, author in revisions((tmp_path / "redline.docx").read_bytes())}
    assert authors == {"Sao Mai Legal"}


def test_the_sample_returned_draft_reviews_as_the_readme_says(tmp_path):
    run = CliRunner().invoke(cli, ["review", str(SAMPLES / "returned" / "vietnam-supplier-returned.docx"), "--against", str(DEAL),
                                   "-o", str(tmp_path / "redline.docx"), "--issues", str(tmp_path / "issues.xlsx")])
    assert run.exit_code == 0, run.output
    assert "Tracked changes by: Supplier Counsel" in run.output


def test_the_issues_list_as_a_word_table(tmp_path):
    import docx

    run = CliRunner().invoke(cli, ["review", str(SAMPLES / "returned" / "vietnam-supplier-returned.docx"), "--against", str(DEAL),
                                   "-o", str(tmp_path / "redline.docx"), "--issues", str(tmp_path / "issues.docx")])
    assert run.exit_code == 0, run.output
    (table,) = docx.Document(str(tmp_path / "issues.docx")).tables
    header = [c.text for c in table.rows[0].cells]
    assert header == ["Clause", "What changed", "Classification", "Position note", "Suggested response", "Decision"]
    rows = [dict(zip(header, [c.text for c in r.cells], strict=True)) for r in table.rows[1:]]
    assert [r["Clause"] for r in rows] == ["9", "17", "23"]
    cap = rows[1]
    assert "100" in cap["What changed"] and cap["Suggested response"] == "reject" and "floor" in cap["Classification"]
    assert cap["Position note"] and cap["Decision"] == ""


def test_the_sample_returned_draft_is_the_current_sample_with_its_edits():
    """The bundled returned draft, its tracked changes rejected, reads as the Vietnam sample's
    agreement generated from the library as it is now. When the library changes that text, make
    the returned draft again: python scripts/make_returned_sample.py"""
    returned = read((SAMPLES / "returned" / "vietnam-supplier-returned.docx").read_bytes())
    ours = read(pipeline.generate(DEAL, None).docx)
    before = [" ".join(b.original.split()) for b in returned.blocks if b.original.strip()]
    current = {" ".join(b.text.split()) for b in ours.blocks if b.text.strip()}
    stale = [line for line in before if line not in current]
    assert not stale, "the sample returned draft is older than the library; run python scripts/make_returned_sample.py: " + repr(stale[:3])
    assert returned.authors() == ["Supplier Counsel"]
