"""The map's shared numbers: company sizes with their basis, the circular core, the headline, and
the Cytoscape element builder's bundles (one arrow per ordered pair), against hand-made answers
and as properties of random networks."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dealweb
from dealweb.circularity import find_cycles
from dealweb.circularity.headline import circular_core, company_sizes, map_headline
from dealweb.model import Deal, Entity, RecordSet, Source
from dealweb.model.records import FinancialSnapshot
from dealweb.network import Network
from dealweb.web.cyto import cytoscape_elements

SRC = (Source(outlet="Example Wire", title="A deal", url="https://example.com/a"),)


def _records() -> RecordSet:
    """a (listed) ⇄ b (private) ⇄ c (no figures), and d with no deal: a loop a → b → c → a plus b → a twice."""
    ents = [Entity("a", "A", "chipmaker"), Entity("b", "B", "ai_lab"), Entity("c", "C", "neocloud"), Entity("d", "D", "other")]
    D = Deal
    deals = [D("D1", "2025-01-10", "equity_investment", "a", "b", Decimal("10e9"), "exact", "closed", "high", SRC),
             D("D2", "2025-02-01", "compute_commitment", "b", "c", Decimal("6e9"), "exact", "signed", "high", SRC),
             D("D3", "2025-03-01", "chip_purchase", "c", "a", Decimal("4e9"), "exact", "signed", "high", SRC),
             D("D4", "2025-04-01", "chip_purchase", "b", "a", Decimal("2e9"), "exact", "signed", "high", SRC),
             D("D5", "2025-05-01", "chip_purchase", "b", "a", Decimal("3e9"), "exact", "signed", "high", SRC)]
    F = FinancialSnapshot
    figs = [F("F1", "a", "2025-06-30", "market_cap", Decimal("4e12")),
            F("F2", "a", "2025-09-30", "valuation", Decimal("1e9")),  # newer, but a market cap comes first
            F("F3", "b", "2025-03-31", "valuation", Decimal("3e11")),
            F("F4", "b", "2026-03-31", "valuation", Decimal("9e11"))]
    return RecordSet.of(ents, deals, figs)


def test_sizes_take_market_cap_then_valuation_then_deal_volume() -> None:
    rs = _records()
    net = dealweb.project(rs, as_of="2025-12-31", basis="face")
    sizes = company_sizes(net, rs)
    assert (sizes["a"].basis, sizes["a"].value) == ("market_cap", 4e12)
    assert (sizes["b"].basis, sizes["b"].value, sizes["b"].as_of) == ("valuation", 3e11, "2025-03-31")  # not yet 9e11
    assert (sizes["c"].basis, sizes["c"].value) == ("deal_volume", 10e9)  # 6 in + 4 out
    assert sizes["d"] is None
    # without records (a plain network) every size is deal volume
    assert {s.basis for s in company_sizes(net).values() if s} == {"deal_volume"}


def test_core_is_the_companies_on_loops_largest_first() -> None:
    rs = _records()
    net = dealweb.project(rs, basis="face")
    sizes = company_sizes(net, rs)
    assert circular_core(find_cycles(net), sizes) == ("a", "b", "c")


def test_headline_counts_what_the_map_draws() -> None:
    rs = _records()
    net = dealweb.project(rs, basis="face")
    head = map_headline(net, rs)
    assert head.total == pytest.approx(25e9) == net.gross
    assert head.deals == 5 and head.companies == 3 and head.loops == 2
    loop = head.largest_loop
    assert loop is not None and loop.bottleneck == pytest.approx(5e9) and set(loop.nodes) == {"a", "b"}
    assert loop.hop_amounts == pytest.approx((10e9, 5e9)) or loop.hop_amounts == pytest.approx((5e9, 10e9))
    assert "Largest loop: A → B → A, $5B round." in head.sentence()
    data = head.to_dict()
    assert data["total_usd"] == pytest.approx(25e9) and data["basis"] == "face" and data["sentence"].startswith("$25B")


def test_no_loops_says_so() -> None:
    net = Network.from_edges(pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "amount": [1.0, 2.0]}))
    head = map_headline(net)
    assert head.largest_loop is None and head.core == () and head.sentence().endswith("No loops.")
    assert head.circularity_index == 0.0


def test_bundles_sum_parallel_deals() -> None:
    rs = _records()
    net = dealweb.project(rs, basis="face")
    elements, hidden = cytoscape_elements(net, deals={d.id: d for d in rs.deals}, bundle=True)
    arrows = {e["data"]["id"]: e["data"] for e in elements["edges"]}
    assert hidden == 0 and set(arrows) == {"pair:a>b", "pair:b>c", "pair:c>a", "pair:b>a"}
    ba = arrows["pair:b>a"]
    assert (ba["amount"], ba["count"], ba["deal_ids"], ba["label"]) == (5e9, 2, ["D5", "D4"], "$5B · 2 deals")
    assert ba["kind"] == "chip_purchase" and [p["amount"] for p in ba["parts"]] == [3e9, 2e9]
    single = arrows["pair:a>b"]
    assert (single["count"], single["label"], single["status"]) == (1, "$10B", "closed")
    # keep: only the chosen nodes, in order, and the arrows between them
    kept, _ = cytoscape_elements(net, keep=["b", "a"], bundle=True)
    assert [n["data"]["id"] for n in kept["nodes"]] == ["b", "a"]
    assert {e["data"]["id"] for e in kept["edges"]} == {"pair:a>b", "pair:b>a"}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(1, 1000)), min_size=1, max_size=40))
def test_bundles_partition_the_edges(rows: list[tuple[int, int, int]]) -> None:
    rows = [(s, t, a) for s, t, a in rows if s != t] or [(0, 1, 1)]
    frame = pd.DataFrame({"source": [f"n{s}" for s, _, _ in rows], "target": [f"n{t}" for _, t, _ in rows],
                          "amount": [float(a) for _, _, a in rows], "id": [f"e{k}" for k in range(len(rows))]})
    net = Network.from_edges(frame, edge_id="id")
    plain, _ = cytoscape_elements(net)
    bundled, _ = cytoscape_elements(net, bundle=True)
    assert len(plain["edges"]) == net.n_edges
    pairs = {(e["data"]["source"], e["data"]["target"]) for e in bundled["edges"]}
    assert len(pairs) == len(bundled["edges"]) == len(set(zip(net.src.tolist(), net.dst.tolist(), strict=True)))
    assert sum(e["data"]["count"] for e in bundled["edges"]) == net.n_edges
    assert sorted(d for e in bundled["edges"] for d in e["data"]["deal_ids"]) == sorted(frame["id"])
    assert sum(e["data"]["amount"] for e in bundled["edges"]) == pytest.approx(float(np.sum(net.amount)))
