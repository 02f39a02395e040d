"""Every command per type of agreement: ``explain``, ``diff``, the memo, ``terms``, the wizard's
answers file and the bulk template for the services and NNN agreements, and a pack deal taken by
``diff --against-library``, ``clauses render`` and ``terms``."""

from __future__ import annotations

import json
import shutil

import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES

from clausewright import pipeline
from clausewright.assembly.term_names import party_words
from clausewright.cli.main import cli
from clausewright.ooxml import reader
from clausewright.qa import library_check

pytestmark = pytest.mark.timeout(300)

SERVICES = SAMPLES / "india-software-services.yaml"
NNN = SAMPLES / "shenzhen-nnn.yaml"
PACK = SAMPLES / "pack" / "shenzhen-nnn-and-supply.yaml"
TERMS_SCHEMA = json.loads((ROOT / "docs" / "terms.schema.json").read_text(encoding="utf-8"))
SUPPLY_ONLY_CLAUSES = ("tooling", "audit", "delivery", "price-payment", "term-termination", "schedule-products")


def run(*args):
    return CliRunner().invoke(cli, [*map(str, args)])


def generated(tmp_path, deal, name, *extra):
    out = tmp_path / f"{name}.docx"
    result = run("generate", deal, "-o", out, "--no-page-numbers", *extra)
    assert result.exit_code == 0, result.output
    return out


def docx_text(path):
    info = reader.read(path.read_bytes())
    return "\n".join(p.text for p in info.paragraphs)


# --- explain ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("deal", "type_id", "own"), [(SERVICES, "services", "services-acceptance"), (NNN, "nnn", "nnn-non-use")])
def test_explain_names_the_type_and_explains_only_its_clauses(deal, type_id, own):
    result = run("explain", deal, "--format", "json")
    assert result.exit_code == 0, result.output  # a fact the type does not give (a sanctions undertaking) is null, not a crash
    data = json.loads(result.output)
    clauses = [c["clause"] for c in data["clauses"]]
    assert data["type"] == type_id and own in clauses and "parties" in clauses
    assert not set(SUPPLY_ONLY_CLAUSES) & set(clauses)
    text = run("explain", deal)
    title = {"services": "Software and Engineering Services Agreement", "nnn": "Non-Use, Non-Disclosure and Non-Circumvention Agreement"}[type_id]
    assert text.exit_code == 0 and text.output.startswith(title)


# --- diff ---------------------------------------------------------------------------------------


def test_diff_per_type_and_against_the_library_for_each_type_and_a_pack(tmp_path):
    first = generated(tmp_path, SERVICES, "first")
    second = generated(tmp_path, SERVICES, "second", "--set", "services.acceptance_days=20")
    result = run("diff", first, second, "--format", "json")
    assert result.exit_code == 0, result.output
    changed = [c for c in json.loads(result.output)["clauses"] if c["status"] != "unchanged"]
    assert [c["clause"] for c in changed] == ["services-acceptance"] and {"op": "replace", "old": "10", "new": "20"} in changed[0]["changes"]

    for deal, name in ((SERVICES, "first"), (NNN, "nnn")):
        draft = tmp_path / f"{name}.docx" if name == "first" else generated(tmp_path, NNN, "nnn")
        same = run("diff", "--against-library", deal, draft, "--exit-code")
        assert same.exit_code == 0, same.output
    edited = run("diff", "--against-library", SERVICES, second, "--exit-code")
    assert edited.exit_code == 1 and "services-acceptance" in edited.output

    folder = tmp_path / "pack"
    assert run("generate", PACK, "-o", folder, "--no-page-numbers").exit_code == 0
    for type_id in ("nnn", "supply"):  # the pack's document whose type uses the draft's clauses
        same = run("diff", "--against-library", PACK, folder / f"{type_id}.docx", "--exit-code")
        assert same.exit_code == 0, same.output
        chosen = run("diff", "--against-library", PACK, folder / f"{type_id}.docx", "--type", type_id, "--exit-code")
        assert chosen.exit_code == 0, chosen.output
    wrong = run("diff", "--against-library", PACK, folder / "supply.docx", "--type", "nnn", "--exit-code")
    assert wrong.exit_code == 1 and "unknown field" not in wrong.output
    not_listed = run("diff", "--against-library", PACK, first, "--type", "services")
    assert not_listed.exit_code == 2 and "lists the documents nnn, supply" in not_listed.output
    undecided = run("diff", "--against-library", PACK, first)  # a services draft: neither document of the pack
    assert undecided.exit_code == 2 and "--type nnn or supply" in undecided.output and "Traceback" not in undecided.output
    single = run("diff", "--against-library", SERVICES, first, "--type", "services")
    assert single.exit_code == 2 and "drafts one document" in single.output


# --- the memo -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("deal", "kind", "title", "buyer", "own"), [  # own: the type's clauses its conditions leave out
    (SERVICES, "services", "Software and Engineering Services Agreement", "Customer", "services-equipment"),
    (NNN, "nnn", "Non-Use, Non-Disclosure and Non-Circumvention Agreement", "Buyer", "local-law"),  # no stamp duty for a PRC supplier
])
def test_the_memo_names_the_type_its_parties_and_only_its_clauses(tmp_path, bundled_sources, deal, kind, title, buyer, own):
    memo = tmp_path / "memo.docx"
    generated(tmp_path, deal, "draft", "--memo", memo)
    text = docx_text(memo)
    assert text.splitlines()[1].startswith(f"{title}, between ") and f"(the {buyer})" in text
    assert f"{buyer}: " in text and f"{buyer} signs by " in text
    if buyer != "Buyer":
        assert "Buyer" not in text
    assert "<<" not in text and ">>" not in text  # every reference in a counsel note is a clause number
    left_out = next((line for line in text.splitlines() if line.startswith("Clauses left out")), "")
    library = bundled_sources.library
    named = f"“{party_words(library.clauses[own].title, library.types[kind].renamed_parties)}” ({own})"  # by its title, then its id
    assert left_out == (f"Clauses left out by their conditions: {named} (run clausewright explain for the reasons)." if own else "")


def test_a_counsel_note_whose_reference_a_line_break_split_is_refused(tmp_path, bundled_sources):
    assert not [f for f in library_check.profile_checks(bundled_sources.library, bundled_sources.jurisdictions) if f.id == "library-profile"]
    jurisdictions = tmp_path / "jurisdictions"
    shutil.copytree(ROOT / "jurisdictions", jurisdictions)
    india = jurisdictions / "profiles" / "india.yaml"
    text = india.read_text(encoding="utf-8")
    india.write_text(text.replace("Clause\n      <<services-scope.no-direction>>", "Clause <<services-\n      scope.no-direction>>"), encoding="utf-8")
    sources = pipeline.load_sources(None, jurisdictions)
    found = [f for f in library_check.profile_checks(sources.library, sources.jurisdictions) if f.id == "library-profile"]
    assert [f.subject for f in found] == ["india"] and "<<services- scope.no-direction>>" in found[0].message


# --- key terms ----------------------------------------------------------------------------------


def test_the_key_terms_of_a_services_draft(tmp_path):
    result = run("terms", SERVICES)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Buyer" not in result.output and "  Customer's name: Harwell Motion Systems Ltd  [Parties]" in lines
    for supply_only in ("audit", "tooling", "Agreed sum", "Incoterm", "When the Supplier invoices", "Liability cap:", "Termination for convenience"):
        assert supply_only not in result.output, supply_only
    shown = {line.split(":")[0].strip(): line for line in lines[1:]}
    assert shown["How the services are charged (pricing model)"].endswith("Time and materials (day rates, within any ceiling)  [4.1]")
    assert shown["Acceptance period (Business Days the Customer has to test a Deliverable)"].endswith(": 10  [3.3]")
    assert shown["Source-code escrow"].endswith(": yes  [6.4]")
    assert shown["Date the Term starts"].endswith("[18.1]") and shown["Payment term (days after receipt of a valid invoice)"].endswith("30  [4.3]")
    assert shown["Notice of non-renewal"].endswith("90 days before the end of the current period  [18.1]")  # as the services term clause says

    data = json.loads(run("terms", SERVICES, "--format", "json", "--set", "services.pricing=fixed_price", "--set", "services.escrow=no").output)
    jsonschema.validate(data, TERMS_SCHEMA)
    terms = data["terms"]
    assert terms["services.pricing"]["value"].startswith("Fixed price") and terms["services.escrow"] == {
        "label": "Source-code escrow", "type": "boolean", "value": False, "clause": None}
    assert terms["buyer.name"]["label"] == "Customer's name" and terms["audit.frequency"]["value"] is None
    supply = json.loads(run("terms", SAMPLES / "vietnam-supplier.yaml", "--format", "json").output)["terms"]
    assert supply["buyer.name"]["label"] == "Buyer's name" and supply["services.pricing"]["value"] is None and supply["audit.frequency"]["value"]


def test_the_key_terms_of_an_nnn_draft_come_from_its_own_clauses():
    data = json.loads(run("terms", NNN, "--format", "json").output)["terms"]
    assert data["law.governing_law"]["clause"] and data["disputes.courts"]["clause"] and data["agreed_sums.tier1"]["clause"]
    pack = run("terms", PACK, "--type", "nnn", "--format", "json")
    assert pack.exit_code == 0, pack.output
    assert json.loads(pack.output)["terms"]["agreement.type"]["value"] == "Non-Use, Non-Disclosure and Non-Circumvention Agreement"
    undecided = run("terms", PACK)
    assert undecided.exit_code == 2 and "--type nnn or supply" in undecided.output


# --- clauses render in a pack -------------------------------------------------------------------


def test_clauses_render_reads_a_clause_in_the_pack_document_that_uses_it():
    nnn_only = run("clauses", "render", "nnn-damages", "--deal", PACK)
    assert nnn_only.exit_code == 0, nnn_only.output
    assert "Remedies and agreed damages" in nnn_only.output
    supply_only = run("clauses", "render", "tooling", "--deal", PACK)
    assert supply_only.exit_code == 0 and "unknown field" not in supply_only.output
    shared = run("clauses", "render", "parties", "--deal", PACK)  # both documents use it
    assert shared.exit_code == 2 and "--type nnn or supply" in shared.output
    for type_id, title in (("nnn", "NON-USE"), ("supply", "SUPPLY")):
        chosen = run("clauses", "render", "parties", "--deal", PACK, "--type", type_id)
        assert chosen.exit_code == 0 and title in chosen.output.upper(), chosen.output


# --- the wizard's answers file ------------------------------------------------------------------


def test_a_services_agreement_through_the_wizard_and_its_answers_file(tmp_path, bundled_sources):
    out = tmp_path / "s.docx"
    result = CliRunner().invoke(cli, ["wizard", "-o", str(out), "--answers", str(SERVICES)], input="generate\n")
    assert result.exit_code == 0, result.output
    answers = tmp_path / "s.answers.yaml"
    text = answers.read_text(encoding="utf-8")
    assert "Software and Engineering Services Agreement" in text.splitlines()[0] and "type: services" in text
    assert "products:" not in text and "tooling:" not in text and "incoterm" not in text
    assert out.read_bytes() == pipeline.generate(SERVICES, None, sources=bundled_sources, page_numbers=True).docx
    again = CliRunner().invoke(cli, ["generate", str(answers), "-o", str(tmp_path / "again.docx")])
    assert again.exit_code == 0, again.output
    assert (tmp_path / "again.docx").read_bytes() == out.read_bytes()


# --- the bulk template --------------------------------------------------------------------------


def test_the_bulk_template_has_only_the_columns_of_one_type(tmp_path):
    headers = {}
    for type_id in (None, "supply", "services", "nnn"):
        path = tmp_path / f"{type_id}.xlsx"
        result = run("bulk", "template", "-o", path, *(["--type", type_id] if type_id else []))
        assert result.exit_code == 0, result.output
        book = openpyxl.load_workbook(path)
        headers[type_id] = [c.value for c in book["suppliers"][1]]
        helps = [row[0] for row in book["help"].iter_rows(values_only=True)]
        if type_id == "services":
            assert any(h and "agreement.type: services in --defaults" in h for h in helps)
            assert "products.N.name" not in helps and "services.key_personnel.N.name" in helps
    assert headers[None] == headers["supply"] and "products.1.name" in headers["supply"]
    assert not any(h.startswith("services.") for h in headers["supply"])
    assert "services.key_personnel.1.name" in headers["services"] and not any(h.startswith(("products.", "tooling.")) for h in headers["services"])
    assert headers["nnn"][:3] == ["supplier_id", "agreement.translation", "supplier.name"]
    assert not any(h.startswith(("products.", "services.", "tooling.")) for h in headers["nnn"])
    wrong = run("bulk", "template", "-o", tmp_path / "x.csv", "--type", "servces")
    assert wrong.exit_code == 2 and "did you mean services?" in wrong.output and not (tmp_path / "x.csv").exists()
