"""Attribution on request and the thread count: they change how much is computed, never a number."""

from __future__ import annotations

import os

import numpy as np
import pytest
import scipy.sparse as sp

from dealweb.contagion import _exposures, debtrank, eisenberg_noe, rogers_veraart, threshold_cascade
from dealweb.scale.synth import balance_sheets, synthetic_network


def _web() -> tuple[sp.csr_array, np.ndarray, np.ndarray]:
    net = synthetic_network(400, 4000, seed=3)
    L = sp.csr_array(net.flows, copy=True)
    L.setdiag(0)
    L.eliminate_zeros()
    sheets = balance_sheets(net, seed=3)
    return L, sheets["cash"].to_numpy(), sheets["equity"].to_numpy()


def _same_but_top_source(a, b) -> None:  # type: ignore[no-untyped-def]
    for name in ("loss", "relative_loss", "failed", "failure_round"):
        assert np.array_equal(getattr(a, name), getattr(b, name), equal_nan=name == "relative_loss"), name
    assert a.rounds == b.rounds and a.extra.keys() == b.extra.keys()
    for key in a.extra:
        assert np.array_equal(a.extra[key], b.extra[key], equal_nan=True), key
    assert (b.top_source == -1).all() and (a.top_source >= 0).any()


@pytest.mark.parametrize("method", ["fda", "picard"])
def test_clearing_without_attribution_changes_nothing_else(method: str) -> None:
    L, cash, _ = _web()
    e = cash * 0.3  # many fail
    _same_but_top_source(eisenberg_noe(L, e, method=method), eisenberg_noe(L, e, method=method, attribute=False))
    _same_but_top_source(rogers_veraart(L, e, alpha=0.5, beta=0.7),
                         rogers_veraart(L, e, alpha=0.5, beta=0.7, attribute=False))


@pytest.mark.parametrize("rule", ["furfine", "gai_kapadia"])
def test_threshold_without_attribution_changes_nothing_else(rule: str) -> None:
    L, _, equity = _web()
    A = sp.csr_array(L.T)
    initial = np.zeros(A.shape[0], dtype=bool)
    initial[:40] = True
    _same_but_top_source(threshold_cascade(A, equity * 0.2, initial, rule=rule, recovery=0.1),
                         threshold_cascade(A, equity * 0.2, initial, rule=rule, recovery=0.1, attribute=False))


def test_a_boolean_mask_array_is_read_as_a_mask() -> None:
    A = np.array([[0, 5.0, 0], [0, 0, 6.0], [0, 0, 0]])
    mask = np.array([False, False, True])
    assert threshold_cascade(A, [4, 5, 1], mask).failure_round.tolist() == [2, 1, 0]
    with pytest.raises(ValueError, match="as a boolean mask must have length 3, got 2"):
        threshold_cascade(A, [4, 5, 1], np.array([True, False]))


def test_the_input_matrix_is_not_changed_and_not_copied_needlessly() -> None:
    L, _, equity = _web()
    A = sp.csr_array(L.T)
    before = (A.data.copy(), A.indices.copy(), A.indptr.copy())
    assert np.shares_memory(_exposures.as_exposures(A).data, A.data)  # canonical, no diagonal, no zeros: the same arrays
    h1 = np.zeros(A.shape[0])
    h1[:20] = 0.5
    debtrank(A, equity, h1)
    threshold_cascade(A, equity, h1 > 0)
    assert all(np.array_equal(x, y) for x, y in zip(before, (A.data, A.indices, A.indptr), strict=True))
    messy = sp.csr_array(np.array([[1.0, 2.0], [0.0, 0.0]]))  # a diagonal entry to drop: a fresh matrix
    assert not np.shares_memory(_exposures.as_exposures(messy).data, messy.data) and messy.toarray()[0, 0] == 1.0


@pytest.mark.parametrize("threads", ["1", "2", "junk"])
def test_thread_count_changes_no_number(monkeypatch: pytest.MonkeyPatch, threads: str) -> None:
    L, cash, equity = _web()
    reference = (eisenberg_noe(L, cash * 0.3), debtrank(sp.csr_array(L.T), equity, 0.1, variant="bardoscia2015"))
    monkeypatch.setenv("DEALWEB_THREADS", threads)
    monkeypatch.setattr(_exposures, "_PARALLEL_NNZ", 10)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    assert _exposures._threads() == (1 if threads == "junk" else min(int(threads), cpus))
    again = (eisenberg_noe(L, cash * 0.3), debtrank(sp.csr_array(L.T), equity, 0.1, variant="bardoscia2015"))
    for a, b in zip(reference, again, strict=True):
        assert np.array_equal(a.loss, b.loss) and np.array_equal(a.top_source, b.top_source)


def test_column_products_agree_before_and_after_the_copy() -> None:
    m = sp.random_array((300, 300), density=0.05, format="csr", rng=4)
    x = np.random.default_rng(5).random(300)
    columns = _exposures.ColumnProducts(m)
    for k in range(columns.FULL_FIRST + 3):  # full products first, then the CSC copy's columns
        cols = np.sort(np.random.default_rng(k).choice(300, 5, replace=False))
        rows, sums = columns(cols, x[cols])
        full = np.zeros(300)
        full[cols] = x[cols]
        expected = m @ full
        assert rows.tolist() == np.flatnonzero(expected).tolist() and np.array_equal(sums, expected[rows])
    assert columns._csc is not None


def test_long_cascades_go_on_past_the_whole_vector_rounds() -> None:
    """A chain of 20: node k lent 5 to node k + 1; the last defaults. Each round fails one more (known answer)."""
    n = 20
    A = sp.csr_array((np.full(n - 1, 5.0), (np.arange(n - 1), np.arange(1, n))), shape=(n, n))
    res = threshold_cascade(A, np.full(n, 4.0), [n - 1])
    assert res.failure_round.tolist() == list(range(n - 1, -1, -1)) and res.rounds == n - 1
    assert res.top_source.tolist() == [*range(1, n), -1]
    # DebtRank on the same chain with equity 10: each node loses half of what its debtor lost.
    h1 = np.zeros(n)
    h1[-1] = 1.0
    dr = debtrank(A, np.full(n, 10.0), h1)
    np.testing.assert_allclose(dr.relative_loss, 0.5 ** np.arange(n - 1, -1, -1), rtol=1e-15)
    assert dr.rounds == n - 1 and dr.top_source.tolist() == [*range(1, n), -1]
