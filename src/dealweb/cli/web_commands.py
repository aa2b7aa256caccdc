"""``dealweb serve`` (the map and its JSON API on loopback) and ``dealweb report`` (one HTML file)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer

import dealweb
from dealweb.cli import app
from dealweb.cli.ledger_commands import DbOption
from dealweb.cli.output import console, err_console

_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind; loopback by default (this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    db: DbOption = None,
    write_token: Annotated[str | None, typer.Option(
        "--write-token", envvar="DEALWEB_WRITE_TOKEN", show_envvar=True,
        help="Allow writes (add/edit deals, import) to requests that send 'Authorization: Bearer TOKEN'. "
             "Prefer the environment variable: a flag shows in the process list.")] = None,
    network: Annotated[Path | None, typer.Option(
        "--network", help="Also serve your own network: an edge list (.csv, .tsv or .parquet with columns source, "
                          "target, amount); the page opens on it.")] = None,
    nodes: Annotated[Path | None, typer.Option(
        "--nodes", help="With --network: a node table (columns id, optional name and kind).")] = None,
) -> None:
    """Serve the map and its JSON API (read-only unless a write token is given)."""
    import uvicorn

    from dealweb.web import create_app
    from dealweb.web.live import check_port
    from dealweb.web.usernet import load_network

    if write_token is not None and not write_token.strip():
        raise typer.BadParameter("the write token must not be empty", param_hint="--write-token")
    if nodes is not None and network is None:
        raise typer.BadParameter("--nodes goes with --network", param_hint="--nodes")
    own = load_network(network, nodes=nodes) if network is not None else None
    ledger = dealweb.open(db)  # an empty ledger gets the bundled dataset, as with `dealweb run`
    loopback = _is_loopback(host)
    allowed = [host, *_LOOPBACK_NAMES] if loopback else None
    web = create_app(ledger, read_only=write_token is None, token=write_token, allowed_hosts=allowed,
                     network=own, network_name=network.name if network is not None else "")
    mode = "read-only" if write_token is None else "writes allowed with the token"
    check_port(host, port)  # before the URL is printed: a taken port is an error, not a dead link
    console.print(f"Ledger: {ledger.url}", markup=False, soft_wrap=True)
    if own is not None:
        console.print(f"Your network: {network} ({own.n_nodes:,} nodes, {own.n_edges:,} edges)", markup=False,
                      soft_wrap=True)
    console.print(f"The map: {_url(host, port)} ({mode}; Ctrl+C to stop)", markup=False, soft_wrap=True)
    console.print(f"API docs: {_url(host, port)}api/docs", markup=False, soft_wrap=True)
    if not loopback:
        err_console.print(f"Warning: {host} is not a loopback address; other machines can reach this server "
                          "(plain HTTP, no TLS).", markup=False)
    uvicorn.run(web, host=host, port=port, log_level="warning", server_header=False)


@app.command()
def report(
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write: .html (self-contained, opens "
                                         "offline) or .pdf (printed by the system's Chromium).")],
    db: DbOption = None,
    scenario: Annotated[str, typer.Option(help="Stress scenario to show: a shipped scenario or an entity id (it "
                                          "fails).")] = "openai-pays-40",
) -> None:
    """Write the map, headline numbers, loops, a stress scenario and the deals as one HTML file that opens
    offline, or as PDF (-o report.pdf)."""
    from dealweb.web.pdf import report_pdf
    from dealweb.web.report import build_report

    pdf = output.suffix.lower() == ".pdf"
    content = (report_pdf(dealweb.open(db), scenario=scenario) if pdf
               else build_report(dealweb.open(db), scenario=scenario).encode("utf-8"))
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".part")
    tmp.write_bytes(content)
    tmp.replace(output)
    what = "PDF" if pdf else "self-contained; open it in a browser"
    console.print(f"Wrote {output} ({len(content) / 1e6:.1f} MB, {what})", markup=False)
