"""Run a scenario: balance sheets, shocks, one contagion model, and the story of what happened.

:func:`stress` is what ``dealweb stress`` and the Python API call. It builds balance sheets
from the ledger (:func:`~dealweb.contagion.balance_sheets`), applies the scenario's shocks
(:mod:`dealweb.stress.shocks`), runs the model on the shocked inputs and, for the clearing
models, on the unshocked ones too, and returns a :class:`StressResult`: per company the loss the
scenario causes, loss relative to its buffer, whether it fails and in which round, and the
counterparty through which most of its loss arrived; plus the round-by-round story.

Losses in the liquidity view are *caused by the scenario*: what a company receives from the web
falls, or its outside means fall, compared with the same model run without the shock. A company
that is already short before the shock (the baseline) is reported as such and not counted as a
new failure.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from dealweb.contagion.registry import MODELS, get_model, resolve_params
from dealweb.contagion.result import ContagionResult
from dealweb.contagion.sheets import BalanceSheets, balance_sheets
from dealweb.errors import ConvergenceError, Problem, ValidationError
from dealweb.network.summary import format_usd
from dealweb.stress.result import Story, StressResult
from dealweb.stress.rounds import distress_waves, losses_by_round
from dealweb.stress.scenario import Scenario, Shock, load_scenario
from dealweb.stress.shocks import Liquidity, liquidity_inputs, solvency_inputs

__all__ = ["LIQUIDITY_MODELS", "Story", "StressResult", "largest_node_stress", "stress"]

#: The registered models of the liquidity (clearing) view.
LIQUIDITY_MODELS = tuple(name for name, spec in MODELS.items() if spec.view == "liquidity")


def stress(source: Any, scenario: Scenario | str, *, sheets: BalanceSheets | None = None, **overrides: Any) -> StressResult:
    """Run ``scenario`` (a :class:`Scenario`, a shipped name or a file path) on a ledger.

    ``overrides`` change the scenario before it runs: ``model``, ``horizon`` (years or ``"18m"``),
    ``params`` or any assumption name (``recovery=0.4``). ``sheets`` reuses balance sheets
    already built for the same horizon and assumptions.

    Examples
    --------
    >>> import dealweb
    >>> res = stress(dealweb.bundled_records(), "openai-pays-40")
    >>> res.headline()["largest_loser"] is not None, bool(res.failed[res.nodes.index("openai")])
    (True, True)
    >>> res.story()[1]
    'Shock: openai pays only 40% of its obligations (eisenberg_noe, over 2 years).'
    """
    if isinstance(scenario, str):
        scenario = load_scenario(scenario)
    if overrides:
        try:
            scenario = scenario.evolve(**overrides)
        except ValueError as exc:
            raise ValidationError([Problem("stress", "", "override", str(exc))]) from exc
    if sheets is None or sheets.assumptions != scenario.assumptions:
        sheets = balance_sheets(source, as_of=scenario.as_of, assumptions=scenario.assumptions)
    try:
        if get_model(scenario.model).view == "liquidity":
            return _liquidity(sheets, scenario)
        return _solvency(sheets, scenario)
    except ConvergenceError:
        raise
    except ValueError as exc:  # array-level models reject inputs with ValueError: say which scenario
        raise ValidationError([Problem(f"scenario {scenario.name}", "", "model_input", str(exc))]) from exc


def _params(sheets: BalanceSheets, scenario: Scenario, model_params: dict[str, Any]) -> dict[str, Any]:
    return {"model": scenario.model, "model_params": model_params, "assumptions": sheets.assumptions.to_dict(),
            "as_of": sheets.as_of.isoformat(), "horizon_years": sheets.horizon_years}


# -------------------------------------------------------------------------------- liquidity view


def _clear(sheets: BalanceSheets, liq: Liquidity, model: str, params: dict[str, Any]) -> tuple[ContagionResult, sp.csr_array]:
    """Run the clearing model; return its result and ``P[j, i]`` = what j pays i."""
    ob = sheets.obligations
    idx = sheets.index
    rows = np.fromiter((idx[x] for x in ob["debtor"]), dtype=np.int64, count=len(ob))
    cols = np.fromiter((idx[x] for x in ob["creditor"]), dtype=np.int64, count=len(ob))
    n = sheets.n
    L = sp.coo_array((liq.leg_amount * liq.payment_cap[rows], (rows, cols)), shape=(n, n)).tocsr()
    L.sum_duplicates()
    ell = sheets.external_liabilities * liq.payment_cap
    res = get_model(model).function(L, liq.external_assets, external_liabilities=ell, nodes=sheets.nodes, **params)
    p, pbar = res.extra["payments"], res.extra["obligations"]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(pbar > 0, p / pbar, 1.0)
    paid = sp.csr_array(sp.diags_array(share) @ L)
    return res, paid


def _liquidity(sheets: BalanceSheets, scenario: Scenario) -> StressResult:
    params = resolve_params(scenario.model, scenario.params)
    base_in = liquidity_inputs(sheets, ())
    shock_in = liquidity_inputs(sheets, scenario.shocks)
    base, paid_base = _clear(sheets, base_in, scenario.model, params)
    hit, paid_hit = _clear(sheets, shock_in, scenario.model, params)
    change = sp.csr_array(paid_base - paid_hit)
    # A payment can rise under the shock (under Rogers–Veraart a capped debtor that was in default
    # in the baseline may escape its default costs). Losses count each payment's fall only; a rise
    # is reported in a note, never netted against losses.
    drop = sp.csr_array(change.maximum(0))
    gains = np.asarray((-change).maximum(0).sum(axis=0)).ravel()
    received_drop = np.asarray(drop.sum(axis=0)).ravel()
    notes = list(shock_in.notes)
    for i in np.flatnonzero(gains > 0.5):
        notes.append(f"{sheets.names[i]} receives {format_usd(gains[i])} more under the shock than in the baseline "
                     f"({scenario.model}: a capped debtor pays more than its baseline clearing); not netted against losses")
    loss = received_drop + (base_in.external_assets - shock_in.external_assets)
    capped = (shock_in.payment_cap < 1.0) & (sheets.owes > 0)
    failed = hit.failed | capped
    # Round 0 is the shock itself (a capped company, or a shocked one that falls short at once);
    # the clearing's k-th fictitious-default round is wave k + 1 of contagion.
    on_impact = capped | (shock_in.shocked & (hit.failure_round == 0))
    failure_round = np.where(on_impact, 0, np.where(failed, hit.failure_round + 1, -1))
    buffer = base.extra["equity_after"]
    known = sheets.has_means & (buffer > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(known, loss / buffer, np.nan)
    shortfall = np.maximum(base.extra["obligations"] - base.extra["payments"], 0.0)
    cannot_fail = np.full(sheets.n, "", dtype=object)
    fallback = ~sheets.has_means & (sheets.assumptions.no_figures == "pays_in_full")
    cannot_fail[fallback] = ("no cash or revenue figure: under the pays_in_full fallback its outside means equal "
                             "what it owes, so it always pays")
    cannot_fail[(sheets.owes <= 0) & ~fallback] = "owes the web nothing over the horizon: nothing to default on"
    unpaid = _unpaid_edges(sheets, base_in, paid_base, paid_hit)
    top = _top_sources(drop)
    last = int(max(0, failure_round.max(initial=0)))
    # What j failed to pay i reaches i in the round after j fails (drop is debtor × creditor).
    by_round = losses_by_round(loss, base_in.external_assets - shock_in.external_assets, sp.csr_array(drop.T),
                               failure_round, last)
    return StressResult(
        scenario=scenario, nodes=sheets.nodes, names=sheets.names, loss=loss, relative_loss=relative, failed=failed,
        failure_round=failure_round, failed_before=base.failed.copy(), shocked=shock_in.shocked, top_source=top,
        rounds=last, notes=tuple(notes), missing=sheets.missing,
        params=_params(sheets, scenario, params), model_result=hit, network_params=sheets.network_params,
        undisclosed=sheets.undisclosed, losses_by_round=by_round, baseline_shortfall=shortfall,
        buffer=np.where(known, buffer, np.nan), cannot_fail=cannot_fail, unpaid=unpaid,
        baseline_obligations=base.extra["obligations"], left_out=sheets.left_out)


def _unpaid_edges(sheets: BalanceSheets, base_in: Liquidity, paid_base: sp.csr_array,
                  paid_hit: sp.csr_array) -> pd.DataFrame:
    """Every debtor → creditor obligation not paid in full under the shock: what is owed (before any
    cap), what the baseline and the shocked clearing pay (the map draws these edges as unpaid)."""
    ob = sheets.obligations
    idx = sheets.index
    rows = np.fromiter((idx[x] for x in ob["debtor"]), dtype=np.int64, count=len(ob))
    cols = np.fromiter((idx[x] for x in ob["creditor"]), dtype=np.int64, count=len(ob))
    owed = sp.coo_array((base_in.leg_amount, (rows, cols)), shape=(sheets.n, sheets.n)).tocsr()
    owed.sum_duplicates()
    coo = owed.tocoo()
    base = np.asarray(paid_base[coo.row, coo.col]).ravel()
    hit = np.asarray(paid_hit[coo.row, coo.col]).ravel()
    short = hit < coo.data - 0.5
    frame = pd.DataFrame({"debtor": [sheets.nodes[i] for i in coo.row[short]],
                          "creditor": [sheets.nodes[j] for j in coo.col[short]],
                          "owed": coo.data[short], "paid_baseline": base[short], "paid_shocked": hit[short]})
    frame["paid_share"] = frame["paid_shocked"] / frame["owed"]
    return frame.sort_values(["owed", "debtor", "creditor"], ascending=[False, True, True]).reset_index(drop=True)


def _top_sources(drop: sp.csr_array) -> np.ndarray:
    """For each creditor i, the debtor j whose payments to i fell most (−1 if none fell)."""
    cols = sp.csc_array(drop)
    n = drop.shape[0]
    top = np.full(n, -1, dtype=np.int64)
    for i in range(n):
        lo, hi = cols.indptr[i], cols.indptr[i + 1]
        if hi > lo:
            k = int(np.argmax(cols.data[lo:hi]))
            if cols.data[lo + k] > 0.5:
                top[i] = int(cols.indices[lo + k])
    return top


# -------------------------------------------------------------------------------- solvency view


def _solvency(sheets: BalanceSheets, scenario: Scenario) -> StressResult:
    model = scenario.model
    direct = solvency_inputs(sheets, scenario.shocks, stakes=model != "cross_holdings")
    E = sheets.equity_value
    known = np.isfinite(E) & (E > 0)
    notes = list(direct.notes)
    A = sheets.exposure_matrix
    # Companies without a known buffer absorb losses but cannot fail: they get no row in the
    # model's exposure matrix (nothing reaches them inside the model) and their money loss is
    # computed from what they are exposed to.
    keep = sp.diags_array(known.astype(np.float64))
    A_model = sp.csr_array(keep @ A)
    buffers = np.where(known, E, 1.0)
    spec = get_model(model)
    params = resolve_params(model, scenario.params)
    if spec.adapter == "cross_holdings":
        return _cross_holdings(sheets, scenario, direct, notes)
    wave: np.ndarray | None
    if spec.adapter == "debtrank":
        h1 = np.where(known, np.clip(direct.own_fall + direct.direct_loss / buffers, 0.0, 1.0), direct.own_fall)
        h1[direct.wiped_out] = 1.0
        res = spec.function(A_model, buffers, h1, nodes=sheets.nodes, **params)
        h = res.relative_loss
        spread = np.asarray(A @ h).ravel()
        loss = np.where(known, h * buffers, direct.direct_loss + spread)
        relative = np.where(known, h, np.nan)
        failed = (known & (h >= 1.0)) | direct.wiped_out
        first = np.where(known, h1 * buffers, direct.direct_loss)
        contrib, wave = sp.csr_array(A @ sp.diags_array(h)), distress_waves(A_model, h1 > 0)
    else:
        R = sheets.assumptions.recovery
        own = direct.direct_loss + direct.own_fall * np.where(known, E, 0.0)
        initial = direct.wiped_out | (known & (own >= buffers))
        rest = np.where(known, np.maximum(buffers - own, 0.0), 1.0)
        res = spec.function(A_model, rest, initial, recovery=R, nodes=sheets.nodes, **params)
        spread = (1.0 - R) * np.asarray(A @ res.failed.astype(np.float64)).ravel()
        loss = np.where(known, own + res.loss, direct.direct_loss + spread)
        with np.errstate(divide="ignore", invalid="ignore"):
            relative = np.where(known, loss / buffers, np.nan)
        failed = res.failed | direct.wiped_out
        first = np.where(known, own, direct.direct_loss)
        contrib, wave = sp.csr_array((1.0 - R) * (A @ sp.diags_array(failed.astype(np.float64)))), None
    failure_round = np.where(direct.wiped_out, 0, np.where(failed, np.maximum(res.failure_round, 0), -1))
    last = int(max(0, failure_round.max(initial=0)))
    by_round = losses_by_round(loss, first, contrib, failure_round if wave is None else wave, last)
    top = res.top_source.copy()
    if not known.all():  # for the companies outside the model, the counterparty that cost them most
        contrib = sp.csr_array(A @ sp.diags_array(res.relative_loss if spec.adapter == "debtrank"
                                                  else res.failed.astype(float)))
        for i in np.flatnonzero(~known):
            lo, hi = contrib.indptr[i], contrib.indptr[i + 1]
            if hi > lo and contrib.data[lo:hi].max() > 0:
                top[i] = int(contrib.indices[lo + int(np.argmax(contrib.data[lo:hi]))])
    top = np.where((top < 0) & (direct.direct_source >= 0), direct.direct_source, top)
    top[direct.shocked] = -1
    return StressResult(
        scenario=scenario, nodes=sheets.nodes, names=sheets.names, loss=loss, relative_loss=relative, failed=failed,
        failure_round=failure_round, failed_before=np.zeros(sheets.n, dtype=bool), shocked=direct.shocked,
        top_source=top, rounds=res.rounds, notes=tuple(notes), missing=sheets.missing,
        params=_params(sheets, scenario, dict(res.params)), model_result=res, network_params=sheets.network_params,
        undisclosed=sheets.undisclosed, losses_by_round=by_round, buffer=np.where(known, E, np.nan),
        cannot_fail=_no_valuation(known), left_out=sheets.left_out)


def _no_valuation(known: np.ndarray) -> np.ndarray:
    out = np.full(len(known), "", dtype=object)
    out[~known] = "no valuation or market cap figure: it absorbs losses but has no equity buffer to exhaust"
    return out


def _cross_holdings(sheets: BalanceSheets, scenario: Scenario, direct: Any, notes: list[str]) -> StressResult:
    a = sheets.assumptions
    C = sheets.holdings
    # A company's reported valuation (or market cap) prices ALL its shares, those held inside the
    # web too: it is EGJ's book value V, not the outside-held market value v = Ĉ V. So V⁰ is the
    # valuation and the primitive assets are x⁰ = (I − C) V⁰; a valuation fall of f removes f·V⁰
    # from x, which halves V before any feedback when f = 1/2.
    v0 = np.nan_to_num(sheets.equity_value, nan=0.0)
    known = v0 > 0
    outside = 1.0 - np.asarray(C.sum(axis=0)).ravel()
    x0 = np.maximum(0.0, np.asarray(v0 - C @ v0).ravel())
    x = np.maximum(0.0, x0 - direct.direct_loss - direct.own_fall * v0)
    x[direct.wiped_out] = 0.0
    theta = np.where(known, a.failure_threshold, 0.0)
    run = dict(baseline=x0, thresholds=theta, failure_costs=a.failure_cost * v0, nodes=sheets.nodes)
    model = get_model(scenario.model).function
    res = model(C, x, **run)
    failed = res.failed | direct.wiped_out
    failure_round = np.where(direct.wiped_out, 0, res.failure_round)
    # EGJ's waves are the model's own rounds: the state after round r is the cascade stopped there.
    last = int(max(0, failure_round.max(initial=0)))
    # the model measures losses in outside-held market value v = Ĉ V; report the fall of each
    # company's whole value V (what its valuation measures): v / Ĉ
    by_round = np.vstack([model(C, x, max_rounds=r, attribute=False, **run).loss
                          for r in range(last)] + [res.loss]) / outside
    top = res.top_source.copy()
    top = np.where((top < 0) & (direct.direct_source >= 0), direct.direct_source, top)
    top[direct.shocked] = -1
    loss = by_round[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(known, loss / v0, np.nan)
    notes.append("cross_holdings: each loss is the fall in the company's whole value (its valuation); a holder's "
                 "share of another's fall is inside its own loss, so the losses do not add up")
    return StressResult(
        scenario=scenario, nodes=sheets.nodes, names=sheets.names, loss=loss, relative_loss=relative, failed=failed,
        failure_round=failure_round, failed_before=np.zeros(sheets.n, dtype=bool), shocked=direct.shocked,
        top_source=top, rounds=res.rounds, notes=tuple(notes), missing=sheets.missing,
        params=_params(sheets, scenario, dict(res.params)), model_result=res, network_params=sheets.network_params,
        undisclosed=sheets.undisclosed, losses_by_round=by_round, buffer=np.where(known, v0, np.nan),
        cannot_fail=_no_valuation(known), left_out=sheets.left_out)


def largest_node_stress(source: Any, *, model: str = "eisenberg_noe") -> StressResult:
    """The headline stress test: the company with the most web obligations over the next 12 months
    fails and pays nothing (what ``dealweb run`` prints).

    >>> import dealweb
    >>> largest_node_stress(dealweb.bundled_records()).scenario.shocks[0].entities
    ('openai',)
    """
    sheets = balance_sheets(source)
    i = int(np.argmax(sheets.owes))
    scenario = Scenario(name=f"{sheets.nodes[i]}-fails", model=model, title=f"{sheets.names[i]} fails",
                        shocks=(Shock(effect="fails", size=1.0, entities=(sheets.nodes[i],)),))
    return stress(source, scenario, sheets=sheets)
