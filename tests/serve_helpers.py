"""A signed-in test client over ``clausewright serve``'s application, for the route and security
tests: it opens the printed address (token), keeps the session cookie, and sends this server's
Origin and the page's CSRF token with each form, as a browser does."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.testclient import TestClient

from clausewright.web import Keys, create_app

PORT = 8732
ORIGIN = f"http://127.0.0.1:{PORT}"
TOKEN = "test-token-of-this-run"


class Browser:
    def __init__(self, sources, session_file: Path):
        self.keys = Keys(PORT, token=TOKEN)
        self.app = create_app(sources, session_file, self.keys)
        self.client = TestClient(self.app, base_url=ORIGIN, follow_redirects=True)
        first = self.client.get(f"/?token={TOKEN}")
        assert first.status_code == 200, first.text
        self.csrf = csrf_of(first.text)

    def get(self, path: str, **kwargs):
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict | None = None, *, files=None, headers: dict | None = None, **kwargs):
        fields = {"csrf": self.csrf, **(data or {})}
        return self.client.post(path, data=fields, files=files, headers={"origin": ORIGIN, **(headers or {})}, **kwargs)

    def load(self, name: str, content: bytes):
        return self.post("/answers", files={"file": (name, content, "application/yaml")})

    def update(self, section: str, data: dict, trigger: str):
        """What htmx posts when ``trigger`` changes on a section page."""
        return self.post(f"/s/{section}/update", data, headers={"hx-request": "true", "hx-trigger-name": trigger})


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def field_html(html: str, dom_id: str) -> str:
    """The element ``<div class="field ..." id="dom_id"...>`` up to the next field."""
    start = html.index(f'id="{dom_id}"')
    start = html.rindex("<div", 0, start)
    end = html.find('<div class="field', start + 10)
    return html[start: end if end != -1 else len(html)]
