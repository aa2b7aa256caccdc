"""Per-company measures: how much of a company's money is its own coming back, how
concentrated its counterparties are, and how its commitments compare with its means.

All amounts are the projection's counted amounts (totals over each deal's life, not
annual, unless a column says ``annual``). Financial figures (revenue, cash) come from the
ledger's snapshots as of the projection date; where a company has none, the ratio is
empty (``NaN``) and the reason is in the ``missing`` column — no buffer is invented.

Measures, for company X with counted inflows ``in_X`` and outflows ``out_X``:

``vendor_financed_direct``
    ``Σ_Y min(fund(X→Y), in(Y→X)) / in_X``: the share of what X receives that comes from
    counterparties X itself funds (equity, debt, warrants, joint ventures), each capped at
    what X put in. The classic vendor-financing ratio (Lucent 2000; Nvidia 2025).
``vendor_financed_k``
    ``Σ_{Y ∈ R_k(X)} in(Y→X) / in_X`` where ``R_k(X)`` are the counterparties reachable from
    X by a funding deal followed by at most ``k − 2`` further deals of any kind, so that
    the money can come back to X on a cycle of at most ``k`` deals. An **upper bound**:
    it counts Y's whole payment, not only the part X's money could have paid for.
``customer_hhi``, ``top_customer_share``
    Herfindahl–Hirschman index (Σ shares², 0–1) and largest share of X's **backlog**: its
    inflows from compute commitments, leases, chip purchases and licences, by payer.
``supplier_hhi``, ``top_supplier_share``
    The same over X's outflows of those kinds, by recipient.
``commitments_annual``
    X's outgoing purchase commitments (compute, lease, chips, licences) per year: amount
    ÷ horizon, with ``default_horizon`` years where the deal gives none.
``commitments_to_revenue``, ``commitments_to_cash``, ``commitments_to_funding``
    ``commitments_annual`` over X's latest revenue (annual revenue, else run-rate), latest
    cash, and the funding X received in the web (equity, debt, warrants, JV).
``net_position``
    ``in_X − out_X``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from dealweb.errors import NotFoundError
from dealweb.model.records import FinancialSnapshot
from dealweb.model.recordset import RecordSet
from dealweb.model.vocab import DealKind, Metric
from dealweb.network.graph import Network
from dealweb.network.results import Result

__all__ = ["BACKLOG_KINDS", "FUNDING_KINDS", "CompanyMeasures", "company_measures", "latest_figure"]

FUNDING_KINDS: frozenset[str] = frozenset(
    k.value for k in (DealKind.EQUITY_INVESTMENT, DealKind.DEBT, DealKind.WARRANT, DealKind.JV))
BACKLOG_KINDS: frozenset[str] = frozenset(
    k.value for k in (DealKind.COMPUTE_COMMITMENT, DealKind.LEASE, DealKind.CHIP_PURCHASE, DealKind.LICENSING))


@dataclass(frozen=True, kw_only=True)
class CompanyMeasures(Result):
    """One row per company; see the module docstring for each column."""

    table: pd.DataFrame
    max_length: int
    default_horizon: float
    as_of: str | None
    figures_used: dict[str, list[str]] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def row(self, entity_id: str) -> pd.Series:
        """The measures of one company; :class:`~dealweb.errors.NotFoundError` if it is not in the network."""
        if entity_id not in self.table.index:
            raise NotFoundError(f"no entity with id {entity_id!r} in the network")
        row = self.table.loc[entity_id]
        assert isinstance(row, pd.Series)
        return row

    def headline(self) -> dict[str, Any]:
        t = self.table
        active = t[t["inflow"] > 0]
        top = active["vendor_financed_direct"].idxmax() if len(active) else None
        return {"companies": len(t), "with_inflows": len(active),
                "highest_vendor_financed_direct": top,
                "its_share": float(active["vendor_financed_direct"].max()) if len(active) else 0.0}


def latest_figure(financials: Iterable[FinancialSnapshot], entity: str, metrics: Iterable[Metric | str],
                  as_of: dt.date | None = None) -> FinancialSnapshot | None:
    """The newest snapshot of ``entity`` among ``metrics`` (earlier metrics preferred on a tie),
    dated no later than ``as_of``; ``None`` when there is none."""
    order = [Metric(m) for m in metrics]
    found = [f for f in financials
             if f.entity == entity and f.metric in order and f.value is not None and f.counterparty is None
             and (as_of is None or f.as_of.last_day() <= as_of)]
    if not found:
        return None
    return max(found, key=lambda f: (f.as_of, -order.index(f.metric)))


def _pair_sums(net: Network, mask: np.ndarray) -> sp.csr_array:
    n = net.n_nodes
    m = sp.coo_array((net.amount[mask], (net.src[mask], net.dst[mask])), shape=(n, n)).tocsr()
    m.sum_duplicates()
    return m


def _hhi(matrix: sp.csr_array, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """HHI and top share of each row (axis=1: a node's outflows) or column (axis=0: inflows)."""
    mat = sp.csc_array(matrix) if axis == 0 else sp.csr_array(matrix)
    n = mat.shape[0]
    hhi = np.full(n, np.nan)
    top = np.full(n, np.nan)
    for i in range(n):
        lo, hi = mat.indptr[i], mat.indptr[i + 1]
        vals = mat.data[lo:hi]
        total = vals.sum()
        if total > 0:
            shares = vals / total
            hhi[i] = float((shares ** 2).sum())
            top[i] = float(shares.max())
    return hhi, top


def _reach_after_funding(funding: sp.csr_array, any_flow: sp.csr_array, extra_hops: int) -> sp.csr_array:
    """Boolean matrix R: R[x, y] when y is reachable from x by one funding edge then ≤ extra_hops edges."""
    step = (any_flow > 0).astype(np.int8)
    reach = (funding > 0).astype(np.int8)
    frontier = reach
    for _ in range(extra_hops):
        frontier = (frontier @ step > 0).astype(np.int8)
        reach = ((reach + frontier) > 0).astype(np.int8)
    return sp.csr_array(reach)


def company_measures(
    net: Network,
    records: RecordSet | None = None,
    *,
    max_length: int = 6,
    default_horizon: float = 5.0,
) -> CompanyMeasures:
    """Per-company circularity, concentration and capacity measures (see the module docstring).

    Parameters
    ----------
    net
        A network projected from a ledger (needs ``edge_kinds``; ``edge_horizons`` for the
        annualisation).
    records
        The records the network came from, for revenue and cash figures; without them the
        capacity ratios are empty.
    max_length
        Longest cycle (in deals) a vendor-financed payment may come back on.
    default_horizon
        Years over which a purchase commitment with no stated term is spread.

    Examples
    --------
    >>> import dealweb
    >>> rs = dealweb.bundled_records()
    >>> m = company_measures(dealweb.project(rs), rs)
    >>> bool(0 <= m.row("nvidia")["vendor_financed_direct"] <= 1)
    True
    """
    if net.edge_kinds is None:
        raise ValueError("company measures need deal kinds on the edges: project the network from a ledger")
    if max_length < 2:
        raise ValueError(f"max_length must be at least 2, got {max_length}")
    kinds = np.asarray(net.edge_kinds, dtype=object)
    keep = net.src != net.dst
    fund_mask = keep & np.isin(kinds, list(FUNDING_KINDS))
    back_mask = keep & np.isin(kinds, list(BACKLOG_KINDS))
    flows = _pair_sums(net, keep)
    funding = _pair_sums(net, fund_mask)
    backlog = _pair_sums(net, back_mask)

    inflow = np.asarray(flows.sum(axis=0)).ravel()
    outflow = np.asarray(flows.sum(axis=1)).ravel()
    # Direct: min(X funds Y, Y pays X), summed over Y, per X.
    direct = (funding.minimum(flows.T.tocsr())).sum(axis=1)
    direct = np.asarray(direct).ravel()
    reach = _reach_after_funding(funding, flows, max_length - 2)
    via_k = np.asarray((reach * flows.T).sum(axis=1)).ravel()

    with np.errstate(divide="ignore", invalid="ignore"):
        vf_direct = np.where(inflow > 0, direct / inflow, np.nan)
        vf_k = np.where(inflow > 0, via_k / inflow, np.nan)
    cust_hhi, cust_top = _hhi(backlog, axis=0)
    supp_hhi, supp_top = _hhi(backlog, axis=1)

    horizons = net.edge_horizons if net.edge_horizons is not None else np.full(net.n_edges, np.nan)
    years = np.where(np.isfinite(horizons) & (horizons > 0), horizons, default_horizon)
    annual = np.bincount(net.src[back_mask], weights=(net.amount / years)[back_mask], minlength=net.n_nodes)
    funding_in = np.asarray(funding.sum(axis=0)).ravel()

    as_of = dt.date.fromisoformat(net.params["as_of"]) if net.params.get("as_of") else None
    revenue = np.full(net.n_nodes, np.nan)
    cash = np.full(net.n_nodes, np.nan)
    used: dict[str, list[str]] = {}
    missing: list[str] = []
    for i, node in enumerate(net.nodes):
        gaps = []
        if records is not None:
            rev = latest_figure(records.financials, node, (Metric.REVENUE, Metric.REVENUE_RUN_RATE), as_of)
            csh = latest_figure(records.financials, node, (Metric.CASH,), as_of)
            if rev is not None:
                revenue[i] = float(rev.value)  # type: ignore[arg-type]
                used.setdefault(node, []).append(rev.id)
            if csh is not None:
                cash[i] = float(csh.value)  # type: ignore[arg-type]
                used.setdefault(node, []).append(csh.id)
        if annual[i] > 0 and np.isnan(revenue[i]):
            gaps.append("revenue")
        if annual[i] > 0 and np.isnan(cash[i]):
            gaps.append("cash")
        missing.append(", ".join(gaps))
    with np.errstate(divide="ignore", invalid="ignore"):
        to_rev = np.where(annual > 0, annual / revenue, np.nan)
        to_cash = np.where(annual > 0, annual / cash, np.nan)
        to_fund = np.where((annual > 0) & (funding_in > 0), annual / funding_in, np.nan)

    table = pd.DataFrame({
        "name": list(net.node_names or net.nodes), "kind": list(net.node_kinds or [""] * net.n_nodes),
        "inflow": inflow, "outflow": outflow, "net_position": inflow - outflow,
        "vendor_financed_direct": vf_direct, "vendor_financed_k": vf_k,
        "customer_hhi": cust_hhi, "top_customer_share": cust_top,
        "supplier_hhi": supp_hhi, "top_supplier_share": supp_top,
        "commitments_annual": annual, "revenue": revenue, "cash": cash, "funding_received": funding_in,
        "commitments_to_revenue": to_rev, "commitments_to_cash": to_cash, "commitments_to_funding": to_fund,
        "missing": missing,
    }, index=pd.Index(net.nodes, name="id"))
    return CompanyMeasures(table=table, max_length=max_length, default_horizon=default_horizon,
                           as_of=net.params.get("as_of"), figures_used=used,
                           network_params=net.params, undisclosed=net.undisclosed)
