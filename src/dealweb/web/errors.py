"""The one place an error becomes JSON: every failed request answers with the same shape.

::

    {"error": {"status": 422, "code": "validation", "message": "1 problem: …",
               "problems": [{"where": "query", "field": "limit", "rule": "less_than_equal",
                             "message": "Input should be less than or equal to 1000"}]}}

``code`` is one of :data:`CODES`. Library errors (:class:`~dealweb.errors.DealwebError`),
FastAPI's request validation, unknown routes (404), wrong methods (405) and unexpected
exceptions (500, logged, never with a traceback in the body) all go through
:func:`error_response`. :class:`ApiError` is the web layer's own member of the dealweb
exception tree, for rules only HTTP has (read-only, unauthorized, a malformed request).

Examples
--------
>>> body = error_body(404, "not_found", "no deal with id 'D999'")
>>> body["error"]["code"], body["error"]["problems"]
('not_found', [])
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from dealweb.errors import (
    ConvergenceError,
    DealwebError,
    DuplicateIdError,
    NotFoundError,
    Problem,
    StoreError,
    ValidationError,
)
from dealweb.web.jsonout import SafeJSONResponse

__all__ = ["CODES", "ApiError", "error_body", "error_response", "install_error_handlers", "problems_from_pydantic"]

log = logging.getLogger("dealweb.web")

#: Every ``code`` an error body may carry.
CODES = ("validation", "conflict", "not_found", "read_only", "unauthorized", "bad_request", "internal")

_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "read_only", 404: "not_found", 409: "conflict",
               422: "validation"}


class ApiError(DealwebError):
    """An error only HTTP knows: read-only server, missing token, malformed request.

    >>> str(ApiError(403, "read_only", "this server is read-only"))
    'this server is read-only'
    """

    def __init__(self, status: int, code: str, message: str, *, problems: Sequence[Problem] = (),
                 headers: Mapping[str, str] | None = None) -> None:
        if code not in CODES:
            raise ValueError(f"code must be one of {', '.join(CODES)}, got {code!r}")
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.problems = list(problems)
        self.headers = dict(headers or {})


def error_body(status: int, code: str, message: str, problems: Sequence[Problem] = ()) -> dict[str, Any]:
    """The error shape shared by every route."""
    return {"error": {"status": status, "code": code, "message": message, "problems": [p.to_dict() for p in problems]}}


def error_response(status: int, code: str, message: str, problems: Sequence[Problem] = (),
                   headers: Mapping[str, str] | None = None) -> Response:
    return SafeJSONResponse(error_body(status, code, message, problems), status_code=status, headers=dict(headers or {}))


def _field(loc: Sequence[Any]) -> str:
    """``("body", "scenario", "shocks", 0, "pays")`` → ``"scenario.shocks[0].pays"``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def problems_from_pydantic(errors: Sequence[Mapping[str, Any]]) -> list[Problem]:
    """FastAPI's request-validation errors as :class:`Problem` s: ``where`` is the part of the
    request (``query``, ``path``, ``body``, ``header``), ``field`` the parameter or body field.

    The offending input is not echoed (it may be long, or hostile).

    >>> problems_from_pydantic([{"loc": ("query", "kind", 0), "type": "enum", "msg": "Input should be 'debt'"}])
    [Problem(where='query', field='kind[0]', rule='enum', message="Input should be 'debt'")]
    """
    out = []
    for err in errors:
        loc = list(err.get("loc", ()))
        where = str(loc[0]) if loc else "request"
        out.append(Problem(where, _field(loc[1:]), str(err.get("type", "invalid")), str(err.get("msg", "is not valid"))))
    return out


def _summary(problems: Sequence[Problem]) -> str:
    n = len(problems)
    return f"{n} problem{'s' if n != 1 else ''}: " + "; ".join(str(p) for p in problems[:20])


def _dealweb_error(exc: DealwebError) -> Response:
    if isinstance(exc, ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.problems, exc.headers)
    if isinstance(exc, DuplicateIdError):
        return error_response(409, "conflict", str(exc), exc.problems)
    if isinstance(exc, ValidationError):
        return error_response(422, "validation", str(exc), exc.problems)
    if isinstance(exc, NotFoundError):
        return error_response(404, "not_found", str(exc))
    if isinstance(exc, StoreError):
        log.error("store error: %s", exc)
        return error_response(503, "internal", "the database cannot be read or written (for example, the disk is "
                              "full); nothing was written; see the server log", headers={"Retry-After": "30"})
    if isinstance(exc, ConvergenceError):
        return error_response(500, "internal", f"a solver did not converge: {exc}")
    log.error("unclassified dealweb error: %r", exc)
    return error_response(500, "internal", str(exc))


async def _on_dealweb_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DealwebError)
    return _dealweb_error(exc)


async def _on_request_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = problems_from_pydantic(exc.errors())
    if problems and all(p.rule == "json_invalid" for p in problems):
        return error_response(400, "bad_request", "the request body is not valid JSON", problems)
    return error_response(422, "validation", _summary(problems), problems)


_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _allowed_methods(request: Request) -> str:
    """Every method any route allows on this path. Starlette names only the first route that
    matches the path, and a path may have several (``GET`` and ``PATCH /api/deals/{id}``)."""
    state = request.app.state
    table: list[tuple[re.Pattern[str], set[str]]] | None = getattr(state, "route_methods", None)
    if table is None:
        table = [(re.compile("^" + re.sub(r"\\\{[^}/]+\\\}", "[^/]+", re.escape(path)) + "$"),
                  {m.upper() for m in ops if m in _METHODS}) for path, ops in request.app.openapi()["paths"].items()]
        state.route_methods = table
    methods = set().union(*(ms for rx, ms in table if rx.match(request.url.path)))
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


async def _on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    headers = dict(exc.headers or {})
    if status == 404:
        message = f"no route {request.url.path}" if exc.detail in (None, "Not Found") else str(exc.detail)
        return error_response(404, "not_found", message, headers=headers)
    if status == 405:
        allowed = _allowed_methods(request) or headers.get("allow") or headers.get("Allow") or ""
        if allowed:
            headers = {k: v for k, v in headers.items() if k.lower() != "allow"} | {"Allow": allowed}
        return error_response(405, "bad_request", f"method {request.method} is not allowed on {request.url.path}"
                              + (f"; allowed: {allowed}" if allowed else ""), headers=headers)
    code = _HTTP_CODES.get(status, "internal" if status >= 500 else "bad_request")
    return error_response(status, code, str(exc.detail or "request failed"), headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Route every expected error through :func:`error_response` (500s: see :mod:`dealweb.web.security`)."""
    app.add_exception_handler(DealwebError, _on_dealweb_error)
    app.add_exception_handler(RequestValidationError, _on_request_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)
