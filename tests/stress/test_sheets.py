"""Balance sheets from the hand-computable web in conftest.py, number by number."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

import dealweb
from dealweb.contagion import Assumptions, balance_sheets, parse_horizon
from dealweb.model.recordset import RecordSet

AS_OF = "2026-01-01"  # the reference date of the web fixture (conftest.py)

YEAR = 365.25
ELAPSED_L1 = (dt.date(2026, 1, 1) - dt.date(2025, 1, 1)).days / YEAR  # L1 started this long before the reference date
LEFT_L1 = 1.5 - ELAPSED_L1  # years of L1 left


def _leg(sheets: object, deal: str, leg: str) -> float:
    ob = sheets.obligations  # type: ignore[attr-defined]
    rows = ob[(ob["deal"] == deal) & (ob["leg"] == leg)]
    assert len(rows) == 1, rows
    return float(rows["amount"].iloc[0])


def test_obligations_over_one_year(web: RecordSet) -> None:
    s = balance_sheets(web, as_of=AS_OF)
    assert s.as_of == dt.date(2026, 1, 1)
    assert _leg(s, "C1", "payment") == pytest.approx(20.0)  # 100 over 5 years
    assert _leg(s, "C2", "payment") == pytest.approx(25.0)  # 50 over 2 years
    assert _leg(s, "E2", "funding") == pytest.approx(20.0)  # unfunded 40 over funding_years = 2
    assert _leg(s, "L1", "interest") == pytest.approx(10 * 0.08 * LEFT_L1)
    assert _leg(s, "L1", "principal") == pytest.approx(10.0)  # matures inside the horizon
    assert set(s.obligations["deal"]) == {"C1", "C2", "E2", "L1"}  # E1 is closed: funded, no obligation
    i = s.index
    assert s.liabilities[i["cloud"], i["bank"]] == pytest.approx(10 + 10 * 0.08 * LEFT_L1)


def test_longer_horizon_and_elapsed_terms(web: RecordSet) -> None:
    s = balance_sheets(web, as_of=AS_OF, horizon_years=2)
    assert _leg(s, "C1", "payment") == pytest.approx(40.0)
    assert _leg(s, "C2", "payment") == pytest.approx(50.0)  # the whole two-year order
    assert _leg(s, "E2", "funding") == pytest.approx(40.0)
    later = balance_sheets(web, as_of="2027-01-01")  # one year into C1: 80 of backlog left
    ex = later.exposures.set_index(["creditor", "debtor"])
    assert ex.loc[("cloud", "lab"), "amount"] == pytest.approx(100 * (1 - 365 / YEAR / 5))


def test_outside_means_and_fallbacks(web: RecordSet) -> None:
    s = balance_sheets(web, as_of=AS_OF)
    f = s.to_frame().set_index("id")
    assert f.loc["lab", "outside_means"] == pytest.approx(15 + 5)
    assert f.loc["cloud", "outside_revenue"] == pytest.approx(20)  # C1 starts after the quarter: none of it is web revenue
    assert f.loc["cloud", "outside_means"] == pytest.approx(20)
    assert f.loc["chips", "outside_means"] == pytest.approx(20)  # pays_in_full: exactly what it owes
    assert not f.loc["chips", "has_means"]
    missing = {(r.entity, r.figure) for r in s.missing.itertuples()}
    assert ("cloud", "cash") in missing and ("chips", "cash and revenue") in missing
    assert ("fund", "valuation") in missing and ("lab", "valuation") not in missing
    strict = balance_sheets(web, as_of=AS_OF, no_figures="web_only")
    assert strict.external_assets[strict.index["chips"]] == 0.0


def test_outside_revenue_leaves_out_only_the_web_contracts_already_running(web: RecordSet) -> None:
    """Revenue FROM web counterparties is taken out of reported revenue; contracts that start after the
    reported period are not in that revenue, so they are not taken out (SpaceX, CoreWeave, Nebius kept
    zero outside revenue when every new web contract was subtracted)."""
    from dealweb.model.records import FinancialSnapshot

    later = FinancialSnapshot("V9", "cloud", "2026-06-30", "revenue_quarter", Decimal(15), "exact", None, "high",
                              web.financials[0].sources)
    records = RecordSet.of(web.entities, web.deals, (*web.financials, later))
    s = balance_sheets(records, as_of="2026-07-01")
    f = s.to_frame().set_index("id")
    # 60 a year reported for the quarter to 2026-06-30; C1 (20 a year from lab) was running then
    assert f.loc["cloud", "outside_revenue"] == pytest.approx(60 - 20)


def test_exposures_and_cross_holdings(web: RecordSet) -> None:
    s = balance_sheets(web, as_of=AS_OF)
    A = s.exposure_matrix
    i = s.index
    assert A[i["cloud"], i["lab"]] == pytest.approx(100)  # backlog of C1
    assert A[i["chips"], i["cloud"]] == pytest.approx(50)
    assert A[i["lab"], i["chips"]] == pytest.approx(40)  # unfunded rest of E2
    assert A[i["fund"], i["lab"]] == pytest.approx(0.10 * 400)  # stake share × valuation
    assert A[i["bank"], i["cloud"]] == pytest.approx(10)
    assert s.holdings[i["fund"], i["lab"]] == pytest.approx(0.10)
    assert s.equity_value[i["chips"]] == 1000 and np.isnan(s.equity_value[i["cloud"]])
    marked = balance_sheets(web, as_of=AS_OF, valuation_mark=0.5)
    assert marked.exposure_matrix[i["fund"], i["lab"]] == pytest.approx(0.10 * 200)


def test_liquidity_buffers_add_up(web: RecordSet) -> None:
    s = balance_sheets(web, as_of=AS_OF)
    buffer = s.external_assets + s.owed - s.owes
    assert np.allclose(s.liquidity_buffer, buffer)
    assert s.liquidity_buffer[s.index["cloud"]] == pytest.approx(20 + 20 - 25 - 10 - 10 * 0.08 * LEFT_L1)


def test_assumptions_are_validated_and_recorded() -> None:
    with pytest.raises(ValueError, match="assumption recovery must be between 0 and 1"):
        Assumptions(recovery=2)
    with pytest.raises(ValueError, match="unknown assumption 'recovry'"):
        Assumptions().evolve(recovry=0.1)
    with pytest.raises(ValueError, match="no_figures must be"):
        Assumptions(no_figures="guess")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="horizon must be"):
        parse_horizon("-3m")
    assert Assumptions().evolve(horizon_years="6m").horizon_years == 0.5


def test_bundled_sheets_are_consistent() -> None:
    s = balance_sheets(dealweb.bundled_records())
    assert (s.obligations["amount"] >= 0).all() and (s.exposures["amount"] > 0).all()
    held = np.asarray(s.holdings.sum(axis=0)).ravel()
    assert (held <= 0.95 + 1e-12).all()
    assert np.isfinite(s.external_assets).all()
    assert {"entity", "figure", "fallback"} <= set(s.missing.columns)
    assert not s.missing.duplicated().any()
