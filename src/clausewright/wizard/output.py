"""What the wizard leaves behind: the answers file and the DOCX made from it
(``interview/output.py``), so ``clausewright generate OUT.answers.yaml -o OUT.docx`` makes the
same document byte for byte."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clausewright import pipeline
from clausewright.errors import ClausewrightError
from clausewright.files import write_atomic
from clausewright.inputs.deal import Deal
from clausewright.interview import output as interview_output
from clausewright.interview.output import answers_path, answers_text


def check_free(output: Path, *, force: bool) -> None:
    """Refuse early (before any question) to replace an existing document or answers file."""
    for path in (Path(output), answers_path(output)):
        if path.exists() and not force:
            raise ClausewrightError(f"{path} already exists; use --force to replace it, or choose another -o")


@dataclass
class Written:
    docx: Path
    answers: Path
    result: pipeline.Result


def write_answers(deal: Deal, sources: pipeline.Sources, output: Path, *, force: bool, options: str = "") -> Path:
    path = answers_path(output)
    write_atomic(path, answers_text(deal, sources, output, options).encode("utf-8"), force=force)
    return path


def write_agreement(
    deal: Deal, sources: pipeline.Sources, output: Path, *, force: bool, options: str = "", allow: tuple[str, ...] | list[str] = ()
) -> Written:
    """Write OUT.answers.yaml and the DOCX that ``generate`` makes from it (each atomically).

    The DOCX is made from the answers file's own text, read and put through the pipeline
    exactly as ``clausewright generate OUT.answers.yaml`` does (contents page numbers included,
    when LibreOffice can lay it out); only when that succeeds are the two files written.
    """
    output = Path(output)
    check_free(output, force=force)
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise ClausewrightError(f"folder {folder} does not exist")
    text, result = interview_output.draft(deal, sources, output, options=options, allow=allow)
    path = answers_path(output)
    write_atomic(path, text.encode("utf-8"), force=force)
    write_atomic(output, result.docx, force=force)
    result.output = output
    return Written(docx=output, answers=path, result=result)
