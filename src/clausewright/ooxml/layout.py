"""Lay a finished DOCX out once with LibreOffice and read the page each bookmark falls on, as
printed in the footer: what the contents needs to show its page numbers.

LibreOffice converts the document to PDF in a temporary folder, with a profile of its own (so it
never meets a LibreOffice the user has open) and a time limit, exporting Word's bookmarks as the
PDF's named destinations. The page of each destination, counted from the section that last
restarted the page numbering (``w:pgNumType w:start``), is the number its page prints: LibreOffice
does not export page labels, so the sections are read from the document itself. To know where
each section starts, the laid-out copy (never the delivered one) carries an empty bookmark at the
start of each section.

The pages found are kept in the cache (``cache.py``) under the exact bytes of the document laid
out, its bookmarks, and the LibreOffice and fonts installed (the program's build and the dates
of the font folders), so the same document is laid out once. Installing or removing a font only
in a folder not listed in ``FONT_FOLDERS`` is not noticed: delete the cache folder then.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from contextlib import suppress
from pathlib import Path
from typing import Any

from lxml import etree

from clausewright import cache
from clausewright.errors import ClausewrightError
from clausewright.ooxml.namespaces import w

TIMEOUT_SECONDS = 180
NOT_INSTALLED = "LibreOffice (soffice) is not installed"
DOCUMENT = "word/document.xml"
_SECTION_BOOKMARK = "_ClausewrightSection{}"
FIRST_SECTION_BOOKMARK_ID = 900000  # above any the writer or a template uses
# Bookmarks as named destinations (LibreOffice 7.4 and later read filter options as JSON).
_PDF_FILTER = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'


# Folders whose dates change when fonts are installed or removed (fontconfig's caches among them).
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "/var/cache/fontconfig", "~/.fonts", "~/.local/share/fonts", "~/.cache/fontconfig",
                "/Library/Fonts", "~/Library/Fonts", "C:/Windows/Fonts")
_pages = cache.Store("pages", "", (__file__,))


class LayoutError(ClausewrightError):
    """LibreOffice is missing or could not lay the document out."""


def soffice() -> str | None:
    """LibreOffice's command, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def printed_pages(docx: bytes, bookmarks: list[str], *, timeout: float = TIMEOUT_SECONDS) -> dict[str, str]:
    """The page number printed on the page where each of ``bookmarks`` starts, as LibreOffice lays
    the document out: {bookmark: "7"}. Raises ``LayoutError`` when it cannot tell."""
    key = _pages.key(docx, "\n".join(bookmarks), _installation())
    found = _pages.get(key)
    if isinstance(found, dict) and sorted(found) == sorted(bookmarks):
        return found
    pages = _lay_out(docx, bookmarks, timeout)
    _pages.put(key, pages)
    return pages


def _installation() -> str:
    """What a layout depends on besides the document: LibreOffice's program and build, and the
    fonts installed (the dates of their folders)."""
    facts = []
    program = Path(soffice() or "").resolve()
    for path in (program, program.parent / "versionrc", program.parent / "version.ini", *(Path(f).expanduser() for f in FONT_FOLDERS)):
        try:
            stat = path.stat()
            facts.append(f"{path} {stat.st_size} {stat.st_mtime_ns}")
            if path.name in ("versionrc", "version.ini"):
                facts.append(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
    return "\n".join(facts)


def _lay_out(docx: bytes, bookmarks: list[str], timeout: float) -> dict[str, str]:
    marked, restarts = _mark_sections(docx)
    pdf = to_pdf(marked, timeout, export=_PDF_FILTER)
    destinations = _destination_pages(pdf)
    sections = {page: restart for index, restart in enumerate(restarts) if (page := destinations.get(_pdf_name(_SECTION_BOOKMARK.format(index)))) is not None}
    missing = [b for b in bookmarks if _pdf_name(b) not in destinations]
    if missing:
        raise LayoutError(f"LibreOffice's layout has no page for {len(missing)} heading(s), e.g. {missing[0]}")
    return {b: str(_page_number(destinations[_pdf_name(b)], sections)) for b in bookmarks}


def _mark_sections(docx: bytes) -> tuple[bytes, list[int | None]]:
    """A copy of ``docx`` with an empty bookmark at the start of each section (the first
    paragraph after each section break), and each section's restart value (None: runs on)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        parts = {info.filename: z.read(info) for info in z.infolist()}
    root = etree.fromstring(parts[DOCUMENT], parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    body = root.find(w("body"))
    breaks = [p.find(w("pPr")).find(w("sectPr")) for p in body.iter(w("p")) if p.find(w("pPr")) is not None and p.find(w("pPr")).find(w("sectPr")) is not None]
    final = body.find(w("sectPr"))
    sections = [*breaks, *([final] if final is not None else [])]
    starts = [next(body.iter(w("p")), None)] + [_next_paragraph(s.getparent().getparent()) for s in breaks]
    for index, paragraph in enumerate(starts):
        if paragraph is None:
            continue
        bid = str(FIRST_SECTION_BOOKMARK_ID + index)
        name = _SECTION_BOOKMARK.format(index)
        start = etree.Element(w("bookmarkStart"), {w("id"): bid, w("name"): name})
        end = etree.Element(w("bookmarkEnd"), {w("id"): bid})
        ppr = paragraph.find(w("pPr"))
        at = 0 if ppr is None else paragraph.index(ppr) + 1
        paragraph.insert(at, end)
        paragraph.insert(at, start)
    restarts = [_restart(section) for section in sections]
    parts[DOCUMENT] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue(), restarts


def _next_paragraph(paragraph):
    """The first paragraph after ``paragraph`` in document order (perhaps in a table), or None."""
    for element in paragraph.itersiblings():
        if element.tag == w("p"):
            return element
        found = next(element.iter(w("p")), None)
        if found is not None:
            return found
    return None


def _restart(section) -> int | None:
    numbering = section.find(w("pgNumType"))
    start = None if numbering is None else numbering.get(w("start"))
    return int(start) if start and start.isdigit() else None


def to_pdf(docx: bytes, timeout: float = TIMEOUT_SECONDS, *, export: str = "pdf") -> bytes:
    """``docx`` converted to PDF by one ``soffice --convert-to`` of its own (a fresh LibreOffice,
    started and ended for this document), with ``export`` as the filter."""
    command = soffice()
    if command is None:
        raise LayoutError(NOT_INSTALLED)
    with tempfile.TemporaryDirectory(prefix="clausewright-layout-") as folder:
        work = Path(folder)
        source = work / "document.docx"
        source.write_bytes(docx)
        profile = (work / "profile").as_uri()
        try:  # a session of its own: soffice starts the office as its child, which a time-out must end too
            office = subprocess.Popen(
                [command, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", export, "--outdir", str(work), str(source)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            )
        except OSError as exc:
            raise LayoutError(f"LibreOffice could not be started: {exc.strerror or exc}") from None
        try:
            office.wait(timeout)
        except subprocess.TimeoutExpired:
            end(office)
            raise LayoutError(f"LibreOffice did not convert the document within {timeout:g} seconds; it was stopped") from None
        pdf = work / "document.pdf"
        if not pdf.is_file() or pdf.stat().st_size == 0:  # soffice exits 0 even when loading fails
            raise LayoutError("LibreOffice could not lay the document out")
        return pdf.read_bytes()


def end(process: subprocess.Popen[Any]) -> None:
    """Stop ``process`` and everything it started (it leads a session of its own)."""
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    with suppress(ProcessLookupError, PermissionError):  # what ignored the request, and the children of a leader already gone
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for stream in (process.stdout, process.stdin):
        if stream is not None:
            with suppress(OSError):
                stream.close()


def _destination_pages(pdf: bytes) -> dict[str, int]:
    """{named destination: index of its page in the PDF}."""
    from pypdf import PdfReader  # imported here: only a layout pass needs it
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(pdf))
        pages = {name.lstrip("/"): reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
        return {name: page for name, page in pages.items() if page is not None}
    except (PdfReadError, ValueError, KeyError) as exc:
        raise LayoutError(f"LibreOffice's PDF could not be read: {exc}") from None


_NOT_ALPHANUMERIC = re.compile(r"[^A-Za-z0-9]")


def _pdf_name(bookmark: str) -> str:
    """The named destination LibreOffice makes of a bookmark: each character other than an ASCII
    letter or digit written as its hexadecimal code (``_`` as ``5F``)."""
    return _NOT_ALPHANUMERIC.sub(lambda m: "".join(f"{byte:02X}" for byte in m.group().encode("utf-8")), bookmark)


def _page_number(page: int, sections: dict[int, int | None]) -> int:
    """The number printed on the PDF's page ``page``: counted on from the last section starting
    at or before it that restarts the numbering ({first page: restart value or None}), or from
    the document's first page, numbered 1, when none does."""
    first, value = max(((start, restart) for start, restart in sections.items() if restart is not None and start <= page), default=(0, 1))
    return value + page - first
