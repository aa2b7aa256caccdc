"""Property tests for maximum circulation: solvers agree, bounds, conservation, invariances."""

from __future__ import annotations

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dealweb.circularity.circulation import CirculationResult, max_circulation
from dealweb.network import Network

SETTINGS = settings(max_examples=50, deadline=None)

integer_amounts = st.integers(0, 1000).map(float)
fractional_amounts = st.floats(0, 1e6, allow_nan=False, allow_infinity=False)


@st.composite
def networks(draw: st.DrawFn, *, amounts: st.SearchStrategy[float] | None = None, acyclic: bool = False) -> Network:
    n = draw(st.integers(1, 12))
    m = draw(st.integers(0, 40))
    if amounts is None:
        amounts = draw(st.sampled_from([integer_amounts, fractional_amounts]))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), min_size=m, max_size=m))
    if acyclic:
        pairs = [(min(i, j), max(i, j)) for i, j in pairs]
    src = np.array([p[0] for p in pairs], dtype=np.int32)
    dst = np.array([p[1] for p in pairs], dtype=np.int32)
    amount = np.array(draw(st.lists(amounts, min_size=m, max_size=m)), dtype=np.float64)
    return Network(tuple(f"n{i}" for i in range(n)), src, dst, amount)


def imbalance(res: CirculationResult) -> float:
    n = len(res.nodes)
    flow_in = np.bincount(res.dst, weights=res.circular, minlength=n)
    flow_out = np.bincount(res.src, weights=res.circular, minlength=n)
    return float(np.abs(flow_in - flow_out).max()) if n else 0.0


@SETTINGS
@given(networks())
def test_ortools_equals_lp(net: Network) -> None:
    fast = max_circulation(net)
    lp = max_circulation(net, solver="lp")
    tol = 1e-6 * max(net.gross, 1.0)  # HiGHS feasibility tolerance on normalised amounts
    # OR-Tools rounds down: its volume is attained, and the exact one is at most rounding_error above.
    assert lp.circular_volume - tol <= fast.circular_volume + fast.rounding_error
    assert fast.circular_volume <= lp.circular_volume + tol


@SETTINGS
@given(networks(amounts=integer_amounts))
def test_integer_amounts_match_networkx_network_simplex(net: Network) -> None:
    # Independent oracle: networkx's network simplex on the same min-cost flow (demand = in − out).
    res = max_circulation(net)
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(range(net.n_nodes), demand=0)
    for s, d, a in zip(net.src, net.dst, net.amount, strict=True):
        if s != d:
            graph.add_edge(int(s), int(d), capacity=int(a), weight=1)
    for i, b in enumerate(res.net_position):
        graph.nodes[i]["demand"] = int(b)
    cost, _ = nx.network_simplex(graph)
    assert res.rounding_error == 0
    assert res.residual_volume == cost


@SETTINGS
@given(networks(), st.sampled_from(["primal-dual", "ortools", "lp"]))
def test_bounds_and_conservation(net: Network, solver: str) -> None:
    res = max_circulation(net, solver=solver)  # type: ignore[arg-type]
    tol = (1e-6 if solver == "lp" else 1e-12) * max(res.gross, 1.0)
    assert np.all(res.circular >= 0)
    assert np.all(res.circular <= net.amount)
    assert np.all(res.residual >= 0)
    assert imbalance(res) <= tol
    assert 0 <= res.circularity_index <= 1
    assert res.nid <= res.residual_volume + tol
    assert abs(res.circular_volume + res.residual_volume - res.gross) <= 1e-9 * max(res.gross, 1.0)
    np.testing.assert_allclose(res.circular_through, np.bincount(res.src, res.circular, len(res.nodes)), atol=tol)


@SETTINGS
@given(networks())
def test_at_least_the_reciprocal_pairs(net: Network) -> None:
    # Each pair's back-and-forth min(F_ij, F_ji) is a circulation on its own edges.
    flows = net.flows.toarray()
    np.fill_diagonal(flows, 0)
    pairs = float(np.minimum(flows, flows.T).sum())
    res = max_circulation(net)
    assert res.circular_volume >= pairs - res.rounding_error - 1e-9 * max(net.gross, 1.0)


@SETTINGS
@given(networks(), st.integers(0, 2**32 - 1))
def test_relabelling_invariance(net: Network, seed: int) -> None:
    rng = np.random.default_rng(seed)
    perm = rng.permutation(net.n_nodes)  # old node i becomes node perm[i]
    order = rng.permutation(net.n_edges)
    nodes = [""] * net.n_nodes
    for i, new in enumerate(perm):
        nodes[new] = net.nodes[i]
    moved = Network(tuple(nodes), perm[net.src[order]].astype(np.int32), perm[net.dst[order]].astype(np.int32),
                    net.amount[order])
    a, b = max_circulation(net), max_circulation(moved)
    slack = (a.rounding_error + b.rounding_error) / max(net.gross, 1.0)
    assert abs(a.circularity_index - b.circularity_index) <= 1e-12 + slack
    moved_position = dict(zip(b.nodes, b.net_position, strict=True))
    np.testing.assert_allclose([moved_position[n] for n in a.nodes], a.net_position, atol=1e-9 * max(net.gross, 1.0))


@SETTINGS
@given(networks(), st.floats(1e-3, 1e6))
def test_scaling_invariance(net: Network, factor: float) -> None:
    scaled = Network(net.nodes, net.src, net.dst, net.amount * factor)
    a, b = max_circulation(net), max_circulation(scaled)
    tol = 1e-12 + a.rounding_error / max(a.gross, 1e-300) + b.rounding_error / max(b.gross, 1e-300)
    assert abs(a.circularity_index - b.circularity_index) <= tol


@SETTINGS
@given(networks(acyclic=True), st.sampled_from(["primal-dual", "ortools", "lp"]))
def test_acyclic_means_zero(net: Network, solver: str) -> None:
    res = max_circulation(net, solver=solver)  # type: ignore[arg-type]
    assert res.circular_volume == 0
    assert res.circularity_index == 0
