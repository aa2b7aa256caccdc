"""Benchmark of the map in a real browser: ``python benchmarks/web_bench.py`` (from the repository root).

Not part of the installed package: it needs the repository's dev dependencies (Playwright)
and Debian's Chromium, and measures the page the package ships.

Starts the app twice on loopback (uvicorn, in this process): once over the bundled web, once
also serving a seeded synthetic network (:func:`dealweb.scale.synth.synthetic_network`, 5,000 nodes
and 10,000 edges by default) as the user's own (``dealweb serve --network``). Headless
Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright) then measures, against the
issue's targets:

* ``GET /api/network`` on the bundled web (warm, over loopback), target 100 ms;
* first meaningful render of the page: navigation start to the ``dealweb:ready`` mark (map
  drawn, loops and deals loaded), target 1.5 s;
* a stress run from the click on *Run* to the recoloured map (the next frame after it), 1 s;
* for the synthetic network: ``GET /api/user-network`` (server side: validation, Hodge
  potentials, positions, circularity, cycles), and the load time in the page: navigation to
  the ``dealweb:user-drawn`` mark (elements added and the first frame painted), with its parts,
  target 3 s for the first paint of 5,000 nodes and 10,000 edges;
* the frame time of programmatic pan and zoom (``requestAnimationFrame`` intervals while the
  map is panned and zoomed every frame), on the bundled web (the baseline, same run) and on
  the synthetic one: interactive means under 50 ms a frame (20 frames a second).

Nothing here is a test: it prints numbers. See ``docs/map.md`` for results.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

import dealweb
from dealweb.network import Network
from dealweb.scale.synth import synthetic_network
from dealweb.web.app import create_app
from dealweb.web.live import serve_in_thread

__all__ = ["main", "run"]

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
TARGETS = {"network_api_ms": 100.0, "first_render_ms": 1500.0, "stress_ms": 1000.0, "frame_ms": 50.0,
           "first_paint_large_ms": 3000.0}

_FRAMES_JS = """async (frames) => {
  const cy = window.dealwebMap;
  cy.fit(undefined, 30);
  const times = [];
  let last = null;
  await new Promise((done) => {
    let k = 0;
    const step = (t) => {
      if (last !== null) times.push(t - last);
      last = t;
      if (k >= frames) { done(); return; }
      // pan for a while, then zoom in and out round the centre, as a user would
      if (k % 40 < 20) cy.panBy({ x: 6, y: 4 });
      else cy.zoom({ level: cy.zoom() * (k % 40 < 30 ? 1.04 : 1 / 1.04),
                     renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
      k += 1;
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  return times;
}"""

_STRESS_JS = """async () => {
  const before = document.body.dataset.stressVersion || '';
  const t0 = performance.now();
  document.getElementById('s-run').click();
  while ((document.body.dataset.stressVersion || '') === before) await new Promise((r) => setTimeout(r, 2));
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - t0;
}"""

_DRAW_JS = """async () => {
  const t0 = performance.now();
  const resp = await (await fetch('api/user-network')).json();
  const t1 = performance.now();
  window.dealweb.drawUser(resp);
  const t2 = performance.now();
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return [t1 - t0, t2 - t1, performance.now() - t0];
}"""


@contextlib.contextmanager
def _serve(db: Path, network: Network | None) -> Iterator[str]:
    ledger = dealweb.open(str(db))
    try:
        with serve_in_thread(create_app(ledger, network=network, network_name="synthetic.parquet")) as url:
            yield url
    finally:
        ledger.close()


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def p(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {"n": len(values), "median": statistics.median(values), "p95": p(0.95), "p99": p(0.99), "max": ordered[-1]}


def _api_latency(url: str, path: str, requests: int) -> dict[str, float]:
    with httpx.Client(base_url=url, timeout=60) as client:
        client.get(path).raise_for_status()  # warm the cache
        times = []
        for _ in range(requests):
            t0 = time.perf_counter()
            client.get(path).raise_for_status()
            times.append((time.perf_counter() - t0) * 1000)
    return _stats(times)


def _page(browser: Any, url: str, ready: str = "body[data-ready='true']") -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(ready, timeout=120_000)
    return page


def _mark(page: Any, name: str) -> float:
    return float(page.evaluate(f"performance.getEntriesByName({name!r})[0].startTime"))


def run(*, nodes: int = 5000, edges: int = 10_000, repeats: int = 3, frames: int = 160, seed: int = 0) -> dict[str, Any]:
    """Measure everything once per repeat; returns the raw numbers (milliseconds)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise SystemExit(f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    net = synthetic_network(nodes, edges, seed=seed)
    out: dict[str, Any] = {"nodes": nodes, "edges": edges}
    with tempfile.TemporaryDirectory(prefix="dealweb-bench-") as tmp:
        db = Path(tmp) / "ledger.sqlite"
        dealweb.open(str(db)).close()  # fill it with the bundled dataset once
        with _serve(db, None) as plain, _serve(db, net) as own, sync_playwright() as p:
            out["network_api"] = _api_latency(plain, "api/network?bundle=true", 200)
            t0 = time.perf_counter()
            httpx.get(own + "api/user-network", timeout=120).raise_for_status()
            out["user_network_api_cold_ms"] = (time.perf_counter() - t0) * 1000
            out["user_network_api"] = _api_latency(own, "api/user-network", 20)
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            first, stress_ms, base_frames, load, user_ready, user_drawn, big_frames = [], [], [], [], [], [], []
            for _ in range(repeats):
                page = _page(browser, plain)
                first.append(_mark(page, "dealweb:ready"))
                page.click("#tab-stress")
                page.select_option("#s-scenario", "openai-fails")
                stress_ms.append(float(page.evaluate(_STRESS_JS)))
                base_frames += page.evaluate(_FRAMES_JS, frames)[5:]
                page.context.close()

                page = _page(browser, own, "body[data-user-ready='true']")
                page.wait_for_function("performance.getEntriesByName('dealweb:user-drawn').length > 0", timeout=120_000)
                user_ready.append(_mark(page, "dealweb:user-ready"))
                user_drawn.append(_mark(page, "dealweb:user-drawn"))
                load.append(page.evaluate(_DRAW_JS))
                big_frames += page.evaluate(_FRAMES_JS, frames)[5:]
                drawn = page.evaluate("[dealwebMap.nodes().length, dealwebMap.edges().length]")
                page.context.close()
            browser.close()
    out.update(first_render=_stats(first), stress=_stats(stress_ms), frames_bundled=_stats(base_frames),
               user_ready=_stats(user_ready), user_drawn=_stats(user_drawn), user_fetch=_stats([x[0] for x in load]),
               user_draw=_stats([x[1] for x in load]), user_load=_stats([x[2] for x in load]),
               frames_user=_stats(big_frames), drawn=drawn)
    return out


def _line(label: str, s: dict[str, float], target: float | None = None, base: dict[str, float] | None = None) -> str:
    text = f"{label:<44} median {s['median']:8.1f} ms  p95 {s['p95']:8.1f}  max {s['max']:8.1f}  (n={s['n']})"
    if target is not None:
        text += f"  {s['median'] / target:5.2f}× target {target:g} ms"
    if base is not None:
        text += f"  {s['median'] / base['median']:5.2f}× bundled web"
    return text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python benchmarks/web_bench.py", description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--frames", type=int, default=160)
    parser.add_argument("--seed", type=int, default=0)
    a = parser.parse_args(argv)
    r = run(nodes=a.nodes, edges=a.edges, repeats=a.repeats, frames=a.frames, seed=a.seed)
    print("bundled web (72 companies, ~190 deals):")
    print(_line("  GET /api/network?bundle=true (warm)", r["network_api"], TARGETS["network_api_ms"]))
    print(_line("  first meaningful render (nav → ready)", r["first_render"], TARGETS["first_render_ms"]))
    print(_line("  stress: click Run → recoloured map", r["stress"], TARGETS["stress_ms"]))
    print(_line("  pan/zoom frame (rAF interval)", r["frames_bundled"], TARGETS["frame_ms"]))
    print(f"synthetic network ({r['nodes']:,} nodes, {r['edges']:,} edges; drawn {r['drawn'][0]:,} nodes, "
          f"{r['drawn'][1]:,} edges):")
    print(f"  GET /api/user-network, first (computes)   {r['user_network_api_cold_ms']:8.1f} ms")
    print(_line("  GET /api/user-network (cached)", r["user_network_api"]))
    print(_line("  page: nav → elements added", r["user_ready"]))
    print(_line("  page: nav → first frame painted (load time)", r["user_drawn"], TARGETS["first_paint_large_ms"]))
    print(_line("  in page: fetch + parse", r["user_fetch"]))
    print(_line("  in page: drawUser (add elements)", r["user_draw"]))
    print(_line("  in page again: fetch → painted", r["user_load"]))
    print(_line("  pan/zoom frame (rAF interval)", r["frames_user"], TARGETS["frame_ms"], r["frames_bundled"]))


if __name__ == "__main__":
    main()
