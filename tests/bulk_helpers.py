"""Helpers for the bulk tests: inputs for the miniature library, and running the command."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from click.testing import CliRunner
from conftest import MINI, SAMPLES

from clausewright.cli.main import cli
from clausewright.ooxml import reader

MINI_OPTIONS = ["--library", str(MINI / "library"), "--jurisdictions", str(MINI / "jurisdictions")]
SAMPLE_SUPPLIERS = SAMPLES / "bulk" / "suppliers.csv"  # the shipped supplier list and its shared values
SAMPLE_DEFAULTS = SAMPLES / "bulk" / "defaults.yaml"

DEFAULTS = """\
agreement:
  date: 2026-12-01
buyer:
  name: Smith & Jones <UK> Ltd
  signatory: {name: "Ann O'Neil"}
commercial:
  price: 1250000
"""

HEADER = ["supplier_id", "supplier.name", "supplier.address", "supplier.country", "supplier.signatory.name", "products.1.name", "products.1.price", "products.2.name"]

GOOD = [
    ["S-001", "Alpha Precision Co", "1 Road\nHanoi", "vietnam", "Nguyễn Văn An", "Widget & <Bolt>", "12.50", "Gadget"],
    ["S-002", 'Beta "Sao Mai" Ltd', "2 Street", "singapore", "Lim", "Sprocket", "", ""],
    ["S-003", "Gamma 控制器 Ltd", "3 Avenue", "vietnam", "Tran", "Nut {{ 7*7 }}", "0.95", ""],
]
BAD = [
    ["S-004", "Delta Ltd", "4 Lane", "atlantis", "Dung", "Screw", "", ""],  # unknown country
    ["S-005", "Epsilon Ltd", "5 Lane", "vietnam", "Em", "Washer", "cheap", ""],  # not a price
]


def write_defaults(folder: Path) -> Path:
    path = folder / "defaults.yaml"
    path.write_text(DEFAULTS, encoding="utf-8")
    return path


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER, *, bom: bool = True, delimiter: str = ",") -> Path:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes((("\ufeff" if bom else "") + out.getvalue()).encode("utf-8"))
    return path


def many_rows(count: int, *, start: int = 1) -> list[list[str]]:
    return [[f"S-{i:04d}", f"Supplier {i} Ltd", f"{i} Road", "vietnam" if i % 2 else "singapore", f"Signer {i}", f"Part {i}", f"{i}.25", ""] for i in range(start, start + count)]


def bulk(*args: str, options: list[str] = MINI_OPTIONS):
    return CliRunner().invoke(cli, ["bulk", *args, *options, "--no-progress"] if args[0] != "template" else ["bulk", *args, *options])


def manifest(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def errors(out: Path) -> list[dict]:
    text = (out / "errors.csv").read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def assert_valid(path: Path, *texts: str) -> str:
    """The DOCX passes the structural check, and its visible text holds every one of ``texts``."""
    data = path.read_bytes()
    assert reader.check(data, list(texts)) == [], path.name
    shown = reader.read(data).text()
    for text in texts:
        assert text in shown, (path.name, text)
    return shown


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def docx_names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.docx"))


def zip_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return z.namelist()


def sample_suppliers(*ids: str, **columns: list[str]) -> tuple[list[str], list[list[str]]]:
    """The header and the rows ``ids`` of the shipped supplier list, with ``columns`` added
    (``law__governing_law=[...]`` adds column law.governing_law, one value per row)."""
    with SAMPLE_SUPPLIERS.open(encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    chosen = [next(r for r in rows if r[0] == i) for i in ids]
    for name, values in columns.items():
        header = [*header, name.replace("__", ".")]
        chosen = [[*row, value] for row, value in zip(chosen, values, strict=True)]
    return header, chosen
