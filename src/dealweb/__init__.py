"""dealweb: map the web of deals between AI companies, find circular money, stress-test it.

>>> import dealweb
>>> ledger = dealweb.open(":memory:")
>>> ledger.deal("D57").payer, ledger.deal("D57").recipient
('anthropic', 'microsoft')

``import dealweb`` is light: each public name is imported from its layer the first time it is
used (PEP 562), so the command line starts without loading pandas, SciPy or SQLAlchemy.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

from dealweb.errors import ConvergenceError, DealwebError, FormatError, NotFoundError, Problem, StoreError, ValidationError

if TYPE_CHECKING:
    from dealweb.ledger import Ledger
    from dealweb.ledger.bundled import bundled_manifest, bundled_records
    from dealweb.model import (
        Confidence,
        Deal,
        DealKind,
        Entity,
        EntityKind,
        FinancialSnapshot,
        Metric,
        PartialDate,
        Qualifier,
        RecordSet,
        Source,
        Status,
        count_deals,
        semantics,
    )
    from dealweb.network import AmountPolicy, Network
    from dealweb.network.project import network as project
    from dealweb.network.summary import Summary, summarize

__version__ = "0.1.0"

__all__ = [
    "AmountPolicy",
    "Confidence",
    "ConvergenceError",
    "Deal",
    "DealKind",
    "DealwebError",
    "Entity",
    "EntityKind",
    "FinancialSnapshot",
    "FormatError",
    "Ledger",
    "Metric",
    "Network",
    "NotFoundError",
    "PartialDate",
    "Problem",
    "Qualifier",
    "RecordSet",
    "Source",
    "Status",
    "StoreError",
    "Summary",
    "ValidationError",
    "__version__",
    "bundled_manifest",
    "bundled_records",
    "count_deals",
    "open",
    "project",
    "semantics",
    "summarize",
]

# Public name -> (module, attribute): imported on first use.
_LAZY: dict[str, tuple[str, str]] = {
    "Ledger": ("dealweb.ledger", "Ledger"),
    "bundled_manifest": ("dealweb.ledger.bundled", "bundled_manifest"),
    "bundled_records": ("dealweb.ledger.bundled", "bundled_records"),
    **{name: ("dealweb.model", name) for name in (
        "Confidence", "Deal", "DealKind", "Entity", "EntityKind", "FinancialSnapshot", "Metric", "PartialDate",
        "Qualifier", "RecordSet", "Source", "Status", "count_deals", "semantics")},
    "AmountPolicy": ("dealweb.network", "AmountPolicy"),
    "Network": ("dealweb.network", "Network"),
    "project": ("dealweb.network.project", "network"),
    "Summary": ("dealweb.network.summary", "Summary"),
    "summarize": ("dealweb.network.summary", "summarize"),
}


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        # A subpackage (dealweb.network, dealweb.stress, ...) reached as an attribute before its import.
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def open(db: str | os.PathLike[str] | None = None, *, load_bundled: bool = True) -> Ledger:
    """Open a ledger, creating and migrating its database as needed.

    Parameters
    ----------
    db
        A SQLite file path, ``":memory:"``, ``sqlite:///…`` or ``postgresql://…`` URL.
        Default: ``DEALWEB_DB``, else the embedded file in the user data directory.
    load_bundled
        When the ledger is empty, fill it with the bundled AI deals dataset; when it holds an
        older bundled dataset and nothing else (no import, edit or addition of the user's),
        update it to the shipped one (:func:`dealweb.ledger.bundled.fill_or_update`).
    """
    from dealweb.ledger import Ledger
    from dealweb.ledger.bundled import fill_or_update

    ledger = Ledger(db)
    if load_bundled:
        fill_or_update(ledger)
    return ledger
