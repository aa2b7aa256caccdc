"""Take the screenshots in docs/map.md: the map's states in Debian's Chromium.

    python scripts/map_screenshots.py              # all states, into docs/img/
    python scripts/map_screenshots.py --out /tmp/shots first phone

Starts the app on a free loopback port over the bundled dataset (read-only, in a temporary file), opens
each state by its URL (every view of the map is a link) and saves ``map-<state>.png``.
Needs Playwright's Python package and Chromium at /usr/bin/chromium (or ``--chromium PATH``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

#: name → (query string, viewport, what to do after load)
STATES: dict[str, tuple[str, dict[str, int], str]] = {
    "first": ("", DESKTOP, ""),
    "entity": ("?entity=nvidia", DESKTOP, ""),
    "loop": ("?loop=1", DESKTOP, ""),
    "stress": ("?scenario=openai-fails", DESKTOP, ""),
    "story": ("?step=1", DESKTOP, ""),
    "all": ("?view=all", DESKTOP, ""),
    "phone": ("", PHONE, ""),
    "phone-card": ("?entity=nvidia", PHONE, ""),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("states", nargs="*", help=f"which states (default all): {', '.join(STATES)}")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "img")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--full-page", action="store_true", help="capture the whole page, not the first screen")
    args = parser.parse_args(argv)
    unknown = [s for s in args.states if s not in STATES]
    if unknown:
        parser.error(f"unknown state(s) {', '.join(unknown)}; choose from {', '.join(STATES)}")
    from playwright.sync_api import sync_playwright

    import dealweb
    from dealweb.web.app import create_app
    from dealweb.web.live import serve_in_thread

    args.out.mkdir(parents=True, exist_ok=True)
    tmp = tempfile.TemporaryDirectory(prefix="dealweb-shots-")
    ledger = dealweb.open(str(Path(tmp.name) / "ledger.sqlite"))  # filled with the bundled dataset
    with serve_in_thread(create_app(ledger)) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=LAUNCH_ARGS)
        for name in args.states or list(STATES):
            query, viewport, _ = STATES[name]
            page = browser.new_page(viewport=viewport, device_scale_factor=1)
            errors: list[str] = []
            page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
            t0 = time.monotonic()
            page.goto(url + query)
            page.wait_for_selector("body[data-ready=true]", timeout=30_000)
            page.wait_for_timeout(700)  # animations
            path = args.out / f"map-{name}.png"
            page.screenshot(path=str(path), full_page=args.full_page)
            print(f"{path}  ({time.monotonic() - t0:.1f} s){'  console errors: ' + '; '.join(errors) if errors else ''}")
            page.close()
        browser.close()
    ledger.close()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
