"""The projection from ledger to Network, and bringing your own edge list."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dealweb
from conftest import SRC
from dealweb.errors import FormatError, ValidationError
from dealweb.model import Deal, RecordSet
from dealweb.network import AmountPolicy, Network


def flow(net: Network, a: str, b: str) -> float:
    return float(net.flows[net.index[a], net.index[b]])


def test_projection_counts_each_dollar_once(small_records: RecordSet) -> None:
    net = dealweb.project(small_records)
    assert flow(net, "fund", "lab") == 13e9  # D3 aggregate with tranches D3a, D3b
    assert flow(net, "chips", "lab") == 30e9  # D5 replaced the D4 letter of intent
    assert flow(net, "cloud", "lab") == 10e9 and flow(net, "lab", "cloud") == 30e9
    assert net.excluded["D4"] == "status superseded"
    assert net.undisclosed == ("D6",)
    assert net.gross == pytest.approx(83e9)
    assert set(net.edge_ids) == {"D1", "D2", "D3", "D3a", "D3b", "D5"}


def test_as_of_replays_statuses(small_records: RecordSet) -> None:
    before = dealweb.project(small_records, as_of="2025-12-31")
    # The LOI (D4) was live until D5 replaced it in 2026-02.
    assert flow(before, "chips", "lab") == 100e9 and "D5" in before.excluded
    assert before.excluded["D5"] == "announced after 2025-12-31"
    # A deal dated only "2025" is known for sure at the end of 2025, not in mid-year.
    mid = dealweb.project(small_records, as_of="2025-06")
    assert "D3" in mid.excluded and flow(mid, "fund", "lab") == 11e9
    assert before.params["as_of"] == "2025-12-31"


def test_amount_policy_and_filters(small_records: RecordSet) -> None:
    half = dealweb.project(small_records, as_of="2025-12-31", up_to=0.5)
    assert flow(half, "chips", "lab") == 50e9
    assert half.params["amount_policy"] == {"bound": "amount", "up_to": 0.5, "estimate": 1.0}
    deals = [*small_records.deals,
             Deal("D7", "2025-05", "debt", "fund", "cloud", Decimal(8), "estimate", "closed", "low", SRC,
                  low_usd=Decimal(5), high_usd=Decimal(9)),
             Deal("D8", "2025-05", "backstop", "fund", "chips", Decimal(4), "exact", "signed", "high", SRC)]
    rs = RecordSet.of(small_records.entities, deals, small_records.financials)
    assert flow(dealweb.project(rs, amount_policy="low"), "fund", "cloud") == 5
    assert flow(dealweb.project(rs, amount_policy="high"), "fund", "cloud") == 9
    assert dealweb.project(rs).excluded["D8"] == "kind backstop not included"
    assert flow(dealweb.project(rs, kinds=["backstop"]), "fund", "chips") == 4
    assert "D7" in dealweb.project(rs, min_confidence="medium").excluded
    only_eq = dealweb.project(rs, kinds=["equity_investment"])
    assert set(np.asarray(only_eq.edge_kinds)) == {"equity_investment"}


def test_policy_errors() -> None:
    with pytest.raises(ValueError, match="amount policy 'median' is not one of face, low, high"):
        AmountPolicy.parse("median")
    with pytest.raises(ValueError, match=r"amount policy up_to fraction 1\.5 is outside 0–1"):
        AmountPolicy(up_to=1.5)


def test_bundled_web_projects() -> None:
    net = dealweb.project(dealweb.bundled_records())
    n = len(dealweb.bundled_records().entities)
    assert net.n_nodes == n and net.n_edges > 100
    assert net.flows.shape == (n, n) and net.flows.nnz <= net.n_edges
    assert flow(net, "anthropic", "microsoft") >= 30e9
    assert len(net.undisclosed) > 0 and "D18" in net.excluded
    assert net.src.dtype == np.int32 and net.amount.dtype == np.float64


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_from_edges_files(tmp_path: Path, suffix: str) -> None:
    df = pd.DataFrame({"payer": ["a", "b", "c", "a"], "payee": ["b", "c", "a", "b"], "usd": [1.0, 2.0, 3.0, 4.0]})
    path = tmp_path / f"edges.{suffix}"
    df.to_csv(path, index=False) if suffix == "csv" else df.to_parquet(path)
    net = Network.from_edges(path, source="payer", target="payee", amount="usd")
    assert net.nodes == ("a", "b", "c") and net.flows.toarray().tolist() == [[0, 5, 0], [0, 0, 2], [3, 0, 0]]
    assert net.n_edges == 4 and net.gross == 10


def test_from_edges_errors(tmp_path: Path) -> None:
    df = pd.DataFrame({"source": ["a", "b"], "target": ["b", "x"], "amount": [1.0, -2.0]})
    with pytest.raises(ValidationError) as info:
        Network.from_edges(df)
    assert str(info.value.problems[0]) == "edges row 3, amount: -2.0 is not a non-negative finite number [amount]"
    with pytest.raises(FormatError, match="has no column 'weight'"):
        Network.from_edges(df, amount="weight")
    with pytest.raises(ValidationError, match="'x' is not in the node table"):
        Network.from_edges(df.assign(amount=[1.0, 2.0]), nodes=["a", "b"])
    with pytest.raises(FormatError, match=r"is not \.csv, \.tsv or \.parquet"):
        Network.from_edges(tmp_path / "edges.xml")


def test_from_matrix_and_frame() -> None:
    net = Network.from_matrix(np.array([[0, 2.0], [1.0, 0]]), nodes=["x", "y"])
    frame = net.to_frame()
    assert frame.to_dict(orient="list") == {"source": ["x", "y"], "target": ["y", "x"], "amount": [2.0, 1.0]}
