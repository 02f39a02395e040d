"""Dates, money and numbers as a contract prints them, for the deal's locale (Babel, num2words)."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal, get_currency_name, get_currency_precision
from num2words import num2words

DEFAULT_LOCALE = "en_GB"


def check_locale(code: str) -> str:
    try:
        Locale.parse(code)
    except (ValueError, TypeError, UnknownLocaleError):
        raise ValueError(f"{code!r} is not a locale Babel knows (e.g. en_GB, vi_VN)") from None
    return code


def date(value: _dt.date, locale: str = DEFAULT_LOCALE) -> str:
    """``1 December 2026`` (en_GB), ``December 1, 2026`` (en_US), ``1 tháng 12, 2026`` (vi_VN)."""
    return format_date(value, format="long", locale=locale)


def number(value, locale: str = DEFAULT_LOCALE, places: int | None = None) -> str:
    value = Decimal(str(value))
    if places is None:
        return format_decimal(value, locale=locale, decimal_quantization=False)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=pattern, locale=locale, decimal_quantization=True)


def money(value, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """The ISO code then the amount with the currency's usual decimals:
    ``USD 1,250,000.00``; ``VND 25.000.000.000`` in a Vietnamese locale."""
    value = Decimal(str(value))
    own = max(-value.as_tuple().exponent, 0)
    # The currency's usual decimals, or more when the amount has them: digits are never dropped.
    return f"{currency} {number(value, locale, max(get_currency_precision(currency), own))}"


def words(value, locale: str = DEFAULT_LOCALE) -> str:
    return _spell(Decimal(str(value)), _words_lang(locale))


def money_words(value, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """``one million two hundred and fifty thousand US dollars``: the amount in words followed by
    the currency's name; a fractional part is given as ``and 50/100``."""
    value = Decimal(str(value))
    whole = int(value)
    fraction = value - whole
    lang = _words_lang(locale)
    name = get_currency_name(currency, count=whole, locale="en" if lang.startswith("en") else locale)
    text = f"{_spell(whole, lang)} {name}"
    precision = get_currency_precision(currency)
    if fraction and precision:
        cents = int((fraction * (10**precision)).quantize(Decimal(1)))
        text += f" and {cents}/{10**precision}"
    return text


def percent(value, locale: str = DEFAULT_LOCALE) -> str:
    return f"{number(value, locale)} per cent"


def join(items, last: str) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


# Words spelt with a vowel but said with a consonant ("a unique", "a one-off", "a European"), and
# the reverse ("an hour"); for letters read out one by one ("an LLC", "an S.A.", "a GmbH"), the
# letters whose names start with a vowel sound.
_CONSONANT_SOUNDS = ("uni", "use", "usu", "uti", "ure", "eu", "one", "once", "ubiq", "ukr")
_VOWEL_SOUNDS = ("hour", "honest", "honour", "honor", "heir")
_VOWEL_LETTERS = set("AEFHILMNORSX")


def with_article(text) -> str:
    """``text`` after "a" or "an", as it is said: "an exempted company", "a limited liability
    company", "an LLC", "a Vietnamese translation", "an Indonesian translation". The text itself
    is kept exactly as given."""
    text = str(text)
    word = text.split()[0] if text.split() else ""
    letters = word.replace(".", "")
    if letters.isalpha() and letters.isupper() and (len(letters) > 1 or "." in word):
        vowel = letters[0] in _VOWEL_LETTERS  # read letter by letter
    else:
        lower = word.lower()
        vowel = (lower[:1] in ("a", "e", "i", "o", "u") and not lower.startswith(_CONSONANT_SOUNDS)) or lower.startswith(_VOWEL_SOUNDS)
    return ("an " if vowel else "a ") + text


def _spell(value, lang: str) -> str:
    # Contracts write "one million two hundred and fifty thousand", without commas.
    return num2words(value, lang=lang).replace(",", "")


def _words_lang(locale: str) -> str:
    lang = locale.split("_")[0]
    if lang == "en":
        return "en_IN" if locale == "en_IN" else "en"
    return lang if lang in ("vi", "de", "es", "ja", "ko", "th", "fr") else "en"


def respeller(words: Mapping[str, str]) -> Callable[[str], str]:
    """A function that writes a text of the library in a locale's spelling: each word of
    ``words`` ({British form: that locale's form}, clause_library/spelling.yaml) replaced, keeping
    its case ("Licence" -> "License", "LICENCE" -> "LICENSE")."""
    return _respeller(tuple(sorted(words.items())))


def respelt(text: str, words: Mapping[str, str]) -> str:
    """One text of the library's own wording in the spelling ``words`` give (unchanged without)."""
    return respeller(words)(text) if words and text else text


# What prose respelling leaves alone: template code (``{{ }}``, ``{% %}``, ``{# #}``), clause
# references (``<<clause-id.anchor>>``), term markup (``[[Term]]``) and the name of a statute or
# rule (a run of capitalised words ending in Act, Law, Code...: "the Trade Marks Act", "Federal
# Labour Law"), which is a name and keeps its own spelling.
_NOT_PROSE = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|<<[^<>]*>>|\[\[[^\[\]]*\]\]"
    r"|(?:\b[A-Z][\w’'-]*\s+)+(?:Act|Acts|Law|Laws|Code|Codes|Ordinance|Regulations?|Rules|Decree|Directions|Convention)\b",
    re.DOTALL,
)


def respelt_prose(text: str, words: Mapping[str, str]) -> str:
    """Prose of the library or a profile (a counsel note, a position's drafting note, a profile's
    formality) in the spelling ``words`` give, leaving alone template code, clause references,
    term markup and statute names (``_NOT_PROSE``)."""
    if not words or not text:
        return text
    change = respeller(words)
    out, at = [], 0
    for match in _NOT_PROSE.finditer(text):
        out += [change(text[at:match.start()]), match.group(0)]
        at = match.end()
    out.append(change(text[at:]))
    return "".join(out)


@lru_cache(maxsize=8)
def _respeller(words: tuple[tuple[str, str], ...]) -> Callable[[str], str]:
    table = {british.lower(): other for british, other in words}
    if not table:
        return lambda text: text
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(table, key=len, reverse=True)) + r")\b", re.IGNORECASE)

    def cased(match: re.Match[str]) -> str:
        found = match.group(0)
        other = table[found.lower()]
        if found.isupper() and len(found) > 1:
            return other.upper()
        return other[0].upper() + other[1:] if found[0].isupper() else other

    return lambda text: pattern.sub(cased, text) if text else text
