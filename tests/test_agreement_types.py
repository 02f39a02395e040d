"""Agreement types as data: a library declares the documents it drafts (types/*.yaml), its
clauses say which types use them, and ``agreement.type`` chooses one. Checked on a copy of the
miniature library to which a firm adds a type of its own, without code."""

from __future__ import annotations

import re
import zipfile

import pytest
from click.testing import CliRunner
from qa_helpers import MiniCopy, mini_copy

from clausewright import pipeline, wizard
from clausewright.cli.main import cli
from clausewright.errors import LibraryError
from clausewright.qa import library_check

pytestmark = pytest.mark.timeout(300)

LETTER = """\
id: letter
title: Letter of Confidentiality
label: Confidentiality letter (before any supply)
order: 20
asks: [agreement.date, agreement.locale, agreement.draft, buyer.name, buyer.signatory.name, supplier.name, supplier.address,
       supplier.country, supplier.signatory.name, law.governing_law, letter]
wording:
  draft_note: "Letter for discussion."
"""

UNDERTAKING = """\
---
id: letter-undertaking
title: Undertaking
version: 0.1.0
part: body
order: 10
types: [letter]
---
+ The [[Supplier]] shall keep {{ deal.letter.information }} secret and use it only to quote.
"""


def with_a_letter_type(copy: MiniCopy) -> MiniCopy:
    """The firm's additions: a type parameter, a second type with its own section and clause, and
    the parties clause shared by both types."""
    copy.edit("library/parameters/main.yaml", "parameters:\n",
              "parameters:\n  - {id: agreement.type, type: agreement_type, default: supply, label: Type of agreement}\n")
    (copy.library / "parameters" / "letter.yaml").write_text(
        "section: {id: letter, title: Letter, order: 20}\nparameters:\n"
        "  - {id: letter.information, type: text, label: Information covered, example: the drawings}\n", encoding="utf-8")
    types = copy.library / "types"
    types.mkdir()
    (types / "supply.yaml").write_text("id: supply\ntitle: Mini Supply Agreement\norder: 10\nasks: [main]\n", encoding="utf-8")
    (types / "letter.yaml").write_text(LETTER, encoding="utf-8")
    (copy.library / "clauses" / "letter-undertaking.clause").write_text(UNDERTAKING, encoding="utf-8")
    copy.edit("library/clauses/parties.clause", "style: parties\n", "style: parties\ntypes: all\n")
    return copy


def document_text(path) -> str:
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    return " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"</w:p>", "\n", xml)).split())


def generate(copy: MiniCopy, out, *sets: str):
    options = [arg for item in sets for arg in ("--set", item)]
    return CliRunner().invoke(cli, ["generate", str(copy.deal), "-o", str(out), "--no-page-numbers", "--library", str(copy.library),
                                    "--jurisdictions", str(copy.jurisdictions), *options])


def test_a_firms_library_adds_a_type_without_code(tmp_path):
    copy = with_a_letter_type(mini_copy(tmp_path))
    letter, supply = tmp_path / "letter.docx", tmp_path / "supply.docx"

    result = generate(copy, letter, "agreement.type=letter", "letter.information=the drawings of the pump")
    assert result.exit_code == 0, result.output
    text = document_text(letter)
    assert "Letter of Confidentiality" in text and "Letter for discussion." in text  # the type's title and wording
    assert "shall keep the drawings of the pump secret" in text
    assert "Smith &amp; Jones &lt;UK&gt; Ltd" in text  # the shared parties clause
    assert "Governing law" not in text and "Tooling" not in text  # the supply agreement's clauses are not in it

    # the deal's price and products are not asked by the letter: no error for the missing ones,
    # and check says which answers the letter leaves unused
    checked = CliRunner().invoke(cli, ["check", str(copy.deal), "--set", "agreement.type=letter", "--set", "letter.information=x",
                                       "--library", str(copy.library), "--jurisdictions", str(copy.jurisdictions)])
    assert checked.exit_code == 0, checked.output
    assert "commercial.price is given but an agreement of type letter does not ask it" in checked.output

    # without agreement.type, the same deal is the library's default type, as before
    result = generate(copy, supply)
    assert result.exit_code == 0, result.output
    text = document_text(supply)
    assert "Mini Supply Agreement" in text and "Governing law" in text and "use it only to quote" not in text


def test_library_check_runs_the_matrix_for_every_type(tmp_path):
    copy = with_a_letter_type(mini_copy(tmp_path))
    report = library_check.check(copy.library, copy.jurisdictions, jobs=1)
    assert not [f for f in report.findings if f.severity == "error"], library_check.format_text(report)
    assert "2 agreement types (supply, letter)" in report.stats["matrix"]
    plain = library_check.check(mini_copy(tmp_path / "plain").library, copy.jurisdictions, jobs=1)
    assert report.stats["combinations"] > 1.5 * plain.stats["combinations"]

    # a defect in the letter's clause is found, and named with its type
    copy.edit("library/clauses/letter-undertaking.clause", "use it only to quote.", "use it only to quote, see clause <<tooling>>.")
    report = library_check.check(copy.library, copy.jurisdictions, jobs=1)
    found = [f.message for f in report.findings if f.id == "library-inconsistent"]
    assert found and all("type=letter" in m for m in found), found


def test_a_clause_naming_a_type_the_library_lacks_is_refused(tmp_path):
    copy = with_a_letter_type(mini_copy(tmp_path))
    copy.edit("library/clauses/letter-undertaking.clause", "types: [letter]", "types: [lettre]")
    with pytest.raises(LibraryError, match="'lettre' is not an agreement type of the library"):
        copy.sources()
    result = CliRunner().invoke(cli, ["generate", str(copy.deal), "-o", str(tmp_path / "x.docx"), "--library", str(copy.library),
                                      "--jurisdictions", str(copy.jurisdictions)])
    assert result.exit_code == 4 and "lettre" in result.output and "Traceback" not in result.output


class Answering:
    """A wizard asker that picks the letter, keeps every default and types the example."""

    def __init__(self):
        self.asked: list[str] = []

    def say(self, text, kind="plain"):
        pass

    def text(self, message, *, current, check, multiline=False, back=True, hint="", blank_ok=False):
        self.asked.append(message)
        for typed in ("" if current else None, "2026-12-01", "the drawings", "Some Name"):
            if typed is not None and check(typed) is None:
                return typed
        raise AssertionError(f"no answer for {message}")

    def select(self, message, choices, *, default=None, back=True):
        self.asked.append(message)
        assert len(self.asked) < 200
        if message == "Type of agreement":
            return "letter"
        return default if default is not None else choices[0][0]

    def checkbox(self, message, choices, *, default=(), back=True):
        self.asked.append(message)
        return list(default)


@pytest.mark.parametrize("quick", [False, True])
def test_the_wizard_asks_the_type_first_then_only_what_it_needs(tmp_path, quick):
    copy = with_a_letter_type(mini_copy(tmp_path))
    asker = Answering()
    written = wizard.run(copy.sources(), asker, output=tmp_path / "letter.docx", quick=quick)
    assert written is not None
    assert asker.asked[0] == "Type of agreement"  # in quick mode too, though it has a default
    assert "Information covered" in asker.asked
    assert not {"Price", "Products: what next?", "Years", "Tooling"} & set(asker.asked)
    answers = written.answers.read_text(encoding="utf-8")
    assert "Letter of Confidentiality" in answers.splitlines()[0] and "type: letter" in answers
    assert pipeline.generate(written.answers, None, sources=copy.sources(), page_numbers=True).docx == written.docx.read_bytes()
