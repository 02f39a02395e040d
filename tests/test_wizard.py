"""The wizard driven end to end with scripted answers through click's test runner (the plain,
line-by-line prompts used when there is no terminal), and its answers engine on its own.

Every run has a timeout: a script that runs short must end the wizard (end of input cancels),
never leave it waiting.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import MINI, SAMPLES

from clausewright import pipeline, wizard
from clausewright.cli.main import cli
from clausewright.inputs.deal import read_deal_file
from clausewright.interview.answers import Answers
from clausewright.interview.session import session_path
from clausewright.wizard.asker import BACK, Cancelled

pytestmark = pytest.mark.timeout(120)

MINI_OPTS = ["--library", str(MINI / "library"), "--jurisdictions", str(MINI / "jurisdictions")]

# A fresh run on the miniature library, one line per prompt, in the order the schema asks.
FRESH = [
    "",  # Keep the defaults for this section? [Ask every question]
    "2026-12-01",  # Date
    "",  # Locale [en_GB]
    "",  # Draft [Yes]
    "Acme & Sons <UK> Ltd",  # Buyer name
    "",  # Buyer country [(leave blank)]
    "Ann O'Neil",  # Buyer signatory
    "",  # Buyer signatory title (optional)
    "Sao Mai Co",  # Supplier name
    "Lô 5, KCN Thăng Long",  # Supplier address, two lines and an empty line to end
    "Đông Anh, Hà Nội",
    "",
    "vietnam",  # Supplier country
    "Nguyễn Văn An",  # Supplier signatory
    "",  # Supplier signatory title (optional)
    "",  # Currency [VND]: confirmed before the first amount
    "abc",  # Price: invalid, explained and asked again
    "1250000",  # Price
    "",  # Years [5]
    "",  # Tooling [No]
    "",  # Method [Arbitration]
    "",  # Position [balanced]
    "",  # Override [(leave blank)]
    "add",  # Products: add an entry
    "Widget",  # Name
    "12.50",  # Unit price
    "done",  # Products: done
    "keep",  # keep the values filled in from the profiles (law, institution, seat)
    "generate",  # review: generate
]


def run(args, lines, **kwargs):
    return CliRunner().invoke(cli, ["wizard", *args, *MINI_OPTS], input="".join(f"{line}\n" for line in lines), **kwargs)


def answers_of(path: Path) -> dict:
    return read_deal_file(path)


def regenerate(answers: Path, out: Path) -> bytes:
    result = CliRunner().invoke(cli, ["generate", str(answers), "-o", str(out), *MINI_OPTS])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_fresh_run_writes_the_docx_and_an_answers_file_that_regenerates_it(tmp_path):
    out = tmp_path / "acme.docx"
    result = run(["-o", str(out)], FRESH)
    assert result.exit_code == 0, result.output
    assert "'abc' is not a number (write it like 1250000.00)" in result.output  # same message as for a deal file
    assert "Currency [VND]: " in result.output and "Price (VND): " in result.output  # the currency is confirmed before the amount
    assert out.read_bytes()[:2] == b"PK"
    answers = tmp_path / "acme.answers.yaml"
    data = answers_of(answers)
    assert data["buyer"]["name"] == "Acme & Sons <UK> Ltd"
    assert data["supplier"]["address"] == "Lô 5, KCN Thăng Long\nĐông Anh, Hà Nội"
    assert data["commercial"] == {"currency": "VND", "price": "1250000"}
    assert data["disputes"] == {"method": "arbitration", "institution": "SIAC", "seat": "singapore"}
    assert data["products"] == [{"name": "Widget", "price": "12.50"}]
    assert "positions" in data and "confidentiality_duration" not in data["positions"]
    assert regenerate(answers, tmp_path / "again.docx") == out.read_bytes()
    assert not session_path(out).exists()  # the session is over


def test_the_answers_file_is_a_deal_file_that_generate_accepts_as_is(tmp_path):
    out = tmp_path / "acme.docx"
    assert run(["-o", str(out)], FRESH).exit_code == 0
    text = (tmp_path / "acme.answers.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Answers for acme.docx")
    assert f"clausewright generate acme.answers.yaml -o acme.docx --library {MINI / 'library'}" in text
    deal = pipeline.validate_deal(read_deal_file(tmp_path / "acme.answers.yaml"), pipeline.load_sources(MINI / "library", MINI / "jurisdictions"))
    assert deal.get("commercial.price") == 1250000 and deal.get("agreement.draft") is True


def test_back_returns_to_the_previous_question_and_keeps_its_answer(tmp_path):
    out = tmp_path / "a.docx"
    lines = list(FRESH)
    at = lines.index("Ann O'Neil")
    # at "Buyer signatory title", go back, change the signatory, then go on
    lines[at + 1 : at + 2] = ["<", "Ann Lee", ""]
    # at "Supplier country", go back twice (address, then name), keep both
    at = lines.index("vietnam")
    lines[at:at] = ["<", "", "<", ""]
    result = run(["-o", str(out)], lines)
    assert result.exit_code == 0, result.output
    data = answers_of(tmp_path / "a.answers.yaml")
    assert data["buyer"]["signatory"] == {"name": "Ann Lee"}
    assert data["supplier"]["name"] == "Sao Mai Co"
    assert data["supplier"]["address"] == "Lô 5, KCN Thăng Long\nĐông Anh, Hà Nội"
    assert "[Ann O'Neil]" in result.output  # the earlier answer was offered again


def test_back_on_the_first_question_says_so(tmp_path):
    result = run(["-o", str(tmp_path / "a.docx")], ["<", *FRESH])
    assert result.exit_code == 0, result.output
    assert "This is the first question." in result.output


@pytest.mark.parametrize("stop", [1, 2, 9, 16, 17, 23, 27, 28])
def test_end_of_input_cancels_writes_nothing_and_resume_continues(tmp_path, stop):
    out = tmp_path / "a.docx"
    first = run(["-o", str(out)], FRESH[:stop])
    assert first.exit_code == 130
    assert "Cancelled; no document was written." in first.stderr
    assert not out.exists() and not (tmp_path / "a.answers.yaml").exists()
    assert not list(tmp_path.glob("*.docx")) and not list(tmp_path.glob(".*.tmp"))
    saved = session_path(out)
    assert saved.exists() and "--resume -o" in first.stderr
    second = run(["-o", str(out), "--resume"], FRESH[stop:])
    assert second.exit_code == 0, second.output
    assert "Continuing the answers saved in" in second.output
    assert regenerate(tmp_path / "a.answers.yaml", tmp_path / "b.docx") == out.read_bytes()
    assert not saved.exists()
    # the resumed run made exactly the document the uninterrupted run makes
    whole = tmp_path / "whole.docx"
    assert run(["-o", str(whole)], FRESH).exit_code == 0
    assert whole.read_bytes() == out.read_bytes()


def test_a_list_entry_typed_before_cancelling_is_kept(tmp_path):
    out = tmp_path / "a.docx"
    stop = FRESH.index("Widget") + 1
    assert run(["-o", str(out)], FRESH[:stop]).exit_code == 130
    # the menu now lists the entry: add, change 1, remove 1, done
    second = run(["-o", str(out), "--resume"], ["2", "", "12.50", "done", "keep", "generate"])
    assert second.exit_code == 0, second.output
    assert "1. Widget" in second.output
    assert answers_of(tmp_path / "a.answers.yaml")["products"] == [{"name": "Widget", "price": "12.50"}]


def test_resume_starts_at_the_next_question(tmp_path):
    out = tmp_path / "a.docx"
    run(["-o", str(out)], FRESH[:5])  # the offer, date, locale, draft, buyer name
    second = run(["-o", str(out), "--resume"], [])
    assert second.exit_code == 130
    assert "Buyer country" in second.output and "Date" not in second.output.split("Buyer country")[0]
    assert "Acme & Sons <UK> Ltd" in session_path(out).read_text(encoding="utf-8")


def test_resume_without_a_session_is_an_error(tmp_path):
    result = run(["-o", str(tmp_path / "a.docx"), "--resume"], [])
    assert result.exit_code == 1 and "no saved wizard session" in result.stderr


def test_a_saved_session_is_offered_when_starting_again(tmp_path):
    out = tmp_path / "a.docx"
    run(["-o", str(out)], FRESH[:5])
    again = run(["-o", str(out)], ["resume", *FRESH[5:]])
    assert again.exit_code == 0, again.output
    assert "unfinished answers from an earlier session" in again.output
    assert answers_of(tmp_path / "a.answers.yaml")["buyer"]["name"] == "Acme & Sons <UK> Ltd"
    run(["-o", str(tmp_path / "b.docx")], FRESH[:5])
    fresh = run(["-o", str(tmp_path / "b.docx")], ["new", *FRESH[:4], "Other Ltd", *FRESH[5:]])
    assert fresh.exit_code == 0, fresh.output
    assert answers_of(tmp_path / "b.answers.yaml")["buyer"]["name"] == "Other Ltd"


def test_quit_at_the_review_keeps_the_answers_for_later(tmp_path):
    out = tmp_path / "a.docx"
    result = run(["-o", str(out)], [*FRESH[:-1], "quit"])
    assert result.exit_code == 0 and "Stopped before generating" in result.output
    assert not out.exists() and session_path(out).exists()
    resumed = run(["-o", str(out), "--resume"], ["generate"])
    assert resumed.exit_code == 0, resumed.output
    assert out.exists()


def test_review_edit_re_evaluates_conditions_and_defaults(tmp_path):
    out = tmp_path / "a.docx"
    lines = [
        "main", "next page", "previous page",  # open the section, see its second page, back to the first
        "supplier.country", "singapore",  # defaults that follow the supplier's country change
        "next page", "disputes.method", "courts",  # the arbitration questions no longer apply
        "<", "generate",  # back to the sections, generate
    ]
    result = run(["-o", str(out), "--answers", str(MINI / "deal.yaml")], lines)
    assert result.exit_code == 0, result.output
    views = result.output.split("== Review: Main")[1:]
    assert [view.split("==")[0] for view in views] == [" (page 1 of 2) ", " (page 2 of 2) ", " (page 1 of 2) ", " (page 1 of 2) ", " (page 2 of 2) ", " (page 2 of 2) "]
    assert "Currency: VND (default)" in views[1] and "Currency: SGD (default)" in views[4]
    assert "Institution:" in views[4] and "Institution:" not in views[5]
    data = answers_of(tmp_path / "a.answers.yaml")
    assert data["commercial"]["currency"] == "SGD"
    assert data["disputes"] == {"method": "courts"}


def test_review_edit_lists_the_values_that_followed_it(tmp_path):
    lines = ["main", "supplier.country", "singapore", "<", "quit"]
    result = run(["-o", str(tmp_path / "a.docx"), "--answers", str(MINI / "deal.yaml")], lines)
    assert result.exit_code == 0, result.output
    assert "Followed your change: Currency: VND → SGD" in result.output
    assert "Followed your change: Supplier country" not in result.output  # the answer changed is not repeated


def test_a_default_the_lawyer_changed_is_not_recomputed(tmp_path):
    out = tmp_path / "a.docx"
    lines = list(FRESH)
    at = lines.index("abc")
    lines[at - 1] = "usd"  # change the currency where it is confirmed, before the price
    lines[-1:] = ["main", "supplier.country", "singapore", "<", "generate"]
    result = run(["-o", str(out)], lines)
    assert result.exit_code == 0, result.output
    data = answers_of(tmp_path / "a.answers.yaml")
    assert data["commercial"]["currency"] == "USD"
    assert data["supplier"]["country"] == "singapore"


def test_answers_file_prefills_and_only_missing_or_invalid_answers_are_asked(tmp_path):
    deal = tmp_path / "row.yaml"
    raw = read_deal_file(MINI / "deal.yaml")
    del raw["buyer"]["name"]
    raw["confidentiality"] = {"years": "99"}
    raw["suplier"] = {"name": "typo"}
    deal.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "a.docx"
    result = run(["-o", str(out), "--answers", str(deal)], ["Prefilled Ltd", "7", "generate"])
    assert result.exit_code == 0, result.output
    assert "2 still to give or correct" in result.output
    assert "99 is above the maximum of 20" in result.output
    assert "Ignored suplier.name: unknown field; did you mean supplier.name?" in result.output
    assert "Supplier name:" not in result.output.split("Review your answers")[0]  # answered in the file: not asked
    data = answers_of(tmp_path / "a.answers.yaml")
    assert data["buyer"]["name"] == "Prefilled Ltd" and data["confidentiality"]["years"] == "7"


def test_reopening_a_deal_file_unchanged_gives_the_same_document_as_generate(tmp_path, mini_sources):
    out = tmp_path / "a.docx"
    result = run(["-o", str(out), "--answers", str(MINI / "deal.yaml")], ["generate"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == pipeline.generate(MINI / "deal.yaml", None, sources=mini_sources, page_numbers=True).docx
    # every awkward value survived the answers file: regenerating from it gives the same bytes
    assert regenerate(tmp_path / "a.answers.yaml", tmp_path / "b.docx") == out.read_bytes()


def test_existing_output_is_refused_before_any_question(tmp_path):
    out = tmp_path / "a.docx"
    out.write_bytes(b"keep me")
    result = run(["-o", str(out)], FRESH)
    assert result.exit_code == 1 and "already exists; use --force" in result.stderr
    assert "Date" not in result.output and out.read_bytes() == b"keep me"
    forced = run(["-o", str(out), "--force"], FRESH)
    assert forced.exit_code == 0 and out.read_bytes()[:2] == b"PK"


def test_without_o_the_file_name_is_asked_at_the_end(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    script = [*FRESH, "nope.txt", ""]  # a name without .docx is refused; Enter takes the suggestion
    result = run([], script)
    assert result.exit_code == 0, result.output
    assert "the name must end in .docx" in result.output
    assert (tmp_path / "sao-mai-co-agreement.docx").exists() and (tmp_path / "sao-mai-co-agreement.answers.yaml").exists()
    assert not (tmp_path / ".clausewright-session.yaml").exists()


def test_list_entries_can_be_changed_and_removed(tmp_path):
    out = tmp_path / "a.docx"
    lines = list(FRESH)
    at = lines.index("done")
    lines[at:at] = [
        "add", "Gadget", "",  # a second entry without a price
        "add", "<",  # start a third, go back from its first field: nothing added
        "2", "Gizmo", "3",  # change entry 1 (menu: add, change 1, change 2, remove 1, remove 2, done)
        "5",  # remove entry 2
    ]
    result = run(["-o", str(out)], lines)
    assert result.exit_code == 0, result.output
    assert answers_of(tmp_path / "a.answers.yaml")["products"] == [{"name": "Gizmo", "price": "3"}]


def test_an_empty_required_list_cannot_be_finished(tmp_path):
    out = tmp_path / "a.docx"
    lines = list(FRESH)
    at = lines.index("add")
    lines[at:at] = ["done"]
    result = run(["-o", str(out)], lines)
    assert result.exit_code == 0, result.output
    assert "! products: missing; expected a list of records" in result.output


# --- without a terminal, generate never asks -------------------------------------------------


def _incomplete_deal(tmp_path) -> Path:
    deal = tmp_path / "incomplete.yaml"
    deal.write_text("agreement:\n  date: 2026-02-30\nbuyer:\n  name: Acme\n", encoding="utf-8")
    return deal


@pytest.mark.parametrize("ask", [[], ["--ask-missing"]])
def test_generate_without_a_terminal_lists_every_problem_and_never_waits(tmp_path, ask):
    deal, out = _incomplete_deal(tmp_path), tmp_path / "o.docx"
    stdout, stderr = tmp_path / "stdout", tmp_path / "stderr"
    with open(stdout, "wb") as so, open(stderr, "wb") as se:
        # stdin is a pipe that stays open: anything that prompted would wait forever
        proc = subprocess.Popen(
            [sys.executable, "-m", "clausewright", "generate", str(deal), "-o", str(out), *ask, *MINI_OPTS],
            stdin=subprocess.PIPE, stdout=so, stderr=se,
        )
        try:
            code = proc.wait(timeout=60)
        finally:
            proc.kill()
            proc.stdin.close()
    errors = stderr.read_text(encoding="utf-8")
    assert code == 3, errors  # invalid input
    assert "problems in the deal; nothing was written" in errors
    for field in ("agreement.date: '2026-02-30' is not a real date", "buyer.signatory.name: missing", "supplier.name: missing",
                  "supplier.country: missing", "commercial.price: missing", "products: missing"):
        assert field in errors, field
    assert not out.exists() and not (tmp_path / "o.answers.yaml").exists()


def test_generate_ask_missing_with_a_complete_deal_asks_nothing(tmp_path):
    out = tmp_path / "o.docx"
    result = CliRunner().invoke(cli, ["generate", str(MINI / "deal.yaml"), "-o", str(out), "--ask-missing", *MINI_OPTS])
    assert result.exit_code == 0, result.output
    assert out.exists() and not (tmp_path / "o.answers.yaml").exists()


# --- the engine, with a scripted asker -------------------------------------------------------


class ScriptedAsker:
    """Answers from a list; running out is a test failure, never a wait."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.asked: list[str] = []
        self.said: list[str] = []

    def _next(self, message):
        self.asked.append(message)
        if not self.answers:
            raise Cancelled()
        return self.answers.pop(0)

    def say(self, text, kind="plain"):
        self.said.append(text)

    def text(self, message, *, current, check, multiline=False, back=True, hint="", blank_ok=False):
        while True:
            typed = self._next(message)
            if typed is BACK or check(typed) is None:
                return typed
            self.said.append(check(typed))

    def select(self, message, choices, *, default=None, back=True):
        typed = self._next(message)
        return default if typed == "" else typed

    def checkbox(self, message, choices, *, default=(), back=True):
        return self._next(message)


def test_ask_missing_asks_only_what_the_deal_lacks(tmp_path, mini_sources):
    deal = tmp_path / "d.yaml"
    raw = read_deal_file(MINI / "deal.yaml")
    del raw["buyer"]["name"]
    raw["commercial"]["price"] = "lots"
    deal.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    asker = ScriptedAsker(["Filled Ltd", "-5", "100"])
    out = tmp_path / "o.docx"
    path, overrides = wizard.ask_missing(deal, ["confidentiality.years=7"], out, mini_sources, asker=asker)
    assert asker.asked == ["Buyer name", "Price (VND)", "Price (VND)"]
    assert "'lots' is not a number (write it like 1250000.00)" in " ".join(asker.said)  # why it is asked
    assert "'-5' is negative; an amount in VND is expected" in asker.said
    assert path == tmp_path / "o.answers.yaml" and overrides == ()
    completed = pipeline.validate_deal(read_deal_file(path), mini_sources)
    assert completed.get("buyer.name") == "Filled Ltd" and completed.get("commercial.price") == 100
    assert completed.get("confidentiality.years") == 7  # the --set override is kept


def test_ask_missing_cancelled_writes_nothing(tmp_path, mini_sources):
    deal = tmp_path / "d.yaml"
    raw = read_deal_file(MINI / "deal.yaml")
    del raw["buyer"]["name"]
    deal.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(Cancelled):
        wizard.ask_missing(deal, [], tmp_path / "o.docx", mini_sources, asker=ScriptedAsker([]))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.yaml"]


def test_answers_follow_defaults_until_overridden(mini_sources, mini_deal_raw):
    answers, unknown = Answers.from_file_data(mini_deal_raw, mini_sources.schema, mini_sources.jurisdictions)
    assert unknown == [] and answers.complete()
    assert answers.derived("commercial.currency") and answers.value("commercial.currency") == "VND"
    answers.set("supplier.country", "singapore")
    assert answers.value("commercial.currency") == "SGD"
    answers.set("commercial.currency", "usd")
    assert not answers.derived("commercial.currency") and answers.given["commercial.currency"] == "usd"
    answers.set("supplier.country", "vietnam")
    assert answers.value("commercial.currency") == "USD"
    answers.set("commercial.currency", "VND")  # the same as the default again: follows it from now on
    assert "commercial.currency" not in answers.given
    answers.set("supplier.country", "singapore")
    assert answers.value("commercial.currency") == "SGD"


def test_prefilled_values_equal_to_their_defaults_follow_the_defaults(mini_sources, mini_deal_raw):
    raw = dict(mini_deal_raw, commercial=dict(mini_deal_raw["commercial"], currency="VND"), confidentiality={"years": "5"})
    answers, _ = Answers.from_file_data(raw, mini_sources.schema, mini_sources.jurisdictions)
    assert "commercial.currency" not in answers.given and "confidentiality.years" not in answers.given
    assert answers.given["buyer.name"] == "Smith & Jones <UK> Ltd"


def test_conditions_decide_what_applies(mini_sources, mini_deal_raw):
    answers, _ = Answers.from_file_data(mini_deal_raw, mini_sources.schema, mini_sources.jurisdictions)
    assert answers.applies("disputes.seat")
    answers.set("disputes.method", "courts")
    assert not answers.applies("disputes.seat") and not answers.has_value("disputes.institution")
    answers.set("disputes.method", "arbitration")
    assert answers.value("disputes.seat") == "singapore"


# --- the bundled library ---------------------------------------------------------------------


def test_bundled_library_sample_reopened_in_the_wizard(tmp_path, bundled_sources):
    sample = SAMPLES / "vietnam-supplier.yaml"
    if not sample.exists():
        pytest.skip("the bundled samples are not there")
    raw = read_deal_file(sample)
    del raw["products"]  # the wizard must ask for the products
    deal = tmp_path / "row.yaml"
    deal.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "v.docx"
    product = read_deal_file(sample)["products"][0]
    entry = []
    for f in bundled_sources.schema["products"].fields:
        value = str(product.get(f.id, ""))
        entry += [*value.splitlines(), ""] if f.type.name == "longtext" and value else [value]
    script = ["add", *entry, "done", "positions", "positions.overall", "buyer", "<", "generate"]
    result = CliRunner().invoke(cli, ["wizard", "-o", str(out), "--answers", str(deal)], input="".join(f"{line}\n" for line in script))
    assert result.exit_code == 0, result.output
    data = answers_of(tmp_path / "v.answers.yaml")
    assert data["positions"]["overall"] == "buyer"
    assert data["products"][0]["name"] == product["name"]
    again = CliRunner().invoke(cli, ["generate", str(tmp_path / "v.answers.yaml"), "-o", str(tmp_path / "again.docx")])
    assert again.exit_code == 0, again.output
    assert (tmp_path / "again.docx").read_bytes() == out.read_bytes()


def test_bundled_sample_through_the_wizard_is_the_sample(tmp_path, bundled_sources):
    sample = SAMPLES / "vietnam-supplier.yaml"
    if not sample.exists():
        pytest.skip("the bundled samples are not there")
    out = tmp_path / "v.docx"
    result = CliRunner().invoke(cli, ["wizard", "-o", str(out), "--answers", str(sample)], input="generate\n")
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == pipeline.generate(sample, None, sources=bundled_sources, page_numbers=True).docx


class ExampleAsker(ScriptedAsker):
    """Answers every question by itself: Enter where there is an answer already, else the
    parameter's example (or a plain value that passes the check); the preselected choice in lists."""

    def __init__(self, schema):
        super().__init__([])
        self.examples = {}
        for p in schema.parameters:
            for f in [p, *p.fields]:
                if f.example is not None:
                    self.examples.setdefault(f.label, str(f.example))

    def text(self, message, *, current, check, multiline=False, back=True, hint="", blank_ok=False):
        self.asked.append(message)
        for typed in ("" if current else None, self.examples.get(message), "2026-12-01", "5", "legal@example.com", "Text"):
            if typed is not None and check(typed) is None:
                return typed
        raise AssertionError(f"no acceptable answer for {message}")

    def select(self, message, choices, *, default=None, back=True):
        self.asked.append(message)
        assert len(self.asked) < 1000, "the wizard does not come to an end"
        return default if default is not None else choices[0][0]

    def checkbox(self, message, choices, *, default=(), back=True):
        self.asked.append(message)
        return list(default)


def test_bundled_library_fresh_run_through_every_section(tmp_path, bundled_sources):
    schema = bundled_sources.schema
    asker = ExampleAsker(schema)
    written = wizard.run(bundled_sources, asker, output=tmp_path / "fresh.docx")
    assert written is not None and written.docx.exists()
    supply = bundled_sources.library.default_type  # the type the asker keeps (the default)
    for section in schema.sections:
        asked = any(supply.asks_parameter(p.id) for p in section.parameters)
        assert (f"== {section.title} ==" in asker.said) == asked, section.id  # a section of the NNN agreement only is not shown
    # the seat follows the institution and the supplier's profile: shown for review, never asked
    seat = schema["disputes.seat"].label
    assert seat not in asker.asked and any(line.strip().startswith(f"{seat}:") for line in asker.said)
    assert pipeline.generate(written.answers, None, sources=bundled_sources, page_numbers=True).docx == written.docx.read_bytes()


def _library_with_a_placeholder(tmp_path) -> Path:
    library = tmp_path / "library"
    shutil.copytree(MINI / "library", library)
    clause = library / "clauses" / "schedule-tooling.clause"
    clause.write_text(clause.read_text(encoding="utf-8") + "+ [? the moulds ?]\n", encoding="utf-8")
    return library


def _final_deal(tmp_path) -> Path:
    raw = read_deal_file(MINI / "deal.yaml")
    raw["agreement"]["draft"] = "no"
    deal = tmp_path / "final.yaml"
    deal.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return deal


def test_a_blocking_check_at_generation_returns_to_the_review(tmp_path):
    library, deal, out = _library_with_a_placeholder(tmp_path), _final_deal(tmp_path), tmp_path / "a.docx"
    opts = ["--library", str(library), "--jurisdictions", str(MINI / "jurisdictions")]
    script = ["generate", "main", "agreement.draft", "yes", "<", "generate"]
    result = CliRunner().invoke(cli, ["wizard", "--answers", str(deal), "-o", str(out), *opts], input="".join(f"{line}\n" for line in script))
    assert result.exit_code == 0, result.output
    assert "placeholder-in-final" in result.output and result.output.count("Review your answers") == 3
    assert answers_of(tmp_path / "a.answers.yaml")["agreement"]["draft"] == "yes"
    assert out.exists() and not session_path(out).exists()


def test_allow_accepts_a_finding_and_the_answers_file_says_so(tmp_path):
    library, deal, out = _library_with_a_placeholder(tmp_path), _final_deal(tmp_path), tmp_path / "a.docx"
    opts = ["--library", str(library), "--jurisdictions", str(MINI / "jurisdictions")]
    result = CliRunner().invoke(cli, ["wizard", "--answers", str(deal), "-o", str(out), "--allow", "placeholder-in-final", *opts], input="generate\n")
    assert result.exit_code == 0, result.output
    assert "Allowed error: placeholder-in-final" in result.stderr
    header = (tmp_path / "a.answers.yaml").read_text(encoding="utf-8").splitlines()[1]
    assert header.endswith("--allow placeholder-in-final")
    again = CliRunner().invoke(cli, ["generate", str(tmp_path / "a.answers.yaml"), "-o", str(tmp_path / "b.docx"), "--allow", "placeholder-in-final", *opts])
    assert again.exit_code == 0, again.output
    assert (tmp_path / "b.docx").read_bytes() == out.read_bytes()


def test_multiple_choices_and_several_sections(tmp_path):
    library = tmp_path / "library"
    shutil.copytree(MINI / "library", library)
    (library / "parameters" / "extra.yaml").write_text(
        "section: {id: extra, title: Extra, order: 20, help: More questions.}\n"
        "parameters:\n"
        "  - {id: extra.markets, type: multichoice, required: false, label: Markets,"
        " choices: {eu: European Union, us: United States, asia: Asia}}\n",
        encoding="utf-8",
    )
    opts = ["--library", str(library), "--jurisdictions", str(MINI / "jurisdictions")]
    out = tmp_path / "a.docx"
    script = [*FRESH[:-1], "", "1,3", "extra", "extra.markets", "2", "<", "generate"]
    result = CliRunner().invoke(cli, ["wizard", "-o", str(out), *opts], input="".join(f"{line}\n" for line in script))
    assert result.exit_code == 0, result.output
    assert "== Extra ==" in result.output and "Markets: European Union, Asia" in result.output
    assert answers_of(tmp_path / "a.answers.yaml")["extra"] == {"markets": ["us"]}


def test_a_question_that_starts_to_apply_after_an_edit_is_asked(tmp_path):
    library = tmp_path / "library"
    shutil.copytree(MINI / "library", library)
    (library / "parameters" / "extra.yaml").write_text(
        "section: {id: extra, title: Extra, order: 20}\n"
        "parameters:\n"
        "  - {id: extra.escrow, type: bool, default: false, label: 'Source code escrow?'}\n"
        "  - {id: extra.agent, type: text, when: deal.extra.escrow, label: Escrow agent}\n",
        encoding="utf-8",
    )
    opts = ["--library", str(library), "--jurisdictions", str(MINI / "jurisdictions")]
    out = tmp_path / "a.docx"
    script = ["extra", "extra.escrow", "yes", "NCC Group", "<", "generate"]
    result = CliRunner().invoke(cli, ["wizard", "-o", str(out), "--answers", str(MINI / "deal.yaml"), *opts], input="".join(f"{line}\n" for line in script))
    assert result.exit_code == 0, result.output
    first, second = result.output.split("== Review: Extra ==")[1:3]
    assert "Escrow agent" not in first.split("Choose")[0] and "Escrow agent: NCC Group" in second
    assert "Escrow agent: " in first.split("Choose", 1)[1]  # asked after the edit, before the section is shown again
    assert answers_of(tmp_path / "a.answers.yaml")["extra"] == {"escrow": "yes", "agent": "NCC Group"}


# --- keeping a section's defaults, quick mode ----------------------------------------------------

# The miniature library with its one section's defaults kept: only the questions without a default
# are asked, and the currency just before the first amount.
KEPT = [
    "keep",  # Keep the defaults for this section?
    "2026-12-01",  # Date
    "Acme Ltd",  # Buyer name
    "Ann",  # Buyer signatory
    "Sao Mai Co",  # Supplier name
    "Hanoi",  # Supplier address
    "",
    "vietnam",  # Supplier country
    "Bob",  # Supplier signatory
    "",  # Currency [VND]
    "1250000",  # Price (VND)
    "add", "Widget", "done",  # Products: the entry's name only (its price may stay blank)
    "generate",
]


def test_keeping_a_sections_defaults_asks_only_what_has_none(tmp_path):
    out = tmp_path / "a.docx"
    result = run(["-o", str(out)], KEPT)
    assert result.exit_code == 0, result.output
    assert "14 questions of this section have a default or may stay blank:" in result.output and "    Years: 5" in result.output
    assert "Keep these defaults (ask only the 9 questions without one)" in result.output
    for label in ("Locale [", "Years [", "Unit price", "Filled in from earlier answers"):
        assert label not in result.output, label
    assert result.output.index("Currency [VND]: ") < result.output.index("Price (VND): ")
    data = answers_of(tmp_path / "a.answers.yaml")
    assert data["agreement"]["locale"] == "en_GB" and data["confidentiality"] == {"years": "5"}
    assert data["commercial"] == {"currency": "VND", "price": "1250000"} and data["products"] == [{"name": "Widget"}]


def test_kept_defaults_survive_resume_and_back_returns_to_the_offer(tmp_path):
    out = tmp_path / "a.docx"
    stop = KEPT.index("vietnam")
    assert run(["-o", str(out)], KEPT[:stop]).exit_code == 130
    resumed = run(["-o", str(out), "--resume"], KEPT[stop:])
    assert resumed.exit_code == 0, resumed.output
    assert "Years [" not in resumed.output  # still kept after resuming
    # back from the section's first question returns to the offer; asking every question there asks them
    again = run(["-o", str(tmp_path / "b.docx")], ["keep", "<", "ask", *FRESH[1:]])
    assert again.exit_code == 0, again.output
    assert again.output.count("Keep the defaults for this section?") == 2 and "Locale [en_GB]: " in again.output


def test_an_optional_multi_line_answer_says_how_to_leave_it_blank(tmp_path):
    library = tmp_path / "library"
    shutil.copytree(MINI / "library", library)
    (library / "parameters" / "extra.yaml").write_text(
        "section: {id: extra, title: Extra, order: 20}\n"
        "parameters:\n"
        "  - {id: extra.note, type: longtext, required: false, label: Note}\n",
        encoding="utf-8",
    )
    opts = ["--library", str(library), "--jurisdictions", str(MINI / "jurisdictions")]
    script = [*FRESH[:-1], "", "", "generate"]  # ask every question of Extra; an empty first line
    result = CliRunner().invoke(cli, ["wizard", "-o", str(tmp_path / "a.docx"), *opts], input="".join(f"{line}\n" for line in script))
    assert result.exit_code == 0, result.output
    assert "Supplier address (several lines; an empty line finishes): " in result.output
    assert "Note (several lines; an empty line finishes; an empty first line leaves it blank): " in result.output
    assert "extra" not in answers_of(tmp_path / "a.answers.yaml")


class OfferKeeper(ExampleAsker):
    """ExampleAsker that keeps every section's defaults when offered."""

    def select(self, message, choices, *, default=None, back=True):
        picked = super().select(message, choices, default=default, back=back)
        return "keep" if message == "Keep the defaults for this section?" else picked


def _run_bundled(tmp_path, sources, asker, name, **kwargs):
    written = wizard.run(sources, asker, output=tmp_path / name, **kwargs)
    assert written is not None and written.docx.exists()
    assert pipeline.generate(written.answers, None, sources=sources, page_numbers=True).docx == written.docx.read_bytes()
    return read_deal_file(written.answers)


def test_bundled_library_currency_is_asked_before_any_amount(tmp_path, bundled_sources):
    asker = ExampleAsker(bundled_sources.schema)
    data = _run_bundled(tmp_path, bundled_sources, asker, "full.docx")
    currency = data["commercial"]["currency"]
    amounts = [i for i, label in enumerate(asker.asked) if label.endswith(f" ({currency})")]
    assert amounts and asker.asked.index("Currency of the prices and payments") < amounts[0]
    assert f"Minimum value of each order ({currency})" in asker.asked and f"Unit price ({currency})" in asker.asked


def test_bundled_library_keeping_every_sections_defaults(tmp_path, bundled_sources):
    asker = OfferKeeper(bundled_sources.schema)
    data = _run_bundled(tmp_path, bundled_sources, asker, "kept.docx")
    assert "Overall position" in asker.asked and not [label for label in asker.asked if label.startswith("Topic:")]
    assert "Payment term (days after invoice)" not in asker.asked and "Description" not in asker.asked  # a product's optional field
    currency = data["commercial"]["currency"]
    assert asker.asked.index("Currency of the prices and payments") < asker.asked.index("Named place or port of delivery") < asker.asked.index(f"Unit price ({currency})")
    assert data["positions"] == {"overall": "balanced"} and data["commercial"]["payment_days"] == "60"


def test_bundled_library_quick_mode_asks_only_what_has_no_default(tmp_path, bundled_sources):
    full = ExampleAsker(bundled_sources.schema)
    _run_bundled(tmp_path, bundled_sources, full, "full.docx")
    quick = ExampleAsker(bundled_sources.schema)
    data = _run_bundled(tmp_path, bundled_sources, quick, "quick.docx", quick=True)
    currency = data["commercial"]["currency"]
    assert quick.asked == [
        "Type of agreement",  # first, in quick mode too
        "Date of the agreement",
        "Buyer's full legal name", "Buyer's place of incorporation", "Buyer's registered office address", "Name of the person signing for the buyer",
        "Buyer's notices: for the attention of", "Buyer's notices: email address",
        "Supplier's full legal name", "Supplier's country (jurisdiction profile)", "Supplier's registered office address",
        "Name of the person signing for the supplier", "Supplier's notices: for the attention of", "Supplier's notices: email address",
        "Named place or port of delivery",
        "Currency of the prices and payments",  # confirmed before the first amount
        "Products: what next?", "Product name", "Specification reference", f"Unit price ({currency})", "Products: what next?",
        "What next?",  # the review
    ]
    assert len(full.asked) > 3 * len(quick.asked)
    assert any(line.startswith("Quick mode: only the questions without a default are asked") for line in quick.said)
    assert not any(line.startswith("== Negotiation positions") for line in quick.said)  # nothing to ask there
