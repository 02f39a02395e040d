"""``--pdf``: a PDF beside each DOCX, made by LibreOffice; in bulk, one LibreOffice for the run,
each PDF recorded in the manifest, and ``--resume`` making only the PDFs that are missing."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import yaml
from bulk_helpers import GOOD, MINI_OPTIONS, bulk, manifest, write_csv, write_defaults
from click.testing import CliRunner
from conftest import SAMPLES, need_soffice
from pypdf import PdfReader

from clausewright.cli.main import cli

KOREA = SAMPLES / "korea-supplier.yaml"
INSTALL = "apt-get install -y libreoffice-writer-nogui"


def _text(pdf: Path) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(pdf).pages[:2])


def test_generate_pdf_writes_the_agreement_beside_the_docx(tmp_path):
    need_soffice()
    out = tmp_path / "korea.docx"
    result = CliRunner().invoke(cli, ["generate", str(KOREA), "-o", str(out), "--no-page-numbers", "--pdf"])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "korea.pdf"
    assert f"Wrote {pdf}" in result.output
    deal = yaml.safe_load(KOREA.read_text(encoding="utf-8"))
    text = " ".join(_text(pdf).split()).upper()
    assert "MANUFACTURING SUPPLY AND IP PROTECTION AGREEMENT" in text
    assert deal["buyer"]["name"].upper() in text and deal["supplier"]["name"].upper() in text


def test_generate_pdf_refuses_to_replace_a_pdf_without_force(tmp_path):
    (tmp_path / "korea.pdf").write_bytes(b"mine")
    result = CliRunner().invoke(cli, ["generate", str(KOREA), "-o", str(tmp_path / "korea.docx"), "--no-page-numbers", "--pdf"])
    assert result.exit_code == 1 and "korea.pdf already exists" in result.output
    assert (tmp_path / "korea.pdf").read_bytes() == b"mine" and not (tmp_path / "korea.docx").exists()


def test_bulk_run_pdf_writes_one_pdf_per_row_and_resume_makes_only_the_missing_ones(tmp_path):
    need_soffice()
    suppliers = write_csv(tmp_path / "suppliers.csv", GOOD)
    out = tmp_path / "out"
    args = ["run", str(suppliers), "--defaults", str(write_defaults(tmp_path)), "--out", str(out), "--pdf", "-j", "1"]
    result = bulk(*args)
    assert result.exit_code == 0, result.output
    entries = manifest(out)
    assert [e["pdf"] for e in entries] == [e["output"].replace(".docx", ".pdf") for e in entries] and len(entries) == len(GOOD)
    for entry in entries:
        pdf = out / entry["pdf"]
        assert entry["pdf_sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert "GAMMA 控制器 LTD" in _text(out / entries[2]["pdf"])  # the cover sets party names in capitals
    kept = {e["pdf"]: (out / e["pdf"]).stat().st_mtime_ns for e in entries[1:]}
    (out / entries[0]["pdf"]).unlink()

    again = bulk(*args, "--resume")
    assert again.exit_code == 0, again.output
    assert (out / entries[0]["pdf"]).is_file()
    assert {name: (out / name).stat().st_mtime_ns for name in kept} == kept  # the others were not made again
    resumed = manifest(out)
    assert [e["status"] for e in resumed] == ["unchanged"] * len(GOOD)
    assert all(e["pdf_sha256"] == hashlib.sha256((out / e["pdf"]).read_bytes()).hexdigest() for e in resumed)


def test_bulk_run_pdf_refuses_to_replace_a_pdf_it_did_not_make(tmp_path):
    need_soffice()
    suppliers = write_csv(tmp_path / "suppliers.csv", GOOD[:1])
    out = tmp_path / "out"
    out.mkdir()
    stray = out / "S-001-alpha-precision-co.pdf"
    stray.write_bytes(b"mine")
    result = bulk("run", str(suppliers), "--defaults", str(write_defaults(tmp_path)), "--out", str(out), "--pdf", "-j", "1")
    assert result.exit_code == 1, result.output
    assert "S-001-alpha-precision-co.pdf: it already exists" in result.output and stray.read_bytes() == b"mine"


def _without_libreoffice(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": str(tmp_path / "empty")}  # no soffice (nor anything else) on it
    return subprocess.run([sys.executable, "-m", "clausewright", *args], env=env, capture_output=True, text=True, timeout=120, check=False)


def test_generate_pdf_without_libreoffice_says_what_to_install(tmp_path):
    out = tmp_path / "korea.docx"
    result = _without_libreoffice(tmp_path, "generate", str(KOREA), "-o", str(out), "--pdf")
    assert result.returncode == 2, result.stderr
    assert "--pdf needs LibreOffice (soffice), which is not installed" in result.stderr and INSTALL in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


def test_bulk_run_pdf_without_libreoffice_says_what_to_install_and_writes_nothing(tmp_path):
    suppliers = write_csv(tmp_path / "suppliers.csv", GOOD)
    out = tmp_path / "out"
    result = _without_libreoffice(tmp_path, "bulk", "run", str(suppliers), "--defaults", str(write_defaults(tmp_path)), "--out", str(out), "--pdf", "--no-progress", *MINI_OPTIONS)
    assert result.returncode == 2, result.stderr
    assert INSTALL in result.stderr and "Traceback" not in result.stderr and not out.exists()


def test_dry_run_with_pdf_lists_each_pdf_it_would_write(tmp_path):
    need_soffice()
    suppliers = write_csv(tmp_path / "suppliers.csv", GOOD)
    out = tmp_path / "out"
    result = bulk("run", str(suppliers), "--defaults", str(write_defaults(tmp_path)), "--out", str(out), "--pdf", "--dry-run", "-j", "1")
    assert result.exit_code == 0, result.output
    assert "would write 3 document(s) and their PDFs" in result.stdout
    assert "  S-001-alpha-precision-co.docx  S-001-alpha-precision-co.pdf" in result.stdout.splitlines()
    assert not out.exists()


def test_dry_run_with_pdf_without_libreoffice_stops_as_the_run_would(tmp_path):
    suppliers = write_csv(tmp_path / "suppliers.csv", GOOD)
    out = tmp_path / "out"
    result = _without_libreoffice(tmp_path, "bulk", "run", str(suppliers), "--defaults", str(write_defaults(tmp_path)), "--out", str(out), "--pdf", "--dry-run", "--no-progress", *MINI_OPTIONS)
    assert result.returncode == 2, result.stderr
    assert INSTALL in result.stderr and not out.exists()


PDFAID = "http://www.aiim.org/pdfa/ns/id/"


def _pdf_a(pdf: Path) -> tuple[str, str] | None:
    """(part, conformance) as the PDF's XMP metadata declares them, or None."""
    xmp = PdfReader(pdf).xmp_metadata
    if xmp is None:
        return None
    values = {}
    for description in xmp.rdf_root.getElementsByTagNameNS("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "Description"):
        for name in ("part", "conformance"):
            value = description.getAttributeNS(PDFAID, name) or "".join(n.data for e in description.getElementsByTagNameNS(PDFAID, name) for n in e.childNodes if n.nodeType == n.TEXT_NODE)
            if value:
                values[name] = value.strip()
    return (values["part"], values["conformance"]) if values else None


def test_pdf_a_declares_pdf_a_2b_and_a_version_it_allows(tmp_path):
    need_soffice()
    result = CliRunner().invoke(cli, ["generate", str(KOREA), "-o", str(tmp_path / "korea.docx"), "--no-page-numbers", "--pdf-a"])
    assert result.exit_code == 0, result.output
    assert f"Wrote {tmp_path / 'korea.pdf'} (PDF/A-2b)" in result.output
    pdf = tmp_path / "korea.pdf"
    assert _pdf_a(pdf) == ("2", "B")
    assert PdfReader(pdf).pdf_header in ("%PDF-1.4", "%PDF-1.5", "%PDF-1.6", "%PDF-1.7")  # PDF/A-2 is built on PDF 1.7 (ISO 32000-1)
    plain = CliRunner().invoke(cli, ["generate", str(KOREA), "-o", str(tmp_path / "plain.docx"), "--no-page-numbers", "--pdf"])
    assert plain.exit_code == 0, plain.output
    assert _pdf_a(tmp_path / "plain.pdf") is None


def test_bulk_run_pdf_a_with_two_jobs_writes_pdf_a_for_every_row(tmp_path):
    need_soffice()
    suppliers = write_csv(tmp_path / "suppliers.csv", GOOD)
    out = tmp_path / "out"
    result = bulk("run", str(suppliers), "--defaults", str(write_defaults(tmp_path)), "--out", str(out), "--pdf-a", "-j", "2")
    assert result.exit_code == 0, result.output
    entries = manifest(out)
    assert len(entries) == len(GOOD)
    for entry in entries:
        assert _pdf_a(out / entry["pdf"]) == ("2", "B")
        assert entry["pdf_sha256"] == hashlib.sha256((out / entry["pdf"]).read_bytes()).hexdigest()
    assert "--pdf-a" in (out / entries[0]["answers"]).read_text(encoding="utf-8")  # the command that regenerates it
