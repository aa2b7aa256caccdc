"""Serve the app on a free loopback port in a background thread, for benchmarks and browser tests.

``dealweb serve`` runs uvicorn in the foreground; the benchmark (``benchmarks/web_bench.py``) and the
browser tests need the same server beside a driving browser in one process.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

from dealweb.errors import DealwebError

__all__ = ["ServerStartError", "free_port", "serve_in_thread"]


class ServerStartError(DealwebError):
    """The background server did not start within its deadline."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve_in_thread(app: Any, *, timeout: float = 30.0) -> Iterator[str]:
    """Run ``app`` under uvicorn on 127.0.0.1 in a daemon thread; yield its base URL, stop it on exit.

    Raises
    ------
    ServerStartError
        The server did not report started within ``timeout`` seconds, or its thread died.
    """
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            raise ServerStartError(f"the server on 127.0.0.1:{port} did not start within {timeout:g} s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
