"""One way to add a deal from what a person typed: the CLI's ``add-deal`` and the web's ``POST /api/deals``.

Both interfaces only collect fields (the columns of ``deals.csv``; the id optional) and call
:func:`add_deal`, which turns them into a :class:`~dealweb.model.Deal` by the import's own rules,
checks the ledger as it would be after the change, and adds it (or, with ``dry_run``, reports
what would change).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dealweb.errors import Problem, ValidationError
from dealweb.ledger.ledger import ChangeReport, Ledger
from dealweb.model.codec import from_mapping
from dealweb.model.records import Deal
from dealweb.model.recordset import RecordSet

__all__ = ["add_deal"]


def add_deal(ledger: Ledger, fields: Mapping[str, Any], *, by: str | None = None, reason: str = "",
             dry_run: bool = False, where: str = "deal", problems: Iterable[Problem] = ()) -> tuple[Deal, ChangeReport]:
    """Make a deal from ``fields`` and add it to ``ledger``; return the deal as stored and the change report.

    Parameters
    ----------
    fields
        Text or values by deal column (``payer``, ``kind``, ``amount_usd``, ``sources``…). Without an
        ``id`` the deal gets the next free ``D<number>``, taken inside the write transaction.
    where
        How problems name the input (``"add-deal"``, ``"body"``).
    problems
        Problems the caller found in its own part of the input; they are reported with the deal's.

    Raises
    ------
    ValidationError
        A field breaks a rule, or the ledger would break one after the change (all problems at once).
    DuplicateIdError
        The id given is already in the ledger.

    Examples
    --------
    >>> import dealweb
    >>> ledger = dealweb.open(":memory:")
    >>> deal, report = add_deal(ledger, {"announced": "2026-01-05", "kind": "equity_investment", "payer": "nvidia",
    ...                                  "recipient": "anthropic", "amount_usd": "1e9", "qualifier": "exact",
    ...                                  "sources": ["https://example.com/a"]}, reason="example")
    >>> deal.id, report.added["deal"]  # the next free id after the bundled D191
    ('D192', ['D192'])
    """
    values = dict(fields)
    found = list(problems)
    allocate = not values.get("id")
    if allocate:  # a stand-in: the ledger takes the real next id inside its write transaction
        values["id"] = ledger.next_deal_id()
    deal, more = from_mapping(Deal, values, where)
    found += more
    if found or deal is None:
        raise ValidationError(found)
    if dry_run:
        return deal, ledger.apply(RecordSet.of(deals=[deal]), dry_run=True, by=by, reason=reason)
    report = ledger.add(deal, by=by, reason=reason, new_ids=allocate)
    return deal.evolve(id=report.added["deal"][0]), report
