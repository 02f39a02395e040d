"""Courts instead of arbitration: what a draft needs when the courts are not where the supplier is
(an agent for service of process there, a jury waiver before courts that try civil cases by jury,
the notices clause pointing at the agent) and the warning when their judgment cannot simply be
registered where the supplier and its assets are."""

from __future__ import annotations

import copy

import pytest
import yaml
from conftest import ROOT

from clausewright import pipeline
from clausewright.qa.drafting import plain_text

MEXICO = ROOT / "samples" / "mexico-maquiladora.yaml"


def _draft(sources, **changes):
    raw = copy.deepcopy(yaml.safe_load(MEXICO.read_text(encoding="utf-8")))
    for dotted, value in changes.items():
        node = raw
        *parents, leaf = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    deal = pipeline.validate_deal(raw, sources)
    composition, findings = pipeline.assemble_checked(deal, sources, allow=("placeholder-unfilled",), answers=raw)
    anchors = {p.anchor: plain_text(p) for p in composition.agreement.paragraphs() if p.anchor}
    return anchors, findings


def test_courts_abroad_get_an_agent_for_service_and_the_notices_clause_points_to_it(bundled_sources):
    anchors, findings = _draft(bundled_sources, **{"disputes.method": "courts", "disputes.courts": "new-york",
                                                   "disputes.process_agent": "Corporate Service Agents LLC, Albany, NY"})
    agent = anchors["dispute-resolution.process-agent"]
    assert "irrevocably appoints Corporate Service Agents LLC, Albany, NY as its agent" in agent
    receipt = anchors["general.notice-receipt"]
    assert "service of documents in legal proceedings (clause 22.5 provides for it)" in receipt and "arbitral" not in receipt
    assert "Each Party waives" in anchors["dispute-resolution.jury-waiver"]
    warned = [f for f in findings if f.id == "judgment-not-registrable"]
    assert warned and "recognition (homologación) by a Mexican court" in warned[0].message and warned[0].verify


def test_without_an_agent_the_draft_asks_for_one_before_signature(bundled_sources):
    anchors, findings = _draft(bundled_sources, **{"disputes.method": "courts", "disputes.courts": "england-wales"})
    assert "[name and address of the Supplier’s agent for service in England and Wales]" in anchors["dispute-resolution.process-agent"]
    assert any(f.id == "placeholder-unfilled" and f.clause == "dispute-resolution" for f in findings)
    assert "dispute-resolution.jury-waiver" not in anchors  # English courts do not try contract claims by jury


def test_the_suppliers_own_courts_need_no_agent_and_arbitration_keeps_its_wording(bundled_sources):
    anchors, findings = _draft(bundled_sources, **{"disputes.method": "courts", "disputes.courts": "mexico"})
    assert "dispute-resolution.process-agent" not in anchors and "dispute-resolution.jury-waiver" not in anchors
    assert not [f for f in findings if f.id == "judgment-not-registrable"]
    anchors, _ = _draft(bundled_sources)
    assert "dispute-resolution.process-agent" not in anchors
    assert "arbitral or legal proceedings" in anchors["general.notice-receipt"]


@pytest.mark.parametrize("supplier", ["thailand", "mexico", "india"])
def test_a_supplier_country_that_does_not_register_foreign_judgments_is_warned_of(bundled_sources, supplier):
    profile = bundled_sources.jurisdictions.profiles[supplier]
    rule = profile.data["courts"]["foreign_judgments"]
    assert rule.get("citation")
    courts = next(p for p in ("new-york", "germany") if p not in (rule.get("registrable_from") or []))
    _, findings = _draft(bundled_sources, **{"supplier.country": supplier, "disputes.method": "courts", "disputes.courts": courts})
    warned = [f for f in findings if f.id == "judgment-not-registrable"]
    assert len(warned) == 1 and profile.name in warned[0].message
    assert str(rule.get("otherwise") or "sued on afresh").split()[2] in warned[0].message
