"""The projection filters every network-based route shares, read from the query string.

``as_of`` (``YYYY[-MM[-DD]]``), ``kind`` and ``status`` (repeatable), ``min_confidence``,
``amount_policy`` (``face``/``low``/``high``), ``up_to`` and ``estimate`` (fractions 0–1):
the same knobs as the CLI's ``--as-of``, ``--kind``, ``--status``, ``--min-confidence``,
``--amount-policy``, ``--up-to-fraction`` and ``--estimate-fraction``, passed to
:func:`dealweb.project` unchanged.

>>> f = NetworkFilters(as_of="2025-06", kinds=("debt",))
>>> net = f.project(__import__("dealweb").bundled_records())
>>> net.params["as_of"], net.params["kinds"]
('2025-06-30', ['debt'])
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import Annotated, Any, Literal

from fastapi import Query

from dealweb.errors import Problem, ValidationError
from dealweb.model.dates import PartialDate
from dealweb.model.recordset import RecordSet
from dealweb.model.vocab import Confidence, DealKind, Status
from dealweb.network import Network, network

__all__ = ["NetworkFilters", "network_filters", "parse_date"]


@dataclass(frozen=True)
class NetworkFilters:
    """Arguments of one projection; ``None`` kinds/statuses mean the projection's defaults."""

    as_of: str | None = None
    kinds: tuple[str, ...] | None = None
    statuses: tuple[str, ...] | None = None
    min_confidence: str | None = None
    amount_policy: str = "face"
    up_to: float = 1.0
    estimate: float = 1.0

    def key(self) -> tuple[Any, ...]:
        return astuple(self)

    def project(self, records: RecordSet) -> Network:
        kwargs: dict[str, Any] = {"as_of": self.as_of, "min_confidence": self.min_confidence,
                                  "amount_policy": self.amount_policy, "up_to": self.up_to, "estimate": self.estimate}
        if self.kinds is not None:
            kwargs["kinds"] = self.kinds
        if self.statuses is not None:
            kwargs["statuses"] = self.statuses
        return network(records, **kwargs)


def parse_date(value: str | None, field: str) -> str | None:
    """A partial date in canonical form, or a validation problem naming the query field."""
    if value is None or not value.strip():
        return None
    try:
        return str(PartialDate.parse(value.strip()))
    except ValueError as exc:
        raise ValidationError([Problem("query", field, "date", str(exc))]) from None


async def network_filters(
    as_of: Annotated[str | None, Query(description="The web as it stood on this date, YYYY[-MM[-DD]].",
                                       max_length=10)] = None,
    kind: Annotated[list[DealKind] | None, Query(description="Deal kinds to include (repeatable; default: all "
                                                 "but backstops).")] = None,
    status: Annotated[list[Status] | None, Query(description="Statuses that count (repeatable; default: "
                                                 "announced, signed, closed).")] = None,
    min_confidence: Annotated[Confidence | None, Query(description="Leave out less well sourced deals.")] = None,
    amount_policy: Annotated[Literal["face", "low", "high"], Query(description="Which number stands for each "
                                                                   "deal.")] = "face",
    up_to: Annotated[float, Query(ge=0, allow_inf_nan=False, le=1, description="Share of 'up to' ceilings that counts.")] = 1.0,
    estimate: Annotated[float, Query(ge=0, allow_inf_nan=False, le=1, description="Share of estimates that counts.")] = 1.0,
) -> NetworkFilters:
    """FastAPI dependency: the shared filters from the query string (async: it only parses, so no thread hop)."""
    return NetworkFilters(
        as_of=parse_date(as_of, "as_of"),
        kinds=tuple(sorted({k.value for k in kind})) if kind else None,
        statuses=tuple(sorted({s.value for s in status})) if status else None,
        min_confidence=min_confidence.value if min_confidence is not None else None,
        amount_policy=amount_policy, up_to=float(up_to), estimate=float(estimate),
    )
