"""The remedies paragraph speaks each law's language: under a civil-law system the Buyer's claims
to performance and to injunctions exist as of right and interim measures are for the court, so
the draft neither argues that damages are inadequate nor asks the Supplier to waive security; a
common-law draft keeps the adequacy-of-damages acknowledgement its courts look for."""

from __future__ import annotations

import copy

import pytest
import yaml
from conftest import ROOT

from clausewright import pipeline
from clausewright.qa.drafting import plain_text

SAMPLES = {"supply": "vietnam-supplier.yaml", "nnn": "shenzhen-nnn.yaml"}
CLAUSE = {"supply": "remedies", "nnn": "nnn-damages"}
COMMON_LAW_ONLY = ("adequate remedy", "compensated in money", "shall not oppose", "given security", "special damage")


def _injunctive(sources, kind: str, law: str) -> str:
    raw = yaml.safe_load((ROOT / "samples" / SAMPLES[kind]).read_text(encoding="utf-8"))
    raw = copy.deepcopy(raw)
    raw.setdefault("law", {})["governing_law"] = law
    deal = pipeline.validate_deal(raw, sources)
    composition = pipeline.assemble(deal, sources, strict=False)
    paragraph = next(p for p in composition.agreement.paragraphs() if p.anchor == f"{CLAUSE[kind]}.injunctive")
    return plain_text(paragraph)


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_the_remedies_paragraph_follows_the_legal_system_of_the_governing_law(bundled_sources, kind):
    seen = set()
    for pid, profile in sorted(bundled_sources.jurisdictions.profiles.items()):
        system = profile.data["governing_law"]["system"]
        text = _injunctive(bundled_sources, kind, pid)
        seen.add(system)
        if system == "civil":
            assert "claims to performance" in text and "interim measures" in text, (pid, text)
            assert not [w for w in COMMON_LAW_ONLY if w in text], (pid, text)
        else:
            assert "damages alone may not be an adequate remedy" in text, (pid, text)
    assert seen == {"civil", "common"}


def test_the_contra_proferentem_exclusion_yields_where_standard_terms_are_controlled(bundled_sources):
    """Where the law controls standard business terms (German law: an ambiguity in them is read
    against the party that proposed them, and that cannot be excluded), the interpretation clause
    excludes the rule only as far as the law allows."""
    raw = yaml.safe_load((ROOT / "samples" / SAMPLES["supply"]).read_text(encoding="utf-8"))
    for pid, profile in sorted(bundled_sources.jurisdictions.profiles.items()):
        deal = pipeline.validate_deal({**copy.deepcopy(raw), "law": {"governing_law": pid}}, bundled_sources)
        text = "\n".join(plain_text(p) for p in pipeline.assemble(deal, bundled_sources, strict=False).agreement.paragraphs())
        line = next(t for t in text.splitlines() if "no rule of interpretation applies" in t)
        controlled = bool((profile.data["governing_law"].get("standard_terms") or {}).get("control"))
        assert line.startswith("to the extent the law allows") is controlled, (pid, line)
