"""Rebuild templates/master.docx, the bundled house template, from clausewright.ooxml.house_template."""

from pathlib import Path

from clausewright.ooxml.house_template import build_master

out = Path(__file__).resolve().parent.parent / "templates" / "master.docx"
out.write_bytes(build_master())
print(f"wrote {out}")
