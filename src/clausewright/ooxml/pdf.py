"""PDF copies of finished documents, made by one LibreOffice kept running for a whole run.

Starting LibreOffice costs seconds; converting a document once it runs costs a fraction of that.
``PdfConverter`` starts LibreOffice on first use, listening on a private pipe with a profile of
its own (so it never meets a LibreOffice the user has open), and sends it every document of the
run through ``uno_bridge.py``, run by a Python that has LibreOffice's ``uno`` module. Each
conversion has a time limit; a LibreOffice that overruns it is ended and the next document
starts a fresh one. Where no Python with ``uno`` is found, each document is converted by a
``soffice --convert-to`` of its own (slower, same PDF).
"""

from __future__ import annotations

import io
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
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

    def __init__(self, timeout: float = TIMEOUT_SECONDS):
        self.command = require()
        self.timeout = timeout
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
        data = self._converted(Path(docx)) if self.persistent else layout.to_pdf(Path(docx).read_bytes(), self.timeout)
        write_atomic(pdf, data, force=True)
        return data

    def _converted(self, docx: Path) -> bytes:
        bridge = self._started()
        assert self._work is not None and bridge.stdin is not None
        name = uuid.uuid4().hex
        source, target = self._work / f"{name}.docx", self._work / f"{name}.pdf"
        try:
            source.write_bytes(without_comments(docx.read_bytes()))  # a copy: LibreOffice's lock file goes beside it, not the user's file
            bridge.stdin.write(json.dumps({"docx": str(source), "pdf": str(target)}) + "\n")
            bridge.stdin.flush()
            reply = self._reply(f"convert {docx.name}")
            if not reply.get("ok"):
                raise layout.LayoutError(f"LibreOffice could not convert {docx.name} to PDF: {reply.get('error') or 'no reason given'}")
            if not target.is_file() or target.stat().st_size == 0:
                raise layout.LayoutError(f"LibreOffice wrote no PDF for {docx.name}")
            return target.read_bytes()
        except BrokenPipeError:
            self.close()
            raise layout.LayoutError(f"LibreOffice stopped while converting {docx.name}") from None
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
        """The bridge's next line; ends LibreOffice when it does not answer in time."""
        assert self._bridge is not None
        out: IO[str] | None = self._bridge.stdout
        assert out is not None
        ready, _, _ = select.select([out], [], [], self.timeout)
        line = out.readline() if ready else ""
        if not line:
            self.close()
            why = f"did not {doing} within {self.timeout:g} seconds" if not ready else f"stopped before it could {doing}"
            raise layout.LayoutError(f"LibreOffice {why}")
        return dict(json.loads(line))

    def close(self) -> None:
        """End the bridge and LibreOffice, and remove the profile."""
        if self._bridge is not None:
            with suppress(OSError, ValueError):
                assert self._bridge.stdin is not None
                self._bridge.stdin.close()
            _end(self._bridge)
            self._bridge = None
        if self._office is not None:
            _end(self._office)
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


def _end(process: subprocess.Popen[Any]) -> None:
    """Stop ``process`` and everything it started (it leads a session of its own)."""
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    for stream in (process.stdout, process.stdin):
        if stream is not None:
            with suppress(OSError):
                stream.close()
