"""From ledger to balance sheets: what each company owes, is owed, holds and stands to lose.

:func:`balance_sheets` reads a ledger (deals and financial snapshots) and builds, for a horizon
starting on a reference date, the inputs every contagion model needs:

* **obligations** (the liquidity view): one row per deal leg falling due within the horizon,
  debtor → creditor. Commitments (compute, leases, licences, revenue shares, chip orders) are
  spread evenly over their term from their start date, and the part of the term that overlaps
  the horizon falls due. Unfunded (not ``closed``) equity, joint-venture and acquisition
  commitments are paid over ``funding_years`` (or their stated term). A loan that is not yet
  closed is owed by the lender; every loan owes interest (``debt_rate``) over the horizon and
  its principal when it matures inside it. Warrants move no cash; backstops move cash only if
  someone else fails and are left out (as in :func:`dealweb.project`).
* **external assets**: cash plus outside revenue over the horizon. Outside revenue is the
  newest revenue figure (a year, a run-rate, or a quarter or half-year scaled to a year) minus
  what the web itself pays the company for commitments (that is already inside the network),
  times ``revenue_available``.
* **exposures** (the solvency view): what a creditor loses, before recovery, if a debtor fails,
  per :data:`~dealweb.model.semantics.SEMANTICS`: a provider loses the remaining backlog of a
  customer's commitment, a company the unfunded rest of an investor's commitment, an investor
  the marked value of its stake, a lender the principal, a warrant holder the warrant's value.
* **equity values**: the newest valuation or market capitalisation times ``valuation_mark``,
  the buffer of the solvency models.
* **cross-holdings**: ``C[i, j]`` = share of company ``j`` held by ``i``, from stake figures,
  the stake stated on the deals, or stake value over valuation.

Every assumption is a named parameter of :class:`~dealweb.contagion.assumptions.Assumptions`;
every figure a company lacks is listed in :attr:`BalanceSheets.missing` with the fallback used.

Examples
--------
>>> import dealweb
>>> from dealweb.contagion import balance_sheets
>>> sheets = balance_sheets(dealweb.bundled_records())
>>> sheets.horizon_years, len(sheets.nodes) > 50
(1.0, True)
>>> row = sheets.to_frame().set_index("id").loc["openai"]
>>> bool(row["owes"] > row["outside_means"])    # OpenAI owes the web more than it earns outside it
True
>>> sorted(set(sheets.missing["figure"]))[:2]
['cash', 'cash and revenue']
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from dealweb.circularity.company import latest_figure
from dealweb.contagion.assumptions import Assumptions
from dealweb.model.records import Deal, FinancialSnapshot
from dealweb.model.recordset import RecordSet
from dealweb.model.vocab import DealKind, Metric, Status
from dealweb.network.project import as_of_date, network

__all__ = ["COMMITMENT_KINDS", "FUNDING_KINDS", "VALUATION_METRICS", "BalanceSheets", "balance_sheets"]

#: Kinds paid evenly over a term (the provider's backlog).
COMMITMENT_KINDS: frozenset[DealKind] = frozenset({DealKind.COMPUTE_COMMITMENT, DealKind.LEASE, DealKind.LICENSING,
                                                   DealKind.REVENUE_SHARE, DealKind.CHIP_PURCHASE})
#: Kinds paid once funded; until ``closed`` the payer still owes them.
FUNDING_KINDS: frozenset[DealKind] = frozenset({DealKind.EQUITY_INVESTMENT, DealKind.JV, DealKind.ACQUISITION})
#: Kinds that buy a share of the recipient.
_STAKE_KINDS = frozenset({DealKind.EQUITY_INVESTMENT, DealKind.JV})

#: The figures that value a company (market cap and valuations); the newest of them is its
#: equity buffer in the solvency models, and its size on the map.
VALUATION_METRICS: tuple[Metric, ...] = (Metric.MARKET_CAP, Metric.VALUATION, Metric.VALUATION_SECONDARY,
                                         Metric.VALUATION_IMPLIED)
_REVENUE_SCALE = {Metric.REVENUE: 1.0, Metric.REVENUE_RUN_RATE: 1.0, Metric.REVENUE_HALF: 2.0, Metric.REVENUE_QUARTER: 4.0}
_DAYS_PER_YEAR = 365.25
_MAX_HELD = 0.95  # cross-holdings: at most this share of a company is held inside the web

_OBLIGATION_COLUMNS = ["deal", "kind", "leg", "debtor", "creditor", "amount"]
_EXPOSURE_COLUMNS = ["creditor", "debtor", "deals", "kind", "reason", "amount"]
_MISSING_COLUMNS = ["entity", "figure", "fallback"]


@dataclass(frozen=True, eq=False)
class BalanceSheets:
    """Obligations, outside means, exposures, equity values and cross-holdings over one horizon.

    Attributes
    ----------
    nodes, names
        Entity ids and display names; arrays below are indexed like ``nodes``.
    as_of
        The reference date the horizon starts from.
    assumptions
        The :class:`~dealweb.contagion.assumptions.Assumptions` used.
    obligations
        One row per deal leg due within the horizon: ``deal``, ``kind``, ``leg``
        (``payment``, ``funding``, ``interest``, ``principal``), ``debtor``, ``creditor``, ``amount`` (USD),
        and the deal's ``qualifier`` and reported range ``low``/``high`` as factors of its stated amount
        (``nan`` when none), which Monte Carlo samples from.
    exposures
        What ``creditor`` loses, before recovery, if ``debtor`` fails: ``deals``, ``kind``,
        ``reason``, ``amount``.
    cash, outside_revenue
        Cash and yearly outside revenue (``nan`` where the dataset has no figure).
    external_assets
        Outside means over the horizon, after the fallbacks (``e`` of the clearing models).
    external_liabilities
        What each company owes outside the web over the horizon (``ℓ``; 0: the dataset has no such figures).
    equity_value
        Valuation × ``valuation_mark`` (``nan`` where unknown): the solvency buffer.
    has_means
        Whether the company has a cash or revenue figure (else the ``no_figures`` fallback applies).
    holdings
        ``C[i, j]``: share of ``j`` held by ``i`` (scipy CSR).
    missing
        ``entity``, ``figure``, ``fallback``: every figure a company lacks and what was used instead.
    network_params, undisclosed
        The projection's parameters and the deals in scope without a disclosed amount.
    """

    nodes: tuple[str, ...]
    names: tuple[str, ...]
    as_of: dt.date
    assumptions: Assumptions
    obligations: pd.DataFrame
    exposures: pd.DataFrame
    cash: np.ndarray
    outside_revenue: np.ndarray
    external_assets: np.ndarray
    external_liabilities: np.ndarray
    equity_value: np.ndarray
    has_means: np.ndarray
    holdings: sp.csr_array
    missing: pd.DataFrame
    network_params: dict[str, Any] = field(default_factory=dict)
    undisclosed: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def horizon_years(self) -> float:
        return self.assumptions.horizon_years

    @cached_property
    def index(self) -> dict[str, int]:
        """Entity id → node index."""
        return {node: i for i, node in enumerate(self.nodes)}

    def _matrix(self, frame: pd.DataFrame, row: str, col: str) -> sp.csr_array:
        idx = self.index
        rows = np.fromiter((idx[x] for x in frame[row]), dtype=np.int64, count=len(frame))
        cols = np.fromiter((idx[x] for x in frame[col]), dtype=np.int64, count=len(frame))
        matrix = sp.coo_array((frame["amount"].to_numpy(dtype=np.float64), (rows, cols)), shape=(self.n, self.n)).tocsr()
        matrix.sum_duplicates()
        return matrix

    @cached_property
    def liabilities(self) -> sp.csr_array:
        """``L[i, j]``: what ``i`` owes ``j`` over the horizon (the clearing models' matrix)."""
        return self._matrix(self.obligations, "debtor", "creditor")

    @cached_property
    def exposure_matrix(self) -> sp.csr_array:
        """``A[i, j]``: what ``i`` loses, before recovery, if ``j`` fails (DebtRank, threshold cascades)."""
        return self._matrix(self.exposures, "creditor", "debtor")

    @cached_property
    def owes(self) -> np.ndarray:
        """Web obligations over the horizon, per company."""
        return np.asarray(self.liabilities.sum(axis=1)).ravel()

    @cached_property
    def owed(self) -> np.ndarray:
        """What the web owes each company over the horizon."""
        return np.asarray(self.liabilities.sum(axis=0)).ravel()

    @property
    def liquidity_buffer(self) -> np.ndarray:
        """Outside means + what the web owes − what the company owes (the clearing models' equity)."""
        return np.asarray(self.external_assets + self.owed - self.owes - self.external_liabilities)

    def to_frame(self) -> pd.DataFrame:
        """One row per company: cash, outside revenue and means, owes, owed, buffers, exposures."""
        A = self.exposure_matrix
        return pd.DataFrame({
            "id": self.nodes, "name": self.names, "cash": self.cash, "outside_revenue": self.outside_revenue,
            "outside_means": self.external_assets, "owes": self.owes, "owed": self.owed,
            "liquidity_buffer": self.liquidity_buffer, "equity_value": self.equity_value,
            "exposure_to_others": np.asarray(A.sum(axis=1)).ravel(),
            "others_exposure_to_it": np.asarray(A.sum(axis=0)).ravel(), "has_means": self.has_means,
        })

    def evolve(self, **changes: Any) -> BalanceSheets:
        """A copy with some fields replaced (used by scenarios to apply shocks)."""
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        values.update(changes)
        return BalanceSheets(**values)


def balance_sheets(source: Any, *, as_of: str | dt.date | None = None, assumptions: Assumptions | None = None,
                   **changes: Any) -> BalanceSheets:
    """Build balance sheets from a ledger or record set over ``assumptions.horizon_years``.

    Parameters
    ----------
    source
        A :class:`~dealweb.ledger.Ledger` or :class:`~dealweb.model.RecordSet`.
    as_of
        Reference date: the web as it stood then, and the start of the horizon. Default: the
        latest announcement date in the ledger (so results do not drift with today's date).
    assumptions
        The named assumptions; keyword ``changes`` (e.g. ``horizon_years=2``) override single ones.
    """
    records: RecordSet = source if isinstance(source, RecordSet) else source.records()
    a = (assumptions or Assumptions()).evolve(**changes) if changes else (assumptions or Assumptions())
    given = as_of_date(as_of)
    day = given if given is not None else max((d.announced.last_day() for d in records.deals), default=dt.date.today())
    net = network(records, as_of=day, amount_policy=a.amount_policy, up_to=a.up_to, estimate=a.estimate)
    deals = {d.id: d for d in records.deals}
    nodes = net.nodes
    names = net.node_names or nodes
    legs: list[tuple[str, str, str, str, str, float]] = []
    exposures: list[tuple[str, str, str, str, str, float]] = []
    funded_stakes: dict[tuple[str, str], list[Deal]] = defaultdict(list)
    funded_cost: dict[tuple[str, str], float] = defaultdict(float)
    for e in range(net.n_edges):
        deal = deals[str(net.edge_ids[e])]  # type: ignore[index]
        _deal_legs(deal, float(net.amount[e]), day, a, legs, exposures, funded_stakes, funded_cost)

    obligations = _with_terms(pd.DataFrame(legs, columns=_OBLIGATION_COLUMNS), deals)
    missing: list[tuple[str, str, str]] = []
    valuation = _valuations(records.financials, nodes, day, a)
    holdings_rows = _stakes(records.financials, funded_stakes, funded_cost, nodes, valuation, day, a, exposures, missing)
    involved = _involved(obligations, exposures)
    for node, value in zip(nodes, valuation, strict=True):
        if np.isnan(value) and node in involved:
            missing.append((node, "valuation", "no solvency buffer: absorbs losses but cannot fail in the solvency view"))
    exposure_frame = pd.DataFrame(exposures, columns=_EXPOSURE_COLUMNS)
    exposure_frame = exposure_frame[exposure_frame["amount"] > 0].reset_index(drop=True)

    index = {node: i for i, node in enumerate(nodes)}
    n = len(nodes)
    owes = np.zeros(n)
    owed_revenue = np.zeros(n)
    for debtor, creditor, leg, amount in zip(obligations["debtor"], obligations["creditor"], obligations["leg"],
                                             obligations["amount"], strict=True):
        owes[index[str(debtor)]] += float(amount)
        if leg == "payment":
            owed_revenue[index[str(creditor)]] += float(amount)
    cash, revenue, has_means = _means(records.financials, nodes, day, owed_revenue / a.horizon_years, missing,
                                      obligations, exposures)
    external = np.where(np.isnan(cash), 0.0, cash) + a.revenue_available * np.where(np.isnan(revenue), 0.0, revenue) \
        * a.horizon_years
    if a.no_figures == "pays_in_full":
        external = np.where(has_means, external, owes)
    holdings = _holdings_matrix(holdings_rows, index, n, missing, names)
    return BalanceSheets(
        nodes=nodes, names=tuple(names), as_of=day, assumptions=a, obligations=obligations, exposures=exposure_frame,
        cash=cash, outside_revenue=revenue, external_assets=external, external_liabilities=np.zeros(n),
        equity_value=valuation, has_means=has_means, holdings=holdings,
        missing=pd.DataFrame(sorted(set(missing)), columns=_MISSING_COLUMNS),
        network_params=dict(net.params), undisclosed=net.undisclosed,
    )


# ---------------------------------------------------------------------------------------- legs


def _years(later: dt.date, earlier: dt.date) -> float:
    return (later - earlier).days / _DAYS_PER_YEAR


def _start(deal: Deal) -> dt.date:
    return (deal.start or deal.announced).first_day()


def _spread(amount: float, start: float, term: float, horizon: float) -> tuple[float, float]:
    """(due within [0, horizon], remaining after 0) of ``amount`` paid evenly over [start, start + term]."""
    due = max(0.0, min(start + term, horizon) - max(start, 0.0)) / term
    remaining = max(0.0, start + term - max(start, 0.0)) / term
    return amount * due, amount * min(remaining, 1.0)


def _deal_legs(deal: Deal, amount: float, day: dt.date, a: Assumptions,
               legs: list[tuple[str, str, str, str, str, float]], exposures: list[tuple[str, str, str, str, str, float]],
               funded_stakes: dict[tuple[str, str], list[Deal]], funded_cost: dict[tuple[str, str], float]) -> None:
    """Append the obligation legs and exposures of one deal (``amount`` = its counted amount)."""
    kind, payer, recipient, H = deal.kind, deal.payer, deal.recipient, a.horizon_years
    start = _years(_start(deal), day)
    term = float(deal.horizon_years) if deal.horizon_years else None
    if kind in COMMITMENT_KINDS:
        due, remaining = _spread(amount, start, term or a.default_term_years, H)
        legs.append((deal.id, kind.value, "payment", payer, recipient, due))
        exposures.append((recipient, payer, deal.id, kind.value, "remaining contracted payments (backlog)", remaining))
    elif kind in FUNDING_KINDS:
        if deal.status is Status.CLOSED:
            if kind in _STAKE_KINDS:
                funded_stakes[(payer, recipient)].append(deal)
                funded_cost[(payer, recipient)] += amount
        else:
            due, remaining = _spread(amount, start, term or a.funding_years, H)
            legs.append((deal.id, kind.value, "funding", payer, recipient, due))
            exposures.append((recipient, payer, deal.id, kind.value, "unfunded rest of the commitment", remaining))
    elif kind is DealKind.DEBT:
        life = term or a.debt_years
        if deal.status is not Status.CLOSED:
            due, _ = _spread(amount, start, a.funding_years, H)
            legs.append((deal.id, kind.value, "funding", payer, recipient, due))
        overlap = max(0.0, min(start + life, H) - max(start, 0.0))
        if overlap > 0:
            legs.append((deal.id, kind.value, "interest", recipient, payer, amount * a.debt_rate * overlap))
        if 0.0 <= start + life <= H:
            legs.append((deal.id, kind.value, "principal", recipient, payer, amount))
        if start + life > 0:
            exposures.append((payer, recipient, deal.id, kind.value, "principal lent", amount))
    elif kind is DealKind.WARRANT:
        exposures.append((recipient, payer, deal.id, kind.value, "warrant value", amount * a.stake_mark))
        funded_stakes[(recipient, payer)].append(deal)
        funded_cost[(recipient, payer)] += amount


def _with_terms(obligations: pd.DataFrame, deals: dict[str, Deal]) -> pd.DataFrame:
    """Add each leg's deal qualifier and reported range (as factors of the stated amount), for Monte Carlo."""
    qualifier, low, high = [], [], []
    for deal_id in obligations["deal"]:
        d = deals[deal_id]
        qualifier.append(d.qualifier.value)
        stated = float(d.amount_usd) if d.amount_usd else float("nan")
        low.append(float(d.low_usd) / stated if d.low_usd is not None and stated > 0 else float("nan"))
        high.append(float(d.high_usd) / stated if d.high_usd is not None and stated > 0 else float("nan"))
    return obligations.assign(qualifier=qualifier, low=low, high=high)


def _involved(obligations: pd.DataFrame, exposures: list[tuple[str, str, str, str, str, float]]) -> set[str]:
    return set(obligations["debtor"]) | set(obligations["creditor"]) | {x[0] for x in exposures} | {x[1] for x in exposures}


# ------------------------------------------------------------------------------------ figures


def _value(snapshot: FinancialSnapshot | None) -> float:
    return float(snapshot.value) if snapshot is not None and snapshot.value is not None else float("nan")


def _valuations(financials: Iterable[FinancialSnapshot], nodes: tuple[str, ...], day: dt.date,
                a: Assumptions) -> np.ndarray:
    figures = list(financials)
    return np.array([_value(latest_figure(figures, node, VALUATION_METRICS, day)) * a.valuation_mark for node in nodes])


def _means(financials: Iterable[FinancialSnapshot], nodes: tuple[str, ...], day: dt.date, web_revenue: np.ndarray,
           missing: list[tuple[str, str, str]], obligations: pd.DataFrame,
           exposures: list[tuple[str, str, str, str, str, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    figures = list(financials)
    involved = _involved(obligations, exposures)
    cash = np.full(len(nodes), np.nan)
    revenue = np.full(len(nodes), np.nan)
    for i, node in enumerate(nodes):
        cash[i] = _value(latest_figure(figures, node, [Metric.CASH], day))
        newest = latest_figure(figures, node, list(_REVENUE_SCALE), day)
        if newest is not None and newest.value is not None:
            revenue[i] = max(0.0, float(newest.value) * _REVENUE_SCALE[newest.metric] - web_revenue[i])
    has_means = ~(np.isnan(cash) & np.isnan(revenue))
    owes = set(obligations["debtor"])
    for i, node in enumerate(nodes):
        if node not in involved:
            continue
        if not has_means[i]:
            if node in owes:
                missing.append((node, "cash and revenue", "no_figures fallback"))
        elif np.isnan(cash[i]):
            missing.append((node, "cash", "taken as 0"))
        elif np.isnan(revenue[i]):
            missing.append((node, "revenue", "taken as 0"))
    return cash, revenue, has_means


def _stakes(financials: Iterable[FinancialSnapshot], funded_stakes: dict[tuple[str, str], list[Deal]],
            funded_cost: dict[tuple[str, str], float], nodes: tuple[str, ...], valuation: np.ndarray, day: dt.date,
            a: Assumptions, exposures: list[tuple[str, str, str, str, str, float]],
            missing: list[tuple[str, str, str]]) -> list[tuple[str, str, float]]:
    """Stake exposures (investor loses the marked stake if the company fails) and the held shares."""
    figures = [f for f in financials if f.counterparty is not None and f.as_of.last_day() <= day and f.value is not None]
    value_of = {node: valuation[i] for i, node in enumerate(nodes)}
    shares: list[tuple[str, str, float]] = []
    for (holder, company), held in sorted(funded_stakes.items()):
        pair = [f for f in figures if f.entity == holder and f.counterparty == company]
        stake_value = max((f for f in pair if f.metric is Metric.STAKE_VALUE), key=lambda f: f.as_of, default=None)
        stake_pct = max((f for f in pair if f.metric is Metric.STAKE_PCT), key=lambda f: f.as_of, default=None)
        company_value = value_of.get(company, np.nan)
        share = float(stake_pct.value) / 100 if stake_pct is not None and stake_pct.value is not None else None
        if share is None and all(d.stake_pct is not None for d in held):
            share = float(sum((d.stake_pct or Decimal(0)) for d in held)) / 100
        if stake_value is not None and stake_value.value is not None:
            marked, how = float(stake_value.value), "stake value figure"
        elif share is not None and not np.isnan(company_value):
            marked, how = share * company_value, "stake share × valuation"
        else:
            marked, how = funded_cost[(holder, company)] * a.stake_mark, "cost × stake_mark"
        if share is None and not np.isnan(company_value) and company_value > 0:
            share = min(marked / company_value, _MAX_HELD)
        if share is None:
            missing.append((company, f"share held by {holder}", "left out of cross-holdings (no stake or valuation figure)"))
        else:
            shares.append((holder, company, share))
        kind = held[0].kind.value if all(d.kind is held[0].kind for d in held) else "mixed"
        if any(d.kind is not DealKind.WARRANT for d in held):
            exposures.append((holder, company, ",".join(d.id for d in held if d.kind is not DealKind.WARRANT), kind,
                              f"marked value of the stake ({how})", marked))
    return shares


def _holdings_matrix(rows: list[tuple[str, str, float]], index: dict[str, int], n: int,
                     missing: list[tuple[str, str, str]], names: tuple[str, ...] | Any) -> sp.csr_array:
    if not rows:
        return sp.csr_array((n, n))
    r = np.array([index[h] for h, _, _ in rows])
    c = np.array([index[x] for _, x, _ in rows])
    v = np.array([s for _, _, s in rows], dtype=np.float64)
    C = sp.coo_array((v, (r, c)), shape=(n, n)).tocsc()
    C.sum_duplicates()
    held = np.asarray(C.sum(axis=0)).ravel()
    over = held > _MAX_HELD
    if over.any():
        scale = np.ones(n)
        scale[over] = _MAX_HELD / held[over]
        C = C @ sp.diags_array(scale)
        for j in np.flatnonzero(over):
            missing.append((str(list(index)[j]), "shares held inside the web",
                            f"stakes add up to {held[j]:.0%}; scaled to {_MAX_HELD:.0%}"))
    return sp.csr_array(C)
