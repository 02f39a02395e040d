"""``clausewright check``, ``explain``, ``terms``, ``library check`` and ``diff`` (see docs/qa.md and docs/terms.md)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from clausewright import findings as finding_list
from clausewright import pipeline, quoting
from clausewright.cli.common import (
    jurisdictions_option,
    library_option,
    reports_errors,
    sources_options,
)
from clausewright.errors import EXIT_INPUT, InputError
from clausewright.files import write_atomic
from clausewright.ooxml.reader import read_clauses
from clausewright.qa import diff as document_diff
from clausewright.qa import explain as explanations
from clausewright.qa import library_check as library_checks
from clausewright.qa import terms as key_terms
from clausewright.qa.review import review

DEAL_INVALID = finding_list.kind("deal-invalid", "error", "the deal itself is invalid (a missing or wrong answer); reported by check --format json", "deal")

_deal_argument = click.argument("deal", type=click.Path(exists=True, dir_okay=False, path_type=Path))
_set_option = click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a deal value (buyer.name=...). Repeatable.")
_format_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
_type_option = click.option("--type", "type_id", metavar="TYPE", help="For a deal that drafts a pack (agreement.documents): the document to read, by its type.")


def validated(deal: Path, overrides: tuple[str, ...], sources: pipeline.Sources, type_id: str | None = None, *,
              fits: Callable[[str], bool] | None = None) -> pipeline.Deal:
    """The answers of the one document the deal file drafts, with ``--set`` applied, validated: in
    a pack, the document ``--type`` names (or the one ``fits``, pipeline.one_document). For the
    commands that only read it: a problem does not add that nothing was written."""
    raw = pipeline.read_answers(deal, overrides)
    try:
        answers = pipeline.one_document(raw, sources, type_id, source=str(deal), fits=fits)
        return pipeline.validate_deal(answers, sources, source=str(deal), overrides=overrides)
    except InputError as exc:
        raise InputError(exc.problems, exc.source, outcome=None) from None


def documents(deal: Path, overrides: tuple[str, ...], sources: pipeline.Sources) -> list[tuple[str | None, dict, pipeline.Deal]]:
    """Each document the deal drafts, as (its type in a pack, or None; its answers as read; its
    validated answers): one, or every document a pack deal lists."""
    raw = pipeline.read_answers(deal, overrides)
    try:
        listed = pipeline.documents_of(raw, sources, source=str(deal))
        each: list[tuple[str | None, dict]] = [(t, pipeline.for_document(raw, t, listed, sources)) for t in listed] or [(None, raw)]
        return [(t, answers, pipeline.validate_deal(answers, sources, source=str(deal), overrides=overrides)) for t, answers in each]
    except InputError as exc:
        raise InputError(exc.problems, exc.source, outcome=None) from None


@click.command()
@_deal_argument
@_set_option
@click.option("--allow", multiple=True, metavar="ID", help="Accept an error-level finding by its id (as generate does). Repeatable.")
@_format_option
@sources_options
@reports_errors
def check(deal, overrides, allow, fmt, library_dir, jurisdictions_dir, template):
    """Check the agreement DEAL would produce, without writing anything.

    Prints the drafting QA and jurisdiction rule findings grouped by severity; exits 1 when there
    is an error-level finding that --allow does not name."""
    sources = pipeline.load_sources(library_dir, jurisdictions_dir, template)
    try:
        drafts = documents(deal, overrides, sources)
    except InputError as exc:
        if fmt != "json":
            raise
        findings = [finding_list.make(DEAL_INVALID, p.message, subject=p.field) for p in exc.problems]
        click.echo(finding_list.to_json(findings, deal=str(deal)))
        sys.exit(EXIT_INPUT)
    checked = []
    for type_id, raw, answers in drafts:
        composition = pipeline.assemble(answers, sources, strict=False)
        findings = review(composition, answers, sources.jurisdictions, allow=allow, answers=raw)
        checked.append((type_id, composition, findings))
    if fmt == "json" and len(checked) == 1:
        click.echo(finding_list.to_json(checked[0][2], deal=str(deal)))
    elif fmt == "json":  # a pack: one entry per document
        click.echo(json.dumps({"deal": str(deal), "documents": [{"type": t, **json.loads(finding_list.to_json(f))} for t, _, f in checked]}, indent=2, ensure_ascii=False))
    else:
        for type_id, composition, findings in checked:
            which = f" ({composition.agreement.title})" if type_id else ""
            click.echo(finding_list.format_text(findings, title=f"Checked {deal}{which}: {len(composition.agreement.body)} clauses, {len(composition.agreement.schedules)} schedules"))
    sys.exit(1 if any(finding_list.blocking(f) for _, _, f in checked) else 0)


@click.command()
@_deal_argument
@_set_option
@_format_option
@sources_options
@reports_errors
def explain(deal, overrides, fmt, library_dir, jurisdictions_dir, template):
    """Explain, for every clause of the library, why it is in or out of DEAL's agreement.

    Shows each clause's condition and the values that decided it, the negotiation position used
    and its drafting note, the counsel notes attached, and the profile each jurisdiction-specific
    part came from."""
    sources = pipeline.load_sources(library_dir, jurisdictions_dir, template)
    lib = sources.library
    out = []
    for _, _, answers in documents(deal, overrides, sources):
        composition = pipeline.assemble(answers, sources, strict=False)
        explained = explanations.explain(lib, answers, sources.jurisdictions, composition)
        if fmt == "json":
            out.append(explanations.to_json(explained, deal=str(deal), library=f"{lib.id} {lib.version}", type=lib.type_of(answers).id,
                                            choices=explanations.summary(answers, sources.jurisdictions, lib.type_of(answers))))
        else:
            header = [f"{lib.type_of(answers).title} (library {lib.id} {lib.version}) for {deal}", *explanations.summary(answers, sources.jurisdictions, lib.type_of(answers))]
            out.append(explanations.format_text(explained, header))
    if fmt == "json" and len(out) > 1:  # a pack: a list, one explanation per document
        click.echo("[\n" + ",\n".join(out) + "\n]")
    else:
        click.echo("\n\n".join(out))


TERMS_FORMATS = {".json": "json", ".csv": "csv", ".txt": "text"}


@click.command()
@_deal_argument
@_set_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default=None,
              help="Output format (default: from the -o file's extension, else text).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE", help="Write to FILE (.json, .csv or .txt) instead of the screen.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@_type_option
@sources_options
@reports_errors
def terms(deal, overrides, fmt, output, force, type_id, library_dir, jurisdictions_dir, template):
    """The key terms of DEAL's agreement, each with the number of the clause it comes from.

    Parties, dates, term and renewal, notice periods, governing law and disputes, caps and agreed
    sums, payment, confidentiality, audit, tooling, and the key dates to calendar. The columns and
    the JSON are documented in docs/terms.md and docs/terms.schema.json. Writes nothing unless -o
    is given."""
    fmt = _terms_format(fmt, output)
    sources = pipeline.load_sources(library_dir, jurisdictions_dir, template)
    answers = validated(deal, overrides, sources, type_id)
    composition = pipeline.assemble(answers, sources, strict=False)
    found = pipeline.key_terms(composition, answers, sources)
    lib = sources.library
    if fmt == "csv":
        rows = key_terms.csv_rows(found, lib.terms)
        text, data = quoting.csv_text(rows[0], rows[1:]), quoting.csv_bytes(rows[0], rows[1:])
    else:
        text = key_terms.to_json(found, deal=str(deal), library=lib) if fmt == "json" else key_terms.format_text(found, f"Key terms of {deal} (library {lib.id} {lib.version}):")
        text += "\n"
        data = text.encode("utf-8")
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, data, force=force)
        click.echo(f"Wrote the key terms of {deal} to {output}.", err=True)


def _terms_format(fmt: str | None, output: Path | None) -> str:
    """The format asked for, or the one -o's extension names; refuses a mismatch."""
    implied = TERMS_FORMATS.get(output.suffix.lower()) if output is not None else None
    if output is not None and implied is None:
        raise click.BadParameter(f"{str(output)!r} does not end in .json, .csv or .txt", param_hint="'-o'")
    if fmt and implied and fmt != implied:
        raise click.BadParameter(f"{str(output)!r} is a {implied} file name but --format is {fmt}", param_hint="'-o'")
    return fmt or implied or "text"


@click.group("library")
def library():
    """Tools for the people who maintain a clause library."""


@library.command("check")
@library_option
@jurisdictions_option
@_format_option
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Processes for the combination matrix (default: one per CPU).")
@click.option("--update-versions", is_flag=True, help="First record in versions.lock each clause version not recorded yet (after bumping versions).")
@reports_errors
def library_check(library_dir, jurisdictions_dir, fmt, jobs, update_versions):
    """Check a clause library and its jurisdiction profiles.

    Every fragment compiles; every parameter used is declared and every declared parameter is
    used; every clause renders, with consistent terms and cross-references, under every
    governing law x supplier country x position; profile files are complete; no clause text
    changed without a version bump (versions.lock). Exits 1 on any error or warning."""
    report = library_checks.check(library_dir, jurisdictions_dir, jobs=jobs, update_versions=update_versions)
    click.echo(library_checks.to_json(report) if fmt == "json" else library_checks.format_text(report))
    sys.exit(0 if report.ok else 1)


@click.command()
@click.argument("documents", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--against-library", "deal", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="DEAL.yaml",
              help="Compare one edited DOCX with what the library produces for DEAL.yaml.")
@_set_option
@_format_option
@click.option("--exit-code", is_flag=True, help="Exit 1 when the documents differ.")
@_type_option
@sources_options
@reports_errors
def diff(documents, deal, overrides, fmt, exit_code, type_id, library_dir, jurisdictions_dir, template):
    """Compare agreements clause by clause: OLD.docx NEW.docx, or --against-library DEAL.yaml EDITED.docx.

    Clauses are matched by their id (recorded in each generated document), not their position;
    added, removed and changed clauses are listed with a word-level diff. A pack deal's document is
    the one whose type uses every clause of the edited DOCX, or the one --type names."""
    if deal is not None:
        if len(documents) != 1:
            raise click.UsageError("with --against-library, give exactly one document: the edited DOCX")
        new_path = documents[0]
        new = read_clauses(new_path.read_bytes(), name=str(new_path))
        sources = pipeline.load_sources(library_dir, jurisdictions_dir, template)
        answers = validated(deal, overrides, sources, type_id, fits=lambda t: _drafts_clauses(sources.library, t, new.clauses))
        composition = pipeline.assemble(answers, sources, strict=False)
        old_name = f"library ({deal})"
        old = read_clauses(pipeline.build_docx(composition, answers, sources), name=old_name)
    else:
        if len(documents) != 2:
            raise click.UsageError("give two documents, OLD.docx NEW.docx (or --against-library DEAL.yaml EDITED.docx)")
        if overrides or type_id:
            raise click.UsageError("--set and --type apply only with --against-library")
        old_name, new_path = str(documents[0]), documents[1]
        old = read_clauses(documents[0].read_bytes(), name=old_name)
        new = read_clauses(new_path.read_bytes(), name=str(new_path))
    notes = document_diff.provenance_notes(old, new, old_label="library" if deal else "old", new_label="edited" if deal else "new")
    diffs = document_diff.compare(old, new)
    click.echo(document_diff.to_json(diffs, old_name, str(new_path), notes) if fmt == "json" else document_diff.format_text(diffs, old_name, str(new_path), notes))
    if exit_code and any(d.status != "unchanged" for d in diffs):
        sys.exit(1)



def _drafts_clauses(library: Any, type_id: str, clause_ids: Iterable[str]) -> bool:
    """Whether agreements of type ``type_id`` use every one of the clauses ``clause_ids``."""
    kind = library.types[type_id]
    return all(cid in library.clauses and library.used_by(library.clauses[cid], kind) for cid in clause_ids)
