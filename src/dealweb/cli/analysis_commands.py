"""CLI commands over the projection: cycles, circularity, company-risk, timeline."""

from __future__ import annotations

from typing import Annotated

import typer

from dealweb.circularity.cycles import find_cycles
from dealweb.circularity.roundtrips import round_trips
from dealweb.cli import app
from dealweb.cli.ledger_commands import CsvFlag, DbOption, JsonFlag, _fmt
from dealweb.cli.network_options import (
    AmountPolicyOpt,
    AsOfOpt,
    ConfidenceOpt,
    EstimateOpt,
    KindOpt,
    StatusOpt,
    UpToOpt,
    describe,
    project,
)
from dealweb.cli.output import console, frame_rows, print_json, print_rows
from dealweb.summary import format_usd

MaxLengthOpt = Annotated[int, typer.Option("--max-length", min=2, max=12, help="Longest cycle, in deals.")]


@app.command()
def cycles(
    db: DbOption = None,
    as_of: AsOfOpt = None,
    kind: KindOpt = None,
    status: StatusOpt = None,
    min_confidence: ConfidenceOpt = None,
    amount_policy: AmountPolicyOpt = "face",
    up_to_fraction: UpToOpt = 1.0,
    estimate_fraction: EstimateOpt = 1.0,
    max_length: MaxLengthOpt = 6,
    min_bottleneck: Annotated[float, typer.Option("--min-bottleneck", min=0, help="Smallest bottleneck, USD.")] = 0.0,
    limit: Annotated[int, typer.Option(min=1, help="Show the largest this many.")] = 20,
    trips: Annotated[bool, typer.Option("--round-trips", help="List round trips (A funds B, B buys from A) instead.")] = False,
    window_days: Annotated[int, typer.Option("--window-days", min=0, help="Round trips: most days between the two deals.")] = 365,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """Loops of money: simple cycles ranked by bottleneck, or round trips."""
    fmt = _fmt(as_json, as_csv)
    p = project(db, as_of=as_of, kind=kind, status=status, min_confidence=min_confidence,
                amount_policy=amount_policy, up_to=up_to_fraction, estimate=estimate_fraction)
    result = (round_trips(p.net, window_days=window_days) if trips
              else find_cycles(p.net, max_length=max_length, min_bottleneck=min_bottleneck, limit=limit))
    if fmt == "json":
        print_json(result.to_dict())
        return
    frame = result.to_frame()
    if trips:
        frame = frame.head(limit)
    rows = frame_rows(frame)
    if fmt == "csv":
        print_rows(rows, columns=list(frame.columns), fmt="csv")
        return
    describe(p.net)
    head = result.headline()
    if trips:
        console.print(f"{head['round_trips']} round trips within {window_days} days; "
                      f"recycled at most {format_usd(head['recycled_total'])} in total.", markup=False)
        print_rows(rows, columns=list(frame.columns), table_columns=["funder", "recipient", "recycled", "gap_days",
                                                                     "funding_deals", "purchase_deals"],
                   formatters={"recycled": format_usd})
        return
    by_length = ", ".join(f"{n} of length {k}" for k, n in head["by_length"].items())
    console.print(f"{head['cycles']} cycles of up to {max_length} deals ({by_length or 'none'}); "
                  f"showing the {len(rows)} with the largest bottleneck. Cycles share deals, so bottlenecks do not "
                  "add up: see `dealweb circularity` for the netted total.", markup=False)
    print_rows(rows, columns=list(frame.columns), table_columns=["rank", "path", "bottleneck", "deal_ids"],
               formatters={"bottleneck": format_usd})
