"""Every draft is described in its own words: the key terms name only what the draft they describe
defines, no profile text reaching a draft speaks of another kind of agreement, and every message
about a draft names its parties as the draft does (the services agreement's Customer)."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES

from clausewright import pipeline
from clausewright.cli.main import cli
from clausewright.inputs.jurisdictions import load_jurisdictions
from clausewright.inputs.library import load_library
from clausewright.qa import library_check
from clausewright.qa import terms as key_terms

pytestmark = pytest.mark.timeout(300)

SERVICES = SAMPLES / "india-software-services.yaml"
ALL_SAMPLES = sorted([*SAMPLES.glob("*.yaml"), *(SAMPLES / "pack").glob("*.yaml")])


def run(*args):
    return CliRunner().invoke(cli, [*map(str, args)])


def _drafts(deal, sources):
    """Each document the deal file drafts (every document of a pack), validated and assembled."""
    raw = pipeline.read_answers(deal)
    listed = pipeline.documents_of(raw, sources, source=str(deal))
    for answers in [pipeline.for_document(raw, t, listed, sources) for t in listed] or [raw]:
        validated = pipeline.validate_deal(answers, sources, source=str(deal))
        yield validated, pipeline.assemble(validated, sources, strict=False)


def _combination(library_dir, jurisdictions_dir, **choices):
    """One combination of library check's matrix, run on the given library and profiles."""
    library = load_library(library_dir)
    jurisdictions = load_jurisdictions(jurisdictions_dir)
    library.schema.bind_catalogues(jurisdictions.catalogues(), jurisdictions.other_names())
    extra = tuple(choices.pop("extra", {}).items())
    combination = library_check.Combination(variant="all-on", extra=extra, **choices)
    return library_check.run_combination(library, jurisdictions, combination).findings


# --- 1. key terms -------------------------------------------------------------------------------


def test_the_services_key_terms_use_the_words_of_its_term_clause():
    result = run("terms", SERVICES, "--format", "json")
    assert result.exit_code == 0, result.output
    labels = {tid: t["label"] for tid, t in json.loads(result.output)["terms"].items()}
    assert labels["term.initial_years"] == "Initial period (years)"
    assert labels["term.renewal_years"] == "Length of each further period (years)"
    assert labels["dates.initial_term_end"] == "Last day of the initial period"
    assert not [label for label in labels.values() if "Initial Term" in label or "Renewal Period" in label]
    # the supply agreement keeps the terms its own term clause defines
    supply = json.loads(run("terms", SAMPLES / "vietnam-supplier.yaml", "--format", "json").output)["terms"]
    assert supply["term.renewal_years"]["label"] == "Length of each Renewal Period (years)"


@pytest.mark.parametrize("deal", ALL_SAMPLES, ids=lambda p: p.stem)
def test_every_samples_key_terms_name_only_what_its_draft_defines(bundled_sources, deal):
    library = bundled_sources.library
    for answers, composition in _drafts(deal, bundled_sources):
        terms = key_terms.key_terms(library, answers, bundled_sources.jurisdictions, composition)
        found = key_terms.undefined_terms(terms, composition.agreement, library.type_of(answers), key_terms.defined_terms(library))
        assert [(t.spec.id, where, name) for t, where, name in found] == []


def test_library_check_reports_a_key_term_that_names_what_its_draft_does_not_define(tmp_path):
    library = tmp_path / "clause_library"
    shutil.copytree(ROOT / "clause_library", library)
    services = library / "types" / "services.yaml"
    text = services.read_text(encoding="utf-8")
    start = text.index("key_term_words:")
    services.write_text(text[:start] + text[text.index("wording:", start):], encoding="utf-8")
    jurisdictions = ROOT / "jurisdictions"
    found = [m for fid, m, _ in _combination(library, jurisdictions, type="services", law="singapore", supplier="india", position="balanced")
             if fid == library_check.KEY_TERM]
    assert any("term.initial_years" in m and "'Initial Term'" in m for m in found), found
    assert any("term.renewal_years" in m and "'Renewal Period'" in m for m in found), found
    # the bundled library: none, for any type
    for kind in ("supply", "services", "nnn"):
        assert not [m for fid, m, _ in _combination(ROOT / "clause_library", jurisdictions, type=kind, law="singapore", supplier="india", position="buyer")
                    if fid == library_check.KEY_TERM]
