"""The worked example of docs/library-format.md, followed mechanically, so the manual cannot drift.

The example's fenced blocks are its steps, in order:

- ```sh: each line is run from a copy of the top folder: ``cp``, ``cp -r`` and ``mkdir -p`` as the
  shell would, ``clausewright ...`` through the command line, each expected to succeed;
- ```text right after a ```sh block: each of its lines other than ``...`` appears in what that
  block's commands printed;
- ```diff file=PATH: the lines taken out (``-``) are replaced by the lines put in (``+``), hunk by
  hunk (hunks are separated by ``...``);
- ```yaml file=PATH / ```clause file=PATH: the file is written as shown (``append``: added at the end);
- ```word file=PATH: the style changes made in Word (``STYLE NAME: font NAME, size POINTS``), made
  here in the template's styles part as Word makes them.
"""

from __future__ import annotations

import re
import shlex
import shutil
import zipfile
from pathlib import Path

from click.testing import CliRunner
from conftest import ROOT

from clausewright.cli.main import cli

MANUAL = ROOT / "docs" / "library-format.md"
_BLOCK = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```$", re.M | re.S)


def _steps() -> list[tuple[str, dict[str, str], str]]:
    text = MANUAL.read_text(encoding="utf-8")
    start = text.index("## A worked example")
    example = text[start: text.index("\n## 1. ", start)]
    steps = []
    for kind, info, body in _BLOCK.findall(example):
        options = dict(part.split("=", 1) if "=" in part else (part, "yes") for part in info.split())
        steps.append((kind, options, body))
    return steps


def _run(line: str, top: Path) -> str:
    words = shlex.split(line)
    if words[:2] == ["cp", "-r"]:
        shutil.copytree(top / words[2], top / words[3])
        return ""
    if words[0] == "cp":
        shutil.copy(top / words[1], top / words[2])
        return ""
    if words[:2] == ["mkdir", "-p"]:
        (top / words[2]).mkdir(parents=True, exist_ok=True)
        return ""
    assert words[0] == "clausewright", line
    result = CliRunner().invoke(cli, words[1:])
    assert result.exit_code == 0, f"{line}\n{result.output}"
    return result.output


def _apply_diff(path: Path, body: str) -> None:
    text = path.read_text(encoding="utf-8")
    for hunk in re.split(r"^\.\.\.\n", body, flags=re.M):
        lines = hunk.splitlines()
        old = "\n".join(line[1:] for line in lines if line[:1] in ("-", " ")) + "\n"
        new = "\n".join(line[1:] for line in lines if line[:1] in ("+", " ")) + "\n"
        assert text.count(old) == 1, f"{path}: the lines to take out are not there once:\n{old}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def _restyle(path: Path, body: str) -> None:
    """Style changes as Word stores them: fonts (w:rFonts) and size in half-points (w:sz) in the
    style's run properties."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    styles = parts["word/styles.xml"].decode("utf-8")
    for line in body.splitlines():
        name, changes = line.split(":", 1)
        found = re.search(rf'<w:style [^>]*>(?:(?!</w:style>).)*?<w:name w:val="{re.escape(name.strip())}"/>.*?</w:style>', styles, re.S)
        assert found, name
        style = found.group(0)
        runs = ""
        for change in changes.split(","):
            key, value = change.split()
            runs += f'<w:rFonts w:ascii="{value}" w:hAnsi="{value}"/>' if key == "font" else f'<w:sz w:val="{int(value) * 2}"/>'
        restyled = style.replace("<w:rPr>", "<w:rPr>" + runs, 1) if "<w:rPr>" in style else style.replace("</w:style>", f"<w:rPr>{runs}</w:rPr></w:style>")
        styles = styles.replace(style, restyled)
    parts["word/styles.xml"] = styles.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_the_worked_example_of_the_manual_runs_as_written(tmp_path, monkeypatch):
    for folder in ("clause_library", "jurisdictions", "samples", "templates"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    steps = _steps()
    kinds = [kind for kind, _, _ in steps]
    assert {"sh", "text", "diff", "yaml", "clause", "word"} <= set(kinds), kinds
    printed = None
    for kind, options, body in steps:
        if kind == "sh":
            printed = "".join(_run(line, tmp_path) for line in body.splitlines() if line.strip() and not line.startswith("#"))
        elif kind == "text":
            assert printed is not None, "expected output with no command before it"
            for line in body.splitlines():
                if line != "...":
                    assert line in printed, f"{line!r} not in:\n{printed}"
        elif kind == "diff":
            _apply_diff(tmp_path / options["file"], body)
        elif kind == "word":
            _restyle(tmp_path / options["file"], body)
        else:
            target = tmp_path / options["file"]
            if "append" in options:
                target.write_text(target.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + body, encoding="utf-8")
            else:
                target.write_text(body, encoding="utf-8")

    # what the example promises: the Indonesian draft's forum and signing boxes, the restyled headings
    with zipfile.ZipFile(tmp_path / "firm" / "drafts" / "nusantara.docx") as z:
        document = z.read("word/document.xml").decode("utf-8")
    for text in ("BANI Arbitration Center", "Jakarta, Indonesia", "Company stamp", "Affix a Rp 10,000 meterai here and sign across it (verify)"):
        assert text in document, text
    with zipfile.ZipFile(tmp_path / "firm" / "drafts" / "saigon-v2.docx") as z:
        assert '<w:rFonts w:ascii="Georgia" w:hAnsi="Georgia"/><w:sz w:val="26"/>' in z.read("word/styles.xml").decode("utf-8")
