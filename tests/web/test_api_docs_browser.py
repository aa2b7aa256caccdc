"""/api/docs in a real browser with every other host blocked: Swagger UI draws the API offline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium "
                                "(.ci/run installs it; `playwright install` cannot download a browser here)")
sync_api = pytest.importorskip("playwright.sync_api")
pytest.importorskip("uvicorn")

import dealweb  # noqa: E402
from conftest import live_server  # noqa: E402
from dealweb.web.app import create_app  # noqa: E402

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    ledger = dealweb.open(":memory:")
    with live_server(create_app(ledger)) as base:
        yield base
    ledger.close()


def test_swagger_ui_draws_with_no_network(url: str) -> None:
    elsewhere: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        page = browser.new_page()

        def only_here(route: object) -> None:
            request_url = route.request.url  # type: ignore[attr-defined]
            if request_url.startswith(url):
                route.continue_()  # type: ignore[attr-defined]
            else:
                elsewhere.append(request_url)
                route.abort()  # type: ignore[attr-defined]

        page.route("**/*", only_here)
        page.goto(url + "api/docs")
        page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
        assert "dealweb" in page.inner_text(".swagger-ui .info .title")
        assert page.locator(".opblock-summary-path[data-path='/api/deals']").count() >= 1
        browser.close()
    assert elsewhere == []
