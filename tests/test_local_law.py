"""Country points drafted as operative text (clauses local-law and ip-local-requirements), and
counsel notes that say which roles and conditions make them apply."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT, SAMPLES

from clausewright import jinja, pipeline
from clausewright.assembly.context import base_context

ROLES = {"supplier_country": "supplier.country", "buyer_country": "buyer.country", "governing_law": "law.governing_law",
         "arbitration_law": "disputes.arbitration_agreement_law", "courts": "disputes.courts"}
OTHER_OWNER = {"remedies", "tooling"}  # notes on these clauses are maintained with those clauses
LAWS = ["china", "england-wales", "germany", "hong-kong", "india", "japan", "mexico", "new-york", "singapore",
        "south-korea", "thailand", "vietnam"]


def _notes(sources):
    for pid, profile in sorted(sources.jurisdictions.profiles.items()):
        for note in profile.data.get("notes") or []:
            yield pid, note


def _deal(sources, *overrides, sample="vietnam-supplier.yaml"):
    raw = pipeline.read_answers(SAMPLES / sample, list(overrides))
    return pipeline.validate_deal(raw, sources)


def _text(paragraphs):
    out = []
    for p in paragraphs:
        for item in p.all_inlines():
            out.append(getattr(item, "display", None) or getattr(item, "text", None) or getattr(item, "term", ""))
        out.append("\n")
    return "".join(out)


def _agreement(sources, deal):
    agreement = pipeline.assemble(deal, sources).agreement
    sections = {s.clause_id: s for s in agreement.sections()}
    anchors = {p.anchor for s in agreement.sections() for p in s.paragraphs if p.anchor}
    return sections, anchors


def applicable_notes(sources, deal):
    """The notes a draft should carry: the profile holds one of the note's roles in the deal, the
    note's clause is in the agreement and its `when` is true (what the engine is to do)."""
    sections, _ = _agreement(sources, deal)
    ctx = base_context(deal, sources.jurisdictions, sources.library.type_of(deal))
    ctx["included"] = lambda cid: cid in sections
    out = set()
    for pid, note in _notes(sources):
        if "roles" not in note or note["clause"] not in sections:
            continue
        if not any(deal.get(ROLES[r]) == pid for r in note["roles"]):
            continue
        if note.get("when") and not jinja.evaluate(note["when"], ctx):
            continue
        out.add(note["id"])
    return out


# --- the notes' data ----------------------------------------------------------------------------


def test_every_note_has_valid_roles_and_a_when_that_compiles(bundled_sources):
    problems = []
    for pid, note in _notes(bundled_sources):
        nid = note["id"]
        if "roles" not in note and note["clause"] in OTHER_OWNER:
            continue  # maintained with the remedies and tooling clauses
        roles = note.get("roles")
        if not isinstance(roles, list) or not roles or any(r not in ROLES for r in roles) or len(set(roles)) != len(roles):
            problems.append(f"{pid}/{nid}: roles {roles!r}")
        when = note.get("when")
        if when is not None:
            if not isinstance(when, str) or not when.strip():
                problems.append(f"{pid}/{nid}: when {when!r}")
            else:
                try:
                    jinja.EXPRESSIONS.compile_expression(when, undefined_to_none=False)
                except Exception as exc:  # noqa: BLE001 - any failure is a broken note
                    problems.append(f"{pid}/{nid}: when does not compile: {exc}")
    assert problems == []


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.yaml")))
def test_note_conditions_evaluate_on_every_sample(bundled_sources, sample):
    deal = _deal(bundled_sources, sample=sample)
    ctx = base_context(deal, bundled_sources.jurisdictions, bundled_sources.library.type_of(deal))
    ctx["included"] = lambda cid: True
    library = bundled_sources.library
    kind = library.type_of(deal)
    for _pid, note in _notes(bundled_sources):
        clause = library.clauses.get(note["clause"])
        if note.get("when") and clause is not None and library.used_by(clause, kind):  # a note on a clause of the deal's type of agreement
            jinja.evaluate(note["when"], ctx)  # raises on an unknown name


def test_notes_follow_the_draft(bundled_sources):
    vn = applicable_notes(bundled_sources, _deal(bundled_sources))  # Singapore law, Singapore seat, UK buyer
    assert {"vn-foreign-element", "vn-customs", "sg-arbitrability", "ew-data-transfers"} <= vn
    assert not {"sg-customs", "sg-sicc", "sg-employee-restraints", "sg-data", "ew-london-seat", "ew-cisg", "ew-restraints"} & vn
    london = applicable_notes(bundled_sources, _deal(bundled_sources, "law.governing_law=england-wales", "disputes.seat=london"))
    assert {"ew-london-seat", "ew-restraints"} <= london and "ew-court-support" not in london
    sg_seat = applicable_notes(bundled_sources, _deal(bundled_sources, "law.governing_law=england-wales"))
    assert "ew-london-seat" not in sg_seat and "ew-court-support" in sg_seat
    jp_buyer = applicable_notes(bundled_sources, _deal(bundled_sources, "buyer.country=japan"))
    assert {"jp-secrecy-management", "jp-data", "jp-seal-stamp", "jp-export-control"} <= jp_buyer
    assert not {"jp-small-suppliers", "jp-arbitration"} & jp_buyer
    cn = applicable_notes(bundled_sources, _deal(bundled_sources, "supplier.country=china"))
    assert {"cn-nnn-form", "cn-afsl", "cn-filing-abroad", "cn-technology-export"} <= cn and "cn-nnn" not in cn
    cn_off = applicable_notes(bundled_sources, _deal(bundled_sources, "supplier.country=china", "local.cn_nnn=no"))
    assert "cn-nnn" in cn_off and "cn-nnn-form" not in cn_off
    # a services agreement does not ask for the companion NNN, so no note says it is "off"
    cn_services = applicable_notes(bundled_sources, _deal(bundled_sources, "supplier.country=china", sample="india-software-services.yaml"))
    assert "cn-nnn" not in cn_services and "cn-services-pipl" in cn_services


def test_notes_that_ask_for_a_missing_clause_say_so(bundled_sources):
    """A note that tells the lawyer to add something names the clause that drafts it or says
    plainly that the library has none."""
    for pid, note in _notes(bundled_sources):
        if note["clause"] in OTHER_OWNER:
            continue
        text = " ".join(str(note["text"]).split())
        if text.lower().startswith("add ") or " add an " in text.lower():
            assert "library has no clause" in text or "clause " in text, f"{pid}/{note['id']}"


def test_generated_draft_carries_only_the_notes_that_apply(tmp_path):
    out = tmp_path / "vn.docx"
    subprocess.run([sys.executable, "-m", "clausewright", "generate", str(SAMPLES / "vietnam-supplier.yaml"), "-o", str(out), "--force"],
                   check=True, capture_output=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    comments = zipfile.ZipFile(out).read("word/comments.xml").decode()
    assert "Border seizure notices" not in comments  # Singapore customs note: Singapore is only the governing law
    assert "Singapore International Commercial Court" not in comments  # SICC note: the deal arbitrates


# --- the clauses --------------------------------------------------------------------------------


@pytest.mark.parametrize("supplier", LAWS)
def test_country_points_are_operative_text(bundled_sources, supplier):
    for law in LAWS:
        if law == supplier and supplier in ("china", "vietnam", "india"):
            overrides = [f"supplier.country={supplier}", f"law.governing_law={law}", "buyer.country=england-wales"]
        else:
            overrides = [f"supplier.country={supplier}", f"law.governing_law={law}"]
        deal = _deal(bundled_sources, *overrides, "positions.overall=buyer")
        sections, anchors = _agreement(bundled_sources, deal)
        india = "india" in (supplier, law)
        cn = supplier == "china"
        where = f"supplier {supplier}, law {law}"
        # PRC: companion NNN agreement, sanctions conflicts, conditional transfer, filing abroad
        assert ("local-law.cn-nnn" in anchors) == cn, where
        assert ("local-law.cn-sanctions" in anchors) == (cn or law == "china"), where
        assert ("ip-local-requirements.cn-filing-abroad" in anchors) == cn, where
        # a transfer that needs an approval never vests unconditionally
        assert ("ip-local-requirements.effect" in anchors) == (supplier in ("china", "south-korea")), where
        if supplier in ("china", "south-korea"):
            text = _text(sections["ip-local-requirements"].paragraphs)
            assert "takes effect for that item on the date on which the Transfer Approval is obtained" in text
            # held for the buyer meanwhile: on trust under a common-law governing law, as a fiduciary under a civil-law one
            assert ("on trust for" in text or "for the account and the exclusive benefit of the Buyer" in text) and "nominates" in text
        # Vietnam: security control before filing abroad
        assert ("ip-local-requirements.vn-filing-abroad" in anchors) == (supplier == "vietnam"), where
        # India: s 19 assignment terms, stamp duty, post-term restraints limited to protecting information
        assert ("ip-local-requirements.in-copyright" in anchors) == india, where
        assert ("local-law.in-stamp" in anchors) == india, where
        # post-term restraints are limited wherever the law in play voids them (India)
        assert ("non-circumvention.post-term-limit" in anchors) == india, where
        if india:
            text = _text(sections["ip-local-requirements"].paragraphs)
            assert "full term of the copyright" in text and "whole world" in text and "all the rights" in text
            assert "apply only to the extent that they prevent" in _text(sections["non-circumvention"].paragraphs)
            assert "non-compete" not in {a.split(".")[-1] for a in anchors}
        # Thailand: stamping and authorised directors
        assert ("local-law.th-stamp" in anchors) == ("thailand" in (supplier, law)), where
        assert ("local-law.th-signing" in anchors) == (supplier == "thailand"), where


@pytest.mark.parametrize("payer,words", [("supplier", "The Supplier shall bear that duty"),
                                        ("buyer", "The Buyer shall bear that duty"),
                                        ("shared", "shall bear that duty equally")])
def test_stamp_duty_payer(bundled_sources, payer, words):
    deal = _deal(bundled_sources, "supplier.country=thailand", f"local.stamp_duty_payer={payer}")
    sections, _ = _agreement(bundled_sources, deal)
    assert words in _text(sections["local-law"].paragraphs)
