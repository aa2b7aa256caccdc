"""A projection as Cytoscape.js elements: what the map draws.

One node per entity and one edge per counted deal, from payer to recipient (the direction
money or value moves), exactly the edges of :func:`dealweb.project` for the same filters;
nothing is computed here that the projection and :func:`hodge_decomposition` do not give.

Node data: ``id``, ``label`` (name), ``kind``, ``valuation_usd`` (newest valuation or market
cap as of the projection date, the figure the stress tests use as equity buffer; ``null``
when unknown), ``inflow`` and ``outflow`` (counted amounts in this projection), ``degree``
(its edges), ``potential`` (Helmholtz–Hodge potential: higher is further upstream in the
money hierarchy; ``null`` for a company with no edge).

Edge data: ``id`` (the deal id; ``deal:<id>`` when an entity has the same id, since element
ids must be unique), ``deal_id``, ``source``, ``target``, ``amount`` (counted USD under the
amount policy), ``kind``, ``status``, ``qualifier``, ``confidence``, ``announced``,
``label`` (``"$30B"``).

>>> import dealweb
>>> from dealweb.web.filters import NetworkFilters
>>> rs = dealweb.bundled_records()
>>> data = network_elements(rs, NetworkFilters())
>>> len(data["elements"]["edges"]) == dealweb.project(rs).n_edges
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from dealweb.circularity.company import latest_figure
from dealweb.circularity.hodge import hodge_decomposition
from dealweb.contagion.sheets import VALUATION_METRICS
from dealweb.model.recordset import RecordSet
from dealweb.network import as_of_date
from dealweb.summary import format_usd
from dealweb.web.filters import NetworkFilters

__all__ = ["network_elements", "valuations"]


def valuations(records: RecordSet, as_of: str | None = None, *, ids: Iterable[str] | None = None) -> dict[str, float | None]:
    """Entity id → newest valuation (market cap, valuation, secondary, implied) by ``as_of``, or ``None``:
    the figure the stress tests take as equity buffer. For every entity, or those in ``ids``."""
    day = as_of_date(as_of)
    out: dict[str, float | None] = {}
    for entity_id in ids if ids is not None else (e.id for e in records.entities):
        fig = latest_figure(records.financials, entity_id, VALUATION_METRICS, day)
        out[entity_id] = float(fig.value) if fig is not None and fig.value is not None else None
    return out


def network_elements(records: RecordSet, filters: NetworkFilters, *, min_amount: float = 0.0) -> dict[str, Any]:
    """``{"elements": {"nodes", "edges"}, "params", "undisclosed", "excluded", "below_min_amount"}``.

    ``min_amount`` hides edges below it (they still count in ``inflow``/``outflow``, which
    describe the projection, not the drawing).
    """
    net = filters.project(records)
    n = net.n_nodes
    inflow = np.bincount(net.dst, weights=net.amount, minlength=n)
    outflow = np.bincount(net.src, weights=net.amount, minlength=n)
    degree = np.bincount(net.src, minlength=n) + np.bincount(net.dst, minlength=n)
    potential = hodge_decomposition(net).potential if net.n_edges else np.zeros(n)
    values = valuations(records, filters.as_of)
    kinds = net.node_kinds or ("other",) * n
    nodes = [{"data": {"id": node, "label": net.name(i), "kind": kinds[i], "valuation_usd": values.get(node),
                       "inflow": float(inflow[i]), "outflow": float(outflow[i]), "degree": int(degree[i]),
                       "potential": float(potential[i]) if degree[i] else None}}
             for i, node in enumerate(net.nodes)]
    deals = {d.id: d for d in records.deals}
    node_ids = set(net.nodes)
    edges = []
    hidden = 0
    ids = net.edge_ids if net.edge_ids is not None else np.arange(net.n_edges).astype(str)
    for e in range(net.n_edges):
        amount = float(net.amount[e])
        if amount < min_amount:
            hidden += 1
            continue
        deal_id = str(ids[e])
        d = deals.get(deal_id)
        edges.append({"data": {
            "id": f"deal:{deal_id}" if deal_id in node_ids else deal_id, "deal_id": deal_id,
            "source": net.nodes[int(net.src[e])], "target": net.nodes[int(net.dst[e])], "amount": amount,
            "kind": d.kind.value if d else None, "status": d.status.value if d else None,
            "qualifier": d.qualifier.value if d else None, "confidence": d.confidence.value if d else None,
            "announced": str(d.announced) if d else None, "label": format_usd(amount),
        }})
    return {"elements": {"nodes": nodes, "edges": edges}, "params": {**net.params, "min_amount": min_amount},
            "undisclosed": list(net.undisclosed), "excluded": len(net.excluded), "below_min_amount": hidden}
