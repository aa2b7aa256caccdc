"""The "Add from article" page in a real browser (Debian's Chromium via Playwright) against the real server.

Paste an article, see the candidates with their evidence, tick and import with the write token.
The article carries markup and script as text: it must be shown as text, never run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium "
                                "(.ci/run installs it; `playwright install` cannot download a browser here)")
sync_api = pytest.importorskip("playwright.sync_api")
pytest.importorskip("uvicorn")

import dealweb  # noqa: E402
from conftest import bundled_counts, live_server, next_bundled_deal_id  # noqa: E402
from dealweb.web.app import create_app  # noqa: E402

N = bundled_counts()["deal"]
NEW_ID = next_bundled_deal_id()

TOKEN = "browser-extract-token"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
ARTICLE = ("Nvidia will invest $3 billion in Nebius, the companies said <img src=x onerror=window.__pwned=1>.\n"
           "Meta will rent $2 billion of capacity from Nscale. <script>window.__pwned=2</script>")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    ledger = dealweb.open(str(tmp_path_factory.mktemp("xbrowser") / "ledger.sqlite"))
    with live_server(create_app(ledger, read_only=False, token=TOKEN)) as url:
        yield url, ledger
    ledger.close()


ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture
def page(served: tuple[str, Any]) -> Iterator[tuple[Any, list[str]]]:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        pg = browser.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.goto(served[0] + "static/extract.html")
        yield pg, errors
        browser.close()


def test_paste_review_and_import(page: tuple[Any, list[str]], served: tuple[str, Any]) -> None:
    pg, errors = page
    ledger = served[1]
    pg.fill("#x-text", ARTICLE)
    pg.fill("#x-published", "2025-11-19")
    pg.fill("#x-title", "Two deals <b>bold</b>")
    pg.click("#x-find")
    pg.wait_for_selector("#x-deals tbody tr:nth-child(2)")
    rows = pg.locator("#x-deals tbody tr")
    assert rows.count() == 2
    assert "Nvidia → Nebius" in rows.nth(0).inner_text() and "same" not in rows.nth(0).inner_text()
    evidence = rows.nth(0).locator("td.x-evidence").inner_text()
    assert evidence.startswith("Nvidia will invest $3 billion in Nebius")
    # The calibrated confidence is shown beside each candidate.
    assert 0 < float(rows.nth(0).locator("td.x-confidence").inner_text()) <= 0.9
    # Under them, how often such candidates are right on real news the extractor has not seen.
    assert "had not seen" in pg.inner_text("#x-accuracy") and pg.locator("#x-accuracy").is_visible()
    # A candidate starts ticked from the cut the confidence fit chose, and the note says which cut and why.
    from dealweb.extract import pretick_note
    from dealweb.extract.confidence import pretick_at

    assert pretick_note() in pg.inner_text("#x-accuracy")
    for n in range(rows.count()):
        shown = float(rows.nth(n).locator("td.x-confidence").inner_text())
        assert rows.nth(n).locator("input[type=checkbox]").is_checked() == (shown >= pretick_at())
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "extract-review.png"), full_page=True)
    assert pg.evaluate("window.__pwned") is None and pg.locator("#x-deals img").count() == 0
    # Without the token the server says so, and nothing is written.
    pg.click("#x-import")
    pg.wait_for_selector("#x-error:not([hidden])")
    assert "Authorization: Bearer" in pg.inner_text("#x-error")
    assert ledger.counts()["deal"] == N
    # Tick the first deal (it may start ticked or not, by its confidence), untick the second, import with the token.
    rows.nth(0).locator("input[type=checkbox]").check()
    rows.nth(1).locator("input[type=checkbox]").uncheck()
    pg.fill("#x-token", TOKEN)
    pg.click("#x-import")
    pg.wait_for_selector("#x-result:not([hidden])")
    assert f"{NEW_ID}: new" in pg.inner_text("#x-result")
    assert ledger.deal(NEW_ID).payer == "nvidia" and ledger.counts()["deal"] == N + 1
    assert ledger.deal(NEW_ID).sources[0].title == "Two deals <b>bold</b>"
    assert errors == [e for e in errors if "401" in e]  # the refused import logs its 401; nothing else fails


def test_the_map_links_to_the_page(page: tuple[Any, list[str]], served: tuple[str, Any]) -> None:
    pg, _ = page
    pg.goto(served[0])
    pg.click("text=Add from article")
    pg.wait_for_selector("#x-text")
    assert pg.url.endswith("/static/extract.html")
