"""Guards for the tooling clause (title, amortisation, return) and the graded agreed-damages
clause (each governing law's own penalty test, caps, counsel notes).

The matrices assemble agreements in memory through ``clausewright.pipeline`` (no DOCX is built),
over every governing law and every position; the engine-rule guards go through the CLI."""

from __future__ import annotations

import copy
import json
import re

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT, SAMPLES

from clausewright import pipeline
from clausewright.cli.main import cli
from clausewright.qa.drafting import plain_text

SAMPLE = SAMPLES / "all-options.yaml"
PROFILES = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "jurisdictions" / "profiles").glob("*.yaml"))}
LAWS = sorted(PROFILES)
POSITIONS = ("buyer", "balanced", "supplier")
TESTS = {"cavendish", "dunlop", "truck_rent_a_center", "vertragsstrafe", "capped_penalty", "penalty_within_principal",
         "reasonable_compensation", "reducible"}

REGISTER = [
    {"tag": "T-1", "description": "Mould, supplied", "funding": "supplied", "replacement_value": 1000},
    {"tag": "T-2", "description": "Mould, tooling price", "funding": "buyer_paid", "rated_life": 500000, "tooling_price": 4800},
    {"tag": "T-3", "description": "Mould, amortised", "funding": "amortised", "amortisation_amount": 36500, "amortisation_quantity": 200000},
    {"tag": "T-4", "description": "Die, amortised by period", "funding": "amortised", "amortisation_amount": 12000, "amortisation_months": 24},
    {"tag": "T-5", "description": "Fixture, supplier's own", "funding": "supplier_funded"},
]


def _raw(**changes):
    raw = pipeline.read_answers(SAMPLE)
    raw["tooling"] = {"applies": True, "register": copy.deepcopy(REGISTER)}
    for dotted, value in changes.items():
        node = raw
        *parents, leaf = dotted.split("__")
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    return raw


def _assemble(sources, raw):
    deal = pipeline.validate_deal(raw, sources)
    return pipeline.assemble(deal, sources, strict=False)


def _section(composition, clause_id):
    return next(s for s in composition.agreement.sections() if s.clause_id == clause_id)


def _text(section) -> str:
    return "\n".join(plain_text(p) for p in section.paragraphs)


def _anchors(composition):
    return {p.anchor: p for s in composition.agreement.sections() for p in s.paragraphs if p.anchor}


# --- tooling ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tooling_drafts(bundled_sources):
    out = {}
    for law in LAWS:
        for position in POSITIONS:
            raw = _raw(law__governing_law=law, positions__tooling=position)
            out[law, position] = _assemble(bundled_sources, raw)
    return out


@pytest.mark.parametrize("position", POSITIONS)
def test_tooling_clause_and_schedule_assemble_cleanly_in_every_position(tooling_drafts, position):
    for law in LAWS:
        composition = tooling_drafts[law, position]
        errors = [f"{f.id}: {f.message}" for f in composition.findings if f.severity == "error"]
        assert errors == [], (law, position, errors)
        anchors = _anchors(composition)
        for anchor in ("ownership", "register", "shot-count", "use", "location", "maintenance", "care", "return", "return-unconditional"):
            assert f"tooling.{anchor}" in anchors, (law, position, anchor)
        schedule = _text(_section(composition, "schedule-tooling"))
        # the schedule computes the amount per part (or month) from the register
        assert "over 200,000 parts" in schedule and "0.1825 per part" in schedule, schedule
        assert "over 24 months" in schedule and "500.00 per month" in schedule, schedule
        assert "[" not in schedule.split("Replacement value", 1)[1], "a complete register needs no placeholder"
        assert "USD 4,800.00 (tooling price)" in schedule and "(rated life 500,000 shots)" in schedule, schedule


OWNERS = {  # the register's owner of each item, as clause tooling.ownership gives it at each position
    "buyer": ["owned by the Buyer", "owned by the Buyer |", "owned by the Buyer |", "owned by the Buyer |", "owned by the Buyer |"],
    "balanced": ["owned by the Buyer", "owned by the Buyer once the price is paid", "owned by the Buyer |", "owned by the Buyer |", "owned by the Supplier"],
    "supplier": ["owned by the Buyer", "owned by the Buyer once the price is paid", "owned by the Supplier until amortised, then the Buyer",
                 "owned by the Supplier until amortised, then the Buyer", "owned by the Supplier"],
}


@pytest.mark.parametrize("position", POSITIONS)
def test_the_register_and_the_return_clause_follow_the_ownership_position(tooling_drafts, position):
    """The register says who owns each item as clause tooling.ownership does; and only where the
    Buyer owns Amortised Tooling before it is paid off does taking it back mean paying its
    Unrecovered Balance (at the supplier position that tooling is not the Buyer's to take)."""
    for law in LAWS:
        composition = tooling_drafts[law, position]
        rows = [r for r in _text(_section(composition, "schedule-tooling")).splitlines() if r.startswith("T-")]
        assert len(rows) == 5
        for row, owner in zip(rows, OWNERS[position], strict=True):
            assert owner in row + " |", (law, position, row)
        anchors = _anchors(composition)
        returned = plain_text(anchors["tooling.return"])
        unconditional = plain_text(anchors["tooling.return-unconditional"])
        takes_back = "takes back an item of Amortised Tooling" in returned
        assert takes_back is (position != "supplier"), (law, position, returned)
        assert ("including any Unrecovered Balance" in unconditional) is (position != "supplier"), (law, position)


@pytest.mark.parametrize("position", POSITIONS)
def test_the_buyer_never_pays_twice_for_tooling(tooling_drafts, position):
    for law in LAWS:
        composition = tooling_drafts[law, position]
        text = "\n".join(plain_text(p) for p in composition.agreement.paragraphs()).lower()
        assert "net book value" not in text and "book value" not in text, (law, position)
        tooling = _text(_section(composition, "tooling"))
        anchors = _anchors(composition)
        if position == "buyer":
            assert "Title to all Tooling vests in the Buyer when it is made or acquired" in tooling
        if position == "balanced":
            assert "Title to Amortised Tooling vests in the Buyer when it is made or acquired" in tooling
            assert "Unrecovered Balance of each item of Amortised Tooling against its return" in plain_text(anchors["tooling.exit-settlement"])
        if position == "supplier":
            buy = plain_text(anchors["tooling.buy-out"]) + plain_text(anchors["tooling.buy-out"])
            following = [plain_text(p) for p in _section(composition, "tooling").paragraphs]
            joined = "\n".join(following)
            assert "any item of Amortised Tooling that belongs to the Supplier, for its Unrecovered Balance" in joined
            assert "never pays again" in joined and "may by notice buy" in buy
        if "tooling.buy-out" in anchors:
            # any other purchase is at cost less what the Buyer has already paid
            assert "less any part of that cost already recovered through the Prices" in tooling


def _refs_in(paragraph):
    from clausewright.assembly.model import Ref

    return [i for i in paragraph.all_inlines() if isinstance(i, Ref)]


BUY_PHRASE = re.compile(r"buys? under clause|bought under clause|buy under clause")


def _buy_refs(composition, clause_ids):
    """(paragraph text, target) for each reference that names a purchase right."""
    out = []
    for section in composition.agreement.sections():
        if section.clause_id not in clause_ids:
            continue
        for p in section.paragraphs:
            text = plain_text(p)
            for ref in _refs_in(p):
                # the reference is the one right after the phrase
                m = BUY_PHRASE.search(text)
                if m and text.find(ref.text, m.end()) == m.end() + 1:
                    out.append((text, ref.target))
    return out


@pytest.mark.parametrize("position", POSITIONS)
def test_tooling_references_land_on_the_subclause_that_grants_the_right(tooling_drafts, position):
    for law in LAWS:
        composition = tooling_drafts[law, position]
        anchors = _anchors(composition)
        for text, target in _buy_refs(composition, {"tooling", "schedule-tooling", "remedies"}):
            assert target in anchors and "may by notice buy" in plain_text(anchors[target]), (law, position, text)
        # "Buyer Tooling" covers what the Buyer buys: the buy-out sub-clause exists wherever the
        # Supplier may own Tooling
        if position != "buyer":
            assert "tooling.buy-out" in anchors
        ownership = plain_text(anchors["tooling.ownership"])
        return_ref = plain_text(anchors["tooling.return-unconditional"])
        assert "Ownership" in ownership and anchors["tooling.return"].ref_text in return_ref


def test_consequences_of_termination_points_at_the_purchase_right(tooling_drafts):
    for (law, position), composition in tooling_drafts.items():
        anchors = _anchors(composition)
        for text, target in _buy_refs(composition, {"consequences-termination"}):
            assert target in anchors and "may by notice buy" in plain_text(anchors[target]), (law, position, text)


@pytest.mark.parametrize("position", POSITIONS)
def test_return_of_tooling_is_unconditional_even_in_force_majeure(tooling_drafts, position):
    composition = tooling_drafts["england-wales", position]
    text = plain_text(_anchors(composition)["tooling.return-unconditional"])
    assert "is unconditional" in text and "Force Majeure Event" in text and "set-off" in text


@pytest.mark.parametrize("position", POSITIONS)
def test_moulds_have_shot_count_reporting_and_maintenance(tooling_drafts, position):
    anchors = _anchors(tooling_drafts["vietnam", position])
    shots = plain_text(anchors["tooling.shot-count"])
    assert "calendar quarter" in shots and "request" in shots and "80% of its rated life" in shots
    assert "refurbish" in plain_text(anchors["tooling.maintenance"])


def _check_json(*sets):
    runner = CliRunner()
    result = runner.invoke(cli, ["check", str(SAMPLE), "--format", "json", *sum((["--set", s] for s in sets), [])])
    return json.loads(result.output)


def test_check_flags_tooling_kept_away_from_approved_sites():
    # NL-T-003 is kept at "Quality laboratory, Nave 7", not at the supplier's site or an approved
    # subcontractor's address
    data = _check_json("tooling.register.3.location=Warehouse 9, Calle Falsa 123, Monterrey")
    found = [f for f in data["findings"] if f["id"] == "tooling-location-unapproved"]
    assert found and found[0]["severity"] == "warning" and "NL-T-003" in found[0]["message"]


def test_check_flags_amortised_tooling_without_a_basis():
    # NL-T-002 is amortised; take away its amount and period
    data = _check_json("tooling.register.2.amortisation_amount=", "tooling.register.2.amortisation_months=")
    found = [f for f in data["findings"] if f["id"] == "tooling-amortisation-missing"]
    assert found and found[0]["severity"] == "warning" and "NL-T-002" in found[0]["message"]


# --- agreed damages ------------------------------------------------------------------------------------


def test_every_profile_declares_its_penalty_test():
    for law, data in PROFILES.items():
        pen = data["penalty"]
        assert pen.get("test") in TESTS, law
        assert pen.get("basis") and pen.get("citation") and str(pen.get("last_reviewed")) >= "2026-12-03", law
        if "(verify)" in pen["basis"]:
            assert pen.get("verify") is True, law


@pytest.fixture(scope="module")
def remedies_drafts(bundled_sources):
    out = {}
    for law in LAWS:
        for position in POSITIONS:
            for basis in ("amount", "percent"):
                extra = {"liquidated_damages__amount": 400000} if basis == "amount" else {"liquidated_damages__percent": 8}
                raw = _raw(law__governing_law=law, positions__liquidated_damages=position, liquidated_damages__applies=True,
                           liquidated_damages__basis=basis, **extra)
                if basis == "percent":
                    raw["liquidated_damages"].pop("amount", None)
                out[law, position, basis] = _assemble(bundled_sources, raw)
    return out


FORBIDDEN_EVERYWHERE = ("compel", "deter", "in terrorem", "secure performance", "punish")


@pytest.mark.parametrize("law", LAWS)
def test_remedies_use_the_governing_laws_own_penalty_test(remedies_drafts, law):
    test = PROFILES[law]["penalty"]["test"]
    for position in POSITIONS:
        for basis in ("amount", "percent"):
            composition = remedies_drafts[law, position, basis]
            assert [f for f in composition.findings if f.severity == "error"] == []
            text = _text(_section(composition, "remedies"))
            low = text.lower()
            anchors = _anchors(composition)
            for tier in ("tier-1", "tier-2", "tier-3"):
                assert f"remedies.{tier}" in anchors, (law, tier)
            assert "tier 1:" in text and "tier 2:" in text and "tier 3:" in text
            for word in FORBIDDEN_EVERYWHERE:
                assert word not in low, (law, word)
            assert ("legitimate interest" in low) == (test == "cavendish"), (law, position)
            assert ("genuine pre-estimate" in low) == (test == "dunlop"), (law, position)
            assert "[" not in text, "no placeholder for a law whose test is declared"
            if test == "truck_rent_a_center":
                assert "difficult to estimate" in low and "probable loss" in low and "not a penalty" not in low
            if test == "vertragsstrafe":
                assert "Vertragsstrafe" in text and "credited against any damages" in text
            if test == "reasonable_compensation":
                assert "reasonable compensation not exceeding the Agreed Sum" in text
            if test == "capped_penalty":
                cap = PROFILES[law]["penalty"]["cap_percent"]
                assert f"or, if less, {cap} per cent of the value of the contractual obligation breached" in text
                assert "may claim both the penalty and that compensation" in text
                for figure in re.findall(r"(\d+(?:\.\d+)?) per cent", text):
                    assert float(figure) <= cap, (law, figure)
            if test == "penalty_within_principal":
                assert "or, if less, the value or amount of the principal obligation breached (its" in text
                assert "either performance of the obligation breached or payment of the penalty" in text
                assert "claim both" not in low


@pytest.mark.parametrize("position", POSITIONS)
def test_repetitions_are_bounded(remedies_drafts, position):
    text = _text(_section(remedies_drafts["england-wales", position, "amount"], "remedies"))
    if position == "buyer":
        assert "up to 6 further periods" in text and "tier 1 or tier 2" in text
    else:
        assert "due once for each" in text and "again" not in text
    if position == "supplier":
        assert "shall not exceed three times the tier 1" in text


def test_tier_sums_default_to_a_fraction_of_tier_one(remedies_drafts):
    text = _text(_section(remedies_drafts["singapore", "balanced", "amount"], "remedies"))
    assert "tier 1: USD 400,000.00" in text and "tier 2: USD 100,000.00" in text and "tier 3: USD 8,000.00" in text
    text = _text(_section(remedies_drafts["singapore", "balanced", "percent"], "remedies"))
    assert "tier 1: 8 per cent" in text and "tier 2: 2 per cent" in text and "tier 3: 0.16 per cent" in text


# Each counsel note on the remedies clause, and what the clause must (or must not) say for the
# note to hold when its law governs. A new remedies note must be added here.
NOTE_CHECKS = {
    "ew-penalty": lambda t: "legitimate interest" in t,
    "hk-liquidated-damages": lambda t: "genuine pre-estimate" in t and "legitimate interest" not in t,
    "sg-ld-pre-estimate": lambda t: "genuine pre-estimate" in t and "legitimate interest" not in t,
    "ny-liquidated-damages": lambda t: "difficult to estimate" in t and "compel" not in t,
    # the draft confirms individual negotiation only when the deal says so (agreement.confirm_negotiation)
    "de-penalty-agb": lambda t: "credited against any damages" in t,
    "kr-penalty": lambda t: "pre-estimate of damages within the meaning of article 398" in t and "penalty for breach" not in t,
    "jp-penalty": lambda t: "may reduce an agreed amount" in t and "raise" not in t,
    "cn-penalty": lambda t: "may raise an agreed amount that is lower than the loss or reduce one" in t and "having regard to the loss" in t,
    "th-penalty": lambda t: "having regard to the loss" in t,
    "vn-penalty-cap": lambda t: "or, if less, 8 per cent" in t and "may claim both the penalty and that compensation" in t,
    "vn-penalty-value": lambda t: "placed during the term up to the date of the breach" in t,
    "mx-penalty": lambda t: "value or amount of the principal obligation" in t and "either performance" in t and "claim both" not in t,
    "in-compensation": lambda t: "reasonable compensation not exceeding" in t,
}


def test_every_remedies_note_is_checked_and_names_its_law():
    for data in PROFILES.values():
        for note in data.get("notes") or []:
            if note.get("clause") != "remedies":
                continue
            assert note["id"] in NOTE_CHECKS, f"add a consistency check for note {note['id']}"
            short = data["governing_law"]["short"]
            assert note["text"].startswith(f"Where {short} governs the agreement"), note["id"]
            assert ("(verify)" in note["text"]) <= bool(note.get("verify")), note["id"]


@pytest.mark.parametrize("law", LAWS)
def test_no_remedies_note_contradicts_the_draft(remedies_drafts, law):
    notes = [n for n in PROFILES[law].get("notes") or [] if n.get("clause") == "remedies"]
    for position in POSITIONS:
        for basis in ("amount", "percent"):
            composition = remedies_drafts[law, position, basis]
            section = _section(composition, "remedies")
            text = _text(section).lower()
            printed = " ".join(c.text for p in section.paragraphs for c in p.comments)
            for note in notes:
                assert note["text"].split(":")[0] in printed or not section.paragraphs[0].comments, note["id"]
                assert NOTE_CHECKS[note["id"]](text), (law, position, basis, note["id"])


@pytest.mark.parametrize("position", POSITIONS)
def test_the_relationship_clause_admits_the_agency_the_tooling_clause_creates(tooling_drafts, position):
    """At the buyer position the Supplier acquires Tooling as the Buyer's agent; the boilerplate
    that says nothing creates an agency must then make that exception (and only then)."""
    for law in LAWS:
        anchors = _anchors(tooling_drafts[law, position])
        agent = "as agent for the Buyer" in plain_text(anchors["tooling.ownership"])
        relationship = plain_text(anchors["general.relationship"])
        assert agent is (position == "buyer"), (law, position)
        assert ("acquires Tooling as the Buyer’s agent, as clause" in relationship) is agent, (law, position, relationship)


def test_tooling_entering_under_a_temporary_import_programme_is_kept_in_good_standing(bundled_sources):
    """Where the supplier's country imports tooling duty-suspended under a programme its profile
    names (Mexico: IMMEX), the tooling clause makes the supplier keep that status and bear what
    its lapse costs; the counsel note speaks of that paragraph. Elsewhere the paragraph is absent."""
    for country, profile in sorted(bundled_sources.jurisdictions.profiles.items()):
        raw = _raw()
        raw["supplier"]["country"] = country
        composition = _assemble(bundled_sources, raw)
        anchors = _anchors(composition)
        programme = profile.data.get("drafting", {}).get("temporary_import_programme")
        assert ("tooling.temporary-import" in anchors) is bool(programme), country
        if programme:
            text = _text(_section(composition, "tooling"))
            assert f"under {programme}" in plain_text(anchors["tooling.temporary-import"]) and "pay any duty, tax (including value added tax)" in text
            assert any(n.id == "mx-tooling" and "tooling.temporary-import" in str(n.data.get("text")) for n in composition.notes)
