"""The files the interview offers for download once generated: the agreement (the same bytes
``clausewright generate`` makes from the answers file), the answers file, the drafting memo and,
where LibreOffice is installed, a PDF copy."""

from __future__ import annotations

from pathlib import Path

from clausewright import pipeline, yamlio
from clausewright.interview import output
from clausewright.interview.answers import Answers
from clausewright.ooxml import layout
from clausewright.ooxml.namespaces import DOCX_MEDIA_TYPE as DOCX
from clausewright.web.state import Download

YAML = "application/yaml"
UNFINISHED = "# Unfinished answers (clausewright serve): load this file on the first page to continue.\n"


def document_name(answers: Answers) -> Path:
    return Path(output.suggested_name(answers.value("supplier.name"), answers.value("buyer.name")))


def answers_file(answers: Answers, sources: pipeline.Sources) -> Download:
    """The answers as they stand: the answers file ``generate`` reads when they are complete (every
    value, defaults included), else the answers given so far."""
    name = document_name(answers)
    if answers.complete():
        text = output.answers_text(answers.deal(), sources, name)
    else:
        text = UNFINISHED + yamlio.dump(answers.tree())
    return Download(output.answers_path(name).name, text.encode("utf-8"), YAML)


def generate(answers: Answers, sources: pipeline.Sources) -> tuple[pipeline.Result, dict[str, Download]]:
    """Draft the agreement from the answers file's text (raises ``FindingsError`` on an error-level
    finding, as ``generate`` does) and make every download, keyed by its address."""
    name = document_name(answers)
    text, result = output.draft(answers.deal(), sources, name)
    files = {
        "agreement": Download(name.name, result.docx, DOCX),
        "answers": Download(output.answers_path(name).name, text.encode("utf-8"), YAML),
        "memo": Download(f"{name.stem}-memo.docx", pipeline.memo_of(result, sources), DOCX),
    }
    if layout.soffice() is not None:
        files["pdf"] = Download(f"{name.stem}.pdf", layout.to_pdf(result.docx, layout.TIMEOUT_SECONDS), "application/pdf")
    return result, files
