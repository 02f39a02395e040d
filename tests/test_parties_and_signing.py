"""Who the parties are and how they sign: names in their own script, the kind of registration
identifier, the signatory's capacity (legal representative, power of attorney with its date,
board resolution, the directors named in a Thai company affidavit), the place of signing, and each
country's signing formalities in the signature blocks and the memo."""

from __future__ import annotations

import io

import docx
import pytest
from conftest import SAMPLES

from clausewright import pipeline
from clausewright.bulk.layout import Layout
from clausewright.ooxml import reader


def _generate(bundled_sources, sample, *overrides, memo=None):
    return pipeline.generate(SAMPLES / sample, None, overrides=list(overrides), sources=bundled_sources, memo=memo)


def _signature_blocks(data: bytes) -> str:
    text = reader.read(data).text()
    start = text.index("Signed for and on behalf of")
    return text[start: text.index("SCHEDULE", start) if "SCHEDULE" in text[start:] else None]


def test_parties_block_names_the_local_name_and_the_kind_of_identifier(bundled_sources):
    text = reader.read(_generate(bundled_sources, "shenzhen-electronics.yaml").docx).text()
    assert "Shenzhen Huaxin Precision Electronics Co., Ltd. (深圳市华信精密电子有限公司)" in text
    assert "with Unified Social Credit Code 91440300MA5F3K2X7Q" in text
    thai = reader.read(_generate(bundled_sources, "thai-die-caster.yaml").docx).text()
    assert "(บริษัท สยาม อีสเทิร์น ไดคาสติ้ง จำกัด)" in thai and "juristic person registration number 0215558001234" in thai


@pytest.mark.parametrize(("sample", "expected"), [
    ("shenzhen-electronics.yaml", ["Legal representative", "Shenzhen, People's Republic of China", "Affix the company chop here"]),
    ("thai-die-caster.yaml", ["Authorised directors signing jointly, as named in the company affidavit", "Rayong, Thailand", "Pimchanok Srisuk",
                              "Affix the company seal here if the company affidavit requires it", "Affix the company’s registered seal (jitsuin) here"]),
    ("bengaluru-engineering.yaml", ["Authorised by a resolution of the board of directors dated 18 November 2026 (certified copy to be delivered at signing)"]),
    ("mexico-maquiladora.yaml", ["Attorney-in-fact (apoderado) under public deed no. ________ dated March 14, 2025, granted before notary public no."]),
])
def test_signature_blocks_carry_capacity_place_and_seal(bundled_sources, sample, expected):
    blocks = _signature_blocks(_generate(bundled_sources, sample).docx)
    for piece in expected:
        assert piece in blocks, piece
    assert "Capacity" in blocks and "Place" in blocks
    # one signature line per signatory: a second one only where two sign jointly
    assert blocks.splitlines().count("Signature") == (3 if sample == "thai-die-caster.yaml" else 2)


def test_a_missing_title_is_left_for_the_signatory_not_assumed(bundled_sources):
    raw = pipeline.read_answers(SAMPLES / "vietnam-supplier.yaml")
    del raw["supplier"]["signatory"]["title"]
    result = pipeline.draft(raw, bundled_sources)
    blocks = _signature_blocks(result.docx)
    assert "Legal Representative" not in blocks.split("(the Supplier)")[1].split("Capacity")[0]  # no title asserted by default
    assert "Legal representative" in blocks  # the capacity, which the deal gives


def test_legal_representative_is_not_assumed_where_the_law_does_not_know_it(bundled_sources):
    for sample in ("thai-die-caster.yaml", "bengaluru-engineering.yaml", "singapore-law.yaml", "mexico-maquiladora.yaml"):
        result = _generate(bundled_sources, sample)
        body = reader.read(result.docx).text().split("Signed for and on behalf of")[0]
        assert "legal representative" not in body.lower(), sample


def test_check_flags_a_title_that_contradicts_the_capacity_or_the_notices(bundled_sources):
    result = _generate(bundled_sources, "vietnam-supplier.yaml", "supplier.signatory.title=Legal Representative", "supplier.signatory.authority=power_of_attorney")
    found = [f for f in result.findings if f.id == "signatory-inconsistent"]
    assert len(found) == 2  # the capacity, and the notices' "General Director"
    assert any("power of attorney" in f.message for f in found) and any("General Director" in f.message for f in found)
    assert not [f for f in _generate(bundled_sources, "vietnam-supplier.yaml").findings if f.id == "signatory-inconsistent"]


def test_memo_has_the_signing_formalities(bundled_sources, tmp_path):
    memo = tmp_path / "memo.docx"
    _generate(bundled_sources, "thai-die-caster.yaml", memo=memo)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(memo.read_bytes())).paragraphs)
    assert "Signing" in text
    assert "Supplier signs by Somchai Wongsakul and Pimchanok Srisuk; authorised directors signing jointly, as named in the company affidavit; at Rayong, Thailand." in text
    assert "Supplier, Thailand — Stamp duty:" in text and "Buyer, Japan — Seal:" in text


def test_bulk_spreadsheet_has_the_new_columns(bundled_sources):
    columns = {c.name for c in Layout(bundled_sources.schema).template_columns()}
    for pid in ("supplier.local_name", "supplier.registration_type", "supplier.signatory.authority", "supplier.signatory.authority_date", "supplier.signatory.place"):
        assert pid in columns, pid


def test_a_country_states_an_attorneys_capacity_in_its_own_form(bundled_sources):
    """A Mexican supplier's attorney signs under a notarial deed: the signature block and the memo
    state the capacity in the Mexico profile's words, with the date of the power; a signatory of
    a country without such words keeps the library's wording."""
    from clausewright.assembly.front_matter import capacity, signature_blocks

    raw = pipeline.read_answers(SAMPLES / "mexico-maquiladora.yaml")
    deal = pipeline.validate_deal(raw, bundled_sources)
    assert deal.get("supplier.signatory.authority") == "power_of_attorney"
    wording = bundled_sources.library.wording_for(bundled_sources.library.type_of(deal))
    supplier = signature_blocks(deal, bundled_sources.jurisdictions, wording)[1]
    assert supplier.capacity.startswith("Attorney-in-fact (apoderado) under public deed no.") and "Public Registry of Commerce" in supplier.capacity
    assert "dated March 14, 2025" in supplier.capacity or "14 March 2025" in supplier.capacity
    assert capacity(deal, "supplier", wording).startswith("Attorney under a power of attorney dated")  # without the profiles: the library's words
    other = pipeline.validate_deal(pipeline.read_answers(SAMPLES / "vietnam-supplier.yaml", ["supplier.signatory.authority=power_of_attorney"]), bundled_sources)
    vn = signature_blocks(other, bundled_sources.jurisdictions, wording)[1]
    assert vn.capacity.startswith("Attorney under a power of attorney dated")
