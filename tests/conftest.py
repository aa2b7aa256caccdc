"""Shared fixtures: a small hand-made ledger, and fresh stores on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text

from dealweb.ledger import Ledger
from dealweb.ledger.store import resolve_url
from dealweb.model import Deal, Entity, FinancialSnapshot, RecordSet, Source

# CI runs the same examples every time (a failure found there reproduces); local runs keep
# exploring new random examples. .ci/run sets HYPOTHESIS_PROFILE=ci.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

POSTGRES_URL = os.environ.get("DEALWEB_TEST_POSTGRES_URL")
# ../shared holds reference material that is not part of the repository: a stranger's clone has
# none. DEALWEB_SHARED moves it (and .ci/run sets it to a missing folder to prove the suite still
# collects); every test that reads it asks through `shared_path`, which skips when it is absent.
SHARED = Path(os.environ.get("DEALWEB_SHARED") or Path(__file__).resolve().parents[1].parent / "shared")
SEED_ARTICLE = SHARED / "reference" / "seed-article.txt"



def shared_path(path: Path) -> Path:
    """``path`` under ../shared, or skip the calling test with the reason when it is not there."""
    if not path.exists():
        pytest.skip(f"{path} not found: ../shared (reference material outside the repository) is absent; "
                    "set DEALWEB_SHARED to its folder to run this test")
    return path


@pytest.fixture(scope="session")
def seed_article() -> Path:
    """The seed article from ../shared/reference (skips when ../shared is absent)."""
    return shared_path(SEED_ARTICLE)


SRC = (Source(outlet="Example Wire", title="A deal", url="https://example.com/a"),)


def deal_tuples(text: str) -> list[tuple[str, str, str, Decimal | None]]:
    """(payer, recipient, kind, amount) of every candidate deal the extractor reads in ``text``, in order, with the
    bundled ledger's names: what most extraction tests compare."""
    from dealweb.extract import extract
    from dealweb.extract.candidates import directory_for

    return [(c.payer.id, c.recipient.id, c.kind.value, c.amount) for c in extract(text, directory=directory_for(None)).deals]


def bundled_counts() -> dict[str, int]:
    """Entities, deals and figures in the bundled files, so tests compare the ledger with the files, not literals."""
    from dealweb import bundled_records

    r = bundled_records()
    return {"entity": len(r.entities), "deal": len(r.deals), "financial": len(r.financials)}


def next_bundled_deal_id() -> str:
    """The id the ledger gives the first deal added on top of the bundled dataset."""
    from dealweb import bundled_records
    from dealweb.ledger.ledger import next_deal_id

    return next_deal_id(bundled_records().deals)


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


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
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


WEB_SRC = (Source(url="https://example.org/source"),)


@pytest.fixture
def web() -> RecordSet:
    """A five-company web small enough to compute every stress number by hand.

    Reference date 2026-01-01, horizon 12 months (years are days / 365.25):

    * C1 lab → cloud, compute, 100 over 5 years from 2026-01-01: 20 due, backlog 100.
    * C2 cloud → chips, chips, 50 over 2 years from 2026-01-01: 25 due, backlog 50.
    * E1 fund → lab, equity, 30, closed: fund holds 10 % of lab (valued 400): stake worth 40.
    * E2 chips → lab, equity, "up to" 40, announced 2026-01-01, no term: paid over 2 years, 20 due.
    * L1 bank → cloud, debt, 10, closed 2025-01-01, 1.5 years: principal 10 and interest
      10 × 8 % × (the half year left) due.

    Figures: lab revenue 15/yr and cash 5 (means 20); cloud revenue 5 a quarter to 2025-12-31
    (20/yr, all from outside the web: C1 starts after that quarter; no cash figure); chips valued 1000
    but with no cash or revenue figure (the ``pays_in_full`` fallback); fund and bank have none.
    """
    E = Entity
    entities = [E("lab", "Lab", "ai_lab"), E("cloud", "Cloud", "cloud_provider"), E("chips", "Chips", "chipmaker"),
                E("fund", "Fund", "investor"), E("bank", "Bank", "bank")]
    D = Deal
    deals = [
        D("C1", "2025-12-01", "compute_commitment", "lab", "cloud", Decimal(100), "exact", "signed", "high", WEB_SRC,
          horizon_years=Decimal(5), start="2026-01-01"),
        D("C2", "2025-12-01", "chip_purchase", "cloud", "chips", Decimal(50), "estimate", "signed", "high", WEB_SRC,
          horizon_years=Decimal(2), start="2026-01-01"),
        D("E1", "2025-06-01", "equity_investment", "fund", "lab", Decimal(30), "exact", "closed", "high", WEB_SRC),
        D("E2", "2026-01-01", "equity_investment", "chips", "lab", Decimal(40), "up_to", "announced", "high", WEB_SRC),
        D("L1", "2025-01-01", "debt", "bank", "cloud", Decimal(10), "exact", "closed", "high", WEB_SRC,
          horizon_years=Decimal("1.5")),
    ]
    F = FinancialSnapshot
    fins = [F("V1", "lab", "2025-12-31", "revenue", Decimal(15), "exact", None, "high", WEB_SRC),
            F("V2", "lab", "2025-12-31", "cash", Decimal(5), "exact", None, "high", WEB_SRC),
            F("V3", "cloud", "2025-12-31", "revenue_quarter", Decimal(5), "exact", None, "high", WEB_SRC),
            F("V4", "lab", "2025-11-01", "valuation", Decimal(400), "exact", None, "high", WEB_SRC),
            F("V5", "chips", "2025-11-01", "market_cap", Decimal(1000), "exact", None, "high", WEB_SRC),
            F("V6", "fund", "2025-11-01", "stake_pct", Decimal(10), "exact", "lab", "high", WEB_SRC)]
    return RecordSet.of(entities, deals, fins)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty SQLite ledger for CLI tests, via DEALWEB_DB, on an 80-column terminal."""
    path = tmp_path / "cli.sqlite"
    monkeypatch.setenv("DEALWEB_DB", str(path))
    monkeypatch.setenv("COLUMNS", "80")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI in-process: exit code, stdout, stderr."""
    from dealweb.cli import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a thread (:func:`dealweb.web.live.serve_in_thread`); yields its URL."""
    from dealweb.web.live import ServerStartError, serve_in_thread

    try:
        with serve_in_thread(app, timeout=20) as url:
            yield url
    except ServerStartError as exc:
        pytest.fail(str(exc))
