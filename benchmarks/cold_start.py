"""Benchmark of a lawyer's wait: one command in a fresh process (run by hand; not a test).

    python benchmarks/cold_start.py             # 11 runs of each
    python benchmarks/cold_start.py --runs 21 --layout 3

For each case it starts the command N times, one after the other, each in a new process, and
prints the median wall time and the median CPU time of those runs, beside the targets. CPU time
is what the command costs: the user and system time of the ``clausewright`` process and its
children, and, when the resident process ran it (resident/), that of the copy that ran it, as
the resident process counts it. On a machine shared with other work the wall time also holds the
time spent waiting for a core.

The cases, first as a lawyer meets them during a session (the resident process running, started
by an earlier command), then each in its own process as on the first command of a session
(``CLAUSEWRIGHT_RESIDENT=0``):

- ``--help``: ``clausewright --help``.
- ``generate``: ``clausewright generate samples/vietnam-supplier.yaml -o OUT --no-page-numbers``,
  with the cache (cache.py) filled by an earlier run, and again with ``CLAUSEWRIGHT_NO_CACHE=1``.
- ``wizard``: ``clausewright wizard`` in a pseudo-terminal, until its first question is shown
  (then the process is killed; CPU read from /proc or psutil at that moment; with the resident
  process, the CPU of the copy that ran it until it ended).
- the first command of a session: ``generate`` with no resident process running, which runs the
  command in its own process and starts the resident process beside it.
- with ``--layout N`` (and LibreOffice installed): ``generate`` with the contents' page numbers,
  which lays the document out with LibreOffice (``ooxml/layout.py``), the pages found removed
  from the cache before each run; printed apart, as the cost of that pass on top of
  ``generate --no-page-numbers``; then the same document again, its pages from the cache.

The resident process runs from a temporary folder of its own (``XDG_RUNTIME_DIR``) and is
stopped at the end. Python's compiled modules are written and used (PYTHONDONTWRITEBYTECODE is
removed from the environment), and each case runs once before it is measured, as on a machine
where the tool has been run before.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEAL = ROOT / "samples" / "vietnam-supplier.yaml"
TARGETS = {"--help": 100, "generate --no-page-numbers": 300, "wizard, first question": 250}  # ms of wall time (issue targets)
FIRST_QUESTION = re.compile(rb"\((?:Use arrow keys|Enter keeps|Several lines|< goes back)")


def environment(work: Path, *, cache: bool = True, resident: bool = True) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "CLAUSEWRIGHT_NO_CACHE", "CLAUSEWRIGHT_RESIDENT")}
    env["PYTHONPATH"] = str(ROOT / "src") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["CLAUSEWRIGHT_CACHE_DIR"] = str(work / "cache")
    env["XDG_RUNTIME_DIR"] = str(work / "run")
    if not cache:
        env["CLAUSEWRIGHT_NO_CACHE"] = "1"
    if not resident:
        env["CLAUSEWRIGHT_RESIDENT"] = "0"
    return env


def served(work: Path) -> tuple[int, float]:
    """Commands run and CPU seconds taken by the resident process under ``work`` (its lock file)."""
    for lock in (work / "run" / "clausewright").glob("*.lock"):
        try:
            lines = lock.read_text(encoding="ascii").split()
            return int(lines[1]), float(lines[2])
        except (OSError, ValueError, IndexError):
            continue
    return 0, 0.0


def with_resident(work: Path, once):
    """``once``, with the CPU time of the copy that the resident process ran it in added."""

    def run() -> tuple[float, float]:
        commands, cpu = served(work)
        wall, own = once()
        deadline = time.perf_counter() + 5
        while served(work)[0] <= commands and time.perf_counter() < deadline:
            time.sleep(0.01)
        if served(work)[0] <= commands:
            sys.exit("the resident process did not run the command")
        return wall, own + served(work)[1] - cpu

    return run


def timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``command`` to its end."""
    before = os.times()
    started = time.perf_counter()
    proc = subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)
    wall = time.perf_counter() - started
    after = os.times()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({proc.returncode}):\n{proc.stderr.decode(errors='replace')[-2000:]}")
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def first_question(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of the wizard until its first question is on the terminal."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
    env = {**env, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"}
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=cwd, stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    seen = b""
    try:
        while not FIRST_QUESTION.search(seen):
            if time.perf_counter() - started > 60:
                sys.exit(f"the wizard showed no question within 60 s:\n{seen.decode(errors='replace')[-2000:]}")
            ready, _, _ = select.select([master], [], [], 1.0)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    sys.exit(f"the wizard ended before its first question:\n{seen.decode(errors='replace')[-2000:]}")
        wall = time.perf_counter() - started
        cpu = process_cpu(proc.pid)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        os.close(master)
    return wall, cpu


def process_cpu(pid: int) -> float:
    """CPU seconds used so far by a running process (user + system)."""
    try:
        import psutil

        times = psutil.Process(pid).cpu_times()
        return times.user + times.system
    except ImportError:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(name: str, runs: int, once) -> tuple[float, float]:
    once()  # compiled modules and cache entries in place
    walls, cpus = zip(*(once() for _ in range(runs)), strict=True)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    target = TARGETS.get(name)
    verdict = "" if target is None else f"   target {target} ms wall: {'met' if wall * 1000 <= target else 'NOT met'}"
    print(f"{name:<34} median {wall * 1000:7.0f} ms wall {cpu * 1000:7.0f} ms CPU   (min {min(walls) * 1000:.0f}, max {max(walls) * 1000:.0f} ms wall; {runs} runs){verdict}")
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11, help="runs of each case (default 11)")
    parser.add_argument("--layout", type=int, default=0, help="runs of generate with the LibreOffice layout pass (default 0: not measured)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="clausewright-cold-"))
    (work / "run").mkdir(mode=0o700)
    cached, uncached = environment(work), environment(work, cache=False, resident=False)
    own = environment(work, resident=False)
    cli = [sys.executable, "-m", "clausewright"]
    generate = [*cli, "generate", str(DEAL), "-o", str(work / "out.docx"), "--force"]
    wizard = [*cli, "wizard", "-o", str(work / "wizard.docx")]
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, Python {sys.version.split()[0]}")
    try:
        timed([*cli, "resident", "start"], cached, work)
        print("during a session (the resident process running):")
        measure("--help", args.runs, with_resident(work, lambda: timed([*cli, "--help"], cached, work)))
        _, fast = measure("generate --no-page-numbers", args.runs, with_resident(work, lambda: timed([*generate, "--no-page-numbers"], cached, work)))
        measure("wizard, first question", args.runs, with_resident(work, lambda: first_question(wizard, cached, work)))
        print("each command in its own process (CLAUSEWRIGHT_RESIDENT=0), as the first command of a session:")
        measure("--help, own process", args.runs, lambda: timed([*cli, "--help"], own, work))
        measure("generate, own process", args.runs, lambda: timed([*generate, "--no-page-numbers"], own, work))
        measure("  the same without the cache", args.runs, lambda: timed([*generate, "--no-page-numbers"], uncached, work))
        measure("wizard, own process", args.runs, lambda: first_question(wizard, own, work))

        def first_of_session() -> tuple[float, float]:
            timed([*cli, "resident", "stop"], cached, work)
            return timed([*generate, "--no-page-numbers"], cached, work)

        measure("generate, first of a session", max(3, args.runs // 3), first_of_session)
        if args.layout:
            if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
                print("layout pass: LibreOffice is not installed; not measured")
            else:
                timed([*cli, "resident", "start"], cached, work)

                def laid_out() -> tuple[float, float]:
                    shutil.rmtree(work / "cache" / "pages", ignore_errors=True)  # the other entries stay
                    return timed(generate, cached, work)

                wall, _ = measure("generate (contents page numbers)", args.layout, with_resident(work, laid_out))
                print(f"{'  the layout pass alone':<34} about {(wall - fast) * 1000:5.0f} ms wall (LibreOffice, on top of --no-page-numbers)")
                measure("  the same document again (cached)", args.layout, with_resident(work, lambda: timed(generate, cached, work)))
        print(f"machine after: load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        subprocess.run([*cli, "resident", "stop"], env=cached, cwd=work, capture_output=True, check=False)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
