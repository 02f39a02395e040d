"""The resident process (src/clausewright/resident/): a command it runs gives the same files,
output and exit status as the command in its own process; it follows the caller's folder,
environment and streams, passes Ctrl-C on, uses a folder only the user can open, ends when idle
or told to, and is replaced when its code or its sources change."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import MINI, SAMPLES
from test_wizard import FRESH, MINI_OPTS

from clausewright import pipeline, resources
from clausewright.resident import place as places

pytestmark = [pytest.mark.timeout(180), pytest.mark.skipif(not places.enabled() and os.name != "posix", reason="POSIX only")]

CLI = [sys.executable, "-m", "clausewright"]


class Resident:
    """A private runtime folder (short: a socket path is limited), and the commands run with it."""

    def __init__(self, cache: Path):
        self.run_dir = Path(tempfile.mkdtemp(prefix="cw-", dir="/tmp"))
        os.chmod(self.run_dir, 0o700)
        self.cache = cache
        self._place: places.Place | None = None

    def env(self, *, resident: bool = True, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != places.SWITCH}
        env.update(XDG_RUNTIME_DIR=str(self.run_dir), CLAUSEWRIGHT_CACHE_DIR=str(self.cache), **extra)
        if not resident:
            env[places.SWITCH] = "0"
        return env

    def run(self, *args: str, resident: bool = True, cwd: Path | None = None, input: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([*CLI, *args], env=env or self.env(resident=resident), cwd=cwd, input=input, capture_output=True, text=True, timeout=120, check=False)

    def place(self) -> places.Place:
        """The place the commands use (their key depends on their import path, not this process's)."""
        if self._place is None:
            status = self.run("resident", "status").stdout
            match = re.search(r"socket (\S+)\.sock\b", status)
            assert match, status
            folder, key = os.path.split(match.group(1))
            self._place = places.Place(folder, key)
        return self._place

    def pid(self) -> int | None:
        return places.running_pid(self.place())

    def served(self) -> int:
        return places.served(self.place())[0]

    def start(self) -> int:
        result = self.run("resident", "start")
        assert result.returncode == 0, result.stderr
        pid = self.pid()
        assert pid is not None
        return pid

    def stop(self) -> None:
        self.run("resident", "stop")
        for lock in (self.run_dir / "clausewright").glob("*.lock"):
            pid = places.running_pid(places.Place(str(lock.parent), lock.stem))
            if pid:
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.run_dir, ignore_errors=True)


@pytest.fixture
def resident(tmp_path):
    made = Resident(tmp_path / "cache")
    yield made
    made.stop()


def wait_until(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.parametrize("sample", ["vietnam-supplier.yaml", "india-software-services.yaml", "shenzhen-nnn.yaml"])
def test_a_document_made_by_the_resident_process_is_the_one_made_in_its_own_process(resident, tmp_path, sample):
    resident.start()
    before = resident.served()
    results = {}
    for mode in (True, False):
        folder = tmp_path / str(mode)
        folder.mkdir()
        results[mode] = resident.run("generate", str(SAMPLES / sample), "-o", "out.docx", "--no-page-numbers", "--memo", "memo.docx", cwd=folder, resident=mode)
        assert results[mode].returncode == 0, results[mode].stderr
    assert wait_until(lambda: resident.served() == before + 1)  # it was the resident process that ran the first
    for name in ("out.docx", "memo.docx"):
        assert (tmp_path / "True" / name).read_bytes() == (tmp_path / "False" / name).read_bytes()
    assert (results[True].stdout, results[True].stderr) == (results[False].stdout, results[False].stderr)


def test_folder_environment_and_exit_status_are_the_callers(resident, tmp_path):
    resident.start()
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(SAMPLES / "vietnam-supplier.yaml", work / "deal.yaml")
    runs = {}
    for mode in (True, False):
        out = f"out-{mode}.docx"
        env = resident.env(resident=mode, SOURCE_DATE_EPOCH="1700000000")
        runs[mode] = resident.run("generate", "deal.yaml", "-o", out, "--no-page-numbers", cwd=work, env=env)  # relative to the caller's folder
        assert runs[mode].returncode == 0, runs[mode].stderr
    assert (work / "out-True.docx").read_bytes() == (work / "out-False.docx").read_bytes()
    stamped = resident.run("generate", "deal.yaml", "-o", "other.docx", "--no-page-numbers", cwd=work, env=resident.env(SOURCE_DATE_EPOCH="1600000000"))
    assert stamped.returncode == 0 and (work / "other.docx").read_bytes() != (work / "out-True.docx").read_bytes()  # the caller's SOURCE_DATE_EPOCH
    # errors: the same message on stderr and the same exit status
    (work / "bad.yaml").write_text("agreement: {type: bogus}\n", encoding="utf-8")
    for args in (["generate", "missing.yaml", "-o", "x.docx"], ["generate", "bad.yaml", "-o", "x.docx"], ["generate", "deal.yaml", "-o", "out-True.docx"], ["nosuchcommand"]):
        by_resident, alone = resident.run(*args, cwd=work), resident.run(*args, cwd=work, resident=False)
        assert (by_resident.returncode, by_resident.stdout, by_resident.stderr) == (alone.returncode, alone.stdout, alone.stderr), args
        assert by_resident.returncode != 0
    assert not (work / "x.docx").exists()


def test_standard_input_reaches_the_command(resident, tmp_path):
    """The wizard reads its answers line by line from a pipe, through the resident process too."""
    resident.start()
    before = resident.served()
    answers = "".join(f"{line}\n" for line in FRESH)
    for mode in (True, False):
        folder = tmp_path / str(mode)
        folder.mkdir()
        result = resident.run("wizard", "-o", "acme.docx", *MINI_OPTS, input=answers, cwd=folder, resident=mode)
        assert result.returncode == 0, result.stdout + result.stderr
    assert wait_until(lambda: resident.served() == before + 1)
    for name in ("acme.docx", "acme.answers.yaml"):
        assert (tmp_path / "True" / name).read_bytes() == (tmp_path / "False" / name).read_bytes()


def test_the_first_command_starts_it_and_the_switch_turns_it_off(resident, tmp_path):
    off = resident.run("generate", str(SAMPLES / "vietnam-supplier.yaml"), "-o", str(tmp_path / "a.docx"), "--no-page-numbers", resident=False)
    assert off.returncode == 0, off.stderr
    time.sleep(0.5)
    assert resident.pid() is None  # CLAUSEWRIGHT_RESIDENT=0: nothing started
    first = resident.run("generate", str(SAMPLES / "vietnam-supplier.yaml"), "-o", str(tmp_path / "b.docx"), "--no-page-numbers")
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
    assert wait_until(lambda: os.path.exists(resident.place().socket))  # started beside the first command
    status = resident.run("resident", "status")
    assert "running as process" in status.stdout
    folder = Path(resident.place().folder)
    assert oct(folder.stat().st_mode & 0o777) == oct(0o700) and oct(Path(resident.place().socket).stat().st_mode & 0o777) == oct(0o600)


def test_a_folder_others_can_open_is_not_used(tmp_path, monkeypatch):
    shared = Path(tempfile.mkdtemp(prefix="cw-", dir="/tmp"))  # short, for the socket's path
    monkeypatch.setattr(places, "code_key", lambda: "k")
    (shared / "clausewright").mkdir(parents=True)
    os.chmod(shared / "clausewright", 0o777)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(shared))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "nowhere" / "x"))  # the fallback folder cannot be made either
    assert places.current() is None
    os.chmod(shared / "clausewright", 0o700)
    place = places.current()
    assert place is not None and place.folder == str(shared / "clausewright")
    shutil.rmtree(shared)


def test_idle_it_ends_and_removes_its_socket(resident):
    env = resident.env(CLAUSEWRIGHT_RESIDENT_IDLE="1")
    assert resident.run("resident", "start", env=env).returncode == 0
    place = resident.place()
    assert os.path.exists(place.socket)
    assert wait_until(lambda: resident.pid() is None and not os.path.exists(place.socket), 15)


def test_stop_ends_it_and_a_killed_one_is_replaced(resident, tmp_path):
    pid = resident.start()
    folder = Path(resident.place().folder)
    for name in ("0123456789abcdef0123.lock", "0123456789abcdef0123.sock"):  # left by one that died, for older code
        (folder / name).write_text("4242\n", encoding="ascii")
    os.kill(pid, signal.SIGKILL)  # leaves its socket behind
    assert wait_until(lambda: resident.pid() is None)
    assert os.path.exists(resident.place().socket)
    result = resident.run("generate", str(SAMPLES / "vietnam-supplier.yaml"), "-o", str(tmp_path / "a.docx"), "--no-page-numbers")
    assert result.returncode == 0, result.stderr  # run in its own process, and a new one started
    assert wait_until(lambda: resident.pid() not in (None, pid))
    own = [f"{resident.place().key}.lock", f"{resident.place().key}.sock"]
    assert wait_until(lambda: sorted(p.name for p in folder.iterdir()) == own)  # the dead one's files removed
    assert "stopped process" in resident.run("resident", "stop").stdout
    assert wait_until(lambda: resident.pid() is None)
    assert "not running" in resident.run("resident", "status").stdout


def test_ctrl_c_reaches_the_command_the_resident_process_runs(resident, tmp_path):
    import socket

    resident.start()
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([*CLI, "serve", "--port", str(port)], env=resident.env(), cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # the address: the interview is up
        assert f"127.0.0.1:{port}" in line
        copies = _copies(resident)
        assert len(copies) == 1
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert wait_until(lambda: not _copies(resident), 15)  # the copy that ran it ended too


def _copies(resident: Resident) -> list[int]:
    """The processes the resident process runs commands in (its children)."""
    pid = resident.pid()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def test_commands_at_the_same_time_each_get_their_own_copy(resident, tmp_path):
    resident.start()
    before = resident.served()
    processes = [subprocess.Popen([*CLI, "generate", str(SAMPLES / "vietnam-supplier.yaml"), "-o", str(tmp_path / f"{n}.docx"), "--no-page-numbers"],
                                  env=resident.env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for n in range(4)]
    for process in processes:
        assert process.wait(timeout=120) == 0
    assert wait_until(lambda: resident.served() == before + 4)
    assert len({(tmp_path / f"{n}.docx").read_bytes() for n in range(4)}) == 1


def test_a_changed_library_is_read_again(resident, tmp_path):
    """A firm's library edited between two commands: the second document has the edit."""
    library = tmp_path / "library"
    shutil.copytree(MINI / "library", library)
    resident.start()
    args = ["generate", str(MINI / "deal.yaml"), "--library", str(library), "--jurisdictions", str(MINI / "jurisdictions"), "--no-page-numbers", "--no-comments"]
    first = resident.run(*args, "-o", str(tmp_path / "first.docx"))
    assert first.returncode == 0, first.stderr
    clause = library / "clauses" / "confidentiality.clause"
    text = clause.read_text(encoding="utf-8")
    marker = "edited between two commands"
    edited = text.replace("its employees who need to know it", f"its employees who need to know it ({marker})", 1)
    assert edited != text
    clause.write_text(edited, encoding="utf-8")
    second = resident.run(*args, "-o", str(tmp_path / "second.docx"))
    assert second.returncode == 0, second.stderr
    assert marker.encode() not in (tmp_path / "first.docx").read_bytes()
    import zipfile

    assert marker in zipfile.ZipFile(tmp_path / "second.docx").read("word/document.xml").decode()


def test_kept_bundled_sources_are_given_only_while_their_files_are_unchanged(monkeypatch):
    monkeypatch.setattr(pipeline, "_kept", None)
    kept = pipeline.keep_bundled_sources()
    assert pipeline.load_sources() is kept
    assert pipeline.load_sources(library_dir=resources.library_dir()) is not kept  # a folder named: loaded
    monkeypatch.setattr(resources, "fingerprint", lambda: "changed")
    assert pipeline.load_sources() is not kept


def test_the_key_follows_the_code(tmp_path, monkeypatch):
    package = tmp_path / "package"
    package.mkdir()
    module = package / "module.py"
    module.write_text("x = 1\n")
    monkeypatch.setattr(places, "_PACKAGE", str(package))
    first = places.code_key()
    assert places.code_key() == first
    module.write_text("x = 22\n")
    os.utime(module, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    assert places.code_key() != first


def _wizard_on_a_terminal(env: dict[str, str], cwd: Path) -> tuple[int, str]:
    """The wizard on a pseudo-terminal until its first question, then Ctrl-C typed: the exit
    status and what the terminal showed."""
    import fcntl
    import re
    import select
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
    env = {**env, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"}
    process = subprocess.Popen([*CLI, "wizard", "-o", "out.docx"], env=env, cwd=cwd, stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    seen = b""
    typed = False
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
            if not typed and re.search(rb"\(Use arrow keys|Enter keeps", seen):
                os.write(master, b"\x03")
                typed = True
            if typed and process.poll() is not None:
                break
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    return code, seen.decode("utf-8", "replace")


def test_the_wizard_on_a_terminal_asks_and_is_cancelled_alike(resident, tmp_path):
    resident.start()
    before = resident.served()
    outcomes = {}
    for mode in (True, False):
        folder = tmp_path / str(mode)
        folder.mkdir()
        outcomes[mode] = _wizard_on_a_terminal(resident.env(resident=mode), folder)
        assert "Type of agreement" in outcomes[mode][1], outcomes[mode][1][-2000:]
        assert "Cancelled" in outcomes[mode][1], outcomes[mode][1][-2000:]
        assert not (folder / "out.docx").exists()
    assert outcomes[True][0] == outcomes[False][0] != 0
    assert wait_until(lambda: resident.served() == before + 1)


def test_a_bulk_run_with_workers_is_the_same_through_the_resident_process(resident, tmp_path):
    from bulk_helpers import SAMPLE_DEFAULTS, SAMPLE_SUPPLIERS, files

    resident.start()
    before = resident.served()
    outputs = {}
    for mode in (True, False):
        out = tmp_path / str(mode)
        done = resident.run("bulk", "run", str(SAMPLE_SUPPLIERS), "--defaults", str(SAMPLE_DEFAULTS), "--out", str(out), "--no-progress", "--jobs", "2", resident=mode)
        assert done.returncode == 0, done.stderr
        outputs[mode] = files(out)
    assert wait_until(lambda: resident.served() == before + 1)
    assert outputs[True] == outputs[False] and len(outputs[True]) > 3
