"""What the map opens on: the size of each company, the circular core, and the one-sentence headline.

Three small functions that every view of the web shares (the page, the report, the export),
so that the sentence above the map and the map itself come from the same projection and so
from one counting function (:func:`~dealweb.model.counting.count_deals`, applied by
:func:`dealweb.network`):

* :func:`company_sizes`: what a company is worth, for sizing its node: its newest **market
  capitalisation**, else its newest **valuation** (priced round, secondary sale or implied),
  else the **deal volume** through it on this projection (money in plus money out), each
  with the basis named, so a legend can say which companies are sized by what.
* :func:`circular_core`: the companies that sit on at least one loop of deals, largest first.
* :func:`map_headline`: the circularity index, the counted total with its basis, the number
  of deals, and the largest loop (by bottleneck: the most money that can go round it).

>>> import dealweb
>>> rs = dealweb.bundled_records()
>>> net = dealweb.project(rs)
>>> head = map_headline(net, rs)
>>> head.total == net.gross and head.largest_loop is not None
True
>>> set(head.core) == {v for c in find_cycles(net).cycles for v in c.nodes}
True
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from dealweb.circularity.circulation import max_circulation
from dealweb.circularity.company import latest_figure
from dealweb.circularity.cycles import CycleResult, find_cycles
from dealweb.model.recordset import RecordSet
from dealweb.model.vocab import Metric
from dealweb.network import Network, as_of_date
from dealweb.network.headline import Headline, format_usd

__all__ = ["SIZE_BASES", "CompanySize", "Loop", "MapHeadline", "circular_core", "company_sizes", "map_headline"]

#: How a company's size was measured, in order of preference.
SIZE_BASES: dict[str, str] = {
    "market_cap": "market capitalisation",
    "valuation": "latest private valuation",
    "deal_volume": "deal volume (money in plus out on this map; no market cap or valuation known)",
}
_VALUATIONS = (Metric.VALUATION, Metric.VALUATION_SECONDARY, Metric.VALUATION_IMPLIED)
#: What the counted total means, per counting basis (see :mod:`dealweb.model.counting`).
BASIS_TEXT: dict[str, str] = {
    "committed": "committed: binding cash commitments",
    "face": "face value, as announced",
    "paid": "paid: cash moved by the date",
}


@dataclass(frozen=True)
class CompanySize:
    """A company's size for drawing: ``value`` in USD, ``basis`` (a key of :data:`SIZE_BASES`),
    and the date of the figure (``None`` for deal volume, which is the projection's own)."""

    value: float
    basis: str
    as_of: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "basis": self.basis, "as_of": self.as_of}


def company_sizes(net: Network, records: RecordSet | None = None) -> dict[str, CompanySize | None]:
    """Node id → its :class:`CompanySize` on ``net`` (``None`` with no figure and no deal).

    Market cap, else valuation, dated by the projection's ``as_of`` (``net.params["as_of"]``);
    else deal volume on ``net``. Without ``records`` (a plain network) every size is deal volume.
    """
    day = as_of_date(net.params.get("as_of"))
    n = net.n_nodes
    volume = np.bincount(net.src, weights=net.amount, minlength=n) + np.bincount(net.dst, weights=net.amount, minlength=n)
    fins = [f for f in records.financials if f.metric in (Metric.MARKET_CAP, *_VALUATIONS)] if records else []
    out: dict[str, CompanySize | None] = {}
    for i, node in enumerate(net.nodes):
        found: CompanySize | None = None
        for basis, metrics in (("market_cap", (Metric.MARKET_CAP,)), ("valuation", _VALUATIONS)):
            fig = latest_figure(fins, node, metrics, day) if fins else None
            if fig is not None and fig.value is not None and fig.value > 0:
                found = CompanySize(float(fig.value), basis, str(fig.as_of))
                break
        if found is None and volume[i] > 0:
            found = CompanySize(float(volume[i]), "deal_volume")
        out[str(node)] = found
    return out


def circular_core(cycles: CycleResult, sizes: dict[str, CompanySize | None]) -> tuple[str, ...]:
    """The companies on at least one loop, largest first (by :func:`company_sizes`), ties by id.

    >>> import dealweb
    >>> net = dealweb.project(dealweb.bundled_records())
    >>> core = circular_core(find_cycles(net), company_sizes(net, dealweb.bundled_records()))
    >>> "openai" in core and "nvidia" in core
    True
    """
    on = {str(v) for c in cycles.cycles for v in c.nodes}
    rank = {"market_cap": 0, "valuation": 0, "deal_volume": 1}

    def key(node: str) -> tuple[int, float, str]:
        s = sizes.get(node)
        return (rank[s.basis], -s.value, node) if s else (2, 0.0, node)

    return tuple(sorted(on, key=key))


@dataclass(frozen=True)
class Loop:
    """One loop of deals: companies in order (hop ``i`` from ``nodes[i]`` to the next), names,
    the counted amount of each hop (parallel deals summed), the bottleneck, the deals per hop."""

    nodes: tuple[str, ...]
    names: tuple[str, ...]
    hop_amounts: tuple[float, ...]
    bottleneck: float
    deal_ids: tuple[tuple[str, ...], ...]

    @property
    def path(self) -> str:
        """``"Amazon → OpenAI → Amazon"``."""
        return " → ".join((*self.names, self.names[0]))

    def to_dict(self) -> dict[str, Any]:
        return {"nodes": list(self.nodes), "names": list(self.names), "hop_amounts": list(self.hop_amounts),
                "bottleneck": self.bottleneck, "deal_ids": [list(x) for x in self.deal_ids], "path": self.path}


@dataclass(frozen=True)
class MapHeadline:
    """The numbers above the map, all from one projection.

    ``total`` is the counted volume of the deals drawn (``net.gross``: every deal counted once
    by :func:`~dealweb.model.counting.count_deals` under ``basis``); ``circularity_index`` is
    maximum circulation over that same total; ``largest_loop`` is the loop with the largest
    bottleneck; ``core`` the companies on loops, largest first.
    """

    as_of: str | None
    basis: str
    total: float
    face_total: float
    deals: int
    companies: int
    circularity_index: float
    circular_volume: float
    loops: int
    largest_loop: Loop | None
    core: tuple[str, ...]

    @property
    def basis_text(self) -> str:
        return BASIS_TEXT.get(self.basis, self.basis)

    def sentence(self) -> str:
        r"""One sentence: the circularity index, the counted total and its basis, the largest loop.

        >>> h = MapHeadline("2025-12-31", "face", 2e12, 2e12, 90, 40, 0.125, 2.5e11, 3,
        ...                 Loop(("a", "b"), ("A", "B"), (5e10, 9e10), 5e10, (("D1",), ("D2",))), ("a", "b"))
        >>> print(h.sentence().replace(") ", ")\n"))
        Circularity index 12.5%: $250B of $2T in 90 deals (face value, as announced; as of 2025-12-31)
        could be netted round loops. Largest loop: A → B → A, $50B round.
        """
        date = f"; as of {self.as_of}" if self.as_of else ""
        face = f"; {format_usd(self.face_total)} at face value" if self.basis != "face" else ""
        text = (f"Circularity index {self.circularity_index:.1%}: {format_usd(self.circular_volume)} of "
                f"{format_usd(self.total)} in {self.deals} deals ({self.basis_text}{face}{date}) could be netted round "
                "loops.")
        if self.largest_loop is not None:
            text += f" Largest loop: {self.largest_loop.path}, {format_usd(self.largest_loop.bottleneck)} round."
        else:
            text += " No loops."
        return text

    def total_headline(self) -> Headline:
        """The total alone, on its basis with face value beside it (:class:`~dealweb.network.headline.Headline`)."""
        return Headline(self.basis, Decimal(repr(self.total)), Decimal(repr(self.face_total)), self.as_of, "gross flows")

    def to_dict(self) -> dict[str, Any]:
        """The :class:`~dealweb.network.headline.Headline` fields (``basis``, ``total_usd``, ``face_usd``,
        ``as_of``, ``what``, ``sentence``) and the map's: index, loops, core, and ``map_sentence``."""
        return {**self.total_headline().to_dict(), "basis_text": self.basis_text, "total": self.total,
                "face_total": self.face_total, "deals": self.deals, "companies": self.companies,
                "circularity_index": self.circularity_index, "circular_volume": self.circular_volume, "loops": self.loops,
                "largest_loop": self.largest_loop.to_dict() if self.largest_loop else None,
                "core": list(self.core), "map_sentence": self.sentence()}


def map_headline(net: Network, records: RecordSet | None = None, *, cycles: CycleResult | None = None,
                 sizes: dict[str, CompanySize | None] | None = None, max_length: int = 6,
                 fallback_as_of: str | None = None) -> MapHeadline:
    """The :class:`MapHeadline` of ``net`` (loops up to ``max_length`` hops unless ``cycles`` is given).

    The basis is the projection's (``net.params["basis"]``, with ``net.params["face_usd"]`` the
    same deals at face value); a projection that does not name one counts deals as announced
    (``"face"``). ``as_of`` is the projection's date, else ``fallback_as_of`` (the newest deal's).
    """
    found = cycles if cycles is not None else find_cycles(net, max_length=max_length)
    sizes = sizes if sizes is not None else company_sizes(net, records)
    circ = max_circulation(net).headline() if net.n_edges else {"circularity_index": 0.0, "circular_volume": 0.0}
    largest = None
    if found.cycles:
        c = found.cycles[0]
        largest = Loop(tuple(str(v) for v in c.nodes), tuple(net.name(net.index[v]) for v in c.nodes),
                       tuple(float(a) for a in c.hop_amounts), float(c.bottleneck),
                       tuple(tuple(str(x) for x in hop) for hop in c.deal_ids))
    linked = np.union1d(net.src, net.dst).size
    return MapHeadline(
        as_of=net.params.get("as_of") or fallback_as_of, basis=str(net.params.get("basis") or "face"),
        total=float(net.gross), face_total=float(net.params.get("face_usd", net.gross)),
        deals=int(net.n_edges), companies=int(linked),
        circularity_index=float(circ["circularity_index"] or 0.0), circular_volume=float(circ["circular_volume"] or 0.0),
        loops=int(found.headline()["cycles"]), largest_loop=largest, core=circular_core(found, sizes))
