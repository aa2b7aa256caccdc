"""The app factory: one FastAPI app over one ledger.

>>> import dealweb
>>> app = create_app(dealweb.open(":memory:"))
>>> "/api/network" in app.openapi()["paths"], app.state.dealweb.read_only
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import FileResponse, Response

import dealweb
from dealweb.extract.text import MAX_BYTES as MAX_TEXT_BYTES
from dealweb.ledger import Ledger
from dealweb.network import Network
from dealweb.web.api import AppState, router
from dealweb.web.apidocs import install_api_docs
from dealweb.web.cache import LedgerCache
from dealweb.web.errors import error_response, install_error_handlers
from dealweb.web.extract_routes import extract_router, extract_write_router
from dealweb.web.security import DEFAULT_MAX_BODY, BodyLimitMiddleware, SecurityMiddleware
from dealweb.web.usernet import MAX_UPLOAD_BYTES
from dealweb.web.writes import MAX_IMPORT_BYTES, write_router

__all__ = ["STATIC_DIR", "create_app"]

#: The page: index.html, main.js and the ES modules it imports, app.css and the vendored Cytoscape.js.
STATIC_DIR = Path(__file__).resolve().parent / "static"

_DESCRIPTION = """The deal web as JSON: entities, deals, the network as Cytoscape.js elements, cycles and
circularity measures, company risk, stress tests and exports. Every error has the shape
`{"error": {"status", "code", "message", "problems": [{"where", "field", "rule", "message"}]}}`.
Writes need `Authorization: Bearer <token>` and a server started with a write token."""


def create_app(ledger: Ledger, *, read_only: bool = True, token: str | None = None,
               static_dir: str | Path | None = None, allowed_hosts: Iterable[str] | None = None,
               network: Network | None = None, network_name: str = "your network") -> FastAPI:
    """A FastAPI app serving ``ledger``'s JSON API at ``/api`` and the map at ``/``.

    Parameters
    ----------
    ledger
        The ledger to serve (see :func:`dealweb.open`).
    read_only
        Refuse every write (403). Writes are possible only with ``read_only=False`` and a ``token``.
    token
        The write token; requests that write must send ``Authorization: Bearer <token>``.
    static_dir
        The folder with ``index.html`` (default: the page shipped in the package).
    allowed_hosts
        Host names the server answers to (DNS-rebinding guard); ``None`` answers to any.
    network, network_name
        A network of the user's own (see :mod:`dealweb.web.usernet`), served at
        ``/api/user-network``; the page opens on it.

    Raises
    ------
    ValueError
        ``read_only=False`` without a token, or an empty token.
    """
    if token is not None and not token.strip():
        raise ValueError("token must not be empty")
    if not read_only and token is None:
        raise ValueError("a writable app needs a token: create_app(ledger, read_only=False, token=...)")
    writable = not read_only and token is not None
    app = FastAPI(title="dealweb", version=dealweb.__version__, description=_DESCRIPTION,
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    install_api_docs(app, title="dealweb")
    app.state.dealweb = AppState(cache=LedgerCache(ledger), read_only=not writable, user_network=network,
                                 user_network_name=network_name)
    app.state.write_token = token if writable else None
    install_error_handlers(app)
    # Multipart and transfer framing take a little room beyond the file limits themselves.
    app.add_middleware(BodyLimitMiddleware, default=DEFAULT_MAX_BODY, limits={
        "/api/import": MAX_IMPORT_BYTES + 2**20, "/api/user-network": MAX_UPLOAD_BYTES + 2**16,
        "/api/extract": 2 * MAX_TEXT_BYTES + 2**20, "/api/extract/import": 2 * MAX_TEXT_BYTES + 2**20,
    })
    app.add_middleware(SecurityMiddleware, allowed_hosts=allowed_hosts)
    app.include_router(router)
    app.include_router(write_router)
    app.include_router(extract_router)
    app.include_router(extract_write_router)

    folder = Path(static_dir) if static_dir is not None else STATIC_DIR

    @app.get("/", include_in_schema=False)
    def index(request: Request) -> Response:
        page = folder / "index.html"
        if not page.is_file():
            return error_response(503, "internal", "the front end is not built: "
                                  "src/dealweb/web/static/index.html is missing; the JSON API works at /api")
        return FileResponse(page, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=folder, check_dir=False), name="static")
    return app
