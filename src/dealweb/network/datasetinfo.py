"""What ``dealweb dataset info`` reports: the headline, financial coverage, source mix, freshness.

:func:`dataset_info` looks at a record set (the bundled dataset or any ledger) and says

* the **headline**: the total on the counting basis with face value beside it;
* **coverage of financial figures**: every company with at least ``threshold`` (default
  $10B) of counted deals, paid or received, should carry a *size* figure (market cap or a
  valuation) and a *liquidity* figure (cash, or cash and securities), its own or its
  parent's; those that do not are listed with what they lack, unless the manifest's
  ``coverage_exceptions`` (entity id → reason) says why not;
* the **source mix**: deal and figure sources by kind (filing, company release, outlet,
  secondary, or not stated) and how many were read ``via`` another site;
* **freshness**: how far the reporting goes, from the manifest's ``reporting_to`` (a
  phrase such as ``"early July 2026"``) or else the newest source or deal date.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dealweb.model.counting import Basis, count_deals
from dealweb.model.recordset import RecordSet
from dealweb.model.vocab import Metric
from dealweb.network.headline import Headline, format_usd

__all__ = ["LIQUIDITY_METRICS", "SIZE_METRICS", "Coverage", "DatasetInfo", "dataset_info"]

#: Figures that say how large a company is.
SIZE_METRICS: frozenset[Metric] = frozenset({Metric.MARKET_CAP, Metric.VALUATION, Metric.VALUATION_SECONDARY,
                                            Metric.VALUATION_IMPLIED})
#: Figures that say what a company can pay with.
LIQUIDITY_METRICS: frozenset[Metric] = frozenset({Metric.CASH, Metric.CASH_AND_SECURITIES})
_TEN_BILLION = Decimal(10) ** 10


@dataclass(frozen=True)
class Coverage:
    """Financial grounding of the companies with large deal volumes."""

    threshold_usd: Decimal
    companies: tuple[str, ...]
    missing_size: tuple[str, ...]
    missing_liquidity: tuple[str, ...]
    volume_usd: dict[str, Decimal] = field(default_factory=dict)
    explained: dict[str, str] = field(default_factory=dict)

    @property
    def grounded(self) -> int:
        """Companies over the threshold with both a size and a liquidity figure (their own or a parent's)."""
        lacking = set(self.missing_size) | set(self.missing_liquidity) | set(self.explained)
        return sum(1 for c in self.companies if c not in lacking)

    def to_dict(self) -> dict[str, Any]:
        return {"threshold_usd": float(self.threshold_usd), "companies": len(self.companies),
                "grounded": self.grounded, "missing_size": list(self.missing_size),
                "missing_liquidity": list(self.missing_liquidity), "explained": dict(self.explained),
                "volume_usd": {k: float(v) for k, v in self.volume_usd.items()}}


@dataclass(frozen=True)
class DatasetInfo:
    """The report of :func:`dataset_info`; :meth:`to_dict` is its one JSON form, :meth:`lines` its text."""

    name: str
    version: str
    entities: int
    deals: int
    financials: int
    headline: Headline
    coverage: Coverage
    source_kinds: dict[str, int]
    via_sources: int
    reporting_to: str
    newest_source: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "entities": self.entities, "deals": self.deals,
                "financials": self.financials, "headline": self.headline.to_dict(),
                "coverage": self.coverage.to_dict(), "sources": {"by_kind": self.source_kinds, "via": self.via_sources},
                "reporting_to": self.reporting_to, "newest_source": self.newest_source}

    def lines(self) -> list[str]:
        """The report in sentences, as the CLI prints it."""
        c = self.coverage
        out = [f"{self.name}, version {self.version}: {self.entities} entities, {self.deals} deals, "
               f"{self.financials} financial figures.",
               f"Headline: {self.headline.sentence()}.",
               f"Reporting to {self.reporting_to}" + (f" (newest source {self.newest_source})." if self.newest_source
                                                      else "."),
               f"Financial coverage: {c.grounded} of {len(c.companies)} companies with ≥ {format_usd(c.threshold_usd)} "
               f"of {self.headline.basis} deals have a size figure (market cap or valuation) and a liquidity figure "
               "(cash or cash and securities)."]
        if c.missing_size:
            out.append(f"  No size figure: {', '.join(c.missing_size)}.")
        if c.missing_liquidity:
            out.append(f"  No liquidity figure: {', '.join(c.missing_liquidity)}.")
        if c.explained:
            out.append(f"  Without a figure, for a stated reason ({len(c.explained)}):")
            out += [f"    {entity}: {why}" for entity, why in c.explained.items()]
        total = sum(self.source_kinds.values())
        mix = ", ".join(f"{k.replace('_', ' ')} {n}" for k, n in self.source_kinds.items() if n)
        out.append(f"Sources: {total} ({mix}); {self.via_sources} read via another site than the outlet's own.")
        return out


def dataset_info(records: RecordSet, manifest: Mapping[str, Any] | None = None, *,
                 basis: Basis | str = "committed", threshold_usd: Decimal = _TEN_BILLION) -> DatasetInfo:
    """Coverage, source mix and freshness of ``records``; ``manifest`` is ``dataset.json`` when there is one.

    Examples
    --------
    >>> import dealweb
    >>> from dealweb.ledger.bundled import bundled_manifest
    >>> info = dataset_info(dealweb.bundled_records(), bundled_manifest())
    >>> info.headline.basis, info.coverage.threshold_usd == 10**10
    ('committed', True)
    """
    manifest = dict(manifest or {})
    counting = count_deals(records.deals, basis=basis, entities=records.entities)
    volume: dict[str, Decimal] = defaultdict(Decimal)
    by_id = {d.id: d for d in records.deals}
    for deal_id, amount in counting.counted.items():
        d = by_id[deal_id]
        volume[d.payer] += amount
        volume[d.recipient] += amount
    big = sorted((e for e, v in volume.items() if v >= threshold_usd), key=lambda e: (-volume[e], e))
    metrics: dict[str, set[Metric]] = defaultdict(set)
    for f in records.financials:
        if f.value is not None and f.counterparty is None:
            metrics[f.entity].add(f.metric)
    parents = {e.id: e.parent for e in records.entities}
    explained = {str(k): str(v) for k, v in dict(manifest.get("coverage_exceptions") or {}).items()}

    def has(entity: str, wanted: frozenset[Metric]) -> bool:
        # A subsidiary, SPV or joint venture is grounded by its parent's figures.
        seen: set[str] = set()
        node: str | None = entity
        while node is not None and node not in seen:
            if metrics[node] & wanted:
                return True
            seen.add(node)
            node = parents.get(node)
        return False

    checked = [e for e in big if e not in explained]
    coverage = Coverage(
        threshold_usd=threshold_usd, companies=tuple(big),
        missing_size=tuple(e for e in checked if not has(e, SIZE_METRICS)),
        missing_liquidity=tuple(e for e in checked if not has(e, LIQUIDITY_METRICS)),
        volume_usd={e: volume[e] for e in big},
        explained={e: explained[e] for e in big if e in explained},
    )

    kinds: Counter[str] = Counter()
    via = 0
    dates = []
    sources = [s for d in records.deals for s in d.sources] + [s for f in records.financials for s in f.sources]
    kinds = Counter(s.kind.value if s.kind else "not stated" for s in sources)
    via = sum(1 for s in sources if s.via)
    dates = [s.date for s in sources if s.date is not None]
    order = ["filing", "company_release", "outlet", "secondary", "not stated"]
    newest_source = str(max(dates)) if dates else None
    newest_deal = max((d.announced for d in records.deals), default=None)
    reporting_to = str(manifest.get("reporting_to") or newest_source or newest_deal or "unknown")
    day = manifest.get("reporting_to_date") or (str(newest_deal) if newest_deal else None)
    return DatasetInfo(
        name=str(manifest.get("name", "ledger")), version=str(manifest.get("version", "")),
        entities=len(records.entities), deals=len(records.deals), financials=len(records.financials),
        headline=Headline(counting.basis, counting.total(), counting.face_total(), day),
        coverage=coverage, source_kinds={k: kinds[k] for k in order}, via_sources=via,
        reporting_to=reporting_to, newest_source=newest_source,
    )
