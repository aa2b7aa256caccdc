"""CLI commands that move records between files and the ledger: import, export, validate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import dealweb
from dealweb.cli import app
from dealweb.cli.ledger_commands import DbOption, JsonFlag
from dealweb.cli.output import console, print_json
from dealweb.ledger.formats import FORMATS, read, write

_READABLE = sorted(name for name, f in FORMATS.items() if f.reader is not None)
_WRITABLE = sorted(FORMATS)

FilesArg = Annotated[list[Path], typer.Argument(metavar="FILE...", help="Files or a folder (CSV pair).", exists=True)]
FormatOption = Annotated[str | None, typer.Option("--format", "-f", help=f"One of {', '.join(_READABLE)} (default: by suffix).")]


@app.command("import")
def import_(
    files: FilesArg,
    fmt: FormatOption = None,
    db: DbOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    replace: Annotated[bool, typer.Option("--replace", help="Make the ledger hold exactly the file's records.")] = False,
    reason: Annotated[str, typer.Option(help="Why, for the history.")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Import records, all or nothing: any problem and nothing is written."""
    ledger = dealweb.open(db, load_bundled=False)
    records = read(files if len(files) > 1 else files[0], format=fmt, context=ledger.records())
    report = ledger.apply(records, mode="replace" if replace else "merge", dry_run=dry_run,
                          reason=reason or f"import {', '.join(f.name for f in files)}")
    if as_json:
        print_json(report.to_dict())
    else:
        console.print(str(report), markup=False)


@app.command()
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="File (or folder for csv) to write.")],
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help=f"One of {', '.join(_WRITABLE)} (default: by suffix).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Export the whole ledger."""
    if fmt is not None and fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(_WRITABLE)}", param_hint="--format")
    written = write(dealweb.open(db).records(), output, format=fmt)
    for path in written:
        console.print(f"wrote {path}", markup=False)


@app.command()
def validate(
    files: FilesArg,
    fmt: FormatOption = None,
    db: DbOption = None,
    standalone: Annotated[bool, typer.Option("--standalone", help="Check the file alone, not against the ledger.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Check files as an import would, without writing anything."""
    target = files if len(files) > 1 else files[0]
    if standalone:
        records = read(target, format=fmt)
        message = f"ok: {len(records.entities)} entities, {len(records.deals)} deals, {len(records.financials)} figures"
        report = None
    else:
        from dealweb.ledger import resolve_url, store_exists

        # Never write, not even by creating a missing database: a ledger that does not exist yet
        # (or is empty) is checked as `dealweb open` would make it, in memory.
        existing = dealweb.Ledger(db) if store_exists(resolve_url(db)) else None
        ledger = existing if existing is not None and not existing.is_empty() else dealweb.open(":memory:")
        records = read(target, format=fmt, context=ledger.records())
        report = ledger.apply(records, dry_run=True)
        message = f"ok: an import {report}"
    if as_json:
        print_json({"ok": True, "report": report.to_dict() if report else None})
    else:
        console.print(message, markup=False)


financials_app = typer.Typer(help="Financial figures: refresh them from SEC filings.", no_args_is_help=True)
app.add_typer(financials_app, name="financials")


@financials_app.command("import-sec")
def import_sec_command(
    files: Annotated[list[Path] | None, typer.Argument(metavar="FILE...", help="SEC XBRL company-facts JSON files.")] = None,
    fetch: Annotated[list[str] | None, typer.Option("--fetch", metavar="CIK", help="Download this company's facts from "
                                                    "data.sec.gov first (repeatable; needs internet).")] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="The entity the figures belong to (default: matched "
                                               "by CIK, ticker or name).")] = None,
    db: DbOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Import the latest cash, debt, revenue, backlog, capex and equity from SEC filings, all or nothing."""
    from dealweb.ledger.sec import fetch_company_facts, import_sec

    if not files and not fetch:
        raise typer.BadParameter("give company-facts FILEs or --fetch CIK", param_hint="FILE...")
    documents = [fetch_company_facts(cik) for cik in fetch or []]
    report = import_sec(dealweb.open(db), files or [], documents=documents, entity=entity, dry_run=dry_run,
                        reason="SEC XBRL company facts")
    if as_json:
        print_json(report.to_dict())
    else:
        console.print(str(report), markup=False)
