"""What the wizard leaves behind: the answers file and the DOCX made from it.

The answers file is a deal file (``Deal.answers``: every value that applies, defaults included),
so ``clausewright generate OUT.answers.yaml -o OUT.docx`` makes the same document byte for byte.
To guarantee that, the DOCX is generated from the answers file's own text, by the same
``pipeline.generate`` that ``clausewright generate`` runs.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from clausewright import __version__, pipeline, yamlio
from clausewright.errors import ClausewrightError
from clausewright.files import write_atomic
from clausewright.inputs.deal import Deal, read_deal_text
from clausewright.quoting import argument


def answers_path(output: Path) -> Path:
    """``acme.docx`` -> ``acme.answers.yaml``, beside it."""
    output = Path(output)
    return output.with_name(f"{output.stem}.answers.yaml")


def answers_text(deal: Deal, sources: pipeline.Sources, output: Path, options: str = "") -> str:
    lib = sources.library
    answers, docx = (shlex.quote(argument(p.name)) for p in (answers_path(output), output))
    header = (
        f"# Answers for {output.name}: {lib.type_of(deal).title} (library {lib.id} {lib.version}, clausewright {__version__}).\n"
        f"# Regenerate the same document:  clausewright generate {answers} -o {docx}{options}\n"
        f"# Change answers in the wizard:   clausewright wizard --answers {answers} -o {docx}{options} --force\n"
    )
    return header + yamlio.dump(deal.answers(sources.schema))


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
    path = answers_path(output)
    text = answers_text(deal, sources, output, options)
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise ClausewrightError(f"folder {folder} does not exist")
    result = pipeline.draft(read_deal_text(text, str(path)), sources, source=str(path), allow=allow, page_numbers=True)
    write_atomic(path, text.encode("utf-8"), force=force)
    write_atomic(output, result.docx, force=force)
    result.output = output
    return Written(docx=output, answers=path, result=result)
