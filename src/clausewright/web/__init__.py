"""``clausewright serve``: the interview in the browser, on a server for this computer only.

``app`` holds the routes over one interview, ``security`` what keeps the server to the lawyer
who started it, ``fields`` the questions as the pages show them, ``pages`` the order of the pages,
``outputs`` the files offered for download and ``state`` the interview the server holds. The
interview logic itself is ``clausewright.interview``, shared with the terminal wizard.
"""

from __future__ import annotations

import threading
import webbrowser
from pathlib import Path

import uvicorn

from clausewright import pipeline
from clausewright.web.app import create_app
from clausewright.web.security import Keys
from clausewright.web.state import SESSION_FILE

HOST = "127.0.0.1"  # never another interface: the interview is for this computer only
DEFAULT_PORT = 8732

__all__ = ["DEFAULT_PORT", "HOST", "SESSION_FILE", "Keys", "create_app", "serve"]


def serve(sources: pipeline.Sources, keys: Keys, *, session_file: Path = Path(SESSION_FILE), open_browser: bool = False, announce=print) -> None:
    """Run the server until interrupted; ``announce`` receives the lines to show the lawyer."""
    app = create_app(sources, session_file, keys)
    config = uvicorn.Config(app, host=HOST, port=keys.port, log_level="warning", lifespan="off", server_header=False, date_header=False)
    server = uvicorn.Server(config)
    announce(f"clausewright serve: open {keys.url()}")
    announce(f"Answers are saved as they are typed in {session_file}. Ctrl-C stops the server.")
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(keys.url(),)).start()
    server.run()
