"""GEXF, GraphML and Cytoscape.js exports: one edge per deal, with the deal's attributes."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pytest
from formats_sample import sample_records

from dealweb.ledger.formats import write
from dealweb.ledger.formats.graphs import deal_span
from dealweb.model import Deal, Entity, RecordSet

SPANS = {  # deal id → (start, end) on the timeline
    "D1": ("2025-09-22", None), "D1a": ("2025-10-01", None), "D2": ("2025-01-01", "2032-12-31"),
    "D3": ("2025-11-01", None), "D4": ("2024-03-01", None), "D5": ("2025-10-06", None), "D6": ("2026-01-01", None),
}


@pytest.fixture
def records() -> RecordSet:
    return sample_records()


def _check_edges(graph: nx.MultiDiGraph, records: RecordSet) -> None:
    assert graph.is_directed() and graph.is_multigraph()
    assert graph.number_of_edges() == len(records.deals)
    edges = {key: (u, v, data) for u, v, key, data in graph.edges(keys=True, data=True)}
    assert sorted(edges) == sorted(d.id for d in records.deals)
    for d in records.deals:
        u, v, data = edges[d.id]
        assert (u, v) == (d.payer, d.recipient)
        assert (data["kind"], data["qualifier"], data["status"], data["confidence"]) == (
            d.kind.value, d.qualifier.value, d.status.value, d.confidence.value)
        assert data.get("amount_usd") == (None if d.amount_usd is None else pytest.approx(float(d.amount_usd)))
        assert (data["start"], data.get("end")) == SPANS[d.id]
    assert dict(graph.nodes(data="kind")) == {e.id: e.kind.value for e in records.entities}


def test_gexf_parses_back_with_one_edge_per_deal(records: RecordSet, tmp_path: Path) -> None:
    path = write(records, tmp_path / "web.gexf")[0]
    root = ET.parse(path).getroot()
    graph_element = root.find("{http://www.gexf.net/1.2draft}graph")
    assert graph_element is not None
    assert (graph_element.get("mode"), graph_element.get("timeformat")) == ("dynamic", "date")
    graph = nx.read_gexf(path)
    _check_edges(graph, records)
    # The two chips → lab equity deals and the warrant are parallel edges, each kept.
    assert sorted(k for u, v, k in graph.edges(keys=True) if (u, v) == ("chips", "lab")) == ["D1", "D1a", "D5"]
    assert graph.nodes["lab"]["label"] == "Lab, Inc." and graph.nodes["bank."]["country"] == "GB"
    assert graph.edges["bank.", "cloud_co", "D4"]["weight"] == pytest.approx(1.23456789012345678125e14)


def test_graphml_parses_back_with_one_edge_per_deal(records: RecordSet, tmp_path: Path) -> None:
    path = write(records, tmp_path / "web.graphml")[0]
    graph = nx.read_graphml(path, force_multigraph=True)
    _check_edges(graph, records)
    assert "amount_usd" not in graph.edges["lab", "cloud_co", "D3"]  # undisclosed: dropped, not "None"
    assert graph.nodes["lab"]["name"] == "Lab, Inc."


def test_cyjs_has_the_cytoscape_shape(records: RecordSet, tmp_path: Path) -> None:
    path = write(records, tmp_path / "web.cyjs")[0]
    text = path.read_text(encoding="utf-8")
    assert '"amount_usd":123456789012345.678125' in text  # exact
    doc = json.loads(text)
    assert set(doc["elements"]) == {"nodes", "edges"}
    nodes = [n["data"] for n in doc["elements"]["nodes"]]
    assert [n["id"] for n in nodes] == ["bank.", "chips", "cloud_co", "lab"]
    assert nodes[1] == {"id": "chips", "name": "Chips", "kind": "chipmaker", "country": "US", "listed": True,
                        "ticker": "CHP"}
    edges = {e["data"]["id"]: e["data"] for e in doc["elements"]["edges"]}
    assert sorted(edges) == sorted(d.id for d in records.deals)
    assert {k: edges["D2"][k] for k in ("source", "target", "kind", "amount_usd", "start", "end")} == {
        "source": "lab", "target": "cloud_co", "kind": "compute_commitment", "amount_usd": 300000000000.005,
        "start": "2025-01-01", "end": "2032-12-31"}
    assert edges["D3"]["amount_usd"] is None and isinstance(edges["D6"]["amount_usd"], int)


def test_cyjs_edge_ids_never_clash_with_node_ids(tmp_path: Path) -> None:
    records = RecordSet.of([Entity("a", "A"), Entity("d1", "D")],
                           [Deal("d1", "2025", "debt", "a", "d1", 1, "exact", sources=("Wire",))])
    doc = json.loads(write(records, tmp_path / "web.cyjs")[0].read_text(encoding="utf-8"))
    (edge,) = doc["elements"]["edges"]
    assert (edge["data"]["id"], edge["data"]["deal_id"]) == ("deal:d1", "d1")


@pytest.mark.parametrize(("fields", "expected"), [
    ({}, None),
    ({"end": "2030-06"}, dt.date(2030, 6, 30)),
    ({"horizon_years": Decimal("1.5")}, dt.date(2027, 3, 30)),
    ({"horizon_years": Decimal("0.4")}, dt.date(2026, 2, 28)),  # 5 months on from the 30th of September
    ({"horizon_years": Decimal(5), "start": "2027"}, dt.date(2032, 1, 1)),
    ({"end": "2024"}, None),  # before the announcement: left open
])
def test_deal_span(fields: dict[str, object], expected: dt.date | None) -> None:
    deal = Deal("D1", "2025-09-30", "lease", "a", "b", 1, "exact", **fields)  # type: ignore[arg-type]
    assert deal_span(deal) == (dt.date(2025, 9, 30), expected)
