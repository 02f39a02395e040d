"""The wizard on a real pseudo-terminal (questionary prompts), driven with pexpect: arrow keys
in lists, back, an edit at the review, Ctrl-C and --resume, keeping a section's defaults, quick
mode, a review that fits a 40-line terminal, amounts shown with their currency, and generate
--ask-missing."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import MINI, SAMPLES

from clausewright.cli.main import cli
from clausewright.inputs.deal import read_deal_file
from clausewright.interview.session import session_path

pexpect = pytest.importorskip("pexpect")
pytestmark = [
    pytest.mark.timeout(180),
    pytest.mark.skipif(sys.platform == "win32", reason="pexpect.spawn needs a POSIX pseudo-terminal"),
]

MINI_OPTS = ["--library", str(MINI / "library"), "--jurisdictions", str(MINI / "jurisdictions")]
DOWN, UP, ENTER, ESC, CLEAR_LINE, CTRL_C = "\x1b[B", "\x1b[A", "\r", "\x1b", "\x15", "\x03"
OFFER = "Keep the defaults for this section?"
STYLE = r"(?:\x1b\[[0-9;]*m)*"


def spawn(args, cwd: Path, *, options=tuple(MINI_OPTS), rows: int = 60, columns: int = 160):
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color")
    child = pexpect.spawn(
        sys.executable, ["-m", "clausewright", *args, *options], env=env, cwd=str(cwd), encoding="utf-8", timeout=60, dimensions=(rows, columns)
    )
    child.logfile_read = open(cwd / "terminal.log", "a", encoding="utf-8")
    return child


def prompt(label: str) -> str:
    """A pattern for a question while it waits for an answer (its instruction is still shown)."""
    return re.escape(f" {label} ") + STYLE + r" ?\((?:Use arrow keys|Enter keeps|Several lines|< goes back)"


def answer(child, label: str, keys: str) -> str:
    child.expect(prompt(label))
    before = child.before
    child.send(keys)
    return before


def finish(child) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def test_arrow_keys_back_and_an_edit_at_review_then_generate(tmp_path):
    child = spawn(["wizard", "-o", "t.docx"], tmp_path)
    answer(child, OFFER, ENTER)  # ask every question
    answer(child, "Date", "2026-12-01" + ENTER)
    answer(child, "Locale", ENTER)  # keeps en_GB
    answer(child, "Draft", ENTER)
    answer(child, "Buyer name", "Acme" + ENTER)
    answer(child, "Buyer country", ENTER)  # (leave blank) is preselected
    answer(child, "Buyer signatory", "Ann" + ENTER)
    answer(child, "Buyer signatory title", "<" + ENTER)  # back
    answer(child, "Buyer signatory", "Ann Lee" + ENTER)  # asked again, with "Ann" in grey
    answer(child, "Buyer signatory title", ENTER)
    answer(child, "Supplier name", "Sao Mai" + ENTER)
    answer(child, "Supplier address", "Line 1" + ENTER + "Line 2" + ESC + ENTER)
    answer(child, "Supplier country", DOWN + ENTER)  # Singapore, then down to Vietnam
    answer(child, "Supplier signatory", "Bob" + ENTER)
    answer(child, "Supplier signatory title", ENTER)
    answer(child, "Currency", ENTER)  # VND, from the Vietnamese profile, confirmed before the first amount
    answer(child, "Price (VND)", "abc" + ENTER)
    child.expect_exact("'abc' is not a number (write it like 1250000.00)")
    child.send(CLEAR_LINE + "100" + ENTER)
    for label in ("Years", "Tooling", "Method", "Position", "Override"):
        answer(child, label, ENTER)
    answer(child, "Products: what next?", ENTER)  # Add an entry
    answer(child, "Name", "Widget" + ENTER)
    answer(child, "Unit price (VND)", "4.50" + ENTER)
    answer(child, "Products: what next?", ENTER)  # Done
    child.expect_exact("Governing law: Singapore")  # filled in from the Vietnamese profile
    answer(child, "Keep these, or change one?", ENTER)
    answer(child, "What next?", DOWN + ENTER)  # open the section
    answer(child, "Which answer?", DOWN * 3 + ENTER)  # Date, Locale, Draft, Buyer name
    answer(child, "Buyer name", "Beta Ltd" + ENTER)
    answer(child, "Which answer?", UP + ENTER)  # the section again, with Back last
    answer(child, "What next?", ENTER)  # Generate the agreement
    child.expect_exact("Wrote t.docx")
    assert finish(child) == 0

    data = read_deal_file(tmp_path / "t.answers.yaml")
    assert data["buyer"]["name"] == "Beta Ltd"
    assert data["buyer"]["signatory"] == {"name": "Ann Lee"}
    assert data["supplier"]["country"] == "vietnam" and data["supplier"]["address"] == "Line 1\nLine 2"
    assert data["commercial"] == {"currency": "VND", "price": "100"}
    assert data["products"] == [{"name": "Widget", "price": "4.50"}]
    again = CliRunner().invoke(cli, ["generate", str(tmp_path / "t.answers.yaml"), "-o", str(tmp_path / "again.docx"), *MINI_OPTS])
    assert again.exit_code == 0, again.output
    assert (tmp_path / "again.docx").read_bytes() == (tmp_path / "t.docx").read_bytes()
    assert not session_path(tmp_path / "t.docx").exists()


def test_ctrl_c_cancels_without_a_document_and_resume_continues(tmp_path):
    child = spawn(["wizard", "-o", "t.docx"], tmp_path)
    answer(child, OFFER, ENTER)
    answer(child, "Date", "2026-12-01" + ENTER)
    answer(child, "Locale", ENTER)
    answer(child, "Draft", DOWN + ENTER)  # No
    answer(child, "Buyer name", "Half" + CTRL_C)  # typed but not confirmed: not kept
    child.expect_exact("Cancelled; no document was written.")
    assert finish(child) == 130
    assert not list(tmp_path.glob("*.docx")) and not list(tmp_path.glob("*.answers.yaml"))
    saved = session_path(tmp_path / "t.docx")
    assert saved.exists()

    child = spawn(["wizard", "-o", "t.docx", "--resume"], tmp_path)
    skipped = answer(child, "Buyer name", "Acme" + ENTER)  # continues at the first unanswered question
    assert "Continuing the answers saved in" in skipped and " Date " not in skipped
    answer(child, "Buyer country", ENTER)
    answer_the_rest(child)
    assert finish(child) == 0
    data = read_deal_file(tmp_path / "t.answers.yaml")
    assert data["agreement"] == {"date": "2026-12-01", "locale": "en_GB", "draft": "no"}  # from before the Ctrl-C
    assert data["buyer"]["name"] == "Acme"
    assert (tmp_path / "t.docx").read_bytes()[:2] == b"PK" and not saved.exists()


def test_generate_ask_missing_on_a_terminal_asks_only_for_what_is_missing(tmp_path):
    raw = read_deal_file(MINI / "deal.yaml")
    del raw["buyer"]["name"]
    raw["commercial"]["price"] = "lots"
    deal = tmp_path / "d.yaml"
    deal.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    child = spawn(["generate", "d.yaml", "-o", "o.docx", "--ask-missing"], tmp_path)
    before = answer(child, "Buyer name", "Filled Ltd" + ENTER)
    assert "2 answers missing or invalid" in before
    before = answer(child, "Price (VND)", CLEAR_LINE + "100" + ENTER)
    assert "'lots' is not a number" in before
    child.expect_exact("Wrote o.docx")
    assert finish(child) == 0
    completed = read_deal_file(tmp_path / "o.answers.yaml")
    assert completed["buyer"]["name"] == "Filled Ltd" and completed["commercial"]["price"] == "100"
    log = (tmp_path / "terminal.log").read_text(encoding="utf-8")
    assert " Date " not in log and " Supplier name " not in log  # what the deal answers is not asked


def test_generate_on_a_terminal_without_ask_missing_asks_nothing(tmp_path):
    deal = tmp_path / "d.yaml"
    deal.write_text("buyer:\n  name: Acme\n", encoding="utf-8")
    child = spawn(["generate", "d.yaml", "-o", "o.docx"], tmp_path)
    child.expect_exact("problems in the deal; nothing was written")
    child.expect_exact("supplier.country: missing")
    assert finish(child) == 3  # invalid input
    assert not (tmp_path / "o.docx").exists()


def screen_lines(log: Path, start: str, end: str) -> int:
    """How many terminal lines the last screen from ``start`` to ``end`` takes, as written."""
    with log.open(encoding="utf-8", newline="") as f:  # a line ends in \r\r\n on the terminal: no newline translation
        text = f.read()
    shown = text[text.rindex(start) :]
    return shown[: shown.index(end) + len(end)].count("\n") + 1


def test_keep_the_defaults_of_a_section_and_amounts_with_their_currency(tmp_path):
    child = spawn(["wizard", "-o", "k.docx"], tmp_path)
    answer(child, OFFER, DOWN + ENTER)  # keep the defaults
    answer(child, "Date", "2026-12-01" + ENTER)
    answer(child, "Buyer name", "Acme" + ENTER)
    answer(child, "Buyer signatory", "Ann" + ENTER)
    answer(child, "Supplier name", "Sao Mai" + ENTER)
    answer(child, "Supplier address", "Lot 5" + ENTER + "Hanoi" + ESC + ENTER)
    answer(child, "Supplier country", DOWN + ENTER)  # Vietnam
    answer(child, "Supplier signatory", "Bob" + ENTER)
    before = answer(child, "Currency", ENTER)
    assert "confirm it before the first amount" in before
    answer(child, "Price (VND)", "1250000" + ENTER)
    answer(child, "Products: what next?", ENTER)
    answer(child, "Name", "Widget" + ENTER)  # its optional price is not asked
    answer(child, "Products: what next?", ENTER)
    answer(child, "What next?", DOWN + ENTER)  # open the section
    answer(child, "Which answer?", UP * 2 + ENTER)  # its second page (Back is last, then the next page)
    child.expect_exact("Price: VND 1,250,000")
    child.expect_exact("‹ Back")
    child.send(UP + ENTER)  # back to the sections
    answer(child, "What next?", ENTER)
    child.expect_exact("Wrote k.docx")
    assert finish(child) == 0
    log = (tmp_path / "terminal.log").read_text(encoding="utf-8")
    assert "Supplier address \x1b[0m (Several lines: Enter starts a new line, Esc then Enter finishes; < goes back)" in log
    for label in ("Locale", "Draft", "Years", "Method", "Position", "Unit price (VND)", "Keep these, or change one?"):
        assert not re.search(prompt(label), log), label
    data = read_deal_file(tmp_path / "k.answers.yaml")
    assert data["agreement"] == {"date": "2026-12-01", "locale": "en_GB", "draft": "yes"}
    assert data["supplier"]["address"] == "Lot 5\nHanoi" and data["products"] == [{"name": "Widget"}]


def test_quick_mode_on_the_bundled_library_writes_a_docx(tmp_path):
    child = spawn(["wizard", "--quick", "-o", "q.docx"], tmp_path, options=())
    child.expect_exact("Quick mode: only the questions without a default are asked")
    for label, keys in [
        ("Type of agreement", ""),  # asked first, in quick mode too: the supply agreement (the default)
        ("Date of the agreement", "2026-12-01"),
        ("Buyer's full legal name", "Acme Devices Ltd"),
        ("Buyer's place of incorporation", "England and Wales"),
        ("Buyer's registered office address", "1 Example Street" + ENTER + "London" + ESC),
        ("Name of the person signing for the buyer", "Jane Smith"),
        ("Buyer's notices: for the attention of", "General Counsel"),
        ("Buyer's notices: email address", "legal@acme.example"),
        ("Supplier's full legal name", "Saigon Precision Manufacturing Co., Ltd"),
        ("Supplier's country (jurisdiction profile)", DOWN * 11),  # Vietnam, the last profile
        ("Supplier's registered office address", "12 Nguyen Van Linh Street" + ESC),
        ("Name of the person signing for the supplier", "Nguyen Van An"),
        ("Supplier's notices: for the attention of", "General Director"),
        ("Supplier's notices: email address", "legal@saigonprecision.example"),
        ("Named place or port of delivery", "Cat Lai Port, Ho Chi Minh City, Vietnam"),
        ("Currency of the prices and payments", "USD"),  # instead of the VND of the supplier's profile
        ("Products: what next?", ""),  # add an entry
        ("Product name", "Smart thermostat housing"),
        ("Specification reference", "DWG-100 rev. C"),
        ("Unit price (USD)", "4.25"),
        ("Products: what next?", ""),  # done
        ("What next?", ""),  # generate
    ]:
        answer(child, label, keys + ENTER)
    child.expect_exact("Wrote q.docx")
    assert finish(child) == 0
    log = (tmp_path / "terminal.log").read_text(encoding="utf-8")
    for label in ("Buyer's legal form", "Payment term (days after invoice)", "Overall position", OFFER):
        assert not re.search(prompt(label), log), label
    data = read_deal_file(tmp_path / "q.answers.yaml")
    assert data["commercial"]["currency"] == "USD" and data["products"][0]["unit_price"] == "4.25"
    assert data["supplier"]["country"] == "vietnam" and data["positions"]["overall"] == "balanced"
    assert (tmp_path / "q.docx").read_bytes()[:2] == b"PK"


def test_the_review_fits_a_40_line_terminal(tmp_path):
    sample = SAMPLES / "vietnam-supplier.yaml"
    child = spawn(["wizard", "--answers", str(sample), "-o", "r.docx"], tmp_path, options=(), rows=40, columns=100)
    quit_label = "Quit (the answers are kept for --resume)"
    answer(child, "What next?", "")
    child.expect_exact(quit_label)
    log = tmp_path / "terminal.log"
    assert screen_lines(log, "== Review your answers ==", quit_label) <= 40
    child.send(DOWN * 3 + ENTER)  # Commercial terms, the sample's amounts in its currency
    child.expect_exact("Minimum value of each order: USD 15,000.00")
    child.expect_exact("‹ Back")
    assert screen_lines(log, "== Review: Commercial terms", "‹ Back") <= 40
    child.send(UP + ENTER)  # back to the sections
    answer(child, "What next?", DOWN * 2 + ENTER)  # Parties: 33 answers, in two pages
    child.expect_exact("‹ Back")
    assert screen_lines(log, "== Review: Parties (page 1 of 2) ==", "‹ Back") <= 40
    child.send(UP * 2 + ENTER)  # the next page
    child.expect_exact("== Review: Parties (page 2 of 2) ==")
    child.expect_exact("‹ Back")
    assert screen_lines(log, "== Review: Parties (page 2 of 2) ==", "‹ Back") <= 40
    child.send(UP + ENTER)
    answer(child, "What next?", UP + ENTER)  # Quit, the last choice
    child.expect_exact("Stopped before generating")
    assert finish(child) == 0


def answer_the_rest(child) -> None:
    """From the buyer's signatory to generating: the miniature library's remaining questions,
    the first product, the defaults kept, and "Generate" at the review."""
    answer(child, "Buyer signatory", "Ann" + ENTER)
    answer(child, "Buyer signatory title", ENTER)
    answer(child, "Supplier name", "Sao Mai" + ENTER)
    answer(child, "Supplier address", "Hanoi" + ESC + ENTER)
    answer(child, "Supplier country", DOWN + ENTER)
    answer(child, "Supplier signatory", "Bob" + ENTER)
    answer(child, "Supplier signatory title", ENTER)
    answer(child, "Currency", ENTER)
    answer(child, "Price (VND)", "100" + ENTER)
    for label in ("Years", "Tooling", "Method", "Position", "Override"):
        answer(child, label, ENTER)
    answer(child, "Products: what next?", ENTER)
    answer(child, "Name", "Widget" + ENTER)
    answer(child, "Unit price (VND)", ENTER)
    answer(child, "Products: what next?", ENTER)
    answer(child, "Keep these, or change one?", ENTER)
    answer(child, "What next?", ENTER)
