"""The projection filters every network-based route shares, read from the query string.

``as_of`` (``YYYY[-MM[-DD]]``), ``kind`` and ``status`` (repeatable), ``min_confidence``,
``amount_policy`` (``face``/``low``/``high``), ``up_to`` and ``estimate`` (fractions 0–1)
and ``basis`` (``committed``/``face``/``paid``): the same knobs as the CLI's flags. Both
build a :class:`~dealweb.network.spec.ProjectionSpec` through its one ``parse``.

>>> f = NetworkFilters(as_of="2025-06", kinds=("debt",))
>>> net = f.project(__import__("dealweb").bundled_records())
>>> net.params["as_of"], net.params["kinds"]
('2025-06-30', ['debt'])
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query

from dealweb.errors import Problem, ValidationError
from dealweb.model.dates import PartialDate
from dealweb.model.vocab import Confidence, DealKind, Status
from dealweb.network.spec import ProjectionSpec

__all__ = ["NetworkFilters", "network_filters", "parse_date"]

#: The web's name for the shared projection request (kept for its callers).
NetworkFilters = ProjectionSpec


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
    basis: Annotated[Literal["committed", "face", "paid"], Query(
        description="Counting basis: committed (binding cash, default), face (as announced) or paid.")] = "committed",
) -> ProjectionSpec:
    """FastAPI dependency: the shared filters from the query string (async: it only parses, so no thread hop)."""
    return ProjectionSpec.parse(as_of=as_of, kinds=kind, statuses=status, min_confidence=min_confidence,
                                amount_policy=amount_policy, up_to=up_to, estimate=estimate, basis=basis,
                                where="query")
