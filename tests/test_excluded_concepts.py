"""A draft never refers to a clause, sub-clause or defined concept that the deal left out.

Over a sample of laws, supplier countries and positions, with the options that add or remove
clauses switched both ways, no sentence may speak of agreed damages, a Security Incident,
Tooling or approved subcontractors when the clause that provides them is absent.
"""

from __future__ import annotations

import re

import library_matrix
import pytest

AGREED_DAMAGES = re.compile(r"liquidated damages|agreed damages|Agreed Sum|Specified Breach|contractual penalty|sum payable under clause", re.I)
TOOLING = re.compile(r"\bTooling\b")
SUBCONTRACTOR_SCHEDULE = re.compile(r"Approved Subcontractors\s*$|listed in Schedule \d+", re.M)

SAMPLE = [
    ("england-wales", "vietnam"), ("germany", "china"), ("vietnam", "vietnam"), ("new-york", "mexico"),
    ("india", "india"), ("japan", "south-korea"), ("singapore", "thailand"),
]


def _text(law, supplier, position, extra):
    deal, comp = library_matrix.composition(law, supplier, position, "defaults", extra)
    included = {s.clause_id for s in comp.agreement.sections()}
    return deal, included, library_matrix.agreement_text(comp)


@pytest.mark.parametrize("position", library_matrix.POSITIONS)
def test_no_agreed_damages_language_without_agreed_damages(position):
    for law, supplier in SAMPLE:
        _, _, text = _text(law, supplier, position, {"liquidated_damages.applies": False})
        hits = [s for s in library_matrix.sentences(text) if AGREED_DAMAGES.search(s)]
        assert not hits, f"{law}/{supplier}: " + " | ".join(hits)
        _, _, text = _text(law, supplier, position, {"liquidated_damages.applies": True, "liquidated_damages.basis": "amount", "liquidated_damages.amount": 100000})
        assert re.search(r"any sum payable under clause \d+\.\d+", text), "the uncapped agreed sum is missing when agreed damages apply"


@pytest.mark.parametrize("position", library_matrix.POSITIONS)
def test_no_tooling_language_without_the_tooling_clause(position):
    for law, supplier in SAMPLE:
        _, included, text = _text(law, supplier, position, {"tooling.applies": False})
        assert "tooling" not in included
        hits = [s for s in library_matrix.sentences(text) if TOOLING.search(s)]
        assert not hits, f"{law}/{supplier}: " + " | ".join(hits)


@pytest.mark.parametrize("position", library_matrix.POSITIONS)
def test_no_subcontractor_schedule_language_without_the_schedule(position):
    for law, supplier in SAMPLE[:3]:
        _, included, text = _text(law, supplier, position, {"subcontracting.allowed": False})
        assert "schedule-subcontractors" not in included
        body = text.split("\nSchedule", 1)[0]
        assert not re.search(r"subcontractor listed in", body), "a schedule of subcontractors is referred to but absent"


@pytest.mark.parametrize("position", library_matrix.POSITIONS)
def test_security_incident_only_with_the_information_security_clause(position):
    for law, supplier in SAMPLE:
        _, included, text = _text(law, supplier, position, {})
        if "Security Incident" in text:
            assert "information-security" in included


def test_security_incident_costs_agree_with_the_uncapped_heads():
    """The costs of a Security Incident caused by a breach of confidentiality or security are
    never said to be subject to the cap."""
    for position in library_matrix.POSITIONS:
        for law, supplier in SAMPLE:
            _, _, text = _text(law, supplier, position, {})
            for s in library_matrix.sentences(text):
                if "Security Incident" in s and re.search(r"subject to the cap", s):
                    raise AssertionError(f"{position}: {s}")
