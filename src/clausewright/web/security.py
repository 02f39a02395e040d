"""What keeps the local server to the lawyer who started it.

The server listens on 127.0.0.1 only, and every request must pass, in this order:

- **Host**: ``127.0.0.1:PORT`` or ``localhost:PORT`` exactly, so a web page whose own name was
  made to point at 127.0.0.1 (DNS rebinding) is refused;
- **size**: a body larger than ``MAX_BODY`` (or of unstated length) is refused before it is read;
- **Origin** on every request that changes something: this server's own origin, and a browser
  that says the request is cross-site (``Sec-Fetch-Site``) is refused;
- **who**: the session cookie this server set, or the secret token it printed, which then sets
  the cookie (HttpOnly, SameSite=Strict) and is taken out of the address;
- **CSRF**: every form and every partial update carries the session's CSRF token
  (``check_csrf``), a keyed hash of the session, compared in constant time.

No response allows another origin to read it (no CORS headers, ever), every page forbids being
framed and loading anything but this server's own scripts and styles.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 1024 * 1024  # bytes in one request: an answers file is a few kilobytes
SAFE_METHODS = ("GET", "HEAD")
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"

HEADERS = {
    "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # not no-referrer: browsers then send "Origin: null" with forms
    "cache-control": "no-store",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


class Forbidden(Exception):
    """A request that fails a check; ``status`` and ``message`` are the answer."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class Keys:
    """The secrets of one server run: the token it prints, and the key CSRF tokens are made with."""

    def __init__(self, port: int, token: str | None = None):
        self.port = port
        self.token = token or secrets.token_urlsafe(32)
        self._key = secrets.token_bytes(32)
        self._sessions: set[str] = set()
        self.cookie = f"clausewright-{port}"
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}

    def url(self, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}/?token={self.token}"

    def new_session(self) -> str:
        session = secrets.token_urlsafe(32)
        self._sessions.add(session)
        return session

    def known(self, session: str | None) -> bool:
        return bool(session) and any(hmac.compare_digest(session or "", s) for s in self._sessions)

    def token_matches(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def csrf(self, session: str) -> str:
        return hmac.new(self._key, session.encode(), hashlib.sha256).hexdigest()

    def csrf_matches(self, session: str, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.csrf(session).encode())


def session_of(scope: Scope, keys: Keys) -> str | None:
    """The session the request's cookie names, when it is one of this run's."""
    cookie = SimpleCookie()
    try:
        cookie.load(Headers(scope=scope).get("cookie", ""))
    except Exception:
        return None
    morsel = cookie.get(keys.cookie)
    return morsel.value if morsel is not None and keys.known(morsel.value) else None


def check_csrf(keys: Keys, session: str | None, form_value: str | None, header_value: str | None) -> None:
    if session is None or not (keys.csrf_matches(session, form_value) or keys.csrf_matches(session, header_value)):
        raise Forbidden(403, "This form has expired or did not come from this page. Reload the page and try again.")


class Guard:
    """ASGI middleware applying the checks above to every HTTP request."""

    def __init__(self, app: ASGIApp, keys: Keys):
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                await self.app(scope, receive, send)
            return
        try:
            session = self._admit(scope)
        except Forbidden as exc:
            await _send_with_headers(PlainTextResponse(exc.message + "\n", status_code=exc.status), scope, receive, send)
            return
        if session is None:  # the token was right: set the cookie and drop the token from the address
            session = self.keys.new_session()
            query = urlencode([(k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode()) if k != "token"])
            response: Response = RedirectResponse(scope["path"] + (f"?{query}" if query else ""), status_code=303)
            response.set_cookie(self.keys.cookie, session, httponly=True, samesite="strict", path="/")
            await _send_with_headers(response, scope, receive, send)
            return
        scope.setdefault("state", {})["session"] = session
        await self.app(scope, receive, _with_headers(send))

    def _admit(self, scope: Scope) -> str | None:
        """The request's session; None when it has none but the right token. Raises ``Forbidden``."""
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if host not in self.keys.hosts:
            raise Forbidden(400, f"This server answers only to http://127.0.0.1:{self.keys.port}/ (the request named {host[:80]!r}).")
        length = headers.get("content-length")
        method = scope["method"]
        if method not in SAFE_METHODS:
            if length is None and headers.get("transfer-encoding"):
                raise Forbidden(411, "A request must state its length.")
            if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
                raise Forbidden(413, f"Too large: at most {MAX_BODY // 1024} KB can be sent (an answers file is a few KB).")
            origin = headers.get("origin")
            if origin not in {f"http://{h}" for h in self.keys.hosts} or headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
                raise Forbidden(403, "Refused: the request did not come from this server's own pages.")
        session = session_of(scope, self.keys)
        if session is not None:
            return session
        token = dict(parse_qsl(scope.get("query_string", b"").decode())).get("token")
        if method in SAFE_METHODS and self.keys.token_matches(token):
            return None
        raise Forbidden(403, "Open the address that `clausewright serve` printed (it holds this run's secret token).")


def _with_headers(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if not k.lower().startswith(b"access-control-")]
            headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
            message = dict(message, headers=headers)
        await send(message)

    return sending


async def _send_with_headers(response: Response, scope: Scope, receive: Receive, send: Send) -> None:
    await response(scope, receive, _with_headers(send))
