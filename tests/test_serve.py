"""``clausewright serve``: its routes through Starlette's test client, on real sources, answers
files and sessions (docs/serve.md)."""

from __future__ import annotations

import shutil

import pytest
import yaml
from click.testing import CliRunner
from conftest import MINI, SAMPLES
from serve_helpers import Browser, field_html

from clausewright import pipeline
from clausewright.cli.main import cli

pytestmark = pytest.mark.timeout(300)

VIETNAM = (SAMPLES / "vietnam-supplier.yaml").read_bytes()


@pytest.fixture
def browser(bundled_sources, tmp_path):
    return Browser(bundled_sources, tmp_path / "session.yaml")


@pytest.fixture
def vietnam(browser):
    loaded = browser.load("vietnam-supplier.yaml", VIETNAM)
    assert loaded.status_code == 200 and "Loaded the answers of vietnam-supplier.yaml." in loaded.text
    return browser


def test_the_first_page_asks_the_agreement_type_when_the_schema_declares_it(tmp_path):
    library = tmp_path / "library"
    shutil.copytree(MINI / "library", library)
    main = library / "parameters" / "main.yaml"
    main.write_text(main.read_text(encoding="utf-8").replace(
        "parameters:\n",
        "parameters:\n  - {id: agreement.type, type: choice, choices: {supply: Supply agreement, nnn: NNN agreement}, default: supply, label: Type of agreement}\n",
    ), encoding="utf-8")
    sources = pipeline.load_sources(library, MINI / "jurisdictions")
    browser = Browser(sources, tmp_path / "session.yaml")
    first = browser.get("/").text
    assert 'name="agreement.type"' in first and "Type of agreement" in first
    section = browser.get("/s/main").text
    assert 'name="agreement.type"' not in section  # asked once, on the first page
    browser.post("/start", {"agreement.type": "nnn"})
    assert browser.app.state.interview.answers.value("agreement.type") == "nnn"


def test_a_section_marks_defaults_names_the_currency_and_shows_counsel_notes_beside_their_question(vietnam):
    commercial = vietnam.get("/s/commercial").text
    assert "Minimum value of each order (USD)" in commercial and "an amount in USD" in commercial
    assert 'class="currency" aria-hidden="true">USD<' in commercial
    disputes = vietnam.get("/s/jurisdiction_disputes").text
    law = field_html(disputes, "f-law-governing_law")
    assert "Counsel note (Singapore" in law  # the Singapore notes that apply where Singapore law governs
    assert "Counsel note" not in field_html(disputes, "f-law-exclude_cisg")
    seat = field_html(disputes, "f-disputes-seat")
    assert 'class="default"' in seat and 'value="singapore" selected' in seat  # follows SIAC, marked as a default


def test_a_change_shows_and_hides_questions_and_brings_the_defaults_that_follow(vietnam):
    courts = vietnam.update("jurisdiction_disputes", {"disputes.method": "courts"}, "disputes.method")
    assert courts.status_code == 200
    institution = field_html(courts.text, "f-disputes-institution")
    assert 'hx-swap-oob="true"' in institution and " hidden" in institution.split(">")[0]
    assert "f-disputes-courts" in courts.text and " hidden" not in field_html(courts.text, "f-disputes-courts").split(">")[0]
    assert 'id="in-f-disputes-method"' not in courts.text  # the question being answered is never replaced

    back = vietnam.update("jurisdiction_disputes", {"disputes.method": "arbitration", "disputes.institution": "HKIAC", "default:disputes.seat": "singapore",
                                                    "disputes.seat": "singapore"}, "disputes.institution")
    seat = field_html(back.text, "f-disputes-seat")
    assert 'value="hong-kong" selected' in seat and 'class="default"' in seat


def test_each_answer_is_validated_as_typed_with_the_schemas_message(vietnam):
    typed = vietnam.update("commercial", {"commercial.minimum_order_value": "-5"}, "commercial.minimum_order_value")
    assert 'id="st-f-commercial-minimum_order_value" aria-live="polite" hx-swap-oob="true"' in typed.text
    assert "&#39;-5&#39; is negative; an amount in USD is expected" in typed.text


def test_the_review_lists_every_answer_and_what_followed_an_edit(vietnam):
    review = vietnam.get("/review").text
    assert 'href="/s/jurisdiction_disputes?from=review#f-disputes-institution"' in review
    assert "Minimum value of each order (USD)" in review and "USD 15,000.00" in review
    page = vietnam.get("/s/jurisdiction_disputes?from=review").text
    assert "Save and return to the review" in page
    form = {"disputes.institution": "HKIAC", "disputes.seat": "singapore", "default:disputes.seat": "singapore"}
    after = vietnam.post("/s/jurisdiction_disputes?from=review", {**form, "action": "review"})
    assert str(after.url).endswith("/review")
    assert "Also changed by your edit" in after.text
    assert "Seat (legal place) of arbitration</strong>: Singapore → Hong Kong" in after.text
    assert vietnam.app.state.interview.answers.value("disputes.seat") == "hong-kong"


def test_the_preview_numbers_clauses_as_the_document_and_explains_each(vietnam, bundled_sources):
    html = vietnam.get("/preview").text
    deal = pipeline.validate_deal(yaml.safe_load(VIETNAM.decode()), bundled_sources)
    body = pipeline.assemble(deal, bundled_sources, strict=False).agreement.body
    for section in body:
        heading = next(p for p in section.paragraphs if p.kind == "heading")
        assert f'<span class="num">{heading.label}</span>' in html
    assert "Why this clause" in html and "condition:" in html and "position:" in html


def test_generate_shows_the_checks_first_and_an_error_blocks_it(vietnam):
    page = vietnam.get("/generate").text
    assert "Checks" in page and "Generate the Word document" in page
    same_country = VIETNAM.replace(b"  country: england-wales", b"  country: vietnam")
    vietnam.load("same-country.yaml", same_country)
    blocked = vietnam.get("/generate").text
    assert "foreign-law-no-foreign-element" in blocked and "stops the generation" in blocked
    assert "Generate the Word document" not in blocked
    refused = vietnam.post("/generate")
    assert "stops the generation" in refused.text and vietnam.get("/download/agreement").status_code == 404


def test_answers_download_upload_and_autosave_survive_a_stopped_server(bundled_sources, tmp_path):
    session = tmp_path / "session.yaml"
    first = Browser(bundled_sources, session)
    first.load("vietnam-supplier.yaml", VIETNAM)
    first.update("parties", {"buyer.name": "Beta Devices Ltd"}, "buyer.name")
    downloaded = first.get("/answers.yaml")
    assert downloaded.headers["content-disposition"] == 'attachment; filename="saigon-precision-manufacturing-co-ltd-agreement.answers.yaml"'
    assert yaml.safe_load(downloaded.text)["buyer"]["name"] == "Beta Devices Ltd"
    again = Browser(bundled_sources, session)  # a new server over the same folder
    assert again.app.state.interview.answers.value("buyer.name") == "Beta Devices Ltd"
    variant = downloaded.content.replace(b"Beta Devices Ltd", b"Gamma Devices Ltd")
    again.load("variant.answers.yaml", variant)
    assert again.app.state.interview.answers.value("buyer.name") == "Gamma Devices Ltd"
    assert again.app.state.interview.answers.complete()


def test_serve_refuses_a_port_in_use(tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 1 and f"port {port} on 127.0.0.1 is in use" in result.output and "Traceback" not in result.output


def test_every_page_has_labels_a_skip_link_and_a_print_stylesheet(vietnam):
    for path in ("/", "/s/parties", "/review", "/preview", "/generate"):
        html = vietnam.get(path).text
        assert 'class="skip" href="#main"' in html and 'media="print"' in html
        assert f'"X-CSRF-Token": "{vietnam.csrf}"' in html  # every partial update carries it
    parties = vietnam.get("/s/parties").text
    for input_id in ("in-f-buyer-name", "in-f-supplier-address"):
        assert f'for="{input_id}"' in parties


def test_counsel_notes_beside_a_question_are_those_of_the_chosen_type_in_its_words(bundled_sources, tmp_path):
    """In a services interview, the notes beside the supplier's country are the ones a services
    draft would carry: in the customer's words, each clause they refer to named by its title, and
    none on a clause only the supply agreement has (non-circumvention)."""
    import html
    import re

    browser = Browser(bundled_sources, tmp_path / "session.yaml")
    assert browser.load("india-software-services.yaml", (SAMPLES / "india-software-services.yaml").read_bytes()).status_code == 200
    page = html.unescape(browser.get("/s/parties").text)
    notes = re.findall(r"Counsel note \(India[^<]*<.*?</", page, re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", n) for n in notes)
    assert notes and "<<" not in page and "&lt;&lt;" not in browser.get("/s/parties").text
    assert "post-term non-circumvention" not in text  # the supply agreement's clause
    assert "the bill of materials in clause “Open-source software”" in text  # a clause named by its title
    assert not re.search(r"\bbuyer\b", text, re.I), text[:2000]
