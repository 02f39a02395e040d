"""What an interview produces: the answers file, and the agreement made from that file's own text.

The answers file is a deal file (``Deal.answers``: every value that applies, defaults included),
with a header naming the library and the commands that regenerate or reopen it. The agreement is
made from the file's text, read and put through ``pipeline.draft`` exactly as ``clausewright
generate OUT.answers.yaml`` does (contents page numbers included, when LibreOffice can lay it
out), so the two give the same document byte for byte.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from slugify import slugify

from clausewright import __version__, pipeline, yamlio
from clausewright.inputs.deal import Deal, read_deal_text
from clausewright.quoting import argument


def suggested_name(supplier: object, buyer: object) -> str:
    """The document's name when the lawyer names none: after the supplier (or buyer), e.g.
    ``sao-mai-co-agreement.docx``."""
    name = supplier or buyer or "agreement"
    return f"{slugify(str(name))[:60] or 'agreement'}-agreement.docx"


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


def draft(deal: Deal, sources: pipeline.Sources, output: Path, *, options: str = "", allow: tuple[str, ...] | list[str] = ()) -> tuple[str, pipeline.Result]:
    """The answers file's text for ``output`` and the checked agreement made from it (nothing
    written). Raises ``FindingsError`` on an error-level finding ``allow`` does not name."""
    text = answers_text(deal, sources, Path(output), options)
    source = str(answers_path(Path(output)))
    return text, pipeline.draft(read_deal_text(text, source), sources, source=source, allow=allow, page_numbers=True)
