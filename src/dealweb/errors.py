"""The one exception tree of dealweb.

Every error dealweb raises on purpose derives from :class:`DealwebError`, so an
interface (CLI, web API) catches one base class and turns it into one message
shape. The tree::

    DealwebError
    ├── ValidationError        one or more broken rules, each a Problem
    │   ├── FormatError        a file could not be read at all (bad header, bad JSON)
    │   └── DuplicateIdError   a new record's id is already in the ledger (HTTP 409)
    ├── NotFoundError          an id that the ledger does not hold
    ├── StoreError             the database cannot be opened, migrated or written
    ├── MissingDependencyError an optional extra (pyspark, duckdb) or Java is not installed
    ├── ConvergenceError       a solver did not reach a solution (max_iter, tolerance, status)
    ├── ApiError               (dealweb.web.errors) a rule only HTTP has: read-only, token, bad request
    └── ReportError            (dealweb.web.report) the report cannot be made: a page file, Chromium missing

The last two live with the web layer that raises them (importing them here would pull the web
stack into every import); they derive from :class:`DealwebError` all the same. The CLI turns
the tree into messages in :mod:`dealweb.cli.output`, the API into JSON in
:mod:`dealweb.web.errors`.

A :class:`Problem` names *where* (file, row, column or record id), *which field*,
*which rule* and a human message, so a user can fix the input without guessing.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ConvergenceError", "DealwebError", "DuplicateIdError", "FormatError", "MissingDependencyError", "NotFoundError",
           "Problem", "StoreError", "ValidationError"]


class DealwebError(Exception):
    """Base class of every error dealweb raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule.

    Parameters
    ----------
    where
        The record or place: ``"deal D12"``, ``"deals.csv row 7"``, ``"entity openai"``.
    field
        The field or column that breaks the rule (``""`` when the whole record does).
    rule
        A short machine-readable rule name, e.g. ``"unknown_entity"``.
    message
        What is wrong, in words a user can act on.
    """

    where: str
    field: str
    rule: str
    message: str

    def __str__(self) -> str:
        place = f"{self.where}, {self.field}" if self.field else self.where
        return f"{place}: {self.message} [{self.rule}]"

    def to_dict(self) -> dict[str, str]:
        return {"where": self.where, "field": self.field, "rule": self.rule, "message": self.message}


class ValidationError(DealwebError):
    """Input broke one or more rules; nothing was written.

    Examples
    --------
    >>> err = ValidationError([Problem("deal D1", "amount_usd", "negative_amount", "must not be negative")])
    >>> print(err)
    1 problem: deal D1, amount_usd: must not be negative [negative_amount]
    """

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("ValidationError needs at least one problem")
        self.problems = list(problems)
        super().__init__(self._summary())

    def _summary(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''}"
        shown = "; ".join(str(p) for p in self.problems[:20])
        more = f"; … and {n - 20} more" if n > 20 else ""
        return f"{head}: {shown}{more}"


class FormatError(ValidationError):
    """A file is not in the expected format at all (unreadable, wrong header, bad JSON)."""


class DuplicateIdError(ValidationError):
    """A record to be added has an id the ledger already holds (or that another writer took
    at the same moment); nothing was written. The API answers 409 Conflict."""


class NotFoundError(DealwebError):
    """An entity, deal or snapshot id that the ledger does not hold."""


class StoreError(DealwebError):
    """The database cannot be opened, migrated or written."""


class MissingDependencyError(DealwebError):
    """An optional dependency (an extra such as ``dealweb[spark]`` or ``dealweb[duckdb]``, or Java) is missing."""


class ConvergenceError(DealwebError):
    """An iterative or optimising solver stopped without a solution it could vouch for."""
