"""The interactive API docs at ``/api/docs``, served from the vendored Swagger UI so they work offline.

FastAPI's default page loads Swagger UI from a CDN and its favicon from fastapi.tiangolo.com; with
no network the page stays blank. Here the page, its script, stylesheet and favicon all come from
this server: the files are under ``static/vendor/swagger-ui`` (see the README there for the
version, licence and checksums), mounted at ``/api/docs/assets``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

__all__ = ["ASSETS_URL", "DOCS_URL", "SWAGGER_DIR", "install_api_docs"]

SWAGGER_DIR = Path(__file__).with_name("static") / "vendor" / "swagger-ui"
DOCS_URL = "/api/docs"
ASSETS_URL = "/api/docs/assets"
_REDIRECT_URL = "/api/docs/oauth2-redirect"


def install_api_docs(app: FastAPI, *, title: str) -> None:
    """Add ``/api/docs`` (Swagger UI over ``app.openapi_url``) with every asset served locally."""
    openapi_url = app.openapi_url or "/api/openapi.json"

    @app.get(DOCS_URL, include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url, title=f"{title} — API docs", oauth2_redirect_url=_REDIRECT_URL,
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js", swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon-32x32.png",
            # No validator badge: it would send the spec to validator.swagger.io.
            swagger_ui_parameters={"validatorUrl": None})

    @app.get(_REDIRECT_URL, include_in_schema=False)
    def api_docs_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    app.mount(ASSETS_URL, StaticFiles(directory=SWAGGER_DIR), name="api-docs-assets")
