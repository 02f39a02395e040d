"""Every cross-reference lands on the sub-clause that holds what the sentence says it holds.

For deals covering all three positions, every governing law and the main options, the
agreement is composed with the Python API, every reference is listed with the text of its
target paragraph, and the test fails when:

- the words just before a reference speak of a period, a number of days or months, a notice
  period, a sum, an amount or a cap, but the target holds no number;
- a reference says the Buyer buys something under a clause whose text (in that position) gives
  no right to buy;
- a reference points at nothing (an excluded clause or a missing anchor).
"""

from __future__ import annotations

import re

import library_matrix
import pytest

from clausewright.assembly.model import Ref

# Words just before a reference that promise a figure in the target ("for the period in clause").
QUANTITY = re.compile(r"\b(period|periods|days?|months?|notice period|sums?|amounts?|cap)\b[^.;:]{0,30}$", re.I)
NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|thirty|sixty|ninety)\b", re.I)

OPTION_VARIANTS = [
    {"liquidated_damages.applies": True, "liquidated_damages.basis": "amount", "liquidated_damages.amount": 100000},
    {"tooling.applies": False},
    {"subcontracting.allowed": True},
    {"disputes.method": "courts"},
    {"disputes.mediation": True},
]


def _deals():
    for law, supplier, position, variant in library_matrix.sampled_combinations():
        yield law, supplier, position, variant, None
    for position in library_matrix.POSITIONS:
        for extra in OPTION_VARIANTS:
            yield "england-wales", "vietnam", position, "defaults", extra
            yield "germany", "china", position, "all-on", extra


def _references(comp):
    targets = {}
    for section in comp.agreement.sections():
        for p in section.paragraphs:
            if p.anchor:
                targets[p.anchor] = p
    for section in comp.agreement.sections():
        for p in section.paragraphs:
            text = library_matrix.paragraph_text(p)
            cursor = 0
            for item in p.all_inlines():
                if isinstance(item, Ref):
                    at = text.find(item.text, cursor)
                    cursor = at + len(item.text) if at >= 0 else cursor
                    yield section.clause_id, text[: max(at, 0)], text, item, targets.get(item.target)
    for d in comp.agreement.definitions:
        text = library_matrix.inline_text(d.inlines)
        for item in d.inlines:
            if isinstance(item, Ref):
                at = text.find(item.text)
                yield "definitions", text[: max(at, 0)], text, item, targets.get(item.target)


def _with_sub_paragraphs(comp, target) -> str:
    """A sub-clause's text with the paragraphs below it (its (a), (b), ...): a reference to
    clause 17.4 covers the tiers listed in 17.4(a) to (c)."""
    for section in comp.agreement.sections():
        if target in section.paragraphs:
            at = section.paragraphs.index(target)
            texts = [library_matrix.paragraph_text(target)]
            for p in section.paragraphs[at + 1:]:
                if p.kind == "numbered" and p.level <= target.level:
                    break
                texts.append(library_matrix.paragraph_text(p))
            return " ".join(texts)
    return library_matrix.paragraph_text(target)


def _problems():
    problems = set()
    for law, supplier, position, variant, extra in _deals():
        _, comp = library_matrix.composition(law, supplier, position, variant, extra)
        label = f"{law}/{supplier}/{position}/{variant}/{extra or ''}"
        for clause, before, _sentence, ref, target in _references(comp):
            if target is None:
                problems.add(f"{label}: {clause} refers to {ref.target}, which is not in the agreement")
                continue
            target_text = _with_sub_paragraphs(comp, target)
            if target.kind == "heading":
                # a whole clause: its figures are in its sub-clauses, so look at all of them
                section = next(s for s in comp.agreement.sections() if s.clause_id == ref.target)
                target_text = " ".join(library_matrix.paragraph_text(p) for p in section.paragraphs)
            window = before[-60:]
            # a period, sum or notice must be referred to on the sub-clause that states it, never a whole clause
            if QUANTITY.search(window) and (target.kind == "heading" or not NUMBER.search(target_text)):
                problems.add(f"{clause}: “…{window}{ref.text}” points at {ref.target}, which states no figure ({position})")
            if re.search(r"\bbuys?\b[^.;]{0,40}$", window) and not re.search(r"\bbuy\b", target_text):
                problems.add(f"{clause}: “…{window}{ref.text}” points at {ref.target}, which gives no right to buy ({position})")
    return sorted(problems)


def test_every_reference_lands_on_the_content_it_names():
    problems = _problems()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("position", library_matrix.POSITIONS)
def test_the_force_majeure_period_is_where_termination_points(position):
    _, comp = library_matrix.composition("england-wales", "vietnam", position, "all-on")
    text = library_matrix.agreement_text(comp)
    sentence = re.search(r"Force Majeure Event prevents the Supplier from performing for longer than the period stated in clause (\S+)\.", text)
    assert sentence, "the termination ground for force majeure is missing"
    number = sentence.group(1)
    target = next(p for p in comp.agreement.paragraphs() if p.ref_text == number)
    assert "60 days" in library_matrix.paragraph_text(target)
