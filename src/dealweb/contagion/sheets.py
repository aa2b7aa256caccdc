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
>>> bool(row["owes"] > row["owed"])    # OpenAI owes the web more than the web owes it over the year
True
>>> "cash and revenue" in set(sheets.missing["figure"])   # listed with its fallback, never invented
True
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
from dealweb.contagion._terms import CashTerms, cash_terms, top_parents
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
_LEFT_OUT_COLUMNS = ["deal", "payer", "recipient", "reason", "amount"]


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
        What each company owes outside the web over the horizon (``ℓ``): interest at ``outside_debt_rate``
        on its reported debt less the web loans it has drawn (0 where the dataset has no debt figure).
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
    left_out
        Deals in the web whose terms move no cash (ceilings, non-binding, intra-group, all-stock,
        unmet conditions, in kind): ``deal``, ``payer``, ``recipient``, ``reason``, ``amount``
        (see :mod:`dealweb.contagion._terms`).
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
    left_out: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_LEFT_OUT_COLUMNS))

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
    # the "face" basis keeps every live deal: the deal terms below decide what becomes cash (and list
    # what does not), so in-kind exposures and the reasons for leaving deals out are not lost upstream
    net = network(records, as_of=day, amount_policy=a.amount_policy, up_to=a.up_to, estimate=a.estimate, basis="face")
    deals = {d.id: d for d in records.deals}
    nodes = net.nodes
    names = net.node_names or nodes
    legs: list[tuple[str, str, str, str, str, float]] = []
    exposures: list[tuple[str, str, str, str, str, float]] = []
    funded_stakes: dict[tuple[str, str], list[Deal]] = defaultdict(list)
    funded_cost: dict[tuple[str, str], float] = defaultdict(float)
    parents = top_parents(records.entities)
    running: list[tuple[str, float, float, float]] = []
    left_out: list[tuple[str, str, str, str, float]] = []
    raised: list[tuple[str, dt.date, float, str]] = []
    for e in range(net.n_edges):
        deal = deals[str(net.edge_ids[e])]  # type: ignore[index]
        terms = cash_terms(deal, float(net.amount[e]), day, parents)
        if deal.status is Status.CLOSED and deal.kind in (*FUNDING_KINDS, DealKind.DEBT) and terms.cash > 0:
            raised.append((deal.recipient, _start(deal), terms.cash, deal.id))
        if terms.reason:
            left_out.append((deal.id, deal.payer, deal.recipient, terms.reason, float(net.amount[e])))
        if terms.exposure <= 0:
            continue
        _deal_legs(deal, terms, day, a, legs, exposures, funded_stakes, funded_cost, running)

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
    owes = np.zeros(n)
    for debtor, amount in zip(obligations["debtor"], obligations["amount"], strict=True):
        owes[index[str(debtor)]] += float(amount)
    cash, revenue, has_means = _means(records.financials, nodes, day, running, missing,
                                      obligations, exposures)
    _add_raised_since(cash, raised, records.financials, nodes, day, missing, a.raised_available)
    external = np.where(np.isnan(cash), 0.0, cash) + a.revenue_available * np.where(np.isnan(revenue), 0.0, revenue) \
        * a.horizon_years
    if a.no_figures == "pays_in_full":
        external = np.where(has_means, external, owes)
    # Debt owed outside the web: the reported debt less the web loans the company has drawn (those are
    # already legs), serviced at outside_debt_rate over the horizon (interest only: maturities unknown).
    web_borrowed = np.zeros(n)
    for deal_id, borrower, leg in zip(obligations["deal"], obligations["debtor"], obligations["leg"], strict=True):
        if leg == "interest":
            web_borrowed[index[str(borrower)]] += float(deals[deal_id].amount_usd or 0)
    debt = np.array([_value(latest_figure(list(records.financials), node, [Metric.DEBT], day)) for node in nodes])
    outside_debt = np.maximum(np.nan_to_num(debt, nan=0.0) - web_borrowed, 0.0)
    external_liabilities = outside_debt * a.outside_debt_rate * a.horizon_years
    holdings = _holdings_matrix(holdings_rows, index, n, missing, names)
    return BalanceSheets(
        nodes=nodes, names=tuple(names), as_of=day, assumptions=a, obligations=obligations, exposures=exposure_frame,
        cash=cash, outside_revenue=revenue, external_assets=external, external_liabilities=external_liabilities,
        equity_value=valuation, has_means=has_means, holdings=holdings,
        missing=pd.DataFrame(sorted(set(missing)), columns=_MISSING_COLUMNS),
        network_params=dict(net.params), undisclosed=net.undisclosed,
        left_out=pd.DataFrame(left_out, columns=_LEFT_OUT_COLUMNS),
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


def _deal_legs(deal: Deal, terms: CashTerms, day: dt.date, a: Assumptions,
               legs: list[tuple[str, str, str, str, str, float]], exposures: list[tuple[str, str, str, str, str, float]],
               funded_stakes: dict[tuple[str, str], list[Deal]], funded_cost: dict[tuple[str, str], float],
               running: list[tuple[str, float, float, float]]) -> None:
    """Append the obligation legs and exposures of one deal from its cash terms.

    ``running`` collects (provider, start, end, yearly amount) of commitments, from which the part of
    a provider's reported revenue that comes from the web is taken.
    """
    kind, payer, recipient, H = deal.kind, deal.payer, deal.recipient, a.horizon_years
    start = _years(_start(deal), day)
    term = terms.term
    cash, value = terms.cash, terms.exposure
    if kind in COMMITMENT_KINDS:
        life = term or a.default_term_years
        due, _ = _spread(cash, start, life, H)
        if cash > 0:
            legs.append((deal.id, kind.value, "payment", payer, recipient, due))
            running.append((recipient, start, start + life, cash / life))
        exposures.append((recipient, payer, deal.id, kind.value, "remaining contracted payments (backlog)",
                          _spread(value, start, life, H)[1]))
    elif kind in FUNDING_KINDS:
        if deal.status is Status.CLOSED:
            if kind in _STAKE_KINDS and value > 0:
                funded_stakes[(payer, recipient)].append(deal)
                funded_cost[(payer, recipient)] += value
        else:
            due, _ = _spread(cash, start, term or a.funding_years, H)
            if cash > 0:
                legs.append((deal.id, kind.value, "funding", payer, recipient, due))
            exposures.append((recipient, payer, deal.id, kind.value, "unfunded rest of the commitment",
                              _spread(value, start, term or a.funding_years, H)[1]))
    elif kind is DealKind.DEBT:
        life = term or a.debt_years
        overlap = max(0.0, min(start + life, H) - max(start, 0.0))
        if deal.status is not Status.CLOSED:
            # an undrawn facility: drawn evenly over funding_years; interest accrues on the drawn part only
            due, _ = _spread(cash, start, a.funding_years, H)
            legs.append((deal.id, kind.value, "funding", payer, recipient, due))
            drawn_avg = due / 2.0
            if overlap > 0 and drawn_avg > 0:
                legs.append((deal.id, kind.value, "interest", recipient, payer, drawn_avg * a.debt_rate * overlap))
        elif overlap > 0:
            legs.append((deal.id, kind.value, "interest", recipient, payer, cash * a.debt_rate * overlap))
        if deal.status is Status.CLOSED and 0.0 <= start + life <= H:
            legs.append((deal.id, kind.value, "principal", recipient, payer, cash))
        if start + life > 0:
            exposures.append((payer, recipient, deal.id, kind.value, "principal lent", value))
    elif kind is DealKind.WARRANT:
        exposures.append((recipient, payer, deal.id, kind.value, "warrant value", value * a.stake_mark))
        funded_stakes[(recipient, payer)].append(deal)
        funded_cost[(recipient, payer)] += value


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


def _means(financials: Iterable[FinancialSnapshot], nodes: tuple[str, ...], day: dt.date,
           running: list[tuple[str, float, float, float]], missing: list[tuple[str, str, str]],
           obligations: pd.DataFrame,
           exposures: list[tuple[str, str, str, str, str, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cash (cash and marketable securities when reported, else cash) and yearly outside revenue.

    Outside revenue is the newest reported revenue less the revenue that came FROM the web in that
    period: the yearly rate of the web contracts with this provider that were running at the
    figure's period end. Contracts signed later are not in the reported revenue, so they are not
    taken out of it (they are the web's own payments over the horizon, counted once, as receivables).
    """
    figures = list(financials)
    involved = _involved(obligations, exposures)
    cash = np.full(len(nodes), np.nan)
    revenue = np.full(len(nodes), np.nan)
    by_provider: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for provider, start, end, rate in running:
        by_provider[provider].append((start, end, rate))
    for i, node in enumerate(nodes):
        cash[i] = _value(latest_figure(figures, node, [Metric.CASH_AND_SECURITIES, Metric.CASH], day))
        newest = latest_figure(figures, node, list(_REVENUE_SCALE), day)
        if newest is not None and newest.value is not None:
            at = _years(newest.as_of.last_day(), day)
            from_web = sum(rate for start, end, rate in by_provider.get(node, ()) if start <= at < end)
            revenue[i] = max(0.0, float(newest.value) * _REVENUE_SCALE[newest.metric] - from_web)
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


def _add_raised_since(cash: np.ndarray, raised: list[tuple[str, dt.date, float, str]],
                      financials: Iterable[FinancialSnapshot], nodes: tuple[str, ...], day: dt.date,
                      missing: list[tuple[str, str, str]], share: float) -> None:
    """Add to a company's cash figure the cash it raised in closed deals dated after that figure (an
    equity round or a loan closed since the balance sheet): the figure predates the money. Listed."""
    figures = list(financials)
    index = {node: i for i, node in enumerate(nodes)}
    by_company: dict[str, list[tuple[dt.date, float, str]]] = defaultdict(list)
    for company, when, amount, deal_id in raised:
        by_company[company].append((when, amount, deal_id))
    for company, rows in by_company.items():
        i = index[company]
        figure = latest_figure(figures, company, [Metric.CASH_AND_SECURITIES, Metric.CASH], day)
        if figure is None:
            continue
        since = [(amount, deal_id) for when, amount, deal_id in rows if figure.as_of.last_day() < when <= day]
        if since:
            total = share * sum(amount for amount, _ in since)
            cash[i] += total
            missing.append((company, "cash after the cash figure",
                            f"cash of {figure.as_of} plus {total / 1e9:.1f}B raised since in closed deals "
                            f"({', '.join(d for _, d in since)}); spending since is unknown (raised_available={share:g})"))


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
        # A stake is worth the latest valuation × the share held; a reported stake value stands in for
        # the product. Without a share (or a valuation) it is listed as missing, never guessed from cost.
        if share is not None and not np.isnan(company_value):
            marked, how = share * company_value, "share held × latest valuation"
        elif stake_value is not None and stake_value.value is not None:
            marked, how = float(stake_value.value), "stake value figure"
        else:
            what = "valuation" if share is not None else "stake percentage"
            missing.append((company, f"{what} of the stake held by {holder}",
                            f"stake left out of exposures and cross-holdings (cost {funded_cost[(holder, company)] / 1e9:.1f}B"
                            " not used as its value)"))
            continue
        if share is None and not np.isnan(company_value) and company_value > 0:
            share = min(marked / company_value, _MAX_HELD)
        if share is not None:
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
