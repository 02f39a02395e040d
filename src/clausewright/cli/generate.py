"""``clausewright generate``: one agreement from a deal file, or the pack of documents a deal
lists (``agreement.documents``) into one folder."""

from __future__ import annotations

from pathlib import Path

import click

from clausewright import pack, pipeline
from clausewright.cli.common import DocxPath, contents_note, not_docx, print_findings, reports_errors, sources_options
from clausewright.errors import ClausewrightError
from clausewright.ooxml import pdf as pdf_output
from clausewright.ooxml.comments import Author

_MAX_AUTHOR = 255


@click.command()
@click.argument("deal", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Where to write the DOCX; for a deal that lists several documents (agreement.documents), the folder to write them into.")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a deal value; dotted keys reach nested fields (buyer.name=...). Repeatable.")
@click.option("--no-comments", is_flag=True, help="Leave local counsel notes out of the document.")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@click.option("--ask-missing", is_flag=True, help="On a terminal, ask for missing or invalid answers and save the completed ones beside OUTPUT (OUT.answers.yaml). Without a terminal, nothing is asked.")
@click.option("--allow", multiple=True, metavar="ID", help="Generate despite an error-level check finding with this id (see docs/qa.md). Repeatable.")
@click.option("--memo", type=DocxPath(), help="Also write a drafting memo (DOCX) for the reviewing lawyer.")
@click.option("--comment-author", metavar="NAME", help="Who the comments (counsel notes) are by, as Word shows it; default: the library's wording.author.")
@click.option("--comment-initials", metavar="INITIALS", help="The comments' initials; default: the first letter of each word of the author.")
@click.option("--pdf", is_flag=True, help="Also write a PDF beside the DOCX (same name, .pdf), made by LibreOffice.")
@click.option("--pdf-a", "pdf_a", is_flag=True, help="Write the PDF as PDF/A-2b, the archival PDF (implies --pdf).")
@click.option("--no-page-numbers", is_flag=True, help="Do not lay the document out with LibreOffice: the contents is left for Word to number when it updates fields on opening.")
@sources_options
@reports_errors
def generate(deal, output, overrides, no_comments, force, ask_missing, allow, memo, comment_author, comment_initials, no_page_numbers, pdf, pdf_a, library_dir, jurisdictions_dir, template):
    """Generate the agreement for DEAL (a YAML deal file) as a Word document, or, when DEAL lists
    several documents (agreement.documents), each of them with its memo and answers file into the
    folder OUTPUT, with one manifest."""
    sources = pipeline.load_sources(library_dir, jurisdictions_dir, template)
    documents = pipeline.documents_of(pipeline.read_answers(deal, overrides), sources, source=str(deal))
    if documents:
        if output.suffix.lower() == ".docx":
            raise click.UsageError(f"{deal} lists {len(documents)} documents ({pipeline.DOCUMENTS}): give -o the folder to write them into")
        for flag, given in (("--memo", memo), ("--ask-missing", ask_missing)):
            if given:
                raise click.UsageError(f"{flag} is for one document; a pack writes each document's memo and answers file into its folder")
        _generate_pack(deal, output, sources, overrides=overrides, comments=not no_comments, force=force, allow=allow,
                       author=_comment_author(comment_author, comment_initials), page_numbers=not no_page_numbers, pdf=pdf or pdf_a, pdf_a=pdf_a)
        return
    problem = not_docx(output)
    if problem:
        raise click.BadParameter(problem, param_hint="'-o' / '--output'")
    pdf_path = output.with_suffix(".pdf") if pdf or pdf_a else None
    if pdf_path is not None:
        pdf_output.require()
        if pdf_path.exists() and not force:
            raise ClausewrightError(f"{pdf_path} already exists; use --force to replace it")
    author = _comment_author(comment_author, comment_initials)
    if ask_missing:
        from clausewright import wizard  # the prompts' modules, only when they may be needed

        deal, overrides = wizard.ask_missing(deal, overrides, output, sources, force=force)
    result = pipeline.generate(deal, output, overrides=overrides, sources=sources, comments=not no_comments, force=force, allow=allow, memo=memo, author=author,
                               page_numbers=not no_page_numbers, pdf=pdf_path, pdf_a=pdf_a)
    agreement = result.composition.agreement
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    print_findings(result.findings)
    if no_page_numbers or result.unnumbered_contents:
        reason = "--no-page-numbers" if no_page_numbers else result.unnumbered_contents
        click.echo(contents_note(reason), err=True)
    if agreement.pruned_definitions:
        click.echo(f"Note: {len(agreement.pruned_definitions)} unused definition(s) left out: {', '.join(agreement.pruned_definitions)}", err=True)
    n, k = len(agreement.body), len(agreement.schedules)
    click.echo(f"Wrote {output} ({n} clause{'s' if n != 1 else ''}, {k} schedule{'s' if k != 1 else ''})")
    if memo:
        click.echo(f"Wrote {memo} (drafting memo)")
    if pdf_path is not None:
        click.echo(f"Wrote {pdf_path}" + (" (PDF/A-2b)" if pdf_a else ""))


def _generate_pack(deal: Path, folder: Path, sources: pipeline.Sources, *, pdf: bool, pdf_a: bool, force: bool, **options) -> None:
    if pdf:
        pdf_output.require()
    written = pack.generate(deal, folder, sources=sources, force=force, **options)
    for document in written:
        print_findings(document.result.findings)
        agreement = document.result.composition.agreement
        click.echo(f"Wrote {document.docx} ({agreement.title}: {_count(agreement.body, 'clause')}, {_count(agreement.schedules, 'schedule')}), "
                   f"{document.memo.name} and {document.answers.name}")
    click.echo(f"Wrote {folder / pack.MANIFEST}")
    if pdf:
        with pdf_output.PdfConverter(pdf_a=pdf_a) as converter:
            for document in written:
                target = document.docx.with_suffix(".pdf")
                if target.exists() and not force:
                    raise ClausewrightError(f"{target} already exists; use --force to replace it")
                converter.convert(document.docx, target)
                click.echo(f"Wrote {target}")


def _count(items: list, what: str) -> str:
    return f"{len(items)} {what}{'s' if len(items) != 1 else ''}"


def _comment_author(name: str | None, initials: str | None) -> Author | None:
    """The --comment-author and --comment-initials options (None: the library's author)."""
    for option, value in (("--comment-author", name), ("--comment-initials", initials)):
        if value is None:
            continue
        if not value.strip():
            raise click.BadParameter("must not be empty", param_hint=option)
        if len(value) > _MAX_AUTHOR or not value.isprintable():
            raise click.BadParameter(f"{value[:40]!r} must be one line of printable text, at most {_MAX_AUTHOR} characters", param_hint=option)
    if name is None:
        if initials is not None:
            raise click.BadParameter("needs --comment-author", param_hint="--comment-initials")
        return None
    return Author(name.strip(), (initials or "").strip())
