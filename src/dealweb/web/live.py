"""Serve the app on a free loopback port in a background thread, for benchmarks and browser tests.

``dealweb serve`` runs uvicorn in the foreground; the benchmark (``benchmarks/web_bench.py``) and the
browser tests need the same server beside a driving browser in one process.
"""

from __future__ import annotations

import contextlib
import errno
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

from dealweb.errors import DealwebError

__all__ = ["ServerStartError", "check_port", "free_port", "serve_in_thread"]


class ServerStartError(DealwebError):
    """The background server did not start within its deadline, or its port cannot be had."""


def check_port(host: str, port: int) -> None:
    """Raise :class:`ServerStartError` unless a server could listen on ``host:port`` now.

    ``dealweb serve`` asks before it prints its URL, so a taken port is a one-line error rather
    than a link to someone else's server. (The probe is closed again; uvicorn binds a moment later.)
    """
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: past TIME_WAIT, not a listener
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                reason = "is already in use" if exc.errno == errno.EADDRINUSE else "needs more rights than this user has"
                raise ServerStartError(f"port {port} on {host} {reason}: stop what runs there or pick another "
                                       "with --port") from None
            raise ServerStartError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


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
