"""The report as PDF: the self-contained HTML report, printed by a headless Chromium.

:func:`report_pdf` builds the HTML report (:func:`~dealweb.web.report.build_report`), opens it in
Chromium through Playwright (no network: the file holds its data and code, and its
Content-Security-Policy loads nothing), waits until the page has drawn the map, loops, stress
scenario and deals, puts the stress run's story and losses beside the loops, lists every deal in the
table (not 50 a page), and prints it with the page's print stylesheet (A4 landscape, backgrounds on,
no controls). The page is laid out for paper from the start, so the map is drawn for its printed box.

Chromium is the system's (Debian's ``/usr/bin/chromium``, or the executable named by
``DEALWEB_CHROMIUM``), never a download; Playwright is the Python package ``playwright``. When
either is missing, :class:`~dealweb.web.report.ReportError` says which and how to get it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from dealweb.web.report import ReportError, build_report

__all__ = ["DEFAULT_CHROMIUM", "chromium_path", "html_to_pdf", "report_pdf"]

DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
_LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]
# A4 landscape at 96 px/inch, less 10 mm margins, at the print scale: the page is laid out at
# this width on screen first, so the map's canvas already has its printed size.
_SCALE = 0.7
_WIDTH_PX = int((297 - 20) / 25.4 * 96 / _SCALE)
_HEIGHT_PX = int((210 - 20) / 25.4 * 96 / _SCALE)


def chromium_path(chromium: str | os.PathLike[str] | None = None) -> Path:
    """The Chromium to print with: ``chromium``, else ``$DEALWEB_CHROMIUM``, else ``/usr/bin/chromium``.

    Raises
    ------
    ReportError
        There is no such file.
    """
    path = Path(chromium or os.environ.get("DEALWEB_CHROMIUM") or DEFAULT_CHROMIUM)
    if not path.is_file():
        raise ReportError(f"PDF output needs Chromium, and there is none at {path}: install it (Debian/Ubuntu: "
                          "apt-get install chromium) or name it with DEALWEB_CHROMIUM; or write the report as .html "
                          "and print it from a browser")
    return path


def _playwright() -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ReportError("PDF output needs the pdf extra: pip install 'dealweb[pdf]' (the system's Chromium is "
                          "used; no browser download); or write the report as .html and print it from a browser") from None
    return sync_playwright


def html_to_pdf(html: str, *, chromium: str | os.PathLike[str] | None = None, timeout_s: float = 120.0) -> bytes:
    """Print a self-contained map page (one that sets ``body[data-ready]`` when drawn) to PDF bytes."""
    browser_path = chromium_path(chromium)
    sync_playwright = _playwright()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(browser_path), args=_LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": _WIDTH_PX, "height": _HEIGHT_PX})
            # Laid out for paper from the start (the page's print stylesheet: no controls), so the map
            # is drawn for its printed box.
            page.emulate_media(media="print")
            page.set_content(html, wait_until="load", timeout=timeout_s * 1000)
            page.wait_for_selector("body[data-ready='true']", timeout=timeout_s * 1000)
            page.evaluate("async () => { const d = window.dealweb || {}; "
                          "if (d.forPrint) await d.forPrint(); else if (d.allDeals) await d.allDeals(); }")
            page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
            pdf: bytes = page.pdf(format="A4", landscape=True, print_background=True, scale=_SCALE,
                                  margin={"top": "10mm", "bottom": "10mm", "left": "10mm", "right": "10mm"})
        finally:
            browser.close()
    return pdf


def report_pdf(source: Any, *, scenario: str = "openai-pays-40", chromium: str | os.PathLike[str] | None = None) -> bytes:
    """The report of :func:`~dealweb.web.report.build_report` as PDF bytes.

    Raises
    ------
    ReportError
        Chromium or Playwright is missing, or the page cannot be made into one file.
    ValidationError
        ``scenario`` is neither a shipped scenario nor an entity id.
    """
    chromium_path(chromium)  # fail before the slow part
    _playwright()
    return html_to_pdf(build_report(source, scenario=scenario), chromium=chromium)
