"""Make the sample returned draft again: samples/returned/vietnam-supplier-returned.docx.

    python scripts/make_returned_sample.py

It is the Vietnam sample's agreement as clausewright generates it now, with the edits listed in
samples/returned/edits.json made by "Supplier Counsel" in LibreOffice with record-changes on
(tests/lo_revisions.py, run by a Python that has LibreOffice's ``uno`` module). Run it after any
change to the library that changes the Vietnam sample's text: the review tests read the sample
against a draft generated from the current library.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from clausewright import pipeline  # noqa: E402
from clausewright.ooxml.pdf import uno_python, without_comments  # noqa: E402

SAMPLE = ROOT / "samples" / "vietnam-supplier.yaml"
RETURNED = ROOT / "samples" / "returned"


def main() -> int:
    python = uno_python()
    if python is None:
        print("needs LibreOffice and a Python with its uno module (apt-get install -y libreoffice-writer-nogui python3-uno)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as work:
        ours, theirs = Path(work) / "ours.docx", Path(work) / "theirs.docx"
        # LibreOffice driven as a server cannot open a document with comments: they go first
        ours.write_bytes(without_comments(pipeline.generate(SAMPLE, None).docx))
        run = subprocess.run([python, str(ROOT / "tests" / "lo_revisions.py"), "edit", str(ours), str(theirs), str(RETURNED / "edits.json")],
                             capture_output=True, text=True, timeout=300, check=False)
        if run.returncode != 0 or not theirs.is_file():
            print(f"LibreOffice could not make the edits: {run.stderr.strip()}", file=sys.stderr)
            return 1
        (RETURNED / "vietnam-supplier-returned.docx").write_bytes(theirs.read_bytes())
    print(f"Wrote {RETURNED / 'vietnam-supplier-returned.docx'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
