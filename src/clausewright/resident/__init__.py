"""The resident process: a lawyer's command answered without Python's start-up.

Most of the time of a command such as ``clausewright generate`` is spent before any work:
starting Python, importing Jinja, lxml, click and the prompts, and reading the library. The first
command of a session starts, beside doing its own work, a resident process that has done all of
that once (``server.py``). Each later command (``client.py``, the ``clausewright`` program) hands
it its arguments, working folder, environment and its standard input, output and error, and the
resident process forks a copy of itself that runs the command exactly as a new process would,
writes straight to the caller's terminal or files and reports the exit status back. The resident
process itself never reads a deal: every command runs in its own fork and leaves nothing behind.

Where and for what (``place.py``): one resident process per installation and version of the code
(an upgrade or an edited source file starts a new one), listening on a socket in a folder only
the user can open; a command from another user is refused. It ends after
``CLAUSEWRIGHT_RESIDENT_IDLE`` seconds without a command (default 600), on
``clausewright resident stop``, or when it cannot serve. ``CLAUSEWRIGHT_RESIDENT=0`` turns it
off: every command then runs in its own process, as it does on Windows.
"""
