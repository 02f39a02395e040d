"""Benchmark of ``--pdf`` (run by hand; not part of the test suite).

    python benchmarks/pdf_benchmark.py              # 10 agreements
    python benchmarks/pdf_benchmark.py --rows 50

It writes N synthetic suppliers (as benchmarks/bulk_benchmark.py does) over
samples/bulk/defaults.yaml, runs ``bulk run`` on them once without ``--pdf``, then converts the
same DOCX files to PDF twice, one document at a time, and prints the milliseconds per document:

- **persistent**: one LibreOffice kept running for all of them (``ooxml.pdf.PdfConverter``, what
  ``--pdf`` uses), its start included;
- **one per document**: a ``soffice --headless --convert-to pdf`` of its own for each document.
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10)
    args = parser.parse_args()
    pdf.require()
    with tempfile.TemporaryDirectory(prefix="clausewright-pdf-bench-") as folder:
        work = Path(folder)
        suppliers = work / "suppliers.csv"
        suppliers_csv(suppliers, args.rows, products=True, countries=COUNTRIES)
        out = work / "out"
        subprocess.run(
            [sys.executable, "-m", "clausewright", "bulk", "run", str(suppliers), "--defaults", str(ROOT / "samples" / "bulk" / "defaults.yaml"),
             "--out", str(out), "--no-progress"],
            check=True, capture_output=True, env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        )
        documents = sorted(out.glob("*.docx"))
        started = time.perf_counter()
        with pdf.PdfConverter() as converter:
            assert converter.persistent, "no Python with LibreOffice's uno module (python3-uno)"
            for docx in documents:
                converter.convert(docx, docx.with_suffix(".pdf"))
        persistent = (time.perf_counter() - started) / len(documents)
        started = time.perf_counter()
        for docx in documents:
            layout.to_pdf(docx.read_bytes())
        one_each = (time.perf_counter() - started) / len(documents)
        pages = sum(len(PdfReader(d.with_suffix(".pdf")).pages) for d in documents) / len(documents)
    print(f"{len(documents)} agreements of {pages:.0f} pages on average")
    print(f"persistent LibreOffice:     {persistent * 1000:7.0f} ms per document")
    print(f"one soffice per document:   {one_each * 1000:7.0f} ms per document")
    print(f"persistent is {one_each / persistent:.1f}x faster per document")


if __name__ == "__main__":
    main()
