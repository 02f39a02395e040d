"""``clausewright serve`` is for the lawyer who started it: the run's token or its session cookie
on every request, CSRF tokens on every form, strict Host and Origin checks, no CORS, downloads by
name only, bounded uploads, and answers files read as safely as deal files (docs/serve.md)."""

from __future__ import annotations

import pytest
from conftest import SAMPLES
from serve_helpers import ORIGIN, PORT, TOKEN, Browser
from starlette.testclient import TestClient

pytestmark = pytest.mark.timeout(300)

VIETNAM = (SAMPLES / "vietnam-supplier.yaml").read_bytes()
POSTS = ["/start", "/new", "/s/parties", "/s/parties/update", "/generate", "/answers"]


@pytest.fixture
def browser(bundled_sources, tmp_path):
    return Browser(bundled_sources, tmp_path / "session.yaml")


def stranger(browser: Browser) -> TestClient:
    """Another program on this computer: it reaches the port, but has neither token nor cookie."""
    return TestClient(browser.app, base_url=ORIGIN, follow_redirects=False)


def test_no_token_or_a_wrong_token_is_refused_and_the_right_one_sets_a_strict_cookie(browser):
    other = stranger(browser)
    for path in ("/", "/review", "/answers.yaml", "/static/htmx.min.js", "/download/agreement", "/s/parties"):
        refused = other.get(path)
        assert refused.status_code == 403 and "secret token" in refused.text
    assert other.get("/?token=not-the-token").status_code == 403
    assert other.get("/review", cookies={browser.keys.cookie: "made-up-session"}).status_code == 403
    opened = other.get(f"/review?token={TOKEN}")
    assert opened.status_code == 303 and opened.headers["location"] == "/review"  # the token leaves the address
    cookie = opened.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("samesite", "SameSite")
    assert other.get("/review").status_code == 200


def test_a_cross_site_post_is_refused_even_with_the_cookie(browser):
    browser.load("v.yaml", VIETNAM)
    client = browser.client
    for path in POSTS:
        data = {"csrf": browser.csrf, "buyer.name": "Mallory"}
        assert client.post(path, data=data).status_code == 403  # no Origin
        assert client.post(path, data=data, headers={"origin": "http://evil.example"}).status_code == 403
        assert client.post(path, data=data, headers={"origin": ORIGIN, "sec-fetch-site": "cross-site"}).status_code == 403
        assert client.post(path, data={"buyer.name": "Mallory"}, headers={"origin": ORIGIN}).status_code == 403  # no CSRF token
        assert client.post(path, data={"csrf": "0" * 64, "buyer.name": "Mallory"}, headers={"origin": ORIGIN}).status_code == 403
    assert browser.app.state.interview.answers.value("buyer.name") == "Acme Devices Ltd"


def test_a_foreign_host_header_is_refused(browser):
    for host in ("evil.example", f"evil.example:{PORT}", f"127.0.0.1:{PORT + 1}", f"0.0.0.0:{PORT}"):
        refused = browser.client.get("/review", headers={"host": host})
        assert refused.status_code == 400 and "answers only to" in refused.text


def test_no_cors_and_no_framing(browser):
    asked = browser.client.options("/answers", headers={"origin": "http://evil.example", "access-control-request-method": "POST"})
    assert not any(h.startswith("access-control-") for h in asked.headers)
    page = browser.get("/review", headers={"origin": "http://evil.example"})
    assert not any(h.startswith("access-control-") for h in page.headers)
    assert page.headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in page.headers["content-security-policy"]


def test_downloads_are_served_by_name_only(browser):
    for path in ("/download/..%2F..%2Fpyproject.toml", "/download/../../etc/passwd", "/download/%2Fetc%2Fpasswd", "/download/agreement",
                 "/static/..%2F__init__.py", "/static/../app.py", "/static/%2e%2e%2fsecurity.py"):
        answer = browser.get(path)
        assert answer.status_code == 404, path
        assert "import" not in answer.text and "root:" not in answer.text


def test_an_oversized_upload_is_refused_before_it_is_read(browser):
    browser.load("v.yaml", VIETNAM)
    huge = VIETNAM + b"#" * (2 * 1024 * 1024)
    refused = browser.load("huge.yaml", huge)
    assert refused.status_code == 413 and "Too large" in refused.text
    large = VIETNAM + b"#" * (300 * 1024)  # under the server's limit, over an answers file's
    refused = browser.load("large.yaml", large)
    assert refused.status_code == 400 and "is larger than 256 KB" in refused.text
    assert browser.app.state.interview.answers.value("buyer.name") == "Acme Devices Ltd"


HOSTILE = {
    "object.yaml": (b"buyer: !!python/object/apply:os.system ['touch PWNED']\n", "buyer: unknown field"),
    "bomb.yaml": (b"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                  b"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
                  "alias"),
    "list.yaml": (b"- just\n- a list\n", "a deal file is a mapping"),
    "duplicate.yaml": (b"buyer:\n  name: A\n  name: B\n", "duplicate"),
    "agreement.docx": (b"PK\x03\x04" + b"\0" * 100, "not an answers file"),
    "latin1.yaml": ("buyer:\n  name: Société Générale\n".encode("latin-1"), "not a text file in UTF-8"),
    "broken.yaml": (b"buyer: [unclosed\n", "line"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_answers_file_is_refused_with_a_message_and_changes_nothing(browser, tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    browser.load("v.yaml", VIETNAM)
    content, said = HOSTILE[name]
    refused = browser.load(name, content)
    assert refused.status_code == 400, refused.text
    assert said.lower() in refused.text.lower() and "internal error" not in refused.text.lower()
    assert browser.app.state.interview.answers.value("buyer.name") == "Acme Devices Ltd"
    assert not (tmp_path / "PWNED").exists()


def test_values_from_an_answers_file_are_shown_as_text_never_run(browser):
    hostile = VIETNAM.replace(b"name: Acme Devices Ltd", b"name: \"<script>alert(1)</script> {{ 7*7 }} <img src=x onerror=alert(2)>\"")
    browser.load("v.yaml", hostile)
    for path in ("/review", "/s/parties"):
        html = browser.get(path).text
        assert "<script>alert(1)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} &lt;img src=x onerror=alert(2)&gt;" in html
