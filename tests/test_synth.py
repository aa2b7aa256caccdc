"""The synthetic network generator: seeded, simple, heavy-tailed, reciprocal, with planted loops."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from dealweb.network import Network
from dealweb.scale.synth import balance_sheets, synthetic_network, write_parquet


def _reciprocity(net: Network) -> float:
    n = net.n_nodes
    forward = net.src.astype(np.int64) * n + net.dst
    backward = net.dst.astype(np.int64) * n + net.src
    return float(np.isin(forward, backward).mean())


def _scc_labels(net: Network) -> np.ndarray:
    adjacency = sp.coo_array((np.ones(net.n_edges), (net.src, net.dst)), shape=(net.n_nodes,) * 2).tocsr()
    _, labels = connected_components(adjacency, directed=True, connection="strong")
    return labels


def test_same_seed_same_network_other_seed_other_network() -> None:
    a = synthetic_network(2_000, 10_000, seed=7)
    b = synthetic_network(2_000, 10_000, seed=7)
    c = synthetic_network(2_000, 10_000, seed=8)
    assert a.nodes == b.nodes
    for name in ("src", "dst", "amount"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert not np.array_equal(a.src, c.src)
    assert a.params == b.params and a.params["seed"] == 7


def test_shape_types_and_simple_graph() -> None:
    net = synthetic_network(3_000, 20_000, seed=1)
    assert net.n_nodes == 3_000 and net.n_edges == 20_000  # exactly the edges asked for
    assert net.nodes[:3] == ("n0", "n1", "n2") and net.nodes[-1] == "n2999"
    assert net.src.dtype == np.int32 and net.dst.dtype == np.int32 and net.amount.dtype == np.float64
    assert not (net.src == net.dst).any()  # no self-loops
    keys = net.src.astype(np.int64) * net.n_nodes + net.dst
    assert len(np.unique(keys)) == net.n_edges  # no parallel edges
    assert np.isfinite(net.amount).all() and (net.amount >= 1).all()
    assert 1e5 <= np.median(net.amount) <= 1e7  # USD-like magnitudes


@pytest.mark.parametrize(("reciprocity", "cycle_share"), [(0.0, 0.1), (0.3, 0.1), (0.6, 0.2), (0.5, 0.0)])
def test_reciprocity_is_the_requested_share(reciprocity: float, cycle_share: float) -> None:
    net = synthetic_network(5_000, 40_000, reciprocity=reciprocity, cycle_share=cycle_share, seed=3)
    assert _reciprocity(net) == pytest.approx(reciprocity, abs=0.01)


def test_degrees_are_heavy_tailed() -> None:
    heavy = synthetic_network(10_000, 100_000, alpha=2.1, seed=4)
    light = synthetic_network(10_000, 100_000, alpha=4.0, seed=4)
    degree = np.bincount(heavy.src, minlength=heavy.n_nodes) + np.bincount(heavy.dst, minlength=heavy.n_nodes)
    assert degree.max() > 50 * degree.mean()  # a Poisson (Erdős–Rényi) graph would give ~2× the mean
    light_degree = np.bincount(light.src, minlength=light.n_nodes) + np.bincount(light.dst, minlength=light.n_nodes)
    assert degree.max() > 5 * light_degree.max()
    # Both in- and out-degrees have hubs.
    assert np.bincount(heavy.src).max() > 20 * 10 and np.bincount(heavy.dst).max() > 20 * 10


def test_planted_cycles_put_every_edge_on_a_loop() -> None:
    net = synthetic_network(2_000, 6_000, reciprocity=0.0, cycle_share=1.0, seed=5)
    labels = _scc_labels(net)
    assert (labels[net.src] == labels[net.dst]).all()  # each edge lies on a cycle
    assert net.params["planted_cycles"] >= 6_000 // 6
    assert _reciprocity(net) < 0.1  # loops of 3–6 make reverse pairs only when two cross a pair both ways


def test_planted_cycles_make_strong_components_in_a_sparse_web() -> None:
    # Below the percolation threshold (mean out-degree 0.3) a Chung–Lu web has almost no cycles.
    def in_loops(cycle_share: float) -> int:
        net = synthetic_network(20_000, 6_000, reciprocity=0.0, cycle_share=cycle_share, seed=6)
        sizes = np.bincount(_scc_labels(net))
        return int(sizes[sizes > 1].sum())

    without, with_loops = in_loops(0.0), in_loops(0.3)
    assert with_loops >= 1_000 > 10 * without


@pytest.mark.parametrize("kwargs", [
    {"n_nodes": 1, "n_edges": 0}, {"n_nodes": 10, "n_edges": 100}, {"n_nodes": 100, "n_edges": -1},
    {"reciprocity": 1.2}, {"cycle_share": -0.1}, {"reciprocity": 0.6, "cycle_share": 0.6}, {"alpha": 1.0},
    {"amount_sigma": float("nan")},
])
def test_bad_arguments_are_refused(kwargs: dict[str, float]) -> None:
    args = {"n_nodes": 100, "n_edges": 200, **kwargs}
    with pytest.raises(ValueError):
        synthetic_network(int(args.pop("n_nodes")), int(args.pop("n_edges")), **args)


def test_tiny_and_empty_networks() -> None:
    assert synthetic_network(5, 0).n_edges == 0
    tiny = synthetic_network(8, 14, cycle_share=0.5, seed=2)
    assert tiny.n_edges == 14 and not (tiny.src == tiny.dst).any()


def test_balance_sheets_follow_the_flows() -> None:
    net = synthetic_network(1_000, 6_000, seed=9)
    sheets = balance_sheets(net, seed=9)
    assert list(sheets.index[:2]) == ["n0", "n1"] and len(sheets) == net.n_nodes
    assert np.allclose(sheets["inflow"], np.bincount(net.dst, weights=net.amount, minlength=net.n_nodes))
    assert sheets["inflow"].sum() == pytest.approx(net.gross) == sheets["outflow"].sum()
    for column in ("cash", "revenue_external", "equity"):
        assert (sheets[column] > 0).all(), column
    scale = np.maximum(sheets["inflow"], sheets["outflow"])
    has_flow = scale > 0
    ratio = (sheets["cash"] / scale)[has_flow]
    assert 0.15 < float(np.median(ratio)) < 0.4  # about a quarter of a year's web payments
    pd.testing.assert_frame_equal(sheets, balance_sheets(net, seed=9))
    assert not balance_sheets(net, seed=10)["cash"].equals(sheets["cash"])


def test_parquet_round_trip(tmp_path: Path) -> None:
    net = synthetic_network(500, 2_000, seed=11)
    path = write_parquet(net, tmp_path / "edges.parquet")
    frame = pd.read_parquet(path)
    assert list(frame.columns) == ["source", "target", "amount"] and len(frame) == net.n_edges
    back = Network.from_edges(path, nodes=net.nodes)
    assert back.nodes == net.nodes
    assert np.array_equal(back.src, net.src) and np.array_equal(back.dst, net.dst)
    assert np.array_equal(back.amount, net.amount)
