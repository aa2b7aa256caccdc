"""Maximum circulation on hand-computed networks, the greedy counter-example and the bundled data."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import dealweb
from dealweb.circularity.circulation import CirculationResult, max_circulation
from dealweb.errors import ValidationError
from dealweb.network import Network

SOLVERS = ("primal-dual", "ortools", "lp")


def edges(*rows: tuple[str, str, float]) -> Network:
    frame = pd.DataFrame(rows, columns=["source", "target", "amount"])
    frame["id"] = [f"D{k}" for k in range(len(rows))]
    return Network.from_edges(frame, edge_id="id")


def greedy_shortest_cycle_first(net: Network) -> float:
    """Cancel cycles one by one, shortest (then smallest bottleneck) first: NOT optimal in general."""
    left = {e: float(a) for e, a in enumerate(net.amount)}
    graph = nx.MultiDiGraph()
    graph.add_edges_from((int(s), int(d), e) for e, (s, d) in enumerate(zip(net.src, net.dst, strict=True)))
    volume = 0.0
    while True:
        options = []
        for cycle in nx.simple_cycles(graph):
            hops = list(zip(cycle, cycle[1:] + cycle[:1], strict=True))
            arcs = [max(graph[u][v], key=lambda k: left[k]) for u, v in hops]
            bottleneck = min(left[k] for k in arcs)
            if bottleneck > 0:
                options.append((len(arcs), bottleneck, arcs))
        if not options:
            return volume
        _, bottleneck, arcs = min(options, key=lambda o: (o[0], o[1]))
        for k in arcs:
            left[k] -= bottleneck
        volume += bottleneck * len(arcs)


@pytest.mark.parametrize("solver", SOLVERS)
def test_three_cycle_with_tail(solver: str) -> None:
    # a→b 5, b→c 3, c→a 4 and a tail c→d 2: the bottleneck 3 goes round three edges.
    net = edges(("a", "b", 5), ("b", "c", 3), ("c", "a", 4), ("c", "d", 2))
    res = max_circulation(net, solver=solver)
    np.testing.assert_allclose(res.circular, [3, 3, 3, 0], atol=1e-9)
    np.testing.assert_allclose(res.residual, [2, 0, 1, 2], atol=1e-9)
    assert res.circular_volume == pytest.approx(9)
    assert res.gross == 14
    assert res.circularity_index == pytest.approx(9 / 14)
    # net positions a −1, b +2, c −3, d +2
    np.testing.assert_allclose(res.net_position, [-1, 2, -3, 2])
    assert res.nid == pytest.approx(4)
    np.testing.assert_allclose(res.circular_through, [3, 3, 3, 0], atol=1e-9)
    frame = res.to_frame()
    assert list(frame.columns) == ["source", "target", "amount", "circular", "residual", "id"]
    assert list(frame["id"]) == ["D0", "D1", "D2", "D3"]
    nodes = res.nodes_frame().set_index("id")
    assert nodes.loc["a", "circular_share_of_inflow"] == pytest.approx(3 / 4)
    assert nodes.loc["d", "circular_share_of_inflow"] == 0
    assert res.headline()["circularity_index"] == pytest.approx(9 / 14)


@pytest.mark.parametrize("solver", SOLVERS)
def test_beats_greedy_shortest_cycle_first(solver: str) -> None:
    # Two cycles share a→b (2): a→b→a (b→a 1.5) and a→b→c→a (2, 2). Greedy cancels the short,
    # small cycle first: 1.5·2 + 0.5·3 = 4.5. Every cycle uses a→b, so C ≤ 2·3 = 6, and routing
    # all of a→b round the long cycle attains it.
    net = edges(("a", "b", 2), ("b", "a", 1.5), ("b", "c", 2), ("c", "a", 2))
    assert greedy_shortest_cycle_first(net) == pytest.approx(4.5)
    res = max_circulation(net, solver=solver)
    assert res.circular_volume == pytest.approx(6)
    np.testing.assert_allclose(res.circular, [2, 0, 2, 2], atol=1e-9)
    assert res.circularity_index == pytest.approx(6 / 7.5)


@pytest.mark.parametrize("solver", SOLVERS)
def test_dag_has_no_circulation(solver: str) -> None:
    net = edges(("a", "b", 5), ("a", "c", 2), ("b", "c", 3), ("c", "d", 4), ("a", "b", 1))
    res = max_circulation(net, solver=solver)
    assert res.circular_volume == 0
    assert res.circularity_index == 0
    assert res.edges_in_cycles == 0
    np.testing.assert_array_equal(res.residual, net.amount)


@pytest.mark.parametrize("solver", SOLVERS)
def test_pure_circulation_with_parallel_edges(solver: str) -> None:
    # a→b twice (1 + 2) against b→a 3, plus a triangle of 2s: everything goes round.
    net = edges(("a", "b", 1), ("a", "b", 2), ("b", "a", 3), ("c", "d", 2), ("d", "e", 2), ("e", "c", 2))
    res = max_circulation(net, solver=solver)
    assert res.circularity_index == pytest.approx(1)
    np.testing.assert_allclose(res.circular, net.amount, atol=1e-9)
    assert res.nid == 0


@pytest.mark.parametrize("solver", SOLVERS)
def test_nid_below_residual_when_the_only_route_is_a_path(solver: str) -> None:
    # p→q→r→s, 3 each: p owes 3 net, s receives 3 net (NID 3) but settling moves 3 over three
    # edges (residual 9). A separate 2-cycle x↔y of 1 is circular.
    net = edges(("p", "q", 3), ("q", "r", 3), ("r", "s", 3), ("x", "y", 1), ("y", "x", 1))
    res = max_circulation(net, solver=solver)
    assert res.nid == pytest.approx(3)
    assert res.residual_volume == pytest.approx(9)
    assert res.circular_volume == pytest.approx(2)
    assert res.circularity_index == pytest.approx(2 / 11)


def test_self_loops_are_ignored() -> None:
    net = edges(("a", "a", 100), ("a", "b", 1), ("b", "a", 1))
    res = max_circulation(net)
    assert res.gross == 2
    assert res.circularity_index == 1
    assert (res.circular[0], res.residual[0]) == (0, 0)
    assert res.nodes_frame()["gross_in"].tolist() == [1, 1]


def test_matrix_input_gives_integer_labels() -> None:
    flows = sp.csr_array(np.array([[0, 2.5, 0], [0, 0, 1.0], [1.0, 0, 0]]))
    res = max_circulation(flows)
    assert res.nodes == (0, 1, 2)
    assert res.circular_volume == pytest.approx(3)
    assert res.to_frame()["source"].tolist() == [0, 1, 2]
    assert res.network_params == {} and res.undisclosed == ()


@pytest.mark.parametrize("solver", ["primal-dual", "ortools"])
def test_scale_and_rounding_error_bound(solver: str) -> None:
    # At scale 1 the amounts round down to 2, 1, 1: C = 3 is attained. The solvers' potentials
    # leave a→b slack (1 + π_b − π_a = 0, the other two edges 1), so the dual bound is
    # 1.26 + 1.26 + 1.26 = 3.78: the bracket [3, 3.78] is tight at the top.
    net = edges(("a", "b", 2.5), ("b", "c", 1.26), ("c", "a", 1.26))
    exact = max_circulation(net, solver="lp").circular_volume
    coarse = max_circulation(net, scale=1.0, solver=solver)  # type: ignore[arg-type]
    assert coarse.scale == 1.0
    assert exact == pytest.approx(3.78)
    assert coarse.circular_volume == 3
    assert coarse.circular_volume <= exact <= coarse.upper_bound + 1e-12
    assert coarse.rounding_error == coarse.gap_bound == pytest.approx(coarse.upper_bound - 3)
    assert coarse.gap_bound <= 3.06  # never looser than the old worst case Σ Δ·|SCC| = (0.5 + 0.26 + 0.26)·3
    assert coarse.certificate.startswith("certified within")
    fine = max_circulation(net)
    assert fine.circular_volume == pytest.approx(exact, abs=1e-12)
    assert fine.scale is not None and fine.scale >= 1e14


def test_input_errors() -> None:
    with pytest.raises(ValidationError, match=r"flows\[0, 1\]"):
        max_circulation(np.array([[0, -1.0], [1.0, 0]]))
    with pytest.raises(ValueError, match="edge amounts must be finite and non-negative"):
        max_circulation(Network(("a", "b"), np.array([0], np.int32), np.array([1], np.int32), np.array([np.nan])))
    with pytest.raises(ValueError, match="square"):
        max_circulation(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="solver"):
        max_circulation(np.zeros((2, 2)), solver="simplex")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="scale"):
        max_circulation(np.zeros((2, 2)), solver="lp", scale=10.0)
    with pytest.raises(ValueError, match="overflow"):
        max_circulation(np.array([[0, 1e10], [1e10, 0]]), scale=1e10)


def test_empty_network() -> None:
    res = max_circulation(np.zeros((0, 0)))
    assert (res.gross, res.circularity_index, len(res.to_frame())) == (0, 0, 0)


def test_bundled_dataset() -> None:
    net = dealweb.project(dealweb.bundled_records())
    res = max_circulation(net)
    assert isinstance(res, CirculationResult)
    assert 0 < res.circularity_index < 1
    lp = max_circulation(net, solver="lp")
    assert res.circular_volume == pytest.approx(lp.circular_volume, rel=1e-9)
    assert res.network_params == net.params and res.undisclosed == net.undisclosed
    assert res.to_frame()["id"].tolist() == list(net.edge_ids)  # type: ignore[arg-type]
    assert res.to_dict()["headline"]["circularity_index"] == res.circularity_index
