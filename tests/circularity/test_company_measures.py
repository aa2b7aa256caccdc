"""Per-company measures on a hand-computable web."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

import dealweb
from dealweb.circularity.company import company_measures
from dealweb.errors import NotFoundError
from dealweb.model import Deal, Entity, FinancialSnapshot, RecordSet

SRC = ("https://example.com/s",)


def web() -> RecordSet:
    """Vendor V funds lab L with 10 (equity); L commits 30 over 3 years to cloud C and 6 to V (chips);
    C buys 12 of chips from V; V also sells 4 of chips to an outsider O."""
    ents = [Entity(i, i.upper()) for i in ("v", "l", "c", "o")]
    D = Deal
    deals = [D("E1", "2025-01", "equity_investment", "v", "l", Decimal(10), "exact", "closed", "high", SRC),
             D("K1", "2025-02", "compute_commitment", "l", "c", Decimal(30), "exact", "signed", "high", SRC,
               horizon_years=Decimal(3)),
             D("P1", "2025-03", "chip_purchase", "l", "v", Decimal(6), "exact", "signed", "high", SRC),
             D("P2", "2025-04", "chip_purchase", "c", "v", Decimal(12), "exact", "signed", "high", SRC),
             D("P3", "2025-05", "chip_purchase", "o", "v", Decimal(4), "exact", "signed", "high", SRC)]
    figs = [FinancialSnapshot("F1", "l", "2024-12-31", "revenue", Decimal(5), sources=SRC),
            FinancialSnapshot("F2", "l", "2025-06", "revenue_run_rate", Decimal(8), sources=SRC),
            FinancialSnapshot("F3", "l", "2025-03", "cash", Decimal(20), sources=SRC)]
    return RecordSet.of(ents, deals, figs)


def test_known_answers() -> None:
    rs = web()
    m = company_measures(dealweb.project(rs), rs, max_length=3)
    v = m.row("v")
    # V receives 6 + 12 + 4 = 22. It funded L (10); L pays V 6 directly: min(10, 6) = 6.
    assert v["inflow"] == 22 and v["vendor_financed_direct"] == pytest.approx(6 / 22)
    # Via cycles of ≤ 3 deals: V→L→V (6) and V→L→C→V (12) come back; O's 4 does not.
    assert v["vendor_financed_k"] == pytest.approx(18 / 22)
    # V's backlog by customer: L 6, C 12, O 4.
    shares = np.array([6, 12, 4]) / 22
    assert v["customer_hhi"] == pytest.approx(float((shares ** 2).sum()))
    assert v["top_customer_share"] == pytest.approx(12 / 22)
    lab = m.row("l")
    # L commits 30 over 3 years (10/yr) and 6 of chips over the default 5 years (1.2/yr).
    assert lab["commitments_annual"] == pytest.approx(11.2)
    assert lab["revenue"] == 8 and lab["commitments_to_revenue"] == pytest.approx(11.2 / 8)
    assert lab["commitments_to_cash"] == pytest.approx(11.2 / 20)
    assert lab["commitments_to_funding"] == pytest.approx(11.2 / 10)
    assert lab["net_position"] == 10 - 36 and lab["missing"] == ""
    assert m.row("c")["missing"] == "revenue, cash"
    assert np.isnan(m.row("c")["commitments_to_revenue"])


def test_as_of_uses_figures_known_then() -> None:
    rs = web()
    m = company_measures(dealweb.project(rs, as_of="2025-03-31"), rs)
    lab = m.row("l")
    # The June run-rate is not known at the end of March; the 2024 revenue is.
    assert lab["revenue"] == 5 and m.figures_used["l"] == ["F1", "F3"]


def test_shorter_cycles_and_errors() -> None:
    rs = web()
    m = company_measures(dealweb.project(rs), rs, max_length=2)
    assert m.row("v")["vendor_financed_k"] == pytest.approx(6 / 22)
    with pytest.raises(NotFoundError, match="no entity with id 'zz' in the network"):
        m.row("zz")
    with pytest.raises(ValueError, match="max_length must be at least 2"):
        company_measures(dealweb.project(rs), rs, max_length=1)


def test_bounds_on_the_bundled_web() -> None:
    rs = dealweb.bundled_records()
    t = company_measures(dealweb.project(rs), rs).to_frame()
    active = t[t["inflow"] > 0]
    direct, via_k = active["vendor_financed_direct"], active["vendor_financed_k"]
    assert ((direct >= 0) & (direct <= via_k + 1e-12)).all()
    assert (active["vendor_financed_k"] <= 1 + 1e-12).all()
    assert t["net_position"].sum() == pytest.approx(0, abs=1e-3)
