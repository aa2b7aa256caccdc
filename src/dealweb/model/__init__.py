"""The data model: entities, deals, financial snapshots, vocabularies and their rules.

Pure: nothing here reads files or databases.
"""

from dealweb.model.codec import from_mapping, to_cells, to_plain
from dealweb.model.counting import Counting, count_deals
from dealweb.model.dates import PartialDate
from dealweb.model.records import Deal, Entity, FinancialSnapshot, Source
from dealweb.model.recordset import RecordSet
from dealweb.model.rules import check_deal, check_entity, check_financial, check_ledger, validate
from dealweb.model.semantics import SEMANTICS, KindSemantics, semantics
from dealweb.model.vocab import (
    COUNTED_STATUSES,
    Commitment,
    Confidence,
    Consideration,
    DealKind,
    EntityKind,
    Metric,
    Qualifier,
    Schedule,
    SourceKind,
    Status,
    metric_unit,
)

__all__ = [
    "COUNTED_STATUSES",
    "SEMANTICS",
    "Commitment",
    "Confidence",
    "Consideration",
    "Counting",
    "Deal",
    "DealKind",
    "Entity",
    "EntityKind",
    "FinancialSnapshot",
    "KindSemantics",
    "Metric",
    "PartialDate",
    "Qualifier",
    "RecordSet",
    "Schedule",
    "Source",
    "SourceKind",
    "Status",
    "check_deal",
    "check_entity",
    "check_financial",
    "check_ledger",
    "count_deals",
    "from_mapping",
    "metric_unit",
    "semantics",
    "to_cells",
    "to_plain",
    "validate",
]
