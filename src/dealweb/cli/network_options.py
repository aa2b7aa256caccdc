"""Flags every analysis command shares: which web to project, as of when, counted how."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import typer

import dealweb
from dealweb.cli.ledger_commands import _date
from dealweb.cli.output import console
from dealweb.model.recordset import RecordSet
from dealweb.model.vocab import Confidence, DealKind, Status
from dealweb.network import Network, network
from dealweb.summary import format_usd

__all__ = [
    "AmountPolicyOpt",
    "AsOfOpt",
    "ConfidenceOpt",
    "EstimateOpt",
    "KindOpt",
    "Projection",
    "StatusOpt",
    "UpToOpt",
    "describe",
    "project",
]


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
EstimateOpt = Annotated[float, typer.Option("--estimate-fraction", help="Share of estimates that counts.",
                                            callback=_fraction)]


@dataclass(frozen=True)
class Projection:
    records: RecordSet
    net: Network


def project(db: str | None, *, as_of: str | None, kind: list[DealKind] | None, status: list[Status] | None,
            min_confidence: Confidence | None, amount_policy: str, up_to: float, estimate: float) -> Projection:
    """Open the ledger and project it with the shared flags."""
    if amount_policy.lower() not in ("face", "low", "high"):
        raise typer.BadParameter(f"{amount_policy!r} is not one of face, low, high", param_hint="--amount-policy")
    records = dealweb.open(db).records()
    kwargs: dict[str, Any] = {"as_of": as_of, "min_confidence": min_confidence, "amount_policy": amount_policy,
                              "up_to": up_to, "estimate": estimate}
    if kind:
        kwargs["kinds"] = kind
    if status:
        kwargs["statuses"] = status
    return Projection(records, network(records, **kwargs))


def describe(net: Network) -> None:
    """One line saying what the numbers below were computed from."""
    p = net.params
    console.print(f"Web as of {p.get('as_of') or 'today'}: {net.n_edges} deals with amounts, "
                  f"{format_usd(net.gross)} gross; {len(net.undisclosed)} deals without a disclosed amount "
                  f"are not in the numbers; amounts: {_BOUND[p['amount_policy']['bound']]}"
                  f"{'' if p['amount_policy']['up_to'] == 1 else ', up to ×' + str(p['amount_policy']['up_to'])}"
                  f"{'' if p['amount_policy']['estimate'] == 1 else ', estimates ×' + str(p['amount_policy']['estimate'])}.",
                  markup=False)
