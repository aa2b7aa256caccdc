"""How each shock changes the balance sheets: one translation shared by every model.

Liquidity view (Eisenberg–Noe, Rogers–Veraart):

* ``fails`` / ``pays x``: the company pays at most ``failed_pays`` / ``x`` of each obligation
  (its row of the obligation matrix is scaled; its creditors bear the rest).
* ``outside_revenue_falls x``: its outside means fall by ``x`` × outside revenue over the horizon
  × ``revenue_available`` (no effect, and a note, when it has no revenue figure).
* ``cuts x``: its commitment payments (of the given kinds, else every commitment and unfunded
  funding leg; never debt service) shrink by ``x``.
* ``cancelled``: every leg of the deal disappears.
* ``valuation_falls``: moves no cash; it has no effect in the liquidity view (noted).

Solvency view (DebtRank, threshold cascades, cross-holdings), as direct losses before contagion:

* ``fails``: the company is wiped out (DebtRank ``h = 1``; initial default of the cascades;
  cross-holdings: its own assets go to 0) and its creditors lose their exposure to it through
  the model's own propagation.
* ``pays x``: its creditors lose ``1 − x`` of their exposure to it at once.
* ``valuation_falls x``: it loses ``x`` of its equity value.
* ``outside_revenue_falls x``: it loses ``x`` × outside revenue over the horizon.
* ``cuts x``: the providers lose ``x`` of the backlog of the cut commitments.
* ``cancelled``: the creditors of the deal lose its remaining value (backlog, unfunded rest, stake).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dealweb.contagion.sheets import BalanceSheets
from dealweb.errors import Problem, ValidationError
from dealweb.stress.scenario import Shock

__all__ = ["Liquidity", "Solvency", "liquidity_inputs", "solvency_inputs"]

_CUTTABLE_LEGS = ("payment", "funding")


@dataclass
class Liquidity:
    """Shocked inputs of the clearing models (obligation rows keep their order in ``sheets.obligations``)."""

    leg_amount: np.ndarray  # per obligation row, after cuts and cancellations
    external_assets: np.ndarray
    payment_cap: np.ndarray  # share of its obligations each company pays at most
    shocked: np.ndarray  # bool: directly shocked companies
    notes: list[str] = field(default_factory=list)


@dataclass
class Solvency:
    """Direct effects of the shocks in the solvency view."""

    direct_loss: np.ndarray  # money each company loses at once
    direct_source: np.ndarray  # the shocked counterparty behind most of that loss (−1: none or its own shock)
    wiped_out: np.ndarray  # bool: fails outright
    own_fall: np.ndarray  # share of its own equity value a company loses at once (valuation shocks)
    shocked: np.ndarray
    notes: list[str] = field(default_factory=list)


def _check_ids(sheets: BalanceSheets, shocks: Sequence[Shock]) -> None:
    problems = []
    deals = set(sheets.obligations["deal"]) | {d for ds in sheets.exposures["deals"] for d in str(ds).split(",")}
    for k, s in enumerate(shocks):
        for e in s.entities:
            if e not in sheets.index:
                problems.append(Problem(f"shocks[{k}]", "entity", "unknown_entity", f"no entity {e!r} in the ledger"))
        if s.deal is not None and s.deal not in deals and s.deal not in set(sheets.left_out.get("deal", ())):
            problems.append(Problem(f"shocks[{k}]", "deal", "deal_not_in_web",
                                    f"deal {s.deal!r} is not in the web over this horizon "
                                    "(unknown, excluded or without an amount)"))
    if problems:
        raise ValidationError(problems)


def _left_out_note(sheets: BalanceSheets, deal: str | None) -> list[str]:
    left = sheets.left_out
    if deal is None or not len(left) or deal not in set(left["deal"]):
        return []
    reason = str(left.loc[left["deal"] == deal, "reason"].iloc[0])
    return [f"deal {deal} moves no cash on these balance sheets ({reason}): cancelling it changes nothing"]


def liquidity_inputs(sheets: BalanceSheets, shocks: Sequence[Shock]) -> Liquidity:
    """Apply ``shocks`` to the clearing models' inputs."""
    _check_ids(sheets, shocks)
    a = sheets.assumptions
    ob = sheets.obligations
    amount = ob["amount"].to_numpy(dtype=np.float64).copy()
    e = sheets.external_assets.copy()
    cap = np.ones(sheets.n)
    shocked = np.zeros(sheets.n, dtype=bool)
    notes: list[str] = []
    for s in shocks:
        idx = [sheets.index[x] for x in s.entities]
        shocked[idx] = True
        if s.effect in ("fails", "pays"):
            cap[idx] = np.minimum(cap[idx], a.failed_pays if s.effect == "fails" else s.size)
        elif s.effect == "outside_revenue_falls":
            for i, name in zip(idx, s.entities, strict=True):
                revenue = sheets.outside_revenue[i]
                if np.isnan(revenue) or not sheets.has_means[i]:
                    notes.append(f"{name} has no outside revenue figure: 'outside_revenue_falls' has no effect")
                    continue
                e[i] = max(0.0, e[i] - s.size * a.revenue_available * revenue * a.horizon_years)
        elif s.effect == "cuts":
            mask = ob["debtor"].isin(s.entities) & ob["leg"].isin(_CUTTABLE_LEGS)
            if s.kinds:
                mask &= ob["kind"].isin(s.kinds)
            if not mask.any():
                notes.append(f"{', '.join(s.entities)}: no commitments to cut over the horizon")
            amount[mask.to_numpy()] *= 1.0 - s.size
        elif s.effect == "cancelled":
            amount[(ob["deal"] == s.deal).to_numpy()] = 0.0
            notes.extend(_left_out_note(sheets, s.deal))
        elif s.effect == "valuation_falls":
            notes.append(f"{', '.join(s.entities)}: a valuation fall moves no cash; it has no effect in the liquidity view")
    return Liquidity(amount, e, cap, shocked, notes)


def solvency_inputs(sheets: BalanceSheets, shocks: Sequence[Shock], *, stakes: bool = True) -> Solvency:
    """Direct losses of ``shocks`` in the solvency view (``stakes=False`` leaves stake exposures out,
    for the cross-holdings model, which carries stakes in its own matrix)."""
    _check_ids(sheets, shocks)
    a = sheets.assumptions
    ex = sheets.exposures
    if not stakes:
        ex = ex[~ex["reason"].str.startswith("marked value")]
    n = sheets.n
    loss = np.zeros(n)
    wiped = np.zeros(n, dtype=bool)
    own = np.zeros(n)
    shocked = np.zeros(n, dtype=bool)
    notes: list[str] = []
    index = sheets.index

    largest = np.zeros(n)
    source = np.full(n, -1, dtype=np.int64)

    def hit(rows: pd.DataFrame, share: float) -> None:
        for creditor, debtor, amount in zip(rows["creditor"], rows["debtor"], rows["amount"], strict=True):
            i, value = index[creditor], share * float(amount)
            loss[i] += value
            if value > largest[i]:
                largest[i], source[i] = value, index[debtor]

    for s in shocks:
        idx = [index[x] for x in s.entities]
        shocked[idx] = True
        if s.effect == "fails":
            wiped[idx] = True
        elif s.effect == "pays":
            hit(ex[ex["debtor"].isin(s.entities)], 1.0 - s.size)
        elif s.effect == "valuation_falls":
            for i, name in zip(idx, s.entities, strict=True):
                own[i] = max(own[i], s.size)
                if np.isnan(sheets.equity_value[i]):
                    notes.append(f"{name} has no valuation figure: its fall is a share of an unknown value, "
                                 "so no money loss is counted for it")
        elif s.effect == "outside_revenue_falls":
            for i, name in zip(idx, s.entities, strict=True):
                revenue = sheets.outside_revenue[i]
                if np.isnan(revenue):
                    notes.append(f"{name} has no outside revenue figure: 'outside_revenue_falls' has no effect")
                else:
                    loss[i] += s.size * a.revenue_available * revenue * a.horizon_years
        elif s.effect == "cuts":
            rows = ex[ex["debtor"].isin(s.entities) & ex["reason"].str.startswith(("remaining", "unfunded"))]
            if s.kinds:
                rows = rows[rows["kind"].isin(s.kinds)]
            hit(rows, s.size)
        elif s.effect == "cancelled":
            hit(ex[ex["deals"].astype(str).str.split(",").apply(lambda ids, d=s.deal: d in ids)], 1.0)
    return Solvency(loss, source, wiped, own, shocked, notes)
