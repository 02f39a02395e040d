"""Shared fixtures: the bundled and the miniature sources, and LibreOffice helpers."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from clausewright import pipeline

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MINI = HERE / "fixtures" / "mini"
SAMPLES = ROOT / "samples"

# Commands the tests start run in their own process, as on the first command of a session: no
# resident process is left behind by the suite (tests/test_resident.py starts its own).
os.environ["CLAUSEWRIGHT_RESIDENT"] = "0"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def need_soffice() -> str:
    exe = soffice()
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI; .ci/run installs it")
        pytest.skip("LibreOffice (soffice) is not installed")
    return exe


def libreoffice_convert(docx: Path, fmt: str, outdir: Path) -> Path:
    """Convert with LibreOffice; soffice exits 0 even when loading fails, so check the output."""
    exe = need_soffice()
    target_ext = fmt.split(":")[0]
    out = outdir / (docx.stem + "." + target_ext)
    if out.exists():
        out.unlink()
    profile = outdir / ".lo-profile"
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt, "--outdir", str(outdir), str(docx)],
        check=False,
        capture_output=True,
        timeout=180,
    )
    assert out.exists() and out.stat().st_size > 0, f"LibreOffice could not convert {docx.name} to {fmt}"
    return out


def libreoffice_text(docx: Path, outdir: Path) -> str:
    return libreoffice_convert(docx, "txt:Text (encoded):UTF8", outdir).read_text(encoding="utf-8-sig")


@pytest.fixture(scope="session")
def mini_sources():
    return pipeline.load_sources(MINI / "library", MINI / "jurisdictions")


@pytest.fixture(scope="session")
def bundled_sources():
    return pipeline.load_sources()


@pytest.fixture
def mini_deal_raw():
    from clausewright.inputs.deal import read_deal_file

    return read_deal_file(MINI / "deal.yaml")
