"""``clausewright clauses ...`` and ``clausewright jurisdictions ...``: what the library holds."""

from __future__ import annotations

import click

from clausewright import resources, yamlio
from clausewright.cli.common import jurisdictions_option, library_option, reports_errors
from clausewright.errors import UsageError, nearest
from clausewright.inputs.jurisdictions import load_jurisdictions
from clausewright.inputs.library import load_library


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
    """List every clause: id, version, part, condition."""
    lib = _library(library_dir)
    click.echo(f"{lib.title} (library {lib.id} {lib.version})")
    for part in ("front", "body", "schedule"):
        for c in lib.ordered(part):
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
    if profile_id not in j.profiles:
        spellings = {pid: pid for pid in j.profiles} | names.aliases | names.suggested
        raise _unknown("jurisdiction", profile_id, spellings, "clausewright jurisdictions list")
    click.echo(yamlio.dump(j.profiles[profile_id].data))


def _unknown(kind: str, given: str, spellings: dict[str, str], listing: str) -> UsageError:
    """No such entry: the nearest one (``audt`` -> audit), and the command that lists them all."""
    closest = nearest(given.casefold(), spellings, count=1)
    hint = f"; did you mean {spellings[closest[0]]}?" if closest else ""
    return UsageError(f"no {kind} {given!r}{hint} ({listing} shows them all)")
