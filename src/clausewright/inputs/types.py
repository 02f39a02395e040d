"""Parameter types: each turns a raw value (typed in a terminal, read from YAML as text, or
taken from a spreadsheet cell) into a typed value, or fails with a message that says what was
given and what was expected. The same conversions serve deal files, the wizard and bulk rows.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import re2
from babel.numbers import list_currencies

from clausewright.errors import nearest

if TYPE_CHECKING:
    from clausewright.inputs.schema import Parameter


class Invalid(ValueError):
    """A value that cannot be converted; the message names the value and what was expected."""


@dataclass(frozen=True)
class OtherNames:
    """Other names of a parameter's choices (from the catalogues' ``aliases`` and ``suggest_for``).

    An alias names exactly the same choice (Viet Nam for vietnam) and is accepted as it; a
    suggested name is close but not the same (UK for england-wales: the United Kingdom has three
    legal systems) and is only offered as a suggestion. Keys are case-folded."""

    aliases: dict[str, str] = field(default_factory=dict)  # name -> choice
    suggested: dict[str, str] = field(default_factory=dict)  # name -> choice


MISSING_TEXT = {"", "~", "null"}

# Characters outside XML 1.0's Char production (#x9 | #xA | #xD | [#x20-#xD7FF] |
# [#xE000-#xFFFD] | [#x10000-#x10FFFF]), which no part of a Word document can hold: the other
# control characters, surrogates (never a character on their own) and U+FFFE, U+FFFF. The other
# Unicode non-characters (U+FDD0..U+FDEF, the last two code points of the higher planes) are in
# that range and are kept: Unicode lets them be interchanged (Corrigendum #9).
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def is_missing(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str) and raw.strip() in MISSING_TEXT:
        return True
    return isinstance(raw, (list, dict)) and len(raw) == 0


def _show(raw: Any, limit: int = 40) -> str:
    text = raw if isinstance(raw, str) else repr(raw)
    if len(text) > limit:
        text = text[:limit] + "…"
    return repr(text) if isinstance(raw, str) else text


def normalise_text(raw: Any, *, multiline: bool) -> str:
    """Return the text exactly as typed, but for documented normalisations.

    Line endings become ``\\n`` (``\\r\\n``, ``\\r`` and Word/Excel's vertical tab ``\\x0b``).
    Every other character is kept; characters XML cannot hold are refused, never dropped.
    """
    if isinstance(raw, bool) or not isinstance(raw, (str, int, Decimal, float)):
        raise Invalid(f"expected text, got {_show(raw)}")
    if isinstance(raw, float):
        raw = repr(raw) if not raw.is_integer() else str(int(raw))
    text = str(raw).replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    bad = _FORBIDDEN.search(text)
    if bad:
        ch = bad.group()
        code = f"U+{ord(ch):04X}"
        kind = "a control character" if ord(ch) < 0x20 else ("a lone surrogate" if 0xD800 <= ord(ch) <= 0xDFFF else "a Unicode non-character")
        raise Invalid(f"contains {kind} ({code}) at position {bad.start() + 1}, which a Word document cannot hold (XML 1.0 does not allow it); remove it")
    if not multiline and "\n" in text:
        raise Invalid("contains a line break; this field takes a single line")
    return text


_patterns: dict[str, Any] = {}


def compile_pattern(pattern: str) -> Any:
    """A parameter's ``pattern``, compiled for RE2, an engine that matches without backtracking:
    in time linear in the text, whatever the pattern (``(a+)+$`` included). Raises ``ValueError``
    with RE2's reason for a pattern it cannot run (look-around, backreferences, bad syntax)."""
    compiled = _patterns.get(pattern)
    if compiled is None:
        options = re2.Options()
        options.log_errors = False
        try:
            compiled = _patterns[pattern] = re2.compile(pattern, options)
        except re2.error as exc:
            reason = exc.args[0] if exc.args else exc
            raise ValueError(reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)) from None
    return compiled


class ParamType:
    name = "?"
    help = ""

    def convert(self, raw: Any, param: Parameter) -> Any:
        raise NotImplementedError

    def to_text(self, value: Any) -> Any:
        """The value as written in an answers file (converts back to the same value)."""
        return value

    def quote(self, value: Any) -> str:
        """A value as a message quotes it."""
        return str(value)


class Text(ParamType):
    name = "text"
    help = "one line of text"
    multiline = False
    default_max = 1000

    def convert(self, raw, param):
        text = normalise_text(raw, multiline=self.multiline)
        limit = param.max_length or self.default_max
        if len(text) > limit:
            raise Invalid(f"is {len(text):,} characters long; the limit is {limit:,}")
        if param.min_length and len(text) < param.min_length:
            raise Invalid(f"is {len(text)} characters long; at least {param.min_length} expected")
        if param.pattern and not compile_pattern(param.pattern).fullmatch(text):
            raise Invalid(f"{_show(text)} is not valid: {param.pattern_help or 'expected to match ' + param.pattern}")
        return text


class LongText(Text):
    name = "longtext"
    help = "text, may span several lines"
    multiline = True
    default_max = 20000


class Email(ParamType):
    name = "email"
    help = "an e-mail address"
    _re = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

    def convert(self, raw, param):
        text = normalise_text(raw, multiline=False).strip()
        if not self._re.fullmatch(text) or len(text) > 254:
            raise Invalid(f"{_show(text)} is not an e-mail address")
        return text


class Integer(ParamType):
    name = "integer"
    help = "a whole number"

    def convert(self, raw, param):
        if isinstance(raw, bool):
            raise Invalid(f"expected a whole number, got {_show(raw)}")
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, int):
            value = raw
        else:
            text = str(raw).strip().replace("_", "")
            if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", text):  # thousands separators, as amounts accept them
                text = text.replace(",", "")
            if not re.fullmatch(r"[+-]?\d{1,15}", text):
                raise Invalid(f"{_show(raw)} is not a whole number")
            value = int(text)
        _check_range(value, param)
        return value


class DecimalType(ParamType):
    name = "decimal"
    help = "a number, e.g. 1250000.00"
    max_places = 6

    def convert(self, raw, param):
        if isinstance(raw, bool):
            raise Invalid(f"expected a number, got {_show(raw)}")
        if isinstance(raw, (int, float, Decimal)):
            value = Decimal(str(raw))
        else:
            text = str(raw).strip().replace("_", "").replace(" ", "")
            if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", text):
                text = text.replace(",", "")
            if not re.fullmatch(r"[+-]?\d{1,18}(\.\d+)?", text):
                raise Invalid(f"{_show(raw)} is not a number (write it like 1250000.00)")
            try:
                value = Decimal(text)
            except InvalidOperation:
                raise Invalid(f"{_show(raw)} is not a number") from None
        if not value.is_finite():
            raise Invalid(f"{_show(raw)} is not a number")
        places = -value.as_tuple().exponent if value.as_tuple().exponent < 0 else 0
        if places > self.max_places:
            raise Invalid(f"{_show(raw)} has {places} decimal places; at most {self.max_places}")
        _check_range(value, param)
        return value

    def to_text(self, value):
        return str(value)


CURRENCY_PARAMETER = "commercial.currency"  # every amount of money in a deal is in this parameter's currency


class Money(DecimalType):
    """An amount of money. Once the deal's currency is known, ``in_currency`` gives the type that
    names it in its help and quotes amounts with it (``USD 1,250,000.00``)."""

    name = "money"
    max_places = 4

    def __init__(self, currency: str | None = None):
        self.currency = currency
        self.amount = f"an amount in {currency}" if currency else "an amount of money"
        self.help = f"{self.amount}, e.g. 1250000.00" + ("" if currency else " (in the deal's currency)")

    def in_currency(self, currency: str) -> Money:
        return Money(currency)

    def quote(self, value):
        from clausewright.formatting import money

        return money(value, self.currency) if self.currency else str(value)

    def convert(self, raw, param):
        value = super().convert(raw, param)
        if value < 0:
            raise Invalid(f"{_show(raw)} is negative; {self.amount} is expected")
        return value


class Percent(DecimalType):
    name = "percent"
    help = "a percentage from 0 to 100, e.g. 8 or 7.5"

    def convert(self, raw, param):
        if isinstance(raw, str):
            raw = raw.strip().removesuffix("%")
        value = super().convert(raw, param)
        if not (0 <= value <= 100):
            raise Invalid(f"{value} is not a percentage from 0 to 100")
        return value


class Date(ParamType):
    name = "date"
    help = "a date as YYYY-MM-DD, e.g. 2026-12-01"

    def convert(self, raw, param):
        if isinstance(raw, _dt.datetime):
            return raw.date()
        if isinstance(raw, _dt.date):
            return raw
        text = str(raw).strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise Invalid(f"{_show(raw)} is not a date written as YYYY-MM-DD")
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:
            raise Invalid(f"{_show(raw)} is not a real date") from None

    def to_text(self, value):
        return value.isoformat()


class Bool(ParamType):
    name = "bool"
    help = "yes or no"
    _true = {"true", "yes", "y", "1", "on"}
    _false = {"false", "no", "n", "0", "off"}

    def convert(self, raw, param):
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in self._true:
            return True
        if text in self._false:
            return False
        raise Invalid(f"{_show(raw)} is not yes or no")

    def to_text(self, value):
        return "yes" if value else "no"


class Choice(ParamType):
    name = "choice"
    help = "one of the listed choices"

    def options(self, param) -> dict[str, str]:
        return param.choice_map()

    def convert(self, raw, param):
        options = self.options(param)
        text = normalise_text(raw, multiline=False).strip()
        folded = text.casefold()
        for value, label in options.items():
            if folded in (value.casefold(), str(label).casefold()):
                return value
        alias = param.other_names.aliases.get(folded)
        if alias in options:
            return alias
        listed = ", ".join(options)
        raise Invalid(f"{_show(text)} is not one of: {listed}{_did_you_mean(folded, options, param.other_names)}")


def _did_you_mean(folded: str, options: dict[str, str], names: OtherNames) -> str:
    """The choice a mistyped or near answer probably meant: ``vietnma`` -> vietnam, ``UK`` ->
    england-wales (England and Wales)."""
    meant = names.suggested.get(folded)
    if meant is None:
        spellings = {value.casefold(): value for value in options}
        spellings |= {str(label).casefold(): value for value, label in options.items()}
        spellings |= names.aliases | names.suggested
        closest = nearest(folded, spellings, count=1)
        meant = spellings[closest[0]] if closest else None
    if meant not in options:
        return ""
    label = str(options[meant])
    return f"; did you mean {meant}{'' if label.casefold() == meant.casefold() else f' ({label})'}?"


class MultiChoice(Choice):
    name = "multichoice"
    help = "one or more of the listed choices (separate with ;)"

    def convert(self, raw, param):
        items = raw if isinstance(raw, list) else [part for part in str(raw).split(";") if part.strip()]
        values = [Choice.convert(self, item, param) for item in items]
        return sorted(set(values), key=values.index)

    def to_text(self, value):
        return list(value)


class Currency(ParamType):
    name = "currency"
    help = "an ISO 4217 currency code, e.g. USD"
    _codes = None

    def convert(self, raw, param):
        if Currency._codes is None:
            Currency._codes = set(list_currencies())
        text = normalise_text(raw, multiline=False).strip().upper()
        if text not in Currency._codes:
            raise Invalid(f"{_show(raw)} is not an ISO 4217 currency code (e.g. USD, EUR, VND)")
        return text


class LocaleType(ParamType):
    name = "locale"
    help = "a locale code such as en_GB, en_US or vi_VN"

    def convert(self, raw, param):
        from clausewright.formatting import check_locale

        text = normalise_text(raw, multiline=False).strip().replace("-", "_")
        try:
            return check_locale(text)
        except ValueError:
            raise Invalid(f"{_show(text)} is not a locale code Babel knows (e.g. en_GB, en_US, vi_VN)") from None


class CatalogueChoice(Choice):
    """A choice among the entries of a loaded catalogue (profiles, institutions, seats) or of the
    library's agreement types."""

    def __init__(self, name: str, help_text: str):
        self.name = name
        self.help = help_text

    def options(self, param):
        return param.catalogue()


class ListType(ParamType):
    name = "list"
    help = "a list of records"

    def convert(self, raw, param):  # records are converted field by field by the validator
        if not isinstance(raw, list):
            raise Invalid("expected a list of entries")
        return raw


def _check_range(value, param):
    quote = param.type.quote
    if param.min is not None and value < Decimal(str(param.min)):
        raise Invalid(f"{quote(value)} is below the minimum of {quote(param.min)}")
    if param.max is not None and value > Decimal(str(param.max)):
        raise Invalid(f"{quote(value)} is above the maximum of {quote(param.max)}")


TYPES: dict[str, ParamType] = {
    t.name: t
    for t in (
        Text(),
        LongText(),
        Email(),
        Integer(),
        DecimalType(),
        Money(),
        Percent(),
        Date(),
        Bool(),
        Choice(),
        MultiChoice(),
        Currency(),
        LocaleType(),
        ListType(),
        CatalogueChoice("jurisdiction", "a jurisdiction profile id, e.g. vietnam"),
        CatalogueChoice("institution", "an arbitration institution id, e.g. SIAC"),
        CatalogueChoice("seat", "an arbitration seat id, e.g. singapore"),
        CatalogueChoice("agreement_type", "an agreement type of the library, e.g. supply"),
    )
}
CATALOGUE_TYPES = tuple(name for name, t in TYPES.items() if isinstance(t, CatalogueChoice))  # jurisdiction, institution, seat, agreement_type
ONE_CHOICE_TYPES = ("choice", *CATALOGUE_TYPES)  # one value among listed choices
