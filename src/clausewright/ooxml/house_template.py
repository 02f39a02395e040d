"""Build the bundled master template (``templates/master.docx``) from first principles.

The template is data: a firm restyles it in Word or supplies its own with ``--template``. This
module only exists so the bundled one is reproducible (``python scripts/build_master_template.py``).
Its body holds the docxtpl tags the writer fills: cover, contents, ``{{p front }}``,
``{{p body }}``, the signature blocks, ``{{p schedules }}``.
"""

from __future__ import annotations

import io
import zipfile

from clausewright.ooxml import styles, theme
from clausewright.ooxml.namespaces import DECLARATIONS
from clausewright.ooxml.package import FIXED_TIME

FONT = theme.LATIN_FONT
TEXT_WIDTH = 9026  # A4 less 2 x 1440 twips margins
# Outline level (0 = level 1) of the numbered levels below an article or schedule heading, which
# are outline level 0: clause 1.1 is level 2 and (a) level 3 in Word's Navigation pane, in
# Insert > Cross-reference > Heading and in a contents of more levels (TOC \o "1-2").
OUTLINE = {1: 1, 2: 2}


def _para_style(sid, name, *, based="Normal", ppr="", rpr="", next_style=None, outline=None, num=None, builtin=False):
    """A paragraph style. ``builtin``: one of Word's own styles (``name`` is then Word's name for
    it, such as "heading 1"), which Word lists as built-in rather than custom."""
    numpr = f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>' if num else ""
    # CT_PPrBase order: keepNext, keepLines, pageBreakBefore, ..., numPr, ..., spacing, ind, ..., jc, ..., outlineLvl
    ppr = ppr.replace("{numPr}", numpr)
    outline_xml = f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else ""
    nxt = f'<w:next w:val="{next_style}"/>' if next_style else ""
    custom = "" if builtin else ' w:customStyle="1"'
    return (
        f'<w:style w:type="paragraph"{custom} w:styleId="{sid}"><w:name w:val="{name}"/>'
        f'<w:basedOn w:val="{based}"/>{nxt}<w:qFormat/>'
        f"<w:pPr>{ppr}{outline_xml}</w:pPr>" + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "") + "</w:style>"
    )


def _indent(left, hanging=0):
    return f'<w:ind w:left="{left}" w:hanging="{hanging}"/>' if hanging else f'<w:ind w:left="{left}"/>'


def styles_xml() -> str:
    justify = '<w:jc w:val="both"/>'
    out = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {DECLARATIONS}>',
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
        '<w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="en-GB" w:eastAsia="en-US" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        '<w:spacing w:after="160" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>',
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>',
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>',
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/>'
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:semiHidden/></w:style>',
        _para_style("CoverTitle", "Cover Title", ppr='<w:spacing w:before="2400" w:after="480"/><w:jc w:val="center"/>', rpr='<w:b/><w:caps/><w:sz w:val="32"/><w:szCs w:val="32"/>'),
        _para_style("CoverText", "Cover Text", ppr='<w:spacing w:after="240"/><w:jc w:val="center"/>', rpr='<w:sz w:val="22"/>'),
        _para_style("CoverParty", "Cover Party", ppr='<w:spacing w:after="240"/><w:jc w:val="center"/>', rpr='<w:b/><w:caps/><w:sz w:val="24"/>'),
        _para_style("CoverNote", "Cover Note", ppr='<w:spacing w:before="1440"/><w:jc w:val="center"/>', rpr='<w:i/><w:sz w:val="18"/>'),
        _para_style("TOCHeading", "TOC Heading", ppr='<w:keepNext/><w:spacing w:after="240"/>', rpr='<w:b/><w:caps/><w:sz w:val="22"/>', builtin=True),
        # A contents entry: its number (an article's, or "Schedule 10") in a 2.54 cm column, the
        # title, then a dot leader to the page number at the right margin. No other tab stop, so
        # the tab after a short title reaches the leader.
        _para_style(styles.TOC1, "toc 1", ppr=f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs><w:spacing w:after="60"/>{_indent(1440, 1440)}', builtin=True),
        _para_style(styles.HEADING, "heading 1", ppr='<w:keepNext/>{numPr}<w:spacing w:before="240" w:after="160"/>' + _indent(720, 720), rpr='<w:b/><w:caps/>', outline=0, next_style=styles.CLAUSE[1], num=(styles.NUM_CLAUSES, 0), builtin=True),
    ]
    for level, sid in styles.CLAUSE.items():
        left = 720 * max(level, 1)
        out.append(_para_style(sid, f"Clause {level + 1}", ppr="{numPr}" + _indent(left, 720) + justify, num=(styles.NUM_CLAUSES, level), outline=OUTLINE.get(level)))
    for level, sid in styles.BODY.items():
        out.append(_para_style(sid, f"Body {level + 1}", ppr=_indent(720 * max(level, 1)) + justify))
    out += [
        _para_style(styles.DEFINITION, "Definition", ppr=_indent(720) + justify),
        _para_style(styles.FRONT_TEXT, "Front Text", ppr=justify),
        _para_style(styles.FRONT_TITLE, "Front Title", ppr='<w:keepNext/><w:spacing w:before="240" w:after="160"/>', rpr="<w:b/><w:caps/>"),
        _para_style("AgreementTitle", "Agreement Title", ppr='<w:spacing w:after="360"/><w:jc w:val="center"/>', rpr='<w:b/><w:caps/><w:sz w:val="24"/>'),
        _para_style(styles.PARTIES, "Parties", ppr="{numPr}" + _indent(720, 720) + justify, num=(styles.NUM_PARTIES, 0)),
        _para_style(styles.RECITAL, "Recital", ppr="{numPr}" + _indent(720, 720) + justify, num=(styles.NUM_RECITALS, 0)),
        _para_style(styles.SCHEDULE_HEADING, "Schedule Heading", ppr='<w:keepNext/><w:pageBreakBefore/>{numPr}<w:spacing w:after="360"/>' + _indent(1440, 1440), rpr='<w:b/><w:caps/><w:sz w:val="22"/>', outline=0, num=(styles.NUM_SCHEDULES, 0)),
    ]
    for level, sid in styles.SCHEDULE.items():
        left = 720 * max(level - 1, 1)
        out.append(_para_style(sid, f"Schedule {level}", ppr="{numPr}" + _indent(left, 720) + justify, num=(styles.NUM_SCHEDULE_PARAGRAPHS, level - 1), outline=OUTLINE.get(level)))
    out += [
        _para_style(styles.TABLE_TEXT, "Table Text", ppr='<w:spacing w:before="40" w:after="40"/>', rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>'),
        _para_style("SignatureParty", "Signature Party", ppr='<w:keepNext/><w:spacing w:before="480" w:after="120"/>', rpr="<w:b/>"),
        _para_style("SignatureText", "Signature Text", ppr='<w:keepNext/><w:spacing w:before="120" w:after="60"/>'),
        _para_style("SignatureBox", "Signature Box", ppr='<w:keepNext/><w:spacing w:after="0"/><w:jc w:val="center"/>', rpr='<w:i/><w:color w:val="7F7F7F"/><w:sz w:val="16"/>'),
        _para_style(styles.COMMENT_TEXT, "annotation text", rpr='<w:sz w:val="18"/>', builtin=True),
        _para_style("Header", "header", ppr='<w:tabs><w:tab w:val="right" w:pos="9026"/></w:tabs><w:spacing w:after="0"/><w:jc w:val="right"/>', rpr='<w:b/><w:sz w:val="16"/>', builtin=True),
        _para_style("Footer", "footer", ppr='<w:tabs><w:tab w:val="right" w:pos="9026"/></w:tabs><w:spacing w:after="0"/>', rpr='<w:sz w:val="16"/>', builtin=True),
        f'<w:style w:type="character" w:customStyle="1" w:styleId="{styles.DEFINED_TERM}"><w:name w:val="Defined Term"/><w:basedOn w:val="DefaultParagraphFont"/><w:qFormat/><w:rPr><w:b/></w:rPr></w:style>',
        f'<w:style w:type="character" w:styleId="{styles.COMMENT_REFERENCE}"><w:name w:val="annotation reference"/><w:basedOn w:val="DefaultParagraphFont"/><w:rPr><w:sz w:val="16"/></w:rPr></w:style>',
        '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:basedOn w:val="DefaultParagraphFont"/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>',
        f'<w:style w:type="table" w:customStyle="1" w:styleId="{styles.TABLE}"><w:name w:val="Clause Table"/><w:basedOn w:val="TableNormal"/>'
        '<w:pPr><w:spacing w:after="0"/></w:pPr>'
        '<w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:left w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
        '<w:bottom w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:right w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
        '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="808080"/></w:tblBorders></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/></w:tcPr></w:tblStylePr></w:style>',
        '<w:style w:type="table" w:customStyle="1" w:styleId="SignatureTable"><w:name w:val="Signature Table"/><w:basedOn w:val="TableNormal"/></w:style>',
        "</w:styles>",
    ]
    return "".join(out)


def _lvl(ilvl, fmt, text, style, left, hanging=720, suffix="tab"):
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{pstyle}'
        f'<w:suff w:val="{suffix}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
    )


def numbering_xml() -> str:
    abstract = {
        styles.NUM_CLAUSES: [
            _lvl(0, "decimal", "%1", styles.HEADING, 720),
            _lvl(1, "decimal", "%1.%2", styles.CLAUSE[1], 720),
            _lvl(2, "lowerLetter", "(%3)", styles.CLAUSE[2], 1440),
            _lvl(3, "lowerRoman", "(%4)", styles.CLAUSE[3], 2160),
            _lvl(4, "upperLetter", "(%5)", styles.CLAUSE[4], 2880),
        ],
        styles.NUM_PARTIES: [_lvl(0, "decimal", "(%1)", styles.PARTIES, 720)],
        styles.NUM_RECITALS: [_lvl(0, "upperLetter", "(%1)", styles.RECITAL, 720)],
        styles.NUM_SCHEDULES: [_lvl(0, "decimal", "Schedule %1", styles.SCHEDULE_HEADING, 1440, 1440)],
        styles.ABSTRACT_SCHEDULE_PARAGRAPHS: [
            _lvl(0, "decimal", "%1", styles.SCHEDULE[1], 720),
            _lvl(1, "decimal", "%1.%2", styles.SCHEDULE[2], 720),
            _lvl(2, "lowerLetter", "(%3)", styles.SCHEDULE[3], 1440),
            _lvl(3, "lowerRoman", "(%4)", styles.SCHEDULE[4], 2160),
        ],
    }
    parts = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering {DECLARATIONS}>']
    for aid, levels in abstract.items():
        parts.append(f'<w:abstractNum w:abstractNumId="{aid}"><w:multiLevelType w:val="multilevel"/>{"".join(levels)}</w:abstractNum>')
    for aid in abstract:
        parts.append(f'<w:num w:numId="{aid}"><w:abstractNumId w:val="{aid}"/></w:num>')
    parts.append("</w:numbering>")
    return "".join(parts)


def _p(style: str, content: str = "", extra_ppr: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra_ppr}</w:pPr>{content}</w:p>'


def _r(text: str, rpr: str = "") -> str:
    rpr = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def _tag(tag: str) -> str:
    """A paragraph holding only a docxtpl paragraph tag."""
    return f"<w:p>{_r(tag)}</w:p>"


LABEL_WIDTH, VALUE_WIDTH = 2600, TEXT_WIDTH - 2600  # the signature table's columns
SIGNING_HEIGHT = 850  # room above a signing line (1.5 cm)
DATE_HEIGHT = 567  # above the date line (1 cm)
SEAL_BOX_HEIGHT = 2268  # a seal box (4 cm)
STAMP_BOX_HEIGHT = 1417  # a box for a duty stamp signed across (2.5 cm)
NOTARY_BOX_HEIGHT = 2835  # a box for the notary's certificate (5 cm)
_RULE = 'w:val="single" w:sz="6" w:space="0" w:color="000000"'
_LINE = f"<w:tcBorders><w:bottom {_RULE}/></w:tcBorders>"
_BOX = f"<w:tcBorders><w:top {_RULE}/><w:left {_RULE}/><w:bottom {_RULE}/><w:right {_RULE}/></w:tcBorders>"


def _cell(width: int, paragraphs: str, *, borders: str = "", valign: str = "") -> str:
    # CT_TcPr order: tcW, ..., tcBorders, ..., vAlign
    align = f'<w:vAlign w:val="{valign}"/>' if valign else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{borders}{align}</w:tcPr>{paragraphs}</w:tc>'


def _row(label: str, value: str = "", *, height: int = 0, line: bool = False, box: bool = False) -> str:
    """A row of a signature block: never split across pages; ``line``: the value is written on a
    line (a signature, a date, a place), ``box``: the value cell is a box of exactly ``height``
    (a seal, a notary's certificate)."""
    rule = f'<w:trHeight w:val="{height}" w:hRule="{"exact" if box else "atLeast"}"/>' if height else ""
    borders = _BOX if box else _LINE if line else ""
    value_cell = _cell(VALUE_WIDTH, _p("SignatureBox" if box else "SignatureText", value), borders=borders, valign="center" if box else "bottom")
    label_cell = _cell(LABEL_WIDTH, _p("SignatureText", _r(label)), valign="top" if box else "bottom")
    return f"<w:tr><w:trPr><w:cantSplit/>{rule}</w:trPr>{label_cell}{value_cell}</w:tr>"


def _gap() -> str:
    """An empty row that keeps a box clear of the line above it."""
    return f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="240" w:hRule="exact"/></w:trPr>{_cell(LABEL_WIDTH, _p("SignatureText"))}{_cell(VALUE_WIDTH, _p("SignatureText"))}</w:tr>'


def _tag_row(tag: str) -> str:
    """A row holding only a docxtpl row tag (``{%tr if ... %}``), removed when rendered."""
    return f"<w:tr>{_cell(LABEL_WIDTH, _p('SignatureText', _r(tag)))}{_cell(VALUE_WIDTH, _p('SignatureText'))}</w:tr>"


def signature_table() -> str:
    """One party's execution block: for each signatory a signing line with room above it, name and
    title (joint signatories hold the same office), then capacity, place and date of signing; a seal box, a box for a duty stamp
    signed across, a witness's attestation and a box for a notary's certificate where the party's country asks for them."""
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="SignatureTable"/><w:tblW w:w="9026" w:type="dxa"/><w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{LABEL_WIDTH}"/><w:gridCol w:w="{VALUE_WIDTH}"/></w:tblGrid>'
        + _row("Signature", height=SIGNING_HEIGHT, line=True)
        + _row("Name", _r("{{ s.name }}"))
        + _row("Title", _r("{{ s.title }}"))
        + _tag_row("{%tr if s.co_name %}")
        + _row("Signature", height=SIGNING_HEIGHT, line=True)
        + _row("Name", _r("{{ s.co_name }}"))
        + _row("Title", _r("{{ s.title }}"))
        + _tag_row("{%tr endif %}")
        + _row("Capacity", _r("{{ s.capacity }}"))
        + _row("Place", _r("{{ s.place }}"), height=DATE_HEIGHT, line=True)
        + _row("Date", height=DATE_HEIGHT, line=True)
        + _tag_row("{%tr if s.seal %}")
        + _gap()
        + _row("{{ s.seal_label }}", _r("{{ s.seal_note }}"), height=SEAL_BOX_HEIGHT, box=True)
        + _tag_row("{%tr endif %}")
        + _tag_row("{%tr if s.stamp %}")
        + _gap()
        + _row("{{ s.stamp_label }}", _r("{{ s.stamp_note }}"), height=STAMP_BOX_HEIGHT, box=True)
        + _tag_row("{%tr endif %}")
        + _tag_row("{%tr if s.witness %}")
        + _row("In the presence of:")
        + _row("Witness's signature", height=SIGNING_HEIGHT, line=True)
        + _row("Witness's name", height=DATE_HEIGHT, line=True)
        + _row("Witness's address", height=DATE_HEIGHT, line=True)
        + _tag_row("{%tr endif %}")
        + _tag_row("{%tr if s.notary %}")
        + _gap()
        + _row("{{ s.notary_label }}", _r("{{ s.notary_note }}"), height=NOTARY_BOX_HEIGHT, box=True)
        + _tag_row("{%tr endif %}")
        + "</w:tbl>"
    )


def _section(*, header: bool, footer: bool, first_page: int | None = None, continuous: bool = False) -> str:
    """A section's properties: A4 with the house margins. A section without a header (footer)
    reference shows the previous section's, or none when it is the first."""
    refs = ('<w:headerReference w:type="default" r:id="rIdHeader1"/>' if header else "") + ('<w:footerReference w:type="default" r:id="rIdFooter1"/>' if footer else "")
    kind = '<w:type w:val="continuous"/>' if continuous else ""
    numbering = f'<w:pgNumType w:start="{first_page}"/>' if first_page else ""
    return (
        f"<w:sectPr>{refs}{kind}"
        '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/>'
        f"{numbering}</w:sectPr>"
    )


def document_xml() -> str:
    """The body, in four sections: the cover (no header or footer); the contents (the header);
    the agreement with its signature pages (header and footer, pages numbered from 1); the
    schedules (continuing the numbering; a continuous break, as each schedule starts a page)."""
    body = "".join(
        [
            _p("CoverTitle", _r("{{ title }}")),
            _p("CoverText", _r("{{ date_line }}")),
            _p("CoverText", _r("between")),
            _p("CoverParty", _r("{{ buyer_name }}")),
            _p("CoverText", _r("and")),
            _p("CoverParty", _r("{{ supplier_name }}")),
            _p("CoverNote", _r("{{ cover_note }}"), _section(header=False, footer=False)),
            _p("TOCHeading", _r("Contents")),
            _tag("{{p toc }}"),
            _p("Normal", extra_ppr=_section(header=True, footer=False)),
            _tag("{{p front }}"),
            _tag("{{p body }}"),
            _p(styles.FRONT_TITLE, _r("Signatures"), "<w:pageBreakBefore/>"),
            _p(styles.FRONT_TEXT, _r("{{ attestation }}")),
            _tag("{%p for s in signatories %}"),
            _p("SignatureParty", _r("Signed for and on behalf of {{ s.party }}")),
            signature_table(),
            _tag("{%p endfor %}"),
            _p("Normal", extra_ppr=_section(header=True, footer=True, first_page=1)),
            _tag("{{p schedules }}"),
            _section(header=False, footer=False, continuous=True),
        ]
    )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {DECLARATIONS}><w:body>{body}</w:body></w:document>'


def _field(instr: str, cached: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{cached}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def header_xml() -> str:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr {DECLARATIONS}>{_p("Header", _r("{{ header_text }}"))}</w:hdr>'


def footer_xml() -> str:
    # Only the agreement's sections have this footer, numbered from its first page: "of N" would
    # count the cover and contents too.
    content = _r("{{ footer_text }}") + '<w:r><w:tab/></w:r>' + _r("Page ") + _field("PAGE", "1")
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr {DECLARATIONS}>{_p("Footer", content)}</w:ftr>'


def settings_xml() -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings {DECLARATIONS}>'
        '<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:updateFields w:val="true"/>'
        '<w:compat><w:doNotExpandShiftReturn/><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        "</w:settings>"
    )


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/word/webSettings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.webSettings+xml"/>'
    '<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rIdNumbering" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
    '<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>'
    '<Relationship Id="rIdHeader1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>'
    '<Relationship Id="rIdFooter1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
    '<Relationship Id="rIdFontTable" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>'
    '<Relationship Id="rIdWebSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/webSettings" Target="webSettings.xml"/>'
    '<Relationship Id="rIdTheme" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/>'
    "</Relationships>"
)
CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:creator>clausewright</dc:creator></cp:coreProperties>"
)
APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>clausewright</Application></Properties>'
)


def build_master() -> bytes:
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "docProps/core.xml": CORE,
        "docProps/app.xml": APP,
        "word/document.xml": document_xml(),
        "word/styles.xml": styles_xml(),
        "word/numbering.xml": numbering_xml(),
        "word/settings.xml": settings_xml(),
        "word/header1.xml": header_xml(),
        "word/footer1.xml": footer_xml(),
        "word/fontTable.xml": theme.font_table_xml(),
        "word/webSettings.xml": theme.web_settings_xml(),
        "word/theme/theme1.xml": theme.theme_xml(),
        "word/_rels/document.xml.rels": DOC_RELS,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, xml.encode("utf-8"))
    return buf.getvalue()
