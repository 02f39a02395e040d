"""``clausewright review``: a returned draft against ours, as a redline and an issues list (docs/review.md)."""

from __future__ import annotations

from pathlib import Path

import click

from clausewright import pipeline
from clausewright.cli.common import reports_errors, sources_options
from clausewright.files import write_atomic
from clausewright.ooxml.comments import Author
from clausewright.qa import returned
from clausewright.qa.returned import issues as issues_list
from clausewright.qa.returned.classify import Deals

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command()
@click.argument("returned_draft", metavar="RETURNED.docx", type=_FILE)
@click.option("--against", "against", required=True, type=_FILE, metavar="OURS.docx|DEAL.yaml",
              help="Our draft: the DOCX we sent, or the deal file it is generated from again.")
@click.option("--deal", "deal_file", type=_FILE, metavar="DEAL.yaml",
              help="With --against OURS.docx: the deal's answers, to compare changes with the library's positions.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="REDLINE.docx",
              help="The redline: our draft with their changes as Word revisions.")
@click.option("--issues", "issues_path", type=click.Path(dir_okay=False, path_type=Path), metavar="ISSUES.xlsx|ISSUES.docx",
              help="Also write the issues list (XLSX table or DOCX).")
@click.option("--counterparty", metavar="NAME", help="Who changes made without tracking are attributed to (default: the supplier's name).")
@click.option("--comment-author", metavar="NAME", help="Who signs the review comments (default: the library's author).")
@click.option("--force", is_flag=True, help="Replace the output files if they exist.")
@sources_options
@reports_errors
def review(returned_draft, against, deal_file, output, issues_path, counterparty, comment_author, force, library_dir, jurisdictions_dir, template):
    """Review RETURNED.docx against our draft: a redline and the changes classified.

    Aligns the two drafts clause by clause (by the clause ids of our provenance, else by heading,
    number and text), writes our draft with every difference as a Word revision and a comment on
    each changed clause, and classifies each change against the library's positions and floors."""
    for path, suffixes in ((output, (".docx",)), (issues_path, (".xlsx", ".docx"))):
        if path is not None and path.suffix.lower() not in suffixes:
            raise click.BadParameter(f"{str(path)!r} does not end in {' or '.join(suffixes)}", param_hint="'-o'" if path is output else "'--issues'")
    sources = pipeline.load_sources(library_dir, jurisdictions_dir, template)
    deals = None
    if against.suffix.lower() in (".yaml", ".yml"):
        if deal_file is not None:
            raise click.UsageError("--deal applies only with --against OURS.docx (the deal file is already given)")
        deal_file = against
    answers = pipeline.read_answers(deal_file) if deal_file is not None else None
    if answers is not None and deal_file is not None:
        deal = pipeline.validate_deal(answers, sources, source=str(deal_file))
        deals = Deals(sources.library, sources.jurisdictions, answers, deal, source=str(deal_file))
    if against.suffix.lower() in (".yaml", ".yml"):
        assert deals is not None
        ours = pipeline.build_docx(pipeline.assemble(deals.deal, sources, strict=False), deals.deal, sources)
        ours_name = f"our draft ({against})"
    else:
        ours, ours_name = against.read_bytes(), str(against)
    result = returned.review(ours, returned_draft.read_bytes(), sources.library, deals=deals, ours_name=ours_name, theirs_name=str(returned_draft),
                             counterparty=counterparty, author=Author(comment_author) if comment_author else None)
    write_atomic(output, result.redline, force=force)
    if issues_path is not None:
        data = (issues_list.to_xlsx(result.issues) if issues_path.suffix.lower() == ".xlsx"
                else issues_list.to_docx(result.issues, f"Issues list: {returned_draft.name}", sources))
        write_atomic(issues_path, data, force=force)
    click.echo(returned.format_text(result, str(returned_draft), ours_name))
    click.echo(f"Wrote the redline to {output}" + (f" and the issues list to {issues_path}" if issues_path else "") + ".", err=True)
