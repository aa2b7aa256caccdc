"""The bundled financials ground the largest listed companies (issue 13's bar) and label their sources truthfully."""

from __future__ import annotations

import datetime as dt

import pytest

from dealweb import bundled_records
from dealweb.model import RecordSet

#: The twelve largest listed companies in the deal web, by entity id.
LISTED_12 = ("nvidia", "microsoft", "google", "amazon", "meta", "oracle",
             "coreweave", "amd", "broadcom", "nebius", "softbank", "intel")
RECENT = dt.date(2025, 6, 1)
LIQUIDITY = ("cash", "cash_and_securities")


@pytest.fixture(scope="module")
def data() -> RecordSet:
    return bundled_records()


def _with_recent(data: RecordSet, metrics: tuple[str, ...]) -> set[str]:
    """The listed companies that carry one of ``metrics`` dated June 2025 or later."""
    return {f.entity for f in data.financials
            if f.entity in LISTED_12 and str(f.metric) in metrics and f.as_of.first_day() >= RECENT}


def test_at_least_11_of_the_12_listed_carry_a_recent_market_cap(data: RecordSet) -> None:
    have = _with_recent(data, ("market_cap",))
    assert len(have) >= 11, sorted(set(LISTED_12) - have)


def test_at_least_8_of_the_12_listed_carry_a_recent_cash_figure(data: RecordSet) -> None:
    have = _with_recent(data, LIQUIDITY)
    assert len(have) >= 8, sorted(set(LISTED_12) - have)


def test_each_of_the_12_has_revenue_for_a_year_and_a_quarter(data: RecordSet) -> None:
    # SoftBank reports nine-month and full-year figures in yen; the reference gives no single quarter.
    for metric, expected in (("revenue", set(LISTED_12)), ("revenue_quarter", set(LISTED_12) - {"softbank"})):
        have = {f.entity for f in data.financials if f.entity in LISTED_12 and str(f.metric) == metric}
        assert expected <= have, (metric, sorted(expected - have))


def test_every_financial_source_states_its_kind(data: RecordSet) -> None:
    missing = [f.id for f in data.financials for s in f.sources if s.kind is None]
    assert missing == []


def test_a_source_read_elsewhere_names_the_site_it_was_read_on(data: RecordSet) -> None:
    # ``via`` is where the page was read, so it is the link's own host.
    wrong = [(f.id, s.via, s.host) for f in data.financials for s in f.sources if s.via and s.via != s.host]
    assert wrong == []


def test_balance_sheet_figures_say_what_they_count_and_when(data: RecordSet) -> None:
    # Cash figures say whether securities are in; every new figure names its period.
    for f in data.financials:
        if str(f.metric) in (*LIQUIDITY, "debt", "equity_book", "revenue_quarter") and f.entity in LISTED_12:
            assert f.as_of.precision in ("day", "month"), f.id
            assert any(w in f.description for w in ("20", "quarter", "year")), f.id
        if str(f.metric) == "cash_and_securities":
            assert "securities" in f.description or "investments" in f.description, f.id


def test_every_large_company_is_grounded_or_says_why_not(data: RecordSet) -> None:
    # Issue 13's goal: ≥ $10B of deals ⇒ a size and a liquidity figure, or a listed reason in the manifest.
    from dealweb import bundled_manifest
    from dealweb.network.datasetinfo import dataset_info

    manifest = bundled_manifest()
    coverage = dataset_info(data, manifest).coverage
    assert (coverage.missing_size, coverage.missing_liquidity) == ((), ())
    assert {"openai", "microsoft", "nvidia", "oracle", "softbank"} <= set(coverage.companies) - set(coverage.explained)
    exceptions = manifest["coverage_exceptions"]
    assert all(len(reason) > 20 for reason in exceptions.values())
    assert set(exceptions) <= {e.id for e in data.entities}
