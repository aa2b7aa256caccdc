"""find_cycles: hand-computed toys, a cross-check against networkx (Johnson 1975), the bundled web."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import dealweb
from dealweb.circularity.cycles import CycleResult, find_cycles
from dealweb.network import Network

Edge = tuple[str, str, float, str, str, str]  # source, target, amount, id, kind, date


def make_net(nodes: tuple[str, ...], edges: list[Edge]) -> Network:
    """A Network with deal ids, kinds and dates, nodes in the given index order."""
    index = {v: i for i, v in enumerate(nodes)}
    return Network(nodes, np.array([index[e[0]] for e in edges], dtype=np.int32),
                   np.array([index[e[1]] for e in edges], dtype=np.int32), np.array([e[2] for e in edges]),
                   edge_ids=np.array([e[3] for e in edges], dtype=object),
                   edge_kinds=np.array([e[4] for e in edges], dtype=object),
                   edge_dates=np.array([e[5] for e in edges], dtype="datetime64[D]"),
                   params={"source": "test"}, undisclosed=("X1",))


# Nodes listed so that index order (d=0, c=1, b=2, a=3) differs from alphabetical order.
TOY = make_net(("d", "c", "b", "a"), [
    ("a", "b", 5.0, "e1", "equity_investment", "2025-01-01"),
    ("a", "b", 2.0, "e2", "debt", "2025-03-01"),
    ("b", "c", 3.0, "e3", "compute_commitment", "2025-02-01"),
    ("c", "a", 4.0, "e4", "chip_purchase", "2024-12-01"),
    ("b", "a", 6.0, "e5", "compute_commitment", "2025-06-30"),
    ("d", "a", 9.0, "e6", "equity_investment", "2025-01-01"),   # into the loop, not on it
    ("c", "c", 100.0, "e7", "lease", "2025-01-01"),            # self-loop: ignored
])


def test_triangle_and_two_cycle_with_parallel_edges() -> None:
    res = find_cycles(TOY)
    assert [c.nodes for c in res.cycles] == [("b", "a"), ("c", "a", "b")]  # start at the smallest index
    two, tri = res.cycles
    # a→b carries 5 + 2 = 7 (two parallel deals), b→a 6: at most 6 can go round.
    assert two.bottleneck == 6.0 and two.hop_amounts == (6.0, 7.0)
    assert two.deal_ids == (("e5",), ("e1", "e2")) and two.kinds == (("compute_commitment",), ("equity_investment", "debt"))
    assert (two.first_date, two.last_date) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    # c→a 4, a→b 7, b→c 3: the thinnest hop is b→c.
    assert tri.bottleneck == 3.0 and tri.hop_amounts == (4.0, 7.0, 3.0)
    assert tri.deal_ids == (("e4",), ("e1", "e2"), ("e3",)) and tri.length == 3
    assert (tri.first_date, tri.last_date) == (dt.date(2024, 12, 1), dt.date(2025, 3, 1))
    assert tri.path == "c → a → b → c"
    frame = res.to_frame()
    assert list(frame.columns) == ["rank", "length", "path", "bottleneck", "kinds", "deal_ids", "first_date", "last_date"]
    assert frame["path"].tolist() == ["b → a → b", "c → a → b → c"]
    assert frame.loc[0, "deal_ids"] == "e5 | e1+e2"
    assert frame.loc[1, "kinds"] == "chip_purchase | equity_investment+debt | compute_commitment"
    assert res.headline() == {"cycles": 2, "shown": 2, "by_length": {2: 1, 3: 1}, "largest_bottleneck": 6.0,
                              "largest_cycle": "b → a → b"}
    assert res.network_params == {"source": "test"} and res.undisclosed == ("X1",)
    assert res.to_dict()["rows"][1]["bottleneck"] == 3.0


def test_bounds_floor_and_limit() -> None:
    assert [c.length for c in find_cycles(TOY, max_length=2).cycles] == [2]
    assert [c.length for c in find_cycles(TOY, min_length=3).cycles] == [3]
    # A floor of 3.5 drops hop b→c (3), so only the 2-cycle survives.
    assert [c.bottleneck for c in find_cycles(TOY, min_bottleneck=3.5).cycles] == [6.0]
    assert [c.bottleneck for c in find_cycles(TOY, min_bottleneck=3.0).cycles] == [6.0, 3.0]
    top = find_cycles(TOY, limit=1)
    assert [c.nodes for c in top.cycles] == [("b", "a")] and top.total_found == 2 and top.headline()["shown"] == 1


def test_dag_has_no_cycles() -> None:
    dag = np.triu(np.arange(1.0, 26.0).reshape(5, 5), k=1)  # only i → j with i < j
    for limit in (None, 3):
        res = find_cycles(dag, limit=limit)
        assert res.cycles == [] and res.total_found == 0 and res.by_length == {}
        assert res.headline()["largest_bottleneck"] == 0.0 and res.to_frame().empty
        assert "rank" in res.to_frame().columns


def test_complete_digraph_k4_counts() -> None:
    # K4 with both directions: C(4,2)=6 two-cycles, C(4,3)·2=8 three-cycles, 3!=6 Hamiltonian cycles.
    k4 = np.ones((4, 4)) - np.eye(4)
    for limit in (None, 1000):
        res = find_cycles(k4, limit=limit)
        assert res.by_length == {2: 6, 3: 8, 4: 6} and res.total_found == 20 and len(res.cycles) == 20
        assert all(c.nodes[0] == min(c.nodes) for c in res.cycles)
        assert len({c.nodes for c in res.cycles}) == 20
    assert find_cycles(k4, min_length=3, max_length=3).total_found == 8
    assert find_cycles(k4, max_length=3, limit=5).total_found == 14


def test_self_loops_are_ignored() -> None:
    assert find_cycles(np.diag([1.0, 2.0, 3.0])).total_found == 0
    with_loops = np.array([[50.0, 2.0], [3.0, 70.0]])
    assert [(c.nodes, c.bottleneck) for c in find_cycles(with_loops).cycles] == [((0, 1), 2.0)]


def test_input_forms_agree() -> None:
    matrix = np.array([[0, 2, 0], [0, 0, 5], [1, 4, 0]], dtype=float)  # 0→1→2→0 (1) and 1⇄2 (4)
    expected = [((1, 2), 4.0), ((0, 1, 2), 1.0)]
    # The same flows as edge arrays, with 2 → 1 split into two parallel deals of 1 and 3.
    arrays = (np.array([0, 1, 2, 2, 2]), np.array([1, 2, 0, 1, 1]), np.array([2.0, 5.0, 1.0, 1.0, 3.0]))
    for form in (matrix, sp.csr_array(matrix), matrix.tolist(), arrays):
        assert [(c.nodes, c.bottleneck) for c in find_cycles(form).cycles] == expected
    named = find_cycles(Network.from_matrix(matrix, ["x", "y", "z"]))
    assert [(c.nodes, c.bottleneck) for c in named.cycles] == [(("y", "z"), 4.0), (("x", "y", "z"), 1.0)]
    assert find_cycles(arrays).cycles[0].deal_ids == ((1,), (3, 4))  # edge positions serve as deal ids


def test_zero_amount_deal_is_still_a_hop() -> None:
    res = find_cycles((np.array([0, 1]), np.array([1, 0]), np.array([0.0, 5.0])))
    assert [(c.nodes, c.bottleneck) for c in res.cycles] == [((0, 1), 0.0)]
    assert find_cycles((np.array([0, 1]), np.array([1, 0]), np.array([0.0, 5.0])), min_bottleneck=1.0).total_found == 0


@pytest.mark.parametrize(("arg", "kwargs", "message"), [
    (np.array([[0.0, -1.0], [1.0, 0.0]]), {}, "non-negative"),
    (np.array([[0.0, np.nan], [1.0, 0.0]]), {}, "finite"),
    (np.ones((2, 3)), {}, "square"),
    ((np.array([0, 1]), np.array([1]), np.array([1.0, 2.0])), {}, "same length"),
    ((np.array([0.5]), np.array([1]), np.array([1.0])), {}, "integer"),
    (np.ones((2, 2)), {"min_length": 1}, "min_length"),
    (np.ones((2, 2)), {"max_length": 1}, "max_length"),
    (np.ones((2, 2)), {"limit": 0}, "limit"),
    (np.ones((2, 2)), {"min_bottleneck": -1.0}, "min_bottleneck"),
])
def test_invalid_input_is_rejected(arg: object, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        find_cycles(arg, **kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------- cross-check with a second method

@st.composite
def multigraphs(draw: st.DrawFn) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(1, 8))
    m = draw(st.integers(0, 30))
    node = st.integers(0, n - 1)
    src = np.array(draw(st.lists(node, min_size=m, max_size=m)), dtype=np.int64)
    dst = np.array(draw(st.lists(node, min_size=m, max_size=m)), dtype=np.int64)
    amount = np.array(draw(st.lists(st.integers(0, 50), min_size=m, max_size=m)), dtype=float)  # exact sums, ties
    return n, src, dst, amount


def networkx_cycles(n: int, src: np.ndarray, dst: np.ndarray, amount: np.ndarray,
                    max_length: int) -> dict[tuple[int, ...], float]:
    """Canonical cycle → bottleneck by Johnson's algorithm (unbounded), filtered by length."""
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for u, v, a in zip(src.tolist(), dst.tolist(), amount.tolist(), strict=True):
        if u != v:
            g.add_edge(u, v, w=g.edges[u, v]["w"] + a if g.has_edge(u, v) else a)
    out = {}
    for cyc in nx.simple_cycles(g):
        if 2 <= len(cyc) <= max_length:
            i = cyc.index(min(cyc))
            c = tuple(cyc[i:] + cyc[:i])
            out[c] = min(g.edges[c[k], c[(k + 1) % len(c)]]["w"] for k in range(len(c)))
    return out


def as_dict(res: CycleResult) -> dict[tuple[int, ...], float]:
    return {c.nodes: c.bottleneck for c in res.cycles}


@settings(max_examples=60, deadline=None)
@given(graph=multigraphs(), max_length=st.integers(2, 8), limit=st.sampled_from([None, 10**6]))
def test_matches_networkx_johnson(graph: tuple[int, np.ndarray, np.ndarray, np.ndarray], max_length: int,
                                  limit: int | None) -> None:
    n, src, dst, amount = graph
    res = find_cycles((src, dst, amount), max_length=max_length, limit=limit)
    expected = networkx_cycles(n, src, dst, amount, max_length)
    assert as_dict(res) == expected
    assert res.total_found == len(expected) == len(res.cycles)
    assert res.by_length == dict(Counter(len(c) for c in expected))
    keys = [(-c.bottleneck, c.length, c.nodes) for c in res.cycles]
    assert keys == sorted(keys)


@settings(max_examples=50, deadline=None)
@given(graph=multigraphs(), limit=st.integers(1, 5), seed=st.integers(0, 2**32 - 1))
def test_limit_keeps_the_best_and_relabelling_changes_nothing(
        graph: tuple[int, np.ndarray, np.ndarray, np.ndarray], limit: int, seed: int) -> None:
    n, src, dst, amount = graph
    full = find_cycles((src, dst, amount), max_length=5)
    top = find_cycles((src, dst, amount), max_length=5, limit=limit)
    assert top.cycles == full.cycles[:limit] and top.total_found == full.total_found
    perm = np.random.default_rng(seed).permutation(max(n, 1))
    moved = find_cycles((perm[src], perm[dst], amount * 3.0), max_length=5)
    back = np.argsort(perm)

    def canonical(c: tuple[int, ...]) -> tuple[int, ...]:
        c = tuple(int(back[v]) for v in c)
        i = c.index(min(c))
        return c[i:] + c[:i]

    # Same cycles under any relabelling; bottlenecks scale with the amounts.
    assert {canonical(c.nodes): c.bottleneck / 3.0 for c in moved.cycles} == as_dict(full)


# ---------------------------------------------------------------- the bundled web

@pytest.fixture(scope="module")
def bundled() -> Network:
    return dealweb.project(dealweb.bundled_records())


def test_bundled_openai_oracle_nvidia_loop(bundled: Network) -> None:
    """The much-reported loop: OpenAI buys compute from Oracle (D11, $300B over ~5 years),
    Oracle buys Nvidia chips (D12, ~$40B), Nvidia invests in OpenAI (D06 ~$0.1B in 2024 and
    D101 $30B in 2026). The thinnest hop is Nvidia → OpenAI: 0.1 + 30 = $30.1B."""
    res = find_cycles(bundled, max_length=6)
    loop = next(c for c in res.cycles if set(c.nodes) == {"openai", "oracle", "nvidia"})
    assert loop.path == "nvidia → openai → oracle → nvidia"  # Network node order: nvidia before openai, oracle
    assert loop.deal_ids == (("D06", "D101"), ("D11",), ("D12",))
    assert loop.hop_amounts == (30.1e9, 300e9, 40e9) and loop.bottleneck == pytest.approx(30.1e9)
    assert loop.kinds == (("equity_investment", "equity_investment"), ("compute_commitment",), ("chip_purchase",))


def test_bundled_microsoft_anthropic_two_cycle(bundled: Network) -> None:
    """Nov 2025: Microsoft invests up to $5B in Anthropic (D55) and Anthropic commits $30B to
    Azure (D57); Microsoft also pays Anthropic ~$0.5B for Claude (D89, 2026). D55 is a
    part of Anthropic's Series G (D94) but keeps its own $5B in the projection — D94's edge
    carries only the remainder — so the hop Microsoft → Anthropic is 5 + 0.5 = $5.5B."""
    res = find_cycles(bundled, max_length=2)
    loop = next(c for c in res.cycles if set(c.nodes) == {"microsoft", "anthropic"})
    assert loop.bottleneck == pytest.approx(5.5e9)
    assert sorted(map(sorted, loop.deal_ids)) == [["D55", "D89"], ["D57"]]
    assert res.total_found == sum(res.by_length.values()) >= 5
    # As of end 2025 the hop was D55 alone (D89 came in January 2026).
    then = find_cycles(dealweb.project(dealweb.bundled_records(), as_of="2025-12-31"), max_length=2)
    assert next(c for c in then.cycles if set(c.nodes) == {"microsoft", "anthropic"}).bottleneck == pytest.approx(5e9)


def test_bundled_every_cycle_is_a_real_loop(bundled: Network) -> None:
    res = find_cycles(bundled, max_length=6)
    flows = bundled.flows.toarray()
    index = bundled.index
    for c in res.cycles:
        hops = list(itertools.pairwise((*c.nodes, c.nodes[0])))
        amounts = [flows[index[a], index[b]] for a, b in hops]
        assert c.hop_amounts == pytest.approx(amounts) and c.bottleneck == pytest.approx(min(amounts))


def test_graph_where_igraph_simple_cycles_misses_a_two_cycle() -> None:
    """python-igraph 1.0.0's simple_cycles returns only the first two of these three cycles
    (vertex-order-dependent bug, igraph/igraph#2911); found by the networkx cross-check."""
    src, dst = np.array([0, 0, 1, 2, 3, 4, 4]), np.array([1, 3, 3, 4, 4, 0, 2])
    res = find_cycles((src, dst, np.arange(1.0, 8.0)))
    assert {c.nodes: c.bottleneck for c in res.cycles} == {(0, 3, 4): 2.0, (0, 1, 3, 4): 1.0, (2, 4): 4.0}
