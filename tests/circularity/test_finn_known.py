"""Finn cycling index against hand-computed networks and enaR's published oyster-reef output."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from dealweb.circularity.finn import FinnConvergenceError, UnbalancedModelWarning, finn_cycling_index
from dealweb.errors import ValidationError
from dealweb.network import Network


def enar_reference(flows: np.ndarray, z: np.ndarray) -> float:
    """FCI straight from enaR's enaFlow formulas with one dense inverse of the whole G."""
    flows = np.array(flows, dtype=float)
    np.fill_diagonal(flows, 0.0)
    T = flows.sum(axis=0) + z
    if T.sum() == 0:
        return 0.0  # enaR gives NaN (0/0); dealweb reports no cycling
    with np.errstate(divide="ignore", invalid="ignore"):
        G = np.where(T[None, :] > 0, flows.T / T[None, :], 0.0)  # G[j, i] = F[i, j] / T_i
    d = np.diag(np.linalg.inv(np.eye(len(T)) - G))
    return float(((d - 1) / d * T).sum() / T.sum())


def test_two_node_cycle_closing_the_books() -> None:
    # A → B 10, B → A 6. Closure: z = (4, 0), y = (0, 4), T = (10, 10).
    # G = [[0, 6/10], [10/10, 0]];  I − G = [[1, −0.6], [−1, 1]], det 0.4;
    # N = [[2.5, 1.5], [2.5, 2.5]];  (n_ii − 1)/n_ii = 0.6;  TSTc = 0.6·10 + 0.6·10 = 12, TST = 20.
    res = finn_cycling_index(np.array([[0.0, 10.0], [6.0, 0.0]]))
    assert res.inputs.tolist() == [4.0, 0.0] and res.outputs.tolist() == [0.0, 4.0]
    assert res.throughflow.tolist() == [10.0, 10.0]
    np.testing.assert_allclose(res.n_ii, [2.5, 2.5])
    assert res.fci == pytest.approx(0.6) and res.tst == 20.0 and res.tstc == pytest.approx(12.0)
    # Boundary 4, APL 20/4, BFI 4/20; G z = (0, 4) so DFI 4/20; (N − I − G) z = (6, 6) so IFI 12/20.
    assert (res.boundary, res.apl, res.bfi) == (4.0, 5.0, 0.2)
    assert res.dfi == pytest.approx(0.2) and res.ifi == pytest.approx(0.6)
    assert res.tstp == 24.0 and res.balanced and res.boundary_source == "closure" and res.method == "exact"


def test_two_node_cycle_with_given_boundary() -> None:
    # z = (5, 1), y = (1, 5): T = (11, 11), G_BA = 10/11, G_AB = 6/11, return probability 60/121,
    # n_ii = 121/61, TSTc = 2·11·60/121, FCI = 60/121.
    res = finn_cycling_index([[0, 10], [6, 0]], [5, 1], [1, 5])
    assert res.fci == pytest.approx(60 / 121)
    np.testing.assert_allclose(res.n_ii, [121 / 61, 121 / 61])
    assert res.boundary_source == "given" and res.balanced


def test_oyster_reef_matches_enar_vignette() -> None:
    # Dame & Patten (1981) oyster reef, as printed by enaR's vignette (Lau & Borrett,
    # "enaR: Ecosystem Network Analysis with R", SEELab/enaR vignettes/enaR-vignette.tex):
    # unpack(m)$F (row → column), z, y, and F$ns
    #   Boundary 41.47  TST 83.5833  TSTp 125.0533  APL 2.015512  FCI 0.1101686
    #   BFI 0.4961517   DFI 0.1950689  IFI 0.3087794  mode2.F (cycled flow = TSTc) 9.208256
    names = ["Filter Feeders", "Microbiota", "Meiofauna", "Deposit Feeders", "Predators", "Deposited Detritus"]
    F = np.zeros((6, 6))
    F[0, 4], F[0, 5] = 0.5135, 15.7910
    F[1, 2], F[1, 3] = 1.2060, 1.2060
    F[2, 3], F[2, 5] = 0.6609, 4.2403
    F[3, 4], F[3, 5] = 0.1721, 1.9076
    F[4, 5] = 0.3262
    F[5, 1], F[5, 2], F[5, 3] = 8.1721, 7.2745, 0.6431
    z = pd.Series({"Filter Feeders": 41.47})
    y = pd.Series(dict(zip(names, [25.1650, 5.7600, 3.5794, 0.4303, 0.3594, 6.1759], strict=True)))
    rows = [(names[i], names[j], F[i, j]) for i, j in zip(*np.nonzero(F), strict=True)]
    net = Network.from_edges(pd.DataFrame(rows, columns=["source", "target", "amount"]), nodes=names)
    res = finn_cycling_index(net, z, y)
    printed = {"boundary": 41.47, "tst": 83.5833, "tstp": 125.0533, "apl": 2.015512, "fci": 0.1101686,
               "bfi": 0.4961517, "dfi": 0.1950689, "ifi": 0.3087794, "tstc": 9.208256}
    for key, value in printed.items():
        assert getattr(res, key) == pytest.approx(value, rel=1e-6), key
    assert res.balanced  # enaR's ssCheck passes it (imbalance ≤ 0.0005 per node)


def test_acyclic_network_has_no_cycling() -> None:
    res = finn_cycling_index(sp.csr_array(np.array([[0, 5, 2], [0, 0, 3], [0, 0, 0]], dtype=float)))
    assert res.fci == 0.0 and res.tstc == 0.0 and np.all(res.n_ii == 1.0)


def test_closed_cycle_cycles_everything() -> None:
    # Nothing enters or leaves a balanced 3-cycle: N does not exist, n_ii → ∞, all throughflow cycles.
    res = finn_cycling_index([[0, 2, 0], [0, 0, 2], [2, 0, 0]])
    assert res.fci == 1.0 and np.all(np.isinf(res.n_ii)) and res.boundary == 0.0
    assert res.apl == float("inf")


def test_many_small_sccs_match_one_dense_inverse() -> None:
    rng = np.random.default_rng(3)
    blocks = [rng.uniform(0.5, 5, (m, m)) * (rng.random((m, m)) < 0.7) for m in [2, 2, 3, 3, 3, 4, 7]]
    F = sp.block_diag(blocks).toarray()
    F[0, 5] = 4.0  # a bridge between two SCCs
    res = finn_cycling_index(F)
    assert res.fci == pytest.approx(enar_reference(F, res.inputs), rel=1e-12)


def test_unbalanced_model_warns_and_computes() -> None:
    # z = (5, 0), no outputs: A takes in 6 + 5 and passes on 10. T = (11, 10), G_BA = 10/11,
    # G_AB = 6/10, return probability 6/11 at both nodes, TSTc = 6/11 · 21, FCI = 6/11.
    with pytest.warns(UnbalancedModelWarning, match="not at steady state"):
        res = finn_cycling_index([[0, 10], [6, 0]], [5, 0], [0, 0])
    assert not res.balanced and res.fci == pytest.approx(6 / 11)


def test_one_side_given_closes_the_other() -> None:
    res = finn_cycling_index([[0, 10], [6, 0]], inputs=[5, 1])
    assert res.outputs.tolist() == [1.0, 5.0] and res.boundary_source == "outputs_closed" and res.balanced
    res = finn_cycling_index([[0, 10], [6, 0]], outputs=[1, 5])
    assert res.inputs.tolist() == [5.0, 1.0] and res.boundary_source == "inputs_closed"


def test_random_walks_agree_with_exact() -> None:
    rng = np.random.default_rng(7)
    n = 300
    F = rng.lognormal(0, 1, (n, n)) * (rng.random((n, n)) < 0.02)
    F = F + 0.8 * F.T  # reciprocity, so that a good share of the flow comes back (FCI ≈ 0.24)
    exact = finn_cycling_index(F)
    walked = finn_cycling_index(F, method="montecarlo", n_walks=100_000, seed=1)
    assert exact.fci > 0.2 and walked.method == "montecarlo" and 0 < walked.fci_stderr < 0.002
    assert abs(walked.fci - exact.fci) < 4 * walked.fci_stderr
    assert exact.nodes_estimated == 0 and walked.nodes_estimated == int((exact.n_ii > 1).sum())
    auto = finn_cycling_index(F, exact_limit=10, n_walks=100_000, seed=1)
    assert auto.fci == walked.fci  # same walks: the only SCC is above the limit
    assert finn_cycling_index(F, method="montecarlo", n_walks=1000, seed=5).fci == \
        finn_cycling_index(F, method="montecarlo", n_walks=1000, seed=5).fci


def test_walks_that_run_too_long_raise() -> None:
    n = 50
    F = np.zeros((n, n))
    F[np.arange(n), (np.arange(n) + 1) % n] = 1.0
    with pytest.raises(FinnConvergenceError, match="max_iter"):
        finn_cycling_index(F, [1e-3] + [0] * (n - 1), method="montecarlo", max_iter=10, n_walks=100)


def test_network_result_keeps_ids_and_provenance() -> None:
    edges = pd.DataFrame({"source": ["a", "b", "b"], "target": ["b", "a", "b"], "amount": [10.0, 6.0, 99.0]})
    net = Network.from_edges(edges)
    res = finn_cycling_index(net)
    assert res.fci == pytest.approx(0.6)  # the self-loop b → b is ignored
    frame = res.to_frame()
    assert frame["id"].tolist() == ["a", "b"] and frame["return_probability"].round(9).tolist() == [0.6, 0.6]
    assert res.network_params == net.params and res.to_dict()["headline"]["fci"] == pytest.approx(0.6)


def test_bad_inputs_are_rejected() -> None:
    with pytest.raises(ValidationError, match="non-negative"):
        finn_cycling_index([[0, -1], [1, 0]])
    with pytest.raises(ValueError, match="square"):
        finn_cycling_index(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="not in the network"):
        finn_cycling_index([[0, 1], [1, 0]], inputs=pd.Series({5: 1.0}))
    with pytest.raises(ValidationError, match="inputs"):
        finn_cycling_index([[0, 1], [1, 0]], inputs=[np.nan, 0])
    with pytest.raises(ValidationError, match="outputs"):
        finn_cycling_index([[0, 1], [1, 0]], outputs=pd.Series({0: np.nan}))  # missing ids are 0, NaN is not
    with pytest.raises(ValueError, match="one value per node"):
        finn_cycling_index([[0, 1], [1, 0]], outputs=[1.0])
    with pytest.raises(ValueError, match="method"):
        finn_cycling_index([[0, 1], [1, 0]], method="fast")  # type: ignore[arg-type]
