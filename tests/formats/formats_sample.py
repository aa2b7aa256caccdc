"""A small hand-made record set that exercises every corner the formats must keep."""

from __future__ import annotations

from decimal import Decimal

from dealweb.model import Deal, Entity, FinancialSnapshot, RecordSet, Source

__all__ = ["sample_records"]

B = Decimal(10) ** 9
WIRE = Source("Example Wire", "Lab, Chips sign \"big\" deal", None, "https://wire.example/a")
FILING = Source("Chips 10-Q", "", None, "")


def sample_records() -> RecordSet:
    """Four entities and seven deals: every FtM schema, parallel deals, an aggregate
    with a tranche, a supersession, a non-USD amount, fractional cents and huge values."""
    entities = [
        Entity("lab", "Lab, Inc.", "ai_lab", aliases=("Lab PBC", "Λab"), country="US",
               notes='Makes models;\nsays "hello", and, well, commas.'),
        Entity("chips", "Chips", "chipmaker", listed=True, ticker="CHP", country="US"),
        Entity("cloud_co", "Cloud", "cloud_provider", parent="chips"),
        Entity("bank.", "Bank", "bank", country="GB"),
    ]
    deals = [
        Deal("D1", "2025-09-22", "equity_investment", "chips", "lab", 100 * B, "up_to", "announced", "high",
             (WIRE, FILING), "Up to $100B in tranches", stake_pct=Decimal("2.5"), low_usd=10 * B, high_usd=100 * B),
        Deal("D1a", "2025-10", "equity_investment", "chips", "lab", 10 * B, "exact", "closed", "high", (WIRE,),
             part_of="D1"),
        Deal("D2", "2025", "compute_commitment", "lab", "cloud_co", Decimal("300000000000.005"), "estimate",
             "signed", "medium", (WIRE,), "Over 4.5 years\u2028(a line separator) from 2027",
             horizon_years=Decimal("4.5"), start="2027", end="2032"),
        Deal("D3", "2025-11", "compute_commitment", "lab", "cloud_co", None, "undisclosed", "rumored", "low",
             (Source(url="https://rumour.example/x"),)),
        Deal("D4", "2024-03", "debt", "bank.", "cloud_co", Decimal("123456789012345.678125"), "exact", "closed",
             "high", (FILING,), currency="EUR", amount_original=Decimal("110000000000000.5")),
        Deal("D5", "2025-10-06", "warrant", "chips", "lab", Decimal("0.001"), "estimate", "signed", "medium",
             (WIRE,), stake_pct=Decimal(10)),
        Deal("D6", "2026-01", "chip_purchase", "lab", "chips", 40 * B, "exact", "signed", "high", (WIRE,),
             supersedes=("D3",)),
    ]
    financials = [
        FinancialSnapshot("V1", "lab", "2025-10", "valuation", 500 * B, "exact", None, "high", (WIRE,)),
        FinancialSnapshot("S1", "chips", "2025-12", "stake_pct", Decimal("2.75"), "estimate", "lab", "medium",
                          (FILING,), "Implied by D1a"),
    ]
    return RecordSet.of(entities, deals, financials).validate()
