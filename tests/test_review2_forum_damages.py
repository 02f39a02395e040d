"""Library defects a review of three drafts found, each fixed as a class and guarded over the
matrix: the home-court forum names one first-instance court (and the memo names the same), the
agreed-damages sentence says what a court may do under the governing law (reduce only, or raise
and reduce), the US entry-of-judgment formula only where the arbitration agreement's law provides
for it, the recitals name the supplier's country by its legal name, the title warranty follows the
title clause, no list has a single item, and periods of time are written in digits."""

from __future__ import annotations

import collections
import re

import pytest
from conftest import SAMPLES
from library_matrix import agreement_text, composition, laws, paragraph_text, sources
from qa_helpers import mini_copy

from clausewright import pipeline
from clausewright.qa import library_check, library_drafting
from clausewright.qa import memo as drafting_memo

TYPES = ("supply", "services", "nnn")
COURTS = "dispute-resolution.courts"
ALLOWED = ("placeholder-unfilled",)


def _draft(sample: str, *sets: str) -> pipeline.Result:
    """A real draft of a bundled sample with ``--set`` overrides, as ``generate`` makes it."""
    raw = pipeline.read_answers(SAMPLES / sample, list(sets))
    return pipeline.draft(raw, sources(), overrides=sets, allow=ALLOWED, comments=False)


def _anchors(comp) -> dict[str, str]:
    return {p.anchor: paragraph_text(p) for p in comp.agreement.paragraphs() if p.anchor}


def _memo_lines(result) -> list[str]:
    return [block.text for block in drafting_memo.content(result, sources()).blocks]


def _forum_sentence(text: str) -> str:
    return next(s for s in re.split(r"(?<=\.)\s+", text) if " jurisdiction of " in s)


def _profile(pid: str):
    return sources().jurisdictions.profiles[pid]


# --- 1. the home-court forum ----------------------------------------------------------------------


KOREAN_NNN = ("shenzhen-nnn.yaml", "supplier.country=south-korea", "law.governing_law=south-korea",
              "disputes.method=courts", "disputes.courts=south-korea")


def test_a_korean_nnn_before_the_korean_courts_names_one_court_and_the_memo_names_it_too():
    result = _draft(*KOREAN_NNN)
    forum = _forum_sentence(_anchors(result.composition)[COURTS])
    assert forum == "Each Party submits to the exclusive jurisdiction of the Seoul Central District Court to settle any Dispute."
    assert any(line.endswith(forum) and line.startswith("Forum (clause ") for line in _memo_lines(result))


def test_a_chinese_nnn_before_the_peoples_courts_names_the_court_of_the_suppliers_domicile():
    result = _draft("shenzhen-nnn.yaml", "disputes.method=courts", "disputes.courts=china")
    forum = _forum_sentence(_anchors(result.composition)[COURTS])
    assert "people’s courts of the People’s Republic of China, and in the first instance of the court with jurisdiction at the place where the Supplier is domiciled" in forum
    assert any(line.endswith(forum) for line in _memo_lines(result))


def test_every_profile_says_whether_its_courts_are_a_system_or_one_court():
    assert {pid: _profile(pid).data["courts"].get("scope") in ("system", "court") for pid in laws()} == dict.fromkeys(laws(), True)


@pytest.mark.parametrize("kind", TYPES)
@pytest.mark.parametrize("courts", laws())
def test_the_forum_names_one_first_instance_court_and_the_memo_says_what_the_clause_says(courts, kind):
    """Every profile as the courts' country, with the supplier there and elsewhere, in every type."""
    data = _profile(courts).data
    for supplier in (courts, next(p for p in laws() if p != courts)):
        deal, comp = composition(courts, supplier, "balanced", extra={"agreement.type": kind, "disputes.method": "courts", "disputes.courts": courts})
        forum = _forum_sentence(_anchors(comp)[COURTS])
        where = f"type={kind} courts={courts} supplier={supplier}: {forum}"
        assert forum.count(" ".join(data["courts"]["name"].split())) == 1, where
        home = supplier == courts and data["governing_law"]["system"] == "civil" and data["courts"]["scope"] == "system"
        assert forum.count("first instance") == (1 if home else 0), where
        result = pipeline.Result(deal=deal, composition=comp, docx=b"")
        assert [line for line in _memo_lines(result) if line.startswith("Forum")] == [f"Forum (clause {_courts_number(comp)}): {forum}"], where


def _courts_number(comp) -> str:
    return next(p.ref_text for p in comp.agreement.paragraphs() if p.anchor == COURTS)


# --- 2. what a court may do to an agreed sum ------------------------------------------------------


def test_a_korean_nnn_says_a_court_may_only_reduce_an_agreed_sum():
    basis = _anchors(_draft(*KOREAN_NNN).composition)["nnn-damages.legal-basis"]
    assert "under Korean law a court or tribunal may reduce an agreed amount that it considers excessive" in basis
    assert "too low" not in basis and "raise" not in basis


def test_a_chinese_nnn_says_a_court_may_raise_or_reduce_an_agreed_sum():
    basis = _anchors(_draft("shenzhen-nnn.yaml").composition)["nnn-damages.legal-basis"]
    assert "may raise an agreed amount that is lower than the loss or reduce one that it considers excessive" in basis


REDUCIBLE = [pid for pid in sorted(sources().jurisdictions.profiles) if _profile(pid).data["penalty"].get("test") == "reducible"]


@pytest.mark.parametrize("kind, clause", [("nnn", "nnn-damages"), ("supply", "remedies")])
@pytest.mark.parametrize("law", REDUCIBLE)
def test_the_agreed_damages_sentence_and_its_counsel_notes_follow_the_laws_adjustment(law, kind, clause):
    adjustment = _profile(law).data["penalty"]["adjustment"]
    assert adjustment in ("reduce", "raise_or_reduce")
    _, comp = composition(law, law, "buyer", extra={"agreement.type": kind, "liquidated_damages.applies": True})
    basis = _anchors(comp)[f"{clause}.legal-basis"]
    acknowledged = re.search(r"acknowledge that (.*?)\. They have fixed", basis).group(1)
    assert ("raise" in acknowledged) == (adjustment == "raise_or_reduce") and "reduce" in acknowledged, acknowledged
    assert "too low" not in acknowledged and "adjust" not in acknowledged
    notes = [" ".join(n.data["text"].split()) for n in comp.notes if n.data.get("clause") == clause and n.profile.id == law]
    assert notes, f"no counsel note of {law} on {clause}"
    for text in notes:
        assert ("raise" in text) == (adjustment == "raise_or_reduce") and "adjust" not in text, text


def test_library_check_asks_a_reducible_penalty_what_a_court_may_do(tmp_path):
    copy = mini_copy(tmp_path)
    copy.edit("jurisdictions/profiles/vietnam.yaml", "penalty: {regime: liquidated_damages}", "penalty: {regime: reducible_penalty, test: reducible}")
    found = [f for f in library_check.profile_checks(copy_sources(copy).library, copy_sources(copy).jurisdictions) if "penalty.adjustment" in f.message]
    assert len(found) == 1 and found[0].severity == "error" and "vietnam" in found[0].message
    copy.edit("jurisdictions/profiles/vietnam.yaml", "test: reducible}", "test: reducible, adjustment: reduce}")
    assert not [f for f in library_check.profile_checks(copy_sources(copy).library, copy_sources(copy).jurisdictions) if "penalty.adjustment" in f.message]


def copy_sources(copy):
    return pipeline.load_sources(copy.library, copy.jurisdictions)


# --- 3. the award: judgment entered (New York) or recognised and enforced -------------------------


def test_an_english_law_award_is_recognised_and_enforced_and_a_new_york_one_entered_as_a_judgment():
    english = agreement_text(_draft("shenzhen-electronics.yaml", "positions.overall=supplier", "law.governing_law=england-wales",
                                    "disputes.institution=LCIA", "disputes.seat=london").composition)
    assert re.search(r"the award may be recogni[sz]ed and enforced by any court with jurisdiction", english)
    assert "judgment on the award" not in english
    new_york = agreement_text(_draft("shenzhen-electronics.yaml", "law.governing_law=new-york", "disputes.arbitration_agreement_law=new-york",
                                     "disputes.institution=ICDR", "disputes.seat=new-york").composition)
    assert "judgment on the award may be entered in any court with jurisdiction" in new_york


def test_entry_of_judgment_only_where_the_arbitration_agreements_law_provides_for_it():
    entered = {}
    for law in laws():
        _, comp = composition(law, "china", "balanced", extra={"disputes.method": "arbitration", "disputes.arbitration_agreement_law": law})
        text = agreement_text(comp)
        entered[law] = "judgment on the award may be entered" in text
        assert bool(re.search(r"the award may be recogni[sz]ed and enforced", text)) != entered[law], law
    assert entered == {law: bool(_profile(law).data["arbitration"].get("judgment_on_award")) for law in laws()}
    assert [law for law, yes in entered.items() if yes] == ["new-york"]


# --- 4. recitals name the country ------------------------------------------------------------------


def test_the_recitals_of_a_shenzhen_supplier_name_the_peoples_republic_of_china():
    recitals = " ".join(paragraph_text(p) for s in _draft("shenzhen-electronics.yaml").composition.agreement.sections()
                        if s.clause_id == "recitals" for p in s.paragraphs)
    assert "established in the People’s Republic of China" in recitals and "China (Mainland)" not in recitals


def test_no_recital_prints_a_profiles_display_name_for_its_country():
    for kind in TYPES:
        for supplier in laws():
            profile = _profile(supplier).data
            _, comp = composition("singapore", supplier, "balanced", extra={"agreement.type": kind})
            recitals = " ".join(paragraph_text(p) for s in comp.agreement.sections() if s.clause_id.endswith("recitals") for p in s.paragraphs)
            assert profile["country"] in recitals, (kind, supplier)
            if profile["name"] not in profile["country"]:
                assert profile["name"] not in recitals.replace(profile["country"], ""), (kind, supplier)


# --- 5. title ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("position", ["supplier", "buyer"])
def test_the_title_warranty_follows_the_title_clause(position):
    """At the supplier position title passes only on payment, so the warranty cannot say the
    Products are delivered with good title: it says title passes when the title clause provides."""
    comp = _draft("shenzhen-electronics.yaml", f"positions.overall={position}").composition
    title = next(p for p in comp.agreement.paragraphs() if p.anchor == "delivery.title")
    warranty = [paragraph_text(p) for s in comp.agreement.sections() if s.clause_id == "warranties-indemnity"
                for p in s.paragraphs if "good title" in paragraph_text(p)]
    assert warranty == [f"pass to the Buyer, when clause {title.ref_text} provides, with good title, free from any lien, charge or other encumbrance."]
    assert ("when the Prices for them have been paid in full" in paragraph_text(title)) == (position == "supplier")


# --- 6. no list of one ---------------------------------------------------------------------------------


def single_item_lists(comp) -> list[str]:
    """Each numbered paragraph whose sub-list ((a), (i), ...) has only one item."""
    found = []
    for section in comp.agreement.sections():
        children: collections.Counter = collections.Counter()
        parents: dict[int, str] = {}
        last_at: dict[int, int] = {}
        for i, p in enumerate(section.paragraphs):
            if p.kind != "numbered":
                continue
            last_at = {level: at for level, at in last_at.items() if level < p.level}
            last_at[p.level] = i
            if p.level >= 2 and p.level - 1 in last_at:
                parent = last_at[p.level - 1]
                children[parent] += 1
                parents[parent] = f"{section.clause_id} {section.paragraphs[parent].ref_text}: {paragraph_text(section.paragraphs[parent])[:90]}"
        found += [parents[at] for at, n in children.items() if n == 1]
    return found


def test_an_english_law_draft_for_a_chinese_supplier_has_one_copyright_sentence_not_a_list_of_one():
    comp = _draft("shenzhen-electronics.yaml", "law.governing_law=england-wales", "disputes.institution=LCIA", "disputes.seat=london").composition
    anchors = _anchors(comp)
    assert anchors["intellectual-property.signed-writing"].startswith("Signed writing. The Supplier signs this Agreement as assignor")
    copyright_paragraph = anchors["intellectual-property.copyright"]
    number = next(p.ref_text for p in comp.agreement.paragraphs() if p.anchor == "intellectual-property.signed-writing")
    assert copyright_paragraph.endswith(f"it is made on the terms of clause {number}, and nothing in that clause narrows the assignment where the law concerned allows more.")
    assert single_item_lists(comp) == []


@pytest.mark.parametrize("law", laws())
def test_no_generated_list_has_a_single_item(law):
    """Every governing law x supplier country (with a buyer country rotating through the profiles),
    in every type, with every option on."""
    for i, supplier in enumerate(laws()):
        buyer = laws()[(i + 5) % len(laws())]
        for kind in TYPES:
            _, comp = composition(law, supplier, "balanced", "all-on", extra={"agreement.type": kind, "buyer.country": buyer})
            assert single_item_lists(comp) == [], f"type={kind} law={law} supplier={supplier} buyer={buyer}"


# --- 7. numbers in digits --------------------------------------------------------------------------


def test_a_services_and_an_nnn_draft_write_periods_in_digits():
    services = agreement_text(_draft("india-software-services.yaml").composition)
    nnn = agreement_text(_draft("shenzhen-nnn.yaml").composition)
    in_words = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|thirty|sixty|ninety) (?:\(\d+\)|Business Days?|days?|months?|years?)")
    for text in (services, nnn):
        assert not in_words.search(text), in_words.search(text)
    assert re.search(r"Within \d+ Business Days after a Deliverable is delivered", services)
    assert re.search(r"continues for \d+ years?", services)


def test_library_check_reports_a_period_written_in_words(tmp_path):
    copy = mini_copy(tmp_path)

    def found():
        return {f.message for f in library_check.check(copy.library, copy.jurisdictions, jobs=1).findings if f.id == "library-number-in-words"}

    before = found()  # the miniature library prints one number with the words filter
    copy.append("library/clauses/confidentiality.clause",
                "+ The [[Supplier]] shall answer within ten (10) days, and report every three months and within {{ 5 | words }} days.\n")
    added = found() - before
    assert sorted(m.split("“")[1].split("”")[0] for m in added) == ["ten (10) days", "three months", "{{ … | words }}"]
    assert all(m.startswith("line 23 of clause confidentiality") for m in added)


def test_the_bundled_library_writes_every_period_in_digits():
    assert [f.message for c in sources().library.clauses.values() for f in library_drafting.numbers_in_words(c)] == []
