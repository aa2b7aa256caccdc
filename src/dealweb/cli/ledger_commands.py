"""CLI commands that read and edit the ledger: run, init, summary, dataset info, deals,
entities, entity, add-deal, history."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import typer

import dealweb
from dealweb.cli import app
from dealweb.cli.network_options import AsOfOpt, BasisOpt, _date, spec_from_flags
from dealweb.cli.output import console, err_console, print_json, print_rows
from dealweb.ledger import Ledger
from dealweb.ledger.adding import add_deal as add_deal_from_fields
from dealweb.ledger.bundled import (
    BundledStatus,
    bundled_manifest,
    bundled_records,
    bundled_status,
    fill_or_update,
    reset_bundled,
    update_bundled,
)
from dealweb.model.codec import DEAL_COLUMNS, ENTITY_COLUMNS, FINANCIAL_COLUMNS, to_cells, to_plain
from dealweb.model.vocab import Confidence, DealKind, EntityKind, Qualifier, Status
from dealweb.network.datasetinfo import dataset_info as dataset_report
from dealweb.network.headline import format_usd
from dealweb.network.profile import entity_profile
from dealweb.network.summary import Summary, counted_amounts, summarize

dataset_app = typer.Typer(help="The bundled AI deals dataset.", no_args_is_help=True)
app.add_typer(dataset_app, name="dataset")

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLite file, sqlite:/// or postgresql:// URL (default: $DEALWEB_DB, else the embedded file)."),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
CsvFlag = Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")]


def _fmt(as_json: bool, as_csv: bool) -> str:
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv", param_hint="--json/--csv")
    return "json" if as_json else "csv" if as_csv else "table"




def _amount(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        number = Decimal(value.replace("_", ""))
    except InvalidOperation:
        raise typer.BadParameter(f"{value!r} is not a number (write 5000000000, 5e9 or 5_000_000_000)") from None
    if not number.is_finite() or number < 0:
        raise typer.BadParameter(f"{value!r} is not a non-negative number")
    return value


def _print_summary(s: Summary, *, title: str) -> None:
    console.print(f"[bold]{title}[/bold]")
    console.print(
        f"{s.entities} entities, {s.deals} deals ({s.counted_deals} counted, {s.excluded_deals} not counted on "
        f"the {s.basis} basis; {s.undisclosed_deals} without a disclosed amount), {s.financials} figures",
        markup=False,
    )
    console.print(f"Volume, each dollar once: {s.headline.sentence()}", markup=False)
    print_rows([{"kind": k, "volume": format_usd(v)} for k, v in s.volume_by_kind.items()],
               columns=["kind", "volume"], title=f"By kind of deal ({s.basis})")
    print_rows(
        [{"id": d.id, "date": str(d.announced), "payer": d.payer, "recipient": d.recipient, "kind": d.kind.value,
          "amount": format_usd(d.amount_usd) + ("*" if d.qualifier is not Qualifier.EXACT else "")} for d in s.largest],
        columns=["id", "date", "payer", "recipient", "kind", "amount"], title="Largest deals (* = up to or estimate)",
    )
    console.print(f"Deals announced from {s.first_deal} to {s.newest_deal}.")


@app.command()
def init(
    db: DbOption = None,
    reset: Annotated[bool, typer.Option("--reset", help="Replace the ledger's content with the bundled dataset.")] = False,
    empty: Annotated[bool, typer.Option("--empty", help="Create the schema only; load no data.")] = False,
) -> None:
    """Create the database (and load the bundled dataset if it is empty)."""
    ledger = Ledger(db, create_folder=True)
    if reset:
        report = reset_bundled(ledger)
        console.print(f"Reset {ledger.url}: {report}", markup=False)
    elif not empty and ledger.is_empty():
        fill_or_update(ledger)
        console.print(f"Initialised {ledger.url} with the bundled dataset {bundled_manifest()['version']}: "
                      f"{ledger.counts()}", markup=False)
    else:
        status = bundled_status(ledger) if empty else fill_or_update(ledger)
        console.print(f"Ledger {ledger.url} is ready: {ledger.counts()}", markup=False)
        _note_outdated(status)


@app.command()
def summary(db: DbOption = None, basis: BasisOpt = "committed", as_of: AsOfOpt = None,
            as_json: JsonFlag = False) -> None:
    """Headline numbers of the ledger: counts, volume by kind on a basis with face value beside it, freshness."""
    spec = spec_from_flags(as_of=as_of, kind=None, status=None, min_confidence=None, amount_policy="face",
                           up_to=1.0, estimate=1.0, basis=basis)
    ledger = dealweb.open(db)
    s = summarize(ledger.records(), basis=spec.basis, as_of=spec.as_of)
    if as_json:
        print_json(s.to_dict())
    else:
        _print_summary(s, title="The deal web")
    _note_outdated(bundled_status(ledger))


def _note_outdated(status: BundledStatus) -> None:
    """A note on standard error when the ledger holds an older bundled dataset plus the user's changes."""
    if status.message():
        err_console.print(f"Note: {status.message()}", markup=False, highlight=False)


@dataset_app.command("update")
def dataset_update(
    db: DbOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would change; write nothing.")] = False,
) -> None:
    """Bring the shipped bundled dataset into a ledger filled from an older one, keeping your changes."""
    ledger = dealweb.open(db, load_bundled=False)
    before = bundled_status(ledger)
    if before.held is None and not ledger.is_empty():
        raise typer.BadParameter(f"{ledger.url} was never filled from the bundled dataset; "
                                 "`dealweb import` your files into it, or `dealweb init --reset` to start over",
                                 param_hint="--db")
    if before.held == before.bundled:
        console.print(f"{ledger.url} already holds bundled dataset {before.bundled}; nothing to do.", markup=False)
        return
    report = update_bundled(ledger, dry_run=dry_run)
    what = "Would update" if dry_run else "Updated"
    kept = f"{before.own_changes} record{'' if before.own_changes == 1 else 's'} you changed"
    console.print(f"{what} {ledger.url} from bundled dataset {before.held or '(none)'} to {before.bundled}, "
                  f"keeping {kept}: {report}", markup=False)


@dataset_app.command("info")
def dataset_info(basis: BasisOpt = "committed", as_json: JsonFlag = False) -> None:
    """The bundled dataset: headline, coverage of financial figures, source mix, freshness."""
    spec = spec_from_flags(as_of=None, kind=None, status=None, min_confidence=None, amount_policy="face",
                           up_to=1.0, estimate=1.0, basis=basis)
    manifest, records = bundled_manifest(), bundled_records()
    info = dataset_report(records, manifest, basis=spec.basis)
    if as_json:
        print_json({"manifest": manifest, **info.to_dict(), "summary": summarize(records, basis=spec.basis).to_dict()})
        return
    for line in info.lines():
        console.print(line, markup=False)
    console.print(f"Coverage: {manifest['coverage_note']}", markup=False)


@app.command()
def deals(
    db: DbOption = None,
    entity: Annotated[list[str] | None, typer.Option("--entity", "-e", help="Payer or recipient (repeatable).")] = None,
    kind: Annotated[list[DealKind] | None, typer.Option("--kind", "-k", help="Deal kind (repeatable).")] = None,
    status: Annotated[list[Status] | None, typer.Option("--status", help="Status (repeatable).")] = None,
    min_confidence: Annotated[Confidence | None, typer.Option("--min-confidence")] = None,
    since: Annotated[str | None, typer.Option(help="Announced on or after (YYYY[-MM[-DD]]).", callback=_date)] = None,
    until: Annotated[str | None, typer.Option(help="Announced on or before (YYYY[-MM[-DD]]).", callback=_date)] = None,
    min_amount: Annotated[str | None, typer.Option("--min-amount", help="Minimum USD amount.", callback=_amount)] = None,
    search: Annotated[str | None, typer.Option("--search", "-s", help="Text in id, parties or description.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Show at most this many.")] = None,
    basis: BasisOpt = "committed",
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """List deals, filtered, with what each counts on a basis (counted_usd) and their total."""
    fmt = _fmt(as_json, as_csv)
    spec = spec_from_flags(as_of=None, kind=None, status=None, min_confidence=None, amount_policy="face",
                           up_to=1.0, estimate=1.0, basis=basis)
    ledger = dealweb.open(db)
    found = ledger.deal_records(
        entity=entity or None, kinds=kind or None, statuses=status or None, min_confidence=min_confidence,
        since=since, until=until, min_amount=min_amount, text=search,
    )
    counted, head = counted_amounts(ledger.records(), (d.id for d in found), basis=spec.basis)
    # CSV gets the cells of deals.csv (sources, supersedes as import reads them), so the output imports back;
    # the extra counted_usd column is one import ignores.
    rows: list[dict[str, Any]] = [{**(to_cells(d) if fmt == "csv" else to_plain(d)), "counted_usd": float(counted[d.id])}
                                  for d in found[:limit]]
    shown = f" (showing {len(rows)})" if len(rows) < len(found) else ""
    print_rows(rows, columns=[*DEAL_COLUMNS, "counted_usd"], fmt=fmt,
               title=f"{len(found)} deals{shown}; together {head.sentence()}",
               table_columns=["id", "announced", "payer", "recipient", "kind", "amount_usd", "qualifier", "counted_usd"],
               formatters={"amount_usd": format_usd, "counted_usd": format_usd}, empty="no deals match")


@app.command()
def entities(
    db: DbOption = None,
    kind: Annotated[list[EntityKind] | None, typer.Option("--kind", "-k", help="Entity kind (repeatable).")] = None,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """List entities."""
    fmt = _fmt(as_json, as_csv)
    found = [e for e in dealweb.open(db).entity_records() if not kind or e.kind in kind]
    rows: list[dict[str, Any]] = [to_cells(e) if fmt == "csv" else to_plain(e) for e in found]
    print_rows(rows, columns=ENTITY_COLUMNS, fmt=fmt, title=f"{len(found)} entities",
               table_columns=["id", "name", "kind", "country", "ticker"], empty="no entities match")


@app.command()
def entity(
    entity_id: Annotated[str, typer.Argument(metavar="ID", help="Entity id, e.g. openai.")],
    db: DbOption = None,
    as_json: JsonFlag = False,
) -> None:
    """One entity: its deals both ways, its financial figures, its counterparties."""
    p = entity_profile(dealweb.open(db).records(), entity_id)
    if as_json:
        print_json(p.to_dict())
        return
    e = p.entity
    console.print(f"[bold]{e.name}[/bold] ({e.id}) — {e.kind.value}"
                  + (f", {e.country}" if e.country else "") + (f", {e.ticker}" if e.ticker else ""), markup=True)
    if e.notes:
        console.print(e.notes, markup=False)
    deal_cols = ["id", "announced", "kind", "amount_usd", "qualifier", "status"]
    print_rows([{**to_plain(d), "to": d.recipient} for d in p.deals_out], columns=["to", *deal_cols],
               title="Pays (payer)", formatters={"amount_usd": format_usd}, empty="pays nothing in the ledger")
    print_rows([{**to_plain(d), "from": d.payer} for d in p.deals_in], columns=["from", *deal_cols],
               title="Receives (recipient)", formatters={"amount_usd": format_usd}, empty="receives nothing in the ledger")
    print_rows([to_plain(f) for f in p.financials], columns=FINANCIAL_COLUMNS, title="Figures",
               table_columns=["as_of", "metric", "counterparty", "value", "qualifier"],
               formatters={"value": lambda v: "" if v is None else f"{v}"}, empty="no figures")
    print_rows([{"entity": c.entity, "paid": format_usd(c.paid_usd), "received": format_usd(c.received_usd),
                 "deals": c.deals} for c in p.counterparties],
               columns=["entity", "paid", "received", "deals"], title="Counterparties (counted money)")


@app.command("add-deal")
def add_deal(
    deal_id: Annotated[str | None, typer.Option("--id", help="Deal id (default: next free D###).")] = None,
    announced: Annotated[str, typer.Option(help="Announcement date, YYYY[-MM[-DD]].")] = "",
    kind: Annotated[str, typer.Option(help="Deal kind.")] = "",
    payer: Annotated[str, typer.Option(help="Entity id that pays (investor, customer, lender, …).")] = "",
    recipient: Annotated[str, typer.Option(help="Entity id that receives.")] = "",
    amount_usd: Annotated[str | None, typer.Option("--amount-usd", help="Amount in USD.")] = None,
    qualifier: Annotated[str, typer.Option(help="exact, up_to, estimate or undisclosed.")] = "",
    source: Annotated[
        list[str] | None, typer.Option("--source", help="'outlet | title | date | url' or a URL (repeatable).")
    ] = None,
    description: Annotated[str, typer.Option(help="What the deal is, in your own words.")] = "",
    status: Annotated[str | None, typer.Option(help="Status (default announced).")] = None,
    confidence: Annotated[str | None, typer.Option(help="high, medium or low (default medium).")] = None,
    horizon_years: Annotated[str | None, typer.Option("--horizon-years")] = None,
    stake_pct: Annotated[str | None, typer.Option("--stake-pct")] = None,
    part_of: Annotated[str | None, typer.Option("--part-of")] = None,
    supersedes: Annotated[list[str] | None, typer.Option("--supersedes")] = None,
    db: DbOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check, but write nothing.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Add one deal, validated by the same rules as an import."""
    ledger = dealweb.open(db)
    fields: dict[str, Any] = {
        "id": deal_id, "announced": announced, "kind": kind, "payer": payer,
        "recipient": recipient, "amount_usd": amount_usd, "qualifier": qualifier, "sources": source or [],
        "description": description, "status": status, "confidence": confidence, "horizon_years": horizon_years,
        "stake_pct": stake_pct, "part_of": part_of, "supersedes": supersedes or [],
    }
    deal, report = add_deal_from_fields(ledger, fields, reason="dealweb add-deal", dry_run=dry_run, where="add-deal")
    if as_json:
        print_json({"deal": to_plain(deal), "report": report.to_dict()})
    else:
        console.print(f"{'Would add' if dry_run else 'Added'} deal {deal.id}: {deal.payer} → {deal.recipient}, "
                      f"{deal.kind.value}, {format_usd(deal.amount_usd)} ({deal.qualifier.value})", markup=False)


@app.command()
def history(
    record_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="A deal, entity or figure id.")] = None,
    db: DbOption = None,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """The paper trail: who changed what, when and why."""
    fmt = _fmt(as_json, as_csv)
    trail = dealweb.open(db).history(record_id=record_id)
    rows = [{"seq": c.seq, "when": c.changed_at.isoformat(timespec="seconds"), "by": c.changed_by,
             "type": c.record_type, "id": c.record_id, "action": c.action, "reason": c.reason,
             "changed": ", ".join(sorted(c.changes)) if c.action == "update" else ""} for c in trail]
    print_rows(rows, columns=["seq", "when", "by", "type", "id", "action", "reason", "changed"], fmt=fmt,
               table_columns=["when", "by", "id", "action", "changed"], empty="no history")


