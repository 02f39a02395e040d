"""``clausewright serve``: the interview in a web page, on a server for this computer only."""

from __future__ import annotations

import errno
import socket

import click

from clausewright import pipeline
from clausewright import web as web_interview
from clausewright.cli.common import reports_errors, sources_options
from clausewright.errors import ClausewrightError


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=web_interview.DEFAULT_PORT, show_default=True, help="The port on 127.0.0.1 to listen on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the interview in the default browser.")
@sources_options
@reports_errors
def serve(port, open_browser, library_dir, jurisdictions_dir, template):
    """Interview in the browser: questions by section, review, preview with the reasons for each
    clause, and the Word document to download.

    Listens on 127.0.0.1 only and prints an address holding a secret token made for this run:
    only the browser that opens it can use the interview. Answers are saved as they are typed in
    .clausewright-serve.yaml in the current folder, so a closed tab or a stopped server loses
    nothing; Ctrl-C stops the server.
    """
    sources = pipeline.load_sources(library_dir, jurisdictions_dir, template)
    _check_free(port)
    web_interview.serve(sources, web_interview.Keys(port), open_browser=open_browser, announce=lambda line: click.echo(line, err=False))


def _check_free(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((web_interview.HOST, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ClausewrightError(f"port {port} on {web_interview.HOST} is in use (another server?); choose another with --port") from None
            raise
