"""Property tests for the Hodge decomposition: orthogonality, conservation, invariances, bounds."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dealweb.circularity.hodge import HodgeResult, hodge_decomposition

SETTINGS = settings(max_examples=50, deadline=None)


@st.composite
def flow_matrices(draw: st.DrawFn) -> np.ndarray:
    n = draw(st.integers(1, 9))
    values = draw(arrays(np.float64, (n, n), elements=st.one_of(st.just(0.0), st.floats(1e-3, 1e3))))
    return np.where(draw(arrays(np.bool_, (n, n))), values, 0.0)


def divergence(res: HodgeResult, part: np.ndarray) -> np.ndarray:
    n = len(res.nodes)
    return np.bincount(res.pair_i, weights=part, minlength=n) - np.bincount(res.pair_j, weights=part, minlength=n)


@SETTINGS
@given(flow_matrices(), st.sampled_from(["direct", "cg"]))
def test_parts_are_orthogonal_and_add_up(flows: np.ndarray, solver: str) -> None:
    res = hodge_decomposition(flows, solver=solver, tol=1e-12)  # type: ignore[arg-type]
    scale = max(1.0, float(np.abs(flows).max()))
    np.testing.assert_allclose(res.gradient + res.loop, res.net_flow, atol=1e-12 * scale)
    assert abs(float(res.gradient @ res.loop)) <= 1e-8 * scale**2 * max(1, res.net_flow.size)
    np.testing.assert_allclose(divergence(res, res.loop), 0.0, atol=1e-8 * scale)  # loops conserve
    for c in np.unique(res.component):
        assert abs(res.potential[res.component == c].mean()) <= 1e-9 * scale
    if res.net_flow.any():
        assert -1e-12 <= res.loop_share <= 1 + 1e-12
        assert abs(res.loop_share + res.gradient_share - 1) < 1e-9


@SETTINGS
@given(flow_matrices(), st.randoms(use_true_random=False))
def test_relabelling_permutes_potentials(flows: np.ndarray, random: object) -> None:
    n = flows.shape[0]
    perm = np.array(random.sample(range(n), n))  # type: ignore[attr-defined]
    res, moved = hodge_decomposition(flows), hodge_decomposition(flows[np.ix_(perm, perm)])
    scale = max(1.0, float(np.abs(flows).max()))
    np.testing.assert_allclose(moved.potential, res.potential[perm], atol=1e-9 * scale)
    assert (np.isnan(res.loop_share) and np.isnan(moved.loop_share)) or abs(res.loop_share - moved.loop_share) < 1e-9


@SETTINGS
@given(flow_matrices(), st.floats(1e-3, 1e3))
def test_scaling_scales_potentials_and_keeps_loop_share(flows: np.ndarray, c: float) -> None:
    res, scaled = hodge_decomposition(flows), hodge_decomposition(c * flows)
    scale = max(1.0, float(np.abs(c * flows).max()))
    np.testing.assert_allclose(scaled.potential, c * res.potential, atol=1e-9 * scale)
    assert (np.isnan(res.loop_share) and np.isnan(scaled.loop_share)) or abs(res.loop_share - scaled.loop_share) < 1e-9


@SETTINGS
@given(st.integers(1, 12), st.data())
def test_a_forest_has_no_loop_part(n: int, data: st.DataObject) -> None:
    flows = np.zeros((n, n))
    for child in range(1, n):  # each node hangs off an earlier one, in a random direction
        parent = data.draw(st.integers(0, child - 1))
        a, b = (parent, child) if data.draw(st.booleans()) else (child, parent)
        flows[a, b] = data.draw(st.floats(1e-3, 1e3))
    res = hodge_decomposition(flows)
    np.testing.assert_allclose(res.loop, 0.0, atol=1e-9 * max(1.0, flows.max()))
