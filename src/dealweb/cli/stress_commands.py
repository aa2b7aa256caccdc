"""``dealweb stress``: run a scenario (or make one company fail), tell the story, show the losses."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

import dealweb
from dealweb.cli import app
from dealweb.cli.ledger_commands import CsvFlag, DbOption, JsonFlag, _fmt
from dealweb.cli.output import console, frame_rows, print_json, print_rows
from dealweb.errors import Problem, ValidationError
from dealweb.network.summary import format_usd
from dealweb.stress import MODELS, list_scenarios, monte_carlo, reverse_stress, scenario_from_request, stress
from dealweb.stress.scenario import Scenario

_MODEL_HELP = f"Model: {', '.join(MODELS)} (default: the scenario's, else eisenberg_noe)."


def _usd(value: Any) -> str:
    return "" if value is None else format_usd(value)


def _pct(value: Any) -> str:
    return "" if value is None else f"{value:.0%}"


def _assumption_pairs(values: list[str] | None) -> dict[str, Any]:
    """``name=value`` pairs from ``--assume``; numbers become floats."""
    out: dict[str, Any] = {}
    for item in values or []:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            raise ValidationError([Problem("--assume", item, "name_value", "write NAME=VALUE, e.g. --assume recovery=0.4")])
        try:
            out[name.strip()] = float(raw)
        except ValueError:
            out[name.strip()] = raw.strip()
    return out


TargetArg = Annotated[str | None, typer.Argument(
    help="Shipped scenario name, scenario .yaml/.json file, or an entity id (it fails).")]
HorizonOpt = Annotated[str | None, typer.Option(
    "--horizon", help="Horizon: years, or like 12m, 2y (default: the scenario's, else 12m).")]
PaysOpt = Annotated[float | None, typer.Option(
    "--pays", min=0.0, max=1.0, help="With an entity: it pays only this share instead of failing.")]
AssumeOpt = Annotated[list[str] | None, typer.Option(
    "--assume", help="Change an assumption, NAME=VALUE (repeatable), e.g. recovery=0.4.")]
ReverseOpt = Annotated[str | None, typer.Option(
    "--reverse", help="Reverse stress test: the smallest shock to TARGET (an entity) that makes this company fail.")]
ByOpt = Annotated[str, typer.Option("--by", help="Reverse stress test: shock kind, 'pays' or 'outside_means'.")]
PlotOpt = Annotated[Path | None, typer.Option(
    "--plot", help="Monte Carlo: save box plots of the loss distributions (PNG/SVG/PDF).")]


@app.command(name="stress")
def stress_command(
    target: TargetArg = None,
    db: DbOption = None,
    model: Annotated[str | None, typer.Option("--model", help=_MODEL_HELP)] = None,
    horizon: HorizonOpt = None,
    pays: PaysOpt = None,
    assume: AssumeOpt = None,
    runs: Annotated[int | None, typer.Option("--runs", min=1, help="Monte Carlo: number of draws.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Monte Carlo: random seed.")] = 0,
    reverse: ReverseOpt = None,
    by: ByOpt = "pays",
    plot: PlotOpt = None,
    show_list: Annotated[bool, typer.Option("--list", help="List the shipped scenarios and exit.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="Companies to show in the loss table.")] = 15,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """Stress-test the web: who loses how much, who fails, in which round, and through whom."""
    fmt = _fmt(as_json, as_csv)
    if show_list:
        rows = [{"name": s.name, "model": s.model, "horizon_years": s.horizon_years, "title": s.title}
                for s in list_scenarios()]
        print_rows(rows, columns=["name", "model", "horizon_years", "title"], fmt=fmt, title="Shipped scenarios")
        return
    if target is None:
        raise typer.BadParameter("give a scenario name, a scenario file or an entity id (or --list)", param_hint="TARGET")
    if plot is not None and runs is None:
        raise typer.BadParameter("--plot draws Monte Carlo distributions: add --runs N", param_hint="--plot")
    if plot is not None and plot.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise typer.BadParameter("the plot file must end in .png, .svg or .pdf", param_hint="--plot")
    assumptions = _assumption_pairs(assume)
    ledger = dealweb.open(db)
    if reverse is not None:
        _reverse(ledger, target, reverse, pays, by, assumptions, horizon, fmt)
        return
    records = ledger.records()
    scenario = scenario_from_request(records, target=target, pays=pays, model=model, horizon=horizon,
                                     assumptions=assumptions, allow_files=True, where="stress")
    if runs is not None:
        mc = monte_carlo(records, scenario, runs=runs, seed=seed)
        if plot is not None:
            mc.plot(plot)
        if fmt == "json":
            print_json(mc.to_dict())
            return
        frame = mc.to_frame()
        frame = frame.head(limit) if fmt == "table" else frame
        rows = frame_rows(frame)
        if fmt == "csv":
            print_rows(rows, columns=list(frame.columns), fmt="csv")
            return
        head = mc.headline()
        console.print(f"[bold]{scenario.title or scenario.name}[/bold]: {mc.runs} runs, seed {mc.seed}", markup=True)
        console.print(f"Total loss: mean {_usd(head['total_loss_mean'])}, 5–95%: {_usd(head['total_loss_p05'])} – "
                      f"{_usd(head['total_loss_p95'])}; runs with a new failure: {head['p_any_new_failure']:.1%}", markup=False)
        print_rows(rows, columns=list(frame.columns),
                   table_columns=["id", "mean_loss", "loss_p05", "loss_p50", "loss_p95", "p_fail", "p_new_failure"],
                   formatters={"mean_loss": _usd, "loss_p05": _usd, "loss_p50": _usd, "loss_p95": _usd,
                               "p_fail": _pct, "p_new_failure": _pct})
        if plot is not None:
            console.print(f"Wrote {plot}", markup=False)
        return
    result = stress(records, scenario)
    if fmt == "json":
        print_json(result.to_dict())
        return
    frame = result.to_frame()
    rows = frame_rows(frame.head(limit) if fmt == "table" else frame)
    if fmt == "csv":
        print_rows(rows, columns=list(frame.columns), fmt="csv")
        return
    console.print(f"[bold]{escape_title(scenario)}[/bold]")
    for line in result.story():
        console.print(line, markup=False)
    print_rows(rows, columns=list(frame.columns),
               table_columns=["id", "baseline_shortfall", "loss", "relative_loss", "status", "via"],
               formatters={"baseline_shortfall": _usd, "loss": _usd, "relative_loss": _pct})
    missing = len(result.missing)
    if missing:
        console.print(f"{missing} figures missing, with fallbacks (see --json 'missing' or docs/stress.md); "
                      f"assumptions: horizon {result.scenario.horizon_years * 12:g} months, "
                      f"no_figures={result.scenario.assumptions.no_figures}.", markup=False)


def escape_title(scenario: Scenario) -> str:
    from rich.markup import escape

    return escape(scenario.title or scenario.name)


def _reverse(ledger: Any, shocked: str, target: str, pays: float | None, kind: str, overrides: dict[str, Any],
             horizon: str | None, fmt: str) -> None:
    if pays is not None:
        raise ValidationError([Problem("--pays", "", "not_with_reverse",
                                       "--reverse searches the shock size itself; drop --pays")])
    if kind not in ("pays", "outside_means"):
        raise typer.BadParameter("must be 'pays' or 'outside_means'", param_hint="--by")
    if horizon is not None:
        overrides["horizon_years"] = horizon
    from dealweb.contagion.assumptions import Assumptions

    try:
        assumptions = Assumptions().evolve(**overrides)
    except ValueError as exc:
        raise ValidationError([Problem("--assume", "", "assumption", str(exc))]) from exc
    result = reverse_stress(ledger.records(), shocked, target, kind=kind, assumptions=assumptions)  # type: ignore[arg-type]
    if fmt == "json":
        print_json(result.to_dict())
        return
    if fmt == "csv":
        data = result.to_dict()
        print_rows([data], columns=[c for c in data if c != "assumptions"], fmt="csv")
        return
    console.print(result.sentence(), markup=False)
