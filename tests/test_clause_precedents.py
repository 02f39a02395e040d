"""A clause read as a precedent: its positions written as separate ``::position`` blocks and its
conditions on whole paragraphs (``::when``), with exactly the agreement the Jinja form gave."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES

from clausewright.cli.main import cli

DEAL = SAMPLES / "vietnam-supplier.yaml"


def _as_jinja(text: str) -> str:
    """The audit and liability clauses as they were written before directive lines."""
    replacements = [
        ("::position buyer\n", "{% if position == 'buyer' %}\n"),
        ("::position balanced\n", "{% elif position == 'balanced' %}\n"),
        ("::position supplier\n+ {#audit-rights}", "{% else %}\n+ {#audit-rights}"),
        ("::position supplier\n+ {#costs}", "{% if position == 'supplier' %}\n+ {#costs}"),
        ("::position buyer, balanced\n", "{% else %}\n"),
        ("::position balanced, supplier\n", "{% else %}\n"),
        ("::end\n", "{% endif %}\n"),
    ]
    for old, new in replacements:
        text = text.replace(old, new)
    return text


def _document_xml(library: Path, out: Path, position: str) -> bytes:
    result = CliRunner().invoke(cli, ["generate", str(DEAL), "-o", str(out), "--force", "--library", str(library),
                                      "--set", f"positions.overall={position}", "--set", "liquidated_damages.applies=yes", "--set", "liquidated_damages.amount=250000"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        return z.read("word/document.xml")


def test_positions_as_blocks_give_the_agreement_the_jinja_form_gave(tmp_path):
    blocks = tmp_path / "blocks"
    jinja = tmp_path / "jinja"
    shutil.copytree(ROOT / "clause_library", blocks)
    shutil.copytree(ROOT / "clause_library", jinja)
    audit = (blocks / "clauses" / "audit.clause").read_text(encoding="utf-8")
    assert audit.count("::position") == 5 and "{% if position" not in audit  # each position reads as its own precedent
    (jinja / "clauses" / "audit.clause").write_text(_as_jinja(audit), encoding="utf-8")
    liability = (blocks / "clauses" / "liability.clause").read_text(encoding="utf-8")
    assert "::when deal.liquidated_damages.applies\n" in liability
    paragraph = liability.split("::when deal.liquidated_damages.applies\n", 1)[1].split("\n\n", 1)[0]
    (jinja / "clauses" / "liability.clause").write_text(_as_jinja(liability.replace(
        f"::when deal.liquidated_damages.applies\n{paragraph}\n", f"{{% if deal.liquidated_damages.applies %}}\n{paragraph}\n{{% endif %}}\n")), encoding="utf-8")
    for position in ("buyer", "balanced", "supplier"):
        expected = _document_xml(jinja, tmp_path / f"j-{position}.docx", position)
        assert _document_xml(blocks, tmp_path / f"b-{position}.docx", position) == expected, position


def _mini_clause(tmp_path: Path, body: str) -> Path:
    library = tmp_path / "library"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini" / "library", library)
    (library / "clauses" / "points.clause").write_text(
        "---\nid: points\ntitle: Points\nversion: 0.1.0\npart: body\norder: 40\nposition: audit\n"
        "positions: {buyer: b, balanced: m, supplier: s}\n---\n" + body, encoding="utf-8")
    return library


def _text(library: Path, tmp_path: Path, *sets: str) -> tuple[int, str]:
    mini = ROOT / "tests" / "fixtures" / "mini"
    args = ["generate", str(mini / "deal.yaml"), "-o", str(tmp_path / "o.docx"), "--force", "--library", str(library), "--jurisdictions", str(mini / "jurisdictions")]
    for s in sets:
        args += ["--set", s]
    result = CliRunner().invoke(cli, args)
    if result.exit_code:
        return result.exit_code, result.stderr
    from clausewright.ooxml.reader import read
    return 0, "\n".join(p.text for p in read((tmp_path / "o.docx").read_bytes()).paragraphs)


BODY = """+ Always.

::when deal.supplier.country == deal.supplier.country
Also always, unnumbered.

::when deal.buyer.name == 'nobody'
Never printed.

::position buyer
+ Buyer text.
::position balanced, supplier
+ Balanced or supplier text.
::end

+ After.
"""


@pytest.mark.parametrize("position, present, absent", [
    ("buyer", "Buyer text.", "Balanced or supplier text."),
    ("balanced", "Balanced or supplier text.", "Buyer text."),
    ("supplier", "Balanced or supplier text.", "Buyer text."),
])
def test_position_blocks_and_paragraph_conditions(tmp_path, position, present, absent):
    library = _mini_clause(tmp_path, BODY)
    status, text = _text(library, tmp_path, f"positions.overall={position}")
    assert status == 0, text
    assert present in text and absent not in text and "Never printed." not in text and "::" not in text
    lines = text.split("\n")
    assert lines[lines.index("Always.") + 1] == "Also always, unnumbered."  # its own paragraph, not joined to the next


@pytest.mark.parametrize("directive, message", [
    ("::position buyr", "line 12: ::position 'buyr': name one or more of the positions buyer, balanced, supplier"),
    ("::position buyer\n+ One.\n::position buyer", "line 14: ::position buyer comes twice before ::end"),
    ("::position buyer\n+ One.", "line 12: ::position buyer is not closed by ::end"),
    ("::end", "line 12: ::end without a ::position before it"),
    ("::when", "line 12: ::when needs a condition"),
])
def test_a_bad_directive_is_named_at_its_line(tmp_path, directive, message):
    library = _mini_clause(tmp_path, "+ First.\n\n" + directive + "\n")
    status, text = _text(library, tmp_path)
    assert status == 4 and f"points.clause, {message}" in text, text
