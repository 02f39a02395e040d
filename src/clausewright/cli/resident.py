"""``clausewright resident``: the resident process that runs commands without Python's start-up
(``resident/__init__.py``)."""

from __future__ import annotations

import os
import signal
import time

import click

from clausewright.resident import place as places
from clausewright.resident.client import start as start_resident


@click.group()
def resident():
    """The resident process that answers commands without Python's start-up.

    The first command of a session starts it in the background; later commands are run by a
    fresh copy of it, in a fraction of the time. It ends after CLAUSEWRIGHT_RESIDENT_IDLE seconds
    without a command (default 600); CLAUSEWRIGHT_RESIDENT=0 turns it off.
    """


@resident.command()
def status():
    """Say whether the resident process of this installation runs, and where it listens."""
    if not places.enabled():
        click.echo(f"off: {places.SWITCH} turns it off, or this system has no resident process")
        return
    place = places.current()
    if place is None:
        click.echo("off: no folder that only this user can open for its socket")
        return
    pid = places.running_pid(place)
    if pid is None:
        click.echo(f"not running; the next command starts it (socket {place.socket})")
    else:
        commands, cpu = places.served(place)
        click.echo(f"running as process {pid}, socket {place.socket}; {commands} command(s) run, {cpu:.2f} s of CPU; "
                   f"it ends after {places.idle_seconds():g} s without a command")


@resident.command()
@click.option("--wait", "wait_seconds", type=click.FloatRange(0, 120), default=30.0, show_default=True, help="Seconds to wait until it answers.")
def start(wait_seconds):
    """Start the resident process now (the next command would start it anyway)."""
    place = _place()
    if places.running_pid(place) is None:
        start_resident(place)
    deadline = time.monotonic() + wait_seconds
    while not os.path.exists(place.socket) or places.running_pid(place) is None:
        if time.monotonic() > deadline:
            raise click.ClickException(f"the resident process did not start within {wait_seconds:g} s")
        time.sleep(0.05)
    click.echo(f"running as process {places.running_pid(place)}")


@resident.command()
def stop():
    """Stop the resident process of this installation (commands running finish first)."""
    place = _place()
    pid = places.running_pid(place)
    if pid is None:
        click.echo("not running")
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        click.echo("not running")
        return
    for _ in range(100):
        if places.running_pid(place) is None:
            break
        time.sleep(0.05)
    click.echo(f"stopped process {pid}")


def _place() -> places.Place:
    if not places.enabled():
        raise click.ClickException(f"no resident process here: {places.SWITCH} turns it off, or this system has none")
    place = places.current()
    if place is None:
        raise click.ClickException("no resident process: no folder that only this user can open for its socket")
    return place
