"""One set of shared clauses for every agreement type: the definitions, the confidentiality core,
the governing law, the dispute resolution and the boilerplate are written once and used by the
supply, services and NNN agreements, with variants chosen by the type's facts; counsel notes meant
for one type say so by those facts; and ``library check`` refuses a definition or an article
copied into one type's own clause."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES

from clausewright import pipeline
from clausewright.inputs.jurisdictions import load_jurisdictions
from clausewright.inputs.library import load_library
from clausewright.ooxml import reader
from clausewright.qa import library_check, library_sharing

pytestmark = pytest.mark.timeout(300)

SHARED = ["parties", "definitions", "confidentiality", "governing-law", "dispute-resolution", "general"]


def _draft(sources, deal: Path, *sets: str):
    result = pipeline.generate(deal, None, sources=sources, overrides=list(sets), page_numbers=False)
    return result, reader.read(result.docx)


def _paragraph(info, start: str) -> str:
    """The text of the one paragraph of a draft that begins with ``start``."""
    found = [p.text for p in info.paragraphs if p.text.startswith(start)]
    assert len(found) == 1, (start, found)
    return re.sub(r"\d+(\.\d+)*(\([a-z]+\))?", "N", found[0])  # clause numbers differ between the drafts


def test_every_type_drafts_with_the_shared_clauses(bundled_sources):
    library = bundled_sources.library
    for kind in library.types.values():
        used = {cid for cid, clause in library.clauses.items() if library.used_by(clause, kind)}
        assert set(SHARED) <= used, kind.id
    assert not {"nnn-definitions", "nnn-non-disclosure", "nnn-law-disputes", "nnn-general"} & set(library.clauses)


def test_the_nnn_and_the_supply_agreement_say_the_same_things_in_the_same_words(bundled_sources):
    _, nnn = _draft(bundled_sources, SAMPLES / "shenzhen-nnn.yaml")
    _, supply = _draft(bundled_sources, SAMPLES / "vietnam-supplier.yaml", "disputes.method=courts")
    for start in ("“Trade Secret” means", "“Affiliate” means", "“Intellectual Property Rights” means", "Exceptions.", "Information is not within",
                  "Disclosure required by law.", "The Supplier is responsible for every act", "Notices.", "Assignment.", "Entire agreement.",
                  "Severability.", "“writing” and “written” include email"):
        assert _paragraph(nnn, start) == _paragraph(supply, start), start
    nnn_text, supply_text = nnn.text(), supply.text()
    # where the NNN deal differs: disclosure to evaluate and quote, recorded in its schedule, and one way
    assert "“Purpose” means evaluating the Products and the Buyer’s requests for quotation" in nnn_text
    assert "whether or not it is marked as confidential or recorded in Schedule 1, including drawings, three-dimensional models" in nnn_text
    assert "Third parties. The Supplier shall not disclose any Confidential Information to a subcontractor" in nnn_text
    assert "The Supplier’s information." not in nnn_text and "The Supplier’s information." in supply_text
    # nothing of a supply agreement in the NNN, nothing of the NNN in the supply agreement
    for supply_only in ("Order", "Incoterms", "Tooling", "Force Majeure", "Buyer IP", "deliveries", "currency stated in clause"):
        assert supply_only not in nnn_text, supply_only
    for nnn_only in ("Derived Product", "“Buyer Contact” means", "requests for quotation", "Record of Disclosures"):
        assert nnn_only not in supply_text, nnn_only
    # one signature block wording for every type
    assert "The Parties have caused this Agreement to be signed by their duly authorised representatives." in nnn_text


def test_a_civil_law_court_of_the_suppliers_country_is_its_first_instance_court_in_every_type(bundled_sources):
    home = ("Each Party submits to the exclusive jurisdiction of the courts of the Socialist Republic of Vietnam, and in the first instance of "
            "the court with jurisdiction at the place where the Supplier is domiciled, to settle any Dispute")
    vietnam = ("supplier.country=vietnam", "law.governing_law=vietnam", "disputes.method=courts", "disputes.courts=vietnam")
    _, supply = _draft(bundled_sources, SAMPLES / "vietnam-supplier.yaml", *vietnam)
    assert home + " that is not resolved under the previous sub-clauses." in supply.text()
    _, nnn = _draft(bundled_sources, SAMPLES / "shenzhen-nnn.yaml", *vietnam, "agreement.translation=", "commercial.currency=USD")
    assert home + "." in nnn.text() and "Escalation." not in nnn.text()
    _, singapore = _draft(bundled_sources, SAMPLES / "vietnam-supplier.yaml", "disputes.method=courts")
    assert "domiciled" not in singapore.text()


def test_a_note_for_one_type_on_a_shared_clause_reaches_only_that_type(bundled_sources):
    nnn, _ = _draft(bundled_sources, SAMPLES / "shenzhen-nnn.yaml")
    notes = {n.id: n.clause for n in nnn.composition.notes}
    assert notes["cn-nnn-courts"] == "dispute-resolution" and notes["cn-nnn-language"] == "general"
    supply, _ = _draft(bundled_sources, SAMPLES / "vietnam-supplier.yaml", "supplier.country=china", "law.governing_law=china",
                       "disputes.method=courts", "disputes.courts=china", "commercial.currency=CNY")
    assert "dispute-resolution" in {s.clause_id for s in supply.composition.agreement.sections()}
    assert not {"cn-nnn-courts", "cn-nnn-language"} & {n.id for n in supply.composition.notes}


def _sharing_findings(library_dir: Path) -> list[str]:
    """The messages of library check's rules on shared clauses over the library in ``library_dir``."""
    library = load_library(library_dir)
    jurisdictions = load_jurisdictions(ROOT / "jurisdictions")
    library.schema.bind_catalogues(jurisdictions.catalogues(), jurisdictions.other_names())
    findings, _ = library_check.static_checks(library, jurisdictions)
    return [f.message for f in findings if f.id in (library_sharing.TERM_TWICE, library_sharing.CLAUSE_COPIED)]


def test_library_check_refuses_a_definition_or_an_article_copied_for_one_type(tmp_path):
    assert _sharing_findings(ROOT / "clause_library") == []
    library = tmp_path / "library"
    shutil.copytree(ROOT / "clause_library", library)
    clauses = library / "clauses"
    # the NNN gets its own copy of the boilerplate, and one of its clauses a definition the supply agreement has
    general = (clauses / "general.clause").read_text(encoding="utf-8")
    (clauses / "general.clause").write_text(general.replace("types: [supply, services, nnn]", "types: [supply, services]"), encoding="utf-8")
    (clauses / "nnn-general.clause").write_text(general.replace("id: general", "id: nnn-general").replace("types: [supply, services, nnn]", "types: [nnn]"),
                                                encoding="utf-8")
    non_use = (clauses / "nnn-non-use.clause").read_text(encoding="utf-8")
    (clauses / "nnn-non-use.clause").write_text(non_use.replace("uses: []\n", "uses: []\ndefines:\n  Specification: >-\n    means a drawing the [[Buyer]] gives.\n"),
                                                encoding="utf-8")
    messages = _sharing_findings(library)
    assert any("the term 'Specification' is defined by clauses nnn-non-use, specifications-quality: define it once" in m for m in messages), messages
    assert any("clauses general and nnn-general are both headed 'General', for different agreement types" in m and "(general: nnn-general)" in m
               for m in messages), messages
    # a type that declares the clause its own for the part (references:) has no copy
    nnn = library / "types" / "nnn.yaml"
    nnn.write_text(nnn.read_text(encoding="utf-8").replace("  recitals: nnn-recitals\n", "  recitals: nnn-recitals\n  general: nnn-general\n"), encoding="utf-8")
    messages = _sharing_findings(library)
    assert not any("nnn-general" in m for m in messages) and any("'Specification'" in m for m in messages), messages
