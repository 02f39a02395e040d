"""Property-based tests over the deal schema of the miniature library: any text in a text or
longtext parameter either appears in the document exactly (after the documented line-ending
normalisation) or is refused with an error naming the field; numbers and dates are printed when
valid and refused, with the field named, when not."""

from __future__ import annotations

import copy
import datetime as _dt
import re

import pytest
from hardening_helpers import expected
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clausewright import pipeline
from clausewright.errors import InputError
from clausewright.formatting import date as format_date
from clausewright.ooxml import reader

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# text parameters of the mini library and where their value shows
TEXT_FIELDS = {
    "buyer.name": ("buyer", "name"),
    "supplier.name": ("supplier", "name"),
    "supplier.address": ("supplier", "address"),
    "buyer.signatory.name": ("buyer", "signatory", "name"),
}
MULTILINE = {"supplier.address"}


@pytest.fixture(scope="module")
def base(mini_sources):
    return {
        "agreement": {"date": "2026-12-01"},
        "buyer": {"name": "Acme", "signatory": {"name": "Ann"}},
        "supplier": {"name": "Sup Co", "address": "Hanoi", "country": "vietnam", "signatory": {"name": "Bob"}},
        "commercial": {"price": "1000"},
        "confidentiality": {"years": "5"},
        "products": [{"name": "Widget", "price": "2.50"}],
    }


def _run(raw, sources):
    deal = pipeline.validate_deal(raw, sources)
    composition = pipeline.assemble(deal, sources, strict=False)
    return deal, pipeline.build_docx(composition, deal, sources)


def put_dotted(raw, path, value):
    node = raw
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


text_values = st.text(alphabet=st.characters(codec=None), max_size=60) | st.text(
    alphabet=st.sampled_from(list("&<>\"'{}%#_|+=[]?*\r\n\x0b\t \x00\u202e\u200d\ufeff\ufdd0\ufffe\U0010ffffaé🚀字")), max_size=40
)


@SETTINGS
@given(field=st.sampled_from(sorted(TEXT_FIELDS)), value=text_values)
def test_text_round_trips_or_is_refused_with_the_field(mini_sources, base, field, value):
    raw = copy.deepcopy(base)
    put_dotted(raw, TEXT_FIELDS[field], value)
    want = expected(value, multiline=field in MULTILINE)
    try:
        deal, docx = _run(raw, mini_sources)
    except InputError as exc:
        assert want is None, (value, str(exc))
        assert [p.field for p in exc.problems] == [field]
        return
    assert want is not None, value
    assert deal.get(field) == want
    assert reader.check(docx, [want, "Acme", "Sup Co"]) == []
    text = reader.read(docx).text()
    assert want in text


@SETTINGS
@given(years=st.integers(min_value=-10**6, max_value=10**6) | st.text(max_size=8))
def test_integer_parameter(mini_sources, base, years):
    raw = copy.deepcopy(base)
    raw["confidentiality"]["years"] = str(years)
    text = str(years).strip().replace("_", "")
    blank = text.strip() in ("", "~", "null")  # missing: the default (5) applies
    valid = blank or bool(re.fullmatch(r"[+-]?\d{1,15}", text)) and 1 <= int(text) <= 20  # the schema: min 1, max 20
    try:
        deal, docx = _run(raw, mini_sources)
    except InputError as exc:
        assert not valid, (years, str(exc))
        assert [p.field for p in exc.problems] == ["confidentiality.years"]
        return
    assert valid, years
    assert f"({deal.get('confidentiality.years')}) years" in reader.read(docx).text()


@SETTINGS
@given(price=st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False) | st.decimals(allow_nan=True, allow_infinity=True) | st.text(max_size=10))
def test_money_parameter(mini_sources, base, price):
    raw = copy.deepcopy(base)
    raw["products"][0]["price"] = str(price)
    try:
        deal, docx = _run(raw, mini_sources)
    except InputError as exc:
        assert [p.field for p in exc.problems] == ["products[1].price"], str(exc)
        return
    value = deal.get("products")[0]["price"]
    if value is None:  # optional, and left blank
        assert str(price).strip() in ("", "~", "null")
        return
    assert value >= 0 and value.is_finite()
    assert f"{value:,.2f}".split(".")[0] in reader.read(docx).text()


@SETTINGS
@given(day=st.dates(min_value=_dt.date(1900, 1, 1), max_value=_dt.date(2999, 12, 31)) | st.text(max_size=12))
def test_date_parameter(mini_sources, base, day):
    raw = copy.deepcopy(base)
    raw["agreement"]["date"] = day.isoformat() if isinstance(day, _dt.date) else day
    try:
        deal, docx = _run(raw, mini_sources)
    except InputError as exc:
        assert not isinstance(day, _dt.date), (day, str(exc))
        assert [p.field for p in exc.problems] == ["agreement.date"]
        return
    when = deal.get("agreement.date")
    assert isinstance(day, _dt.date) or _dt.date.fromisoformat(day.strip()) == when
    assert f"This Agreement is dated {format_date(when, 'en_GB')}." in reader.read(docx).text()


xml_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=80) | st.text(
    alphabet=st.sampled_from(list("&<>\"'{}#;amplgt\n\t\r ")), max_size=40
)


@SETTINGS
@given(text=xml_text)
def test_escaped_text_and_attributes_read_back_exactly(text):
    """What ooxml.xml escapes, an XML parser reads back as exactly the text (attribute values
    included, with their line breaks, tabs and quotes), and no brace survives for docxtpl."""
    from lxml import etree

    from clausewright.ooxml.xml import attr, esc

    text = "".join(ch for ch in text if ch in "\t\n\r" or (ord(ch) >= 0x20 and not 0xFFFE <= ord(ch) <= 0xFFFF))
    escaped, attribute = esc(text), attr(text)
    assert "{" not in escaped + attribute and "}" not in escaped + attribute
    node = etree.fromstring(f'<t a="{attribute}">{escaped}</t>'.encode())
    assert node.get("a") == text
    assert (node.text or "") == text.replace("\r\n", "\n").replace("\r", "\n")  # XML's own line-end rule for raw text
