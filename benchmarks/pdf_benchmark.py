"""Benchmark of ``--pdf`` on a bulk run (run by hand; not part of the test suite).

    python benchmarks/pdf_benchmark.py              # 10 agreements, --jobs 1 and 2
    python benchmarks/pdf_benchmark.py --rows 20 --jobs 2

It writes N synthetic suppliers (as benchmarks/bulk_benchmark.py does) over
samples/bulk/defaults.yaml and makes their DOCX and PDF files two ways, printing the wall time and
the CPU time (of every process involved, LibreOffice included) per document:

- **--pdf**: ``bulk run --pdf --jobs J``: each worker converts its rows through a LibreOffice
  kept running for the run (its start included);
- **one soffice per document**: ``bulk run --jobs J`` without ``--pdf``, then a
  ``soffice --headless --convert-to pdf`` of its own for each document, one after the other.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

from bulk_benchmark import COUNTRIES, suppliers_csv  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from clausewright.ooxml import layout, pdf  # noqa: E402


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _bulk(suppliers: Path, out: Path, jobs: int, *extra: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "clausewright", "bulk", "run", str(suppliers), "--defaults", str(ROOT / "samples" / "bulk" / "defaults.yaml"),
         "--out", str(out), "--no-progress", "--jobs", str(jobs), *extra],
        check=True, capture_output=True, env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )


def measure(work: Path, suppliers: Path, rows: int, jobs: int) -> tuple[float, float, float, float, float]:
    """(wall, CPU) per document with --pdf, the same with one soffice per document, and pages."""
    started, cpu = time.perf_counter(), _children_cpu()
    _bulk(suppliers, work / f"pdf-{jobs}", jobs, "--pdf")
    persistent = ((time.perf_counter() - started) / rows, (_children_cpu() - cpu) / rows)
    started, cpu = time.perf_counter(), _children_cpu()
    out = work / f"plain-{jobs}"
    _bulk(suppliers, out, jobs)
    for docx in sorted(out.glob("*.docx")):
        docx.with_suffix(".pdf").write_bytes(layout.to_pdf(docx.read_bytes()))
    one_each = ((time.perf_counter() - started) / rows, (_children_cpu() - cpu) / rows)
    pages = sum(len(PdfReader(p).pages) for p in out.glob("*.pdf")) / rows
    return (*persistent, *one_each, pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10)
    parser.add_argument("--jobs", type=int, nargs="*", default=[1, 2])
    args = parser.parse_args()
    pdf.require()
    assert pdf.uno_python(), "no Python with LibreOffice's uno module (python3-uno)"
    with tempfile.TemporaryDirectory(prefix="clausewright-pdf-bench-") as folder:
        work = Path(folder)
        suppliers = work / "suppliers.csv"
        suppliers_csv(suppliers, args.rows, products=True, countries=COUNTRIES)
        for jobs in args.jobs:
            wall, cpu, wall_each, cpu_each, pages = measure(work, suppliers, args.rows, jobs)
            print(f"--jobs {jobs}, {args.rows} agreements of {pages:.0f} pages, per document (DOCX and PDF):")
            print(f"  bulk run --pdf:             {wall * 1000:6.0f} ms wall  {cpu * 1000:6.0f} ms CPU")
            print(f"  one soffice per document:   {wall_each * 1000:6.0f} ms wall  {cpu_each * 1000:6.0f} ms CPU")
            print(f"  --pdf is {wall_each / wall:.1f}x faster (wall), {cpu_each / cpu:.1f}x less CPU")


if __name__ == "__main__":
    main()
