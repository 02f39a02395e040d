"""``clausewright clauses ...`` and ``clausewright jurisdictions ...``: what the library holds."""

from __future__ import annotations

from pathlib import Path

import click

from clausewright import pipeline, resources, yamlio
from clausewright.cli.common import jurisdictions_option, library_option, reports_errors, sources_options
from clausewright.errors import UsageError, nearest
from clausewright.files import write_atomic
from clausewright.inputs.jurisdictions import load_jurisdictions
from clausewright.inputs.library import load_library
from clausewright.qa import preview


def _library(library_dir):
    return load_library(library_dir or resources.library_dir())


def _jurisdictions(jurisdictions_dir):
    return load_jurisdictions(jurisdictions_dir or resources.jurisdictions_dir())


@click.group()
def clauses():
    """List and show the clauses of the library."""


@clauses.command("list")
@library_option
@reports_errors
def clauses_list(library_dir):
    """List the clauses of each agreement type: id, version, part, condition."""
    lib = _library(library_dir)
    click.echo(f"{lib.title} (library {lib.id} {lib.version})")
    for kind in lib.types.values():
        if len(lib.types) > 1:
            click.echo(f"{kind.title} (agreement.type: {kind.id})")
        for part in ("front", "body", "schedule"):
            for c in lib.ordered(part, kind):
                cond = f"  when: {c.when}" if c.when else ""
                topic = f"  position: {c.position}" if c.position else ""
                click.echo(f"  {c.id:<34} {c.version:<8} {part:<9}{c.title}{cond}{topic}")


@clauses.command("show")
@click.argument("clause_id")
@library_option
@reports_errors
def clauses_show(clause_id, library_dir):
    """Show one clause: its metadata, positions, definitions and source."""
    lib = _library(library_dir)
    if clause_id not in lib.clauses:
        raise _unknown("clause", clause_id, {cid: cid for cid in lib.clauses}, "clausewright clauses list")
    c = lib.clause(clause_id)
    where = c.path.relative_to(lib.directory).as_posix() + (f" in {lib.directory}" if library_dir else " in the bundled library")
    click.echo(f"{c.id}: {c.title}\n  version {c.version}, part {c.part}, order {c.order}\n  file {where}")
    click.echo(f"  when: {c.when or 'always'}")
    if len(lib.types) > 1:
        click.echo(f"  types: {', '.join(t.id for t in lib.types.values() if lib.used_by(c, t))}")
    if c.uses:
        click.echo(f"  uses: {', '.join(c.uses)}")
    if c.position:
        click.echo(f"  negotiated topic: {c.position}")
        for pos, note in c.positions.items():
            click.echo(f"    {pos}: {note}")
    if c.defines:
        click.echo(f"  defines: {', '.join(d.term for d in c.defines)}")
    click.echo("\n" + c.body.rstrip())


@click.group()
def jurisdictions():
    """List and show jurisdiction profiles."""


@jurisdictions.command("list")
@jurisdictions_option
@reports_errors
def jurisdictions_list(jurisdictions_dir):
    """List the profiles with their version and default forum."""
    j = _jurisdictions(jurisdictions_dir)
    for pid, p in sorted(j.profiles.items()):
        d = p.data["defaults"]
        click.echo(f"  {pid:<15} {p.version:<7} {p.name:<22} reviewed {p.data['last_reviewed']}  default: {d['governing_law']} law, {d['institution']} seated in {d['seat']}")


@jurisdictions.command("show")
@click.argument("profile_id")
@jurisdictions_option
@reports_errors
def jurisdictions_show(profile_id, jurisdictions_dir):
    """Show a profile in full, including its local counsel notes."""
    j = _jurisdictions(jurisdictions_dir)
    names = j.other_names()["jurisdiction"]
    profile_id = names.aliases.get(profile_id.casefold(), profile_id)
    j.refuse_broken(profile_id)
    if profile_id not in j.profiles:
        spellings = {pid: pid for pid in j.profiles} | names.aliases | names.suggested
        raise _unknown("jurisdiction", profile_id, spellings, "clausewright jurisdictions list")
    click.echo(yamlio.dump(j.profiles[profile_id].data))


def _unknown(kind: str, given: str, spellings: dict[str, str], listing: str) -> UsageError:
    """No such entry: the nearest one (``audt`` -> audit), and the command that lists them all."""
    closest = nearest(given.casefold(), spellings, count=1)
    hint = f"; did you mean {spellings[closest[0]]}?" if closest else ""
    return UsageError(f"no {kind} {given!r}{hint} ({listing} shows them all)")


@clauses.command("render")
@click.argument("clause_id")
@click.option("--deal", "deal", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True, help="The deal file to read the clause in.")
@click.option("--position", type=click.Choice(["buyer", "balanced", "supplier", "all"]), default=None,
              help="Draft the clause's negotiated topic at this position (default: the deal's); 'all' shows the three.")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a deal value (buyer.name=...). Repeatable.")
@click.option("--format", "fmt", type=click.Choice(["text", "docx"]), default="text", show_default=True,
              help="Text, or a Word document (with --position all, a three-column table); docx needs -o.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file instead of the terminal.")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@click.option("--type", "type_id", metavar="TYPE", help="For a deal that drafts a pack (agreement.documents): the document to read the clause in, "
              "when more than one of them uses the clause.")
@sources_options
@reports_errors
def clauses_render(clause_id, deal, position, overrides, fmt, output, force, type_id, library_dir, jurisdictions_dir, template):
    """Show one clause as it will read in DEAL's agreement: numbered as in the full agreement,
    with cross-references and defined terms resolved, at one position or all three. A clause the
    deal leaves out says so, and why. In a pack, the clause is read in the document that uses it."""
    if fmt == "docx" and (output is None or output.suffix.lower() != ".docx"):
        raise click.UsageError("--format docx writes a Word document: give -o FILE.docx")
    sources = pipeline.load_sources(library_dir, jurisdictions_dir, template)
    if clause_id not in sources.library.clauses:
        raise _unknown("clause", clause_id, {cid: cid for cid in sources.library.clauses}, "clausewright clauses list")
    library = sources.library
    raw = pipeline.one_document(pipeline.read_answers(deal, overrides), sources, type_id, source=str(deal),
                                fits=lambda t: library.used_by(library.clauses[clause_id], library.types[t]))
    renderings = preview.render(sources.library, sources.jurisdictions, raw, clause_id, position=position, source=str(deal))
    if fmt == "docx":
        locale = raw.get("agreement", {}).get("locale") if isinstance(raw.get("agreement"), dict) else None
        write_atomic(output, preview.to_docx(renderings, deal.name, sources, locale=locale), force=force)
        click.echo(f"Wrote {output}")
    elif output is not None:
        write_atomic(output, preview.format_text(renderings, deal.name).encode("utf-8"), force=force)
        click.echo(f"Wrote {output}")
    else:
        click.echo(preview.format_text(renderings, deal.name), nl=False)
