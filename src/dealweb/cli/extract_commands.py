"""CLI command ``dealweb extract``: candidate deals from an article, reviewed and imported.

Without ``--review`` or ``--accept-all`` it only lists what it found (nothing is written).
The library does the work: :func:`dealweb.extract.extract` and
:func:`dealweb.extract.import_candidates`; this module reads the file, asks the questions
and prints.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.prompt import Prompt

import dealweb
from dealweb.cli import app
from dealweb.cli.ledger_commands import DbOption, JsonFlag
from dealweb.cli.network_options import _date
from dealweb.cli.output import console, print_json, print_rows
from dealweb.extract import (
    Candidate,
    Extraction,
    FactCandidate,
    PartyRef,
    extract,
    import_candidates,
    pretick_note,
    same_deal,
    starts_ticked,
)
from dealweb.extract.accuracy import MEASURED, statement
from dealweb.extract.display import amount_text
from dealweb.ledger import Ledger
from dealweb.model.dates import PartialDate
from dealweb.model.records import Source
from dealweb.model.vocab import DealKind, Qualifier
from dealweb.network.headline import format_usd


def _read(file: str) -> bytes:
    if file == "-":
        return sys.stdin.buffer.read()
    path = Path(file)
    if not path.is_file():
        raise typer.BadParameter(f"no such file: {file}", param_hint="FILE")
    return path.read_bytes()


def _amount(c: Candidate) -> str:
    if c.amount is None:
        return "–"  # the qualifier column says "undiscl."; repeating it here cut the ids at 80 columns
    return amount_text(c.amount, c.currency, c.period)


def _deal_rows(x: Extraction, ledger: Ledger) -> list[dict[str, Any]]:
    deals = ledger.deal_records()
    rows = []
    for n, c in enumerate(x.deals, 1):
        twin = same_deal(c, deals)
        # A company the ledger does not hold is marked "*" (a footnote says so): one word, so at 80 columns the id
        # keeps its width instead of wrapping at " (new)" and squeezing the other ids mid-word.
        rows.append({"n": n, "payer": c.payer.id + ("" if c.payer.known else "*"),
                     "recipient": c.recipient.id + ("" if c.recipient.known else "*"), "kind": c.kind.value,
                     "amount": _amount(c), "qualifier": c.qualifier.value, "date": str(c.date or ""),
                     "confidence": f"{c.confidence:.2f}", "ledger": twin.id if twin else "new",
                     "evidence": c.evidence.sentence})
    return rows


def _fact_rows(x: Extraction) -> list[dict[str, Any]]:
    return [{"n": n, "entity": f.entity.id, "metric": f.metric.value,
             "value": f"{f.value}%" if f.metric.value == "stake_pct" else
             (format_usd(f.value) if f.currency in ("USD", "") else f"{f.value:,} {f.currency}"),
             "counterparty": f.counterparty.id if f.counterparty else "", "qualifier": f.qualifier.value,
             "date": str(f.date or ""), "evidence": f.evidence.sentence} for n, f in enumerate(x.facts, 1)]


def _evidence(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        text = r["evidence"] if len(r["evidence"]) <= 300 else r["evidence"][:297] + "..."
        console.print(f"  {r['n']}. {text}", markup=False, highlight=False, soft_wrap=True)


def _party(text: str, ledger: Ledger) -> PartyRef:
    from dealweb.extract.candidates import directory_for

    text = text.strip()
    known = {e.id: e for e in ledger.entity_records()}
    if text in known:
        return PartyRef(text, known[text].name, text)
    return directory_for(ledger).resolve_unknown(text)


def _edit(c: Candidate, ledger: Ledger) -> Candidate:
    payer = _party(Prompt.ask("  payer (entity id or name)", default=c.payer.id, console=console), ledger)
    recipient = _party(Prompt.ask("  recipient", default=c.recipient.id, console=console), ledger)
    kind = DealKind(Prompt.ask("  kind", choices=[k.value for k in DealKind], default=c.kind.value, console=console))
    while True:
        raw = Prompt.ask("  amount in the currency shown (blank = undisclosed)",
                         default="" if c.amount is None else format(c.amount, "f"), console=console).replace(",", "")
        try:
            amount = Decimal(raw) if raw.strip() else None
            break
        except InvalidOperation:
            console.print(f"  {escape(raw)!s} is not a number", markup=False)
    qualifier = Qualifier.UNDISCLOSED if amount is None else Qualifier(Prompt.ask(
        "  qualifier", choices=[q.value for q in Qualifier if q is not Qualifier.UNDISCLOSED],
        default=c.qualifier.value if c.qualifier is not Qualifier.UNDISCLOSED else "exact", console=console))
    while True:
        raw = Prompt.ask("  date (YYYY[-MM[-DD]])", default=str(c.date or ""), console=console)
        try:
            date = PartialDate.parse(raw) if raw.strip() else None
            break
        except ValueError as exc:
            console.print(f"  {exc}", markup=False)
    return replace(c, payer=payer, recipient=recipient, kind=kind, amount=amount, qualifier=qualifier, date=date)


def _review(x: Extraction, ledger: Ledger) -> tuple[list[Candidate], list[FactCandidate]]:
    deals: list[Candidate] = []
    facts: list[FactCandidate] = []
    rows = _deal_rows(x, ledger)
    console.print(pretick_note() + " Enter accepts those and rejects the rest.", markup=False)
    for c, row in zip(x.deals, rows, strict=True):
        payer, recipient = (p.id + ("" if p.known else " (new)") for p in (c.payer, c.recipient))
        console.print(f"\n[bold]Deal {row['n']}/{len(rows)}[/bold]  {escape(payer)} → {escape(recipient)}  "
                      f"{row['kind']}  {escape(row['amount'])} ({row['qualifier']})  {row['date']}  "
                      f"confidence {row['confidence']}")
        console.print(f"  evidence: {c.evidence.sentence}", markup=False, highlight=False)
        if row["ledger"] != "new":
            console.print(f"  same deal as {row['ledger']} in the ledger: accepting adds this article as its source",
                          markup=False)
        answer = Prompt.ask("  accept, edit, reject or quit", choices=["a", "e", "r", "q"],
                            default="a" if starts_ticked(c) else "r", console=console)
        if answer == "q":
            return deals, facts
        if answer == "e":
            c = _edit(c, ledger)
        if answer in ("a", "e"):
            deals.append(c)
    for f, frow in zip(x.facts, _fact_rows(x), strict=True):
        console.print(f"\n[bold]Figure {frow['n']}/{len(x.facts)}[/bold]  {escape(frow['entity'])} {frow['metric']} "
                      f"{escape(frow['value'])} {escape(frow['counterparty'])} ({frow['qualifier']}) {frow['date']}")
        console.print(f"  evidence: {f.evidence.sentence}", markup=False, highlight=False)
        answer = Prompt.ask("  accept, reject or quit", choices=["a", "r", "q"], default="a" if starts_ticked(f) else "r",
                            console=console)
        if answer == "q":
            break
        if answer == "a":
            facts.append(f)
    return deals, facts


def _evaluate(directory: str, split: str, show_misses: bool, as_json: bool) -> None:
    from dealweb.errors import FormatError
    from dealweb.extract.devset import evaluate_dir, format_report

    if split not in ("all", "tuning", "heldout"):
        raise typer.BadParameter("choose all, tuning or heldout", param_hint="--split")
    try:
        score = evaluate_dir(directory, split=split)
    except FormatError as exc:
        raise typer.BadParameter(str(exc), param_hint="--evaluate") from None
    if as_json:
        print_json({"directory": directory, "split": split, **score.to_dict()})
        return
    console.print(format_report(score, title=f"{directory} ({split})", misses=show_misses), markup=False,
                  highlight=False, soft_wrap=True)


@app.command("extract")
def extract_command(
    file: Annotated[str | None, typer.Argument(metavar="FILE|-",
                                               help="Article as text or saved HTML; '-' reads standard input.")] = None,
    evaluate: Annotated[str | None, typer.Option("--evaluate", metavar="DIR",
                                                 help="Score the extractor on a labelled set (DIR/paragraphs.json): "
                                                      "precision and recall per deal, field and kind, and the misses.")] = None,
    split: Annotated[str, typer.Option(help="With --evaluate: all, tuning (about 70% by id hash) or heldout.")] = "all",
    misses: Annotated[bool, typer.Option("--misses/--no-misses", help="With --evaluate: list the misses.")] = True,
    review: Annotated[bool, typer.Option("--review", help="Accept, edit or reject each candidate, then import.")] = False,
    accept_all: Annotated[bool, typer.Option("--accept-all", help="Import every candidate (for scripts).")] = False,
    title: Annotated[str, typer.Option(help="Article title (the source of imported deals).")] = "",
    outlet: Annotated[str, typer.Option(help="Publication, e.g. 'The Indian Express'.")] = "",
    published: Annotated[str | None, typer.Option(help="Publication date, YYYY[-MM[-DD]].", callback=_date)] = None,
    url: Annotated[str, typer.Option(help="Article URL (http or https).")] = "",
    db: DbOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what an import would change; write nothing.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Find candidate deals and figures in an article; review and import them with the article as source."""
    if evaluate is not None:
        _evaluate(evaluate, split, misses, as_json)
        return
    if file is None:
        raise typer.BadParameter("give an article file, '-' for standard input, or --evaluate DIR", param_hint="FILE")
    if review and accept_all:
        raise typer.BadParameter("choose one of --review and --accept-all", param_hint="--review/--accept-all")
    try:
        source = Source(outlet=outlet.strip(), title=title.strip(), date=PartialDate.parse(published) if published else None,
                        url=url.strip())
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--url") from None
    raw = _read(file)
    ledger = dealweb.open(db)
    x = extract(raw, ledger=ledger, published=published)
    if source.is_empty() and x.article.text:
        # No title, outlet or URL given: the article is named by its own title or first line.
        source = replace(source, title=x.source_title())
    if not (review or accept_all):
        if as_json:
            print_json({**x.to_dict(), "same_as": [None if r["ledger"] == "new" else r["ledger"]
                                                   for r in _deal_rows(x, ledger)],
                        "ticked": [starts_ticked(c) for c in x.deals],
                        "accuracy": {**MEASURED.to_dict(), "statement": statement(), "pretick": pretick_note()}})
            return
        rows = _deal_rows(x, ledger)
        columns = ["n", "payer", "recipient", "kind", "amount", "qualifier", "date", "confidence", "ledger"]
        title = f"{len(x.deals)} candidate deals (ledger: the same deal already held, or new)"
        if len({r["date"] for r in rows}) == 1 and rows[0]["date"]:
            # One date for every row goes in the title: nine columns do not fit 80 without cutting ids.
            columns.remove("date")
            title = f"{len(x.deals)} candidate deals dated {rows[0]['date']} (ledger: the same deal already held, or new)"
        print_rows(rows, title=title, columns=columns, empty="no candidate deals found")
        if any(not (c.payer.known and c.recipient.known) for c in x.deals):
            console.print("  * a company the ledger does not hold yet; importing the deal adds it", markup=False)
        if x.deals:
            console.print(statement(), markup=False)
            console.print(pretick_note() + " With --review, Enter accepts those and rejects the rest.", markup=False)
        _evidence(rows)
        fact_rows = _fact_rows(x)
        print_rows(fact_rows, title=f"{len(x.facts)} candidate figures",
                   columns=["n", "entity", "metric", "value", "counterparty", "qualifier", "date"],
                   empty="no candidate figures found")
        _evidence(fact_rows)
        return
    if published is None:
        import datetime as dt

        today = dt.datetime.now(dt.UTC).date().isoformat()
        x, changed = x.dated(PartialDate.parse(today))
        if changed:
            typer.echo(f"note: no --published date and none in the text; {changed} candidate(s) dated {today}, "
                       "the day of import", err=True)
    deals, facts = _review(x, ledger) if review else (x.deals, x.facts)
    if not deals and not facts:
        if as_json:
            print_json({"planned": [], "new_entities": [], "report": None, "summary": "nothing accepted"})
        else:
            console.print("nothing accepted; nothing written", markup=False)
        return
    result = import_candidates(ledger, deals, facts, source=source, dry_run=dry_run)
    if as_json:
        print_json(result.to_dict())
        return
    for p in result.plan.planned:
        what = "new" if p.action == "new" else "same deal, source added" if isinstance(p.candidate, Candidate) \
            else "same figure, source added"
        if isinstance(p.candidate, Candidate):
            c = p.candidate
            console.print(f"{p.record.id}: {c.payer.id} → {c.recipient.id} {c.kind.value} {_amount(c)} — {what}",
                          markup=False)
        else:
            console.print(f"{p.record.id}: {p.candidate.entity.id} {p.candidate.metric.value} — {what}", markup=False)
    for e in result.plan.new_entities:
        console.print(f"new entity {e.id} ({e.name})", markup=False)
    console.print(str(result.report), markup=False)
