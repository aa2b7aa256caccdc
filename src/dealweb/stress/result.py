"""What a stress run returns: :class:`StressResult` (per company: baseline, losses caused by the
shock, buffer, failure round, path) and its :class:`Story`, with one serializer (``to_dict``)
shared by ``dealweb stress --json`` and ``POST /api/stress``."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dealweb.contagion.result import ContagionResult
from dealweb.network.results import Result, jsonable
from dealweb.network.summary import format_usd
from dealweb.stress.rounds import failure_rounds
from dealweb.stress.scenario import Scenario

__all__ = ["Story", "StressResult"]


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
        Money each company loses *because of the shock*: shocked minus baseline (USD, never negative).
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
    baseline_shortfall
        What each company fails to pay without any shock, on the same balance sheets (liquidity
        view; zeros in the solvency view, whose baseline is the reported valuations).
    baseline_obligations
        What each company owes the web over the horizon (liquidity view).
    buffer
        What ``relative_loss`` is measured against: the liquidity buffer before the shock or the
        equity value; ``nan`` where unknown (then ``cannot_fail`` says why).
    cannot_fail
        Why a company cannot fail in this model ("" when it can).
    unpaid
        Liquidity view: every obligation not paid in full under the shock (``debtor``, ``creditor``,
        ``owed``, ``paid_baseline``, ``paid_shocked``, ``paid_share``).
    left_out
        Deals whose terms move no cash, with the reason (see :class:`~dealweb.contagion.BalanceSheets`).
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
    baseline_shortfall: np.ndarray | None = None
    baseline_obligations: np.ndarray | None = None
    buffer: np.ndarray | None = None
    cannot_fail: np.ndarray | None = None
    unpaid: pd.DataFrame = field(default_factory=pd.DataFrame)
    left_out: pd.DataFrame = field(default_factory=pd.DataFrame)

    def _arr(self, value: np.ndarray | None, fill: Any) -> np.ndarray:
        return np.full(len(self.nodes), fill, dtype=object if isinstance(fill, str) else np.float64) \
            if value is None else value

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
        if self._arr(self.cannot_fail, "")[i]:
            return "cannot fail"
        return ""

    def _span(self) -> str:
        horizon = self.scenario.horizon_years
        return f"{horizon * 12:.0f} months" if horizon < 2 else f"{horizon:g} years"

    def to_frame(self) -> pd.DataFrame:
        """One row per company the scenario touches (loss ≠ 0, failed, short before, or shocked), largest
        loss first. Money (``baseline_shortfall``, ``loss``, ``buffer``) and shares (``relative_loss``)
        are separate columns; ``why_cannot_fail`` says why a company cannot fail in this model."""
        frame = pd.DataFrame({
            "id": self.nodes, "name": self.names,
            "baseline_shortfall": self._arr(self.baseline_shortfall, 0.0), "loss": self.loss,
            "buffer": self._arr(self.buffer, np.nan), "relative_loss": self.relative_loss,
            "failed": self.failed, "failure_round": self.failure_round, "failed_before": self.failed_before,
            "shocked": self.shocked, "via": [self._source(i) for i in range(len(self.nodes))],
            "status": [self._status(i) for i in range(len(self.nodes))],
            "why_cannot_fail": self._arr(self.cannot_fail, ""),
        })
        touched = (np.abs(self.loss) > 0.5) | self.failed | self.shocked | self.failed_before
        out: pd.DataFrame = frame[touched].sort_values(["loss", "id"], ascending=[False, True]).reset_index(drop=True)
        return out

    def new_failures(self) -> list[str]:
        """Companies that fail under the shock but not without it, directly shocked ones excluded."""
        return [self.nodes[i] for i in np.flatnonzero(self.failed & ~self.failed_before & ~self.shocked)]

    def headline(self) -> dict[str, Any]:
        """The numbers worth quoting. ``shock_loss`` is what the shock causes (shocked − baseline) to the
        companies it does not hit directly; ``baseline_shortfall`` what is unpaid with no shock at all."""
        order = np.argsort(-np.nan_to_num(self.loss, nan=0.0), kind="stable")
        hit = [i for i in order if self.loss[i] > 0.5 and not self.shocked[i]]
        others = ~self.shocked
        return {
            "scenario": self.scenario.name, "model": self.model, "horizon_years": self.scenario.horizon_years,
            "as_of": self.params.get("as_of"), "shock": self.scenario.describe(),
            "baseline_short": int(self.failed_before.sum()),
            "baseline_shortfall": float(np.nansum(self._arr(self.baseline_shortfall, 0.0))),
            "shock_loss": float(np.nansum(np.clip(self.loss[others], 0, None))),
            "total_loss": float(np.nansum(np.clip(self.loss, 0, None))),
            "new_failures": len(self.new_failures()), "failed_before": int(self.failed_before.sum()),
            "rounds": self.rounds,
            "largest_loser": self.nodes[hit[0]] if hit else None,
            "largest_loss": float(self.loss[hit[0]]) if hit else 0.0,
            "missing_figures": len(self.missing),
        }

    def baseline_sentence(self) -> str:
        """The world before the shock, in one sentence."""
        span = self._span()
        if self.baseline_shortfall is None:
            return (f"Baseline (no shock): the reported valuations and market caps as of {self.params.get('as_of')}; "
                    "no company fails without the shock in this view.")
        short = [i for i in np.argsort(-self.baseline_shortfall, kind="stable") if self.failed_before[i]]
        if not short:
            return f"Baseline (no shock, same balance sheets, {span}): every company pays what it owes the web in full."
        owed = self._arr(self.baseline_obligations, np.nan)
        parts = [f"{self.names[i]} by {format_usd(self.baseline_shortfall[i])} of {format_usd(owed[i])} owed"
                 for i in short[:4]]
        more = f" and {len(short) - 4} more" if len(short) > 4 else ""
        return (f"Baseline (no shock, same balance sheets, {span}): already short are {'; '.join(parts)}{more}; "
                "the losses below are only those the shock adds.")

    def story(self) -> Story:
        """The round-by-round story in plain sentences, opening with the baseline (a list of lines that
        renders as HTML in Jupyter). Money and shares of buffer never share a sentence."""
        name = dict(zip(self.nodes, self.names, strict=True))
        lines = [self.baseline_sentence(), f"Shock: {self.scenario.describe()} ({self.model}, over {self._span()})."]
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
            items = [f"{self.names[i]} {format_usd(self.loss[i])}" + (f" via {name[s]}" if (s := self._source(i)) else "")
                     for i in losers]
            lines.append("Largest losses caused by the shock: " + "; ".join(items) + ".")
            shares = [f"{self.names[i]} {_share(self.relative_loss[i])}" for i in losers
                      if np.isfinite(self.relative_loss[i])]
            unknown = [self.names[i] for i in losers if not np.isfinite(self.relative_loss[i])]
            if shares:
                lines.append("As a share of their buffers: " + "; ".join(shares) + ".")
            if unknown:
                lines.append(f"Buffer unknown (money only): {', '.join(unknown)}.")
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
        data["baseline"] = {"sentence": self.baseline_sentence(),
                            "short": [self.nodes[i] for i in np.flatnonzero(self.failed_before)],
                            "shortfall": {self.nodes[i]: float(v) for i, v in
                                          enumerate(self._arr(self.baseline_shortfall, 0.0)) if v > 0.5}}
        data["unpaid_edges"] = jsonable(self.unpaid.to_dict(orient="records")) if len(self.unpaid) else []
        data["left_out"] = jsonable(self.left_out.to_dict(orient="records")) if len(self.left_out) else []
        data["scenario"] = self.scenario.to_dict()
        data["params"] = self.params
        data["missing"] = self.missing.to_dict(orient="records")
        return data


def _share(x: float) -> str:
    return "under 1%" if 0 < x < 0.005 else f"{x:.0%}"
