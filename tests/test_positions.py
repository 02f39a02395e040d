"""Negotiation positions: the overall position, per-topic overrides, and their drafting notes."""

from __future__ import annotations

from conftest import SAMPLES

from clausewright import pipeline
from clausewright.ooxml import reader


def _sections(result):
    return {s.clause_id: s for s in result.composition.agreement.sections()}


def test_overall_position_and_a_per_topic_override(bundled_sources):
    result = pipeline.generate(SAMPLES / "vietnam-supplier.yaml", None, sources=bundled_sources,
                               overrides=["positions.overall=buyer", "positions.audit=supplier"])
    sections = _sections(result)
    assert sections["audit"].position == "supplier"
    assert sections["confidentiality"].position == "buyer"
    props = reader.read(result.docx).properties
    assert props["clausewright.clause.audit"].endswith("position:supplier")


def test_positions_change_the_drafting(bundled_sources):
    texts = {}
    for pos in ("buyer", "balanced", "supplier"):
        result = pipeline.generate(SAMPLES / "vietnam-supplier.yaml", None, sources=bundled_sources, overrides=[f"positions.overall={pos}"])
        info = reader.read(result.docx)
        texts[pos] = info.text()
    assert len({texts["buyer"], texts["balanced"], texts["supplier"]}) == 3


def test_drafting_notes_are_comments_only_when_asked(bundled_sources):
    plain = reader.read(pipeline.generate(SAMPLES / "vietnam-supplier.yaml", None, sources=bundled_sources).docx)
    assert not any(text.startswith("Negotiated topic") for text in plain.comments.values())
    result = pipeline.generate(SAMPLES / "vietnam-supplier.yaml", None, sources=bundled_sources, overrides=["agreement.position_notes=yes"])
    info = reader.read(result.docx)
    note = bundled_sources.library.clauses["confidentiality"].positions["balanced"]
    heading = next(p for p in info.paragraphs if p.text == "Confidentiality" and p.style == "Heading1")
    comments = [info.comments[c] for c in heading.comments]
    assert any(c.startswith("Negotiated topic confidentiality_duration, drafted at the balanced position: " + note) for c in comments)
    # the agreement's own text is the same: notes are comments, not clauses
    assert info.text() == plain.text()


def test_the_supplier_position_keeps_title_until_payment_and_limits_the_buyers_set_off(bundled_sources):
    """A supplier-favourable draft is one throughout: the supplier keeps title to the Products
    until they are paid for (a simple retention of title, with use and resale in the ordinary
    course allowed), and the buyer sets off only undisputed or decided claims; at the other
    positions title passes on delivery and any retention of title is excluded."""
    from clausewright.qa.drafting import plain_text

    for overall in ("buyer", "balanced", "supplier"):
        raw = pipeline.read_answers(SAMPLES / "vietnam-supplier.yaml", [f"positions.overall={overall}"])
        deal = pipeline.validate_deal(raw, bundled_sources)
        anchors = {p.anchor: plain_text(p) for p in pipeline.assemble(deal, bundled_sources, strict=False).agreement.paragraphs() if p.anchor}
        title, set_off = anchors["delivery.title"], anchors["price-payment.set-off"]
        if overall == "supplier":
            assert "when the Prices for them have been paid in full" in title and "resell them in the ordinary course" in title
            assert set_off.endswith("under this Agreement that is undisputed or has been finally decided by a court or arbitral tribunal.")
        else:
            assert "on the earlier of their delivery and their payment" in title and "Any retention of title" in title
            assert set_off.endswith("any amount the Supplier owes it under this Agreement.")
