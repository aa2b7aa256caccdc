"""The component sweep for many runs on one fixed web: equal to the batched fictitious default column by column,
independent of how runs are grouped (bit for bit), the fallback for failed checks, and the size limit."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dealweb.contagion import sweep
from dealweb.contagion.batch import clearing_batch
from dealweb.contagion.sweep import RunSweep

SETTINGS = settings(max_examples=60, deadline=None)


@st.composite
def runs(draw: st.DrawFn, *, max_n: int = 7, max_s: int = 5) -> tuple[int, np.ndarray, np.ndarray, np.ndarray,
                                                                       np.ndarray, np.ndarray, np.ndarray]:
    """A web with per-run amounts and outside cash, fixed outside liabilities and payment caps."""
    n = draw(st.integers(2, max_n))
    m = draw(st.integers(0, 14))
    src = np.array(draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m)), dtype=np.int64)
    hop = np.array(draw(st.lists(st.integers(1, n - 1), min_size=m, max_size=m)), dtype=np.int64)
    dst = (src + hop) % n  # never a self-loop; repeated pairs are parallel edges
    S = draw(st.integers(1, max_s))
    cells = st.one_of(st.just(0.0), st.floats(0.01, 100))
    amounts = draw(arrays(np.float64, (m, S), elements=cells))
    e = draw(arrays(np.float64, (n, S), elements=cells))
    ell = draw(arrays(np.float64, n, elements=st.one_of(st.just(0.0), st.floats(0.01, 50))))
    cap = draw(arrays(np.float64, n, elements=st.one_of(st.just(1.0), st.floats(0.0, 1.0))))
    return n, src, dst, amounts, e, ell, cap


@SETTINGS
@given(runs())
def test_equals_the_batched_fictitious_default_run_by_run(web: tuple) -> None:
    n, src, dst, amounts, e, ell, cap = web
    res = RunSweep(src, dst, n, ell).clear(amounts, e, cap)
    ref = clearing_batch(src, dst, amounts, e, n=n, external_liabilities=ell, payment_cap=cap)
    scale = max(1.0, float(amounts.sum() + e.sum() + ell.sum()))
    np.testing.assert_allclose(res.payments, ref.payments, rtol=1e-9, atol=1e-9 * scale)
    np.testing.assert_allclose(res.obligations, ref.obligations, rtol=1e-12)
    np.testing.assert_array_equal(res.failed, ref.failed)
    into = sp.csr_array((np.ones(src.size), (dst, np.arange(src.size))), shape=(n, src.size))
    np.testing.assert_allclose(res.received, into @ (amounts * ref.paid_share[src]), rtol=1e-9, atol=1e-9 * scale)
    assert res.exact.all()


@SETTINGS
@given(runs(max_s=8), st.data())
def test_a_runs_numbers_do_not_depend_on_its_block_mates(web: tuple, data: st.DataObject) -> None:
    """Cleared together, alone, or in any grouping: the same bits (what lets Spark split runs freely)."""
    n, src, dst, amounts, e, ell, cap = web
    net = RunSweep(src, dst, n, ell)
    whole = net.clear(amounts, e, cap)
    S = amounts.shape[1]
    order = np.array(data.draw(st.permutations(range(S))))
    cut = data.draw(st.integers(0, S))
    for part in (order[:cut], order[cut:]):
        if part.size:
            alone = net.clear(amounts[:, part], e[:, part], cap)
            for name in ("payments", "received", "failed", "obligations"):
                np.testing.assert_array_equal(getattr(alone, name), getattr(whole, name)[:, part])


def test_a_cycle_of_three_with_a_tail_by_hand() -> None:
    # 0 → 1 → 2 → 0 owe 10 each; 2 also owes 3 ten. Nobody has cash but node 0 (5): 2 gets 5 + what 1 passes on.
    net = RunSweep([0, 1, 2, 2], [1, 2, 0, 3], 4)
    assert (net.largest, net.small) == (3, True)
    res = net.clear(np.array([10.0, 10.0, 10.0, 10.0]), np.array([5.0, 0.0, 0.0, 0.0]))
    # x0 = 5 + x2/2, x1 = x0, x2 = x1  →  x = 10 for all three: the ring pays itself and 2 pays 3 only five.
    np.testing.assert_allclose(res.payments[:, 0], [10.0, 10.0, 10.0, 0.0])
    np.testing.assert_allclose(res.received[:, 0], [5.0, 10.0, 10.0, 5.0])
    assert res.failed[:, 0].tolist() == [False, False, True, False]


def test_a_failed_check_is_cleared_again_the_general_way(monkeypatch: pytest.MonkeyPatch) -> None:
    src, dst = np.array([0, 0, 1, 1, 2]), np.array([1, 2, 0, 2, 0])
    amounts = np.array([20.0, 10, 5, 24, 10])[:, None] * np.array([[1.0, 1.5, 0.5]])
    e = np.full((3, 3), 10.0)
    good = RunSweep(src, dst, 3).clear(amounts, e)
    monkeypatch.setattr(sweep, "_eliminate", lambda mat, rhs: np.full_like(rhs, np.nan))
    again = RunSweep(src, dst, 3).clear(amounts, e)
    assert again.rechecked >= 1 and again.exact.all()
    np.testing.assert_allclose(again.payments, good.payments, rtol=1e-12)
    np.testing.assert_array_equal(again.failed, good.failed)


def test_a_large_component_is_declined() -> None:
    ring = np.arange(20)
    net = RunSweep(ring, (ring + 1) % 20, 20, max_component=12)
    assert (net.largest, net.small) == (20, False)
    with pytest.raises(ValueError, match="too large for the sweep"):
        net.clear(np.ones(20), np.ones(20))


@pytest.mark.parametrize(("args", "message"), [
    (([0, 1], [1], 2), "equal length"),
    (([0, 2], [1, 0], 2), r"node indices in \[0, 2\)"),
    (([0, 1], [1, 1], 2), "nobody owes itself"),
])
def test_rejects_bad_webs(args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RunSweep(*args)
