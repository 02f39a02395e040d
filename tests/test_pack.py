"""One deal, one pack: ``agreement.documents: [nnn, supply]`` drafts both documents from one
answers file into one folder, each with its memo and answers file, with one manifest; the
documents share the parties, the date and the reference."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from clausewright.cli.main import cli
from clausewright.ooxml import reader

pytestmark = pytest.mark.timeout(300)

PACK = SAMPLES / "pack" / "shenzhen-nnn-and-supply.yaml"


def run(*args):
    return CliRunner().invoke(cli, [*map(str, args)])


def test_one_deal_one_pack(tmp_path):
    folder = tmp_path / "shenzhen"
    result = run("generate", PACK, "-o", folder, "--no-page-numbers")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "nnn.answers.yaml", "nnn.docx", "nnn.memo.docx",
                                                        "supply.answers.yaml", "supply.docx", "supply.memo.docx"]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [d["type"] for d in manifest["documents"]] == ["nnn", "supply"]
    for entry in manifest["documents"]:
        assert hashlib.sha256((folder / entry["docx"]).read_bytes()).hexdigest() == entry["sha256"]
        assert hashlib.sha256((folder / entry["memo"]).read_bytes()).hexdigest() == entry["memo_sha256"]
    assert manifest["shared"]["agreement.reference"] == "NWP-2026-031" and manifest["shared"]["supplier.country"] == "china"

    nnn, supply = (reader.read((folder / f"{t}.docx").read_bytes()) for t in ("nnn", "supply"))
    for t, info in (("nnn", nnn), ("supply", supply)):  # the same parties, date and reference in both
        text = info.text()
        assert "Dated 1 December 2026" in text and "Reference: NWP-2026-031" in text
        assert "Northwind Pumps GmbH" in text and "深圳恒达精密压铸有限公司" in text
        assert reader.check((folder / f"{t}.docx").read_bytes()) == []
    assert nnn.text().startswith("Non-Use, Non-Disclosure and Non-Circumvention Agreement")
    assert supply.text().startswith("Manufacturing Supply and IP Protection Agreement")
    # each document's own forum: the NNN in the supplier's courts, the supply agreement as its profile recommends
    assert "court with jurisdiction at the place where the Supplier is domiciled" in nnn.text()
    assert "Arbitration." in supply.text() and "H200 pump housing" in supply.text() and "H200 pump housing" not in nnn.text()

    # each answers file is a deal file for its document alone, and regenerates it byte for byte
    for t in ("nnn", "supply"):
        again = tmp_path / f"{t}-again.docx"
        result = run("generate", folder / f"{t}.answers.yaml", "-o", again, "--no-page-numbers")
        assert result.exit_code == 0, result.output
        assert again.read_bytes() == (folder / f"{t}.docx").read_bytes()
    assert "\nproducts:" not in (folder / "nnn.answers.yaml").read_text(encoding="utf-8")  # the supply agreement's products are its own


def test_check_and_explain_take_every_document_of_a_pack(tmp_path):
    checked = run("check", PACK, "--format", "json")
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.output)
    assert [d["type"] for d in report["documents"]] == ["nnn", "supply"]
    # neither document reports the other's answers as unused
    assert not [f for d in report["documents"] for f in d["findings"] if f["id"] == "answer-not-asked"]
    explained = run("explain", PACK)
    assert "Non-Use, Non-Disclosure and Non-Circumvention Agreement (library" in explained.output
    assert "Manufacturing Supply and IP Protection Agreement (library" in explained.output


def test_a_pack_is_refused_clearly(tmp_path):
    result = run("generate", PACK, "-o", tmp_path / "pack.docx")
    assert result.exit_code == 2 and "lists 2 documents (agreement.documents): give -o the folder" in result.output
    result = run("generate", PACK, "-o", tmp_path / "p", "--set", "agreement.documents=nnn;suply")
    assert result.exit_code == 3 and "'suply' is not a type of agreement of the library (supply, services, nnn); did you mean supply?" in result.output
    result = run("generate", PACK, "-o", tmp_path / "p", "--set", "agreement.type=nnn")
    assert result.exit_code == 3 and "not both" in result.output
    assert not (tmp_path / "p").exists()
    # an existing pack is left alone without --force, and nothing is half-written
    assert run("generate", PACK, "-o", tmp_path / "q", "--no-page-numbers").exit_code == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "q").iterdir()}
    result = run("generate", PACK, "-o", tmp_path / "q", "--no-page-numbers", "--set", "agreement.reference=X-1")
    assert result.exit_code == 1 and "already exists; use --force" in result.output
    assert {p.name: p.read_bytes() for p in (tmp_path / "q").iterdir()} == before
    # a single-document deal still needs a .docx
    result = run("generate", SAMPLES / "shenzhen-nnn.yaml", "-o", tmp_path / "folder")
    assert result.exit_code == 2 and "does not end in .docx" in result.output


def test_the_supply_agreement_of_a_pack_keeps_its_nnn_agreement_instead_of_asking_for_one(tmp_path):
    folder = tmp_path / "pack"
    assert run("generate", PACK, "-o", folder, "--no-page-numbers").exit_code == 0
    supply = reader.read((folder / "supply.docx").read_bytes()).text()
    assert "The Supplier has signed with the Buyer a non-use, non-disclosure and non-circumvention agreement (the “NNN Agreement”)" in supply
    assert "days after the date of this Agreement, the Supplier shall sign with the Buyer" not in supply
    assert "  cn_nnn_signed: 'yes'\n" in (folder / "supply.answers.yaml").read_text(encoding="utf-8")
    # the supply agreement alone, for the same supplier, still asks for the NNN agreement to be signed
    alone = tmp_path / "alone.docx"
    answers = folder / "supply.answers.yaml"
    result = run("generate", answers, "-o", alone, "--no-page-numbers", "--set", "local.cn_nnn_signed=no")
    assert result.exit_code == 0, result.output
    text = reader.read(alone.read_bytes()).text()
    assert "Within 30 days after the date of this Agreement, the Supplier shall sign with the Buyer" in text
    # the note that asks for the NNN form to be prepared reaches only the draft that still needs one
    assert "clausewright.note.china.cn-nnn-form" not in reader.read((folder / "supply.docx").read_bytes()).properties
    assert "clausewright.note.china.cn-nnn-form" in reader.read(alone.read_bytes()).properties
