"""Eisenberg–Noe and Rogers–Veraart clearing against published examples and hand-computed toys."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from dealweb.contagion.clearing import ClearingConvergenceError, _fda, _network, _round, eisenberg_noe, rogers_veraart
from dealweb.errors import ConvergenceError

# E1 (models.md §2): siebenbrunner/NetworkValuation@34462a3, "Algorithms/Eisenberg and Noe 2001/Example.html";
# full precision as `true_p` in a public Julia test. Exact values recomputed: 270/11, 290/11, 10.
E1_L = np.array([[0, 20, 10], [5, 0, 24], [10, 0, 0]], dtype=float)
E1_E = np.array([10.0, 10.0, 10.0])
# E4 (models.md §2): bertschi/FinNetValu@db6c23f, test/models/test_rogers.jl.
E4_L = np.array([[0, 0.1, 0.7], [2, 0, 10.5], [0, 8.4, 0]])


@pytest.mark.parametrize("method", ["fda", "picard", "lp"])
def test_e1_siebenbrunner_three_banks(method: str) -> None:
    res = eisenberg_noe(E1_L, E1_E, method=method)  # type: ignore[arg-type]
    np.testing.assert_allclose(res.extra["payments"], [270 / 11, 290 / 11, 10.0], rtol=1e-10)
    assert res.extra["payments"][0] == pytest.approx(24.545454545454547) and res.extra["payments"][1] == pytest.approx(
        26.363636363636363)
    np.testing.assert_allclose(res.extra["obligations"], [30, 29, 10])
    # Printed [P]: equity before (−5, 1, 34), after (−5.4545, −2.6364, 30), defaults after (1, 1, 0).
    np.testing.assert_allclose(res.extra["equity_before"], [-5, 1, 34])
    np.testing.assert_allclose(res.extra["equity_after"], [-5.4545, -2.6364, 30], atol=5e-5)
    assert res.failed.tolist() == [True, True, False]
    # Bank 1 (index 0) is fundamentally insolvent, bank 2 a contagious default of the first round.
    assert res.failure_round.tolist() == [0, 1, -1]
    # Losses: bank 0 gets 5·(290/11)/29 = 50/11 of 5 from bank 1 and 10 from bank 2: short 5/11.
    # Bank 1 gets 20·(270/11)/30 = 180/11 of 20: short 40/11. Bank 2 gets (10/30)(270/11) + (24/29)(290/11)
    # = 90/11 + 240/11 of 34: short 44/11 = 4, of which 10/11 from bank 0 and 34/11 from bank 1.
    np.testing.assert_allclose(res.loss, [5 / 11, 40 / 11, 4.0], rtol=1e-9)
    assert res.top_source.tolist() == [1, 0, 1]
    assert np.isnan(res.relative_loss[0]) and res.relative_loss[1:] == pytest.approx([40 / 11, 4 / 34])


def test_e1_fda_rounds_and_sparse_input() -> None:
    L = sp.csr_array(E1_L)
    L.data[-1] = 0.0  # an explicit zero: bank 2 then owes nothing and the answer changes, but L must not
    stored = L.data.copy()
    eisenberg_noe(L, E1_E)
    assert np.array_equal(L.data, stored)
    res = eisenberg_noe(sp.csr_array(E1_L), E1_E, nodes=["a", "b", "c"])
    assert res.rounds == 2 and res.nodes == ("a", "b", "c") and res.model == "eisenberg_noe"
    assert res.to_frame()["top_source"].tolist() == ["b", "a", "b"]


@pytest.mark.parametrize(("assets", "final", "rounds", "waves"), [
    # a = (1, 1, 1): GA iterates p̄ = (0.8, 12.5, 8.4) → (0.8, 9.5, 8.4)  [P]
    ([1.0, 1.0, 1.0], [0.8, 9.5, 8.4], 1, [-1, 0, -1]),
    # a = (0, 0, 0.1): (0.8, 12.5, 8.4) → (0.8, 8.5, 8.4) → (0.8, 5.625, 5.525)  [P]
    ([0.0, 0.0, 0.1], [0.8, 5.625, 5.525], 2, [-1, 0, 1]),
])
def test_e4_finnetvalu_rogers_iterates(assets: list[float], final: list[float], rounds: int, waves: list[int]) -> None:
    rv = rogers_veraart(E4_L, assets, alpha=1.0, beta=1.0)
    np.testing.assert_allclose(rv.extra["payments"], final, rtol=1e-12)
    assert rv.rounds == rounds and rv.failure_round.tolist() == waves and rv.model == "rogers_veraart"
    for method in ("fda", "picard", "lp"):
        en = eisenberg_noe(E4_L, assets, method=method)
        np.testing.assert_allclose(en.extra["payments"], final, rtol=1e-9)
        assert en.failure_round.tolist() == waves


def test_e4_first_ga_iterate() -> None:
    # The intermediate iterate (0.8, 8.5, 8.4) of test_rogers.jl: bank 1 insolvent, pays 0 + 0.1 + 8.4.
    net, _ = _network(E4_L, [0.0, 0.0, 0.1], None, None, 1e-12, senior=False)
    d = np.array([False, True, False])
    np.testing.assert_allclose(_round(net, net.cap.copy(), d, 1.0, 1.0), [0.8, 8.5, 8.4])
    _x, k, first = _fda(net, 1.0, 1.0, 10)
    assert k == 2 and first.tolist() == [-1, 0, 1]


def test_rogers_veraart_half_costs_by_hand() -> None:
    # E1 inputs, α = β = 1/2. Π = [[0, 2/3, 1/3], [5/29, 0, 24/29], [1, 0, 0]], p̄ = (30, 29, 10).
    # Round 0 (all pay p̄): bank 0 has 10 + 5 + 10 = 25 < 30 → insolvent; bank 1 has 30 ≥ 29; bank 2 44 ≥ 10.
    #   Λ0 = ½·10 + ½·(5 + 10) = 12.5.
    # Round 1: bank 1 has 10 + (2/3)·12.5 = 18.33 < 29 → insolvent; bank 2 has 10 + 12.5/3 + 24 ≥ 10.
    #   Λ0 = 5 + ½((5/29)Λ1 + 10) = 10 + (5/58)Λ1,   Λ1 = 5 + ½(2/3)Λ0 = 5 + Λ0/3
    #   ⇒ Λ0 (1 − 5/174) = 10 + 25/58 = 605/58 ⇒ Λ0 = 1815/169 ≈ 10.740, Λ1 = 5 + 605/169 = 1450/169 ≈ 8.580.
    # Round 2: bank 2 has 10 + 605/169 + (24/29)(1450/169) = 10 + 1805/169 ≥ 10: solvent, stop.
    res = rogers_veraart(E1_L, E1_E, alpha=0.5, beta=0.5)
    np.testing.assert_allclose(res.extra["payments"], [1815 / 169, 1450 / 169, 10.0], rtol=1e-12)
    assert res.rounds == 2 and res.failure_round.tolist() == [0, 1, -1]
    # Bank 2's loss: 10 − (1/3)(1815/169) from bank 0 and 24 − (24/29)(1450/169) from bank 1.
    short_from_0, short_from_1 = 10 - 605 / 169, 24 - 1200 / 169
    assert res.loss[2] == pytest.approx(short_from_0 + short_from_1) and res.top_source[2] == 1
    # Default costs only lower payments: every bank gets less than under Eisenberg–Noe.
    assert np.all(res.extra["payments"] <= eisenberg_noe(E1_L, E1_E).extra["payments"] + 1e-12)


def test_seniority_changes_payments_by_hand() -> None:
    # A owes B 10 and outsiders 10, holds 6; B owes A 5, holds nothing.
    L, e, ell = [[0, 10], [5, 0]], [6, 0], [10, 0]
    # Pari passu: p_A = min(20, 6 + p_B), p_B = min(5, p_A/2). p_B = 5 ⇒ p_A = 11, and 11/2 ≥ 5 ✓.
    # A pays B 5.5 and outsiders 5.5; B pays in full.
    pp = eisenberg_noe(L, e, external_liabilities=ell)
    np.testing.assert_allclose(pp.extra["payments"], [11, 5])
    np.testing.assert_allclose(pp.loss, [0, 4.5])
    np.testing.assert_allclose(pp.extra["outside_shortfall"], [4.5, 0])
    assert pp.failure_round.tolist() == [0, -1]
    # Senior: A's network payment q_A = min(10, max(0, 6 + q_B − 10)), q_B = min(5, q_A).
    # From (10, 5): q_A = 1, then q_B = 1, then q_A = 0, q_B = 0: the greatest fixed point is (0, 0).
    # A's 6 all go to its outside creditors (short 4); B receives nothing and pays nothing.
    for method in ("fda", "picard"):
        sen = eisenberg_noe(L, e, external_liabilities=ell, seniority="senior", method=method)
        np.testing.assert_allclose(sen.extra["payments"], [6, 0], atol=1e-12)
        np.testing.assert_allclose(sen.loss, [5, 10])
        np.testing.assert_allclose(sen.extra["outside_shortfall"], [4, 0], atol=1e-12)
        assert sen.failure_round.tolist() == [0, 1]
        assert sen.extra["shortfall"].sum() == pytest.approx(sen.loss.sum() + sen.extra["outside_shortfall"].sum())


def test_senior_cycle_that_cannot_pay_itself() -> None:
    # Two nodes owe each other 10 and outsiders 5 each, with no cash: paying the outsiders first leaves
    # less than 10 for the cycle, so q = min(10, max(0, q_other − 5)) has only the fixed point 0.
    # Pari passu instead: p = min(15, (2/3) p_other) ⇒ 0 as well.
    for seniority in ("pari_passu", "senior"):
        res = eisenberg_noe([[0, 10], [10, 0]], [0, 0], external_liabilities=[5, 5], seniority=seniority)
        assert res.extra["payments"].tolist() == [0.0, 0.0] and res.failure_round.tolist() == [0, 0]


def test_senior_outside_only_debtor_fails_its_outside_creditors() -> None:
    # Node 1 owes nothing in the network, 8 outside, and is owed 10 by node 0, which has 4 and owes 10 only to it.
    res = eisenberg_noe([[0, 10], [0, 0]], [4, 0], external_liabilities=[0, 8], seniority="senior")
    np.testing.assert_allclose(res.extra["payments"], [4, 4])
    assert res.failure_round.tolist() == [0, 1] and res.extra["outside_shortfall"].tolist() == [0, 4]


def test_solvent_network_has_no_losses() -> None:
    res = eisenberg_noe(E1_L, [20, 10, 10])
    assert not res.failed.any() and res.rounds == 0 and res.failure_round.tolist() == [-1, -1, -1]
    assert res.loss.tolist() == [0, 0, 0] and res.top_source.tolist() == [-1, -1, -1]
    np.testing.assert_array_equal(res.extra["payments"], res.extra["obligations"])


def test_zero_equity_pays_in_full() -> None:
    # Non-strict solvency: A holds exactly what it owes.
    res = eisenberg_noe([[0, 5], [0, 0]], [5, 0])
    assert not res.failed.any() and res.extra["payments"].tolist() == [5, 0]


def test_empty_network() -> None:
    res = eisenberg_noe(np.zeros((0, 0)), [])
    assert res.loss.size == 0 and res.rounds == 0


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"liabilities": [[0, -1], [0, 0]]}, r"liabilities\[0, 1\] = -1.0"),
    ({"liabilities": [[1, 0], [0, 0]]}, "zero diagonal"),
    ({"liabilities": [[0, np.nan], [0, 0]]}, "finite"),
    ({"liabilities": [[0, 1, 0], [0, 0, 0]]}, "square"),
    ({"external_assets": [1, 2, 3]}, r"external_assets must have one value per node \(2\)"),
    ({"external_assets": [1, -2]}, r"external_assets\[1\] = -2.0"),
    ({"external_liabilities": [np.inf, 0]}, "external_liabilities must be finite"),
    ({"nodes": ["a"]}, "nodes must name the 2 nodes"),
    ({"seniority": "junior"}, "seniority must be"),
    ({"method": "newton"}, "method must be"),
    ({"method": "lp", "seniority": "senior"}, "pari_passu"),
    ({"tol": 0}, "tol must be"),
    ({"max_iter": 0}, "max_iter must be"),
])
def test_bad_inputs_name_the_argument_and_rule(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"liabilities": [[0, 1], [0, 0]], "external_assets": [0, 0]} | kwargs
    with pytest.raises(ValueError, match=message):
        eisenberg_noe(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize("alpha", [-0.1, 1.5, float("nan"), "1"])
def test_rogers_veraart_checks_its_shares(alpha: object) -> None:
    with pytest.raises(ValueError, match="alpha must be a number in"):
        rogers_veraart(E1_L, E1_E, alpha=alpha, beta=1.0)  # type: ignore[arg-type]


def test_picard_reports_non_convergence() -> None:
    with pytest.raises(ClearingConvergenceError, match="max_iter=2") as info:
        eisenberg_noe(E4_L, [0, 0, 0.1], method="picard", max_iter=2)
    assert isinstance(info.value, ConvergenceError)


def test_the_calls_of_the_former_contract_xfails() -> None:
    # Each was the failing call of a strict xfail in test_contract.py.
    with pytest.raises(ValueError, match="nodes must be 2 distinct labels: 'a' names two nodes"):
        eisenberg_noe([[0, 1], [2, 0]], [0, 0], nodes=["a", "a"])
    with pytest.raises(ValueError, match="nodes must be 2 distinct"):
        rogers_veraart([[0, 1], [2, 0]], [0, 0], alpha=0.5, beta=0.5, nodes=["a", "a"])
    for res in (eisenberg_noe([[0]], [1]), rogers_veraart([[0]], [1], alpha=0.5, beta=0.5),
                eisenberg_noe(np.zeros((0, 0)), np.zeros(0))):
        assert res.loss.dtype == np.float64 and not res.loss.any()
    calm = eisenberg_noe([[0, 1], [0, 0]], [1, 0], method="picard")
    assert calm.rounds == 0 == eisenberg_noe([[0, 1], [0, 0]], [1, 0]).rounds


def test_picard_counts_the_iterations_that_moved_a_payment() -> None:
    # E1: bank 0 pays less in iteration 1, bank 1 then too; the iterations stop once nothing moves by tol.
    fda = eisenberg_noe(E1_L, E1_E)
    picard = eisenberg_noe(E1_L, E1_E, method="picard")
    np.testing.assert_allclose(picard.extra["payments"], fda.extra["payments"], rtol=1e-10)
    assert picard.failure_round.tolist() == [0, 1, -1] and picard.rounds >= 2
    # max_iter counts products: rounds + 1 are enough (the last confirms the fixed point), rounds are not.
    assert eisenberg_noe(E1_L, E1_E, method="picard", max_iter=picard.rounds + 1).rounds == picard.rounds
    with pytest.raises(ClearingConvergenceError):
        eisenberg_noe(E1_L, E1_E, method="picard", max_iter=picard.rounds)
