"""Language tags for text in other scripts, so Word proofs Vietnamese, Chinese, Japanese, Korean
and Thai names in their own language (not as misspelt English) and sets East Asian and Thai text
in the template's font for its script.

Word keeps three languages per run (``w:lang``): ``w:val`` for Latin text, ``w:eastAsia`` for
East Asian characters and ``w:bidi`` for complex scripts such as Thai; each applies only to the
characters of its kind, so a run mixing English and Chinese needs no splitting. Vietnamese is
Latin text: a run is split so that only the Vietnamese words carry ``vi-VN``.

The script fonts come from the template's theme (``<a:font script="Hans" typeface="..."/>``
in the minor font); a template without them gets the language tags alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from clausewright.ooxml.namespaces import PARSER

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
# letters only Vietnamese uses among the languages drafted here: a with breve, o and u with horn,
# d with stroke, and the tone-marked vowels of Latin Extended Additional
_VIETNAMESE_LETTER = re.compile("[\u0102\u0103\u01a0\u01a1\u01af\u01b0\u0110\u0111\u1ea0-\u1ef9]")
_WORD = re.compile(r"\w+")
VIETNAMESE_GAP = 2  # words without such a letter ("ty TNHH") inside one Vietnamese span
# any character that needs a tag: most text has none (curly quotes and dashes are not ASCII)
_TAGGED = re.compile("|".join(p.pattern for p in (_HANGUL, _KANA, _HAN, _THAI, _VIETNAMESE_LETTER)))


@dataclass(frozen=True)
class Tag:
    """The run properties a piece of text needs: ``fonts`` (a ``w:rFonts``) and ``lang``."""

    fonts: str = ""
    lang: str = ""


NONE = Tag()


class Languages:
    """Tags runs of text for the scripts they hold, with the fonts of ``script_fonts`` (ISO
    15924 script code -> typeface)."""

    def __init__(self, script_fonts: dict[str, str] | None = None):
        self.fonts = dict(script_fonts or {})

    @staticmethod
    def needs_tag(text: str) -> bool:
        """Whether ``text`` holds a character that needs a language tag."""
        return _TAGGED.search(text) is not None

    def segments(self, text: str) -> list[tuple[str, Tag]]:
        """``text`` cut into pieces that each take one tag (most text: one piece, untagged)."""
        if text.isascii() or not self.needs_tag(text):
            return [(text, NONE)]
        pieces: list[tuple[str, Tag]] = []
        at = 0
        for start, end in _vietnamese_spans(text):
            if start > at:
                pieces.append((text[at:start], self.tag(text[at:start])))
            pieces.append((text[start:end], self.tag(text[start:end], latin="vi-VN")))
            at = end
        if at < len(text):
            pieces.append((text[at:], self.tag(text[at:])))
        return pieces

    def tag(self, text: str, latin: str = "") -> Tag:
        """The tag for ``text``; ``latin``: the language of its Latin letters, if not English."""
        east_asian = script = ""
        if _HANGUL.search(text):
            east_asian, script = "ko-KR", "Hang"
        elif _KANA.search(text):
            east_asian, script = "ja-JP", "Jpan"
        elif _HAN.search(text):
            east_asian, script = "zh-CN", "Hans"  # Han alone cannot tell Chinese from Japanese: Chinese
        thai = bool(_THAI.search(text))
        if not (latin or east_asian or thai):
            return NONE
        fonts = ""
        if script in self.fonts:
            fonts += f' w:eastAsia="{self.fonts[script]}"'
        if thai and "Thai" in self.fonts:
            fonts += f' w:cs="{self.fonts["Thai"]}"'
        lang = "".join(f' w:{key}="{value}"' for key, value in (("val", latin), ("eastAsia", east_asian), ("bidi", "th-TH" if thai else "")) if value)
        return Tag(fonts=f"<w:rFonts{fonts}/>" if fonts else "", lang=f"<w:lang{lang}/>")


def _vietnamese_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each stretch of Vietnamese: words with accented letters, at least one of
    them a letter only Vietnamese uses, with up to ``VIETNAMESE_GAP`` plain words between them
    ("Công ty TNHH Sản xuất Sài Gòn")."""
    spans: list[list[int]] = []  # [start, end, is Vietnamese]
    since = VIETNAMESE_GAP + 1  # plain words since the last accented one
    for word in _WORD.finditer(text):
        if word.group().isascii():
            since += 1
            continue
        vietnamese = int(bool(_VIETNAMESE_LETTER.search(word.group())))
        if spans and since <= VIETNAMESE_GAP:
            spans[-1][1] = word.end()
            spans[-1][2] |= vietnamese
        else:
            spans.append([word.start(), word.end(), vietnamese])
        since = 0
    return [(start, end) for start, end, vietnamese in spans if vietnamese]


def script_fonts(theme_xml: bytes | None) -> dict[str, str]:
    """The minor (body) font's typeface for each script, from a theme part."""
    if not theme_xml:
        return {}
    try:
        root = etree.fromstring(theme_xml, PARSER)
    except etree.XMLSyntaxError:
        return {}
    minor = root.find(f".//{_A}minorFont")
    if minor is None:
        return {}
    return {font.get("script"): font.get("typeface") for font in minor.findall(f"{_A}font") if font.get("script") and font.get("typeface")}
