"""Property tests for the Finn cycling index: enaR's formula, bounds, invariances, acyclicity."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from test_finn_known import enar_reference

from dealweb.circularity.finn import finn_cycling_index

SETTINGS = settings(max_examples=50, deadline=None)


@st.composite
def flow_matrices(draw: st.DrawFn, *, acyclic: bool = False) -> np.ndarray:
    n = draw(st.integers(1, 8))
    values = draw(arrays(np.float64, (n, n), elements=st.one_of(st.just(0.0), st.floats(1e-3, 100))))
    keep = draw(arrays(np.bool_, (n, n)))
    flows = np.where(keep, values, 0.0)
    return np.triu(flows, 1) if acyclic else flows


@SETTINGS
@given(flow_matrices())
def test_fci_is_a_share_and_matches_enar(flows: np.ndarray) -> None:
    res = finn_cycling_index(flows)
    assert -1e-12 <= res.fci <= 1 + 1e-12 and res.balanced
    if not np.isinf(res.n_ii).any():  # with a closed sub-system enaR's inverse does not exist
        assume(np.all(res.n_ii < 1e6))  # nearly closed: the dense reference loses its digits
        assert abs(res.fci - enar_reference(flows, res.inputs)) < 1e-9


@SETTINGS
@given(flow_matrices(), st.randoms(use_true_random=False))
def test_relabelling_nodes_permutes_the_result(flows: np.ndarray, random: object) -> None:
    n = flows.shape[0]
    perm = np.array(random.sample(range(n), n))  # type: ignore[attr-defined]
    res, moved = finn_cycling_index(flows), finn_cycling_index(flows[np.ix_(perm, perm)])
    assert abs(res.fci - moved.fci) < 1e-9
    np.testing.assert_allclose(moved.n_ii, res.n_ii[perm], rtol=1e-9)


@SETTINGS
@given(flow_matrices(), st.floats(1e-3, 1e3))
def test_scaling_all_money_leaves_the_indices(flows: np.ndarray, c: float) -> None:
    res, scaled = finn_cycling_index(flows), finn_cycling_index(c * flows)
    for key in ("fci", "bfi", "dfi", "ifi"):
        a, b = getattr(res, key), getattr(scaled, key)
        assert (np.isnan(a) and np.isnan(b)) or abs(a - b) < 1e-9, key
    assert abs(scaled.tst - c * res.tst) <= 1e-9 * max(1.0, c * res.tst)


@SETTINGS
@given(flow_matrices(acyclic=True))
def test_acyclic_flows_never_cycle(flows: np.ndarray) -> None:
    res = finn_cycling_index(flows)
    assert res.fci == 0.0 and np.all(res.n_ii == 1.0)


@SETTINGS
@given(flow_matrices(), st.data())
def test_closing_the_books_gives_the_largest_fci(flows: np.ndarray, data: st.DataObject) -> None:
    # Any other balanced boundary adds pass-through money s ≥ 0 to both z and y at each node.
    res = finn_cycling_index(flows)
    s = data.draw(arrays(np.float64, flows.shape[0], elements=st.floats(0, 100)))
    other = finn_cycling_index(flows, res.inputs + s, res.outputs + s)
    assert other.balanced and other.fci <= res.fci + 1e-9
