"""Benchmark and bounded load test of the API: ``python benchmarks/loadtest.py`` (or ``make loadtest``).

It lives outside the installed package (it is a tool for developers, not part of dealweb) and
uses only dealweb's public app factory, so it runs from a checkout with the project's
environment: ``.venv/bin/python benchmarks/loadtest.py --clients 50 --requests 200``.

Two measurements on the bundled web (a fresh ledger in a temporary SQLite file):

1. **In process** (FastAPI's test client): ``--requests`` sequential ``GET /api/network`` after
   one warm-up request, median and 99th percentile latency. This is the route's own cost
   (cache lookup, content-version query, JSON), without a network stack.
2. **Over loopback** (a real uvicorn server on 127.0.0.1, in its own process, and ``--clients`` concurrent
   ``httpx.AsyncClient`` connections): for ``--duration`` seconds (or ``--requests`` in all
   when no duration is given), each client loops over the ``--paths`` (default: the network
   and a stress run); latency percentiles per path, throughput and the number of errors.

Nothing here is asserted by the test suite (timings depend on the machine); ``docs/api.md``
quotes the numbers with the command that produced them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

import dealweb
from dealweb.ledger import Ledger
from dealweb.web.app import create_app

__all__ = ["Sample", "in_process", "main", "over_loopback"]

#: Method, path and JSON body of each request kind.
REQUESTS: dict[str, tuple[str, str, Any]] = {
    "network": ("GET", "/api/network", None),
    "network-2024": ("GET", "/api/network?as_of=2024-12-31", None),
    "stress": ("POST", "/api/stress", {"scenario": "openai-pays-40"}),
    "cycles": ("GET", "/api/cycles", None),
    "deals": ("GET", "/api/deals?limit=100", None),
}


@dataclass
class Sample:
    """Latencies (seconds) of one kind of request, and how many failed."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    def quantile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]

    def line(self, seconds: float | None = None) -> str:
        rate = f", {len(self.latencies) / seconds:,.0f} req/s" if seconds else ""
        return (f"{self.name:<14} n={len(self.latencies):>6}  median {1e3 * statistics.median(self.latencies):7.2f} ms  "
                f"p99 {1e3 * self.quantile(0.99):7.2f} ms  max {1e3 * max(self.latencies):7.2f} ms  "
                f"errors {self.errors}{rate}")


@contextlib.contextmanager
def _ledger(db: str | None) -> Iterator[Ledger]:
    if db is not None:
        led = dealweb.open(db)
        yield led
        led.close()
        return
    with tempfile.TemporaryDirectory(prefix="dealweb-bench-") as tmp:
        led = dealweb.open(str(Path(tmp) / "bench.sqlite"))
        yield led
        led.close()


def in_process(ledger: Ledger, *, requests: int = 200, path: str = "/api/network") -> Sample:
    """Sequential requests through FastAPI's test client (after one warm-up)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Starlette's notice about httpx2
        from fastapi.testclient import TestClient
    client = TestClient(create_app(ledger))
    sample = Sample(f"in-process {path}")
    client.get(path).raise_for_status()
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(path)
        sample.latencies.append(time.perf_counter() - start)
        sample.errors += response.status_code != 200
    return sample


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


#: The child process: serve a ledger on loopback (its own interpreter, so the clients do not share its GIL).
_SERVE = ("import uvicorn; from dealweb.ledger import Ledger; from dealweb.web.app import create_app; "
          "uvicorn.run(create_app(Ledger({db!r})), host='127.0.0.1', port={port}, log_level='warning', backlog=4096)")


@contextlib.contextmanager
def _server(ledger: Ledger) -> Iterator[str]:
    port = _free_port()
    db = ledger.engine.url.database
    if not db:
        raise ValueError("the load test serves a ledger in a SQLite file")
    code = _SERVE.format(db=db, port=port)
    process = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1.0).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


async def _load(base: str, kinds: Sequence[str], clients: int, duration: float | None, requests: int) -> \
        tuple[dict[str, Sample], float]:
    samples = {k: Sample(k) for k in kinds}
    budget = {"left": requests}
    # One client (one keep-alive connection) per simulated user: a shared pool of hundreds of
    # connections costs the load generator more than the server.
    one = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    users = [httpx.AsyncClient(base_url=base, limits=one, timeout=120.0) for _ in range(clients)]
    try:
        for kind in kinds:  # warm the cache: the load test measures serving, the first run measures computing
            method, path, body = REQUESTS[kind]
            (await users[0].request(method, path, json=body)).raise_for_status()
        start = time.perf_counter()
        stop = start + duration if duration else None

        async def worker(offset: int, client: httpx.AsyncClient) -> None:
            i = offset
            while (time.perf_counter() < stop) if stop else budget["left"] > 0:
                if not stop:
                    budget["left"] -= 1
                kind = kinds[i % len(kinds)]
                i += 1
                method, path, body = REQUESTS[kind]
                t0 = time.perf_counter()
                try:
                    response = await client.request(method, path, json=body)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                samples[kind].latencies.append(time.perf_counter() - t0)
                samples[kind].errors += not ok

        await asyncio.gather(*(worker(i, c) for i, c in enumerate(users)))
        elapsed = time.perf_counter() - start
    finally:
        for c in users:
            await c.aclose()
    return samples, elapsed


def _client_process(base: str, kinds: Sequence[str], clients: int, duration: float | None,
                    requests: int) -> tuple[dict[str, Sample], float]:
    return asyncio.run(_load(base, kinds, clients, duration, requests))


def over_loopback(ledger: Ledger, *, clients: int = 50, duration: float | None = None, requests: int = 200,
                  kinds: Sequence[str] = ("network", "stress"), processes: int = 1) -> tuple[dict[str, Sample], float]:
    """A real uvicorn server on 127.0.0.1 and ``clients`` concurrent connections, spread over
    ``processes`` client processes (one Python process cannot keep a fast server busy)."""
    with _server(ledger) as base:
        if processes <= 1:
            return _client_process(base, kinds, clients, duration, requests)
        shares = [clients // processes + (i < clients % processes) for i in range(processes)]
        budgets = [requests // processes + (i < requests % processes) for i in range(processes)]
        context = multiprocessing.get_context("spawn")
        with context.Pool(processes) as pool:
            parts = pool.starmap(_client_process, [(base, kinds, c, duration, b) for c, b in zip(shares, budgets,
                                                                                              strict=True)])
        merged = {k: Sample(k) for k in kinds}
        for samples, _ in parts:
            for k, sample in samples.items():
                merged[k].latencies += sample.latencies
                merged[k].errors += sample.errors
        return merged, max(elapsed for _, elapsed in parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/loadtest.py", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="requests in process (and over loopback without "
                        "--duration); default 200")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients over loopback; default 50")
    parser.add_argument("--duration", type=float, default=None, help="seconds of load over loopback (default: "
                        "--requests requests in all)")
    parser.add_argument("--paths", default="network,stress", help=f"request kinds over loopback, of {', '.join(REQUESTS)}")
    parser.add_argument("--processes", type=int, default=1, help="client processes sharing --clients; default 1")
    parser.add_argument("--db", default=None, help="ledger to serve (default: a fresh one with the bundled data)")
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.paths.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in REQUESTS]
    if unknown:
        parser.error(f"unknown request kinds {unknown}; known: {', '.join(REQUESTS)}")
    with _ledger(args.db) as ledger:
        print(f"dealweb {dealweb.__version__}, ledger {ledger.url}")
        print(in_process(ledger, requests=args.requests).line())
        samples, elapsed = over_loopback(ledger, clients=args.clients, duration=args.duration, requests=args.requests,
                                         kinds=kinds, processes=args.processes)
        what = f"{args.duration:g} s" if args.duration else f"{args.requests} requests"
        print(f"over loopback: uvicorn, {args.clients} concurrent clients in {args.processes} process(es), {what}, "
              f"{elapsed:.1f} s")
        for sample in samples.values():
            print(sample.line(elapsed))
        return 1 if any(s.errors for s in samples.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
