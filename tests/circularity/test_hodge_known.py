"""Helmholtz–Hodge decomposition on hand-computed networks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from dealweb.circularity.hodge import HodgeConvergenceError, hodge_decomposition
from dealweb.errors import ValidationError
from dealweb.network import Network


def test_pure_cycle_is_all_loop() -> None:
    res = hodge_decomposition(np.array([[0, 4, 0], [0, 0, 4], [4, 0, 0]], dtype=float))
    np.testing.assert_allclose(res.potential, 0.0, atol=1e-12)
    assert res.loop_share == pytest.approx(1.0) and res.gradient_share == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(res.loop, res.net_flow)


def test_chain_is_all_gradient_and_money_flows_downhill() -> None:
    # 0 → 1 (3), 1 → 2 (1): a tree, so φ0 − φ1 = 3 and φ1 − φ2 = 1 exactly; mean 0 gives
    # φ = (7/3, −2/3, −5/3).
    for solver in ("direct", "cg"):
        res = hodge_decomposition([[0, 3, 0], [0, 0, 1], [0, 0, 0]], solver=solver)  # type: ignore[arg-type]
        np.testing.assert_allclose(res.potential, [7 / 3, -2 / 3, -5 / 3], atol=1e-9)
        assert res.loop_share == pytest.approx(0.0, abs=1e-18) and res.solver == solver
    assert res.to_frame()["id"].tolist() == [0, 1, 2]  # ranked from upstream to downstream


def test_triangle_with_unequal_flows() -> None:
    # 0 → 1: 3, 1 → 2: 2, 2 → 0: 1. Pairs (0,1), (0,2), (1,2) carry f = (3, −1, 2).
    # Net outflow Bᵀf = (3 − 1, 2 − 3, 1 − 2) = (2, −1, −1). On a triangle L = 3I − J, so for a
    # mean-zero φ, Lφ = 3φ and φ = (2/3, −1/3, −1/3).
    # Gradient g = (φ0 − φ1, φ0 − φ2, φ1 − φ2) = (1, 1, 0); loop c = f − g = (2, −2, 2): 2 going
    # round 0 → 1 → 2 → 0. Loop share ‖c‖²/‖f‖² = 12/14.
    res = hodge_decomposition([[0, 3, 0], [0, 0, 2], [1, 0, 0]])
    np.testing.assert_allclose(res.potential, [2 / 3, -1 / 3, -1 / 3])
    assert list(zip(res.pair_i.tolist(), res.pair_j.tolist(), strict=True)) == [(0, 1), (0, 2), (1, 2)]
    np.testing.assert_allclose(res.net_flow, [3, -1, 2])
    np.testing.assert_allclose(res.gradient, [1, 1, 0], atol=1e-12)
    np.testing.assert_allclose(res.loop, [2, -2, 2], atol=1e-12)
    assert res.loop_share == pytest.approx(6 / 7)
    # The gradient sends 1 from 0 to 2 against the actual net flow 2 → 0: the parts need not
    # follow the deals' directions (the caveat in the module docstring).
    pairs = res.pairs_frame().set_index(["source", "target"])
    assert pairs.loc[(2, 0), "net_flow"] == 1.0 and pairs.loc[(2, 0), "gradient"] == pytest.approx(-1.0)


def test_reciprocal_deals_cancel() -> None:
    res = hodge_decomposition([[0, 5], [5, 0]])
    assert res.net_flow.tolist() == [0.0] and np.isnan(res.loop_share)
    assert res.potential.tolist() == [0.0, 0.0]


def test_components_have_mean_zero_potential() -> None:
    flows = sp.block_diag([np.array([[0, 2.0], [0, 0]]), np.array([[0, 1.0, 0], [0, 0, 1], [0, 0, 0]])]).tocsr()
    res = hodge_decomposition(flows)
    np.testing.assert_allclose(res.potential, [1, -1, 1, 0, -1], atol=1e-12)
    assert res.component.tolist() == [0, 0, 1, 1, 1]


def test_cg_agrees_with_direct_on_a_random_graph() -> None:
    rng = np.random.default_rng(11)
    n = 800
    flows = sp.random_array((n, n), density=0.01, random_state=rng, data_sampler=lambda size: rng.lognormal(0, 1, size))
    direct = hodge_decomposition(flows, solver="direct")
    iterative = hodge_decomposition(flows, solver="cg", tol=1e-12)
    scale = np.abs(direct.potential).max()
    np.testing.assert_allclose(iterative.potential, direct.potential, atol=1e-8 * scale)
    assert iterative.iterations > 0 and iterative.residual < 1e-11
    assert iterative.loop_share == pytest.approx(direct.loop_share, rel=1e-9)


def test_cg_that_does_not_converge_raises() -> None:
    rng = np.random.default_rng(2)
    flows = sp.random_array((300, 300), density=0.02, random_state=rng)
    with pytest.raises(HodgeConvergenceError, match="did not reach"):
        hodge_decomposition(flows, solver="cg", max_iter=2)


def test_network_result_names_upstream_and_downstream() -> None:
    edges = pd.DataFrame({"source": ["fund", "fund", "lab", "lab", "cloud"],
                          "target": ["lab", "lab", "cloud", "lab", "lab"],
                          "amount": [4.0, 6.0, 8.0, 1.0, 2.0]})
    net = Network.from_edges(edges)
    res = hodge_decomposition(net)
    # Pairs: fund–lab net 10 → lab; lab–cloud net 8 − 2 = 6 → cloud (self-loop ignored): a path.
    assert res.headline()["most_upstream"][0] == "fund" and res.headline()["most_downstream"][0] == "cloud"
    pairs = res.pairs_frame()
    assert set(zip(pairs["source"], pairs["target"], pairs["net_flow"], strict=True)) == {("fund", "lab", 10.0),
                                                                                            ("lab", "cloud", 6.0)}
    assert res.network_params == net.params and res.to_dict()["headline"]["loop_share"] == pytest.approx(0.0, abs=1e-20)


def test_bad_inputs_are_rejected() -> None:
    with pytest.raises(ValidationError, match="non-negative"):
        hodge_decomposition([[0, np.inf], [0, 0]])
    with pytest.raises(ValueError, match="square"):
        hodge_decomposition(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="solver"):
        hodge_decomposition([[0, 1], [0, 0]], solver="qr")  # type: ignore[arg-type]
