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

import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from dealweb.contagion.registry import MODELS, get_model, resolve_params
from dealweb.contagion.result import ContagionResult
from dealweb.contagion.sheets import BalanceSheets, balance_sheets
from dealweb.errors import ConvergenceError, Problem, ValidationError
from dealweb.results import Result, jsonable
from dealweb.stress.rounds import distress_waves, failure_rounds, losses_by_round
from dealweb.stress.scenario import Scenario, Shock, load_scenario
from dealweb.stress.shocks import Liquidity, liquidity_inputs, solvency_inputs
from dealweb.summary import format_usd

__all__ = ["LIQUIDITY_MODELS", "Story", "StressResult", "largest_node_stress", "stress"]

#: The registered models of the liquidity (clearing) view.
LIQUIDITY_MODELS = tuple(name for name, spec in MODELS.items() if spec.view == "liquidity")


class Story(list[str]):
    """The lines of a stress story: a plain list, printed one line each, shown as HTML in Jupyter.

    >>> Story(["Baseline: <none>.", "Shock: x fails."])._repr_html_()
    '<div class="dealweb-story"><p>Baseline: &lt;none&gt;.</p><p>Shock: x fails.</p></div>'
    """

    def __str__(self) -> str:
        return "\n".join(self)

    def _repr_html_(self) -> str:
        body = "".join(f"<p>{html.escape(line)}</p>" for line in self)
        return f'<div class="dealweb-story">{body}</div>'


@dataclass(frozen=True, kw_only=True)
class StressResult(Result):
    """What a scenario does to each company, and the story of how it spread.

    Attributes
    ----------
    scenario
        The :class:`~dealweb.stress.scenario.Scenario` run (with any CLI overrides applied).
    nodes, names
        Entity ids and names.
    loss
        Money each company loses because of the scenario (USD).
    relative_loss
        Loss over the company's buffer (liquidity buffer or equity value; ``nan`` where unknown).
    failed, failure_round
        Whether it fails under the shock, and the round (0 = on impact, ``k`` = the k-th wave, −1 = not).
    failed_before
        Whether it already fails without the shock (clearing models only; else all ``False``).
    shocked
        Whether the scenario hits it directly.
    top_source
        Index of the counterparty through which most of its loss arrived (−1: none, or its own shock).
    rounds
        Waves of contagion after the impact.
    notes
        Shocks that had no effect and why, solver remarks.
    missing
        The balance sheets' missing figures and their fallbacks.
    losses_by_round
        Cumulative loss of each company after each round, shape ``(last failure round + 1, n)``;
        the last row is ``loss`` (see :mod:`dealweb.stress.rounds`). ``None`` if not computed.
    model_result
        The model's own :class:`~dealweb.contagion.ContagionResult` on the shocked inputs.
    """

    scenario: Scenario
    nodes: tuple[str, ...]
    names: tuple[str, ...]
    loss: np.ndarray
    relative_loss: np.ndarray
    failed: np.ndarray
    failure_round: np.ndarray
    failed_before: np.ndarray
    shocked: np.ndarray
    top_source: np.ndarray
    rounds: int
    notes: tuple[str, ...] = ()
    missing: pd.DataFrame = field(default_factory=pd.DataFrame)
    params: dict[str, Any] = field(default_factory=dict)
    model_result: ContagionResult | None = None
    losses_by_round: np.ndarray | None = None

    @property
    def model(self) -> str:
        return self.scenario.model

    def _source(self, i: int) -> str | None:
        j = int(self.top_source[i])
        return self.nodes[j] if j >= 0 else None

    def _status(self, i: int) -> str:
        if self.shocked[i]:
            return "shocked"
        if self.failed_before[i]:
            return "short without the shock"
        if self.failed[i]:
            return "fails on impact" if self.failure_round[i] == 0 else f"fails in round {self.failure_round[i]}"
        return ""

    def to_frame(self) -> pd.DataFrame:
        """One row per company the scenario touches (loss ≠ 0, failed, or shocked), largest loss first."""
        frame = pd.DataFrame({
            "id": self.nodes, "name": self.names, "loss": self.loss, "relative_loss": self.relative_loss,
            "failed": self.failed, "failure_round": self.failure_round, "failed_before": self.failed_before,
            "shocked": self.shocked, "via": [self._source(i) for i in range(len(self.nodes))],
            "status": [self._status(i) for i in range(len(self.nodes))],
        })
        touched = (np.abs(self.loss) > 0.5) | self.failed | self.shocked
        out: pd.DataFrame = frame[touched].sort_values(["loss", "id"], ascending=[False, True]).reset_index(drop=True)
        return out

    def new_failures(self) -> list[str]:
        """Companies that fail under the shock but not without it, directly shocked ones excluded."""
        return [self.nodes[i] for i in np.flatnonzero(self.failed & ~self.failed_before & ~self.shocked)]

    def headline(self) -> dict[str, Any]:
        order = np.argsort(-np.nan_to_num(self.loss, nan=0.0), kind="stable")
        hit = [i for i in order if self.loss[i] > 0.5 and not self.shocked[i]]
        return {
            "scenario": self.scenario.name, "model": self.model, "horizon_years": self.scenario.horizon_years,
            "shock": self.scenario.describe(), "total_loss": float(np.nansum(np.clip(self.loss, 0, None))),
            "new_failures": len(self.new_failures()), "failed_before": int(self.failed_before.sum()),
            "rounds": self.rounds,
            "largest_loser": self.nodes[hit[0]] if hit else None,
            "largest_loss": float(self.loss[hit[0]]) if hit else 0.0,
            "missing_figures": len(self.missing),
        }

    def story(self) -> Story:
        """The round-by-round story in plain sentences (a list of lines that renders as HTML in Jupyter)."""
        name = dict(zip(self.nodes, self.names, strict=True))
        horizon = self.scenario.horizon_years
        span = f"{horizon * 12:.0f} months" if horizon < 2 else f"{horizon:g} years"
        lines = [f"Shock: {self.scenario.describe()} ({self.model}, over {span})."]
        before = [self.nodes[i] for i in np.flatnonzero(self.failed_before & ~self.shocked)]
        if before:
            lines.append(f"Already short without the shock: {', '.join(name[x] for x in before)}.")
        for r, members in enumerate(self.failure_rounds()):
            if not members:
                continue
            parts = []
            for i in members:
                src = self._source(int(i))
                how = "" if self.shocked[i] else f", losing {format_usd(self.loss[i])}"
                via = f" (mostly from {name[src]})" if src and not self.shocked[i] else ""
                parts.append(f"{self.names[i]}{how}{via}")
            label = "On impact" if r == 0 else f"Round {r}"
            lines.append(f"{label}: {'; '.join(parts)} {'fails' if len(members) == 1 else 'fail'}.")
        if not self.new_failures():
            lines.append("No other company fails.")
        losers = [i for i in np.argsort(-np.nan_to_num(self.loss, nan=0.0), kind="stable")
                  if self.loss[i] > 0.5 and not self.shocked[i]][:5]
        if losers:
            items = []
            for i in losers:
                src = self._source(i)
                rel = f", {self.relative_loss[i]:.0%} of its buffer" if np.isfinite(self.relative_loss[i]) else ""
                items.append(f"{self.names[i]} {format_usd(self.loss[i])}{rel}" + (f" via {name[src]}" if src else ""))
            lines.append("Largest losses: " + "; ".join(items) + ".")
        lines.extend(f"Note: {n}" for n in self.notes)
        return Story(lines)

    def failure_rounds(self) -> list[list[int]]:
        """Who fails in each round (node indices; :func:`~dealweb.stress.rounds.failure_rounds`)."""
        return failure_rounds(self.failure_round, self.failed_before, self.shocked)

    def round_items(self) -> list[dict[str, Any]]:
        """Per round: who fails (ids) and, when computed, every company's cumulative ``loss`` and
        ``relative_loss`` after that round in the order of ``nodes`` (the map steps through these)."""
        items: list[dict[str, Any]] = []
        by_round = self.losses_by_round
        finite = np.isfinite(self.relative_loss)
        for r, members in enumerate(self.failure_rounds()):
            item: dict[str, Any] = {"round": r, "failed": [self.nodes[i] for i in members]}
            if by_round is not None and r < len(by_round):
                loss = by_round[r]
                # the buffer is the same every round: relative loss scales with the loss
                with np.errstate(divide="ignore", invalid="ignore"):
                    rel = np.where(finite & (self.loss != 0), self.relative_loss * loss / self.loss,
                                   np.where(finite, 0.0, np.nan))
                item["loss"], item["relative_loss"] = jsonable(loss.tolist()), jsonable(rel.tolist())
            items.append(item)
        return items

    def _repr_html_(self) -> str:
        return self.story()._repr_html_() + super()._repr_html_()

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["story"] = list(self.story())
        data["rounds"] = self.round_items()
        data["scenario"] = self.scenario.to_dict()
        data["params"] = self.params
        data["missing"] = self.missing.to_dict(orient="records")
        return data


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
    >>> res.story()[0]
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
        undisclosed=sheets.undisclosed, losses_by_round=by_round)


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
        undisclosed=sheets.undisclosed, losses_by_round=by_round)


def _cross_holdings(sheets: BalanceSheets, scenario: Scenario, direct: Any, notes: list[str]) -> StressResult:
    a = sheets.assumptions
    C = sheets.holdings
    v0 = np.nan_to_num(sheets.equity_value, nan=0.0)
    known = v0 > 0
    outside = 1.0 - np.asarray(C.sum(axis=0)).ravel()
    x0 = np.maximum(0.0, np.asarray(v0 / outside - C @ (v0 / outside)).ravel())
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
    by_round = np.vstack([model(C, x, max_rounds=r, attribute=False, **run).loss
                          for r in range(last)] + [res.loss])
    top = res.top_source.copy()
    top = np.where((top < 0) & (direct.direct_source >= 0), direct.direct_source, top)
    top[direct.shocked] = -1
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(known, res.loss / v0, np.nan)
    return StressResult(
        scenario=scenario, nodes=sheets.nodes, names=sheets.names, loss=res.loss, relative_loss=relative, failed=failed,
        failure_round=failure_round, failed_before=np.zeros(sheets.n, dtype=bool), shocked=direct.shocked,
        top_source=top, rounds=res.rounds, notes=tuple(notes), missing=sheets.missing,
        params=_params(sheets, scenario, dict(res.params)), model_result=res, network_params=sheets.network_params,
        undisclosed=sheets.undisclosed, losses_by_round=by_round)


def largest_node_stress(source: Any, *, model: str = "eisenberg_noe") -> StressResult:
    """The headline stress test: the company with the most web obligations over the next 12 months
    fails and pays nothing (what ``dealweb run`` prints).

    >>> import dealweb
    >>> largest_node_stress(dealweb.bundled_records()).scenario.shocks[0].entities
    ('softbank',)
    """
    sheets = balance_sheets(source)
    i = int(np.argmax(sheets.owes))
    scenario = Scenario(name=f"{sheets.nodes[i]}-fails", model=model, title=f"{sheets.names[i]} fails",
                        shocks=(Shock(effect="fails", size=1.0, entities=(sheets.nodes[i],)),))
    return stress(source, scenario, sheets=sheets)
