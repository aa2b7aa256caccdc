"""CLI commands over the projection: cycles, circularity, company-risk, timeline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

import dealweb
from dealweb.circularity.cycles import find_cycles
from dealweb.circularity.report import circularity_report, company_risk
from dealweb.circularity.roundtrips import round_trips
from dealweb.circularity.timeline import timeline
from dealweb.cli import app
from dealweb.cli.ledger_commands import CsvFlag, DbOption, JsonFlag, _fmt, _note_outdated, _print_summary
from dealweb.cli.network_options import (
    AmountPolicyOpt,
    AsOfOpt,
    BasisOpt,
    ConfidenceOpt,
    EstimateOpt,
    KindOpt,
    StatusOpt,
    UpToOpt,
    _date,
    describe,
    project,
)
from dealweb.cli.output import console, frame_rows, print_json, print_rows
from dealweb.network import network
from dealweb.network.headline import format_usd
from dealweb.network.summary import summarize

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
    basis: BasisOpt = "committed",
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
                amount_policy=amount_policy, up_to=up_to_fraction, estimate=estimate_fraction,
                basis=basis)
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


def _percent(value: object) -> str:
    return "" if value is None or value != value else f"{float(value):.0%}"  # type: ignore[arg-type]


def _ratio(value: object) -> str:
    return "" if value is None or value != value else f"{float(value):.2f}×"  # type: ignore[arg-type]


def _certified(gap: object) -> str:
    """How exact the circular volume is: the solver's certified gap, in words."""
    if not isinstance(gap, float) or gap != gap:
        return "no bound"
    return "exact" if gap == 0 else f"certified within {format_usd(gap)}"


def print_circularity_headline(head: dict[str, object]) -> None:
    """The circularity numbers worth quoting, in words (also used by `dealweb run`)."""
    volume = head["volume"]
    console.print(f"Gross flows: {volume['sentence']}.", markup=False)  # type: ignore[index]
    console.print(
        f"Circular money: {format_usd(head['circular_volume'])} of {format_usd(head['gross_volume'])} "  # type: ignore[arg-type]
        f"{head['basis']} gross could be settled by netting round loops: circularity index "
        f"{head['circularity_index']:.1%} (maximum circulation / gross; "
        f"{_certified(head.get('circular_volume_gap_bound'))}).", markup=False)
    console.print(
        f"{head['cycles']} loops of up to 6 deals; largest {head['largest_cycle']} "
        f"(bottleneck {format_usd(head['largest_cycle_bottleneck'])}); {head['round_trips']} round trips "  # type: ignore[arg-type]
        f"(A funds B, B buys from A) recycling at most {format_usd(head['round_trip_recycled'])}.",  # type: ignore[arg-type]
        markup=False)
    console.print(f"Finn cycling index {head['finn_cycling_index']:.3f} (upper bound); Hodge loop share "
                  f"{head['loop_share']:.2f}; most upstream: {', '.join(head['most_upstream'])}.",  # type: ignore[arg-type]
                  markup=False)


@app.command()
def run(db: DbOption = None) -> None:
    """The main job: open (and if empty, fill) the ledger, print its summary and how circular it is."""
    from dealweb.ledger.bundled import bundled_status

    ledger = dealweb.open(db)
    console.print(f"Ledger: {ledger.url}", markup=False)
    _note_outdated(bundled_status(ledger))
    records = ledger.records()
    _print_summary(summarize(records), title="The deal web")
    console.print()
    console.print("[bold]How circular is it?[/bold]")
    print_circularity_headline(circularity_report(network(records), records).headline())
    console.print("More: dealweb cycles, dealweb circularity, dealweb company-risk ID, dealweb timeline --plot t.png",
                  markup=False)
    console.print()
    from dealweb.stress import largest_node_stress

    result = largest_node_stress(records)
    who = escape(result.scenario.title.removesuffix(" fails"))
    console.print(f"[bold]Stress: what if {who}, which owes the web most over the next 12 months, fails?[/bold]")
    for line in result.story()[1:]:
        if not line.startswith("Note:"):
            console.print(line, markup=False)
    console.print("More: dealweb stress --list, dealweb stress SCENARIO [--runs 10000], docs/stress.md", markup=False)


@app.command()
def circularity(
    db: DbOption = None,
    as_of: AsOfOpt = None,
    kind: KindOpt = None,
    status: StatusOpt = None,
    min_confidence: ConfidenceOpt = None,
    amount_policy: AmountPolicyOpt = "face",
    up_to_fraction: UpToOpt = 1.0,
    estimate_fraction: EstimateOpt = 1.0,
    basis: BasisOpt = "committed",
    max_length: MaxLengthOpt = 6,
    limit: Annotated[int, typer.Option(min=1, help="Companies to show in the table.")] = 15,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """How circular the web is: the headline measures and a per-company table."""
    fmt = _fmt(as_json, as_csv)
    p = project(db, as_of=as_of, kind=kind, status=status, min_confidence=min_confidence,
                amount_policy=amount_policy, up_to=up_to_fraction, estimate=estimate_fraction,
                basis=basis)
    report = circularity_report(p.net, p.records, max_length=max_length)
    frame = report.to_frame().reset_index()
    if fmt == "json":
        print_json(report.to_dict())
        return
    rows = frame_rows(frame)
    if fmt == "csv":
        print_rows(rows, columns=list(frame.columns), fmt="csv")
        return
    describe(p.net)
    print_circularity_headline(report.headline())
    top = sorted(rows, key=lambda r: -(r["inflow"] or 0))[:limit]
    console.print("circular: share of inflows on loops (max circulation); vf direct / vf cycles: share of inflows "
                  "from companies it funds, directly / round loops (upper bound); top cust.: largest customer's "
                  "share of its backlog.", markup=False)
    print_rows(top, columns=list(frame.columns), title="Companies by money received",
               table_columns=["id", "inflow", "circular_share_of_inflow", "vendor_financed_direct", "vendor_financed_k",
                              "top_customer_share"],
               formatters={"inflow": format_usd, "circular_share_of_inflow": _percent,
                           "vendor_financed_direct": _percent, "vendor_financed_k": _percent,
                           "top_customer_share": _percent})


@app.command("company-risk")
def company_risk_command(
    entity_id: Annotated[str, typer.Argument(metavar="ID", help="Entity id, e.g. oracle.")],
    db: DbOption = None,
    as_of: AsOfOpt = None,
    kind: KindOpt = None,
    status: StatusOpt = None,
    min_confidence: ConfidenceOpt = None,
    amount_policy: AmountPolicyOpt = "face",
    up_to_fraction: UpToOpt = 1.0,
    estimate_fraction: EstimateOpt = 1.0,
    basis: BasisOpt = "committed",
    max_length: MaxLengthOpt = 6,
    as_json: JsonFlag = False,
) -> None:
    """One company: how much of its money comes back round, concentration, commitments vs means."""
    p = project(db, as_of=as_of, kind=kind, status=status, min_confidence=min_confidence,
                amount_policy=amount_policy, up_to=up_to_fraction, estimate=estimate_fraction,
                basis=basis)
    risk = company_risk(circularity_report(p.net, p.records, max_length=max_length, top_cycles=10_000), entity_id)
    if as_json:
        print_json({"headline": risk.headline(), "measures": risk.measures, "cycles": frame_rows(risk.cycles),
                    "round_trips": frame_rows(risk.round_trips), "network_params": risk.network_params,
                    "undisclosed": list(risk.undisclosed)})
        return
    describe(p.net)
    m = risk.measures
    console.print(f"{risk.name} ({entity_id}): receives {format_usd(m['inflow'])}, pays {format_usd(m['outflow'])}, "
                  f"net {format_usd(m['net_position'])}.", markup=False)
    lines = [
        ("share of inflows that can go round a loop (max circulation)", _percent(m["circular_share_of_inflow"])),
        ("vendor-financed share of inflows, direct", _percent(m["vendor_financed_direct"])),
        (f"vendor-financed share, round cycles up to {max_length} (upper bound)", _percent(m["vendor_financed_k"])),
        ("largest customer's share of backlog", _percent(m["top_customer_share"])),
        ("customer concentration (HHI)", "" if m["customer_hhi"] != m["customer_hhi"] else f"{m['customer_hhi']:.2f}"),
        ("annual purchase commitments", format_usd(m["commitments_annual"])),
        ("commitments / revenue", _ratio(m["commitments_to_revenue"])),
        ("commitments / cash", _ratio(m["commitments_to_cash"])),
        ("commitments / funding received", _ratio(m["commitments_to_funding"])),
    ]
    print_rows([{"measure": k, "value": v or "—"} for k, v in lines], columns=["measure", "value"])
    if m["missing"]:
        console.print(f"No {m['missing']} figure in the ledger: those ratios are left empty.", markup=False)
    print_rows(frame_rows(risk.cycles.head(10)), columns=list(risk.cycles.columns), title="Loops through it",
               table_columns=["path", "bottleneck"], formatters={"bottleneck": format_usd}, empty="on no loop")
    print_rows(frame_rows(risk.round_trips), columns=list(risk.round_trips.columns), title="Round trips",
               table_columns=["funder", "recipient", "recycled", "gap_days"], formatters={"recycled": format_usd},
               empty="in no round trip")


@app.command("timeline")
def timeline_command(
    db: DbOption = None,
    start: Annotated[str | None, typer.Option(help="First quarter (YYYY[-MM]).", callback=_date)] = None,
    end: Annotated[str | None, typer.Option(help="Last quarter (YYYY[-MM]).", callback=_date)] = None,
    kind: KindOpt = None,
    status: StatusOpt = None,
    min_confidence: ConfidenceOpt = None,
    amount_policy: AmountPolicyOpt = "face",
    up_to_fraction: UpToOpt = 1.0,
    estimate_fraction: EstimateOpt = 1.0,
    basis: BasisOpt = "committed",
    plot: Annotated[Path | None, typer.Option("--plot", help="Also draw the timeline to this .png or .svg.")] = None,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """Circularity as of each quarter end: watch the loops grow."""
    fmt = _fmt(as_json, as_csv)
    if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
        raise typer.BadParameter(f"{plot.name} is not a .png or .svg file", param_hint="--plot")
    p = project(db, as_of=None, kind=kind, status=status, min_confidence=min_confidence,
                amount_policy=amount_policy, up_to=up_to_fraction, estimate=estimate_fraction,
                basis=basis)
    options: dict[str, Any] = {k: v for k, v in p.net.params.items() if k in ("min_confidence",)}
    options.update(amount_policy=amount_policy, up_to=up_to_fraction, estimate=estimate_fraction,
                basis=basis)
    if kind:
        options["kinds"] = kind
    if status:
        options["statuses"] = status
    result = timeline(p.records, start=start, end=end, **options)
    frame = result.to_frame()
    if plot is not None:
        result.plot(plot)
    if fmt == "json":
        print_json(result.to_dict())
        return
    rows = frame_rows(frame)
    if fmt == "csv":
        print_rows(rows, columns=list(frame.columns), fmt="csv")
    else:
        print_rows(rows, columns=list(frame.columns),
                   table_columns=["as_of", "deals", "gross_volume", "circular_volume", "circularity_index", "cycles"],
                   formatters={"gross_volume": format_usd, "circular_volume": format_usd,
                               "circularity_index": _percent})
    if plot is not None and fmt == "table":
        console.print(f"wrote {plot}", markup=False)

