"""The bundled house template's theme, font table and web settings parts.

The theme's minor font names a typeface for each script Word lays out with its own font (the
``<a:font script="...">`` entries). ``languages.py`` reads those entries back from whatever
template is in use, so a run of Chinese, Japanese, Korean or Thai text gets the template's font
for its script; a firm changes them in its own template's theme.
"""

from __future__ import annotations

from clausewright.ooxml.namespaces import DECLARATIONS

LATIN_FONT = "Arial"
# The typeface for each script (ISO 15924 code, as the theme names them), as Office's own themes
# choose them: fonts that ship with Windows and macOS.
SCRIPT_FONTS = {
    "Jpan": "MS Mincho",
    "Hang": "Malgun Gothic",
    "Hans": "SimSun",
    "Hant": "PMingLiU",
    "Thai": "Tahoma",
}
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"

# (name, panose, charset, family, pitch) as Word writes them in word/fontTable.xml
_FONTS = [
    (LATIN_FONT, "020B0604020202020204", "00", "swiss", "variable"),
    ("Times New Roman", "02020603050405020304", "00", "roman", "variable"),
    ("MS Mincho", "02020609040205080304", "80", "modern", "fixed"),
    ("Malgun Gothic", "020B0503020000020004", "81", "swiss", "variable"),
    ("SimSun", "02010600030101010101", "86", "auto", "variable"),
    ("PMingLiU", "02010601000101010101", "88", "roman", "variable"),
    ("Tahoma", "020B0604030504040204", "00", "swiss", "variable"),
]


def font_table_xml() -> str:
    fonts = "".join(
        f'<w:font w:name="{name}"><w:panose1 w:val="{panose}"/><w:charset w:val="{charset}"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        for name, panose, charset, family, pitch in _FONTS
    )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts {DECLARATIONS}>{fonts}</w:fonts>'


def web_settings_xml() -> str:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:webSettings {DECLARATIONS}><w:optimizeForBrowser/><w:allowPNG/></w:webSettings>'


def _font_scheme_half(tag: str) -> str:
    scripts = "".join(f'<a:font script="{script}" typeface="{face}"/>' for script, face in SCRIPT_FONTS.items())
    return f'<a:{tag}><a:latin typeface="{LATIN_FONT}"/><a:ea typeface=""/><a:cs typeface=""/>{scripts}</a:{tag}>'


def _solid(colour: str) -> str:
    return f'<a:solidFill><a:schemeClr val="{colour}"/></a:solidFill>'


def theme_xml() -> str:
    colours = [
        ("dk1", '<a:sysClr val="windowText" lastClr="000000"/>'),
        ("lt1", '<a:sysClr val="window" lastClr="FFFFFF"/>'),
        ("dk2", '<a:srgbClr val="1F2A44"/>'),
        ("lt2", '<a:srgbClr val="E7E6E6"/>'),
        ("accent1", '<a:srgbClr val="1F4E79"/>'),
        ("accent2", '<a:srgbClr val="7F7F7F"/>'),
        ("accent3", '<a:srgbClr val="A5A5A5"/>'),
        ("accent4", '<a:srgbClr val="BF9000"/>'),
        ("accent5", '<a:srgbClr val="2E75B6"/>'),
        ("accent6", '<a:srgbClr val="548235"/>'),
        ("hlink", '<a:srgbClr val="0563C1"/>'),
        ("folHlink", '<a:srgbClr val="954F72"/>'),
    ]
    clr = "".join(f"<a:{name}>{value}</a:{name}>" for name, value in colours)
    line = '<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>'
    fmt = (
        '<a:fmtScheme name="Office">'
        f'<a:fillStyleLst>{_solid("phClr")}{_solid("phClr")}{_solid("phClr")}</a:fillStyleLst>'
        f'<a:lnStyleLst>{line.format(w=6350)}{line.format(w=12700)}{line.format(w=19050)}</a:lnStyleLst>'
        "<a:effectStyleLst>" + "<a:effectStyle><a:effectLst/></a:effectStyle>" * 3 + "</a:effectStyleLst>"
        f'<a:bgFillStyleLst>{_solid("phClr")}{_solid("phClr")}{_solid("phClr")}</a:bgFillStyleLst>'
        "</a:fmtScheme>"
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><a:theme xmlns:a="{_A}" name="clausewright">'
        f'<a:themeElements><a:clrScheme name="clausewright">{clr}</a:clrScheme>'
        f'<a:fontScheme name="clausewright">{_font_scheme_half("majorFont")}{_font_scheme_half("minorFont")}</a:fontScheme>'
        f"{fmt}</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
    )
