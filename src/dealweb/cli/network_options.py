"""Flags every analysis command shares: which web to project, as of when, counted how."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer

import dealweb
from dealweb.cli.output import console
from dealweb.errors import ValidationError
from dealweb.model.dates import PartialDate
from dealweb.model.recordset import RecordSet
from dealweb.model.vocab import Confidence, DealKind, Status
from dealweb.network import Network
from dealweb.network.headline import format_usd
from dealweb.network.spec import ProjectionSpec

__all__ = [
    "AmountPolicyOpt",
    "AsOfOpt",
    "BasisOpt",
    "ConfidenceOpt",
    "EstimateOpt",
    "KindOpt",
    "Projection",
    "StatusOpt",
    "UpToOpt",
    "describe",
    "project",
    "spec_from_flags",
]


def _date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return str(PartialDate.parse(value))
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


_BOUND = {"amount": "as stated", "low": "low end of ranges", "high": "high end of ranges"}


def _fraction(value: float) -> float:
    if not 0 <= value <= 1:
        raise typer.BadParameter(f"{value} is not a fraction between 0 and 1")
    return value


AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="The web as it stood on this date, YYYY[-MM[-DD]].",
                                             callback=_date)]
KindOpt = Annotated[list[DealKind] | None, typer.Option("--kind", "-k", help="Deal kinds to include (repeatable; "
                                                        "default: all but backstops).")]
StatusOpt = Annotated[list[Status] | None, typer.Option("--status", help="Statuses that count (repeatable; "
                                                        "default: announced, signed, closed).")]
ConfidenceOpt = Annotated[Confidence | None, typer.Option("--min-confidence", help="Leave out less well sourced deals.")]
AmountPolicyOpt = Annotated[str, typer.Option("--amount-policy", help="face, low or high: which number stands for "
                                              "each deal.")]
UpToOpt = Annotated[float, typer.Option("--up-to-fraction", help="Share of 'up to' ceilings that counts.",
                                        callback=_fraction)]
BasisOpt = Annotated[str, typer.Option("--basis", help="Counting basis: committed (binding cash, default), face "
                                       "(as announced) or paid (moved by the as-of date).")]
EstimateOpt = Annotated[float, typer.Option("--estimate-fraction", help="Share of estimates that counts.",
                                            callback=_fraction)]


@dataclass(frozen=True)
class Projection:
    records: RecordSet
    net: Network


_FLAGS = {"as_of": "--as-of", "kind": "--kind", "status": "--status", "min_confidence": "--min-confidence",
          "amount_policy": "--amount-policy", "up_to": "--up-to-fraction", "estimate": "--estimate-fraction",
          "basis": "--basis"}


def spec_from_flags(*, as_of: str | None, kind: list[DealKind] | None, status: list[Status] | None,
                    min_confidence: Confidence | None, amount_policy: str, up_to: float, estimate: float,
                    basis: str = "committed") -> ProjectionSpec:
    """The shared projection request from the flags; a bad value names its flag."""
    try:
        return ProjectionSpec.parse(as_of=as_of, kinds=kind, statuses=status, min_confidence=min_confidence,
                                    amount_policy=amount_policy, up_to=up_to, estimate=estimate, basis=basis)
    except ValidationError as exc:
        first = exc.problems[0]
        raise typer.BadParameter(first.message, param_hint=_FLAGS.get(first.field, first.field)) from None


def project(db: str | None, *, as_of: str | None, kind: list[DealKind] | None, status: list[Status] | None,
            min_confidence: Confidence | None, amount_policy: str, up_to: float, estimate: float,
            basis: str = "committed") -> Projection:
    """Open the ledger and project it with the shared flags."""
    spec = spec_from_flags(as_of=as_of, kind=kind, status=status, min_confidence=min_confidence,
                           amount_policy=amount_policy, up_to=up_to, estimate=estimate, basis=basis)
    records = dealweb.open(db).records()
    return Projection(records, spec.project(records))


def describe(net: Network) -> None:
    """One line saying what the numbers below were computed from."""
    p = net.params
    dates = [str(d) for d in net.edge_dates] if net.edge_dates is not None else []
    as_of = p.get("as_of") or (f"{max(dates)} (newest deal with an amount)" if dates else "today")
    console.print(f"Web as of {as_of}: {net.n_edges} deals with amounts, "
                  f"{format_usd(net.gross)} {p.get('basis', 'committed')}"
                  f"{'' if p.get('basis') == 'face' else ' · ' + format_usd(p.get('face_usd')) + ' at face'} gross; "
                  f"{len(net.undisclosed)} deals without a disclosed amount "
                  f"are not in the numbers; amounts: {_BOUND[p['amount_policy']['bound']]}"
                  f"{'' if p['amount_policy']['up_to'] == 1 else ', up to ×' + str(p['amount_policy']['up_to'])}"
                  f"{'' if p['amount_policy']['estimate'] == 1 else ', estimates ×' + str(p['amount_policy']['estimate'])}.",
                  markup=False)
