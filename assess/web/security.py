"""What every request passes before it reaches a page: the token, the Host header, the CSRF
token of a browser's writes, the size of a body, and the headers every answer carries
(docs/serve.md, Security)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import socket
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "assess_token"
"""The cookie holding the token after the first visit (HttpOnly, SameSite=Strict)."""
CSRF_HEADER = "x-csrf-token"
"""The header a page's script sends its CSRF token in; a form sends it as ``?csrf=``."""
MAX_BODY_BYTES = 64 * 1024 * 1024
"""The largest request body (an uploaded bundle or form): 64 MiB."""
_MIB = MAX_BODY_BYTES >> 20
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
"""No inline script, nothing from elsewhere, no framing."""
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def new_token() -> str:
    """A random token for the URL (128 bits and more)."""
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class Access:
    """Who may talk to the server and how it is reached."""

    token: str
    """The secret in the printed URL."""
    hosts: frozenset[str]
    """The ``Host`` header values accepted (lower case, with the port)."""
    port: int = 0
    """The port served."""
    is_any_address: bool = False
    """Served on every address (``--host 0.0.0.0``): a Host that is an IP address and the port
    is accepted too (DNS rebinding needs a name, and the machine's addresses are not known)."""

    def accepts(self, host: str) -> bool:
        """Whether a request naming ``host`` in its Host header is served."""
        if host in self.hosts:
            return True
        if not self.is_any_address:
            return False
        name, _, port = host.rpartition(":")
        try:
            ipaddress.ip_address(name.strip("[]"))
        except ValueError:
            return False
        return port == str(self.port)

    @property
    def csrf(self) -> str:
        """The CSRF token pages carry: derived from the token, so it needs no storage and no
        page can forge it without reading one of ours."""
        return hmac.new(self.token.encode(), b"csrf", hashlib.sha256).hexdigest()[:32]

    @staticmethod
    def for_address(token: str, host: str, port: int) -> Access:
        """The hosts a browser may name: the address served and ``localhost``."""
        names = {f"[{host}]" if ":" in host else host, "localhost"}
        is_any = host in ("0.0.0.0", "::")
        if is_any:
            names.add(socket.gethostname())
        return Access(
            token,
            frozenset(f"{name.lower()}:{port}" for name in names),
            port=port,
            is_any_address=is_any,
        )


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def _problem(status: int, text: str, request: Request) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"problems": [text]}, status_code=status)
    return PlainTextResponse(f"{status}: {text}\n", status_code=status)


class Guard:
    """ASGI middleware: refuses what the contract refuses, adds the security headers."""

    def __init__(self, app: ASGIApp, access: Access) -> None:
        self.app = app
        self.access = access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refused = self._refusal(request)
        if refused is not None:
            await _with_headers(refused)(scope, receive, send)
            return
        if (
            request.query_params.get("token") is not None
            and request.method == "GET"
            and not request.url.path.startswith("/api/")
        ):
            # The token moves into a cookie and out of the address bar and history.
            query = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
            target = URL(path=request.url.path, query=urlencode(query))
            response = RedirectResponse(str(target), status_code=303)
            response.set_cookie(
                COOKIE, self.access.token, httponly=True, samesite="strict", path="/"
            )
            await _with_headers(response)(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.encode(), v.encode()) for k, v in _HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_with_headers(message)

        try:
            await self.app(scope, _limited(receive), send_tracked)
        except BodyTooLarge:
            if started:
                raise
            too_large = _problem(413, f"the body is larger than {_MIB} MiB", request)
            await _with_headers(too_large)(scope, receive, send)

    def _refusal(self, request: Request) -> Response | None:
        host = request.headers.get("host", "").lower()
        if not self.access.accepts(host):
            return _problem(400, "unexpected Host header (DNS rebinding is refused)", request)
        authorization = request.headers.get("authorization", "")
        bearer = authorization[7:].strip() if authorization[:7].lower() == "bearer " else None
        if bearer is not None:
            if not _same(bearer, self.access.token):
                return _problem(401, "wrong token: use the URL assess serve printed", request)
            return self._too_large(request)
        cookie = request.cookies.get(COOKIE)
        query = request.query_params.get("token")
        if not (_same(cookie, self.access.token) or _same(query, self.access.token)):
            return _problem(401, "no token: open the URL assess serve printed", request)
        if request.method not in SAFE_METHODS:
            # A browser's write: the page's CSRF token, and no other site's Origin.
            csrf = request.headers.get(CSRF_HEADER) or request.query_params.get("csrf")
            if not _same(csrf, self.access.csrf):
                return _problem(403, "missing or wrong CSRF token: reload the page", request)
            origin = request.headers.get("origin")
            if origin is not None and not self.access.accepts(origin.split("://", 1)[-1].lower()):
                return _problem(403, f"a write from another site ({origin}) is refused", request)
        return self._too_large(request)

    @staticmethod
    def _too_large(request: Request) -> Response | None:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return _problem(413, f"the body is larger than {_MIB} MiB", request)
        return None


class BodyTooLarge(Exception):
    """A body sent without a length grew past :data:`MAX_BODY_BYTES`."""


async def too_large(request: Request, error: Exception) -> Response:
    """The answer to a body that grew past the limit while it was read."""
    return _problem(413, f"the body is larger than {_MIB} MiB", request)


def _limited(receive: Receive) -> Receive:
    seen = 0

    async def limited() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_BODY_BYTES:  # read at each message: a test may lower it
                raise BodyTooLarge
        return message

    return limited


_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}


def _with_headers(response: Response) -> Response:
    for key, value in _HEADERS.items():
        response.headers[key] = value
    return response
