"""Round trips: the named pattern "A funds B, and B buys from A" within a time window.

The pattern analysts point at in vendor financing (Lucent and Nortel in 2000; Nvidia,
Microsoft and Amazon with AI labs in 2025): a funding deal A → B (equity, debt, warrant,
joint venture) and a purchase deal B → A (compute, chips, leases, licences, revenue
shares) announced within ``window_days`` of each other. The **recycled** amount
``min(funding, purchase)`` is the most of A's money that could come straight back to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from dealweb.circularity.cycles import _check_amounts
from dealweb.model.vocab import DealKind
from dealweb.network.graph import Network
from dealweb.network.results import Result

__all__ = ["RoundTrip", "RoundTripResult", "round_trips"]


@dataclass(frozen=True, slots=True)
class RoundTrip:
    """``funder`` funds ``recipient`` and ``recipient`` buys from ``funder``, within the window.

    One episode: a connected group of funding deals (``funding_ids``) and purchase deals
    (``purchase_ids``) of one ordered pair, each within the window of a deal in the other
    direction. ``funding``/``purchase`` are their totals, ``recycled = min(funding, purchase)``.
    ``gap_days`` is the signed gap of the closest matched pair (purchase date − funding date;
    negative when the purchase came first).
    """

    funder: Any
    recipient: Any
    funding_ids: tuple[Any, ...]
    purchase_ids: tuple[Any, ...]
    funding_kinds: tuple[str, ...]
    purchase_kinds: tuple[str, ...]
    funding: float
    purchase: float
    recycled: float
    gap_days: int
    funding_date: dt.date
    purchase_date: dt.date


@dataclass(frozen=True, kw_only=True)
class RoundTripResult(Result):
    """Round trips ranked by recycled amount; each deal is in at most one, so they add up."""

    trips: list[RoundTrip]
    window_days: int
    kinds_out: tuple[str, ...]
    kinds_back: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        rows = [{"rank": r, "funder": t.funder, "recipient": t.recipient, "funding": t.funding,
                 "purchase": t.purchase, "recycled": t.recycled, "gap_days": t.gap_days,
                 "funding_deals": "+".join(map(str, t.funding_ids)), "purchase_deals": "+".join(map(str, t.purchase_ids)),
                 "funding_kinds": "+".join(t.funding_kinds), "purchase_kinds": "+".join(t.purchase_kinds),
                 "funding_date": t.funding_date, "purchase_date": t.purchase_date}
                for r, t in enumerate(self.trips, start=1)]
        columns = ["rank", "funder", "recipient", "funding", "purchase", "recycled", "gap_days", "funding_deals",
                   "purchase_deals", "funding_kinds", "purchase_kinds", "funding_date", "purchase_date"]
        return pd.DataFrame(rows, columns=columns)

    def headline(self) -> dict[str, Any]:
        top = self.trips[0] if self.trips else None
        return {"round_trips": len(self.trips), "recycled_total": float(sum(t.recycled for t in self.trips)),
                "largest": f"{top.funder} → {top.recipient}" if top else None,
                "largest_recycled": top.recycled if top else 0.0}


def _kinds(name: str, kinds: Sequence[str]) -> tuple[str, ...]:
    known = {k.value for k in DealKind}
    unknown = [k for k in kinds if str(k) not in known]
    if unknown or isinstance(kinds, str):
        raise ValueError(f"{name} must be a sequence of deal kinds from {sorted(known)}; got {kinds!r}")
    return tuple(str(k) for k in kinds)


def round_trips(
    net: Network,
    *,
    window_days: int = 365,
    kinds_out: Sequence[str] = ("equity_investment", "debt", "warrant", "jv"),
    kinds_back: Sequence[str] = ("compute_commitment", "chip_purchase", "lease", "licensing", "revenue_share"),
) -> RoundTripResult:
    """Round trips: A funds B (a ``kinds_out`` deal A → B) and B buys from A (a ``kinds_back``
    deal B → A), the two announced within ``window_days`` of each other, in either order.

    The two-hop cycle of :func:`find_cycles` with a meaning attached: the vendor-financing
    pattern (Lucent and Nortel in 2000, Nvidia and the AI labs in 2025), where part of A's
    money can come straight back as B's purchases. Matched deals of an ordered pair (A, B)
    form episodes (connected groups: a funding deal and a purchase deal are linked when at
    most ``window_days`` apart); per episode the deals are summed and

        recycled = min(funding(A → B), purchase(B → A))

    is the most of A's funding that could return as revenue. Every deal is in at most one
    episode, so recycled amounts add up without double counting. Amounts are totals over each
    deal's life, not annual; deals without a date never match; self-loops are ignored.

    Parameters
    ----------
    net
        A network with deal kinds and dates on its edges (one projected from a ledger).
    window_days
        Largest gap in days between a funding deal and a purchase deal that still pairs them.
    kinds_out, kinds_back
        Deal kinds that count as funding (A → B) and as purchases (B → A).

    Raises
    ------
    ValueError
        The network has no deal kinds or dates, the window is negative, or a kind is unknown.

    Examples
    --------
    >>> import dealweb
    >>> trips = round_trips(dealweb.project(dealweb.bundled_records()))
    >>> t = next(t for t in trips.trips if (t.funder, t.recipient) == ("microsoft", "anthropic"))
    >>> t.funding_ids, t.purchase_ids, t.recycled, t.gap_days
    (('D55',), ('D57',), 5000000000.0, 0)
    """
    if net.edge_kinds is None or net.edge_dates is None:
        raise ValueError("round_trips needs deal kinds and dates on the edges: project the network from a ledger "
                         "with dealweb.project(...)")
    if window_days < 0:
        raise ValueError(f"window_days must be non-negative, got {window_days!r}")
    _check_amounts(np.asarray(net.amount, dtype=np.float64))
    out, back = _kinds("kinds_out", kinds_out), _kinds("kinds_back", kinds_back)
    edges = pd.DataFrame({"a": net.src, "b": net.dst, "e": np.arange(net.n_edges), "kind": net.edge_kinds,
                          "date": np.asarray(net.edge_dates, dtype="datetime64[D]")})
    edges = edges[edges["a"] != edges["b"]]
    fund = edges[edges["kind"].isin(out)]
    buy = edges[edges["kind"].isin(back)].rename(columns={"a": "b", "b": "a"})  # B → A, keyed as (A, B)
    pairs = fund.merge(buy, on=["a", "b"], suffixes=("_f", "_p"))
    gap = (pairs["date_p"] - pairs["date_f"]).dt.days
    pairs = pairs.assign(gap=gap)[gap.abs() <= window_days]
    # An episode is a connected group of matched deals, so deals years apart are not lumped together.
    m = net.n_edges
    link = sp.coo_array((np.ones(len(pairs)), (pairs["e_f"].to_numpy(), pairs["e_p"].to_numpy())), shape=(m, m))
    _, episode = connected_components(link, directed=False)
    pairs = pairs.assign(episode=episode[pairs["e_f"].to_numpy()])
    ids = net.edge_ids if net.edge_ids is not None else np.arange(m)
    trips = []
    for _, group in pairs.groupby(["a", "b", "episode"], sort=True):
        a, b = (int(x) for x in group[["a", "b"]].to_numpy()[0])
        f_edges, p_edges = np.unique(group["e_f"]), np.unique(group["e_p"])
        funding, purchase = float(net.amount[f_edges].sum()), float(net.amount[p_edges].sum())
        closest = group.assign(dist=group["gap"].abs()).sort_values(["dist", "gap", "e_f", "e_p"]).iloc[0]
        trips.append(RoundTrip(
            net.nodes[a], net.nodes[b], tuple(ids[f_edges].tolist()), tuple(ids[p_edges].tolist()),
            tuple(str(k) for k in net.edge_kinds[f_edges]), tuple(str(k) for k in net.edge_kinds[p_edges]),
            funding, purchase, min(funding, purchase), int(closest["gap"]),
            closest["date_f"].date(), closest["date_p"].date()))
    trips.sort(key=lambda t: (-t.recycled, str(t.funder), str(t.recipient)))
    return RoundTripResult(trips=trips, window_days=window_days, kinds_out=out, kinds_back=back,
                           network_params=net.params, undisclosed=net.undisclosed)
