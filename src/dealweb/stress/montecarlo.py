"""Monte Carlo stress: thousands of draws of the uncertain inputs, solved as columns of one matrix.

Which inputs are uncertain, and how each is drawn (all named parameters of :func:`monte_carlo`):

* **"Up to" amounts**: the share of the ceiling that materialises is uniform on the deal's
  reported range when it has one, else on ``[up_to_low, 1]`` (default ``[0, 1]``).
* **Estimated amounts**: uniform on the reported low–high range when there is one, else within
  ``± estimate_spread`` (default 25 %) of the estimate. Exact amounts with a reported range
  (sources disagree) are uniform on it; other exact amounts are fixed.
  One factor per deal: every leg of a deal moves together.
* **Recovery rates** (threshold cascades): uniform on ``recovery_range`` (default 0–60 %).
* **Valuation marks** (DebtRank, threshold cascades): each company's equity value, and the value
  of stakes in it, times a factor uniform on ``valuation_range`` (default 0.5–1.5).

Draws come from ``numpy.random.default_rng(seed)``: the same seed gives the same numbers.
Every draw is one column; the clearing (:func:`~dealweb.contagion.batch.clearing_batch`), DebtRank
(Bardoscia et al. 2015) and the Furfine cascade each run all columns together through one sparse
incidence matrix, with no Python loop over scenarios. Monte Carlo builds its balance sheets at
face value (``up_to = estimate = 1``, ``amount_policy = face``): it samples amounts itself.
Supported models: ``eisenberg_noe``, ``debtrank`` (``bardoscia2015``) and ``furfine``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from dealweb.contagion.batch import clearing_batch
from dealweb.contagion.registry import MODELS
from dealweb.contagion.sheets import BalanceSheets, balance_sheets
from dealweb.contagion.sweep import RunSweep
from dealweb.errors import Problem, ValidationError
from dealweb.network.results import Result
from dealweb.stress.scenario import Scenario, load_scenario
from dealweb.stress.shocks import liquidity_inputs, solvency_inputs

__all__ = ["MC_MODELS", "MonteCarloResult", "monte_carlo"]

#: The registered models Monte Carlo can run (each batched by its own kernel below).
MC_MODELS = tuple(name for name, spec in MODELS.items() if spec.monte_carlo)
_QUANTILES = (0.05, 0.5, 0.95)
_BLOCK = 32  # runs are cleared in blocks of a multiple of this many run numbers …
_BLOCK_BYTES = 8 * 2**20  # … of about this much working memory (cache-sized)
_NOISE = 1e-12  # the clearing's relative tolerance


@dataclass(frozen=True, kw_only=True)
class MonteCarloResult(Result):
    """Distributions of each company's loss over ``runs`` draws.

    ``losses`` is ``(n, runs)`` (USD), ``failed`` ``(n, runs)``; :meth:`to_frame` gives per
    company the mean, the 5 %, 50 % and 95 % quantiles of its loss, the probability that it
    fails and the probability that it fails only because of the shock.
    """

    scenario: Scenario
    nodes: tuple[str, ...]
    names: tuple[str, ...]
    losses: np.ndarray
    failed: np.ndarray
    new_failure: np.ndarray
    shocked: np.ndarray
    runs: int
    seed: int
    params: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        q = np.quantile(self.losses, _QUANTILES, axis=1)
        frame = pd.DataFrame({
            "id": self.nodes, "name": self.names, "mean_loss": self.losses.mean(axis=1),
            "loss_p05": q[0], "loss_p50": q[1], "loss_p95": q[2],
            "p_fail": self.failed.mean(axis=1), "p_new_failure": self.new_failure.mean(axis=1),
            "shocked": self.shocked,
        })
        touched = (frame["loss_p95"] > 0.5) | (frame["p_fail"] > 0) | frame["shocked"]
        return frame[touched].sort_values(["mean_loss", "id"], ascending=[False, True]).reset_index(drop=True)

    def headline(self) -> dict[str, Any]:
        total = np.clip(self.losses, 0, None).sum(axis=0)
        cascades = (self.new_failure.sum(axis=0) > 0).mean()
        return {"scenario": self.scenario.name, "model": self.scenario.model, "runs": self.runs, "seed": self.seed,
                "total_loss_mean": float(total.mean()), "total_loss_p05": float(np.quantile(total, 0.05)),
                "total_loss_p95": float(np.quantile(total, 0.95)), "p_any_new_failure": float(cascades)}

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["params"] = self.params
        return data

    def plot(self, path: Any = None, *, top: int = 10) -> Any:
        """Box plots of the loss distributions of the ``top`` companies by mean loss; saved to
        ``path`` (PNG/SVG/PDF by suffix) when given. Returns the matplotlib figure."""
        from matplotlib.figure import Figure  # not pyplot: no global backend switch (Jupyter keeps its own)

        frame = self.to_frame()
        frame = frame[~frame["shocked"]].head(top)
        rows = [self.nodes.index(x) for x in frame["id"]]
        fig = Figure(figsize=(8, 0.45 * max(len(rows), 2) + 1.5))
        ax = fig.subplots()
        ax.boxplot([self.losses[i] / 1e9 for i in rows][::-1], orientation="horizontal", whis=(5, 95), showfliers=False)
        ax.set_yticks(range(1, len(rows) + 1), [self.names[i] for i in rows][::-1])
        ax.set_xlabel("loss, $ billion (box: quartiles; whiskers: 5-95%)")
        ax.set_title(f"{self.scenario.title or self.scenario.name}: {self.runs} runs, seed {self.seed}", fontsize=10)
        fig.tight_layout()
        if path is not None:
            fig.savefig(path)
        return fig


def _deal_factors(obligations: pd.DataFrame, runs: int, rng: np.random.Generator, *, up_to_low: float,
                  estimate_spread: float) -> tuple[np.ndarray, np.ndarray]:
    """One factor per deal and draw: ``(deal index of each leg, factors (deals × runs))``."""
    deals, leg_deal = np.unique(obligations["deal"].to_numpy(dtype=str), return_inverse=True)
    first = obligations.groupby("deal", sort=True).first().reindex(deals)
    low = first["low"].to_numpy(dtype=np.float64)
    high = first["high"].to_numpy(dtype=np.float64)
    qualifier = first["qualifier"].to_numpy(dtype=str)
    ranged = np.isfinite(low) & np.isfinite(high) & (high >= low)
    lo = np.ones(len(deals))
    hi = np.ones(len(deals))
    up = (qualifier == "up_to") & ~ranged
    est = (qualifier == "estimate") & ~ranged
    lo[ranged], hi[ranged] = low[ranged], high[ranged]
    lo[up] = up_to_low
    lo[est], hi[est] = 1.0 - estimate_spread, 1.0 + estimate_spread
    u = rng.random((len(deals), runs))
    return leg_deal, lo[:, None] + (hi - lo)[:, None] * u


def monte_carlo(source: Any, scenario: Scenario | str, *, runs: int = 10_000, seed: int = 0,
                up_to_low: float = 0.0, estimate_spread: float = 0.25, recovery_range: tuple[float, float] = (0.0, 0.6),
                valuation_range: tuple[float, float] = (0.5, 1.5), sheets: BalanceSheets | None = None,
                **overrides: Any) -> MonteCarloResult:
    """Run ``scenario`` ``runs`` times over draws of the uncertain inputs (module docstring).

    Examples
    --------
    >>> import dealweb
    >>> mc = monte_carlo(dealweb.bundled_records(), "openai-fails", runs=200, seed=1)
    >>> frame = mc.to_frame().set_index("id")
    >>> bool(frame.loc["oracle", "loss_p05"] <= frame.loc["oracle", "loss_p50"] <= frame.loc["oracle", "loss_p95"])
    True
    >>> again = monte_carlo(dealweb.bundled_records(), "openai-fails", runs=200, seed=1)
    >>> mc.headline()["runs"], bool((again.losses == mc.losses).all())    # same seed, same numbers
    (200, True)
    """
    if isinstance(scenario, str):
        scenario = load_scenario(scenario)
    problems = []
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        problems.append(Problem("monte_carlo", "runs", "positive_integer", f"must be a whole number ≥ 1, got {runs!r}"))
    for name, value in (("up_to_low", up_to_low), ("estimate_spread", estimate_spread)):
        if not 0.0 <= value <= 1.0:
            problems.append(Problem("monte_carlo", name, "fraction", f"must be between 0 and 1, got {value!r}"))
    for name, (lo, hi) in (("recovery_range", recovery_range), ("valuation_range", valuation_range)):
        if not 0.0 <= lo <= hi or (name == "recovery_range" and hi > 1.0):
            problems.append(Problem("monte_carlo", name, "range", f"must be an increasing pair of non-negative numbers"
                                    f"{' at most 1' if name == 'recovery_range' else ''}, got {(lo, hi)!r}"))
    try:
        scenario = scenario.evolve(**overrides, up_to=1.0, estimate=1.0, amount_policy="face")
    except ValueError as exc:
        problems.append(Problem("monte_carlo", "", "override", str(exc)))
    spec = MODELS.get(scenario.model)
    if spec is None or not spec.runs_monte_carlo(scenario.params):
        needs = "; ".join(f"{m.name} with {', '.join(f'{k}={v}' for k, v in m.monte_carlo_params.items())}"
                          for m in MODELS.values() if m.monte_carlo and m.monte_carlo_params)
        problems.append(Problem(f"scenario {scenario.name}", "model", "monte_carlo_model",
                                f"Monte Carlo runs {', '.join(MC_MODELS)} ({needs}), "
                                f"got {scenario.model} {scenario.params or ''}".rstrip()))
    if problems:
        raise ValidationError(problems)
    if sheets is None or sheets.assumptions != scenario.assumptions:
        sheets = balance_sheets(source, as_of=scenario.as_of, assumptions=scenario.assumptions)
    rng = np.random.default_rng(seed)
    params = {"runs": runs, "seed": seed, "up_to_low": up_to_low, "estimate_spread": estimate_spread,
              "assumptions": sheets.assumptions.to_dict(), "model_params": dict(scenario.params)}
    if scenario.model == "eisenberg_noe":
        losses, failed, new, shocked = _clearing(sheets, scenario, runs, rng, up_to_low, estimate_spread)
    else:
        params.update(valuation_range=list(valuation_range),
                      recovery_range=list(recovery_range) if scenario.model == "furfine" else None)
        losses, failed, new, shocked = _solvency(sheets, scenario, runs, rng, up_to_low, estimate_spread,
                                                 recovery_range, valuation_range)
    return MonteCarloResult(scenario=scenario, nodes=sheets.nodes, names=sheets.names, losses=losses, failed=failed,
                            new_failure=new, shocked=shocked, runs=runs, seed=seed, params=params,
                            network_params=sheets.network_params, undisclosed=sheets.undisclosed)


def _clearing(sheets: BalanceSheets, scenario: Scenario, runs: int, rng: np.random.Generator, up_to_low: float,
              estimate_spread: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    ob = sheets.obligations
    idx = sheets.index
    src = np.fromiter((idx[x] for x in ob["debtor"]), dtype=np.int64, count=len(ob))
    dst = np.fromiter((idx[x] for x in ob["creditor"]), dtype=np.int64, count=len(ob))
    leg_deal, factors = _deal_factors(ob, runs, rng, up_to_low=up_to_low, estimate_spread=estimate_spread)
    base_in = liquidity_inputs(sheets, ())
    hit_in = liquidity_inputs(sheets, scenario.shocks)
    n = sheets.n
    seniority = scenario.params.get("seniority", "pari_passu")
    # The web's structure once; every run is a column of the same block (dealweb.contagion.sweep).
    web = RunSweep(src, dst, n, sheets.external_liabilities) if seniority == "pari_passu" else None
    if web is not None and not web.small:
        web = None
    # Outside means that stand in for missing figures ("pays_in_full") follow the sampled obligations.
    fallback = ~sheets.has_means if sheets.assumptions.no_figures == "pays_in_full" else np.zeros(n, dtype=bool)
    standins = np.flatnonzero(fallback)
    owes_of = sp.csr_array((np.ones(len(ob)), (np.searchsorted(standins, src), np.arange(len(ob)))),
                           shape=(standins.size + 1, len(ob)))  # row standins.size collects everyone else
    incidence = sp.csr_array((np.ones(len(ob)), (dst, np.arange(len(ob)))), shape=(n, len(ob)))
    same_legs = bool((base_in.leg_amount == hit_in.leg_amount).all())
    losses = np.empty((n, runs))
    failed_base, failed_hit = np.empty((n, runs), dtype=bool), np.empty((n, runs), dtype=bool)
    step = max(_BLOCK, _BLOCK * (_BLOCK_BYTES // (8 * _BLOCK * (2 * len(ob) + 6 * n + 1))))
    for lo in range(0, runs, step):
        hi = min(runs, lo + step)
        drawn = factors[leg_deal, lo:hi]
        base_amounts = base_in.leg_amount[:, None] * drawn
        owes = np.asarray(owes_of @ base_amounts)[: standins.size] if standins.size else None
        received = []
        loaded = web.load(base_amounts) if web is not None else None
        for inputs, fails in ((base_in, failed_base), (hit_in, failed_hit)):
            amounts = base_amounts if same_legs or inputs is base_in else inputs.leg_amount[:, None] * drawn
            e = np.empty((n, hi - lo))
            e[:] = inputs.external_assets[:, None]
            if owes is not None:
                e[standins] = owes
            if web is not None:  # the same amounts on both sides share their obligations and weights
                res = web.clear(loaded if loaded is not None and amounts is base_amounts else amounts, e, inputs.payment_cap)
                received.append(res.received)
            else:
                batch = clearing_batch(src, dst, amounts, e, n=n, external_liabilities=sheets.external_liabilities,
                                       payment_cap=inputs.payment_cap, seniority=seniority)
                received.append(np.asarray(incidence @ (amounts * batch.paid_share[src])))
                res = batch  # type: ignore[assignment]
            fails[:, lo:hi] = res.failed
        loss = received[0] - received[1]
        # Two clearings of the same web can round differently in the last bits: a difference below the clearing's
        # relative tolerance of what the company receives is no loss (it would also reorder the zero rows of a table).
        loss[np.abs(loss) <= _NOISE * np.maximum(1.0, received[0])] = 0.0
        losses[:, lo:hi] = loss
    # Outside means differ only where the shock cuts them (stand-ins follow the same draws on both sides).
    losses += np.where(fallback, 0.0, base_in.external_assets - hit_in.external_assets)[:, None]
    capped = ((hit_in.payment_cap < 1.0) & (sheets.owes > 0))[:, None]
    failed = failed_hit | capped
    new = failed & ~failed_base & ~hit_in.shocked[:, None]
    return losses, failed, new, hit_in.shocked


def _solvency(sheets: BalanceSheets, scenario: Scenario, runs: int, rng: np.random.Generator, up_to_low: float,
              estimate_spread: float, recovery_range: tuple[float, float],
              valuation_range: tuple[float, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n = sheets.n
    ex = sheets.exposures
    idx = sheets.index
    cred = np.fromiter((idx[x] for x in ex["creditor"]), dtype=np.int64, count=len(ex))
    debt = np.fromiter((idx[x] for x in ex["debtor"]), dtype=np.int64, count=len(ex))
    # Single-deal exposures move with their deal's amount factor; stakes move with the held company's mark.
    single = ~ex["deals"].astype(str).str.contains(",") & ~ex["reason"].str.startswith("marked value")
    terms = sheets.obligations.drop_duplicates("deal").set_index("deal")[["qualifier", "low", "high"]]
    rows = ex.loc[single, ["deals"]].rename(columns={"deals": "deal"}).join(terms, on="deal")
    rows["qualifier"] = rows["qualifier"].fillna("exact")
    leg_deal, factors = _deal_factors(rows, runs, rng, up_to_low=up_to_low, estimate_spread=estimate_spread)
    mark = valuation_range[0] + (valuation_range[1] - valuation_range[0]) * rng.random((n, runs))
    recovery = recovery_range[0] + (recovery_range[1] - recovery_range[0]) * rng.random((1, runs))
    amounts = np.broadcast_to(ex["amount"].to_numpy(dtype=np.float64)[:, None], (len(ex), runs)).copy()
    amounts[single.to_numpy()] *= factors[leg_deal]
    stake = ex["reason"].str.startswith("marked value").to_numpy()
    amounts[stake] *= mark[debt[stake]]
    E = sheets.equity_value
    known = np.isfinite(E) & (E > 0)
    buffers = np.where(known, E, 1.0)[:, None] * mark
    direct = solvency_inputs(sheets, scenario.shocks)
    incidence = sp.csr_array((known[cred].astype(np.float64), (cred, np.arange(len(ex)))), shape=(n, len(ex)))
    own = direct.direct_loss[:, None] + direct.own_fall[:, None] * np.where(known[:, None], buffers, 0.0)
    if scenario.model == "debtrank":
        h1 = np.where(known[:, None], np.clip(own / buffers, 0.0, 1.0), direct.own_fall[:, None])
        h1[direct.wiped_out] = 1.0
        h = h1.copy()
        for _ in range(10_000):  # h ← min(1, h1 + Λh), Λ = A / E per column: least fixed point from h1 (Bardoscia 2015)
            nxt = np.minimum(1.0, h1 + (incidence @ (amounts * h[debt])) / buffers)
            if np.max(np.abs(nxt - h), initial=0.0) < 1e-12:
                h = nxt
                break
            h = nxt
        spread = sp.csr_array((np.ones(len(ex)), (cred, np.arange(len(ex)))), shape=(n, len(ex))) @ (amounts * h[debt])
        losses = np.where(known[:, None], h * buffers, direct.direct_loss[:, None] + spread)
        failed = (known[:, None] & (h >= 1.0)) | direct.wiped_out[:, None]
    else:
        K = np.where(known[:, None], np.maximum(buffers - own, 0.0), np.inf)
        failed = direct.wiped_out[:, None] | (known[:, None] & (own >= buffers))
        failed = np.broadcast_to(failed, (n, runs)).copy()
        while True:  # Furfine rounds on all columns at once
            taken = (1.0 - recovery) * (incidence @ (amounts * failed[debt]))
            nxt = failed | (taken > K)
            if (nxt == failed).all():
                break
            failed = nxt
        every = sp.csr_array((np.ones(len(ex)), (cred, np.arange(len(ex)))), shape=(n, len(ex)))
        taken_all = (1.0 - recovery) * (every @ (amounts * failed[debt]))
        losses = np.where(known[:, None], own, direct.direct_loss[:, None]) + taken_all
    new = failed & ~direct.shocked[:, None]
    return losses, failed, new, direct.shocked
