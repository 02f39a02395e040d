"""OOXML primitives: escaped text, runs, paragraphs, fields, bookmarks, comments and tables.

Every function returns a string of WordprocessingML. Text is escaped here and nowhere else:
``&``, ``<`` and ``>`` as entities, and ``{`` / ``}`` as character references, so no value can
ever be read as a docxtpl or Jinja tag after rendering. Tabs and line feeds become ``<w:tab/>``
and ``<w:br/>`` elements, so docxtpl's own handling of them never applies. Apart from the braces,
the XML is written as lxml itself serialises it (``"`` is escaped in attribute values only, and
line breaks and tabs in an attribute value are character references), so the master template can
place it in the document as it is (see template.py).
"""

from __future__ import annotations

import re

# In this order: "&" first, so the entities written for the others are not escaped again.
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("{", "&#123;"), ("}", "&#125;"))
_ATTRIBUTE_ESCAPES = (*_ESCAPES, ('"', "&quot;"), ("\n", "&#10;"), ("\t", "&#9;"), ("\r", "&#13;"))
_BREAKS = re.compile(r"(\n|\t)")


def esc(text: str) -> str:
    """Text content. (A replace per character that needs it, each only when the text holds it:
    most text holds none, and this is many times faster than ``str.translate``.)"""
    for char, entity in _ESCAPES:
        if char in text:
            text = text.replace(char, entity)
    return text


def attr(value: str) -> str:
    """An attribute value, for a double-quoted attribute."""
    for char, entity in _ATTRIBUTE_ESCAPES:
        if char in value:
            value = value.replace(char, entity)
    return value


def text_content(text: str) -> str:
    """The inside of a run for ``text``: ``<w:t>`` pieces with ``<w:br/>`` and ``<w:tab/>``."""
    if "\n" not in text and "\t" not in text:  # the common case, without splitting
        return f'<w:t xml:space="preserve">{esc(text)}</w:t>' if text else ""
    out = []
    for piece in _BREAKS.split(text):
        if piece == "\n":
            out.append("<w:br/>")
        elif piece == "\t":
            out.append("<w:tab/>")
        elif piece:
            out.append(f'<w:t xml:space="preserve">{esc(piece)}</w:t>')
    return "".join(out)


def inline_text(text: str) -> str:
    """Text to drop inside an existing ``<w:t>`` of the template (cover, header, signatures)."""
    out = []
    for piece in _BREAKS.split(text):
        if piece == "\n":
            out.append('</w:t><w:br/><w:t xml:space="preserve">')
        elif piece == "\t":
            out.append('</w:t><w:tab/><w:t xml:space="preserve">')
        else:
            out.append(esc(piece))
    return "".join(out)


def tagged_inline_text(text: str, *, fonts: str, lang: str) -> str:
    """Like ``inline_text``, for text that needs its own run properties (``languages.Tag``): the
    template's run is closed, the text gets a run of its own, and the template's run resumes."""
    return f'</w:t></w:r>{run(text, fonts=fonts, lang=lang)}<w:r><w:t xml:space="preserve">'


def rpr(*, style: str | None = None, bold: bool = False, highlight: str | None = None, fonts: str = "", lang: str = "") -> str:
    """Run properties; ``fonts`` and ``lang`` are a ``w:rFonts`` and a ``w:lang`` element
    (``languages.Tag``). Children in schema order (CT_RPr): rStyle, rFonts, b, ..., highlight, ..., lang."""
    if not (style or bold or highlight or fonts or lang):
        return ""
    parts = []
    if style:
        parts.append(f'<w:rStyle w:val="{style}"/>')
    parts.append(fonts)
    if bold:
        parts.append("<w:b/>")
    if highlight:
        parts.append(f'<w:highlight w:val="{highlight}"/>')
    parts.append(lang)
    return f"<w:rPr>{''.join(parts)}</w:rPr>"


def run(text: str, *, style: str | None = None, bold: bool = False, highlight: str | None = None, fonts: str = "", lang: str = "") -> str:
    if not text:
        return ""
    props = rpr(style=style, bold=bold, highlight=highlight, fonts=fonts, lang=lang) if (style or bold or highlight or lang) else ""
    if "\n" not in text and "\t" not in text:  # text_content's common case, inlined: runs are many
        return f'<w:r>{props}<w:t xml:space="preserve">{esc(text)}</w:t></w:r>'
    return f"<w:r>{props}{text_content(text)}</w:r>"


def field(instruction: str, cached: str, *, dirty: bool = False, **props) -> str:
    """A complex field whose cached result is ``cached`` (shown until fields are updated)."""
    props_xml = rpr(**props)
    dirty_attr = ' w:dirty="true"' if dirty else ""
    return (
        f'<w:r>{props_xml}<w:fldChar w:fldCharType="begin"{dirty_attr}/></w:r>'
        f'<w:r>{props_xml}<w:instrText xml:space="preserve"> {esc(instruction)} </w:instrText></w:r>'
        f'<w:r>{props_xml}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{props_xml}{text_content(cached)}</w:r>"
        f'<w:r>{props_xml}<w:fldChar w:fldCharType="end"/></w:r>'
    )


def field_begin(instruction: str, *, dirty: bool = False) -> str:
    dirty_attr = ' w:dirty="true"' if dirty else ""
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"{dirty_attr}/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {esc(instruction)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )


FIELD_END = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
TAB = "<w:r><w:tab/></w:r>"


def bookmark(bid: int, name: str, content: str) -> str:
    return f'<w:bookmarkStart w:id="{bid}" w:name="{attr(name)}"/>{content}<w:bookmarkEnd w:id="{bid}"/>'


def hyperlink(anchor: str, content: str) -> str:
    """A link to a bookmark in the document."""
    return f'<w:hyperlink w:anchor="{attr(anchor)}" w:history="1">{content}</w:hyperlink>'


def comment_anchor(cid: int, content: str, reference_style: str) -> str:
    return (
        f'<w:commentRangeStart w:id="{cid}"/>{content}<w:commentRangeEnd w:id="{cid}"/>'
        f'<w:r>{rpr(style=reference_style)}<w:commentReference w:id="{cid}"/></w:r>'
    )


def paragraph(style: str, content: str, *, num: tuple[int, int] | None = None) -> str:
    """``num`` is (numId, ilvl) for a paragraph that overrides its style's numbering."""
    numpr = f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>' if num else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{numpr}</w:pPr>{content}</w:p>'


def table(style: str, cell_style: str, rows: list[list[str]], *, indent: int, widths: list[int]) -> str:
    """A table whose first row is a repeating header; ``rows`` holds each cell's run XML and
    ``widths`` each column's width in twentieths of a point."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    body = []
    for index, row in enumerate(rows):
        trpr = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if index == 0 else "<w:trPr><w:cantSplit/></w:trPr>"
        cells = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{paragraph(cell_style, content)}</w:tc>' for w, content in zip(widths, row, strict=False)
        )
        body.append(f"<w:tr>{trpr}{cells}</w:tr>")
    return (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:tblInd w:w="{indent}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>"
    )
