"""The public API is what __all__ says, sorted, and every name in it exists."""

from __future__ import annotations

import html

import dealweb
import dealweb.circularity
import dealweb.contagion
import dealweb.ledger
import dealweb.ledger.formats
import dealweb.model
from dealweb.network.profile import entity_profile


def test_top_level_api_is_pinned() -> None:
    assert dealweb.__all__ == [
        "AmountPolicy", "Confidence", "ConvergenceError",
        "Deal", "DealKind", "DealwebError", "Entity", "EntityKind", "FinancialSnapshot",
        "FormatError", "Ledger", "Metric", "Network", "NotFoundError", "PartialDate", "Problem", "Qualifier", "RecordSet",
        "Source", "Status", "StoreError", "Summary", "ValidationError", "__version__", "bundled_manifest",
        "bundled_records", "count_deals", "open", "project", "semantics", "summarize",
    ]


def _isort_key(name: str) -> tuple[int, str]:
    # ruff's RUF022 order: CONSTANTS, then Classes, then functions.
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_every_all_is_sorted_and_resolves() -> None:
    for module in (dealweb, dealweb.model, dealweb.ledger, dealweb.ledger.formats, dealweb.circularity,
                   dealweb.contagion):
        assert module.__all__ == sorted(module.__all__, key=_isort_key), module.__name__
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"


def test_results_render_in_jupyter_with_escaping() -> None:
    ledger = dealweb.open(":memory:")
    assert f"{len(dealweb.bundled_records().deals)} deals" in ledger._repr_html_()
    records = ledger.records()
    assert "<table>" in dealweb.summarize(records)._repr_html_()
    hostile = records.entities[0].evolve(name="<script>alert(1)</script>")
    rs = dealweb.RecordSet.of([hostile, *records.entities[1:]], records.deals, records.financials)
    shown = entity_profile(rs, hostile.id)._repr_html_()
    assert "<script>" not in shown and html.escape("<script>") in shown
