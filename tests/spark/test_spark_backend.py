"""The Spark backend equals the single-machine results on the same seeded networks (local[2] mode).

Tolerances: clearing payments, losses and DebtRank/cascade losses 1e-9 relative to the largest
value (sums run in a different order); failed sets, failure waves and SCC partitions exactly;
circular volume 1e-9 relative; Monte Carlo per-run totals exactly.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy.sparse.csgraph import connected_components

pytest.importorskip("pyspark", reason="the Spark backend needs the spark extra (pyspark)")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime (java is not on PATH)", allow_module_level=True)

from dealweb.circularity import max_circulation
from dealweb.contagion import cascade_network, clear_network, debtrank_network, eisenberg_noe
from dealweb.network import Network
from dealweb.scale.pipeline import debtrank_shock
from dealweb.scale.synth import balance_sheets, synthetic_network, write_parquet
from dealweb.spark import (
    canonical_labels,
    debtrank_spark,
    edges_frame,
    eisenberg_noe_spark,
    local_session,
    max_circulation_spark,
    monte_carlo_clearing,
    monte_carlo_spark,
    scc_spark,
    threshold_cascade_spark,
)

RTOL = 1e-9
# pyspark 4.3 warns on every pandas conversion that it does not fully support pandas 3 yet.
pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning", "ignore::DeprecationWarning",
                                        "ignore:The copy keyword is deprecated")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = local_session(2, shuffle_partitions=4, driver_memory="1g", app_name="dealweb-tests")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def web() -> tuple[Network, pd.DataFrame]:
    net = synthetic_network(2_000, 20_000, seed=11)
    return net, balance_sheets(net, seed=11)


def close(a: np.ndarray, b: np.ndarray) -> bool:
    scale = max(float(np.nanmax(np.abs(b))) if b.size else 0.0, 1.0)
    return bool(np.allclose(a, b, rtol=0.0, atol=RTOL * scale, equal_nan=True))


def test_clearing_equals_single_machine(spark: Any, web: tuple[Network, pd.DataFrame]) -> None:
    net, sheets = web
    e = sheets["cash"].to_numpy() * 0.3  # a revenue shock: outside means cut to 30 % of cash, many defaults
    single = clear_network(net, e)
    edges, _ = edges_frame(net, spark=spark)
    res = eisenberg_noe_spark(edges, e, n=net.n_nodes, nodes=net.nodes, spark=spark)
    assert single.failed.sum() > 100 and np.array_equal(res.failed, single.failed)
    for name in ("payments", "equity_after", "outside_shortfall"):
        assert close(res.extra[name], single.extra[name]), name
    assert close(res.loss, single.loss) and np.array_equal(res.top_source, single.top_source)
    assert res.to_frame().columns.tolist() == single.to_frame().columns.tolist()


def test_clearing_hand_example_and_picard(spark: Any) -> None:
    # Eisenberg–Noe example of the clearing docstring: payments (270, 290, 110) / 11.
    edges = spark.createDataFrame(pd.DataFrame({"src": [0, 0, 1, 1, 2], "dst": [1, 2, 0, 2, 0],
                                                "amount": [20.0, 10.0, 5.0, 24.0, 10.0]}))
    res = eisenberg_noe_spark(edges, [10.0, 10.0, 10.0], n=3, spark=spark)
    assert np.allclose(res.extra["payments"] * 11, [270.0, 290.0, 110.0], rtol=1e-12, atol=0)
    single = eisenberg_noe([[0, 20, 10], [5, 0, 24], [10, 0, 0]], [10, 10, 10])
    assert res.failure_round.tolist() == single.failure_round.tolist() == [0, 1, -1]
    # Picard converges geometrically: a looser stopping step, payments within it.
    slow = eisenberg_noe_spark(edges, [10.0, 10.0, 10.0], n=3, method="picard", tol=1e-3, spark=spark)
    assert np.allclose(slow.extra["payments"] * 11, [270.0, 290.0, 110.0], rtol=1e-2) and slow.failed.tolist() == [
        True, True, False]


def test_debtrank_and_cascade_equal_single_machine(spark: Any, web: tuple[Network, pd.DataFrame]) -> None:
    net, sheets = web
    E = sheets["equity"].to_numpy()
    h1 = debtrank_shock(net)
    edges, _ = edges_frame(net, spark=spark)
    single = debtrank_network(net, E, h1)
    res = debtrank_spark(edges, E, h1, n=net.n_nodes, nodes=net.nodes, spark=spark)
    assert close(res.relative_loss, single.relative_loss) and res.rounds == single.rounds
    assert np.array_equal(res.failed, single.failed) and np.array_equal(res.failure_round, single.failure_round)
    assert np.array_equal(res.top_source, single.top_source)
    assert res.params["debtrank"] == pytest.approx(single.params["debtrank"], rel=RTOL)

    K = sheets["equity"].to_numpy() * 0.2
    first = [net.nodes[i] for i in np.flatnonzero(h1)]
    single_c = cascade_network(net, K, first, recovery=0.4)
    res_c = threshold_cascade_spark(edges, K, h1 > 0, n=net.n_nodes, recovery=0.4, nodes=net.nodes, spark=spark)
    assert single_c.failed.sum() > len(first)
    assert np.array_equal(res_c.failure_round, single_c.failure_round) and close(res_c.loss, single_c.loss)
    assert np.array_equal(res_c.top_source, single_c.top_source)
    for name in ("interbank_assets", "share_lost", "vulnerable"):
        assert close(np.asarray(res_c.extra[name], float), np.asarray(single_c.extra[name], float)), name


def test_scc_equals_scipy_up_to_relabelling(spark: Any) -> None:
    net = synthetic_network(400, 1_600, seed=5, alpha=2.6)
    _, expected = connected_components(net.flows, directed=True, connection="strong")
    edges, _ = edges_frame(net, spark=spark)
    res = scc_spark(edges, n=net.n_nodes, spark=spark, local_edges=0)  # everything on Spark
    assert np.array_equal(res.labels, canonical_labels(expected))
    assert res.headline()["nontrivial_components"] >= 1 and res.local_finish_edges == 0
    # Hand example: a 3-cycle, a 2-cycle hanging off it, a chain and an isolated node.
    small = spark.createDataFrame(pd.DataFrame({"src": [0, 1, 2, 2, 3, 4, 5], "dst": [1, 2, 0, 3, 4, 3, 6],
                                                "amount": 1.0}))
    assert scc_spark(small, n=8, spark=spark, local_edges=0).labels.tolist() == [0, 0, 0, 3, 3, 5, 6, 7]


def test_max_circulation_equals_single_machine(spark: Any, web: tuple[Network, pd.DataFrame]) -> None:
    net, _ = web
    single = max_circulation(net)
    edges, _ = edges_frame(net, spark=spark)
    res = max_circulation_spark(edges, n=net.n_nodes, spark=spark, local_edges=5_000)
    assert res.edges_in_cycles == single.edges_in_cycles and res.scale == single.scale
    assert res.circular_volume == pytest.approx(single.circular_volume, rel=RTOL)
    assert res.circularity_index == pytest.approx(single.circularity_index, rel=RTOL)
    # Same certificate: both are exact on the rounded amounts, and the per-component gaps add up.
    assert res.gap_bound == pytest.approx(single.gap_bound, rel=1e-6, abs=RTOL * single.gross)
    assert res.circular_volume <= single.upper_bound * (1 + RTOL) and single.circular_volume <= res.upper_bound * (1 + RTOL)
    assert res.edges.count() == single.edges_in_cycles
    # The SCCs behind it (first round on Spark, the rest below 5 000 edges in SciPy) are SciPy's.
    _, expected = connected_components(net.flows, directed=True, connection="strong")
    assert np.array_equal(res.scc.labels, canonical_labels(expected)) and res.scc.rounds >= 1


def test_monte_carlo_same_seed_same_numbers(spark: Any) -> None:
    net = synthetic_network(1_000, 10_000, seed=3)
    e = balance_sheets(net, seed=3)["cash"].to_numpy()
    # 72 runs are three blocks of run numbers (32, 32, 8): spread over 3 and over 2 partitions.
    single = monte_carlo_clearing(net.src, net.dst, net.amount, e, runs=72, seed=9)
    assert single.failures.sum() > 0
    for partitions in (3, 2):
        fanned = monte_carlo_spark(net.src, net.dst, net.amount, e, runs=72, seed=9, partitions=partitions, spark=spark)
        # per run: bit for bit; per node: sums over runs in Spark's order, within the stated 1e-12
        assert np.array_equal(fanned.total_loss, single.total_loss) and np.array_equal(fanned.failures, single.failures)
        np.testing.assert_allclose(fanned.mean_loss, single.mean_loss, rtol=1e-12, atol=0)
        np.testing.assert_array_equal(fanned.p_fail, single.p_fail)


def test_edges_from_parquet(spark: Any, tmp_path: Path) -> None:
    net = synthetic_network(500, 2_000, seed=1)
    path = write_parquet(net, tmp_path / "e.parquet")
    edges, nodes = edges_frame(path, spark=spark)
    ids = nodes.toPandas().sort_values("id")["node"].tolist()
    assert ids == sorted(set(net.nodes[i] for i in np.concatenate([net.src, net.dst])))
    back = edges.toPandas()
    assert len(back) == net.n_edges and back["amount"].sum() == pytest.approx(net.gross)
