"""A services customer's own personal-data law on the transfer to an offshore supplier.

A customer in Japan, South Korea, Singapore or Thailand whose supplier works in another country
gets, in the data clause of the services agreement, the paragraph its law's transfer rule calls
for (the profile fact ``personal_data_law``), the law named in the definition of Data Protection
Law, and the counsel note that says what the paragraph does and what is left for the lawyer. A
supplier working under one of these laws gets the paragraph on its duties as processor there.
Each draft is a real DOCX generated from the services sample, read back clause by clause."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from clausewright import pipeline
from clausewright.cli.main import cli
from clausewright.ooxml import reader

pytestmark = pytest.mark.timeout(300)

SAMPLE = SAMPLES / "india-software-services.yaml"  # a UK customer, an Indian supplier, personal data


@dataclass(frozen=True)
class Regime:
    """What a draft holds for one country's personal-data law."""

    transfers: str  # the heading of the customer's transfer paragraph
    operative: str  # words of that paragraph that say what the Parties do before the transfer
    processor: str  # the heading of the paragraph on the supplier's duties under that law
    law: str  # the law as the definition of Data Protection Law names it
    transfers_note: str  # the counsel note on the transfer paragraph (customer's country)
    processor_note: str  # the counsel note on the processor paragraph
    note_words: str  # words of the transfer note, after its reference to the paragraph


REGIMES = {
    "japan": Regime("Transfers from Japan.", "a third party in a foreign country under Article 28 of that Act", "Japanese law.",
                    "the Act on the Protection of Personal Information of Japan", "jp-services-transfers", "jp-services-data",
                    "lets the data go only once the supplier has a system of equivalent measures, which the customer then monitors"),
    "south-korea": Regime("Transfers from the Republic of Korea.", "shall establish a ground for the transfer that Article 28-8 of that Act allows",
                          "Korean law.", "the Personal Information Protection Act of the Republic of Korea", "kr-services-transfers",
                          "kr-services-data", "leaves the customer to establish one before the data goes"),
    "singapore": Regime("Transfers from Singapore.", "the Parties intend this agreement to be the legally enforceable obligations",
                        "Singapore law.", "the Personal Data Protection Act 2012 of Singapore", "sg-services-transfers",
                        "sg-services-data", "makes this agreement that contract"),
    "thailand": Regime("Transfers from Thailand.", "standard contractual clauses in a form those notifications accept", "Thai law.",
                       "the Personal Data Protection Act B.E. 2562 (2019) of Thailand", "th-services-transfers", "th-services-data",
                       "requires the safeguard before the data leaves Thailand"),
}
OTHER_LAWS = {"india": "the Digital Personal Data Protection Act, 2023 of India",
              "vietnam": "the Law on Personal Data Protection of Vietnam"}


@dataclass
class Draft:
    result: pipeline.Result
    info: reader.DocxInfo
    clauses: reader.Document

    def data_clause(self) -> list[str]:
        return self.clauses.clauses["services-data"].paragraphs

    def starting(self, heading: str) -> reader.Para | None:
        """The paragraph of the services-data clause that starts with ``heading``."""
        texts = set(self.data_clause())
        return next((p for p in self.info.paragraphs if p.text.startswith(heading) and p.text in texts), None)

    def definition(self) -> str:
        return next(p for p in self.clauses.clauses["definitions"].paragraphs if p.startswith("“Data Protection Law”"))

    def notes(self) -> set[str]:
        return {n.id for n in self.result.composition.notes if n.clause == "services-data"}

    def data_comments(self) -> str:
        """The comments on the heading of the services-data clause, as one text."""
        heading = next(p for p in self.info.paragraphs if p.text == self.data_clause()[0] and p.comments)
        return " ".join(" ".join(self.info.comments[c].split()) for c in heading.comments)

    def misfits(self) -> list[str]:
        return [f.message for f in self.result.findings if f.id == "note-does-not-fit"]


def _draft(bundled_sources, tmp_path, customer: str, supplier: str | None = None, *sets: str) -> Draft:
    overrides = [f"buyer.country={customer}", *([f"supplier.country={supplier}"] if supplier else []), *sets]
    out = tmp_path / f"{customer}-{supplier}.docx"
    result = pipeline.generate(SAMPLE, out, sources=bundled_sources, overrides=overrides, page_numbers=False)
    data = out.read_bytes()
    return Draft(result, reader.read(data), reader.read_clauses(data))


@pytest.mark.parametrize(("customer", "supplier"), [("japan", "vietnam"), ("japan", "india"), ("japan", "singapore"), ("japan", "thailand"),
                                                    ("south-korea", "india"), ("singapore", "vietnam"), ("thailand", "india")])
def test_a_customer_whose_law_controls_the_transfer_has_its_paragraph_in_the_data_clause(bundled_sources, tmp_path, customer, supplier):
    regime = REGIMES[customer]
    draft = _draft(bundled_sources, tmp_path, customer, supplier)
    paragraph = draft.starting(regime.transfers)
    assert paragraph is not None, draft.data_clause()
    assert regime.operative in paragraph.text
    # the draft names the customer's law, and the supplier's where it has one of its own
    assert regime.law in draft.definition()
    supplier_law = REGIMES[supplier].law if supplier in REGIMES else OTHER_LAWS[supplier]
    assert supplier_law in draft.definition()
    # the supplier's own law has its processor paragraph too (Singapore, Thailand), as India's and Vietnam's have theirs
    if supplier in REGIMES:
        assert draft.starting(REGIMES[supplier].processor) is not None
    # the counsel note reaches the draft as a comment on the clause, numbered as the draft numbers the paragraph
    assert regime.transfers_note in draft.notes()
    assert f"lause {paragraph.label} {regime.note_words}" in draft.data_comments()  # Clause 9.3 ..., or clause 9.3 ...
    assert draft.misfits() == []


@pytest.mark.parametrize("country", sorted(REGIMES))
def test_no_transfer_paragraph_when_the_supplier_works_under_the_customers_law(bundled_sources, tmp_path, country):
    regime = REGIMES[country]
    draft = _draft(bundled_sources, tmp_path, country, country)
    assert draft.starting(regime.transfers) is None and regime.transfers_note not in draft.notes()
    # the supplier's duties as processor under that law remain, with the law named and the note on them
    processor = draft.starting(regime.processor)
    assert processor is not None and regime.law in draft.definition()
    assert regime.processor_note in draft.notes() and f"clause {processor.label}" in draft.data_comments()
    assert draft.misfits() == []


@pytest.mark.parametrize("country", sorted(REGIMES))
def test_a_supplier_working_under_one_of_these_laws_has_its_processor_paragraph(bundled_sources, tmp_path, country):
    regime = REGIMES[country]
    draft = _draft(bundled_sources, tmp_path, "england-wales", country)  # a UK customer: the IDTA paragraph, and the supplier's law
    processor = draft.starting(regime.processor)
    assert processor is not None and draft.starting("Transfers from the United Kingdom.") is not None
    assert draft.starting(regime.transfers) is None
    assert regime.law in draft.definition()
    assert regime.processor_note in draft.notes() and f"clause {processor.label}" in draft.data_comments()
    assert draft.misfits() == []


@pytest.mark.parametrize("customer", sorted(REGIMES))
def test_without_personal_data_the_transfer_paragraph_stays_as_the_uk_one_does(bundled_sources, tmp_path, customer):
    """Test data may still hold personal data the customer approves (clause 9.1), so the transfer
    paragraphs do not depend on services.personal_data: the UK one does not, nor do these."""
    uk = _draft(bundled_sources, tmp_path, "england-wales", None, "services.personal_data=false")
    assert uk.starting("Personal data. The Services do not require") is not None
    assert uk.starting("Transfers from the United Kingdom.") is not None
    draft = _draft(bundled_sources, tmp_path, customer, None, "services.personal_data=false")
    assert draft.starting("Personal data. The Services do not require") is not None
    assert draft.starting(REGIMES[customer].transfers) is not None


def test_the_memo_and_explain_of_a_japanese_customers_draft_speak_only_of_its_paragraphs(tmp_path):
    out, memo = tmp_path / "japan.docx", tmp_path / "japan-memo.docx"
    sets = ["--set", "buyer.country=japan", "--set", "supplier.country=vietnam"]
    generated = CliRunner().invoke(cli, ["generate", str(SAMPLE), *sets, "-o", str(out), "--memo", str(memo), "--no-page-numbers"])
    assert generated.exit_code == 0, generated.output
    info = reader.read(out.read_bytes())
    paragraphs = {p.full: p.text for p in info.paragraphs if p.full.startswith("9.")}
    lines = [p.text for p in reader.read(memo.read_bytes()).paragraphs]
    japan = [line for line in lines if line.startswith("[Japan, clause 9]")]
    assert len(japan) == 2, japan
    transfers, processor = (next(line for line in japan if words in line) for words in ("APPI art. 28", "APPI art. 25"))
    # each note names the paragraph that does what it says, by the number the draft gives it
    assert "clause 9.3 lets the data go" in transfers and paragraphs["9.3"].startswith("Transfers from Japan.")
    assert "takes measures equivalent to those that Act requires" in paragraphs["9.3(a)"]
    assert "consent of the individuals concerned" in paragraphs["9.3(b)"]
    assert "clause 9.5 provides for that supervision" in processor and paragraphs["9.5"].startswith("Japanese law.")
    assert "Article 25" in paragraphs["9.5"] and "security control measures" in paragraphs["9.5"]
    assert not any("<<" in line for line in lines)
    assert any(line.startswith("Japan, clause 9: Entrusting personal data to a vendor abroad") for line in lines)  # items to verify
    # explain attaches the same notes, and says why the transfer note does not reach a draft with a Japanese supplier
    explained = json.loads(CliRunner().invoke(cli, ["explain", str(SAMPLE), *sets, "--format", "json"]).output)
    data = next(c for c in explained["clauses"] if c["clause"] == "services-data")
    assert {n["id"] for n in data["notes"] if n["attached"]} == {"jp-services-transfers", "jp-services-data", "vn-services-pdpl"}
    same = json.loads(CliRunner().invoke(cli, ["explain", str(SAMPLE), "--set", "buyer.country=japan", "--set", "supplier.country=japan",
                                               "--format", "json"]).output)
    notes = {n["id"]: n["attached"] for c in same["clauses"] if c["clause"] == "services-data" for n in c["notes"]}
    assert notes["jp-services-transfers"] is False and notes["jp-services-data"] is True
