"""One request object for a projection: what the CLI's flags and the web's query string both become.

A :class:`ProjectionSpec` holds the knobs of :func:`~dealweb.network.project.network` —
as-of date, kinds, statuses, confidence floor, amount policy and counting basis — checked
once, here, with messages that name the field. ``dealweb``'s CLI (``--as-of``, ``--kind``,
``--status``, ``--min-confidence``, ``--amount-policy``, ``--up-to-fraction``,
``--estimate-fraction``, ``--basis``) and the web API (``as_of``, ``kind``, ``status``,
``min_confidence``, ``amount_policy``, ``up_to``, ``estimate``, ``basis``) both call
:meth:`ProjectionSpec.parse` and :meth:`ProjectionSpec.project`, so the two cannot drift.

>>> spec = ProjectionSpec.parse(as_of="2025-06", kinds=["debt"])
>>> net = spec.project(__import__("dealweb").bundled_records())
>>> net.params["as_of"], net.params["kinds"], net.params["basis"]
('2025-06-30', ['debt'], 'committed')
>>> ProjectionSpec.parse(basis="cash")
Traceback (most recent call last):
...
dealweb.errors.ValidationError: 1 problem: options, basis: 'cash' is not one of: committed, face, paid [vocabulary]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, astuple, dataclass
from typing import Any

from dealweb.errors import Problem, ValidationError
from dealweb.model.counting import BASES
from dealweb.model.dates import PartialDate
from dealweb.model.recordset import RecordSet
from dealweb.model.vocab import Confidence, DealKind, Status
from dealweb.network.graph import Network
from dealweb.network.project import network

__all__ = ["AMOUNT_POLICIES", "ProjectionSpec"]

#: Amount policy presets (see :class:`~dealweb.network.policy.AmountPolicy`).
AMOUNT_POLICIES: tuple[str, ...] = ("face", "low", "high")


@dataclass(frozen=True)
class ProjectionSpec:
    """Arguments of one projection, checked and in canonical form.

    ``None`` kinds/statuses mean the projection's defaults (all kinds but backstops;
    announced, signed, closed).
    """

    as_of: str | None = None
    kinds: tuple[str, ...] | None = None
    statuses: tuple[str, ...] | None = None
    min_confidence: str | None = None
    amount_policy: str = "face"
    up_to: float = 1.0
    estimate: float = 1.0
    basis: str = "committed"

    @classmethod
    def parse(
        cls,
        *,
        as_of: str | None = None,
        kinds: Iterable[DealKind | str] | None = None,
        statuses: Iterable[Status | str] | None = None,
        min_confidence: Confidence | str | None = None,
        amount_policy: str = "face",
        up_to: float = 1.0,
        estimate: float = 1.0,
        basis: str = "committed",
        where: str = "options",
    ) -> ProjectionSpec:
        """Check user input and build a spec; every bad field is reported at once.

        Raises
        ------
        ValidationError
            One :class:`~dealweb.errors.Problem` per bad field, located at ``where``.
        """
        problems: list[Problem] = []

        def vocab(name: str, value: Any, allowed: Iterable[str]) -> str | None:
            allowed = tuple(allowed)
            text = str(getattr(value, "value", value)).strip().lower()
            if text in allowed:
                return text
            problems.append(Problem(where, name, "vocabulary", f"{value!r} is not one of: {', '.join(allowed)}"))
            return None

        day = None
        if as_of is not None and str(as_of).strip():
            try:
                day = str(PartialDate.parse(str(as_of).strip()))
            except ValueError as exc:
                problems.append(Problem(where, "as_of", "date", str(exc)))
        kind_list = [vocab("kind", k, (x.value for x in DealKind)) for k in kinds] if kinds else None
        status_list = [vocab("status", s, (x.value for x in Status)) for s in statuses] if statuses else None
        floor = vocab("min_confidence", min_confidence, (c.value for c in Confidence)) if min_confidence else None
        policy = vocab("amount_policy", amount_policy or "face", AMOUNT_POLICIES)
        chosen = vocab("basis", basis or "committed", BASES)
        for name, value in (("up_to", up_to), ("estimate", estimate)):
            if not 0 <= float(value) <= 1:
                problems.append(Problem(where, name, "fraction", f"{value} is not a fraction between 0 and 1"))
        if problems:
            raise ValidationError(problems)
        return cls(
            as_of=day,
            kinds=tuple(sorted({k for k in kind_list if k})) if kind_list else None,
            statuses=tuple(sorted({s for s in status_list if s})) if status_list else None,
            min_confidence=floor, amount_policy=policy or "face", up_to=float(up_to), estimate=float(estimate),
            basis=chosen or "committed",
        )

    def key(self) -> tuple[Any, ...]:
        """A hashable key, for caching projections."""
        return astuple(self)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def with_basis(self, basis: str) -> ProjectionSpec:
        """The same projection counted on another basis."""
        return ProjectionSpec.parse(**{**self.to_dict(), "basis": basis})

    def project(self, records: RecordSet) -> Network:
        """Project ``records`` (:func:`~dealweb.network.project.network`) with these arguments."""
        kwargs: dict[str, Any] = {"as_of": self.as_of, "min_confidence": self.min_confidence,
                                  "amount_policy": self.amount_policy, "up_to": self.up_to,
                                  "estimate": self.estimate, "basis": self.basis}
        if self.kinds is not None:
            kwargs["kinds"] = self.kinds
        if self.statuses is not None:
            kwargs["statuses"] = self.statuses
        return network(records, **kwargs)
