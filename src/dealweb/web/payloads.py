"""The JSON the API serves and the report embeds, each built from one library call.

Every function takes records (and the parsed arguments) and returns a plain mapping; the
routes in :mod:`dealweb.web.api` cache and send them, and :func:`dealweb.web.report.build_report`
embeds the very same mappings, so the page shows the same numbers online and offline. What
happens here is reshaping only: picking fields, adding ids the library's tables keep in their
index, sorting and paging a listing.

>>> import dealweb
>>> rs = dealweb.bundled_records()
>>> deal_card(rs, "D57")["deal"]["payer"]
'anthropic'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

import dealweb
from dealweb.circularity.cycles import CycleResult, find_cycles
from dealweb.circularity.report import CircularityReport, CompanyRisk, circularity_report, company_risk
from dealweb.circularity.roundtrips import RoundTripResult, round_trips
from dealweb.contagion.assumptions import Assumptions
from dealweb.errors import NotFoundError
from dealweb.model.codec import to_plain
from dealweb.model.counting import BASES, count_deals
from dealweb.model.query import filter_deals
from dealweb.model.records import Deal
from dealweb.model.recordset import RecordSet
from dealweb.model.vocab import Confidence, DealKind, EntityKind, Status
from dealweb.network.profile import entity_profile
from dealweb.network.results import jsonable
from dealweb.network.summary import summarize
from dealweb.stress import EFFECTS, MC_MODELS, MODELS, MonteCarloResult, StressResult, list_scenarios
from dealweb.web.cyto import valuations
from dealweb.web.filters import NetworkFilters
from dealweb.web.usernet import MAX_UPLOAD_BYTES

__all__ = [
    "CIRCULARITY_DEFINITION",
    "DEAL_SORTS",
    "circularity_payload",
    "circularity_report_for",
    "company_risk_payload",
    "counted_amounts",
    "cycles_payload",
    "deal_card",
    "deal_rows",
    "entity_card",
    "entity_items",
    "meta_payload",
    "monte_carlo_payload",
    "round_trips_payload",
    "scenario_items",
    "stress_payload",
]

#: What the headline number means, shown beside it.
CIRCULARITY_DEFINITION = (
    "Circularity index = maximum circulation / gross volume: the share of the counted deal volume that could be "
    "settled by netting money that goes round loops, without anyone paying cash (Fleischman & Dini 2021, "
    "doi:10.3390/jrfm14090452). 0 means no money comes back round; 1 means all of it could be netted away.")
DEAL_SORTS = ("announced", "amount_usd", "id")


def _rows(frame: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = jsonable(frame.to_dict(orient="records"))  # jsonable turns NaN into null
    return rows


# ------------------------------------------------------------------ reference data

@lru_cache(maxsize=1)
def scenario_items() -> tuple[dict[str, Any], ...]:
    """The shipped scenarios: name, title, model, horizon in years, description."""
    return tuple({"name": s.name, "title": s.title, "model": s.model, "horizon_years": s.horizon_years,
                  "description": s.description} for s in list_scenarios())


def meta_payload(records: RecordSet, *, read_only: bool, user_network: dict[str, Any] | None = None) -> dict[str, Any]:
    """Vocabularies, date range, dataset headline, scenarios, models: what the page's controls offer;
    ``user_network`` (name, nodes, edges) when the server also serves a network of the user's own."""
    s = summarize(records)
    return {
        "version": dealweb.__version__,
        "deal_kinds": [k.value for k in DealKind], "entity_kinds": [k.value for k in EntityKind],
        "statuses": [x.value for x in Status], "confidences": [c.value for c in Confidence],
        "amount_policies": ["face", "low", "high"], "bases": list(BASES),
        "date_range": {"first": s.first_deal.first_day().isoformat() if s.first_deal else None,
                       "last": s.newest_deal.last_day().isoformat() if s.newest_deal else None},
        "dataset": s.to_dict(),
        "scenarios": list(scenario_items()),
        "models": list(MODELS), "model_info": [spec.to_dict() for spec in MODELS.values()],
        "model_params": {m: {p.name: list(p.choices) or [p.type] for p in spec.params} for m, spec in MODELS.items()},
        "monte_carlo_models": list(MC_MODELS),
        "effects": list(EFFECTS), "effect_help": {k: v[0] for k, v in EFFECTS.items()},
        "assumptions": Assumptions().to_dict(),
        "read_only": read_only,
        "user_network": user_network,
        "max_upload_bytes": MAX_UPLOAD_BYTES,
    }


# ------------------------------------------------------------------ entities and deals

def entity_items(records: RecordSet, *, q: str | None = None, kinds: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Entities whose id, name or an alias contains ``q`` (case-insensitive), of ``kinds``."""
    counts: Counter[str] = Counter()
    for d in records.deals:
        counts.update({d.payer, d.recipient})
    values = valuations(records)
    needle = q.casefold().strip() if q else ""
    out = []
    for e in records.entities:
        if kinds and e.kind.value not in kinds:
            continue
        if needle and not any(needle in t.casefold() for t in (e.id, e.name, *e.aliases)):
            continue
        out.append({"id": e.id, "name": e.name, "kind": e.kind.value, "listed": e.listed, "ticker": e.ticker,
                    "country": e.country, "valuation_usd": values[e.id], "deal_count": counts[e.id]})
    return out


def counted_amounts(records: RecordSet, *, basis: str = "committed") -> dict[str, float]:
    """Deal id → the part that counts on ``basis`` (:func:`~dealweb.model.counting.count_deals`)."""
    return {k: float(v) for k, v in count_deals(records.deals, basis=basis, entities=records.entities).counted.items()}


def deal_rows(records: RecordSet, counted: dict[str, float], *, sort: str = "announced", descending: bool = False,
              **filters: Any) -> list[dict[str, Any]]:
    """Deals passing :func:`~dealweb.model.query.filter_deals` filters, as ``to_plain`` rows plus
    ``counted_usd``, sorted by ``sort`` (deals without an amount last either way)."""
    if sort not in DEAL_SORTS:
        raise ValueError(f"sort must be one of {', '.join(DEAL_SORTS)}, got {sort!r}")
    chosen = filter_deals(records.deals, **{k: v for k, v in filters.items() if v is not None})

    def key(d: Deal) -> Any:
        return d.amount_usd if sort == "amount_usd" else d.announced if sort == "announced" else d.id

    known = [d for d in chosen if key(d) is not None]
    known.sort(key=lambda d: (key(d), d.id), reverse=descending)
    ordered = known + [d for d in chosen if key(d) is None]
    return [{**to_plain(d), "counted_usd": counted.get(d.id, 0.0)} for d in ordered]


def deal_card(records: RecordSet, deal_id: str) -> dict[str, Any]:
    """One deal with its links both ways; :class:`~dealweb.errors.NotFoundError` if unknown."""
    by_id = {d.id: d for d in records.deals}
    if deal_id not in by_id:
        raise NotFoundError(f"no deal with id {deal_id!r}")
    d = by_id[deal_id]
    names = {e.id: e.name for e in records.entities}
    return {
        "deal": {**to_plain(d), "counted_usd": counted_amounts(records).get(d.id, 0.0)},
        "payer_name": names.get(d.payer), "recipient_name": names.get(d.recipient),
        "part_of": d.part_of, "parts": [x.id for x in records.deals if x.part_of == d.id],
        "supersedes": list(d.supersedes), "superseded_by": [x.id for x in records.deals if d.id in x.supersedes],
    }


# ------------------------------------------------------------------ circularity

def circularity_report_for(records: RecordSet, filters: NetworkFilters) -> CircularityReport:
    """Every measure on one projection, keeping all cycles (company cards list those they are on)."""
    return circularity_report(filters.project(records), records, top_cycles=10_000)


def _cycle_items(result: CycleResult, names: dict[str, str], limit: int | None = None) -> list[dict[str, Any]]:
    return [{"rank": r, "length": c.length, "nodes": list(c.nodes), "names": [names.get(str(v), str(v)) for v in c.nodes],
             "path": c.path, "deal_ids": [list(ids) for ids in c.deal_ids], "hop_amounts": list(c.hop_amounts),
             "bottleneck": c.bottleneck, "kinds": [list(k) for k in c.kinds], "first_date": c.first_date,
             "last_date": c.last_date}
            for r, c in enumerate(result.cycles[:limit], start=1)]


def cycles_payload(records: RecordSet, filters: NetworkFilters, *, max_length: int = 6, limit: int = 50,
                   min_bottleneck: float = 0.0) -> dict[str, Any]:
    """Simple cycles ranked by bottleneck (:func:`~dealweb.circularity.find_cycles`)."""
    result = find_cycles(filters.project(records), max_length=max_length, limit=limit, min_bottleneck=min_bottleneck)
    names = {e.id: e.name for e in records.entities}
    data: dict[str, Any] = jsonable({"headline": result.headline(), "cycles": _cycle_items(result, names),
                                     "network_params": result.network_params, "undisclosed": list(result.undisclosed)})
    return data


def _trip_items(result: RoundTripResult) -> list[dict[str, Any]]:
    return [{"rank": r, "nodes": [t.funder, t.recipient], "deal_ids": [list(t.funding_ids), list(t.purchase_ids)],
             "funder": t.funder, "recipient": t.recipient, "funding": t.funding, "purchase": t.purchase,
             "recycled": t.recycled, "gap_days": t.gap_days, "funding_kinds": list(t.funding_kinds),
             "purchase_kinds": list(t.purchase_kinds), "funding_date": t.funding_date, "purchase_date": t.purchase_date}
            for r, t in enumerate(result.trips, start=1)]


def round_trips_payload(records: RecordSet, filters: NetworkFilters, *, window_days: int = 365) -> dict[str, Any]:
    """Round trips, "A funds B and B buys from A" (:func:`~dealweb.circularity.round_trips`)."""
    result = round_trips(filters.project(records), window_days=window_days)
    data: dict[str, Any] = jsonable({"headline": result.headline(), "round_trips": _trip_items(result),
                                     "window_days": window_days, "network_params": result.network_params,
                                     "undisclosed": list(result.undisclosed)})
    return data


def circularity_payload(report: CircularityReport) -> dict[str, Any]:
    """``report.to_dict()`` (rows carry the entity ``id``) with the circularity index's definition."""
    data = report.to_dict()
    data["headline"]["definition"] = CIRCULARITY_DEFINITION
    return data


def _risk_dict(risk: CompanyRisk) -> dict[str, Any]:
    data = risk.to_dict()
    data["measures"] = jsonable({"id": risk.entity, **risk.measures})
    data["cycles"] = _rows(risk.cycles)
    data["round_trips"] = _rows(risk.round_trips)
    return data


def company_risk_payload(report: CircularityReport, entity_id: str) -> dict[str, Any]:
    """One company's circularity card (:func:`~dealweb.circularity.report.company_risk`) with its cycles."""
    return _risk_dict(company_risk(report, entity_id))


def entity_card(records: RecordSet, entity_id: str, report: CircularityReport | None) -> dict[str, Any]:
    """Entity, profile (deals both ways, figures, counterparties) and circularity measures."""
    profile = entity_profile(records, entity_id)
    risk: dict[str, Any] | None = None
    if report is not None:
        try:
            risk = company_risk_payload(report, entity_id)
        except NotFoundError:
            risk = None
    entity = {**to_plain(profile.entity), "valuation_usd": valuations(records, ids=[entity_id])[entity_id]}
    return {"entity": entity, "profile": profile.to_dict(), "risk": risk}


# ------------------------------------------------------------------ stress

def stress_payload(result: StressResult) -> dict[str, Any]:
    """``result.to_dict()`` (with its ``rounds``: who fails in which round, as the story tells it,
    and every company's cumulative ``loss`` and ``relative_loss`` after that round, in the order of
    ``nodes``) plus ``nodes`` (every company, for colouring the map)."""
    data = result.to_dict()
    frame = result.to_frame().set_index("id")
    status = frame["status"].to_dict()
    via = frame["via"].to_dict()
    data["nodes"] = jsonable([
        {"id": node, "name": result.names[i], "loss": result.loss[i], "relative_loss": result.relative_loss[i],
         "failed": bool(result.failed[i]), "failure_round": int(result.failure_round[i]),
         "failed_before": bool(result.failed_before[i]), "shocked": bool(result.shocked[i]),
         "status": status.get(node, ""), "via": via.get(node),
         "baseline_shortfall": None if result.baseline_shortfall is None else result.baseline_shortfall[i],
         "buffer": None if result.buffer is None else result.buffer[i],
         "buffer_known": bool(result.buffer is not None and np.isfinite(result.buffer[i])),
         "why_cannot_fail": "" if result.cannot_fail is None else str(result.cannot_fail[i])}
        for i, node in enumerate(result.nodes)])
    return data


def monte_carlo_payload(result: MonteCarloResult) -> dict[str, Any]:
    data = result.to_dict()
    data["scenario"] = result.scenario.to_dict()
    return data
