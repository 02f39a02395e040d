"""Messages that help: YAML syntax errors in plain words with the line and a caret, the nearest
choice for a mistyped one, common names of jurisdictions, problems blamed on the --set that caused
them, one exit status per kind of failure, answers files with readable multi-line text, and a
bulk help sheet that reads as a lawyer would."""

from __future__ import annotations

import shutil

import pytest
from bulk_helpers import BAD, GOOD, MINI_OPTIONS, bulk, write_csv, write_defaults
from click.testing import CliRunner
from conftest import MINI, SAMPLES
from openpyxl import load_workbook

from clausewright import resources, yamlio
from clausewright.cli.main import cli
from clausewright.errors import EXIT_FAILED, EXIT_INPUT, EXIT_LIBRARY, EXIT_USAGE

pytestmark = pytest.mark.timeout(300)

SAMPLE = SAMPLES / "vietnam-supplier.yaml"


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


# --- YAML syntax errors ---------------------------------------------------------------------------

SYNTAX = {
    # name: (text, line, column, the offending line as shown, words the message must use)
    "tab": ("buyer:\n\tname: Acme Ltd\n", 2, 1, "→name: Acme Ltd", "indent with spaces, never with tabs"),
    "unclosed quote": ('buyer:\n  name: "Acme Ltd\n  country: england-wales\n', 2, 9, '  name: "Acme Ltd', "quotation mark that opens this value is never closed"),
    "bad indentation": ("buyer:\n  name: Acme Ltd\n country: england-wales\n", 3, 2, " country: england-wales", "does not line up with the lines above it"),
    "colon in a value": ("buyer:\n  name: Acme: Devices Ltd\n", 2, 13, "  name: Acme: Devices Ltd", "put the whole value in quotes"),
    "text after a quote": ('buyer:\n  name: "Acme" Devices\n', 2, 16, '  name: "Acme" Devices', "text follows the closing quotation mark"),
}


@pytest.mark.parametrize("case", SYNTAX)
def test_yaml_syntax_errors_show_the_line_a_caret_and_plain_words(tmp_path, case):
    text, line, column, shown, words = SYNTAX[case]
    deal = tmp_path / "deal.yaml"
    deal.write_text(text, encoding="utf-8")
    result = _invoke("generate", str(deal), "-o", str(tmp_path / "o.docx"), *MINI_OPTIONS)
    assert result.exit_code == EXIT_INPUT, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == f"Error: {deal}, line {line}, column {column}: " + lines[0].split(": ", 2)[2]
    assert words in lines[0]
    assert lines[1] == f"  {line} | {shown}"
    assert lines[2] == f"  {' ' * len(str(line))} | {' ' * (column - 1)}^"
    for jargon in ("<block end>", "mapping values", "token", "scalar", "not valid YAML"):
        assert jargon not in result.stderr


def test_a_syntax_error_in_a_profile_is_a_broken_library(tmp_path):
    jurisdictions = shutil.copytree(MINI / "jurisdictions", tmp_path / "jurisdictions")
    profile = jurisdictions / "profiles" / "vietnam.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("\nname:", "\n\tname:", 1), encoding="utf-8")
    result = _invoke("generate", str(MINI / "deal.yaml"), "-o", str(tmp_path / "o.docx"), "--library", str(MINI / "library"), "--jurisdictions", str(jurisdictions))
    assert result.exit_code == EXIT_LIBRARY, result.output
    assert f"Error: {profile}, line " in result.stderr and "indent with spaces" in result.stderr and "^" in result.stderr


def test_a_word_document_given_as_the_deal_is_invalid_input(tmp_path):
    docx = tmp_path / "agreement.docx"
    shutil.copy(resources.master_template(), docx)
    result = _invoke("check", str(docx), *MINI_OPTIONS)
    assert result.exit_code == EXIT_INPUT and "this is a Word document" in result.stderr


# --- choices ---------------------------------------------------------------------------------------


def test_a_mistyped_choice_suggests_the_nearest():
    result = _invoke("check", str(SAMPLE), "--set", "supplier.country=vietnma", "--set", "positions.overall=balnced")
    assert result.exit_code == EXIT_INPUT, result.output
    assert "'vietnma' is not one of:" in result.stderr and "; did you mean vietnam?" in result.stderr
    assert "'balnced' is not one of: buyer, balanced, supplier; did you mean balanced?" in result.stderr


@pytest.mark.parametrize(("name", "profile"), [("Viet Nam", "vietnam"), ("PRC", "china"), ("Mainland China", "china"), ("Hong Kong SAR", "hong-kong"), ("England", "england-wales"), ("Korea", "south-korea")])
def test_common_names_of_a_jurisdiction_are_read_as_it(name, profile):
    result = _invoke("explain", str(SAMPLE), "--set", f"buyer.country={name}")
    assert result.exit_code == 0, result.output
    assert f"buyer's country: {profile} (" in result.output


@pytest.mark.parametrize(("name", "meant"), [("UK", "england-wales (England and Wales)"), ("United Kingdom", "england-wales (England and Wales)"), ("USA", "new-york (New York)")])
def test_names_that_are_not_quite_a_jurisdiction_are_only_suggested(name, meant):
    result = _invoke("check", str(SAMPLE), "--set", f"buyer.country={name}")
    assert result.exit_code == EXIT_INPUT and f"did you mean {meant}?" in result.stderr, result.output


def test_clauses_show_suggests_the_nearest_clause_and_prints_no_install_path():
    library = str(resources.library_dir())
    missing = _invoke("clauses", "show", "audt")
    assert missing.exit_code == EXIT_USAGE
    assert "no clause 'audt'; did you mean audit?" in missing.stderr and library not in missing.output
    shown = _invoke("clauses", "show", "audit")
    assert shown.exit_code == 0 and "file clauses/audit.clause in the bundled library" in shown.output and library not in shown.output
    profile = _invoke("jurisdictions", "show", "vietnma")
    assert profile.exit_code == EXIT_USAGE and "did you mean vietnam?" in profile.stderr


# --- --set, check ----------------------------------------------------------------------------------


def test_a_bad_set_value_is_blamed_on_the_set(tmp_path):
    result = _invoke("generate", str(SAMPLE), "-o", str(tmp_path / "o.docx"), "--set", "commercial.payment_days=abc")
    assert result.exit_code == EXIT_INPUT
    assert result.stderr.startswith("Error: --set: 1 problem in the deal")
    assert "  - --set commercial.payment_days=abc: 'abc' is not a whole number" in result.stderr
    assert str(SAMPLE) not in result.stderr


def test_file_and_set_problems_each_name_their_source(tmp_path):
    deal = tmp_path / "deal.yaml"
    deal.write_text(SAMPLE.read_text(encoding="utf-8").replace("payment_days: 60", "payment_days: sixty"), encoding="utf-8")
    result = _invoke("check", str(deal), "--set", "supplier.country=atlantis")
    assert result.stderr.startswith(f"Error: {deal}: 2 problems in the deal:")
    assert "  - commercial.payment_days: 'sixty' is not a whole number" in result.stderr
    assert "  - --set supplier.country=atlantis: 'atlantis' is not one of" in result.stderr


def test_check_does_not_say_that_nothing_was_written(tmp_path):
    invalid = _invoke("check", str(SAMPLE), "--set", "agreement.date=2026-02-30")
    assert invalid.exit_code == EXIT_INPUT and "not a real date" in invalid.stderr
    assert "nothing was written" not in invalid.output
    generated = _invoke("generate", str(SAMPLE), "-o", str(tmp_path / "o.docx"), "--set", "agreement.date=2026-02-30")
    assert "nothing was written" in generated.stderr  # generate would have written


# --- exit statuses ---------------------------------------------------------------------------------


def test_one_exit_status_per_kind_of_failure(tmp_path):
    write_defaults(tmp_path)
    text = tmp_path / "suppliers.txt"
    text.write_text("supplier_id\nS-1\n", encoding="utf-8")
    suppliers = write_csv(tmp_path / "suppliers.csv", GOOD + BAD)
    broken = shutil.copytree(MINI / "jurisdictions", tmp_path / "jurisdictions")
    (broken / "seats.yaml").write_text("singapore: [\n", encoding="utf-8")
    existing = tmp_path / "exists.docx"
    existing.write_bytes(b"mine")
    deal = str(MINI / "deal.yaml")
    cases = {
        EXIT_USAGE: [
            ["bulk", "template", "-o", str(tmp_path / "t.txt"), *MINI_OPTIONS],
            ["bulk", "run", str(text), "--out", str(tmp_path / "o1"), *MINI_OPTIONS],
            ["bulk", "validate", str(text), *MINI_OPTIONS],
            ["generate", deal, "-o", str(tmp_path / "o.pdf"), *MINI_OPTIONS],
            ["generate", deal, "-o", str(tmp_path / "o.docx"), "--allow", "no-such-id", *MINI_OPTIONS],
            ["clauses", "show", "nope"],
        ],
        EXIT_INPUT: [
            ["generate", deal, "-o", str(tmp_path / "o.docx"), "--set", "agreement.date=soon", *MINI_OPTIONS],
            ["check", deal, "--set", "agreement.date=soon", *MINI_OPTIONS],
            ["bulk", "validate", str(suppliers), "--defaults", str(tmp_path / "defaults.yaml"), "--no-progress", *MINI_OPTIONS],
        ],
        EXIT_LIBRARY: [
            ["generate", deal, "-o", str(tmp_path / "o.docx"), "--library", str(MINI / "library"), "--jurisdictions", str(broken)],
            ["bulk", "validate", str(suppliers), "--library", str(MINI / "library"), "--jurisdictions", str(broken)],
        ],
        EXIT_FAILED: [
            ["generate", deal, "-o", str(existing), *MINI_OPTIONS],
            ["bulk", "run", str(suppliers), "--defaults", str(tmp_path / "defaults.yaml"), "--out", str(tmp_path / "out"), "--jobs", "1", "--no-progress", *MINI_OPTIONS],
        ],
    }
    for status, commands in cases.items():
        for args in commands:
            result = _invoke(*args)
            assert result.exit_code == status, (args, result.output)
            assert "Traceback" not in result.output and "internal error" not in result.output


def test_existing_outputs_are_refused_with_every_row_problem_still_shown(tmp_path):
    write_defaults(tmp_path)
    suppliers = write_csv(tmp_path / "suppliers.csv", GOOD + BAD)
    run = ["run", str(suppliers), "--defaults", str(tmp_path / "defaults.yaml"), "--out", str(tmp_path / "out"), "--jobs", "1"]
    assert bulk(*run).exit_code == EXIT_FAILED  # two bad rows fail, three are written
    again = bulk(*run)
    assert again.exit_code == EXIT_FAILED
    assert "3 output file(s) would be overwritten" in again.stderr
    assert "2 row(s) also have problems" in again.stderr
    assert "row 5, supplier.country: 'atlantis' is not one of" in again.stderr and "row 6, products.1.price: 'cheap' is not a number" in again.stderr


# --- answers files ---------------------------------------------------------------------------------

MULTILINE = ["1 Road\nDistrict 1\nHo Chi Minh City", "ends with a break\n", "two breaks\n\n", "\nstarts with a break", "  indented\nfirst line",
             "trailing space \nhere", "a\n\nblank line", "tab\there\nand there", "- looks like a list\n# and a comment", "key: value\nnot a key"]


@pytest.mark.parametrize("fast", [True, False])
def test_answers_files_write_multi_line_text_as_blocks_and_read_back_exactly(fast):
    for value in MULTILINE:
        data = {"supplier": {"address": value}}
        text = yamlio.dump(data, fast=fast)
        assert yamlio.load_text(text, answers=True) == data, (value, text)
        assert not text.rstrip("\n").endswith("...")
    block = yamlio.dump({"supplier": {"address": MULTILINE[0]}}, fast=fast)
    assert block == "supplier:\n  address: |-\n    1 Road\n    District 1\n    Ho Chi Minh City\n"
    assert yamlio.dump({"a": "ends with a break\n"}, fast=fast) == "a: |\n  ends with a break\n"
    assert yamlio.dump({"a": "two breaks\n\n"}, fast=fast) == "a: |+\n  two breaks\n\n"


def test_bulk_answers_files_hold_addresses_as_blocks(tmp_path):
    write_defaults(tmp_path)
    suppliers = write_csv(tmp_path / "suppliers.csv", GOOD[:1])
    assert bulk("run", str(suppliers), "--defaults", str(tmp_path / "defaults.yaml"), "--out", str(tmp_path / "out"), "--jobs", "1").exit_code == 0
    answers = next((tmp_path / "out").glob("*.answers.yaml")).read_text(encoding="utf-8")
    assert "  address: |-\n    1 Road\n    Hanoi\n" in answers


# --- help texts ------------------------------------------------------------------------------------


def test_the_bulk_help_sheet_shows_defaults_as_a_lawyer_reads_them(tmp_path):
    out = tmp_path / "suppliers.xlsx"
    assert _invoke("bulk", "template", "-o", str(out)).exit_code == 0
    sheet = load_workbook(out, read_only=True)["help"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0] == "column")
    default = rows[header].index("default")
    shown = {r[0]: r[default] for r in rows[header + 1:] if r and r[0]}
    assert shown["commercial.currency"] == "worked out from the supplier's country profile"
    assert shown["disputes.courts"] == 'worked out from the answer to "Governing law of the agreement"'
    assert shown["tooling.applies"] == "yes" and shown["agreement.position_notes"] == "no"
    assert shown["commercial.incoterm"].startswith("FCA – Free Carrier")
    assert shown["positions.overall"] == "Balanced"
    for value in shown.values():
        assert value is None or ("{{" not in str(value) and str(value) not in ("True", "False"))


def test_help_texts_name_choices_by_their_labels(bundled_sources):
    for param in bundled_sources.schema.parameters:
        if param.type.name in ("choice", "multichoice"):
            quoted = [value for value in param.choice_map() if f'"{value}"' in param.help]
            assert not quoted, (param.id, quoted)
