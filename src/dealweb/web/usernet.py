"""Your own network on the map: an edge list (CSV or Parquet) instead of the deal ledger.

A researcher's network (a payment or trade-credit network, a synthetic one) has no deals,
sources or balance sheets, only edges ``source → target`` with an ``amount``. It is read with
:meth:`dealweb.network.Network.from_edges` (which validates it and names the row, column and
rule of every problem), and :func:`user_network_payload` turns it into what the map draws:

* Cytoscape.js elements with **preset positions computed here in NumPy** (the browser runs no
  layout): ``concentric`` puts the nodes on evenly spaced rings by their Helmholtz–Hodge
  potential (the sources of money in the middle, where it ends up outside), ``circle`` one
  ring in the order of the potential. Each layout is a flat ``[x0, y0, x1, y1, …]`` list in node order.
* The measures that apply to a plain network: the circularity index (maximum circulation over
  gross volume, :func:`~dealweb.circularity.max_circulation`), the Hodge loop share and the
  longest loops by bottleneck (:func:`~dealweb.circularity.find_cycles`, up to 4 edges). The
  ledger-only measures (round trips, vendor financing, company cards, stress tests, which need
  deal kinds, dates and balance sheets) do not apply and the page hides them.

The work is bounded: the loop search looks at no more than :data:`MAX_CYCLES_SEARCHED` loops
and :data:`CYCLE_SECONDS` seconds (a dense network of a few hundred nodes has billions of short
loops); when it stops early the measures say so (``cycles_complete`` false, and ``cycles_note``:
"too many loops; showing the best 50 of the first 200,000 found"). A ``stop`` callable (the
web app passes one that turns true when the client disconnects or the server shuts down) ends it
sooner.

>>> import pandas as pd
>>> from dealweb.network import Network
>>> net = Network.from_edges(pd.DataFrame({"source": ["a", "b", "c"], "target": ["b", "c", "a"], "amount": [5.0, 3, 4]}))
>>> data = user_network_payload(net, name="demo.csv")
>>> len(data["elements"]["nodes"]), data["measures"]["circularity_index"], data["measures"]["cycles"][0]["names"]
(3, 0.75, ['a', 'b', 'c'])
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dealweb.circularity import find_cycles, hodge_decomposition, max_circulation
from dealweb.errors import FormatError, Problem, ValidationError
from dealweb.network import Network
from dealweb.network.results import jsonable
from dealweb.web.cyto import cytoscape_elements

__all__ = ["CYCLE_SECONDS", "MAX_CYCLES_SEARCHED", "MAX_EDGES", "MAX_NODES", "MAX_UPLOAD_BYTES", "layout_positions",
           "load_network", "read_upload", "user_network_payload"]

#: The largest upload ``POST /api/user-network`` reads.
MAX_UPLOAD_BYTES = 20 * 2**20
#: The most nodes and edges the map draws (the analyses in Python go much further).
MAX_NODES = 20_000
MAX_EDGES = 50_000
#: The most loops the search enumerates for one network, and the seconds it may take.
MAX_CYCLES_SEARCHED = 200_000
CYCLE_SECONDS = 10.0
_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet", ".pq")
_RINGS = 8
_GOLDEN = np.pi * (3 - np.sqrt(5))


def _check_size(net: Network, label: str) -> Network:
    problems = []
    if net.n_nodes > MAX_NODES:
        problems.append(Problem(label, "", "too_many_nodes", f"has {net.n_nodes:,} nodes; the map draws at most "
                                f"{MAX_NODES:,} (use the Python API or the CLI for larger networks)"))
    if net.n_edges > MAX_EDGES:
        problems.append(Problem(label, "", "too_many_edges", f"has {net.n_edges:,} edges; the map draws at most "
                                f"{MAX_EDGES:,} (use the Python API or the CLI for larger networks)"))
    if net.n_edges == 0:
        problems.append(Problem(label, "", "no_edges", "has no edges"))
    if problems:
        raise ValidationError(problems)
    return net


def _with_node_table(net: Network, nodes: pd.DataFrame) -> Network:
    """Names (``name`` or ``label`` column) and kinds (``kind``) from a node table, if it has them."""
    names = next((c for c in ("name", "label") if c in nodes.columns), None)
    kinds = nodes["kind"].astype(str).tolist() if "kind" in nodes.columns else None
    return replace(net, node_names=tuple(nodes[names].astype(str)) if names else None,
                   node_kinds=tuple(kinds) if kinds else None)


def _read_nodes(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_parquet(path) if path.suffix.lower() in (".parquet", ".pq") else pd.read_csv(
            path, sep="\t" if path.suffix.lower() == ".tsv" else ",")
    except (OSError, ValueError) as exc:
        raise FormatError([Problem(path.name, "", "unreadable", f"cannot be read: {exc}")]) from None
    if "id" not in frame.columns:
        raise FormatError([Problem(path.name, "id", "missing_column", "has no column 'id'")])
    repeated = np.flatnonzero(frame["id"].astype(str).duplicated().to_numpy())
    if repeated.size:
        raise ValidationError([Problem(f"{path.name} row {int(r) + 2}", "id", "duplicate_id", "repeats an id given above")
                               for r in repeated[:20]])
    return frame


def load_network(edges: str | Path, *, nodes: str | Path | None = None, source: str = "source",
                 target: str = "target", amount: str = "amount", edge_id: str | None = None) -> Network:
    """A network from an edge file (and optionally a node file with ``id``, ``name``, ``kind``),
    validated by :meth:`~dealweb.network.Network.from_edges` and checked against the map's limits.

    Raises
    ------
    FormatError
        A file cannot be read or lacks a column.
    ValidationError
        A bad amount, an unknown node, a repeated node id, or more than the map draws.
    """
    if nodes is None:
        net = Network.from_edges(edges, source=source, target=target, amount=amount, edge_id=edge_id)
    else:
        table = _read_nodes(Path(nodes))
        net = _with_node_table(Network.from_edges(edges, source=source, target=target, amount=amount,
                                                  edge_id=edge_id, nodes=table, node_id="id"), table)
    return _check_size(net, Path(edges).name)


def _safe_name(filename: str) -> str:
    name = Path(filename.replace("\\", "/")).name
    name = re.sub(r"[^A-Za-z0-9._-]", "_", name)[:100]
    if not name.lower().endswith(_SUFFIXES):
        raise FormatError([Problem(name or "upload", "", "unknown_format",
                                   f"is not {', '.join(_SUFFIXES)}: name the file by its format")])
    return name


def read_upload(content: bytes, filename: str, *, source: str = "source", target: str = "target",
                amount: str = "amount", edge_id: str | None = None) -> Network:
    """A network from an uploaded edge file's bytes (CSV or Parquet, by ``filename``'s suffix)."""
    name = _safe_name(filename)
    with tempfile.TemporaryDirectory(prefix="dealweb-network-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        return load_network(path, source=source, target=target, amount=amount, edge_id=edge_id)


def _ring_positions(order: np.ndarray, ring: np.ndarray, spacing: float = 14.0) -> np.ndarray:
    """Nodes ``order`` placed on rings ``ring`` (0 = centre), evenly round each ring, each ring turned
    by the golden angle from the one inside it. Ring ``r``
    has radius ``(r + 1) · step`` (a single node on the first ring sits in the centre), with
    ``step`` the smallest that keeps neighbours on every ring about ``spacing`` apart."""
    n = len(order)
    xy = np.zeros((n, 2))
    rings = int(ring.max(initial=-1)) + 1
    sizes = np.bincount(ring, minlength=rings)
    step = max([sizes[r] * spacing / (2 * np.pi) / (r + 1) for r in range(rings)] + [4 * spacing])
    for r in range(rings):
        members = order[ring[order] == r]
        k = len(members)
        if not k:
            continue
        radius = 0.0 if (r == 0 and k == 1) else (r + 1) * step
        # each ring starts a golden angle further round, so that rings of one node each (a small
        # network) do not all start at the top and draw the network as a vertical line
        angle = -np.pi / 2 + r * _GOLDEN + 2 * np.pi * np.arange(k) / k
        xy[members, 0] = radius * np.cos(angle)
        xy[members, 1] = radius * np.sin(angle)
    return xy


def layout_positions(net: Network, potential: np.ndarray) -> dict[str, list[float]]:
    """``{"concentric": [...], "circle": [...]}``: flat ``x, y`` lists in node order.

    Concentric: ``_RINGS`` rings by rank of potential, highest potential (the sources of money)
    in the middle; ring ``r`` holds a share of the nodes proportional to ``r + 1``, so that nodes
    are about evenly spaced on every ring; nodes with no edge on an outer ring of their own.
    Circle: one ring in decreasing potential, so money mostly flows one way round.
    """
    n = net.n_nodes
    degree = np.bincount(net.src, minlength=n) + np.bincount(net.dst, minlength=n)
    linked = degree > 0
    n_linked = max(int(linked.sum()), 1)
    order = np.lexsort((np.arange(n), -potential))  # highest potential first, ties by index
    rank = np.empty(n, dtype=np.int64)
    rank[order[linked[order]]] = np.arange(int(linked.sum()))
    rank[~linked] = 0
    weights = np.arange(1, _RINGS + 1, dtype=np.float64)
    bounds = np.cumsum(weights) / weights.sum() * n_linked  # ring r ends before rank bounds[r]
    ring = np.where(linked, np.searchsorted(bounds, rank, side="right"), _RINGS)
    concentric = _ring_positions(order, ring)
    circle = _ring_positions(order, np.zeros(n, dtype=np.int64), spacing=10.0)
    return {"concentric": np.round(concentric, 1).ravel().tolist(), "circle": np.round(circle, 1).ravel().tolist()}


def user_network_payload(net: Network, *, name: str = "your network", cycle_limit: int = 50,
                         stop: Callable[[], bool] | None = None) -> dict[str, Any]:
    """What the map draws for a plain network: elements with positions, layouts and measures.

    The loop search is bounded (see the module docstring); ``stop`` ends it early.
    """
    n = net.n_nodes
    degree = np.bincount(net.src, minlength=n) + np.bincount(net.dst, minlength=n)
    hodge = hodge_decomposition(net)
    potential = np.where(degree > 0, hodge.potential, -np.inf)
    layouts = layout_positions(net, potential)
    elements, _ = cytoscape_elements(net, positions=layouts["concentric"], potential=hodge.potential)
    ids = [e["data"]["id"] for e in elements["edges"]]
    taken = set(net.nodes)
    circulation = max_circulation(net)
    deadline = time.monotonic() + CYCLE_SECONDS
    stopped = [False]

    def budget() -> bool:
        stopped[0] = stopped[0] or time.monotonic() > deadline or (stop is not None and stop())
        return stopped[0]

    found = find_cycles(net, max_length=4, limit=cycle_limit, max_found=MAX_CYCLES_SEARCHED, stop=budget)
    complete = not stopped[0] and found.total_found < MAX_CYCLES_SEARCHED
    edge_index = net.edge_ids is not None

    def edge_ref(x: Any) -> str:
        return ids[int(x)] if not edge_index else (f"edge:{x}" if str(x) in taken else str(x))

    cycles = [{"rank": r, "length": c.length, "nodes": list(c.nodes), "names": [net.name(net.index[v]) for v in c.nodes],
               "bottleneck": c.bottleneck, "hop_amounts": list(c.hop_amounts),
               "deal_ids": [[edge_ref(x) for x in hop] for hop in c.deal_ids]}
              for r, c in enumerate(found.cycles, start=1)]
    head = circulation.headline()
    measures = {"circularity_index": head["circularity_index"], "circular_volume": head["circular_volume"],
                "gross": net.gross, "loop_share": hodge.headline()["loop_share"],
                "cycles_found": found.headline()["cycles"], "cycles": cycles, "cycles_complete": complete,
                "cycles_note": "" if complete else (f"too many loops to list them all; showing the best {len(cycles)} of "
                                                    f"the first {found.total_found:,} found")}
    data: dict[str, Any] = jsonable({
        "name": name, "elements": elements, "layouts": layouts,
        "n_nodes": n, "n_edges": net.n_edges, "measures": measures,
        "params": {"source": net.params.get("source", name)}, "undisclosed": [],
    })
    return data
