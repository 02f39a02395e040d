"""The resident process (``python -m clausewright.resident.server``; started by ``client.py``).

It imports every command's modules, loads the bundled library, profiles and template and drafts
the bundled samples in memory once, so that what Python compiles and remembers on the way (code,
patterns, compiled fragments) is ready; then it waits on its socket. For each command it forks: the
copy takes the caller's standard streams, working folder, environment and file-mode mask, runs the
command as ``clausewright`` would, reports the exit status and ends. The process that waits never
runs a command itself, so no deal's data stays in it, and a command cannot disturb the next one.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import io
import os
import select
import signal
import socket
import struct
import sys
import time
import traceback

from clausewright.resident import place as places
from clausewright.resident.protocol import EXIT, PID, receive_request, send_message

WARM_SAMPLES = ("vietnam-supplier.yaml", "india-software-services.yaml", "shenzhen-nnn.yaml")
_PEER = struct.Struct("3i")  # SO_PEERCRED: pid, uid, gid


def main() -> None:
    place = places.current()
    if place is None:
        return
    os.chdir("/")
    lock = _take_lock(place)
    if lock is None:
        return  # another resident process serves this place
    record = _Record(lock)
    record.write()  # at once, so that ``resident stop`` finds it while it warms up
    for pid in places.others(place):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
    places.remove_stale(place)
    try:
        warm()
        listener = _listen(place)
        _serve(listener, places.idle_seconds(), record)
    finally:
        _remove_socket(place)
        with contextlib.suppress(OSError):
            os.unlink(place.lock)
        os.close(lock)


def warm() -> None:
    """Do once what every command would do first; anything that fails here is simply left cold."""
    import importlib

    from clausewright.cli.main import COMMANDS

    for module in dict.fromkeys(module for module, _, _ in COMMANDS.values()):
        with contextlib.suppress(Exception):
            importlib.import_module(module)
    with contextlib.suppress(Exception):
        import questionary  # noqa: F401  (the wizard's prompts; slow to import)
    with contextlib.suppress(Exception):
        from clausewright import pipeline, resources

        sources = pipeline.keep_bundled_sources()
        samples = resources.bundled("samples")
        for name in WARM_SAMPLES:
            with contextlib.suppress(Exception):
                pipeline.draft(pipeline.read_answers(samples / name), sources)


def _take_lock(place: places.Place) -> int | None:
    """The lock file's descriptor, locked; None if another process holds it."""
    while True:
        fd = os.open(place.lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        try:
            same = os.fstat(fd).st_ino == os.stat(place.lock).st_ino
        except OSError:
            same = False
        if same:
            return fd
        os.close(fd)  # the file was removed by a process that was ending: take the new one


def _listen(place: places.Place) -> socket.socket:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    provisional = f"{place.socket}.{os.getpid()}"
    with contextlib.suppress(OSError):
        os.unlink(provisional)
    listener.bind(provisional)
    os.chmod(provisional, 0o600)
    listener.listen(64)
    os.replace(provisional, place.socket)  # a socket left by a process that died is replaced
    return listener


def _remove_socket(place: places.Place) -> None:
    with contextlib.suppress(OSError):
        os.unlink(place.socket)


class _Record:
    """The lock file's text: the process id, the commands run and the CPU seconds they took
    (their copies' and the processes those started), for ``clausewright resident status``, and
    the installation (``place.installation``), for a later version's resident process to stop this one."""

    def __init__(self, fd: int):
        self.fd, self.commands, self.cpu = fd, 0, 0.0

    def write(self) -> None:
        text = f"{os.getpid()}\n{self.commands}\n{self.cpu:.6f}\n{places.installation()}\n".encode()
        with contextlib.suppress(OSError):
            os.pwrite(self.fd, text.ljust(128), 0)


def _serve(listener: socket.socket, idle: float, record: _Record) -> None:
    stopping = []
    wakeup, woken = os.pipe()  # a signal writes here, so that select returns at once
    for fd in (wakeup, woken):
        os.set_blocking(fd, False)
    signal.set_wakeup_fd(woken)
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a copy ended: reap it now
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    running = 0
    last = time.monotonic()
    while not stopping:
        while running:  # reap the copies that have ended, and count what they took
            try:
                pid, _status, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                running = 0
                break
            if not pid:
                break
            running -= 1
            record.commands += 1
            record.cpu += usage.ru_utime + usage.ru_stime
            record.write()
        wait = max(0.0, last + idle - time.monotonic())
        try:
            ready, _, _ = select.select([listener.fileno(), wakeup], [], [], min(wait, 1.0) if running else wait)
        except InterruptedError:
            continue
        if wakeup in ready:
            with contextlib.suppress(OSError):
                os.read(wakeup, 512)
            continue
        if not ready:
            if not running and time.monotonic() >= last + idle:
                return
            continue
        try:
            connection, _ = listener.accept()
        except OSError:
            continue
        last = time.monotonic()
        try:
            pid = os.fork()
        except OSError:
            connection.close()  # the caller runs the command itself
            continue
        if pid == 0:
            signal.set_wakeup_fd(-1)
            for fd in (wakeup, woken):
                os.close(fd)
            listener.close()
            code = 1
            try:
                code = _run_one(connection)
            finally:
                os._exit(code & 0xFF)
        running += 1
        connection.close()


def _run_one(connection: socket.socket) -> int:
    """In the copy: take the command on, run it, report its exit status."""
    for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
        signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    atexit._clear()  # the resident process's own exit functions are not the command's
    if sys.platform.startswith("linux"):
        _, uid, _ = _PEER.unpack(connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _PEER.size))
        if uid != os.getuid():
            return 1
    try:
        request, fds = receive_request(connection)
    except (OSError, ValueError):
        return 1
    try:
        _take_on(request, fds)
    except (OSError, ValueError, TypeError, KeyError):
        return 1  # the caller hears nothing and runs the command itself
    send_message(connection, PID, os.getpid())
    code = _command(request["argv"])
    with contextlib.suppress(OSError):
        send_message(connection, EXIT, code)
    return code


def _take_on(request: dict, fds: list[int]) -> None:
    """Become the caller: its streams, folder, environment, mask and arguments."""
    os.chdir(request["cwd"])
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    (inp, out, err) = request["streams"]
    for name, stream in (("stdin", _stream(0, "r", *inp)), ("stdout", _stream(1, "w", *out)), ("stderr", _stream(2, "w", *err))):
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in request["env"].items()})
    time.tzset()
    with contextlib.suppress(Exception):
        import locale

        locale.setlocale(locale.LC_CTYPE, "")
    os.umask(int(request["umask"]))
    sys.argv = [str(arg) for arg in request["argv"]]


def _stream(fd: int, mode: str, encoding: str, errors: str, line_buffering: bool) -> io.TextIOWrapper:
    raw = io.FileIO(fd, mode, closefd=False)
    buffered = io.BufferedReader(raw) if mode == "r" else io.BufferedWriter(raw)
    return io.TextIOWrapper(buffered, encoding=encoding, errors=errors, line_buffering=bool(line_buffering), write_through=fd == 2)


def _command(argv: list[str]) -> int:
    """Run the command as the ``clausewright`` program would and give its exit status."""
    from clausewright.cli.main import main as command

    code: object = 0
    try:
        command()
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt:
        traceback.print_exc()
        code = 130
    except BaseException:
        traceback.print_exc()
        code = 1
    if code is None:
        code = 0
    elif not isinstance(code, int):
        with contextlib.suppress(Exception):
            print(code, file=sys.stderr)
        code = 1
    if "threading" in sys.modules:  # as Python ends: wait for the command's threads, then its exit functions
        with contextlib.suppress(Exception):
            sys.modules["threading"]._shutdown()
    with contextlib.suppress(Exception):
        atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    return code


if __name__ == "__main__":
    main()
