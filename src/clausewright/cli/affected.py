"""``clausewright affected``: the drafts a clause or profile change, or an expired review date, concerns."""

from __future__ import annotations

import re
from pathlib import Path

import click

from clausewright.cli.common import reports_errors
from clausewright.qa import affected as drafts_affected


def _version(ctx, param, value):
    if value is not None and not re.fullmatch(r"\d+(\.\d+)*", value):
        raise click.BadParameter(f"{value!r} is not a version number such as 1.1.0")
    return value


@click.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--clause", "clause_id", metavar="ID", help="Drafts that hold this clause.")
@click.option("--profile", "profile_id", metavar="ID", help="Drafts made with this jurisdiction profile, in any role.")
@click.option("--before-version", metavar="V", callback=_version, help="With --clause or --profile: only drafts made with an older version than V.")
@click.option("--review-date-before", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="DATE",
              help="Drafts carrying a counsel note last reviewed before DATE (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
@reports_errors
def affected(folder, clause_id, profile_id, before_version, review_date_before, fmt):
    """List the drafts in FOLDER (searched at any depth: generated DOCX files and bulk manifests)
    that a clause or profile change, or an expired counsel-note review date, concerns.

    Give one of --clause ID, --profile ID or --review-date-before DATE. Prints each draft's path,
    supplier and the version or note found, then the count; exits 0."""
    given = [name for name, value in (("--clause", clause_id), ("--profile", profile_id), ("--review-date-before", review_date_before)) if value]
    if len(given) != 1:
        raise click.UsageError("give one of --clause ID, --profile ID or --review-date-before DATE" + (f" (not {' and '.join(given)})" if given else ""))
    if before_version and not (clause_id or profile_id):
        raise click.UsageError("--before-version goes with --clause or --profile")
    criterion = drafts_affected.Criterion(clause=clause_id, profile=profile_id, before_version=before_version,
                                          review_date_before=review_date_before.date() if review_date_before else None)
    drafts, skipped = drafts_affected.scan(folder)
    hits = drafts_affected.affected(drafts, criterion)
    render = drafts_affected.to_json if fmt == "json" else drafts_affected.format_text
    click.echo(render(hits, len(drafts), skipped, criterion))
