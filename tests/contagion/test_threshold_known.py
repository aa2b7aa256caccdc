"""Threshold cascades (Furfine 2003; Gai & Kapadia 2010) on hand-computed toys and against a port of systemicrisk.

Convention: ``A[i, j]`` is i's exposure to j (what i loses, before recovery, if j defaults).
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from dealweb.contagion.threshold import threshold_cascade

# Chain of creditors: 0 lent 5 to 1, 1 lent 6 to 2, 2 lent 8 to 3.
CHAIN = np.array([[0, 5, 0, 0], [0, 0, 6, 0], [0, 0, 0, 8], [0, 0, 0, 0]], dtype=float)
CHAIN_K = np.array([4.0, 5.0, 7.0, 1.0])


def test_chain_cascades_round_by_round() -> None:
    # Round 0: 3 defaults. Round 1: 2 loses 8 > 7. Round 2: 1 loses 6 > 5. Round 3: 0 loses 5 > 4.
    r = threshold_cascade(CHAIN, CHAIN_K, [3])
    assert r.failure_round.tolist() == [3, 2, 1, 0]
    assert r.rounds == 3
    assert r.loss.tolist() == [5.0, 6.0, 8.0, 0.0]
    np.testing.assert_allclose(r.relative_loss, [5 / 4, 6 / 5, 8 / 7, 0.0])
    assert r.top_source.tolist() == [1, 2, 3, -1]
    assert r.model == "furfine" and r.params["strict"] is True and r.params["equal_split"] is False
    assert r.headline()["failed_in_contagion"] == 3


def test_recovery_reduces_losses() -> None:
    # R = 0.1: 2 loses 7.2 > 7, 1 loses 5.4 > 5, 0 loses 4.5 > 4 — everyone still falls.
    r = threshold_cascade(CHAIN, CHAIN_K, [3], recovery=0.1)
    assert r.failure_round.tolist() == [3, 2, 1, 0]
    np.testing.assert_allclose(r.loss, [4.5, 5.4, 7.2, 0.0])
    # R = 0.2: 2 loses 6.4 ≤ 7 and the cascade stops at once.
    r = threshold_cascade(CHAIN, CHAIN_K, [3], recovery=0.2)
    assert r.failure_round.tolist() == [-1, -1, -1, 0] and r.rounds == 0
    np.testing.assert_allclose(r.loss, [0, 0, 6.4, 0])
    assert r.top_source.tolist() == [-1, -1, 3, -1]
    # Full recovery: nobody loses anything.
    r = threshold_cascade(CHAIN, CHAIN_K, [3], recovery=1.0)
    assert r.loss.tolist() == [0, 0, 0, 0] and (r.top_source == -1).all()
    # Recovery per debtor: claims on 3 recover 20 % (2 survives with 6.4), claims on others nothing.
    r = threshold_cascade(CHAIN, CHAIN_K, [3, 1], recovery={3: 0.2})
    assert r.failure_round.tolist() == [1, 0, -1, 0]
    np.testing.assert_allclose(r.loss, [5.0, 0.0, 6.4, 0.0])
    assert r.params["recovery"] == "per_debtor"


def test_losses_accumulate_over_rounds() -> None:
    # 1 defaults. Round 1: 2 loses 10 > 5; 0 loses 3 ≤ 5 and survives. Round 2: 0 loses 3 + 4 = 7 > 5.
    A = np.array([[0, 3, 4], [0, 0, 0], [0, 10, 0]], dtype=float)
    r = threshold_cascade(A, [5, 1, 5], [1])
    assert r.failure_round.tolist() == [2, 0, 1]
    assert r.loss.tolist() == [7.0, 0.0, 10.0]
    assert r.top_source.tolist() == [2, -1, 1]  # 4 on node 2 beats 3 on node 1


def test_strict_versus_non_strict_at_equality() -> None:
    K = CHAIN_K.copy()
    K[2] = 8.0  # node 2 loses exactly its buffer
    assert threshold_cascade(CHAIN, K, [3]).failed.tolist() == [False, False, False, True]
    r = threshold_cascade(CHAIN, K, [3], strict=False)
    assert r.failure_round.tolist() == [3, 2, 1, 0] and r.params["test"] == "loss >= buffer and loss > 0"
    # A zero buffer with nothing lost never fails, whichever test.
    r = threshold_cascade(CHAIN, [0, 0, 0, 0], [0], strict=False)
    assert r.failed.tolist() == [True, False, False, False]
    assert np.isnan(r.relative_loss).all()


def test_networkriskmeasures_e7_network() -> None:
    # Inputs of models.md E7 (NetworkRiskMeasures tests/testthat/test_3_impacts.R): assets matrix
    # matrix(c(0, 10, 3, 1, 0, 2, 0, 3, 0), ncol = 3) read by column → rows a = (0, 1, 0),
    # b = (10, 0, 3), c = (3, 2, 0); buffers (2, 5, 2). The published numbers there are
    # communicability measures; the cascades below are computed by hand.
    A = np.array([[0, 1, 0], [10, 0, 3], [3, 2, 0]], dtype=float)
    K = [2, 5, 2]
    nodes = ["a", "b", "c"]
    # a fails: b loses 10 > 5 and c loses 3 > 2, both in round 1; a then loses its 1 on b.
    r = threshold_cascade(A, K, ["a"], nodes=nodes)
    assert r.failure_round.tolist() == [0, 1, 1] and r.top_source.tolist() == [1, 0, 0]
    assert r.loss.tolist() == [1.0, 13.0, 5.0]
    # b fails: c loses exactly 2 = its buffer — survives the strict test (systemicrisk), fails the
    # non-strict one (NetworkRiskMeasures' threshold engine: stress ≥ 1); a loses 1 < 2 either way.
    assert threshold_cascade(A, K, ["b"], nodes=nodes).failed.tolist() == [False, True, False]
    r = threshold_cascade(A, K, ["b"], nodes=nodes, strict=False)
    assert r.failure_round.tolist() == [-1, 0, 1]
    assert r.loss.tolist() == [1.0, 3.0, 2.0] and r.top_source.tolist() == [1, 2, 1]
    # c fails: b loses 3 ≤ 5, nobody else is exposed to c.
    assert threshold_cascade(A, K, ["c"], nodes=nodes).failed.tolist() == [False, False, True]


# Gai–Kapadia toy: node 0 holds interbank assets (0, 1, 2, 3, 0) → A_0 = 6 over k_0 = 3 counterparties,
# 2 each when split equally; node 4 holds (1, 5, 0, 0, 0) → 3 each. Buffers K_0 = 3.5, K_4 = 4.
GK = np.zeros((5, 5))
GK[0, 1:4] = [1, 2, 3]
GK[4, :2] = [1, 5]
GK_K = np.array([3.5, 1, 1, 1, 4])


def test_gai_kapadia_equal_split_by_hand() -> None:
    # Capital ratio of 0 is 3.5 / 6 ≈ 0.583: it fails once more than 58 % of its counterparties fail.
    # 1 and 2 fail. Round 1: 0 has lost 2/3 of its interbank assets (2 + 2 = 4 > 3.5) → fails;
    # 4 has lost 1/2 (3 ≤ 4). Round 2: 4 has also lost its claim on 0: 3 + 3 = 6 > 4 → fails.
    r = threshold_cascade(GK, GK_K, [1, 2], rule="gai_kapadia")
    assert r.model == "gai_kapadia" and r.params["equal_split"] is True
    assert r.failure_round.tolist() == [1, 0, 0, -1, 2] and r.rounds == 2
    np.testing.assert_allclose(r.loss, [4, 0, 0, 0, 6])
    np.testing.assert_allclose(r.extra["interbank_assets"], [6, 0, 0, 0, 6])
    np.testing.assert_allclose(r.extra["share_lost"], [2 / 3, 0, 0, 0, 1])
    np.testing.assert_allclose(r.extra["capital_ratio"], [3.5 / 6, np.inf, np.inf, np.inf, 4 / 6])
    # Vulnerable (one counterparty suffices): K/A < 1/k, i.e. 0.583 < 1/3? no; 0.667 < 1/2? no.
    assert not r.extra["vulnerable"].any()
    assert r.top_source.tolist() == [1, -1, -1, -1, 0]  # ties (2 and 2; 3 and 3) go to the smallest index
    # Furfine on the exposures as given: 0 loses 1 + 2 = 3 ≤ 3.5 and survives; 4 loses 5 > 4 in round 1.
    f = threshold_cascade(GK, GK_K, [1, 2])
    assert f.failure_round.tolist() == [-1, 0, 0, -1, 1] and f.rounds == 1
    assert f.extra["vulnerable"].tolist() == [False, False, False, False, True]  # 5 > 4 from node 1 alone
    # The two rules agree once the exposures are the same.
    same = threshold_cascade(GK, GK_K, [1, 2], rule="gai_kapadia", equal_split=False)
    assert same.failure_round.tolist() == f.failure_round.tolist()
    split = threshold_cascade(GK, GK_K, [1, 2], equal_split=True)
    assert split.failure_round.tolist() == r.failure_round.tolist()


def test_gai_kapadia_vulnerable_bank() -> None:
    # K/A = 1.5/6 = 0.25 < 1/k = 1/3: any single counterparty's default (2 lost) wipes it out.
    K = GK_K.copy()
    K[0] = 1.5
    r = threshold_cascade(GK, K, [3], rule="gai_kapadia")
    assert r.extra["vulnerable"][0] and r.failure_round[0] == 1


def test_labels_masks_sparse_and_self_exposure() -> None:
    nodes = ["w", "x", "y", "z"]
    A = sp.csr_array(CHAIN + 50 * np.eye(4))  # self-exposures are ignored
    by_label = threshold_cascade(A, CHAIN_K, ["z"], nodes=nodes)
    by_mask = threshold_cascade(A, CHAIN_K, [False, False, False, True], nodes=nodes)
    by_array = threshold_cascade(A, CHAIN_K, np.array([False, False, False, True]), nodes=nodes)
    for r in (by_label, by_mask, by_array):
        assert r.failure_round.tolist() == [3, 2, 1, 0] and r.nodes == tuple(nodes)
    assert threshold_cascade(A, CHAIN_K, "z", nodes=nodes).failed.all()
    none = threshold_cascade(A, CHAIN_K, [], nodes=nodes)
    assert not none.failed.any() and none.loss.sum() == 0 and none.rounds == 0


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"exposures": np.ones(3)}, "2-D"),
    ({"exposures": [[0, -2], [0, 0]]}, r"exposures\[0, 1\] = -2.0"),
    ({"buffers": [1, -1]}, r"buffers\[1\] = -1.0: buffers must be finite and >= 0"),
    ({"buffers": [1, np.inf]}, "finite"),
    ({"initial_defaults": [7]}, "initial_defaults: 7 is not one of the nodes"),
    ({"initial_defaults": [True]}, "boolean mask must have length 2"),
    ({"recovery": 1.5}, r"recovery\[0\] = 1.5"),
    ({"recovery": [0.1, 0.2, 0.3]}, "shape"),
    ({"rule": "eisenberg_noe"}, "rule"),
    ({"strict": "yes"}, "strict"),
])
def test_input_errors_name_the_argument(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"exposures": [[0, 1], [1, 0]], "buffers": [1, 1], "initial_defaults": [0]}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        threshold_cascade(**args)


def _systemicrisk_default_cascade(L: np.ndarray, networth: np.ndarray, recoveryrate: float) -> np.ndarray:
    """Line-by-line port of systemicrisk ``default_cascade`` (R/lib_Network_Evaluations.R).

    ``L[i, j]`` is what i owes j; the R function derives ``networth`` from the balance sheet, here it is given.
    """
    n = len(networth)
    dind = (networth < 0).astype(float)
    if (networth < 0).any():
        vec1 = np.full(n, 1 - recoveryrate)
        ndef = dind.sum()
        for _ in range(1, n):
            loss = (vec1 * dind) @ L
            dind = (networth < loss).astype(float)
            if dind.sum() == ndef:
                return dind.astype(bool)
            ndef = dind.sum()
    return dind.astype(bool)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 8).flatmap(lambda n: st.tuples(
    st.lists(st.lists(st.sampled_from([0, 0, 1, 2, 3, 5]), min_size=n, max_size=n), min_size=n, max_size=n),
    st.lists(st.integers(0, 8), min_size=n, max_size=n),
    st.lists(st.booleans(), min_size=n, max_size=n),
    st.sampled_from([0.0, 0.25, 0.5]))))
def test_furfine_matches_systemicrisk_port(data: tuple[list[list[int]], list[int], list[bool], float]) -> None:
    A = np.array(data[0], dtype=float)
    np.fill_diagonal(A, 0)
    K, initial, R = np.array(data[1], dtype=float), np.array(data[2]), data[3]
    r = threshold_cascade(A, K, initial, recovery=R)
    networth = np.where(initial, -1.0, K)  # initial defaults enter systemicrisk as negative net worth
    assert r.failed.tolist() == _systemicrisk_default_cascade(A.T, networth, R).tolist()
