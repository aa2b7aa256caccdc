"""The JSON API's read routes: each translates its arguments, calls one library function
(through :mod:`dealweb.web.payloads`, cached per ledger version) and sends the result.

Writes (add or edit a deal, import) are in :mod:`dealweb.web.writes`. See ``docs/api.md`` for
every route with an example.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import Response

import dealweb
from dealweb.errors import Problem, ValidationError
from dealweb.model.recordset import RecordSet
from dealweb.model.vocab import Confidence, DealKind, EntityKind, Status
from dealweb.network import Network
from dealweb.stress import Scenario, monte_carlo, stress
from dealweb.web import payloads as P
from dealweb.web.cache import LedgerCache
from dealweb.web.cyto import network_elements
from dealweb.web.downloads import EXPORT_MEDIA, XLSX_MEDIA, deals_csv, deals_xlsx, export_file
from dealweb.web.errors import ApiError
from dealweb.web.filters import NetworkFilters, network_filters, parse_date
from dealweb.web.jsonout import SafeJSONResponse, dumps_safe
from dealweb.web.scenarios import MonteCarloRequest, StressRequest, scenario_from_request, scenario_key
from dealweb.web.security import StrictJsonRoute
from dealweb.web.usernet import MAX_UPLOAD_BYTES, read_upload, user_network_payload

__all__ = ["MAX_LIMIT", "AppState", "app_state", "json_ok", "router"]

MAX_LIMIT = 1000

router = APIRouter(prefix="/api", default_response_class=SafeJSONResponse, route_class=StrictJsonRoute)

Filters = Annotated[NetworkFilters, Depends(network_filters)]


@dataclass
class AppState:
    """What the routes share: the cache (and through it the ledger) and the write settings."""

    cache: LedgerCache
    read_only: bool
    #: A network the server was started with (``dealweb serve --network``), and its name.
    user_network: Network | None = None
    user_network_name: str = ""
    _user_body: list[bytes] = field(default_factory=list)

    def user_network_body(self) -> bytes | None:
        """The served network's JSON, computed once (it never changes while the server runs)."""
        if self.user_network is None:
            return None
        if not self._user_body:
            self._user_body.append(dumps_safe(user_network_payload(
                self.user_network, name=self.user_network_name)).encode("utf-8"))
        return self._user_body[0]


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
    net = st.user_network
    served = None if net is None else {"name": st.user_network_name, "nodes": net.n_nodes, "edges": net.n_edges}
    return await _cached(request, ("meta", st.read_only, net is not None),
                         lambda r: P.meta_payload(r, read_only=st.read_only, user_network=served))


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
    basis: Annotated[Literal["committed", "face", "paid"], Query(
        description="Counting basis of counted_usd: committed (default), face or paid.")] = "committed",
) -> Response:
    page = _limit(limit)
    filters = {"entity": tuple(entity) if entity else None, "payer": payer, "recipient": recipient,
               "kinds": tuple(sorted(k.value for k in kind)) if kind else None,
               "statuses": tuple(sorted(s.value for s in status)) if status else None,
               "min_confidence": min_confidence.value if min_confidence else None,
               "since": parse_date(since, "since"), "until": parse_date(until, "until"),
               "min_amount": repr(min_amount) if min_amount is not None else None, "text": q or None}
    cache = app_state(request).cache
    counted = cache.get(("counted", basis), lambda r: P.counted_amounts(r, basis=basis))
    rows = cache.get(("deals", tuple(sorted(filters.items())), sort, order, basis),
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
                                               description="Hide edges below this amount (USD).")] = 0.0,
            view: Annotated[Literal["all", "core"], Query(description="Every company, or only the circular core "
                                                          "(companies on loops, largest first).")] = "all",
            bundle: Annotated[bool, Query(description="One arrow per ordered pair with the total and count of its "
                                          "deals, instead of one per deal.")] = False) -> Response:
    return await _cached(request, ("network", filters.key(), min_amount, view, bundle),
                   lambda r: network_elements(r, filters, min_amount=min_amount, view=view, bundle=bundle))


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


# ------------------------------------------------------------------ your own network

@router.get("/user-network", tags=["network"], summary="The network the server was started with (--network)")
async def served_network(request: Request) -> Response:
    state = app_state(request)
    if state.user_network is None:
        raise ApiError(404, "not_found", "this server was not started with a network of its own "
                       "(dealweb serve --network edges.csv); upload one with POST /api/user-network")
    body = await run_in_threadpool(state.user_network_body)
    assert body is not None
    return Response(body, media_type="application/json")


async def _read_body(request: Request) -> bytes:
    """The request body, refused (413) as soon as it passes the limit.

    The body must be sent as ``application/octet-stream``: not a type a plain cross-site form
    or ``fetch`` may send without a CORS preflight (which this server never grants), so another
    site's page cannot make a visitor's browser post files here.
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/octet-stream":
        raise ApiError(415, "bad_request", "send the file's bytes as the body with Content-Type: application/octet-stream")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES:
        raise ApiError(413, "bad_request", f"the network file is larger than {MAX_UPLOAD_BYTES // 2**20} MB")
    chunks, total = [], 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > MAX_UPLOAD_BYTES:
            raise ApiError(413, "bad_request", f"the network file is larger than {MAX_UPLOAD_BYTES // 2**20} MB")
        chunks.append(chunk)
    if not total:
        raise ApiError(400, "bad_request", "the request body is empty: send the edge file's bytes")
    return b"".join(chunks)


Column = Annotated[str, Query(min_length=1, max_length=100)]


@router.post("/user-network", tags=["network"], summary="Draw your own edge list (CSV or Parquet); nothing is stored",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
async def upload_network(
    request: Request,
    filename: Annotated[str, Query(min_length=1, max_length=200, description="The file's name; its suffix "
                                   "(.csv, .tsv, .parquet) says how to read it.")],
    source: Column = "source", target: Column = "target", amount: Column = "amount",
    edge_id: Annotated[str | None, Query(max_length=100, description="Optional column of edge ids.")] = None,
) -> Response:
    content = await _read_body(request)
    gone = threading.Event()  # the client left: stop the loop search (usernet bounds it in any case)

    def build() -> bytes:
        net = read_upload(content, filename, source=source, target=target, amount=amount, edge_id=edge_id)
        return dumps_safe(user_network_payload(net, name=filename, stop=gone.is_set)).encode("utf-8")

    work = asyncio.ensure_future(run_in_threadpool(build))
    while not work.done():
        await asyncio.wait({work}, timeout=0.25)
        if not work.done() and await request.is_disconnected():
            gone.set()
    return Response(work.result(), media_type="application/json")
