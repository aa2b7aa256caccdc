"""Reverse stress test: the smallest shock to one company that makes another fail.

"How little would OpenAI have to pay before CoreWeave cannot meet its own obligations?"
:func:`reverse_stress` answers it in the liquidity view (Eisenberg–Noe clearing over the
horizon): it searches the shock size ``x`` in ``[0, 1]`` with batched clearings of many sizes at
once (:func:`~dealweb.contagion.batch.smallest_shock`), which is valid because clearing payments
are monotone in what a company pays and in its outside means. Two kinds of shock:

* ``pays``: the shocked company pays only ``1 − x`` of its obligations;
* ``outside_means``: its outside means (cash and outside revenue over the horizon) fall by ``x``.

The answer is ``0`` when the target already fails without any shock and ``None`` when even the
full shock leaves it standing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from dealweb.contagion.assumptions import Assumptions
from dealweb.contagion.batch import smallest_shock
from dealweb.contagion.sheets import BalanceSheets, balance_sheets
from dealweb.errors import NotFoundError, Problem, ValidationError
from dealweb.network.summary import format_usd

__all__ = ["ReverseStress", "reverse_stress"]


@dataclass(frozen=True)
class ReverseStress:
    """The smallest shock found, with what it is measured against."""

    shocked: str
    target: str
    kind: str
    shock: float | None
    horizon_years: float
    shocked_owes: float
    shocked_means: float
    assumptions: dict[str, Any]
    fallback_target: bool
    why_not: str = ""

    def sentence(self) -> str:
        """The answer in words."""
        span = f"{self.horizon_years * 12:.0f} months" if self.horizon_years < 2 else f"{self.horizon_years:g} years"
        if self.fallback_target:
            return (f"{self.target} has no cash or revenue figure: under the '{self.assumptions['no_figures']}' fallback "
                    f"it {'cannot' if self.assumptions['no_figures'] == 'pays_in_full' else 'may'} fail, so the answer says "
                    "more about the fallback than about it.")
        if self.shock is None:
            return (f"No {self.kind} shock to {self.shocked}, however large, makes {self.target} fail over {span}: "
                    + self.why_not)
        if self.shock == 0:
            return f"{self.target} already falls short over {span} without any shock."
        if self.kind == "pays":
            unpaid = self.shock * self.shocked_owes
            return (f"{self.target} fails over {span} once {self.shocked} pays less than {1 - self.shock:.1%} of its "
                    f"{format_usd(self.shocked_owes)} of obligations (a shortfall of {format_usd(unpaid)}).")
        return (f"{self.target} fails over {span} once {self.shocked}'s outside means fall by {self.shock:.1%} "
                f"(of {format_usd(self.shocked_means)}).")

    def to_dict(self) -> dict[str, Any]:
        return {"shocked": self.shocked, "target": self.target, "kind": self.kind, "shock": self.shock,
                "horizon_years": self.horizon_years, "shocked_owes": self.shocked_owes,
                "shocked_means": self.shocked_means, "fallback_target": self.fallback_target,
                "answer": self.sentence(), "why_not": self.why_not or None, "assumptions": self.assumptions}


def reverse_stress(source: Any, shocked: str, target: str, *, kind: Literal["pays", "outside_means"] = "pays",
                   seniority: Literal["pari_passu", "senior"] = "pari_passu", tol: float = 1e-6,
                   sheets: BalanceSheets | None = None, assumptions: Assumptions | None = None,
                   **changes: Any) -> ReverseStress:
    """Smallest shock to ``shocked`` that makes ``target`` fail (module docstring).

    Examples
    --------
    >>> import dealweb
    >>> r = reverse_stress(dealweb.bundled_records(), "openai", "coreweave")
    >>> r.shock is None or 0 <= r.shock <= 1
    True
    """
    if kind not in ("pays", "outside_means"):
        raise ValidationError([Problem("reverse_stress", "kind", "choice",
                                       f"must be 'pays' or 'outside_means', got {kind!r}")])
    if sheets is None:
        sheets = balance_sheets(source, assumptions=assumptions, **changes)
    for name in (shocked, target):
        if name not in sheets.index:
            raise NotFoundError(f"no entity {name!r} in the ledger")
    ob = sheets.obligations
    idx = sheets.index
    src = np.fromiter((idx[x] for x in ob["debtor"]), dtype=np.int64, count=len(ob))
    dst = np.fromiter((idx[x] for x in ob["creditor"]), dtype=np.int64, count=len(ob))
    i, t = idx[shocked], idx[target]
    try:
        x = smallest_shock(src, dst, ob["amount"].to_numpy(dtype=np.float64), sheets.external_assets, n=sheets.n,
                           external_liabilities=sheets.external_liabilities, shocked=i, target=t,
                           kind="payments" if kind == "pays" else "outside_assets", seniority=seniority, tol=tol)
    except ValueError as exc:  # array-level checks: say which request they came from
        raise ValidationError([Problem(f"reverse stress {shocked} → {target}", "", "model_input", str(exc))]) from exc
    return ReverseStress(shocked=shocked, target=target, kind=kind, shock=x, horizon_years=sheets.horizon_years,
                         shocked_owes=float(sheets.owes[i]), shocked_means=float(sheets.external_assets[i]),
                         assumptions=sheets.assumptions.to_dict(), fallback_target=not bool(sheets.has_means[t]),
                         why_not=_why_not(sheets, i, t) if x is None else "")


def _why_not(sheets: BalanceSheets, i: int, t: int) -> str:
    """The numbers and the assumption that keep the target standing whatever the shocked company does."""
    a = sheets.assumptions
    direct = float(sheets.liabilities[i, t])
    means, owes = float(sheets.external_assets[t]), float(sheets.owes[t])
    owed_others = float(sheets.owed[t]) - direct
    outside = float(sheets.external_liabilities[t])
    debt = (f"its debt outside the web enters only as {format_usd(outside)} of interest at outside_debt_rate="
            f"{a.outside_debt_rate:g} (maturities are not in the dataset)")
    if owes <= 0:
        return (f"{sheets.nodes[t]} owes the web nothing over the horizon, so it has nothing to default on; {debt}.")
    keeps = (f"even with nothing from {sheets.nodes[i]} (which owes it {format_usd(direct)} over the horizon directly), "
             f"its outside means of {format_usd(means)} and {format_usd(max(owed_others, 0.0))} due from others cover the "
             f"{format_usd(owes)} it owes the web")
    return (f"{keeps}. What keeps it standing: {debt}, revenue_available={a.revenue_available:g} (all its outside "
            f"revenue pays web obligations) and raised_available={a.raised_available:g} (cash raised since its cash "
            "figure is unspent); change these with --assume to test it.")
