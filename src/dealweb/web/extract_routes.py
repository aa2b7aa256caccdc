"""The "Add from article" API: candidates from pasted text, and their import.

* ``POST /api/extract`` reads the text and answers with the candidate deals and figures,
  each with its evidence sentence, the ledger deal it repeats (``same_as``) and whether a review
  starts it accepted (``ticked``, :func:`dealweb.extract.starts_ticked`), and how often
  the extractor is right on real news it has not seen (``accuracy``,
  :mod:`dealweb.extract.accuracy`). It writes nothing, so a read-only server answers it too.
* ``POST /api/extract/import`` needs the write token (:class:`~dealweb.web.security.WriteRoute`
  checks it before the body is read). It runs the same extraction on the same text, keeps
  the candidates whose positions the client ticked, and imports them with
  :func:`dealweb.extract.import_candidates` — the ledger's one validated, all-or-nothing
  door — with the article as source. Errors have the shared JSON shape.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from dealweb.errors import Problem, ValidationError
from dealweb.extract import Extraction, extract, import_candidates, pretick_note, same_deal, starts_ticked
from dealweb.extract.accuracy import MEASURED, statement
from dealweb.extract.candidates import directory_for
from dealweb.extract.text import MAX_BYTES
from dealweb.model.dates import PartialDate
from dealweb.model.records import Source
from dealweb.web.api import app_state, json_ok
from dealweb.web.jsonout import SafeJSONResponse
from dealweb.web.security import StrictJsonRoute, WriteRoute

__all__ = ["ArticleRequest", "ImportRequest", "extract_router", "extract_write_router"]

extract_router = APIRouter(prefix="/api", default_response_class=SafeJSONResponse, tags=["extract"],
                           route_class=StrictJsonRoute)
extract_write_router = APIRouter(prefix="/api", default_response_class=SafeJSONResponse, tags=["extract", "writes"],
                                 route_class=WriteRoute)


class ArticleRequest(BaseModel):
    """An article as pasted: its text (or HTML) and what is known about it."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=MAX_BYTES, description="Article text or HTML.")
    published: str | None = Field(None, max_length=10, description="Publication date, YYYY[-MM[-DD]].")
    title: str = Field("", max_length=500)
    outlet: str = Field("", max_length=200)
    url: str = Field("", max_length=2000)


class ImportRequest(ArticleRequest):
    """The article again, and which candidates (0-based positions in the extraction) to import."""

    deals: list[int] = Field(default_factory=list, max_length=1000, description="Positions of accepted deals.")
    facts: list[int] = Field(default_factory=list, max_length=1000, description="Positions of accepted figures.")
    by: str = Field("web api", max_length=200)
    reason: str = Field("", max_length=500)


def _published(body: ArticleRequest) -> PartialDate | None:
    if not body.published:
        return None
    try:
        return PartialDate.parse(body.published)
    except ValueError as exc:
        raise ValidationError([Problem("body", "published", "date", str(exc))]) from None


def _source(body: ArticleRequest, x: Extraction) -> Source:
    try:
        return Source(outlet=body.outlet.strip(), title=body.title.strip() or x.article.title,
                      date=_published(body), url=body.url.strip())
    except ValueError as exc:
        raise ValidationError([Problem("body", "url", "url", str(exc))]) from None


def _pick(found: list[Any], positions: list[int], name: str) -> list[Any]:
    bad = [p for p in positions if not 0 <= p < len(found)]
    if bad:
        raise ValidationError([Problem("body", name, "position", f"{p} is not a position in the {len(found)} "
                                       f"candidate {name} of this text") for p in bad])
    return [found[p] for p in dict.fromkeys(positions)]


@extract_router.post("/extract", summary="Candidate deals and figures in an article (writes nothing)")
async def extract_article(request: Request, body: ArticleRequest) -> Response:
    cache = app_state(request).cache
    published = _published(body)

    def run() -> dict[str, Any]:
        records = cache.records()
        x = extract(body.text, ledger=cache.ledger, published=published)
        data = x.to_dict()
        for item, c in zip(data["deals"], x.deals, strict=True):
            twin = same_deal(c, records.deals)
            item["same_as"] = twin.id if twin is not None else None
            item["ticked"] = starts_ticked(c)
        for item, f in zip(data["facts"], x.facts, strict=True):
            item["ticked"] = starts_ticked(f)
        data["source"] = _source(body, x).to_dict()
        data["accuracy"] = {**MEASURED.to_dict(), "statement": statement(), "pretick": pretick_note()}
        return data

    return json_ok(await run_in_threadpool(run))


@extract_write_router.post("/extract/import", summary="Import the ticked candidates with the article as source")
async def import_article(request: Request, body: ImportRequest,
                         dry_run: Annotated[bool, Query(description="Check and report, write nothing.")] = False) -> Response:
    cache = app_state(request).cache
    published = _published(body)

    def run() -> dict[str, Any]:
        x = extract(body.text, directory=directory_for(cache.ledger), published=published)
        deals = _pick(x.deals, body.deals, "deals")
        facts = _pick(x.facts, body.facts, "facts")
        if not deals and not facts:
            raise ValidationError([Problem("body", "deals", "required", "tick at least one candidate deal or figure")])
        result = import_candidates(cache.ledger, deals, facts, source=_source(body, x), dry_run=dry_run, by=body.by,
                                   reason=body.reason)
        return result.to_dict()

    result = await run_in_threadpool(run)
    if not dry_run:
        cache.clear()
    return json_ok(result)
