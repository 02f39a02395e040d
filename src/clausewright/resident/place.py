"""Where this installation's resident process listens, and whether one may be used.

Read by every command before anything else is imported, so it imports only what Python has
already loaded at start-up.
"""

from __future__ import annotations

import os
import stat
import sys

try:  # Python's own SHA-256: hashlib would first load OpenSSL, which costs more than the rest
    from _sha256 import sha256  # Python 3.11
except ImportError:
    try:
        from _sha2 import sha256  # Python 3.12 and later
    except ImportError:
        from hashlib import sha256

from clausewright import __version__

SWITCH = "CLAUSEWRIGHT_RESIDENT"  # "0", "off", "no" or "false": never use a resident process
IDLE = "CLAUSEWRIGHT_RESIDENT_IDLE"  # seconds without a command before it ends
DEFAULT_IDLE = 600.0
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_SOCKET_PATH_LIMIT = 100  # sun_path holds 104 (macOS) to 108 (Linux) bytes


def enabled() -> bool:
    """Whether commands may be run by a resident process here."""
    if os.name != "posix" or sys.platform == "cygwin":
        return False
    return os.environ.get(SWITCH, "").strip().lower() not in ("0", "off", "no", "false")


def idle_seconds() -> float:
    """How long a resident process waits for a command before it ends."""
    text = os.environ.get(IDLE, "").strip()
    try:
        value = float(text) if text else DEFAULT_IDLE
    except ValueError:
        return DEFAULT_IDLE
    return value if 0 < value < 86400 * 7 else DEFAULT_IDLE


class Place:
    """The socket and lock file of the resident process of this installation."""

    def __init__(self, folder: str, key: str):
        self.folder = folder
        self.key = key
        self.socket = os.path.join(folder, f"{key}.sock")
        self.lock = os.path.join(folder, f"{key}.lock")


def current() -> Place | None:
    """The place of this installation's resident process, or None where none may be used (no
    folder only this user can open, or a path too long for a socket)."""
    folder = _private_folder()
    if folder is None:
        return None
    place = Place(folder, code_key())
    return place if len(place.socket.encode()) < _SOCKET_PATH_LIMIT else None


def code_key() -> str:
    """What a resident process must share with the command it runs: the interpreter, its flags
    and the folders it imports from (but the first, the script's or working folder), this package's code (each module's size and time of change) and the installed
    packages (the times of change of the site-packages folders, which an install or upgrade
    touches). Anything else differs, and a new resident process is started."""
    digest = sha256()
    for fact in (__version__, sys.executable, sys.version, repr(sys.flags), repr(sys._xoptions), repr(sys.path[1:]), _PACKAGE):
        digest.update(fact.encode("utf-8", "surrogateescape") + b"\0")
    for entry in sys.path:
        if entry.endswith(("site-packages", "dist-packages")):
            _stat_into(digest, entry)
    for root, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("_bundled"))
        for name in sorted(files):
            if name.endswith(".py"):
                _stat_into(digest, os.path.join(root, name))
    return digest.hexdigest()[:20]


def installation() -> str:
    """This installation (interpreter and package folder), whatever the version of its code."""
    digest = sha256()
    digest.update(f"{sys.executable}\0{_PACKAGE}".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:20]


def _stat_into(digest, path: str) -> None:
    try:
        info = os.stat(path)
    except OSError:
        return
    digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))


def _private_folder() -> str | None:
    """``$XDG_RUNTIME_DIR/clausewright``, else ``$TMPDIR/clausewright-UID`` (``/tmp``): made
    readable by this user only, and used only if it is a real folder of this user that nobody
    else can open."""
    uid = os.getuid()
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    temporary = os.environ.get("TMPDIR") or "/tmp"
    candidates = [os.path.join(runtime, "clausewright")] if os.path.isabs(runtime) else []
    if os.path.isabs(temporary):
        candidates.append(os.path.join(temporary, f"clausewright-{uid}"))
    for folder in candidates:
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        except OSError:
            continue
        try:
            info = os.lstat(folder)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == uid and not info.st_mode & 0o077:
            return folder
    return None


def served(place: Place) -> tuple[int, float]:
    """The commands the running resident process has run, and the CPU seconds they took."""
    record = _record(place)
    try:
        return int(record[1]), float(record[2])
    except (ValueError, IndexError):
        return 0, 0.0


def running_pid(place: Place) -> int | None:
    """The process id of the resident process serving ``place``, or None if none runs (its
    lock file is locked while it runs, and holds its process id)."""
    if not _held(place):
        return None
    record = _record(place)
    return int(record[0]) if record and record[0].isdigit() else None


def others(place: Place) -> list[int]:
    """The process ids of resident processes of this installation for other versions of its
    code (started before an upgrade or an edit), which no command will use again."""
    mine = installation()
    found = []
    for other in _other_places(place):
        pid, record = running_pid(other), _record(other)
        if pid is not None and len(record) > 3 and record[3] == mine:
            found.append(pid)
    return found


def remove_stale(place: Place) -> None:
    """Remove the socket and lock files that resident processes which died (killed, or the
    machine stopped) left in the folder: those whose lock nobody holds."""
    for other in _other_places(place):
        if not _held(other):
            for path in (other.socket, other.lock):
                try:
                    os.unlink(path)
                except OSError:
                    pass


def _other_places(place: Place) -> list[Place]:
    """The places of the other resident processes in ``place``'s folder (one lock file each)."""
    try:
        names = os.listdir(place.folder)
    except OSError:
        return []
    return [Place(place.folder, name[: -len(".lock")]) for name in names if name.endswith(".lock") and name != os.path.basename(place.lock)]


def _record(place: Place) -> list[str]:
    """The lines of a lock file (server.py ``_Record``: pid, commands, CPU seconds, installation)."""
    try:
        with open(place.lock, encoding="ascii", errors="replace") as fh:
            return fh.read().split()
    except OSError:
        return []


def _held(place: Place) -> bool:
    """Whether a resident process holds the lock of ``place`` (it does for as long as it runs)."""
    import fcntl

    try:
        fd = os.open(place.lock, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
