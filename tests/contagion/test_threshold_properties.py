"""Shared contagion contract for threshold cascades, on integer toys (so every sum is exact in floating point).

Contract: no negative losses, zero shock (no initial defaults) ⇒ zero loss and no failures,
invariance under relabelling, monotone in the shock (more initial defaults, less recovery).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dealweb.contagion.threshold import threshold_cascade

SETTINGS = settings(max_examples=50, deadline=None)
RULES = st.sampled_from(["furfine", "gai_kapadia"])
RECOVERY = st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0])


@st.composite
def networks(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Integer exposures, integer buffers (0 allowed) and an initial-default mask on 1–8 nodes."""
    n = draw(st.integers(1, 8))
    cells = draw(st.lists(st.sampled_from([0, 0, 0, 1, 2, 3, 6]), min_size=n * n, max_size=n * n))
    A = np.array(cells, dtype=float).reshape(n, n)
    np.fill_diagonal(A, 0)
    K = np.array(draw(st.lists(st.integers(0, 9), min_size=n, max_size=n)), dtype=float)
    initial = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    return A, K, initial


@SETTINGS
@given(networks(), RULES, RECOVERY, st.booleans())
def test_bookkeeping(net: tuple[np.ndarray, np.ndarray, np.ndarray], rule: str, recovery: float, strict: bool) -> None:
    A, K, initial = net
    r = threshold_cascade(A, K, initial, rule=rule, recovery=recovery, strict=strict)  # type: ignore[arg-type]
    used = A if rule == "furfine" else _split(A)
    assert (r.loss >= 0).all()
    assert (r.failed[initial]).all() and ((r.failure_round == 0) == initial).all()
    assert ((r.failure_round >= 0) == r.failed).all() and r.failure_round.max(initial=0) <= r.rounds
    np.testing.assert_allclose(r.loss, used @ r.failed * (1 - recovery))
    contagion = r.failed & ~initial
    if strict:
        assert (r.loss[~r.failed] <= K[~r.failed]).all() and (r.loss[contagion] > K[contagion]).all()
    else:
        assert ((r.loss < K) | (r.loss == 0))[~r.failed].all() and (r.loss[contagion] >= K[contagion]).all()
    # Each contagion failure in round k is explained by failures in rounds < k.
    for i in np.flatnonzero(contagion):
        before = (r.failure_round >= 0) & (r.failure_round < r.failure_round[i])
        if rule == "furfine":
            lost = used[i] @ before * (1 - recovery)
        else:  # the same single rounding as the model: (A_i / k_i) · (defaulted count · (1 − R))
            lost = A[i].sum() / (A[i] > 0).sum() * ((A[i] > 0).astype(float) @ before * (1 - recovery))
        assert lost > K[i] if strict else lost >= K[i]
    has = r.top_source >= 0
    assert (has == (r.loss > 0)).all()
    assert r.failed[r.top_source[has]].all() and (used[np.flatnonzero(has), r.top_source[has]] > 0).all()
    np.testing.assert_allclose(r.extra["interbank_assets"], used.sum(axis=1))


@SETTINGS
@given(networks(), RULES)
def test_no_initial_default_no_loss(net: tuple[np.ndarray, np.ndarray, np.ndarray], rule: str) -> None:
    A, K, _ = net
    for strict in (True, False):
        r = threshold_cascade(A, K, [], rule=rule, strict=strict)  # type: ignore[arg-type]
        assert (r.loss == 0).all() and not r.failed.any() and r.rounds == 0 and (r.top_source == -1).all()


@SETTINGS
@given(networks(), RULES, RECOVERY, st.randoms(use_true_random=False))
def test_relabelling_invariance(net: tuple[np.ndarray, np.ndarray, np.ndarray], rule: str, recovery: float,
                                rnd) -> None:  # type: ignore[no-untyped-def]
    A, K, initial = net
    n = len(K)
    perm = np.array(rnd.sample(range(n), n))  # new node k is old node perm[k]
    inverse = np.argsort(perm)
    r = threshold_cascade(A, K, initial, rule=rule, recovery=recovery)  # type: ignore[arg-type]
    p = threshold_cascade(A[np.ix_(perm, perm)], K[perm], initial[perm], rule=rule, recovery=recovery)  # type: ignore[arg-type]
    assert (p.failure_round == r.failure_round[perm]).all() and p.rounds == r.rounds
    np.testing.assert_array_equal(p.loss, r.loss[perm])
    # The top source is a label, not a position: map it back. Ties go to the smallest index, so
    # compare the size of the contribution rather than the index.
    used = A if rule == "furfine" else _split(A)
    has = r.top_source[perm] >= 0
    assert ((p.top_source >= 0) == has).all()
    rows = np.flatnonzero(has)
    mine = used[perm[rows], perm[p.top_source[rows]]]
    theirs = used[perm[rows], r.top_source[perm][rows]]
    np.testing.assert_array_equal(mine, theirs)
    assert (inverse[perm] == np.arange(n)).all()


@SETTINGS
@given(networks(), st.lists(st.booleans(), min_size=8, max_size=8), RULES, RECOVERY, st.booleans())
def test_monotone_in_initial_defaults(net: tuple[np.ndarray, np.ndarray, np.ndarray], extra: list[bool], rule: str,
                                      recovery: float, strict: bool) -> None:
    A, K, initial = net
    more = initial | np.array(extra[: len(K)])
    lo = threshold_cascade(A, K, initial, rule=rule, recovery=recovery, strict=strict)  # type: ignore[arg-type]
    hi = threshold_cascade(A, K, more, rule=rule, recovery=recovery, strict=strict)  # type: ignore[arg-type]
    assert (hi.failed >= lo.failed).all() and (hi.loss >= lo.loss).all()


@SETTINGS
@given(networks(), RECOVERY, RECOVERY, RULES)
def test_monotone_in_recovery(net: tuple[np.ndarray, np.ndarray, np.ndarray], r1: float, r2: float, rule: str) -> None:
    A, K, initial = net
    lo_r, hi_r = sorted((r1, r2))
    worse = threshold_cascade(A, K, initial, rule=rule, recovery=lo_r)  # type: ignore[arg-type]
    better = threshold_cascade(A, K, initial, rule=rule, recovery=hi_r)  # type: ignore[arg-type]
    assert (worse.failed >= better.failed).all() and (worse.loss >= better.loss).all()


def _split(A: np.ndarray) -> np.ndarray:
    """Gai–Kapadia equal split, written directly: each row's total over its non-zero entries."""
    k = (A > 0).sum(axis=1, keepdims=True)
    return np.where(A > 0, A.sum(axis=1, keepdims=True) / np.maximum(k, 1), 0.0)
