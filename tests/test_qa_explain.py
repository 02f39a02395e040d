"""``clausewright explain``: why each clause is in or out, and what decided it."""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import ROOT
from qa_helpers import mini_copy, tooling_optional

from clausewright import pipeline
from clausewright.cli.main import cli
from clausewright.qa import explain
from clausewright.reads import expression_reads, template_reads


def _conditional_copy(tmp_path):
    copy = mini_copy(tmp_path)
    tooling_optional(copy)
    # without the schedule the Tooling definition has nothing to refer to: make it conditional too
    copy.edit("library/clauses/definitions.clause", "  Tooling: means the moulds listed in <<schedule-tooling>>.",
              "  Tooling:\n    text: means the moulds listed in <<schedule-tooling>>.\n    when: \"deal.tooling.applies\"")
    copy.edit("library/clauses/definitions.clause", "including [[Tooling]] drawings.", "including drawings.")
    return copy


def _explain(copy, overrides=()):
    sources = copy.sources()
    deal = pipeline.validate_deal(pipeline.read_answers(copy.deal, overrides), sources)
    composition = pipeline.assemble(deal, sources, strict=False)
    return {e.clause: e for e in explain.explain(sources.library, deal, sources.jurisdictions, composition)}


def test_names_the_deciding_parameter_of_a_left_out_clause(tmp_path):
    e = _explain(_conditional_copy(tmp_path))["schedule-tooling"]
    assert not e.included and e.when == "deal.tooling.applies"
    assert [(v.expression, v.value, v.origin) for v in e.decided_by] == [("deal.tooling.applies", False, "default")]


def test_names_the_deciding_parameter_of_an_included_clause(tmp_path):
    e = _explain(_conditional_copy(tmp_path), ["tooling.applies=yes"])["schedule-tooling"]
    assert e.included and e.number == "Schedule 1"
    assert [(v.expression, v.value, v.origin) for v in e.decided_by] == [("deal.tooling.applies", True, "deal")]


def test_position_drafting_note_notes_and_profiles(tmp_path):
    explained = _explain(mini_copy(tmp_path), ["positions.confidentiality_duration=buyer"])
    conf = explained["confidentiality"]
    assert conf.included and conf.number == "2"
    assert (conf.topic, conf.position, conf.position_from, conf.drafting_note) == ("confidentiality_duration", "buyer", "positions.confidentiality_duration", "Indefinite.")
    assert {(n.profile, n.id, n.attached, n.verify) for n in conf.notes} == {("vietnam", "vietnam-1", True, True), ("singapore", "singapore-1", True, True)}
    law = explained["law"]
    variants = {v.name: v for v in law.variants}
    assert variants["law"].source == "governing-law profile singapore 0.1.0" and variants["law"].selected_by == "law.governing_law"
    assert variants["law"].reads == ["law.governing_law.name"]
    assert variants["institution"].source.endswith("SIAC") and variants["seat"].source.endswith("singapore")


def test_conditional_definition(tmp_path):
    e = _explain(_conditional_copy(tmp_path))["definitions"]
    tooling = next(d for d in e.definitions if d["term"] == "Tooling")
    assert tooling["applies"] is False and tooling["decided_by"][0]["expression"] == "deal.tooling.applies"


def test_text_and_json_output(tmp_path):
    copy = _conditional_copy(tmp_path)
    runner = CliRunner()
    args = ["--library", str(copy.library), "--jurisdictions", str(copy.jurisdictions)]
    text = runner.invoke(cli, ["explain", str(copy.deal), *args])
    assert text.exit_code == 0, text.output
    assert "[OUT] schedule-tooling: Tooling" in text.output
    assert "condition: deal.tooling.applies  ->  false" in text.output and "deal.tooling.applies = no (default)" in text.output
    assert "law.* from governing-law profile singapore 0.1.0 (chosen by law.governing_law)" in text.output
    data = json.loads(runner.invoke(cli, ["explain", str(copy.deal), "--format", "json", *args]).output)
    tooling = next(c for c in data["clauses"] if c["clause"] == "schedule-tooling")
    assert tooling["included"] is False and tooling["decided_by"][0]["expression"] == "deal.tooling.applies"


def test_reads_walk_the_syntax_tree():
    reads = {r.dotted for r in template_reads(
        "{% set items = deal.tooling.register if deal.tooling.register is defined else [] %}{% for t in items %}{{ t.tag }}{% endfor %}"
        "{% set pen = law.get('penalty') or {} %}{{ pen.regime }}{% if included('audit') %}{{ deal['buyer'].name }}{% endif %}")}
    assert reads == {"deal.tooling.register", "deal.tooling.register[].tag", "law.penalty", "law.penalty.regime", "included('audit')", "deal.buyer.name"}
    assert [r.dotted for r in expression_reads("deal.disputes.method == 'arbitration' and seat.new_york_convention")] == [
        "deal.disputes.method", "seat.new_york_convention"]


def test_amounts_are_shown_with_the_deal_currency(tmp_path):
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/schedule-tooling.clause", "order: 10\n", 'order: 10\nwhen: "deal.commercial.price > 1000"\n')
    e = _explain(copy)["schedule-tooling"]
    assert [(v.expression, v.value, v.currency) for v in e.decided_by] == [("deal.commercial.price", 1250000, "VND")]
    assert e.decided_by[0].show() == "deal.commercial.price = VND 1,250,000 (deal)"  # the supplier's currency, from its profile
    args = ["--library", str(copy.library), "--jurisdictions", str(copy.jurisdictions)]
    runner = CliRunner()
    text = runner.invoke(cli, ["explain", str(copy.deal), "--set", "commercial.currency=USD", *args])
    assert text.exit_code == 0, text.output
    assert "deal.commercial.price = USD 1,250,000.00 (deal)" in text.output
    data = json.loads(runner.invoke(cli, ["explain", str(copy.deal), "--format", "json", *args]).output)
    tooling = next(c for c in data["clauses"] if c["clause"] == "schedule-tooling")
    assert tooling["decided_by"][0] == {"expression": "deal.commercial.price", "value": "1250000", "origin": "deal", "currency": "VND"}


def test_explain_runs_on_every_bundled_sample():
    """Every value a condition reads can be shown, including profile facts a profile leaves out."""
    from conftest import SAMPLES

    samples = sorted([*SAMPLES.glob("*.yaml"), *SAMPLES.glob("pack/*.yaml")])
    assert len(samples) >= 12
    for sample in samples:
        result = CliRunner().invoke(cli, ["explain", str(sample)])
        assert result.exit_code == 0, f"{sample.name}: {result.output}"
        assert "internal error" not in result.output


def test_explain_prints_no_template_code_for_any_sample():
    """What explain prints is rendered for the deal (a position's drafting note that tests the
    deal included), never the library's template code or a note's unresolved reference."""
    samples = sorted((ROOT / "samples").glob("*.yaml"))
    assert len(samples) >= 10
    for sample in samples:
        result = CliRunner().invoke(cli, ["explain", str(sample)])
        assert result.exit_code == 0, (sample.name, result.output[-500:])
        leaked = [line for line in result.output.splitlines() if "{%" in line or "{{" in line or "<<" in line]
        assert not leaked, (sample.name, leaked)  # a counsel note's clause reference reads as the draft's number
