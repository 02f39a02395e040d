"""Finishing the DOCX package: core, extended and custom properties, the comments parts, and a
byte-reproducible zip (no time stamp from the clock; ``SOURCE_DATE_EPOCH`` when set)."""

from __future__ import annotations

import datetime as _dt
import html
import io
import os
import re
import zipfile

from clausewright import __version__
from clausewright.errors import ClausewrightError
from clausewright.ooxml.xml import attr, esc

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# Deflate level 3: about three times faster than zlib's default (6) on document XML, for a file
# about a tenth larger (46 KB rather than 41 KB for the sample agreement).
COMPRESS_LEVEL = 3
MAX_PARTS = 200
MAX_PART_BYTES = 50 * 1024 * 1024

_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_CT_CUSTOM = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
_CT_APP = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
_REL_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_REL_APP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
_APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def custom_properties_xml(properties: dict[str, str]) -> str:
    items = "".join(
        f'<property fmtid="{_FMTID}" pid="{pid}" name="{attr(name)}"><vt:lpwstr>{esc(value)}</vt:lpwstr></property>'
        for pid, (name, value) in enumerate(properties.items(), start=2)
    )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{items}</Properties>'


def source_date_epoch() -> _dt.datetime | None:
    """The time ``SOURCE_DATE_EPOCH`` names (the reproducible-builds convention), or None."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise ClausewrightError(f"SOURCE_DATE_EPOCH: {value!r} is not a number of seconds since 1970-01-01")
    try:
        return _dt.datetime.fromtimestamp(int(value), _dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise ClausewrightError(f"SOURCE_DATE_EPOCH: {value!r} is out of range") from None


def _w3cdtf(when: _dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def comment_date(dated: _dt.date | None) -> str:
    """The date every comment carries: ``SOURCE_DATE_EPOCH`` when set, else the agreement's date,
    else the fixed time the package's entries carry. Never the clock."""
    stamp = source_date_epoch()
    if stamp is not None:
        return _w3cdtf(stamp)
    if dated is not None:
        return f"{dated.isoformat()}T00:00:00Z"
    return _w3cdtf(_dt.datetime(*FIXED_TIME))


def core_xml(title: str, author: str, language: str) -> str:
    """Core properties. Created and modified times only under ``SOURCE_DATE_EPOCH``: without it
    the document says nothing of when it was made rather than something untrue."""
    stamp = source_date_epoch()
    times = "".join(f'<dcterms:{kind} xsi:type="dcterms:W3CDTF">{_w3cdtf(stamp)}</dcterms:{kind}>' for kind in ("created", "modified")) if stamp else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{esc(title)}</dc:title><dc:creator>{esc(author)}</dc:creator><cp:lastModifiedBy>{esc(author)}</cp:lastModifiedBy>"
        f"<cp:revision>1</cp:revision>{times}<dc:language>{esc(language)}</dc:language>"
        "</cp:coreProperties>"
    )


_TEXT = re.compile(rb"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_PARAGRAPH = re.compile(rb"<w:p[ >]")


def app_xml(document: bytes, title: str, template: str) -> str:
    """Extended properties, as Word writes them, less what only a layout knows (pages, lines):
    the template, the application, and the document's word, character and paragraph counts."""
    text = b"\n".join(_TEXT.findall(document)).decode("utf-8")
    if "&" in text:
        text = html.unescape(text)
    words = text.split()
    with_spaces = len(text) - text.count("\n")
    characters = sum(map(len, words))
    paragraphs = len(_PARAGRAPH.findall(document))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Properties xmlns="{_APP_NS}" xmlns:vt="{_VT_NS}">'
        f"<Template>{esc(template)}</Template><TotalTime>0</TotalTime><Words>{len(words)}</Words><Characters>{characters}</Characters>"
        f"<Application>clausewright {esc(__version__)}</Application><DocSecurity>0</DocSecurity><Paragraphs>{paragraphs}</Paragraphs><ScaleCrop>false</ScaleCrop>"
        '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Title</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs>'
        f'<TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>{esc(title)}</vt:lpstr></vt:vector></TitlesOfParts>'
        f"<LinksUpToDate>false</LinksUpToDate><CharactersWithSpaces>{with_spaces}</CharactersWithSpaces><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        "</Properties>"
    )


SETTINGS = "word/settings.xml"
_UPDATE_FIELDS = re.compile(rb"<w:updateFields(?: [^>]*)?/>")


def without_update_fields(settings: bytes) -> bytes:
    """The settings part without ``w:updateFields``, which makes Word ask, on every opening,
    whether to update the fields that "may refer to other files"."""
    return _UPDATE_FIELDS.sub(b"", settings)


def _add_override(content_types: str, part: str, content_type: str) -> str:
    if f'PartName="{part}"' in content_types:
        return content_types
    return content_types.replace("</Types>", f'<Override PartName="{part}" ContentType="{content_type}"/></Types>')


def _add_relationship(rels: str, rid: str, rel_type: str, target: str) -> str:
    rels = re.sub(rf'<Relationship [^>]*Type="{re.escape(rel_type)}"[^>]*/>', "", rels)
    return rels.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{rel_type}" Target="{target}"/></Relationships>')


def finish_parts(
    parts: dict[str, bytes],
    *,
    title: str,
    author: str,
    language: str,
    template: str,
    properties: dict[str, str],
    extra_parts: dict[str, tuple[str, str, str, str]] | None = None,
) -> bytes:
    """Write the package with fixed timestamps and a fixed part order (``parts`` is not
    modified), adding the custom, core and extended properties and ``extra_parts``: main-document
    parts such as the comments, {name under word/: (xml, content type, relationship type, id)}."""
    parts = dict(parts)
    text = lambda name: parts[name].decode("utf-8")  # noqa: E731
    content_types = _add_override(text("[Content_Types].xml"), "/docProps/custom.xml", _CT_CUSTOM)
    root_rels = _add_relationship(text("_rels/.rels"), "rIdCustomProps", _REL_CUSTOM, "docProps/custom.xml")
    parts["docProps/custom.xml"] = custom_properties_xml(properties).encode("utf-8")
    parts["docProps/core.xml"] = core_xml(title, author, language).encode("utf-8")
    content_types = _add_override(content_types, "/docProps/core.xml", _CT_CORE)
    parts["docProps/app.xml"] = app_xml(parts["word/document.xml"], title, template).encode("utf-8")
    content_types = _add_override(content_types, "/docProps/app.xml", _CT_APP)
    root_rels = _add_relationship(root_rels, "rIdAppProps", _REL_APP, "docProps/app.xml")
    parts["[Content_Types].xml"] = content_types.encode("utf-8")
    parts["_rels/.rels"] = root_rels.encode("utf-8")
    return zipped(with_parts(parts, extra_parts or {}))


def with_parts(parts: dict[str, bytes], extra_parts: dict[str, tuple[str, str, str, str]]) -> dict[str, bytes]:
    """``parts`` with main-document parts added or replaced, {name under word/: (xml, content
    type, relationship type, id)}, each declared in the content types and related to the document."""
    parts = dict(parts)
    if not extra_parts:
        return parts
    content_types = parts["[Content_Types].xml"].decode("utf-8")
    doc_rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    for name, (xml, content_type, rel_type, rid) in extra_parts.items():
        parts[f"word/{name}"] = xml.encode("utf-8")
        content_types = _add_override(content_types, f"/word/{name}", content_type)
        doc_rels = _add_relationship(doc_rels, rid, rel_type, name)
    parts["word/_rels/document.xml.rels"] = doc_rels.encode("utf-8")
    parts["[Content_Types].xml"] = content_types.encode("utf-8")
    return parts


def zipped(parts: dict[str, bytes]) -> bytes:
    """The package of ``parts``, with fixed timestamps and a fixed part order."""
    order = ["[Content_Types].xml", "_rels/.rels"] + sorted(n for n in parts if n not in ("[Content_Types].xml", "_rels/.rels"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            z.writestr(info, parts[name], compresslevel=COMPRESS_LEVEL)
    return out.getvalue()
