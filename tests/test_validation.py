"""Deal validation: every problem at once, each naming its field, and nothing written."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from conftest import MINI

from clausewright import pipeline
from clausewright.cli.main import cli
from clausewright.errors import InputError

MINI_OPTS = ["--library", str(MINI / "library"), "--jurisdictions", str(MINI / "jurisdictions")]


def _problems(raw, sources):
    with pytest.raises(InputError) as exc:
        pipeline.validate_deal(raw, sources)
    return {p.field: p.message for p in exc.value.problems}


def test_every_problem_is_reported_at_once(mini_sources, mini_deal_raw):
    raw = dict(mini_deal_raw)
    raw["agreement"] = {"date": "2026-02-30"}
    raw["supplier"] = dict(raw["supplier"], country="atlantis")
    raw["confidentiality"] = {"years": "99"}
    raw["commercial"] = {"price": "-5", "currency": "XYZ"}
    raw["suplier"] = {"name": "typo"}
    problems = _problems(raw, mini_sources)
    assert problems["agreement.date"] == "'2026-02-30' is not a real date"
    assert problems["supplier.country"].startswith("'atlantis' is not one of: singapore, vietnam")
    assert problems["confidentiality.years"] == "99 is above the maximum of 20"
    assert "negative" in problems["commercial.price"]
    assert "not an ISO 4217 currency code" in problems["commercial.currency"]
    assert problems["suplier.name"] == "unknown field; did you mean supplier.name?"
    assert len(problems) == 6


def test_missing_required_fields_name_what_is_expected(mini_sources):
    problems = _problems({}, mini_sources)
    assert problems["buyer.name"] == "missing; expected one line of text"
    assert problems["agreement.date"] == "missing; expected a date as YYYY-MM-DD, e.g. 2026-12-01"
    assert "products" in problems


def test_list_records_are_validated_field_by_field(mini_sources, mini_deal_raw):
    raw = dict(mini_deal_raw, products=[{"name": "A", "price": "abc"}, {"price": "1"}, "oops"])
    problems = _problems(raw, mini_sources)
    assert problems["products[1].price"] == "'abc' is not a number (write it like 1250000.00)"
    assert problems["products[2].name"].startswith("missing")
    assert problems["products[3]"].startswith("expected a record")


def test_control_characters_are_refused_with_the_field_named(mini_sources, mini_deal_raw):
    raw = dict(mini_deal_raw, buyer=dict(mini_deal_raw["buyer"], name="Acme\x07Ltd"))
    problems = _problems(raw, mini_sources)
    assert problems["buyer.name"] == "contains a control character (U+0007) at position 5, which a Word document cannot hold (XML 1.0 does not allow it); remove it"


def test_line_breaks_in_a_single_line_field_are_refused(mini_sources, mini_deal_raw):
    raw = dict(mini_deal_raw, buyer=dict(mini_deal_raw["buyer"], name="Acme\nLtd"))
    assert _problems(raw, mini_sources)["buyer.name"] == "contains a line break; this field takes a single line"


def test_vertical_tab_from_excel_becomes_a_line_break(mini_sources, mini_deal_raw):
    raw = dict(mini_deal_raw, supplier=dict(mini_deal_raw["supplier"], address="Line 1\x0bLine 2\r\nLine 3"))
    deal = pipeline.validate_deal(raw, mini_sources)
    assert deal.get("supplier.address") == "Line 1\nLine 2\nLine 3"


def test_when_false_parameters_are_not_required_and_defaults_follow_answers(mini_sources, mini_deal_raw):
    raw = dict(mini_deal_raw, disputes={"method": "courts"})
    deal = pipeline.validate_deal(raw, mini_sources)
    assert "disputes.institution" not in deal.flat
    deal = pipeline.validate_deal(mini_deal_raw, mini_sources)
    assert deal.get("disputes.institution") == "SIAC"  # from the Vietnamese profile's defaults
    assert deal.get("commercial.currency") == "VND"  # the supplier country's currency
    assert {"disputes.institution", "commercial.currency"} <= deal.defaulted


def test_yaml_scalars_keep_what_was_typed(mini_sources, mini_deal_raw):
    raw = dict(mini_deal_raw, buyer=dict(mini_deal_raw["buyer"], name="no"))
    assert pipeline.validate_deal(raw, mini_sources).get("buyer.name") == "no"


def test_cli_reports_problems_exits_non_zero_and_writes_nothing(tmp_path):
    deal = tmp_path / "deal.yaml"
    deal.write_text("buyer:\n  name: [1, 2]\nsupplier:\n  country: mars\n", encoding="utf-8")
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(cli, ["generate", str(deal), "-o", str(out), *MINI_OPTS])
    assert result.exit_code == 3
    assert "buyer.name: expected text" in result.stderr
    assert "supplier.country: 'mars' is not one of" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == [deal]


def test_duplicate_keys_in_a_deal_file_are_refused(tmp_path):
    deal = tmp_path / "deal.yaml"
    deal.write_text("buyer:\n  name: A\n  name: B\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["generate", str(deal), "-o", str(tmp_path / "o.docx"), *MINI_OPTS])
    assert result.exit_code == 3
    assert "duplicate key 'name'" in result.stderr


def test_set_overrides_with_dotted_keys(mini_sources):
    deal = pipeline.validate_deal(pipeline.read_answers(MINI / "deal.yaml", ["buyer.name=Override & Co", "confidentiality.years=3"]), mini_sources)
    assert deal.get("buyer.name") == "Override & Co"
    assert deal.get("confidentiality.years") == 3


def test_bad_set_syntax_is_an_error(tmp_path):
    result = CliRunner().invoke(cli, ["generate", str(MINI / "deal.yaml"), "-o", str(tmp_path / "o.docx"), "--set", "novalue", *MINI_OPTS])
    assert result.exit_code == 3 and "expected key=value" in result.stderr


def test_existing_output_is_not_replaced_without_force(tmp_path):
    out = tmp_path / "o.docx"
    out.write_bytes(b"keep me")
    result = CliRunner().invoke(cli, ["generate", str(MINI / "deal.yaml"), "-o", str(out), *MINI_OPTS])
    assert result.exit_code == 1 and "already exists; use --force" in result.stderr
    assert out.read_bytes() == b"keep me"
    result = CliRunner().invoke(cli, ["generate", str(MINI / "deal.yaml"), "-o", str(out), "--force", *MINI_OPTS])
    assert result.exit_code == 0 and out.read_bytes()[:2] == b"PK"


def test_unknown_locale_is_refused(mini_sources, mini_deal_raw):
    raw = dict(mini_deal_raw, agreement=dict(mini_deal_raw["agreement"], locale="xx_ZZ"))
    assert _problems(raw, mini_sources)["agreement.locale"] == "'xx_ZZ' is not a locale code Babel knows (e.g. en_GB, en_US, vi_VN)"
    raw["agreement"]["locale"] = "vi-VN"
    assert pipeline.validate_deal(raw, mini_sources).get("agreement.locale") == "vi_VN"


def test_set_reaches_list_entries_counting_from_one(mini_sources):
    raw = pipeline.read_answers(MINI / "deal.yaml", ["products.2.name=Second", "products.3.name=Third"])
    deal = pipeline.validate_deal(raw, mini_sources)
    assert [p["name"] for p in deal.get("products")][1:] == ["Second", "Third"]
    with pytest.raises(InputError, match=r"products has 2 entries; use a number from 1 to 3"):
        pipeline.read_answers(MINI / "deal.yaml", ["products.9.name=X"])


def test_messages_about_an_amount_name_the_deal_currency(tmp_path, mini_deal_raw):
    """An amount is always in the deal's currency, so a message about one says which."""
    library = tmp_path / "library"
    shutil.copytree(MINI / "library", library)
    params = library / "parameters" / "main.yaml"
    params.write_text(params.read_text(encoding="utf-8").replace(
        "{id: commercial.price, type: money, label: Price}", "{id: commercial.price, type: money, min: 1000, label: Price}"), encoding="utf-8")
    sources = pipeline.load_sources(library, MINI / "jurisdictions")
    raw = dict(mini_deal_raw, commercial={"price": "500"}, products=[{"name": "Widget", "price": "-5"}])
    problems = _problems(raw, sources)
    assert problems["commercial.price"] == "VND 500 is below the minimum of VND 1,000"  # the Vietnamese supplier's currency
    assert problems["products[1].price"] == "'-5' is negative; an amount in VND is expected"
    raw["commercial"] = {"price": "500", "currency": "usd"}
    assert _problems(raw, sources)["commercial.price"] == "USD 500.00 is below the minimum of USD 1,000.00"
    del raw["commercial"]["price"]
    assert _problems(raw, sources)["commercial.price"] == "missing; expected an amount in USD, e.g. 1250000.00"
