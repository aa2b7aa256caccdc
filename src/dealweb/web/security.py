"""What keeps the local server safe: security headers, allowed hosts, the write token, 500s.

* Every response carries :data:`SECURITY_HEADERS`: a Content-Security-Policy that lets the
  page run only its own scripts (no inline script, nothing from elsewhere), ``nosniff`` and
  no referrer. The one exception is the Swagger UI at ``/api/docs`` (vendored, served from
  here), which starts with an inline script; that page shows the OpenAPI schema only, never data.
* Requests whose ``Host`` is not allowed are refused (DNS-rebinding: a web page that points
  its own domain at 127.0.0.1 cannot read the local API).
* An unexpected exception is logged with its traceback and answered with the JSON error
  shape, status 500, code ``internal`` and no traceback.
* Every request body is bounded (:class:`BodyLimitMiddleware`): a ``Content-Length`` over the
  route's limit is refused (413) before a byte is read, and a body sent without one (chunked)
  is cut off with a 413 as soon as it passes the limit, so a 300 MB body never reaches memory.
  The limits are :data:`DEFAULT_MAX_BODY` (1 MiB: a stress request, a deal) and the larger ones
  the upload routes name.
* Writes need ``Authorization: Bearer <token>``, compared in constant time
  (:func:`hmac.compare_digest`). Without a configured token the server is read-only (403);
  a missing or wrong token is 401. There are no cookies, so a cross-site form cannot write
  (CSRF): browsers never attach the header on their own.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable, Coroutine, Iterable, Mapping
from typing import Any

from fastapi import HTTPException, Request
from fastapi.routing import APIRoute
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dealweb.errors import FormatError
from dealweb.ledger.formats.limits import load_json
from dealweb.web.errors import ApiError, error_response

__all__ = ["CSP", "DEFAULT_MAX_BODY", "DOCS_CSP", "SECURITY_HEADERS", "BodyLimitMiddleware", "SecurityMiddleware",
           "StrictJsonRoute", "WriteRoute", "check_write_access"]

#: The largest request body a route takes unless it names a larger limit, in bytes.
DEFAULT_MAX_BODY = 2**20

log = logging.getLogger("dealweb.web")

CSP = ("default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'")
# The API docs page starts Swagger UI with an inline script; its assets are served from here.
DOCS_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self' 'unsafe-inline'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
_DOCS_PATHS = frozenset({"/api/docs", "/api/docs/oauth2-redirect"})


class SecurityMiddleware:
    """ASGI middleware: security headers on every response, the Host check, and JSON 500s.

    Parameters
    ----------
    app
        The wrapped application.
    allowed_hosts
        Host names (without port) the server answers to; ``None`` answers to any.
    """

    def __init__(self, app: ASGIApp, *, allowed_hosts: Iterable[str] | None = None) -> None:
        self.app = app
        self.allowed_hosts = None if allowed_hosts is None else frozenset(h.lower().strip("[]") for h in allowed_hosts)

    def _host_ok(self, scope: Scope) -> bool:
        if self.allowed_hosts is None or "*" in self.allowed_hosts:
            return True
        host = Headers(scope=scope).get("host", "").lower()
        if host.startswith("["):  # [::1]:8000
            name = host[1:].split("]", 1)[0]
        else:
            name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return name in self.allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope.get("path") in _DOCS_PATHS else CSP
        started = False

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                headers["Content-Security-Policy"] = csp
            await send(message)

        if not self._host_ok(scope):
            response = error_response(400, "bad_request", "this server does not answer to that Host header")
            await response(scope, receive, send_secured)
            return
        try:
            await self.app(scope, receive, send_secured)
        except Exception:
            log.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            response = error_response(500, "internal", "an unexpected error occurred; it has been logged on the server")
            await response(scope, receive, send_secured)


def _too_large(limit: int) -> str:
    size = f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 1024} KB"
    return f"the request body is larger than {size}, the most this route takes"


class BodyLimitMiddleware:
    """ASGI middleware: refuse request bodies past a per-path limit (413), by header and while streaming.

    Parameters
    ----------
    app
        The wrapped application.
    default
        The limit of every path not in ``limits``, in bytes.
    limits
        Larger (or smaller) limits by exact path, e.g. ``{"/api/import": 51 * 2**20}``.
    """

    def __init__(self, app: ASGIApp, *, default: int = DEFAULT_MAX_BODY, limits: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.default = default
        self.limits = dict(limits or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope.get("path", ""), self.default)
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await error_response(413, "bad_request", _too_large(limit))(scope, receive, send)
            return
        seen = 0

        async def bounded() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # FastAPI passes an HTTPException raised while reading a body through unchanged.
                    raise HTTPException(413, _too_large(limit))
            return message

        await self.app(scope, bounded, send)


def check_write_access(request: Request) -> None:
    """Raise :class:`~dealweb.web.errors.ApiError` unless the request may write.

    The app's ``state.write_token`` is ``None`` on a read-only server.
    """
    token: str | None = getattr(request.app.state, "write_token", None)
    if token is None:
        raise ApiError(403, "read_only", "this server is read-only: start it with --write-token (or "
                       "DEALWEB_WRITE_TOKEN) to allow writes")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiError(401, "unauthorized", "writes need the header 'Authorization: Bearer <token>'",
                       headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8")):
        raise ApiError(401, "unauthorized", "the write token is wrong", headers={"WWW-Authenticate": "Bearer"})


class _StrictJsonRequest(Request):
    """A request whose JSON body is read by the importers' rules: a key twice in one object, nesting
    past the depth limit or text that is not UTF-8 is refused (422) instead of the last key winning."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            body = await self.body()
            try:
                text = body.decode("utf-8")
                self._json = load_json(text, "body", one_line=b"\n" not in body, exact=False)
            except UnicodeDecodeError as exc:
                raise HTTPException(422, f"the request body is not UTF-8 text (byte {exc.start})") from None
            except FormatError as exc:
                if all(p.rule == "json" for p in exc.problems):
                    json.loads(text)  # text that is not JSON at all: FastAPI's own 400 (json_invalid), as before
                raise HTTPException(422, "; ".join(f"{p.where}: {p.message} [{p.rule}]" for p in exc.problems)) from None
        return self._json


class StrictJsonRoute(APIRoute):
    """Every API route: its JSON body parsed by :func:`~dealweb.ledger.formats.limits.load_json`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handler(_StrictJsonRequest(request.scope, request.receive))

        return strict


class WriteRoute(StrictJsonRoute):
    """A route that checks write access before FastAPI reads or validates the body,
    so a read-only server answers 403 even to a malformed write."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            check_write_access(request)
            return await handler(request)

        return guarded
