"""A projection as Cytoscape.js elements: what the map draws. One builder, :func:`cytoscape_elements`,
serves the deal web (:func:`network_elements`) and a network of the user's own
(:mod:`dealweb.web.usernet`).

One node per entity; one edge per counted deal from payer to recipient (the direction money or
value moves), exactly the edges of :func:`dealweb.project` for the same filters; or, with
``bundle=True``, **one arrow per ordered pair** carrying the total of its parallel deals, their
count and ids. Nothing is computed here that the projection, :func:`hodge_decomposition` and
:mod:`dealweb.circularity.headline` do not give.

Node data: ``id``, ``label`` (name), ``kind``, ``size_usd`` and ``size_basis`` (what the node is
sized by: ``market_cap``, ``valuation`` or ``deal_volume``, see
:func:`~dealweb.circularity.headline.company_sizes`; ``null`` when none), ``valuation_usd``
(newest valuation or market cap as of the projection date, the figure the stress tests take as
equity buffer; ``null`` when unknown), ``inflow`` and ``outflow`` (counted amounts in this
projection), ``degree`` (its edges), ``potential`` (Helmholtz–Hodge potential: higher is further
upstream in the money hierarchy; ``null`` for a company with no edge).

Edge data: ``id`` (the deal id, ``deal:<id>`` when an entity has the same id, since element ids
must be unique; ``pair:<source>><target>`` for a bundle), ``deal_id`` (the first deal),
``deal_ids`` (every deal on the arrow), ``count``, ``source``, ``target``, ``amount`` (counted USD
under the amount policy, summed over a bundle), ``kind`` (a bundle's kind with the most money),
``kinds``, ``status``, ``qualifier``, ``confidence``, ``announced`` (a single deal's), ``label``
(``"$30B"``, or ``"$40B · 3 deals"`` for a bundle), and for a bundle ``parts``: each deal's id, amount,
kind, status, confidence and date.

>>> import dealweb
>>> from dealweb.web.filters import NetworkFilters
>>> rs = dealweb.bundled_records()
>>> data = network_elements(rs, NetworkFilters())
>>> len(data["elements"]["edges"]) == dealweb.project(rs).n_edges
True
>>> core = network_elements(rs, NetworkFilters(), view="core", bundle=True)
>>> {n["data"]["id"] for n in core["elements"]["nodes"]} == set(core["headline"]["core"])
True
>>> sum(e["data"]["count"] for e in core["elements"]["edges"]) >= len(core["elements"]["edges"])
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import numpy as np

from dealweb.circularity.company import latest_figure
from dealweb.circularity.headline import SIZE_BASES, CompanySize, company_sizes, map_headline
from dealweb.circularity.hodge import hodge_decomposition
from dealweb.contagion.sheets import VALUATION_METRICS
from dealweb.model.records import Deal
from dealweb.model.recordset import RecordSet
from dealweb.network import Network, as_of_date
from dealweb.network.headline import format_usd
from dealweb.web.filters import NetworkFilters

__all__ = ["cytoscape_elements", "network_elements", "valuations"]


def valuations(records: RecordSet, as_of: str | None = None, *, ids: Iterable[str] | None = None) -> dict[str, float | None]:
    """Entity id → newest valuation (market cap, valuation, secondary, implied) by ``as_of``, or ``None``:
    the figure the stress tests take as equity buffer. For every entity, or those in ``ids``."""
    day = as_of_date(as_of)
    out: dict[str, float | None] = {}
    for entity_id in ids if ids is not None else (e.id for e in records.entities):
        fig = latest_figure(records.financials, entity_id, VALUATION_METRICS, day)
        out[entity_id] = float(fig.value) if fig is not None and fig.value is not None else None
    return out


def _deal_fields(d: Deal | None) -> dict[str, Any]:
    return {"kind": d.kind.value if d else None, "status": d.status.value if d else None,
            "qualifier": d.qualifier.value if d else None, "confidence": d.confidence.value if d else None,
            "announced": str(d.announced) if d else None}


def cytoscape_elements(net: Network, *, deals: Mapping[str, Deal] | None = None,
                       sizes: Mapping[str, CompanySize | None] | None = None,
                       values: Mapping[str, float | None] | None = None, keep: Sequence[str] | None = None,
                       bundle: bool = False, min_amount: float = 0.0,
                       positions: Sequence[float] | None = None,
                       potential: np.ndarray | None = None) -> tuple[dict[str, list[dict[str, Any]]], int]:
    """``({"nodes", "edges"}, hidden)``: the elements of ``net`` and how many edges ``min_amount`` hid.

    Parameters
    ----------
    deals
        Deal id → deal, for each edge's kind, status, qualifier, confidence and date (a plain
        network has none: those fields are ``null``).
    sizes, values
        Node id → :class:`~dealweb.circularity.headline.CompanySize` and → valuation (``null`` if unknown).
    keep
        Only these nodes (in this order) and the edges between them; default every node.
    bundle
        One arrow per ordered pair (total, count, ids) instead of one per deal.
    min_amount
        Hide edges (bundles) below this amount; they still count in ``inflow``/``outflow``,
        which describe the projection, not the drawing.
    positions
        Flat ``[x0, y0, x1, y1, …]`` in node order: preset positions.
    potential
        The Hodge potential of each node, when the caller has it already.
    """
    n = net.n_nodes
    inflow = np.bincount(net.dst, weights=net.amount, minlength=n)
    outflow = np.bincount(net.src, weights=net.amount, minlength=n)
    degree = np.bincount(net.src, minlength=n) + np.bincount(net.dst, minlength=n)
    if potential is None:
        potential = hodge_decomposition(net).potential if net.n_edges else np.zeros(n)
    kinds = net.node_kinds or ("other",) * n
    order = [net.index[v] for v in keep] if keep is not None else range(n)
    chosen = np.zeros(n, dtype=bool)
    chosen[list(order)] = True
    nodes = []
    for i in order:
        node = net.nodes[i]
        size = sizes.get(node) if sizes else None
        item: dict[str, Any] = {"data": {
            "id": node, "label": net.name(i), "kind": kinds[i], "valuation_usd": values.get(node) if values else None,
            "size_usd": size.value if size else None, "size_basis": size.basis if size else None,
            "inflow": float(inflow[i]), "outflow": float(outflow[i]), "degree": int(degree[i]),
            "potential": float(potential[i]) if degree[i] else None}}
        if positions is not None:
            item["position"] = {"x": positions[2 * i], "y": positions[2 * i + 1]}
        nodes.append(item)
    taken = set(net.nodes)
    ids = [str(x) for x in net.edge_ids] if net.edge_ids is not None else [f"e{k}" for k in range(net.n_edges)]
    inside = np.flatnonzero(chosen[net.src] & chosen[net.dst])
    groups: dict[tuple[int, int], list[int]] = {}
    for e in inside:
        groups.setdefault((int(net.src[e]), int(net.dst[e])) if bundle else (int(e), -1), []).append(int(e))
    edges = []
    hidden = 0
    for members in groups.values():
        if bundle:
            members.sort(key=lambda e: (-net.amount[e], ids[e]))
        amount = float(net.amount[members].sum())
        if amount < min_amount:
            hidden += 1
            continue
        first = ids[members[0]]
        d = deals.get(first) if deals else None
        src, dst = net.nodes[int(net.src[members[0]])], net.nodes[int(net.dst[members[0]])]
        by_kind: dict[str, float] = {}
        for m in members:
            k = deals[ids[m]].kind.value if deals and ids[m] in deals else None
            if k:
                by_kind[k] = by_kind.get(k, 0.0) + float(net.amount[m])
        if bundle:
            edge_id = f"pair:{src}>{dst}"
        else:
            edge_id = (f"deal:{first}" if deals is not None else f"edge:{first}") if first in taken else first
        plain = deals is None and not bundle  # a plain network's edges are referred to by element id
        data = {"id": edge_id, "deal_id": edge_id if plain else first,
                "deal_ids": [edge_id] if plain else [ids[m] for m in members], "count": len(members),
                "source": src, "target": dst, "amount": amount, **_deal_fields(d if len(members) == 1 else None),
                "label": format_usd(amount) + (f" · {len(members)} deals" if len(members) > 1 else "")}
        if len(members) > 1:
            data["kind"] = max(by_kind, key=lambda k: by_kind[k]) if by_kind else None
        data["kinds"] = sorted(by_kind, key=lambda k: -by_kind[k])
        if bundle:  # each deal on the arrow, so that a reader (the offline report) can filter and re-add them
            data["parts"] = [{"deal_id": ids[m], "amount": float(net.amount[m]),
                              **_deal_fields(deals.get(ids[m]) if deals else None)} for m in members]
        edges.append({"data": data})
    return {"nodes": nodes, "edges": edges}, hidden


def network_elements(records: RecordSet, filters: NetworkFilters, *, min_amount: float = 0.0,
                     view: Literal["all", "core"] = "all", bundle: bool = False) -> dict[str, Any]:
    """``{"elements": {"nodes", "edges"}, "headline", "size_bases", "params", "undisclosed", "excluded",
    "below_min_amount", "view"}``.

    ``view="core"`` keeps the circular core (the companies on loops, largest first) and the deals
    between them; ``headline`` (:func:`~dealweb.circularity.headline.map_headline`) describes the
    whole projection either way, so the sentence above the map and the map count the same deals.
    ``size_bases`` says how many drawn companies are sized by each basis, with its description.
    """
    net = filters.project(records)
    sizes = company_sizes(net, records)
    newest = max((d.announced for d in records.deals), default=None)
    head = map_headline(net, records, sizes=sizes, fallback_as_of=str(newest) if newest else None)
    keep = head.core if view == "core" else None
    elements, hidden = cytoscape_elements(
        net, deals={d.id: d for d in records.deals}, sizes=sizes, values=valuations(records, filters.as_of),
        keep=keep, bundle=bundle, min_amount=min_amount)
    used: dict[str, int] = {}
    for node in elements["nodes"]:
        basis = node["data"]["size_basis"]
        if basis:
            used[basis] = used.get(basis, 0) + 1
    return {"elements": elements, "headline": head.to_dict(), "view": view, "bundled": bundle,
            "size_bases": [{"basis": b, "text": SIZE_BASES[b], "companies": used[b]} for b in SIZE_BASES if b in used],
            "params": {**net.params, "min_amount": min_amount}, "undisclosed": list(net.undisclosed),
            "excluded": len(net.excluded), "below_min_amount": hidden}
