"""PDF copies of finished documents, made by one LibreOffice kept running for a whole run.

Starting LibreOffice costs seconds; converting a document once it runs costs a fraction of that.
``PdfConverter`` starts LibreOffice on first use, listening on a private pipe with a profile of
its own (so it never meets a LibreOffice the user has open), and sends it every document of the
run through ``uno_bridge.py``, run by a Python that has LibreOffice's ``uno`` module. Each
conversion has a time limit; a LibreOffice that overruns it is ended and the next document
starts a fresh one. Where no Python with ``uno`` is found, each document is converted by a
``soffice --convert-to`` of its own (slower, same PDF). ``pdf_a`` asks for PDF/A-2b, the archival
PDF (fonts embedded, no transparency groups or encryption, XMP metadata naming the standard).
"""

from __future__ import annotations

import functools
import io
import json
import select
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from contextlib import suppress
from pathlib import Path
from typing import IO, Any

from lxml import etree

from clausewright.errors import EXIT_USAGE
from clausewright.files import write_atomic
from clausewright.ooxml import layout
from clausewright.ooxml.namespaces import PARSER, w

TIMEOUT_SECONDS = 120  # per document, and for LibreOffice to start
_POLL_SECONDS = 0.5  # how often a wait for LibreOffice checks that it is still running
PDF_A_VERSION = 2  # writer_pdf_Export's SelectPdfVersion: 2 is PDF/A-2b
INSTALL = "apt-get install -y libreoffice-writer-nogui python3-uno"
_BRIDGE = Path(__file__).with_name("uno_bridge.py")
_COMMENT_ANCHORS = ("commentRangeStart", "commentRangeEnd", "commentReference")  # a reference's run goes with it
_PYTHONS = ("python3", "/usr/bin/python3", "/usr/lib/libreoffice/program/python")


class PdfUnavailable(layout.LayoutError):
    """LibreOffice, which writes the PDF, is not installed."""

    exit_code = EXIT_USAGE


def require() -> str:
    """LibreOffice's command; ``PdfUnavailable`` (naming what to install) when there is none."""
    command = layout.soffice()
    if command is None:
        raise PdfUnavailable(f"--pdf needs LibreOffice (soffice), which is not installed; install it with: {INSTALL}")
    return command


def export_options(*, pdf_a: bool = False) -> dict[str, tuple[str, Any]]:
    """The PDF export filter's options, {name: (type, value)}: none but PDF/A when asked for."""
    return {"SelectPdfVersion": ("long", PDF_A_VERSION)} if pdf_a else {}


def convert_to(options: dict[str, tuple[str, Any]]) -> str:
    """``options`` as ``soffice --convert-to`` takes them (LibreOffice 7.4 and later read JSON)."""
    if not options:
        return "pdf"
    return "pdf:writer_pdf_Export:" + json.dumps({name: {"type": kind, "value": str(value)} for name, (kind, value) in options.items()}, separators=(",", ":"))


@functools.cache
def uno_python() -> str | None:
    """A Python interpreter that can import LibreOffice's ``uno`` module, or None."""
    candidates = [sys.executable, *(found for name in _PYTHONS if (found := shutil.which(name)))]
    for python in dict.fromkeys(candidates):
        try:
            probe = subprocess.run([python, "-c", "import uno"], stdin=subprocess.DEVNULL, capture_output=True, timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return python
    return None


class PdfConverter:
    """Writes the PDF of a DOCX beside it, atomically; use it as a context manager (``close``
    ends LibreOffice and removes its profile)."""

    def __init__(self, timeout: float = TIMEOUT_SECONDS, *, pdf_a: bool = False):
        self.command = require()
        self.timeout = timeout
        self.pdf_a = pdf_a
        self.options = export_options(pdf_a=pdf_a)
        self.python = uno_python()
        self._work: Path | None = None
        self._office: subprocess.Popen[bytes] | None = None
        self._bridge: subprocess.Popen[str] | None = None

    @property
    def persistent(self) -> bool:
        """True when LibreOffice is kept running between documents."""
        return self.python is not None

    def __enter__(self) -> PdfConverter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def convert(self, docx: Path, pdf: Path) -> bytes:
        """Write ``pdf``, the PDF of ``docx``, atomically (replacing any file there); return its bytes.
        Raises ``LayoutError`` when LibreOffice fails or overruns the time limit."""
        data = self.pdf(Path(docx).read_bytes(), Path(docx).name)
        write_atomic(pdf, data, force=True)
        return data

    def pdf(self, docx: bytes, name: str) -> bytes:
        """The PDF of the DOCX ``docx`` (``name`` says which in a message). Raises ``LayoutError``
        when LibreOffice fails or overruns the time limit."""
        if not self.persistent:
            return layout.to_pdf(docx, self.timeout, export=convert_to(self.options))
        bridge = self._started()
        assert self._work is not None and bridge.stdin is not None
        stem = uuid.uuid4().hex
        source, target = self._work / f"{stem}.docx", self._work / f"{stem}.pdf"
        try:
            source.write_bytes(without_comments(docx))  # a copy: LibreOffice's lock file goes beside it, not the user's file
            bridge.stdin.write(json.dumps({"docx": str(source), "pdf": str(target), "options": self.options}) + "\n")
            bridge.stdin.flush()
            reply = self._reply(f"convert {name}")
            if not reply.get("ok"):
                raise layout.LayoutError(f"LibreOffice could not convert {name} to PDF: {reply.get('error') or 'no reason given'}")
            if not target.is_file() or target.stat().st_size == 0:
                raise layout.LayoutError(f"LibreOffice wrote no PDF for {name}")
            return target.read_bytes()
        except BrokenPipeError:
            self.close()
            raise layout.LayoutError(f"LibreOffice stopped while converting {name}") from None
        finally:
            for leftover in (source, target):
                with suppress(OSError):
                    leftover.unlink()

    def _started(self) -> subprocess.Popen[str]:
        if self._bridge is not None and self._bridge.poll() is None:
            return self._bridge
        self.close()
        assert self.python is not None
        self._work = Path(tempfile.mkdtemp(prefix="clausewright-pdf-"))
        connection = f"pipe,name=clausewright-{uuid.uuid4().hex}"
        try:
            self._office = subprocess.Popen(
                [self.command, f"-env:UserInstallation={(self._work / 'profile').as_uri()}", "--headless", "--invisible", "--norestore", "--nologo",
                 "--nodefault", f"--accept={connection};urp;"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            )
            self._bridge = subprocess.Popen(
                [self.python, str(_BRIDGE), connection], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                text=True, start_new_session=True,
            )
        except OSError as exc:
            self.close()
            raise layout.LayoutError(f"LibreOffice could not be started: {exc.strerror or exc}") from None
        self._reply("start")
        return self._bridge

    def _reply(self, doing: str) -> dict[str, Any]:
        """The bridge's next line; ends LibreOffice when it does not answer in time, or says so
        at once when LibreOffice has ended."""
        assert self._bridge is not None and self._office is not None
        out: IO[str] | None = self._bridge.stdout
        assert out is not None
        deadline = time.monotonic() + self.timeout
        while not (ready := select.select([out], [], [], min(_POLL_SECONDS, max(deadline - time.monotonic(), 0)))[0]):
            status = self._office.poll()
            if status is not None or time.monotonic() >= deadline:
                self.close()
                why = f"ended (exit status {status})" if status is not None else f"did not {doing} within {self.timeout:g} seconds; it was stopped"
                raise layout.LayoutError(f"LibreOffice {why}" + (f" before it could {doing}" if status is not None else ""))
        line = out.readline() if ready else ""
        if not line:
            self.close()
            raise layout.LayoutError(f"LibreOffice stopped before it could {doing}")
        return dict(json.loads(line))

    def close(self) -> None:
        """End the bridge and LibreOffice, and remove the profile."""
        if self._bridge is not None:
            with suppress(OSError, ValueError):
                assert self._bridge.stdin is not None
                self._bridge.stdin.close()
            layout.end(self._bridge)
            self._bridge = None
        if self._office is not None:
            layout.end(self._office)
            self._office = None
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)
            self._work = None


def without_comments(docx: bytes) -> bytes:
    """``docx`` with its comments unanchored. A PDF does not show comments; LibreOffice without
    its graphical parts (libreoffice-writer-nogui) fails opening a document that has them when
    it is driven as a server, for want of the window it shows them in."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        parts = {info.filename: z.read(info) for info in z.infolist()}
    root = etree.fromstring(parts[layout.DOCUMENT], parser=PARSER)
    anchors = [e for tag in _COMMENT_ANCHORS for e in root.iter(w(tag))]
    if not anchors:
        return docx
    for anchor in anchors:
        holder = anchor.getparent() if anchor.tag == w("commentReference") else anchor
        holder.getparent().remove(holder)
    parts[layout.DOCUMENT] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()

