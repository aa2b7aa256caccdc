"""Graph exports: GEXF (Gephi), GraphML (Cytoscape desktop, yEd, Neo4j) and Cytoscape.js JSON.

Export only: a graph drawing loses what the ledger needs (sources, links between deals),
so these formats are not read back.

Every export has one node per entity and **one edge per deal**, from ``payer`` to
``recipient`` (the direction of cash or value, see :mod:`dealweb.model.semantics`), so
parallel deals between the same two companies survive: the deal id is the edge id (and
the multigraph key). Attributes:

* nodes: ``name``, ``kind``, ``country`` (GEXF also ``label`` = name);
* edges: ``kind``, ``amount_usd`` (a number; absent when undisclosed), ``qualifier``,
  ``status``, ``confidence``, ``announced``, ``description``, the deal terms
  ``consideration``, ``cash_usd`` (mixed deals), ``commitment``, ``covers`` (a ceiling's
  deal ids, ``;``-separated), ``schedule``, ``condition``, ``condition_met``, and the deal's time span
  ``start``/``end`` (see below). GEXF also sets ``label`` (the kind) and ``weight``
  (the amount, for Gephi's edge thickness).

Time span: from the day the deal was announced to its end: the ``end`` date (its last
day), else the start (or announcement) plus ``horizon_years``, else open. In GEXF these
are the edge's ``start``/``end`` in a ``mode="dynamic"`` graph with
``timeformat="date"``, so Gephi's timeline shows the web as it grows; an end before the
announcement is left open rather than written as an impossible interval. GraphML cannot
hold ``None``, so absent values are dropped there (and in GEXF).

Cytoscape.js (``.cyjs``) is ``{"elements": {"nodes": [{"data": …}], "edges": [{"data":
{"id", "source", "target", …}}]}}`` plus Cytoscape desktop's header keys. Element ids
must be unique across nodes and edges: an edge's id is the deal id, or ``deal:<id>``
when an entity has the same id; ``deal_id`` always holds the deal id. Amounts are exact
JSON numbers.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import networkx as nx

from dealweb.ledger.formats._common import atomic_write, dumps_exact, write_text
from dealweb.model.records import Deal, Entity
from dealweb.model.recordset import RecordSet

__all__ = ["deal_span", "to_networkx", "write_cyjs", "write_gexf", "write_graphml"]


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def deal_span(deal: Deal) -> tuple[dt.date, dt.date | None]:
    """First and last day of a deal on a timeline; ``None`` for an open end.

    >>> from dealweb.model.records import Deal
    >>> d = Deal("D1", "2025-09", "compute_commitment", "a", "b", 1, "exact", horizon_years=5, start="2027")
    >>> deal_span(d)
    (datetime.date(2025, 9, 1), datetime.date(2032, 1, 1))
    >>> deal_span(d.evolve(end="2030"))
    (datetime.date(2025, 9, 1), datetime.date(2030, 12, 31))
    """
    first = deal.announced.first_day()
    last: dt.date | None = None
    if deal.end is not None:
        last = deal.end.last_day()
    elif deal.horizon_years is not None and deal.horizon_years > 0:
        months = int((deal.horizon_years * 12).to_integral_value(rounding=ROUND_HALF_UP))
        last = _add_months((deal.start or deal.announced).first_day(), months)
    if last is not None and last < first:
        last = None
    return first, last


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _node_attributes(e: Entity) -> dict[str, Any]:
    return {"name": e.name, "kind": e.kind.value, "country": e.country}


def _edge_attributes(d: Deal) -> dict[str, Any]:
    first, last = deal_span(d)
    attrs = {
        "kind": d.kind.value, "amount_usd": _number(d.amount_usd), "qualifier": d.qualifier.value,
        "status": d.status.value, "confidence": d.confidence.value, "announced": str(d.announced),
        "description": d.description or None, "start": first.isoformat(),
        "end": last.isoformat() if last else None,
        "consideration": d.consideration.value, "cash_usd": _number(d.cash_usd),
        "commitment": d.commitment.value, "covers": "; ".join(d.covers) or None,
        "schedule": d.schedule.value, "condition": d.condition or None,
        "condition_met": str(d.condition_met) if d.condition_met else None,
    }
    return {k: v for k, v in attrs.items() if v is not None}


def to_networkx(records: RecordSet) -> nx.MultiDiGraph:
    """A multigraph with one node per entity and one edge per deal (key = deal id).

    >>> from dealweb.model.records import Deal, Entity
    >>> rs = RecordSet.of([Entity("a", "A"), Entity("b", "B")],
    ...                   [Deal(i, "2025", "debt", "a", "b", 1, "exact") for i in ("D1", "D2")])
    >>> sorted(to_networkx(rs).edges(keys=True))
    [('a', 'b', 'D1'), ('a', 'b', 'D2')]
    """
    graph = nx.MultiDiGraph()
    for e in records.entities:
        graph.add_node(e.id, **_node_attributes(e))
    for d in records.deals:
        graph.add_edge(d.payer, d.recipient, key=d.id, **_edge_attributes(d))
    return graph


def write_gexf(records: RecordSet, path: Path) -> list[Path]:
    """Write a dynamic GEXF graph for Gephi at ``path``, atomically."""
    graph = to_networkx(records)
    graph.graph["mode"] = "dynamic"
    for _, data in graph.nodes(data=True):
        data["label"] = data.get("name", "")
    for _, _, key, data in graph.edges(keys=True, data=True):
        data["id"] = key
        data["label"] = data["kind"]
        if "amount_usd" in data:
            data["weight"] = data["amount_usd"]
    with atomic_write(path) as tmp:
        nx.write_gexf(graph, tmp)
    return [path]


def write_graphml(records: RecordSet, path: Path) -> list[Path]:
    """Write a GraphML multigraph at ``path`` (edge id = deal id), atomically."""
    with atomic_write(path) as tmp:
        nx.write_graphml(to_networkx(records), tmp)
    return [path]


def write_cyjs(records: RecordSet, path: Path) -> list[Path]:
    """Write Cytoscape.js elements JSON at ``path``, atomically."""
    entity_ids = {e.id for e in records.entities}
    nodes = [{"data": {"id": e.id, **_node_attributes(e), "listed": e.listed, "ticker": e.ticker}}
             for e in records.entities]
    edges = []
    for d in records.deals:
        data = _edge_attributes(d)
        data.update(amount_usd=d.amount_usd, end=data.get("end"), description=d.description)
        edges.append({"data": {
            "id": f"deal:{d.id}" if d.id in entity_ids else d.id, "deal_id": d.id,
            "source": d.payer, "target": d.recipient, **data,
            "sources": [str(s) for s in d.sources],
        }})
    doc = {"format_version": "1.0", "generated_by": "dealweb", "target_cytoscapejs_version": "~3.0",
           "data": {"name": "dealweb"}, "elements": {"nodes": nodes, "edges": edges}}
    return [write_text(path, dumps_exact(doc) + "\n")]
