"""The JSON API's writes: add or edit a deal, import files. They exist only on a server
started with a write token; every route here checks ``Authorization: Bearer <token>``
before it reads the body (:class:`~dealweb.web.security.WriteRoute`), and validates by the
same rules as the CLI (:meth:`~dealweb.ledger.Ledger.apply`: all or nothing).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import Response

from dealweb.errors import Problem, ValidationError
from dealweb.ledger.adding import add_deal as add_deal_from_fields
from dealweb.ledger.formats import read
from dealweb.model.codec import DEAL_COLUMNS, from_mapping, to_plain
from dealweb.model.records import Deal
from dealweb.model.recordset import RecordSet
from dealweb.web.api import app_state, json_ok
from dealweb.web.errors import ApiError
from dealweb.web.jsonout import SafeJSONResponse
from dealweb.web.security import WriteRoute

__all__ = ["MAX_IMPORT_BYTES", "write_router"]

MAX_IMPORT_BYTES = 50 * 1024 * 1024

write_router = APIRouter(prefix="/api", default_response_class=SafeJSONResponse, tags=["writes"], route_class=WriteRoute)


def _author(values: dict[str, Any], problems: list[Problem]) -> tuple[str, str]:
    by, reason = values.pop("by", None), values.pop("reason", None)
    for name, value in (("by", by), ("reason", reason)):
        if value is not None and not isinstance(value, str):
            problems.append(Problem("body", name, "text", "must be text"))
    return (by if isinstance(by, str) and by.strip() else "web api",
            reason if isinstance(reason, str) else "")


def _unknown_fields(values: dict[str, Any], problems: list[Problem]) -> None:
    for key in sorted(set(values) - set(DEAL_COLUMNS)):
        problems.append(Problem("body", str(key)[:80], "unknown_field",
                                f"not a deal field; fields: {', '.join(DEAL_COLUMNS)}, plus 'by' and 'reason'"))


DealBody = Annotated[dict[str, Any], Body(description="One deal, with the columns of deals.csv (id optional), "
                                          "plus 'by' and 'reason' for the history.")]
DryRun = Annotated[bool, Query(description="Check and report, write nothing.")]


@write_router.post("/deals", status_code=201, summary="Add one deal (validated like an import)")
def add_deal(request: Request, body: DealBody, dry_run: DryRun = False) -> Response:
    cache = app_state(request).cache
    values: dict[str, Any] = dict(body)
    problems: list[Problem] = []
    by, reason = _author(values, problems)
    _unknown_fields(values, problems)
    try:
        new, report = add_deal_from_fields(cache.ledger, values, by=by, reason=reason or "added through the web API",
                                           dry_run=dry_run, where="body", problems=problems)
    finally:
        if not dry_run:
            cache.clear()
    return json_ok({"deal": to_plain(new), "report": report.to_dict()}, 200 if dry_run else 201)


@write_router.patch("/deals/{deal_id}", summary="Change fields of one deal (its old version stays in the history)")
def edit_deal(request: Request, deal_id: str, body: DealBody, dry_run: DryRun = False) -> Response:
    cache = app_state(request).cache
    current = cache.ledger.deal(deal_id)
    changes: dict[str, Any] = dict(body)
    problems: list[Problem] = []
    by, reason = _author(changes, problems)
    _unknown_fields(changes, problems)
    if "id" in changes:
        problems.append(Problem("body", "id", "immutable", "a deal's id cannot change"))
    if not changes:
        problems.append(Problem("body", "", "no_change", "name at least one field to change"))
    new, found = from_mapping(Deal, {**to_plain(current), **changes}, f"deal {deal_id}")
    problems += found
    if problems or new is None:
        raise ValidationError(problems)
    report = cache.ledger.apply(RecordSet.of(deals=[new]), dry_run=dry_run, by=by,
                                reason=reason or "edited through the web API")
    if not dry_run:
        cache.clear()
    return json_ok({"deal": to_plain(new), "report": report.to_dict()})


_IMPORT_BODY = {"requestBody": {"content": {
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}},
    "application/json": {"schema": {"type": "object", "description": 'A dealweb JSON document {"format": "dealweb", '
                                    '"version": 1, "entities": [...], "deals": [...], "financials": [...]}'}},
}, "required": True}}


def _file_name(raw: str | None, taken: set[str]) -> str:
    name = Path((raw or "").replace("\\", "/")).name
    if not name or name in (".", "..") or name in taken or len(name) > 200:
        raise ApiError(400, "bad_request", f"each uploaded file needs a distinct plain file name, got {raw!r}")
    taken.add(name)
    return name


async def _save_upload(request: Request, folder: Path) -> list[Path]:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        body = await request.body()
        if len(body) > MAX_IMPORT_BYTES:
            raise ApiError(413, "bad_request", f"the import is larger than {MAX_IMPORT_BYTES // 2**20} MB")
        path = folder / "import.json"
        path.write_bytes(body)
        return [path]
    if kind != "multipart/form-data":
        raise ApiError(415, "bad_request", "send files as multipart/form-data, or one dealweb JSON document as "
                       "application/json")
    form = await request.form(max_files=20, max_fields=20)
    paths: list[Path] = []
    taken: set[str] = set()
    total = 0
    for _, value in form.multi_items():
        if not isinstance(value, UploadFile):
            continue
        content = await value.read()
        total += len(content)
        if total > MAX_IMPORT_BYTES:
            raise ApiError(413, "bad_request", f"the import is larger than {MAX_IMPORT_BYTES // 2**20} MB")
        path = folder / _file_name(value.filename, taken)
        path.write_bytes(content)
        paths.append(path)
    if not paths:
        raise ApiError(400, "bad_request", "the form holds no file")
    return paths


@write_router.post("/import", summary="Import files (CSV pair, XLSX, JSON, FtM), all or nothing", openapi_extra=_IMPORT_BODY)
async def import_records(
    request: Request, dry_run: DryRun = False,
    fmt: Annotated[Literal["csv", "xlsx", "json", "ftm"] | None, Query(alias="format",
                   description="Format (default: by file name).")] = None,
    replace: Annotated[bool, Query(description="Make the ledger hold exactly the file's records.")] = False,
    reason: Annotated[str, Query(max_length=500, description="Why, for the history.")] = "",
    by: Annotated[str, Query(max_length=200, description="Who, for the history.")] = "web api",
) -> Response:
    cache = app_state(request).cache
    with tempfile.TemporaryDirectory(prefix="dealweb-import-") as tmp:
        paths = await _save_upload(request, Path(tmp))

        def apply() -> dict[str, Any]:
            records = read(paths if len(paths) > 1 else paths[0], format=fmt, context=cache.ledger.records())
            report = cache.ledger.apply(records, mode="replace" if replace else "merge", dry_run=dry_run, by=by,
                                        reason=reason or f"import through the web API: {', '.join(p.name for p in paths)}")
            return {"report": report.to_dict(), "summary": str(report)}

        result = await run_in_threadpool(apply)
    if not dry_run:
        cache.clear()
    return json_ok(result)
