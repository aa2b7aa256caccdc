"""The JSON API's read routes: each translates its arguments, calls one library function
(through :mod:`dealweb.web.payloads`, cached per ledger version) and sends the result.

Writes (add or edit a deal, import) are in :mod:`dealweb.web.writes`. See ``docs/api.md`` for
every route with an example.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import Response

import dealweb
from dealweb.errors import Problem, ValidationError
from dealweb.model.recordset import RecordSet
from dealweb.model.vocab import Confidence, DealKind, EntityKind, Status
from dealweb.stress import Scenario, monte_carlo, stress
from dealweb.web import payloads as P
from dealweb.web.cache import LedgerCache
from dealweb.web.cyto import network_elements
from dealweb.web.downloads import EXPORT_MEDIA, XLSX_MEDIA, deals_csv, deals_xlsx, export_file
from dealweb.web.filters import NetworkFilters, network_filters, parse_date
from dealweb.web.jsonout import SafeJSONResponse, dumps_safe
from dealweb.web.scenarios import MonteCarloRequest, StressRequest, scenario_from_request, scenario_key

__all__ = ["MAX_LIMIT", "AppState", "app_state", "json_ok", "router"]

MAX_LIMIT = 1000

router = APIRouter(prefix="/api", default_response_class=SafeJSONResponse)

Filters = Annotated[NetworkFilters, Depends(network_filters)]


@dataclass
class AppState:
    """What the routes share: the cache (and through it the ledger) and the write settings."""

    cache: LedgerCache
    read_only: bool


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.dealweb
    return state


def json_ok(data: Any, status: int = 200) -> SafeJSONResponse:
    return SafeJSONResponse(data, status_code=status)


async def _cached(request: Request, key: tuple[Any, ...], compute: Callable[[RecordSet], Any],
                  version: tuple[int, int] | None = None) -> Response:
    """The JSON of ``compute(records)``, rendered once per ledger version and key.

    A hit is answered on the event loop (one cheap version query, no thread hop); a miss
    computes in the thread pool, so a slow analysis never blocks other requests.
    """
    cache = app_state(request).cache
    full = ("json", *key)
    body = cache.peek(full, version)
    if body is None:
        body = await run_in_threadpool(cache.get, full, lambda r: dumps_safe(compute(r)).encode("utf-8"))
    return Response(body, media_type="application/json")


def _report(cache: LedgerCache, filters: NetworkFilters) -> Any:
    """Every circularity measure of one projection (computed in the thread pool, cached)."""
    return cache.get(("report", filters.key()), lambda r: P.circularity_report_for(r, filters))


async def _scenario(cache: LedgerCache, body: StressRequest) -> tuple[Scenario, tuple[int, int]]:
    """The request's validated scenario (memoised per ledger version and body) and the version."""
    version, records = cache.peek_records()
    key = ("scenario", type(body).__name__, body.model_dump_json())
    found = cache.peek(key, version)
    if found is None:
        if records is None:
            records = await run_in_threadpool(cache.records)
        found = scenario_from_request(body, records)
        cache.put(key, found, version)
    scenario: Scenario = found
    return scenario, version


def _download(content: bytes, media: str, name: str) -> Response:
    return Response(content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


# ------------------------------------------------------------------ service

@router.get("/health", tags=["service"], summary="Is the server up; is it read-only")
async def health(request: Request) -> Response:
    return json_ok({"status": "ok", "version": dealweb.__version__, "read_only": app_state(request).read_only})


@router.get("/meta", tags=["service"], summary="Vocabularies, date range, dataset headline, scenarios, models")
async def meta(request: Request) -> Response:
    st = app_state(request)
    return await _cached(request, ("meta", st.read_only), lambda r: P.meta_payload(r, read_only=st.read_only))


@router.get("/scenarios", tags=["stress"], summary="The shipped stress scenarios")
async def scenarios() -> Response:
    return json_ok({"items": list(P.scenario_items())})


# ------------------------------------------------------------------ entities and deals

@router.get("/entities", tags=["ledger"], summary="Entities, searched by id, name or alias")
def entities(request: Request,
             q: Annotated[str | None, Query(max_length=200, description="Text in id, name or an alias.")] = None,
             kind: Annotated[list[EntityKind] | None, Query(description="Entity kinds (repeatable).")] = None) -> Response:
    kinds = tuple(sorted(k.value for k in kind)) if kind else None
    items = app_state(request).cache.get(("entities", q, kinds), lambda r: P.entity_items(r, q=q, kinds=kinds))
    return json_ok({"items": items, "total": len(items)})


@router.get("/entities/{entity_id}", tags=["ledger"], summary="One company's card: profile and circularity measures")
async def entity(request: Request, entity_id: str) -> Response:
    cache = app_state(request).cache
    return await _cached(request, ("entity", entity_id),
                         lambda r: P.entity_card(r, entity_id, _report(cache, NetworkFilters())))


def _limit(value: str) -> int | None:
    if value.strip().lower() == "all":
        return None
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 1 <= number <= MAX_LIMIT:
        raise ValidationError([Problem("query", "limit", "limit", f"must be a whole number 1–{MAX_LIMIT} or 'all', "
                                       f"got {value[:20]!r}")])
    return number


@router.get("/deals", tags=["ledger"], summary="Deals, filtered, sorted and paged; CSV/XLSX of all matching rows")
def deals(
    request: Request,
    entity: Annotated[list[str] | None, Query(description="Payer or recipient (repeatable).")] = None,
    payer: Annotated[str | None, Query(max_length=80)] = None,
    recipient: Annotated[str | None, Query(max_length=80)] = None,
    kind: Annotated[list[DealKind] | None, Query(description="Deal kinds (repeatable).")] = None,
    status: Annotated[list[Status] | None, Query(description="Statuses (repeatable).")] = None,
    min_confidence: Confidence | None = None,
    since: Annotated[str | None, Query(max_length=10, description="Announced on or after, YYYY[-MM[-DD]].")] = None,
    until: Annotated[str | None, Query(max_length=10, description="Announced on or before, YYYY[-MM[-DD]].")] = None,
    min_amount: Annotated[float | None, Query(ge=0, allow_inf_nan=False, description="Minimum USD amount.")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in id, parties or description.")] = None,
    sort: Literal["announced", "amount_usd", "id"] = "announced",
    order: Literal["asc", "desc"] = "asc",
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[str, Query(description=f"Rows per page, 1–{MAX_LIMIT}, or 'all'.")] = "100",
    fmt: Annotated[Literal["json", "csv", "xlsx"], Query(alias="format")] = "json",
) -> Response:
    page = _limit(limit)
    filters = {"entity": tuple(entity) if entity else None, "payer": payer, "recipient": recipient,
               "kinds": tuple(sorted(k.value for k in kind)) if kind else None,
               "statuses": tuple(sorted(s.value for s in status)) if status else None,
               "min_confidence": min_confidence.value if min_confidence else None,
               "since": parse_date(since, "since"), "until": parse_date(until, "until"),
               "min_amount": repr(min_amount) if min_amount is not None else None, "text": q or None}
    cache = app_state(request).cache
    counted = cache.get(("counted",), P.counted_amounts)
    rows = cache.get(("deals", tuple(sorted(filters.items())), sort, order),
                     lambda r: P.deal_rows(r, counted, sort=sort, descending=order == "desc", **filters))
    if fmt != "json":
        by_id = {d.id: d for d in cache.records().deals}
        chosen = [by_id[row["id"]] for row in rows if row["id"] in by_id]
        if fmt == "csv":
            return _download(deals_csv(chosen, counted), "text/csv; charset=utf-8", "deals.csv")
        return _download(deals_xlsx(chosen, counted), XLSX_MEDIA, "deals.xlsx")
    shown = rows[offset:] if page is None else rows[offset:offset + page]
    return json_ok({"items": shown, "total": len(rows), "offset": offset, "limit": page if page is not None else len(rows)})


@router.get("/deals/{deal_id}", tags=["ledger"], summary="One deal: terms, sources, what it is part of or supersedes")
async def deal(request: Request, deal_id: str) -> Response:
    return await _cached(request, ("deal", deal_id), lambda r: P.deal_card(r, deal_id))


@router.get("/export", tags=["ledger"], summary="The whole ledger as a download")
def export(request: Request,
           fmt: Annotated[Literal["csv", "xlsx", "json", "gexf", "graphml", "cyjs", "ftm"],
                          Query(alias="format")] = "json") -> Response:
    assert fmt in EXPORT_MEDIA
    content, media, name = export_file(app_state(request).cache.records(), fmt)
    return _download(content, media, name)


# ------------------------------------------------------------------ the web and its loops

@router.get("/network", tags=["network"], summary="The projection as Cytoscape.js elements")
async def network(request: Request, filters: Filters,
            min_amount: Annotated[float, Query(ge=0, allow_inf_nan=False,
                                               description="Hide edges below this amount (USD).")] = 0.0) -> Response:
    return await _cached(request, ("network", filters.key(), min_amount),
                   lambda r: network_elements(r, filters, min_amount=min_amount))


@router.get("/cycles", tags=["circularity"], summary="Loops of deals ranked by bottleneck")
async def cycles(request: Request, filters: Filters,
           max_length: Annotated[int, Query(ge=2, le=12, description="Longest cycle, in deals.")] = 6,
           limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Cycles to return.")] = 50,
           min_bottleneck: Annotated[float, Query(ge=0, allow_inf_nan=False,
                                                  description="Smallest bottleneck, USD.")] = 0.0) -> Response:
    key = ("cycles", filters.key(), max_length, limit, min_bottleneck)
    return await _cached(request, key, lambda r: P.cycles_payload(
        r, filters, max_length=max_length, limit=limit, min_bottleneck=min_bottleneck))


@router.get("/round-trips", tags=["circularity"], summary="A funds B, B buys from A, within a window")
async def round_trips(request: Request, filters: Filters,
                window_days: Annotated[int, Query(ge=0, le=3650, description="Most days between the deals.")] = 365,
                ) -> Response:
    return await _cached(request, ("round_trips", filters.key(), window_days),
                   lambda r: P.round_trips_payload(r, filters, window_days=window_days))


@router.get("/circularity", tags=["circularity"], summary="Every circularity measure and the per-company table")
async def circularity(request: Request, filters: Filters) -> Response:
    cache = app_state(request).cache
    return await _cached(request, ("circularity", filters.key()), lambda r: P.circularity_payload(_report(cache, filters)))


@router.get("/company-risk/{entity_id}", tags=["circularity"], summary="One company's circularity measures")
async def company_risk(request: Request, entity_id: str, filters: Filters) -> Response:
    cache = app_state(request).cache
    return await _cached(request, ("risk", entity_id, filters.key()),
                         lambda r: P.company_risk_payload(_report(cache, filters), entity_id))


# ------------------------------------------------------------------ stress

@router.post("/stress", tags=["stress"], summary="Run a scenario: losses, failures round by round, the story")
async def run_stress(request: Request, body: StressRequest) -> Response:
    scenario, version = await _scenario(app_state(request).cache, body)
    return await _cached(request, ("stress", scenario_key(scenario)), lambda r: P.stress_payload(stress(r, scenario)),
                         version)


@router.post("/stress/montecarlo", tags=["stress"], summary="A scenario over many draws of the uncertain inputs")
async def run_monte_carlo(request: Request, body: MonteCarloRequest) -> Response:
    scenario, version = await _scenario(app_state(request).cache, body)
    return await _cached(request, ("montecarlo", scenario_key(scenario), body.runs, body.seed), lambda r: P.monte_carlo_payload(
        monte_carlo(r, scenario, runs=body.runs, seed=body.seed)), version)
