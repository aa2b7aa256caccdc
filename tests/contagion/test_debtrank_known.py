"""DebtRank against hand-computed toys, the Bardoscia et al. (2015) closed form, and a port of NetworkRiskMeasures.

Convention throughout: ``A[i, j]`` is i's exposure to j (i lent to j), so distress flows j → i and
``Λ[i, j] = A[i, j] / E[i]``; the Battiston impact is ``W[i, j] = min(1, Λ[i, j])``.

Not used: models.md E7 (NetworkRiskMeasures ``tests/testthat/test_3_impacts.R``: impact
susceptibility (0, 1, 1.25), fluidity 0.75, diffusion). Those are Silva et al. (2015)
communicability measures — column sums of ``expm`` of the *binary* (0/1) vulnerability matrix —
not a DebtRank or cascade outcome, so nothing we compute can be compared with them. Their
network is used as a threshold-cascade toy in ``test_threshold_known.py``.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from dealweb.contagion.debtrank import DebtRankConvergenceError, debtrank
from dealweb.errors import ConvergenceError

VARIANTS = ["battiston2012", "bardoscia2015"]

# Chain 2 → 1 → 0 of distress: node 0 lent 5 to node 1, node 1 lent 6 to node 2.
CHAIN = np.array([[0, 5, 0], [0, 0, 6], [0, 0, 0]], dtype=float)
CHAIN_E = np.array([10.0, 12.0, 4.0])
# Cycle: 0 lent 5 to 1, 1 lent 5 to 2, 2 lent 5 to 0; equity 10 each, so every Λ entry is 0.5.
CYCLE = np.array([[0, 5, 0], [0, 0, 5], [5, 0, 0]], dtype=float)
CYCLE_E = np.array([10.0, 10.0, 10.0])


@pytest.mark.parametrize("variant", VARIANTS)
def test_chain_both_variants_agree(variant: str) -> None:
    # Λ01 = 5/10 = 0.5, Λ12 = 6/12 = 0.5 (both < 1, so W = Λ). h(1) = (0, 0, 0.4).
    # Battiston: t=2 D={2}: h1 = 0.5·0.4 = 0.2; t=3 D={1}: h0 = 0.5·0.2 = 0.1; t=4 D={0}: no one is
    #   exposed to 0, nothing changes; D = {} → stop.  h = (0.1, 0.2, 0.4), 2 waves raised h.
    # Bardoscia: Δh(1) = (0, 0, 0.4) → h(2) = (0, 0.2, 0.4); Δh(2) = (0, 0.2, 0) → h(3) = (0.1, 0.2, 0.4);
    #   Δh(3) = (0.1, 0, 0) → h(4) = h(3): converged. On a tree both variants coincide.
    r = debtrank(CHAIN, CHAIN_E, [0, 0, 0.4], variant=variant)
    np.testing.assert_allclose(r.relative_loss, [0.1, 0.2, 0.4])
    np.testing.assert_allclose(r.loss, [1.0, 2.4, 1.6])
    assert r.rounds == 2
    assert r.top_source.tolist() == [1, 2, -1]
    assert not r.failed.any() and r.failure_round.tolist() == [-1, -1, -1]
    # R = Σ v (h(T) − h(1)) with v = E / ΣE = (10, 12, 4) / 26
    assert r.params["debtrank"] == pytest.approx((0.1 * 10 + 0.2 * 12) / 26)
    np.testing.assert_allclose(r.extra["h_initial"], [0, 0, 0.4])
    np.testing.assert_allclose(r.extra["h_final"], r.relative_loss)
    assert r.model == f"debtrank_{variant}"
    if variant == "bardoscia2015":
        assert r.params["spectral_radius"] == 0.0 and r.params["unstable"] is False


def test_chain_with_impact_above_one_separates_the_variants() -> None:
    # Node 1 lent 18 to node 2 with equity 12: Λ12 = 1.5, Battiston caps the impact at W12 = 1.
    A = CHAIN.copy()
    A[1, 2] = 18.0
    # Shock 0.4 on node 2. Battiston: h1 = 1·0.4 = 0.4, h0 = 0.5·0.4 = 0.2.
    # Bardoscia: h1 = min(1, 1.5·0.4) = 0.6, h0 = 0.5·0.6 = 0.3.
    b = debtrank(A, CHAIN_E, [0, 0, 0.4], variant="battiston2012")
    d = debtrank(A, CHAIN_E, [0, 0, 0.4], variant="bardoscia2015")
    np.testing.assert_allclose(b.relative_loss, [0.2, 0.4, 0.4])
    np.testing.assert_allclose(d.relative_loss, [0.3, 0.6, 0.4])
    # Shock 0.8. Battiston: h1 = 0.8, h0 = 0.4. Bardoscia: h1 = min(1, 1.2) = 1 (fails in wave 1),
    # and only the capped increment Δh1 = 1 travels on: h0 = 0.5·1 = 0.5.
    b = debtrank(A, CHAIN_E, [0, 0, 0.8], variant="battiston2012")
    d = debtrank(A, CHAIN_E, [0, 0, 0.8], variant="bardoscia2015")
    np.testing.assert_allclose(b.relative_loss, [0.4, 0.8, 0.8])
    np.testing.assert_allclose(d.relative_loss, [0.5, 1.0, 0.8])
    assert d.failed.tolist() == [False, True, False]
    assert d.failure_round.tolist() == [-1, 1, -1]
    assert not b.failed.any()


def test_cycle_battiston_each_node_propagates_once() -> None:
    # h(1) = (0, 0, 0.4), D = {2}.
    # t=2: h1 = 0.5·0.4 = 0.2            → h = (0, 0.2, 0.4),   D = {1}, I = {2}
    # t=3: h0 = 0.5·0.2 = 0.1            → h = (0.1, 0.2, 0.4), D = {0}, I = {1, 2}
    # t=4: h2 = 0.4 + 0.5·0.1 = 0.45     → h = (0.1, 0.2, 0.45); 2 is Inactive, so D = {} and the loop stops.
    r = debtrank(CYCLE, CYCLE_E, [0, 0, 0.4], variant="battiston2012")
    np.testing.assert_allclose(r.relative_loss, [0.1, 0.2, 0.45])
    assert r.rounds == 3
    assert r.top_source.tolist() == [1, 2, 0]
    assert r.params["debtrank"] == pytest.approx((0.1 + 0.2 + 0.05) / 3)


def test_cycle_bardoscia_amplifies_to_the_closed_form() -> None:
    # Λ = 0.5·P with (P h)_i = h_{i+1 mod 3}; Λ³ = I/8, so (I − Λ)⁻¹ = (I + Λ + Λ²) / (1 − 1/8).
    # h(1) = (0, 0, 0.4): Λh(1) = (0, 0.2, 0), Λ²h(1) = (0.1, 0, 0) → h(∞) = (0.1, 0.2, 0.4)·8/7 = (4, 8, 16)/35.
    # Iterates: h(2) = (0, .2, .4), h(3) = (.1, .2, .4), h(4) = (.1, .2, .45), h(5) = (.1, .225, .45),
    #   h(6) = (.1125, .225, .45), … each increment half the previous one, one hop further.
    r = debtrank(CYCLE, CYCLE_E, [0, 0, 0.4], variant="bardoscia2015")
    np.testing.assert_allclose(r.relative_loss, np.array([4, 8, 16]) / 35, atol=1e-11)
    assert r.params["spectral_radius"] == pytest.approx(0.5)
    assert r.params["unstable"] is False
    assert r.params["debtrank"] == pytest.approx((28 / 35 - 0.4) / 3)
    assert r.top_source.tolist() == [1, 2, 0]
    # Truncated after a few updates the iteration shows the hand-computed iterates.
    with pytest.raises(DebtRankConvergenceError):
        debtrank(CYCLE, CYCLE_E, [0, 0, 0.4], variant="bardoscia2015", max_iter=4)


def test_two_cycle_does_not_amplify_forever_in_battiston() -> None:
    # W = Λ = 0.5 both ways, h(1) = (0.2, 0).
    # Battiston: t=2 h1 = 0.1 (D={1}, I={0}); t=3 h0 = 0.2 + 0.05 = 0.25, 0 is Inactive → stop.
    # Bardoscia: h(∞) = (I − Λ)⁻¹ h(1) = [[1, .5], [.5, 1]] / 0.75 · (0.2, 0) = (0.2, 0.1) / 0.75.
    A = np.array([[0, 5], [5, 0]], dtype=float)
    E = np.array([10.0, 10.0])
    b = debtrank(A, E, [0.2, 0], variant="battiston2012")
    d = debtrank(A, E, [0.2, 0], variant="bardoscia2015")
    np.testing.assert_allclose(b.relative_loss, [0.25, 0.1])
    np.testing.assert_allclose(d.relative_loss, [0.2 / 0.75, 0.1 / 0.75], atol=1e-11)


def test_marginal_two_cycle_rho_one() -> None:
    # W = Λ = 1 both ways (each lent its whole equity to the other), h(1) = (0.5, 0).
    # Battiston: t=2 h1 = 0.5; t=3 h0 = min(1, 0.5 + 0.5) = 1 (fails in wave 2); node 0 is Inactive → stop.
    # Bardoscia (ρ = 1, marginal): h(2) = (.5, .5), h(3) = (1, .5), h(4) = (1, 1): both fail.
    A = np.array([[0, 10], [10, 0]], dtype=float)
    E = np.array([10.0, 10.0])
    b = debtrank(A, E, [0.5, 0], variant="battiston2012")
    np.testing.assert_allclose(b.relative_loss, [1.0, 0.5])
    assert b.failure_round.tolist() == [2, -1] and b.rounds == 2
    d = debtrank(A, E, [0.5, 0], variant="bardoscia2015")
    np.testing.assert_allclose(d.relative_loss, [1.0, 1.0])
    assert d.failure_round.tolist() == [2, 3] and d.rounds == 3
    assert d.params["spectral_radius"] == pytest.approx(1.0) and d.params["unstable"] is True


def test_unstable_regime_diverges_into_saturation() -> None:
    # Λ = 2 both ways (ρ = 2), h(1) = (0.01, 0). Unsaturated, each increment doubles and hops over:
    # h(2) = (.01, .02), h(3) = (.05, .02), h(4) = (.05, .10), h(5) = (.21, .10), h(6) = (.21, .42),
    # h(7) = (.85, .42), h(8) = (.85, min(1, .42 + 2·.64)) = (.85, 1)  → node 1 fails in wave 7,
    # h(9) = (min(1, .85 + 2·.58), 1) = (1, 1)                      → node 0 fails in wave 8.
    A = np.array([[0, 20], [20, 0]], dtype=float)
    E = np.array([10.0, 10.0])
    d = debtrank(A, E, [0.01, 0], variant="bardoscia2015")
    np.testing.assert_allclose(d.relative_loss, [1.0, 1.0])
    assert d.failure_round.tolist() == [8, 7] and d.rounds == 8
    assert d.top_source.tolist() == [1, 0]
    assert d.params["spectral_radius"] == pytest.approx(2.0) and d.params["unstable"] is True
    # The closed form has no meaning here: (I − Λ)⁻¹ h(1) is negative.
    assert (np.linalg.solve(np.eye(2) - A / E[:, None], [0.01, 0]) < 0).all()
    # The same shock on a stable version (Λ = 0.5) stays small, as the closed form says.
    s = debtrank(A / 4, E, [0.01, 0], variant="bardoscia2015")
    np.testing.assert_allclose(s.relative_loss, np.array([0.01, 0.005]) / 0.75, atol=1e-12)
    assert s.params["unstable"] is False and not s.failed.any()


def test_closed_form_in_stable_unsaturated_regime() -> None:
    # Bardoscia et al. (2015): for ρ(Λ) < 1 and no saturation, h(∞) = (I − Λ)⁻¹ h(1), i.e. the
    # contagion part is h(∞) − h(1) = Λ (I − Λ)⁻¹ h(1) (models.md E10).
    rng = np.random.default_rng(7)
    n = 30
    A = rng.random((n, n)) * (rng.random((n, n)) < 0.2)
    np.fill_diagonal(A, 0)
    E = A.sum(axis=1) * 1.6 + 1.0
    lam = A / E[:, None]
    rho = max(abs(np.linalg.eigvals(lam)))
    h1 = rng.random(n) * 0.05
    r = debtrank(A, E, h1, variant="bardoscia2015")
    expected = np.linalg.solve(np.eye(n) - lam, h1)
    assert expected.max() < 1
    np.testing.assert_allclose(r.relative_loss, expected, atol=1e-10)
    np.testing.assert_allclose(r.relative_loss - h1, lam @ np.linalg.solve(np.eye(n) - lam, h1), atol=1e-10)
    assert r.params["spectral_radius"] == pytest.approx(rho, rel=1e-9)
    assert r.params["debtrank"] == pytest.approx(E @ (expected - h1) / E.sum(), rel=1e-9)


def test_spectral_radius_large_component_uses_arpack() -> None:
    rng = np.random.default_rng(3)
    n = 150  # one strongly connected component above the dense limit (100)
    A = sp.random(n, n, density=0.03, random_state=rng, format="csr") + sp.eye(n, k=1) + sp.eye(n, k=-(n - 1))
    E = np.asarray(A.sum(axis=1)).ravel() * 0.9
    r = debtrank(A, E, np.zeros(n), variant="bardoscia2015")
    lam = A.toarray() / E[:, None]
    np.fill_diagonal(lam, 0)
    assert r.params["spectral_radius"] == pytest.approx(max(abs(np.linalg.eigvals(lam))), rel=1e-9)
    assert r.params["unstable"] is True
    assert r.params["debtrank"] == 0.0 and not r.failed.any()


def test_spectral_radius_of_long_cycles_falls_back_to_a_bracket() -> None:
    # A directed ring has n eigenvalues of equal modulus, where ARPACK does not converge.
    n = 200
    ring = sp.eye(n, k=1) + sp.eye(n, k=-(n - 1))
    # Uniform weights: x = 1 is the Perron vector, the Collatz–Wielandt bracket closes at once.
    r = debtrank(ring * 7, np.full(n, 10.0), np.zeros(n), variant="bardoscia2015")
    assert r.params["spectral_radius_bounds"] == pytest.approx((0.7, 0.7))
    assert r.params["unstable"] is False
    # Uneven weights: ρ = geometric mean of the ratios, inside the reported bracket.
    w = np.random.default_rng(1).uniform(0.5, 1.2, n)
    r = debtrank(sp.diags(w) @ ring, np.ones(n), np.zeros(n), variant="bardoscia2015")
    lo, hi = r.params["spectral_radius_bounds"]
    assert lo <= np.exp(np.log(w).mean()) <= hi < 1
    assert r.params["unstable"] is False


def test_convergence_error_is_a_convergence_error() -> None:
    A = np.array([[0, 9.9], [9.9, 0]])  # Λ = 0.99 both ways: increments shrink by 1 % a hop
    with pytest.raises(ConvergenceError, match="max_iter=20"):
        debtrank(A, [10, 10], [0.001, 0], variant="bardoscia2015", max_iter=20, method="step")
    r = debtrank(A, [10, 10], [0.001, 0], variant="bardoscia2015", max_iter=10_000)
    np.testing.assert_allclose(r.relative_loss, np.array([1, 0.99]) * 0.001 / (1 - 0.99**2), rtol=1e-9)
    # Solving the linear tail needs no more than 20 updates; stepping would have taken about 2 600.
    solved = debtrank(A, [10, 10], [0.001, 0], variant="bardoscia2015", max_iter=20)
    np.testing.assert_allclose(solved.relative_loss, r.relative_loss, rtol=1e-9)
    assert solved.params["tail_solved"] and solved.rounds <= 20
    stepped = debtrank(A, [10, 10], [0.001, 0], variant="bardoscia2015", max_iter=10_000, method="step")
    assert not stepped.params["tail_solved"] and stepped.params["rounds_estimated"] is None
    assert abs(solved.params["rounds_estimated"] - stepped.rounds) <= 0.02 * stepped.rounds


def test_battiston_is_not_monotone_in_the_shock() -> None:
    # Shocking node 1 slightly makes it propagate 0.01 at t=2 and then go Inactive, so the 0.5 it
    # receives from node 2 never reaches node 0 (Battiston's single propagation). Bardoscia is monotone.
    lo = debtrank(CHAIN, CHAIN_E, [0, 0, 1.0], variant="battiston2012")
    hi = debtrank(CHAIN, CHAIN_E, [0, 0.01, 1.0], variant="battiston2012")
    assert lo.relative_loss[0] == pytest.approx(0.25)
    assert hi.relative_loss[0] == pytest.approx(0.005)
    lo = debtrank(CHAIN, CHAIN_E, [0, 0, 1.0], variant="bardoscia2015")
    hi = debtrank(CHAIN, CHAIN_E, [0, 0.01, 1.0], variant="bardoscia2015")
    assert (lo.relative_loss[0], hi.relative_loss[0]) == pytest.approx((0.25, 0.255))


def test_labels_mapping_shock_and_economic_value() -> None:
    r = debtrank(sp.csr_array(CHAIN), CHAIN_E, {"c": 0.4}, nodes=["a", "b", "c"], economic_value={"a": 1, "b": 3})
    np.testing.assert_allclose(r.relative_loss, [0.1, 0.2, 0.4])
    assert r.nodes == ("a", "b", "c")
    assert r.params["debtrank"] == pytest.approx(0.25 * 0.1 + 0.75 * 0.2)  # v normalised to (1/4, 3/4, 0)
    frame = r.to_frame()
    assert frame["top_source"].tolist()[:2] == ["b", "c"] and frame["top_source"].isna().tolist()[2]
    # A scalar shock hits everyone; self-exposures are ignored.
    A = CHAIN + 100 * np.eye(3)
    np.testing.assert_allclose(debtrank(A, CHAIN_E, 0.0).relative_loss, 0.0)


def test_zero_shock_and_wiped_out_nodes() -> None:
    for variant in VARIANTS:
        r = debtrank(CYCLE, CYCLE_E, [0, 0, 0], variant=variant)
        assert r.loss.tolist() == [0, 0, 0] and r.rounds == 0 and r.params["debtrank"] == 0
        assert not r.failed.any() and (r.top_source == -1).all()
        # Node 2 is wiped out by the shock: failed in round 0, and nothing it receives later counts as contagion.
        r = debtrank(CYCLE, CYCLE_E, [0, 0, 1], variant=variant)
        assert r.failure_round.tolist() == [-1, -1, 0]
        assert r.top_source.tolist() == [1, 2, -1]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"exposures": np.ones((2, 3))}, "square"),
    ({"exposures": [[0, -1], [0, 0]]}, r"exposures\[0, 1\] = -1.0"),
    ({"exposures": [[0, np.nan], [0, 0]]}, "finite"),
    ({"buffers": [1, 0]}, r"buffers\[1\] = 0.0: buffers must be finite and > 0"),
    ({"buffers": [1, 2, 3]}, "shape"),
    ({"shock": [0, 1.5]}, r"shock\[1\] = 1.5"),
    ({"shock": {"z": 1}}, "'z' is not one of the nodes"),
    ({"variant": "linear"}, "variant"),
    ({"max_iter": 0}, "max_iter"),
    ({"tol": -1.0}, "tol"),
    ({"economic_value": [0, 0]}, "positive sum"),
    ({"nodes": ["a"]}, "nodes has 1 labels"),
    ({"nodes": ["a", "a"]}, "distinct"),
])
def test_input_errors_name_the_argument(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"exposures": [[0, 1], [1, 0]], "buffers": [1, 1], "shock": [0.5, 0]}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        debtrank(**args)


def _nrm_debt_rank_shock(A: np.ndarray, E: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Line-by-line port of NetworkRiskMeasures ``debt_rank_shock`` (R/DebtRank.R) with ``abs.tol = 0``."""
    V = (A / E[:, None]).T  # vulnerability_matrix: exposures / capital_buffer (row-wise), then t()
    V[V > 1] = 1
    v = V.T
    level, state = [s.copy()], [(s > 0).astype(int)]  # 0 = Undistressed, 1 = Distressed, 2 = Inactive
    t = 0
    while (state[t] == 1).any():
        t += 1
        prev = state[t - 1] == 1
        new = level[t - 1] + v[:, prev] @ level[t - 1][prev]
        new[new > 1] = 1
        nxt = state[t - 1].copy()
        nxt[prev] = 2
        nxt[(new > 0) & (nxt != 2)] = 1
        level.append(new)
        state.append(nxt)
    return level[t]


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 7).flatmap(lambda n: st.tuples(
    st.lists(st.lists(st.sampled_from([0, 0, 0, 1, 2, 5, 10]), min_size=n, max_size=n), min_size=n, max_size=n),
    st.lists(st.integers(1, 12), min_size=n, max_size=n),
    st.lists(st.sampled_from([0.0, 0.0, 0.1, 0.3, 1.0]), min_size=n, max_size=n))))
def test_battiston_matches_networkriskmeasures_port(data: tuple[list[list[int]], list[int], list[float]]) -> None:
    A = np.array(data[0], dtype=float)
    np.fill_diagonal(A, 0)
    E, s = np.array(data[1], dtype=float), np.array(data[2])
    r = debtrank(A, E, s, variant="battiston2012")
    np.testing.assert_allclose(r.relative_loss, _nrm_debt_rank_shock(A, E, s), atol=1e-12)


def test_spectral_radius_of_many_small_components_in_bounded_stacks(monkeypatch: pytest.MonkeyPatch) -> None:
    # 50 two-cycles with Λ12·Λ21 = k²/100 (ρ = k/10) and 20 three-cycles with Λ = 0.3: ρ = 5.0, whatever the stacking.
    module = importlib.import_module("dealweb.contagion.debtrank")  # the package re-exports the function by this name
    blocks = [np.array([[0, k / 10], [k / 10, 0]]) for k in range(1, 51)]
    blocks += [np.roll(np.eye(3), 1, axis=1) * 0.3 for _ in range(20)]
    lam = sp.csr_array(sp.block_diag(blocks))
    expected = module._spectral_radius(lam)
    monkeypatch.setattr(module, "_STACK_ENTRIES", 9)  # two 2×2 blocks or one 3×3 block per eigvals call
    assert module._spectral_radius(lam) == expected
    np.testing.assert_allclose(expected, (5.0, 5.0), rtol=1e-12)


def test_spectral_radius_of_a_component_alone_or_among_many_nodes() -> None:
    # The same 150-node component as most of the web (multiplied through the whole matrix) and as a
    # small part of it (its block copied out): the same ARPACK eigenvalue.
    module = importlib.import_module("dealweb.contagion.debtrank")
    rng = np.random.default_rng(3)
    n = 150
    A = sp.random(n, n, density=0.03, random_state=rng, format="csr") + sp.eye(n, k=1) + sp.eye(n, k=-(n - 1))
    lam = sp.csr_array(A / np.asarray(A.sum(axis=1)).ravel()[:, None] * 1.1)
    lam.setdiag(0)
    lam.eliminate_zeros()
    alone = module._spectral_radius(lam)
    among = module._spectral_radius(sp.csr_array(sp.block_diag([lam, sp.csr_array((400, 400))])))
    np.testing.assert_allclose(alone, among, rtol=1e-12)
    dense = lam.toarray()
    np.testing.assert_allclose(alone[0], max(abs(np.linalg.eigvals(dense))), rtol=1e-9)


def test_spectral_radius_false_skips_only_the_diagnostic() -> None:
    A = np.array([[0, 9.9, 0], [9.9, 0, 4], [2, 0, 0]])
    E, h1 = [10, 10, 5], [0.2, 0, 0.1]
    full = debtrank(A, E, h1, variant="bardoscia2015", max_iter=10_000)
    bare = debtrank(A, E, h1, variant="bardoscia2015", max_iter=10_000, spectral_radius=False)
    np.testing.assert_array_equal(bare.relative_loss, full.relative_loss)
    np.testing.assert_array_equal(bare.failure_round, full.failure_round)
    np.testing.assert_array_equal(bare.top_source, full.top_source)
    assert full.params["spectral_radius"] > 0 and full.params["unstable"] is not None
    assert (bare.params["spectral_radius"], bare.params["spectral_radius_bounds"], bare.params["unstable"]) == (None, None, None)
    # The error message still names ρ (computed only then): Λ = 0.99 both ways, so ρ = 0.99.
    ring = np.array([[0, 9.9], [9.9, 0]])
    with pytest.raises(ConvergenceError, match=r"spectral radius of the leverage matrix 0\.99\)"):
        debtrank(ring, [10, 10], [0.001, 0], variant="bardoscia2015", max_iter=20, method="step", spectral_radius=False)


@pytest.mark.parametrize("variant", VARIANTS)
def test_attribute_false_skips_only_top_source(variant: str) -> None:
    # The chain: node 1 is hit by 2 and node 0 by 1 (hand-worked in test_chain_both_variants_agree).
    full = debtrank(CHAIN, CHAIN_E, [0, 0, 0.4], variant=variant)
    bare = debtrank(CHAIN, CHAIN_E, [0, 0, 0.4], variant=variant, attribute=False)
    assert full.top_source.tolist() == [1, 2, -1] and bare.top_source.tolist() == [-1, -1, -1]
    np.testing.assert_array_equal(bare.relative_loss, full.relative_loss)
    np.testing.assert_array_equal(bare.failure_round, full.failure_round)
    assert (bare.rounds, bare.params["debtrank"]) == (full.rounds, full.params["debtrank"])
