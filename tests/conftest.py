"""Shared fixtures: a small hand-made ledger, and fresh stores on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from dealweb.ledger import Ledger
from dealweb.ledger.store import resolve_url
from dealweb.model import Deal, Entity, FinancialSnapshot, RecordSet, Source

POSTGRES_URL = os.environ.get("DEALWEB_TEST_POSTGRES_URL")
SHARED = Path(__file__).resolve().parents[1].parent / "shared"

SRC = (Source(outlet="Example Wire", title="A deal", url="https://example.com/a"),)


@pytest.fixture
def small_records() -> RecordSet:
    """Four companies with a round trip, an aggregate with tranches and a superseded LOI."""
    E = Entity
    entities = [E("lab", "Lab", "ai_lab"), E("cloud", "Cloud", "cloud_provider", aliases=("Cloud Inc",)),
                E("chips", "Chips", "chipmaker", listed=True, ticker="CHP", country="US"),
                E("fund", "Fund", "investor", country="JP")]
    D = Deal
    deals = [
        D("D1", "2025-01-10", "equity_investment", "cloud", "lab", Decimal("10e9"), "exact", "closed", "high", SRC),
        D("D2", "2025-02", "compute_commitment", "lab", "cloud", Decimal("30e9"), "exact", "signed", "high", SRC,
          horizon_years=Decimal(5)),
        D("D3", "2025", "equity_investment", "fund", "lab", Decimal("13e9"), "exact", "closed", "high", SRC),
        D("D3a", "2024-06", "equity_investment", "fund", "lab", Decimal("1e9"), "exact", "closed", "high", SRC,
          part_of="D3"),
        D("D3b", "2025-03", "equity_investment", "fund", "lab", Decimal("10e9"), "estimate", "closed", "medium", SRC,
          part_of="D3"),
        D("D4", "2025-09-22", "equity_investment", "chips", "lab", Decimal("100e9"), "up_to", "superseded", "medium",
          SRC),
        D("D5", "2026-02", "equity_investment", "chips", "lab", Decimal("30e9"), "exact", "closed", "high", SRC,
          supersedes=("D4",)),
        D("D6", "2025-10", "chip_purchase", "lab", "chips", None, "undisclosed", "announced", "low", SRC),
    ]
    fins = [FinancialSnapshot("V1", "lab", "2025-03", "valuation", Decimal("300e9"), "exact", None, "high", SRC),
            FinancialSnapshot("V2", "cloud", "2025-10", "stake_pct", Decimal("27.5"), "estimate", "lab", "high", SRC)]
    return RecordSet.of(entities, deals, fins)


def _reset_postgres(url: str) -> None:
    engine = create_engine(resolve_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, and (when configured) a real PostgreSQL server."""
    if request.param == "sqlite":
        yield str(tmp_path / "ledger.sqlite")
        return
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL not configured: set DEALWEB_TEST_POSTGRES_URL (.ci/run starts a server and sets it)")
    _reset_postgres(POSTGRES_URL)
    yield POSTGRES_URL
    _reset_postgres(POSTGRES_URL)


@pytest.fixture
def ledger(store_url: str) -> Iterator[Ledger]:
    led = Ledger(store_url)
    yield led
    led.close()


@pytest.fixture
def memory_ledger() -> Iterator[Ledger]:
    led = Ledger(":memory:")
    yield led
    led.close()
