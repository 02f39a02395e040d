"""A draft in a locale that spells otherwise (en_US) prints the library's own words in that
spelling (clause_library/spelling.yaml); values from the deal or a profile stay exactly as given,
and a British-English draft is unchanged."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import ROOT, SAMPLES

from clausewright import pipeline
from clausewright.assembly.model import TermDef, TermUse, Text
from clausewright.errors import LibraryError
from clausewright.formatting import respeller
from clausewright.inputs.library import load_library


def _composition(sources, sample: str, *overrides: str):
    raw = pipeline.read_answers(SAMPLES / sample, list(overrides))
    deal = pipeline.validate_deal(raw, sources)
    return deal, pipeline.assemble(deal, sources, strict=False)


def _library_words(composition) -> list[str]:
    """The library's own text of a draft: its paragraphs' unmarked text, term names and titles."""
    out = [s.title for s in composition.agreement.sections()] + [d.term for d in composition.agreement.definitions]
    for p in composition.agreement.paragraphs():
        for item in p.all_inlines():
            if type(item) is Text and not item.literal:
                out.append(item.text)
            elif type(item) is TermUse:
                out.append(item.display)
            elif type(item) is TermDef:
                out.append(item.term)
    return out


def test_an_american_english_draft_has_none_of_the_british_forms(bundled_sources):
    british = bundled_sources.library.spelling["en_US"]
    deal, composition = _composition(bundled_sources, "mexico-maquiladora.yaml")
    assert deal.get("agreement.locale") == "en_US"
    text = "\n".join(_library_words(composition))
    left = sorted({w for w in british if re.search(r"\b" + re.escape(w) + r"\b", text, re.IGNORECASE)})
    assert left == []
    for word in ("license", "Amortized Tooling", "trademark", "labor", "authorized"):
        assert word in text, word
    # values from the deal and the profiles are printed as given
    values = [i.text for p in composition.agreement.paragraphs() for i in p.all_inlines() if type(i) is Text and i.literal]
    assert any("trade mark watch-list" in v for v in values)  # the Mexico profile's own words
    assert deal.get("supplier.name") in "\n".join(values)


def test_a_british_english_draft_is_unchanged(bundled_sources):
    _, composition = _composition(bundled_sources, "vietnam-supplier.yaml")
    text = "\n".join(_library_words(composition))
    assert "licence" in text and "Amortised Tooling" in text and "trademark" not in text


def test_the_same_deal_in_american_english_differs_only_in_spelling(bundled_sources):
    british = bundled_sources.library.spelling["en_US"]
    _, gb = _composition(bundled_sources, "vietnam-supplier.yaml")
    _, us = _composition(bundled_sources, "vietnam-supplier.yaml", "agreement.locale=en_US")
    change = respeller(british)
    gb_words = [change(w) for w in _library_words(gb)]
    assert gb_words == _library_words(us)


def test_a_changed_word_keeps_its_case():
    change = respeller({"licence": "license", "trade mark": "trademark"})
    assert change("Licence, licence, LICENCE and Trade Mark; a trade markup") == "License, license, LICENSE and Trademark; a trade markup"


def test_a_spelling_list_that_is_not_word_for_word_is_refused(tmp_path):
    library = tmp_path / "library"
    shutil.copytree(ROOT / "clause_library", library)
    (library / "spelling.yaml").write_text("en_US:\n  licence: [license]\n", encoding="utf-8")
    with pytest.raises(LibraryError, match="each entry is a word and the word that replaces it"):
        load_library(library)


def test_the_key_terms_worded_by_the_library_are_spelt_as_the_draft(bundled_sources):
    british = bundled_sources.library.spelling["en_US"]
    deal, composition = _composition(bundled_sources, "supplier-favourable.yaml")
    assert deal.get("agreement.locale") == "en_US"
    worded = [str(t.value) for t in pipeline.key_terms(composition, deal, bundled_sources) if t.spec.text is not None and t.value]
    assert worded and any("Amortized Tooling" in v for v in worded)
    assert not [v for v in worded for w in british if re.search(r"\b" + re.escape(w) + r"\b", v, re.IGNORECASE)]


def test_the_words_outside_the_clauses_are_spelt_as_the_draft(bundled_sources):
    """The cover, signature blocks and attestation come from the library's wording: an en_US
    draft has them in American spelling too ("duly authorized representatives")."""
    from clausewright.ooxml import reader

    docx = pipeline.draft(pipeline.read_answers(SAMPLES / "mexico-maquiladora.yaml"), bundled_sources).docx
    text = reader.read(docx).text()
    assert "duly authorized representatives" in text and "authorised" not in text
    assert "Director or officer authorized to sign for the company" in text


def _docx_text(data: bytes, part: str) -> str:
    import io
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(data)).read(part).decode("utf-8")
    return " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def _british_left(text: str, british) -> list[str]:
    """The British forms in ``text`` outside a statute's name (which keeps its own spelling)."""
    from clausewright.formatting import _NOT_PROSE

    prose = _NOT_PROSE.sub(" ", text)
    return sorted({w for w in british if re.search(r"\b" + re.escape(w) + r"\b", prose, re.IGNORECASE)})


def test_the_notes_memo_and_explanation_of_a_draft_are_spelt_as_the_draft(bundled_sources, tmp_path):
    """The counsel notes and drafting notes on an en_US draft, its memo and `explain` speak as the
    draft does ("Amortized Tooling", "license"); the same deal in en_GB keeps the British forms,
    and a party's name is printed as typed in either."""
    from click.testing import CliRunner

    from clausewright.cli.main import cli

    british = bundled_sources.library.spelling["en_US"]
    texts = {}
    for locale in ("en_US", "en_GB"):
        overrides = [f"agreement.locale={locale}", "agreement.position_notes=true", "buyer.name=Licence Labour Holdings, Inc."]
        result = pipeline.generate(SAMPLES / "mexico-maquiladora.yaml", None, overrides=overrides, sources=bundled_sources)
        memo = pipeline.memo_of(result, bundled_sources)
        explained = CliRunner().invoke(cli, ["explain", str(SAMPLES / "mexico-maquiladora.yaml"), *[a for o in overrides for a in ("--set", o)]])
        assert explained.exit_code == 0, explained.output
        texts[locale] = {"comments": _docx_text(result.docx, "word/comments.xml"), "memo": _docx_text(memo, "word/document.xml"), "explain": explained.output}
    data = ["Licence Labour Holdings", *(str(i.get("rules", "")) for i in bundled_sources.jurisdictions.institutions.values())]  # printed as given
    for channel, text in texts["en_US"].items():
        for value in data:
            text = text.replace(value, "")
        assert _british_left(text, british) == [], channel
        assert _british_left(texts["en_GB"][channel], british), channel  # the check can fail: the British draft's have them
    assert "Amortized Tooling" in texts["en_US"]["memo"] and "Amortised Tooling" in texts["en_GB"]["memo"]
    assert "Licence Labour Holdings, Inc." in texts["en_US"]["memo"]  # the party's name as typed


def test_prose_is_respelt_but_not_statute_names_references_or_code():
    from clausewright.formatting import respelt_prose

    words = {"licence": "license", "labour": "labor", "trade mark": "trademark", "trade marks": "trademarks"}
    text = "The licence and labour terms of <<licence-grant.scope>> follow the Trade Marks Act and the Federal Labour Law; {{ deal.licence }} [[Licence]]."
    assert respelt_prose(text, words) == (
        "The license and labor terms of <<licence-grant.scope>> follow the Trade Marks Act and the Federal Labour Law; {{ deal.licence }} [[Licence]]."
    )
    assert respelt_prose("Trade marks are registered.", words) == "Trademarks are registered."
