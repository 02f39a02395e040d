"""Benchmark of a lawyer's wait: one command in a fresh process (run by hand; not a test).

    python benchmarks/cold_start.py             # 11 runs of each
    python benchmarks/cold_start.py --runs 21 --layout 3

For each case it starts the command N times, one after the other, each in a new process, and
prints the median wall time and the median CPU time (user + system of the process and its
children) of those runs, beside the targets. CPU time is what the command itself costs; on a
machine shared with other work the wall time also holds the time spent waiting for a core.

- ``--help``: ``clausewright --help``.
- ``generate``: ``clausewright generate samples/vietnam-supplier.yaml -o OUT --no-page-numbers``,
  with the cache (cache.py) filled by an earlier run, and again with ``CLAUSEWRIGHT_NO_CACHE=1``.
- ``wizard``: ``clausewright wizard`` in a pseudo-terminal, until its first question is shown
  (then the process is killed; CPU read from /proc or psutil at that moment).
- with ``--layout N`` (and LibreOffice installed): ``generate`` with the contents' page numbers,
  which lays the document out with LibreOffice (``ooxml/layout.py``), the pages found removed
  from the cache before each run; printed apart, as the cost of that pass on top of
  ``generate --no-page-numbers``; then the same document again, its pages from the cache.

Python's compiled modules are written and used (PYTHONDONTWRITEBYTECODE is removed from the
environment), and each case runs once before it is measured, as on a machine where the tool has
been run before.
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


def environment(cache_dir: Path, *, cache: bool = True) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "CLAUSEWRIGHT_NO_CACHE")}
    env["PYTHONPATH"] = str(ROOT / "src") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["CLAUSEWRIGHT_CACHE_DIR"] = str(cache_dir)
    if not cache:
        env["CLAUSEWRIGHT_NO_CACHE"] = "1"
    return env


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
    cache_dir = work / "cache"
    cached, uncached = environment(cache_dir), environment(cache_dir, cache=False)
    cli = [sys.executable, "-m", "clausewright"]
    generate = [*cli, "generate", str(DEAL), "-o", str(work / "out.docx"), "--force"]
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, Python {sys.version.split()[0]}")
    try:
        measure("--help", args.runs, lambda: timed([*cli, "--help"], cached, work))
        _, fast = measure("generate --no-page-numbers", args.runs, lambda: timed([*generate, "--no-page-numbers"], cached, work))
        measure("  the same without the cache", args.runs, lambda: timed([*generate, "--no-page-numbers"], uncached, work))
        measure("wizard, first question", args.runs, lambda: first_question([*cli, "wizard", "-o", str(work / "wizard.docx")], cached, work))
        if args.layout:
            if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
                print("layout pass: LibreOffice is not installed; not measured")
            else:
                def laid_out() -> tuple[float, float]:
                    shutil.rmtree(cache_dir / "pages", ignore_errors=True)  # the other entries stay
                    return timed(generate, cached, work)

                wall, _ = measure("generate (contents page numbers)", args.layout, laid_out)
                print(f"{'  the layout pass alone':<34} about {(wall - fast) * 1000:5.0f} ms wall (LibreOffice, on top of --no-page-numbers)")
                measure("  the same document again (cached)", args.layout, lambda: timed(generate, cached, work))
        print(f"machine after: load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
