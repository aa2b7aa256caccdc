"""A set of ledger records held in memory: what importers produce and exporters take.

A :class:`RecordSet` is the unit of interchange between files and the store. Formats
read a file into one, the store imports one atomically, and exporters write one out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dealweb.errors import Problem
from dealweb.model.records import Deal, Entity, FinancialSnapshot
from dealweb.model.rules import check_ledger, validate

__all__ = ["RecordSet"]


@dataclass(frozen=True)
class RecordSet:
    """Entities, deals and financial snapshots, each a tuple in a stable order.

    Examples
    --------
    >>> rs = RecordSet.of([Entity("b", "B"), Entity("a", "A")], [])
    >>> [e.id for e in rs.entities]
    ['a', 'b']
    >>> len(rs)
    2
    """

    entities: tuple[Entity, ...] = ()
    deals: tuple[Deal, ...] = ()
    financials: tuple[FinancialSnapshot, ...] = ()

    @classmethod
    def of(
        cls,
        entities: Iterable[Entity] = (),
        deals: Iterable[Deal] = (),
        financials: Iterable[FinancialSnapshot] = (),
    ) -> RecordSet:
        """Build a record set sorted by id (entities, financials) and by date then id (deals)."""
        return cls(
            tuple(sorted(entities, key=lambda e: e.id)),
            tuple(sorted(deals, key=lambda d: (d.announced, d.id))),
            tuple(sorted(financials, key=lambda f: f.id)),
        )

    def __len__(self) -> int:
        return len(self.entities) + len(self.deals) + len(self.financials)

    def problems(self) -> list[Problem]:
        """Every rule the set breaks (see :mod:`dealweb.model.rules`)."""
        return check_ledger(self.entities, self.deals, self.financials)

    def validate(self) -> RecordSet:
        """Raise :class:`~dealweb.errors.ValidationError` if any rule is broken; return self."""
        validate(self.entities, self.deals, self.financials)
        return self
