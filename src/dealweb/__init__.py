"""dealweb: map the web of deals between AI companies, find circular money, stress-test it.

>>> import dealweb
>>> ledger = dealweb.open(":memory:")
>>> ledger.deal("D57").payer, ledger.deal("D57").recipient
('anthropic', 'microsoft')
"""

from __future__ import annotations

import os

from dealweb.errors import ConvergenceError, DealwebError, FormatError, NotFoundError, Problem, StoreError, ValidationError
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
from dealweb.network import network as network  # the function; the package stays importable as a module path
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
    "network",
    "open",
    "semantics",
    "summarize",
]


def open(db: str | os.PathLike[str] | None = None, *, load_bundled: bool = True) -> Ledger:
    """Open a ledger, creating and migrating its database as needed.

    Parameters
    ----------
    db
        A SQLite file path, ``":memory:"``, ``sqlite:///…`` or ``postgresql://…`` URL.
        Default: ``DEALWEB_DB``, else the embedded file in the user data directory.
    load_bundled
        When the ledger is empty, fill it with the bundled AI deals dataset.
    """
    ledger = Ledger(db)
    if load_bundled and ledger.is_empty():
        version = bundled_manifest()["version"]
        ledger.apply(bundled_records(), by="dealweb", reason=f"bundled dataset {version}")
    return ledger
