"""Stress runs on the hand-computable web (conftest.py) and on the bundled web."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dealweb
from dealweb.contagion import balance_sheets, eisenberg_noe
from dealweb.errors import ValidationError
from dealweb.model.recordset import RecordSet
from dealweb.stress import list_scenarios, monte_carlo, parse_scenario, reverse_stress, stress

AS_OF = "2026-01-01"
LEFT_L1 = 1.5 - (dt.date(2026, 1, 1) - dt.date(2025, 1, 1)).days / 365.25
DEBT_SERVICE = 10 + 10 * 0.08 * LEFT_L1  # what cloud owes bank over the year
CLOUD_OWES = 25 + DEBT_SERVICE


def scenario(*shocks: dict, model: str = "eisenberg_noe", **extra: object) -> object:
    return parse_scenario({"name": "t", "as_of": AS_OF, "model": model, "shocks": list(shocks), **extra})


def by_id(result: object, field: str) -> dict[str, float]:
    return dict(zip(result.nodes, getattr(result, field).tolist(), strict=True))  # type: ignore[attr-defined]


def test_lab_fails_hand_computed(web: RecordSet) -> None:
    res = stress(web, scenario({"entity": "lab", "fails": True}))
    loss = by_id(res, "loss")
    share = 20 / CLOUD_OWES  # cloud has 20 outside and receives nothing from lab: it pays 20 pro rata
    assert loss["cloud"] == pytest.approx(20)
    assert loss["chips"] == pytest.approx(25 * (1 - share))
    assert loss["bank"] == pytest.approx(DEBT_SERVICE * (1 - share))
    assert loss["lab"] == pytest.approx(0) and loss["fund"] == 0
    rounds = by_id(res, "failure_round")
    assert rounds == {"bank": -1, "chips": -1, "cloud": 1, "fund": -1, "lab": 0}
    assert res.new_failures() == ["cloud"]
    top = {res.nodes[i]: (res.nodes[j] if j >= 0 else None) for i, j in enumerate(res.top_source)}
    assert top["cloud"] == "lab" and top["chips"] == "cloud" and top["bank"] == "cloud"
    story = res.story()
    assert story[0] == ("Baseline (no shock, same balance sheets, 12 months): every company pays what it owes "
                        "the web in full.")
    assert story[1] == "Shock: lab fails (eisenberg_noe, over 12 months)."
    assert "On impact: Lab fails." in story and any(s.startswith("Round 1: Cloud, losing $20") for s in story)
    assert res.headline()["new_failures"] == 1 and res.rounds == 1


def test_no_shock_means_no_loss_in_every_model(web: RecordSet) -> None:
    for model in ("eisenberg_noe", "rogers_veraart", "debtrank", "furfine", "gai_kapadia", "cross_holdings"):
        res = stress(web, scenario({"entity": "lab", "pays": 1.0}, model=model))
        assert np.allclose(res.loss, 0.0, atol=1e-9), model
        assert res.new_failures() == [], model


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # web is immutable
@given(st.floats(0, 1), st.floats(0, 1))
def test_clearing_losses_monotone_in_the_shock(web: RecordSet, a: float, b: float) -> None:
    small, large = sorted((a, b), reverse=True)  # paying less is the larger shock
    lo = stress(web, scenario({"entity": "lab", "pays": small}))
    hi = stress(web, scenario({"entity": "lab", "pays": large}))
    assert (hi.loss >= lo.loss - 1e-9).all()
    assert (hi.failed >= lo.failed).all()


def test_cancel_cut_and_revenue_shocks(web: RecordSet) -> None:
    cancelled = by_id(stress(web, scenario({"deal": "E2", "cancelled": True})), "loss")
    assert cancelled["lab"] == pytest.approx(20)  # the year's tranche of E2 never comes
    cut = by_id(stress(web, scenario({"entity": "cloud", "cuts": 0.4, "kinds": ["chip_purchase"]})), "loss")
    assert cut["chips"] == pytest.approx(0.4 * 25) and cut["bank"] == 0
    revenue = stress(web, scenario({"entity": "lab", "outside_revenue_falls": 0.5}))
    assert by_id(revenue, "loss")["lab"] == pytest.approx(7.5)
    noted = stress(web, scenario({"entity": "chips", "valuation_falls": 0.5}))
    assert np.allclose(noted.loss, 0) and any("no effect in the liquidity view" in n for n in noted.notes)
    fallback = stress(web, scenario({"entity": "chips", "outside_revenue_falls": 0.5}))
    assert any("chips has no outside revenue figure" in n for n in fallback.notes)


def test_solvency_models_hand_computed(web: RecordSet) -> None:
    dr = by_id(stress(web, scenario({"entity": "chips", "valuation_falls": 0.5}, model="debtrank")), "loss")
    assert dr["lab"] == pytest.approx(0.5 * 40 / 400 * 400)  # h_lab = 0.5 · 40 / 400
    assert dr["fund"] == pytest.approx(40 * 0.05) and dr["cloud"] == pytest.approx(100 * 0.05)
    ff = stress(web, scenario({"entity": "lab", "fails": True}, model="furfine"))
    assert by_id(ff, "loss")["cloud"] == pytest.approx(100) and by_id(ff, "loss")["fund"] == pytest.approx(40)
    assert ff.new_failures() == []  # cloud and fund have no valuation: they absorb, they cannot fail
    recovered = stress(web, scenario({"entity": "lab", "fails": True}, model="furfine", assumptions={"recovery": 0.25}))
    assert by_id(recovered, "loss")["cloud"] == pytest.approx(75)
    eg = by_id(stress(web, scenario({"entity": "lab", "valuation_falls": 0.5}, model="cross_holdings")), "loss")
    # lab's modelled value is its reported 400 (not its outside-held 360): halving it loses 200; fund's
    # 10 % stake loses 20 of fund's own value
    assert eg["lab"] == pytest.approx(200) and eg["fund"] == pytest.approx(0.1 * 200)


def test_rogers_veraart_with_no_default_costs_is_eisenberg_noe(web: RecordSet) -> None:
    shock = {"entity": "lab", "pays": 0.3}
    en = stress(web, scenario(shock))
    rv = stress(web, scenario(shock, model="rogers_veraart", params={"alpha": 1.0, "beta": 1.0}))
    assert np.allclose(en.loss, rv.loss) and (en.failed == rv.failed).all()
    costly = stress(web, scenario(shock, model="rogers_veraart", params={"alpha": 0.5, "beta": 0.5}))
    assert (costly.loss >= en.loss - 1e-9).all()


def test_overrides_and_bad_input(web: RecordSet) -> None:
    res = stress(web, scenario({"entity": "lab", "fails": True}), horizon="2y", model="furfine", recovery=0.5)
    assert res.scenario.horizon_years == 2 and res.model == "furfine" and res.params["assumptions"]["recovery"] == 0.5
    with pytest.raises(ValidationError, match="unknown setting 'colour'"):
        stress(web, scenario({"entity": "lab", "fails": True}), colour="red")
    with pytest.raises(ValidationError, match="no entity 'nobody' in the ledger"):
        stress(web, scenario({"entity": "nobody", "fails": True}))
    with pytest.raises(ValidationError, match="deal 'Z9' is not in the web"):
        stress(web, scenario({"deal": "Z9", "cancelled": True}))


def test_monte_carlo_degenerate_draws_equal_the_single_run(web: RecordSet) -> None:
    sc = scenario({"entity": "lab", "pays": 0.25})
    single = stress(web, sc)
    mc = monte_carlo(web, sc, runs=50, seed=3, estimate_spread=0.0, up_to_low=1.0)
    assert np.allclose(mc.losses, single.loss[:, None])
    assert (mc.failed == single.failed[:, None]).all()
    for model in ("debtrank", "furfine"):
        params = {"variant": "bardoscia2015"} if model == "debtrank" else {}
        sc = scenario({"entity": "lab", "fails": True}, model=model, params=params)
        one = stress(web, sc)
        many = monte_carlo(web, sc, runs=20, estimate_spread=0.0, up_to_low=1.0, valuation_range=(1, 1),
                           recovery_range=(0, 0))
        assert np.allclose(many.losses, one.loss[:, None]), model


def test_monte_carlo_matches_looping_single_solver(web: RecordSet) -> None:
    """Each batched column equals an Eisenberg-Noe run on that column's sampled amounts."""
    sc = scenario({"entity": "lab", "pays": 0.5})
    mc = monte_carlo(web, sc, runs=30, seed=7)
    sheets = balance_sheets(web, as_of=AS_OF)
    idx = sheets.index
    rng = np.random.default_rng(7)
    u = rng.random((4, 30))  # deals C1, C2, E2, L1 in sorted order; C1 and L1 are exact
    factors = {"C1": np.ones(30), "C2": 0.75 + 0.5 * u[1], "E2": u[2], "L1": np.ones(30)}
    for s in range(0, 30, 7):
        L = np.zeros((5, 5))
        for row in sheets.obligations.itertuples():
            cap = 0.5 if row.debtor == "lab" else 1.0
            L[idx[row.debtor], idx[row.creditor]] += row.amount * factors[row.deal][s] * cap
        e = sheets.external_assets.copy()
        e[idx["chips"]] = sum(row.amount * factors[row.deal][s] for row in sheets.obligations.itertuples()
                              if row.debtor == "chips")
        res = eisenberg_noe(L, e)
        assert bool(res.failed[idx["cloud"]]) == bool(mc.failed[idx["cloud"], s])


def test_monte_carlo_rejects_bad_settings(web: RecordSet) -> None:
    with pytest.raises(ValidationError, match="Monte Carlo runs eisenberg_noe"):
        monte_carlo(web, scenario({"entity": "lab", "fails": True}, model="cross_holdings"), runs=10)
    with pytest.raises(ValidationError, match="runs: must be a whole number"):
        monte_carlo(web, scenario({"entity": "lab", "fails": True}), runs=0)
    with pytest.raises(ValidationError, match="recovery_range"):
        monte_carlo(web, scenario({"entity": "lab", "fails": True}, model="furfine"), recovery_range=(0.5, 2.0))


def test_reverse_stress_hand_computed(web: RecordSet) -> None:
    threshold = 1 - (CLOUD_OWES - 20) / 20  # cloud falls short once lab pays less than (owes − 20) / 20
    r = reverse_stress(web, "lab", "cloud", as_of=AS_OF)
    assert r.shock == pytest.approx(threshold, abs=1e-5)
    above = stress(web, scenario({"entity": "lab", "pays": 1 - r.shock - 1e-4}))
    below = stress(web, scenario({"entity": "lab", "pays": 1 - r.shock + 1e-4}))
    assert above.failed[above.nodes.index("cloud")] and not below.failed[below.nodes.index("cloud")]
    assert "once lab pays less than" in r.sentence()
    assert reverse_stress(web, "bank", "cloud", as_of=AS_OF).shock is None  # bank owes nothing
    assert reverse_stress(web, "lab", "chips", as_of=AS_OF).fallback_target


def test_every_shipped_scenario_runs_on_the_bundled_web() -> None:
    records = dealweb.bundled_records()
    entities, deals = {e.id for e in records.entities}, {d.id for d in records.deals}
    names = [s.name for s in list_scenarios()]
    assert {"openai-pays-40", "hyperscaler-capex-cut-30", "nvidia-valuation-minus-50"} <= set(names)
    for sc in list_scenarios():
        assert parse_scenario(sc.to_dict() | {"horizon": sc.horizon_years}, entities=entities, deals=deals) is not None
        res = stress(records, sc)
        data = json.loads(json.dumps(res.to_dict(), allow_nan=False))
        assert data["headline"]["scenario"] == sc.name and data["story"][0].startswith("Baseline")
        assert data["story"][1].startswith("Shock:") and data["baseline"]["sentence"] == data["story"][0]
        assert data["params"]["assumptions"]["horizon_years"] == sc.horizon_years
        assert np.isfinite(res.loss).all()


def test_walkthrough_numbers_in_the_docs() -> None:
    """docs/stress.md quotes these; if the dataset or the model changes, update the page."""
    records = dealweb.bundled_records()
    sheets = balance_sheets(records)
    assert sheets.as_of == dt.date(2026, 7, 2)
    i = sheets.index["openai"]
    assert (round(sheets.owes[i] / 1e9, 1), round(sheets.owed[i] / 1e9, 1), round(sheets.external_assets[i] / 1e9, 1)) \
        == (109.8, 33.6, 121.0)
    fails = stress(records, "openai-fails", sheets=sheets)
    loss = {k: round(v / 1e9, 1) for k, v in by_id(fails, "loss").items()}
    assert (round(fails.headline()["shock_loss"] / 1e9, 1), loss["microsoft"], loss["oracle"], loss["amazon"]) \
        == (109.8, 50.0, 29.9, 17.9)
    assert fails.new_failures() == [] and fails.headline()["baseline_short"] == 1
    pays = stress(records, "openai-pays-40")
    assert (round(pays.headline()["shock_loss"] / 1e9, 1), round(pays.headline()["baseline_shortfall"] / 1e9, 1)) \
        == (102.1, 95.3)
    spent = stress(records, "openai-fails", raised_available=0.0)
    assert round(float(spent.baseline_shortfall[spent.nodes.index("openai")]) / 1e9, 1) == 34.6
    assert reverse_stress(records, "openai", "coreweave").shock is None


def test_monte_carlo_benchmark_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    """The benchmark script runs and its batched and looped failures agree (no timing is asserted)."""
    from benchmarks.montecarlo_bench import main

    assert main(["--runs", "200", "--loop-runs", "5"]) == 0
    out = capsys.readouterr().out
    assert "failures agree run by run: True" in out and "ratio (loop / batched, per run)" in out


@pytest.mark.parametrize("model", ["eisenberg_noe", "rogers_veraart", "debtrank", "furfine", "cross_holdings"])
def test_losses_by_round_end_at_the_final_loss_and_never_fall(model: str) -> None:
    res = stress(dealweb.bundled_records(), "openai-fails", model=model)
    by_round = res.losses_by_round
    assert by_round is not None
    assert by_round.shape == (int(max(0, res.failure_round.max())) + 1, len(res.nodes))
    np.testing.assert_allclose(np.nan_to_num(by_round[-1]), np.nan_to_num(res.loss))
    assert (np.diff(np.nan_to_num(by_round), axis=0) >= -1e-6).all()


def test_losses_by_round_show_the_cascade_unfold() -> None:
    res = stress(dealweb.bundled_records(), "openai-pays-40")  # Eisenberg-Noe: openai on impact, then its creditors
    by_round = res.losses_by_round
    assert by_round is not None and len(by_round) >= 2
    openai = res.nodes.index("openai")
    creditors = [i for i in range(len(res.nodes)) if i != openai and res.loss[i] > 1e6]
    assert creditors and all(by_round[0][i] < res.loss[i] for i in creditors)
