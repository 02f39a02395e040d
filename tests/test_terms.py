"""Key terms out: ``clausewright terms`` and the terms.csv of a bulk run give each key term of an
agreement with the number of the clause it comes from in the generated draft, in the published
format of docs/terms.schema.json (docs/terms.md)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES

from clausewright import pipeline, quoting, resources
from clausewright.cli.main import cli
from clausewright.ooxml import reader

SCHEMA = json.loads((ROOT / "docs" / "terms.schema.json").read_text(encoding="utf-8"))
SAMPLE_FILES = sorted(SAMPLES.glob("*.yaml"))
BULK_LEADING = ["row", "supplier_id", "document"]


def _terms_json(deal: Path, *extra: str) -> dict:
    result = CliRunner().invoke(cli, ["terms", str(deal), "--format", "json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _schema_columns() -> list[str]:
    """The CSV columns the schema documents: each term's value, then its clause number."""
    return [column for tid in SCHEMA["properties"]["terms"]["properties"] for column in (tid, f"{tid}.clause")]


def _read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- the published format -----------------------------------------------------------------------


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_every_sample_validates_against_the_published_schema(sample):
    document = _terms_json(sample)
    jsonschema.validate(document, SCHEMA)
    assert list(document["terms"]) == list(SCHEMA["properties"]["terms"]["properties"])  # the schema documents every term, in order
    assert document["deal"] == str(sample) and document["format"] == SCHEMA["properties"]["format"]["const"]


def test_csv_columns_are_the_schemas_in_its_order(tmp_path):
    out = tmp_path / "terms.csv"
    written = CliRunner().invoke(cli, ["terms", str(SAMPLES / "vietnam-supplier.yaml"), "-o", str(out)])
    assert written.exit_code == 0, written.output
    header, values = _read_csv(out.read_bytes())
    assert header == _schema_columns()
    document = _terms_json(SAMPLES / "vietnam-supplier.yaml")
    assert values[header.index("supplier.name")] == document["terms"]["supplier.name"]["value"]
    assert values[header.index("payment.days.clause")] == document["terms"]["payment.days"]["clause"]
    on_screen = CliRunner().invoke(cli, ["terms", str(SAMPLES / "vietnam-supplier.yaml"), "--format", "csv"])
    assert list(csv.reader(io.StringIO(on_screen.stdout, newline=""))) == [header, values]


def test_docs_list_every_term():
    table = (ROOT / "docs" / "terms.md").read_text(encoding="utf-8")
    listed = [line.split("|")[1].strip().strip("`") for line in table.splitlines() if line.startswith("| `") and line.count("|") == 5]
    assert listed == list(SCHEMA["properties"]["terms"]["properties"])


# --- values and clause numbers from the draft ---------------------------------------------------


def _blocks(docx: bytes) -> dict[str, str]:
    """Clause number -> the text of that clause, schedule or sub-clause (with what follows it up to
    the next sub-clause), as the generated document numbers it: read back from the DOCX and its
    numbering part, not from the assembly."""
    blocks: dict[str, list[str]] = {}
    section = sub = None
    for p in reader.read(docx).paragraphs:
        if p.style == "FrontTitle" or p.style == "Heading1" or p.label.startswith("Schedule "):
            section, sub = (p.text if p.style == "FrontTitle" else p.label), None
        elif section and section[0].isdigit() and re.fullmatch(r"\d+\.\d+", p.full):
            sub = p.full
        for key in (section, sub):
            if key:
                blocks.setdefault(key, []).append(p.text)
    return {k: " ".join(v) for k, v in blocks.items()}


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_clause_numbers_are_the_drafts_own(sample, bundled_sources):
    """Every clause number names a clause of the generated DOCX, and a value taken from the deal
    appears in the clause the term points to."""
    document = _terms_json(sample)
    docx = pipeline.generate(sample, None, sources=bundled_sources).docx
    blocks = _blocks(docx)
    specs = {t.id: t for t in bundled_sources.library.terms}
    checked = 0
    for tid, term in document["terms"].items():
        if term["clause"] is None:
            continue
        assert term["clause"] in blocks, (tid, term["clause"])
        if re.fullmatch(r"deal\.[a-z_.]+", specs[tid].source or "") and term["type"] in ("text", "integer"):  # a deal value as typed
            assert str(term["value"]) in blocks[term["clause"]], (tid, term, blocks[term["clause"]][:300])
            checked += 1
    assert checked >= 8


def test_numbers_follow_the_draft_when_a_clause_is_left_out():
    with_tooling = _terms_json(SAMPLES / "vietnam-supplier.yaml")["terms"]
    without = _terms_json(SAMPLES / "vietnam-supplier.yaml", "--set", "tooling.applies=no")["terms"]
    assert with_tooling["tooling.owner"]["clause"] and without["tooling.owner"] == {**with_tooling["tooling.owner"], "value": None, "clause": None}
    assert without["tooling.applies"]["value"] is False and without["tooling.applies"]["clause"] is None
    # the clauses after the tooling clause move up one number; those before it stay
    tooling_number = int(with_tooling["tooling.applies"]["clause"])
    for tid in ("payment.days", "term.initial_years", "audit.records_years"):
        before, after = with_tooling[tid]["clause"], without[tid]["clause"]
        head = int(before.split(".")[0])
        expected = head - 1 if head > tooling_number else head
        assert after == ".".join([str(expected), *before.split(".")[1:]]), tid


def test_terms_that_do_not_apply_are_empty_and_have_no_clause():
    arbitration = _terms_json(SAMPLES / "vietnam-supplier.yaml")["terms"]
    assert arbitration["disputes.courts"] == {**arbitration["disputes.courts"], "value": None, "clause": None}
    assert arbitration["disputes.seat"]["value"] == "Singapore" and arbitration["disputes.rules_edition"]["value"]
    courts = _terms_json(SAMPLES / "supplier-favourable.yaml")["terms"]
    assert courts["disputes.courts"]["value"] and courts["disputes.courts"]["clause"]
    assert courts["disputes.institution"]["value"] is None and courts["disputes.seat"]["clause"] is None


def test_values_are_exact_and_money_carries_the_currency(tmp_path):
    deal = tmp_path / "deal.yaml"
    text = (SAMPLES / "all-options.yaml").read_text(encoding="utf-8")
    deal.write_text(text, encoding="utf-8")
    name = "=HYPERLINK(\"x\") Công ty TNHH Cơ khí «Sao Mai»  株式会社"
    terms = _terms_json(deal, "--set", f"supplier.name={name}", "--set", "agreement.locale=de_DE", "--set", "commercial.currency=EUR",
                        "--set", "liability.minimum_cap=1234567.5")["terms"]
    assert terms["supplier.name"]["value"] == name  # exactly as typed, in the JSON
    assert terms["liability.minimum_cap"]["value"] == "EUR 1,234,567.50"  # the deal's currency, one format whatever the locale
    assert "EUR 1,234,567.50" in terms["liability.cap"]["value"]
    assert terms["agreed_sums.tier1"]["value"].startswith("EUR ")
    assert terms["payment.late_interest"]["value"] == 6 and terms["term.auto_renew"]["value"] is True
    out = tmp_path / "t.csv"
    CliRunner().invoke(cli, ["terms", str(deal), "-o", str(out), "--set", f"supplier.name={name}"])
    header, values = _read_csv(out.read_bytes())
    assert values[header.index("supplier.name")] == "'" + name  # a spreadsheet shows it as text
    assert values[header.index("term.auto_renew")] == "yes"


def test_key_dates():
    terms = _terms_json(SAMPLES / "vietnam-supplier.yaml", "--set", "agreement.date=2024-02-29", "--set", "term.initial_years=2",
                        "--set", "term.notice_days=90", "--set", "positions.overall=buyer", "--set", "positions.confidentiality_duration=balanced",
                        "--set", "confidentiality.years=5")["terms"]
    last = dt.date(2026, 2, 28)  # a term of two years from 29 February 2024 ends on 28 February 2026
    assert terms["dates.initial_term_end"]["value"] == last.isoformat()
    assert terms["dates.non_renewal_notice"]["value"] == (last - dt.timedelta(days=90)).isoformat()
    assert terms["dates.supplier_notice"]["value"] == "2025-02-28"  # 12 months before the end
    assert terms["dates.audit_windows"]["value"] == ["2024-02-29", "2025-03-01"]
    assert terms["dates.tooling_return"]["value"] == last.isoformat()
    assert terms["dates.confidentiality_end"]["value"] == "2031-02-28"  # five years after the Initial Term
    assert terms["confidentiality.years"]["value"] == 5
    balanced = _terms_json(SAMPLES / "vietnam-supplier.yaml", "--set", "term.auto_renew=no", "--set", "positions.overall=balanced")["terms"]
    assert balanced["dates.non_renewal_notice"]["value"] is None and balanced["dates.supplier_notice"]["value"] is None
    assert balanced["term.renewal_years"]["value"] is None and balanced["notice.non_renewal"]["value"] is None


def test_output_file_formats_and_overwrite(tmp_path):
    sample = str(SAMPLES / "vietnam-supplier.yaml")
    out = tmp_path / "terms.json"
    assert CliRunner().invoke(cli, ["terms", sample, "-o", str(out)]).exit_code == 0
    jsonschema.validate(json.loads(out.read_text(encoding="utf-8")), SCHEMA)
    again = CliRunner().invoke(cli, ["terms", sample, "-o", str(out)])
    assert again.exit_code != 0 and "--force" in again.output and "Traceback" not in again.output
    assert CliRunner().invoke(cli, ["terms", sample, "-o", str(out), "--force"]).exit_code == 0
    for bad in (["-o", str(tmp_path / "terms.pdf")], ["-o", str(tmp_path / "x.csv"), "--format", "json"]):
        refused = CliRunner().invoke(cli, ["terms", sample, *bad])
        assert refused.exit_code == 2 and "-o" in refused.output, refused.output
    screen = CliRunner().invoke(cli, ["terms", sample])
    assert screen.exit_code == 0 and "Supplier's name in its own script or language: Công ty TNHH Sản xuất Chính xác Sài Gòn  [Parties]" in screen.stdout


def test_spreadsheet_formula_cells_are_neutralised():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert quoting.cell(start + "1+1") == "'" + start + "1+1"
    assert quoting.cell("Acme = best") == "Acme = best" and quoting.cell("") == ""


# --- a firm's own terms ---------------------------------------------------------------------------


def _library_copy(tmp_path: Path, extra: str) -> Path:
    library = tmp_path / "library"
    shutil.copytree(resources.library_dir(), library)
    with open(library / "terms.yaml", "a", encoding="utf-8") as fh:
        fh.write(extra)
    return library


def test_a_firm_can_add_a_term(tmp_path):
    library = _library_copy(tmp_path, """
  - id: firm.non_circumvention_years
    label: Non-circumvention period after the agreement ends (years)
    type: integer
    from: deal.non_circumvention.years
    clause: non-circumvention
""")
    document = _terms_json(SAMPLES / "vietnam-supplier.yaml", "--library", str(library))
    jsonschema.validate(document, SCHEMA)
    added = document["terms"]["firm.non_circumvention_years"]
    assert added["value"] == 3 and added["clause"] and added["clause"].isdigit()
    on_screen = CliRunner().invoke(cli, ["terms", str(SAMPLES / "vietnam-supplier.yaml"), "--format", "csv", "--library", str(library)])
    assert next(csv.reader(io.StringIO(on_screen.stdout)))[-2:] == ["firm.non_circumvention_years", "firm.non_circumvention_years.clause"]


@pytest.mark.parametrize("extra, message", [
    ("  - {id: firm.x, label: X, type: text, from: deal.supplier.nmae}\n", "reads deal.supplier.nmae, which the schema does not declare"),
    ("  - {id: firm.x, label: X, type: text, from: deal.supplier.name, clause: nowhere}\n", "clause 'nowhere' names no clause of the library"),
    ("  - {id: firm.x, label: X, type: amount, from: deal.supplier.name}\n", "type must be one of"),
    ("  - {id: firm.x, label: X, type: integer, from: deal.supplier.name}\n", "is not of type integer"),
    ("  - {id: firm.x, label: X, type: text, from: 'deal.supplier.name +'}\n", "bad expression"),
])
def test_a_broken_terms_file_is_named_clearly(tmp_path, extra, message):
    library = _library_copy(tmp_path, extra)
    result = CliRunner().invoke(cli, ["terms", str(SAMPLES / "vietnam-supplier.yaml"), "--library", str(library)])
    assert result.exit_code == 4 and "Traceback" not in result.output and "internal error" not in result.output  # a broken library
    assert "terms.yaml" in result.output and "firm.x" in result.output and message in result.output, result.output


# --- bulk runs ------------------------------------------------------------------------------------

def _bundled_suppliers(tmp_path: Path) -> Path:
    """The bundled supplier list's Thai and first Vietnamese rows (the Thai name formula-like, its
    registration number with a leading zero), and a row for a country with no profile."""
    with (SAMPLES / "bulk" / "suppliers.csv").open(encoding="utf-8-sig", newline="") as fh:
        bundled = list(csv.DictReader(fh))
    thai = next(r for r in bundled if r["supplier.country"] == "thailand")
    vietnamese = next(r for r in bundled if r["supplier.country"] == "vietnam")
    rows = [
        {**thai, "supplier_id": "T1", "supplier.name": "=cmd|' /C calc'!A0", "supplier.registration_number": "0105558000001"},
        {**vietnamese, "supplier_id": "V1", "supplier.name": "Công ty TNHH Cơ khí Sao Mai"},
        {**thai, "supplier_id": "X1", "supplier.name": "Broken Ltd", "supplier.country": "atlantis"},
    ]
    path = tmp_path / "suppliers.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(thai))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_bulk_run_writes_terms_csv_one_row_per_agreement(tmp_path):
    suppliers = _bundled_suppliers(tmp_path)
    out = tmp_path / "out"
    command = ["bulk", "run", str(suppliers), "--defaults", str(SAMPLES / "bulk" / "defaults.yaml"), "--out", str(out), "--no-progress"]
    ran = CliRunner().invoke(cli, command)
    assert ran.exit_code == 1, ran.output  # the Atlantis row fails; the others are written
    data = (out / "terms.csv").read_bytes()
    header, *rows = _read_csv(data)
    assert header == BULK_LEADING + _schema_columns()
    assert [r[:2] for r in rows] == [["2", "T1"], ["3", "V1"]]
    records = [dict(zip(header, row, strict=True)) for row in rows]
    for record in records:
        assert (out / record["document"]).is_file()
        # the same terms as `clausewright terms` gives for the row's answers file
        answers = out / record["document"].replace(".docx", ".answers.yaml")
        document = _terms_json(answers)
        for tid, term in document["terms"].items():
            value = term["value"]
            shown = "" if value is None else ("yes" if value is True else "no" if value is False else "\n".join(value) if isinstance(value, list) else str(value))
            assert record[tid] == quoting.cell(shown), tid
            assert record[f"{tid}.clause"] == (term["clause"] or ""), tid
    thai, vietnamese = records
    assert thai["supplier.name"] == "'=cmd|' /C calc'!A0" and thai["supplier.registration_number"] == "0105558000001"
    assert thai["supplier.country"] == "Thailand" and thai["supplier.registration_type"]
    assert vietnamese["supplier.name"] == "Công ty TNHH Cơ khí Sao Mai"
    # a resumed run, which skips both rows, writes the same file from the manifest
    resumed = CliRunner().invoke(cli, [*command, "--resume"])
    assert "2 unchanged" in resumed.output, resumed.output
    assert (out / "terms.csv").read_bytes() == data
