"""Benchmark of ``clausewright bulk run`` (run by hand; not part of the test suite).

    python benchmarks/bulk_benchmark.py                      # 1,000 suppliers, --jobs 1 and 2
    python benchmarks/bulk_benchmark.py --rows 1000,10000 --jobs 2

It writes N synthetic suppliers to a CSV (each giving the supplier's own columns: name, country,
address, signatory, notices, delivery place and two products) over the shared values of
``--defaults``, by default samples/bulk/defaults.yaml (the full supply agreement), runs ``bulk run`` on them in a child process and prints, for each --jobs value:
documents per second, milliseconds per document (wall time divided by rows), and the peak memory
of the whole process tree (the sum of the resident set sizes of the command and its worker
processes, sampled every 20 ms with psutil; without psutil, the largest single process from
``getrusage``).

CPU time is the measure to compare: the user and system time of the command and all its worker
processes, divided by the rows. A busy neighbour on a shared machine lengthens the wall time
but hardly the CPU time. Beside it the benchmark prints the physical floor, measured in the same
run: serialising the XML parts of the finished documents (parsed beforehand) and zipping them
into a DOCX in memory, the least any tool must do to write such a document, and the ratio of
the run's CPU per document to it. The command's own memory is sampled as the run goes on and
printed at each quarter of it, with its growth per 1,000 rows over the second half: flat means
it does not grow with the rows.

Then it times a plain docxtpl pass over the same finished documents: open each generated DOCX as
a ``DocxTemplate``, render it with an empty context, save it to memory (in this process, one
document at a time; ``--plain`` documents spread evenly over the run, all of them with
``--plain 0``). The ratio compares the per-document wall time of ``bulk run --jobs 1`` (all of
reading, validation, assembly, rendering and writing included) with the per-document time of
that plain pass; 1.0 means as fast as docxtpl alone re-rendering the finished document.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = ["vietnam", "china", "thailand", "india", "mexico"]
CLI = "from clausewright.cli.main import main; main()"


def suppliers_csv(path: Path, rows: int, *, products: bool, countries: list[str]) -> None:
    rng = random.Random(20261201)
    header = ["supplier_id", "supplier.name", "supplier.country", "supplier.address", "supplier.signatory.name",
              "supplier.notices.attention", "supplier.notices.email", "commercial.delivery_place"]
    if products:
        for n in (1, 2):
            header += [f"products.{n}.code", f"products.{n}.name", f"products.{n}.specification", f"products.{n}.unit_price"]
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        for i in range(1, rows + 1):
            name = f"{rng.choice(['Saigon', 'Hanoi', 'Shenzhen', 'Chiang Mai', 'Pune', 'Monterrey'])} {rng.choice(['Precision', 'Plastics', 'Electronics', 'Tooling'])} & Co. {i}"
            row = [f"S-{i:05d}", name, countries[i % len(countries)], f"{i} Industrial Road\nZone {i % 17}", f"Signatory Nguyễn {i}",
                   f"Signatory Nguyễn {i}, Director", f"legal@supplier-{i}.example", f"the Supplier's factory, {i} Industrial Road"]
            if products:
                for n in (1, 2):
                    row += [f"P{i}-{n}", f"Part {n} for supplier {i}", f"DWG-{i}-{n} rev. A", f"{rng.randint(1, 9999) / 100:.2f}"]
            out.writerow(row)


class TreeMemory:
    """Peak of the summed RSS of a process and all its descendants."""

    def __init__(self, pid: int):
        self.peak = 0
        self.peak_main = 0  # the bulk command itself
        self.peak_worker = 0  # the largest worker process
        self.main_series: list[tuple[float, int]] = []  # (seconds since start, RSS of the command)
        self._started = time.perf_counter()
        self.method = "psutil (sum of RSS over the process tree, sampled every 20 ms)"
        try:
            import psutil
        except ImportError:
            self.method = "getrusage (largest single process; install psutil for the tree)"
            self._thread = None
            return
        self._root = psutil.Process(pid)
        self._psutil = psutil
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self._root, *self._root.children(recursive=True)]
                total = 0
                for p in procs:
                    try:
                        rss = p.memory_info().rss
                    except self._psutil.Error:
                        continue
                    total += rss
                    if p is self._root and rss:
                        self.peak_main = max(self.peak_main, rss)
                        self.main_series.append((time.perf_counter() - self._started, rss))
                    else:
                        self.peak_worker = max(self.peak_worker, rss)
                self.peak = max(self.peak, total)
            except self._psutil.Error:
                pass
            self._stop.wait(0.02)

    def quarters(self, rows: int) -> str:
        """The command's RSS at each quarter of the run, and its growth per 1,000 rows over the
        second half (rows taken as spread evenly over the time)."""
        series = self.main_series
        if len(series) < 8:
            return ""
        end = series[-1][0]
        at = [min(series, key=lambda s: abs(s[0] - end * q))[1] for q in (0.25, 0.5, 0.75, 1.0)]
        half = [(t, rss) for t, rss in series if t >= end / 2]
        (t0, r0), (t1, r1) = half[0], half[-1]
        growth = (r1 - r0) / max(1e-9, (t1 - t0) / end * rows) * 1000
        return f"command RSS at each quarter {', '.join(f'{x / 2**20:.0f}' for x in at)} MB; second half {growth / 2**20:+.2f} MB per 1,000 rows"

    def stop(self) -> int:
        if self._thread is None:
            return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        self._stop.set()
        self._thread.join()
        return self.peak


def bulk_run(csv_path: Path, out: Path, jobs: int, args) -> tuple[float, float, TreeMemory]:
    """Wall seconds, CPU seconds of the whole process tree, and peak memory of one ``bulk run``."""
    command = [sys.executable, "-c", CLI, "bulk", "run", str(csv_path), "--out", str(out), "--jobs", str(jobs), "--no-progress", "--force"]
    if args.defaults:
        command += ["--defaults", str(args.defaults)]
    for flag in ("library", "jurisdictions", "template"):
        value = getattr(args, flag)
        if value:
            command += [f"--{flag}", str(value)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(proc.pid)
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    memory.peak = memory.stop()
    if proc.returncode != 0:
        sys.exit(f"bulk run failed ({proc.returncode}):\n{stdout}\n{stderr[-3000:]}")
    return seconds, cpu, memory


def plain_docxtpl(paths: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds of docxtpl opening, rendering (empty context) and saving each file."""
    from docxtpl import DocxTemplate

    wall = cpu = 0.0
    for path in paths:
        data = path.read_bytes()
        started, started_cpu = time.perf_counter(), time.process_time()
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.render({})
        tpl.save(io.BytesIO())
        wall += time.perf_counter() - started
        cpu += time.process_time() - started_cpu
    return wall, cpu


def serialise_and_zip(paths: list[Path]) -> float:
    """CPU seconds per document of the physical floor: serialise every XML part of the document
    (parsed beforehand, not timed) and zip the parts, as a DOCX, into memory, at the deflate level
    clausewright writes with."""
    import zipfile

    from lxml import etree

    from clausewright.ooxml.package import COMPRESS_LEVEL

    documents = []
    for path in paths:
        with zipfile.ZipFile(path) as package:
            parts = []
            for info in package.infolist():
                data = package.read(info)
                tree = etree.fromstring(data) if info.filename.endswith((".xml", ".rels")) else None
                parts.append((info.filename, tree, data))
        documents.append(parts)
    started = time.process_time()
    for parts in documents:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
            for name, tree, data in parts:
                xml = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True) if tree is not None else data
                package.writestr(name, xml, compresslevel=COMPRESS_LEVEL)
    return (time.process_time() - started) / len(documents)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="1000", help="comma-separated row counts (default 1000)")
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values (default 1,2)")
    parser.add_argument("--defaults", type=Path, default=ROOT / "samples" / "bulk" / "defaults.yaml")
    parser.add_argument("--library", type=Path)
    parser.add_argument("--jurisdictions", type=Path)
    parser.add_argument("--template", type=Path)
    parser.add_argument("--countries", default=",".join(COUNTRIES), help="supplier.country values to cycle through")
    parser.add_argument("--no-products", action="store_true", help="leave the products columns out (a library without products)")
    parser.add_argument("--plain", type=int, default=200, help="documents for the plain docxtpl pass (0: all)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    rows_list = [int(x) for x in args.rows.split(",")]
    jobs_list = [int(x) for x in args.jobs.split(",")]
    work = Path(tempfile.mkdtemp(prefix="clausewright-bench-"))
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; work folder {work}")
    print(f"library: {args.library or 'bundled'}; defaults: {args.defaults}")
    try:
        for rows in rows_list:
            csv_path = work / f"suppliers-{rows}.csv"
            suppliers_csv(csv_path, rows, products=not args.no_products, countries=args.countries.split(","))
            per_doc: dict[int, float] = {}
            cpu_doc: dict[int, float] = {}
            for jobs in jobs_list:
                out = work / f"out-{rows}-{jobs}"
                seconds, cpu, memory = bulk_run(csv_path, out, jobs, args)
                per_doc[jobs], cpu_doc[jobs] = seconds / rows, cpu / rows
                split = f" (command {memory.peak_main / 2**20:.0f} MB" if memory.peak_main else ""
                split += f", largest worker {memory.peak_worker / 2**20:.0f} MB)" if memory.peak_worker else (")" if split else "")
                print(
                    f"rows {rows:>6}  --jobs {jobs}: {cpu / rows * 1000:6.1f} ms of CPU/document, {rows / seconds:6.1f} documents/s, {seconds / rows * 1000:6.1f} ms/document (wall), "
                    f"{seconds:7.1f} s in all, peak memory {memory.peak / 2**20:6.0f} MB{split}"
                )
                if memory.quarters(rows):
                    print(f"rows {rows:>6}  --jobs {jobs}: {memory.quarters(rows)}")
            if 1 in per_doc and len(per_doc) > 1:
                for jobs, value in per_doc.items():
                    if jobs != 1:
                        print(f"rows {rows:>6}  --jobs {jobs} over --jobs 1: speed-up {per_doc[1] / value:.2f}x, CPU per document {cpu_doc[jobs] / cpu_doc[1]:.2f}x (target at most 1.1x)")
            out = work / f"out-{rows}-{jobs_list[0]}"
            documents = sorted(out.glob("*.docx"))
            sample = documents if args.plain <= 0 or args.plain >= len(documents) else documents[:: max(1, len(documents) // args.plain)][: args.plain]
            floor = serialise_and_zip(sample)
            for jobs in jobs_list:
                print(f"rows {rows:>6}  --jobs {jobs}: {cpu_doc[jobs] * 1000:.1f} ms of CPU/document = {cpu_doc[jobs] / floor:.1f}x the floor "
                      f"(serialise and zip the same parts: {floor * 1000:.2f} ms of CPU/document, {len(sample)} documents); target at most 3x")
            plain_wall, plain_cpu = (t / len(sample) for t in plain_docxtpl(sample))
            ours, ours_cpu = (per_doc[1], cpu_doc[1]) if 1 in per_doc else (per_doc[min(jobs_list)] * min(jobs_list), cpu_doc[min(jobs_list)])
            print(
                f"rows {rows:>6}  plain docxtpl render+save of the finished documents ({len(sample)} of them): {plain_wall * 1000:.1f} ms/document "
                f"({plain_cpu * 1000:.1f} ms of CPU); ratio bulk run / plain docxtpl = {ours / plain_wall:.2f} (wall), {ours_cpu / plain_cpu:.2f} (CPU)"
            )
            size = sum(p.stat().st_size for p in documents) / max(1, len(documents))
            print(f"rows {rows:>6}  average document size {size / 1024:.0f} KB")
        print("peak memory: " + ("psutil, the sum of RSS over the process tree" if _has_psutil() else "getrusage, the largest single process"))
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _has_psutil() -> bool:
    try:
        import psutil  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
