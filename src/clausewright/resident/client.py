"""The ``clausewright`` program: the command is run by this installation's resident process when
one is running, or else here, after starting one for the next command (``__init__.py``).

Nothing is run twice: once the resident process has said which process runs the command, its
outcome is this program's; before that, any failure to reach it runs the command here instead.
"""

from __future__ import annotations

import os
import signal
import socket
import sys

from clausewright.resident import place as places
from clausewright.resident.protocol import EXIT, PID, environment_of, receive_message, send_request

NOT_HERE = ("resident",)  # commands always run in this process (they manage the resident process)
FORWARDED = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGWINCH", "SIGUSR1", "SIGUSR2")


def main() -> None:
    if places.enabled() and tuple(sys.argv[1:2]) not in (NOT_HERE,):
        code = by_resident()
        if code is not None:
            sys.exit(code)
    from clausewright.cli.main import main as in_this_process

    in_this_process()


def by_resident() -> int | None:
    """The exit status of the command as the resident process ran it; None when none ran it
    (there is none, it cannot be reached, or it refused), after starting one if none runs."""
    try:
        place = places.current()
    except OSError:
        return None
    if place is None:
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(place.socket)
    except OSError:
        connection.close()
        start(place)
        return None
    with connection:
        try:
            send_request(connection, environment_of(sys.argv))
            kind, pid = receive_message(connection)
        except (OSError, ValueError):
            return None  # nothing was run
        if kind != PID:
            return None
        return _outcome(connection, pid)


def _outcome(connection: socket.socket, pid: int) -> int:
    """Wait for the command run by process ``pid``: signals sent to this program are passed on
    to it (Ctrl-C, a closed terminal, a resized window), and Ctrl-Z stops both."""

    def forward(number, _frame):
        try:
            os.kill(pid, number)
        except OSError:
            pass

    def suspend(_number, _frame):
        forward(signal.SIGSTOP, None)
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)  # stops here until continued
        signal.signal(signal.SIGTSTP, suspend)
        forward(signal.SIGCONT, None)

    for name in FORWARDED:
        signal.signal(getattr(signal, name), forward)
    signal.signal(signal.SIGTSTP, suspend)
    try:
        kind, value = receive_message(connection)
    except (OSError, ValueError):
        kind, value = None, 0
    if kind == EXIT:
        return value
    sys.stderr.write("clausewright: the command ended without giving its result (its process was stopped)\n")
    return 1


def start(place: places.Place) -> None:
    """Start the resident process for ``place`` in the background, in a session of its own and
    with no terminal; if it cannot be started, commands simply run in their own process."""
    import subprocess  # only here: its helper gives Python's flags (-X utf8, -I, ...) for the new process

    flags = subprocess._args_from_interpreter_flags()  # type: ignore[attr-defined]
    command = [sys.executable, *flags, "-m", "clausewright.resident.server"]
    try:
        pid = os.fork()
    except OSError:
        return
    if pid:
        try:
            os.waitpid(pid, 0)  # the intermediate process ends at once
        except OSError:
            pass
        return
    try:  # the intermediate process: a new session, then the resident process, orphaned
        os.setsid()
        if os.fork() == 0:
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            os.chdir("/")  # -m puts the working folder first on the import path: not the caller's
            os.execv(sys.executable, command)
    except BaseException:
        pass
    os._exit(0)


if __name__ == "__main__":
    main()
