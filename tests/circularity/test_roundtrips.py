"""round_trips: "A funds B, B buys from A" on hand-made webs and on the bundled dataset."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dealweb
from dealweb.circularity.roundtrips import round_trips
from dealweb.network import Network

Edge = tuple[str, str, float, str, str, str]  # source, target, amount, id, kind, date


def make_net(edges: list[Edge]) -> Network:
    nodes = tuple(sorted({e[0] for e in edges} | {e[1] for e in edges}))
    index = {v: i for i, v in enumerate(nodes)}
    return Network(nodes, np.array([index[e[0]] for e in edges], dtype=np.int32),
                   np.array([index[e[1]] for e in edges], dtype=np.int32), np.array([e[2] for e in edges]),
                   edge_ids=np.array([e[3] for e in edges], dtype=object),
                   edge_kinds=np.array([e[4] for e in edges], dtype=object),
                   edge_dates=np.array([e[5] for e in edges], dtype="datetime64[D]"), params={"source": "test"})


WEB = make_net([
    ("chips", "lab", 10.0, "F1", "equity_investment", "2025-01-01"),
    ("lab", "chips", 30.0, "P1", "chip_purchase", "2025-03-01"),        # 59 days after F1
    ("lab", "chips", 4.0, "P2", "compute_commitment", "2024-12-01"),    # 31 days before F1
    ("chips", "lab", 50.0, "F2", "debt", "2028-01-01"),                 # years later: a second episode
    ("lab", "chips", 20.0, "P3", "licensing", "2028-06-01"),
    ("lab", "chips", 99.0, "P4", "chip_purchase", "2030-01-01"),        # no funding within a year
    ("cloud", "lab", 7.0, "F3", "equity_investment", "2025-01-01"),     # lab never buys from cloud
    ("lab", "cloud", 8.0, "X1", "equity_investment", "2025-01-02"),     # funding both ways is no round trip
])


def test_episodes_amounts_and_gaps() -> None:
    res = round_trips(WEB)
    got = [(t.funder, t.recipient, t.funding_ids, t.purchase_ids, t.funding, t.purchase, t.recycled, t.gap_days)
           for t in res.trips]
    assert got == [
        # 2028: debt 50 out, licences 20 back → at most 20 of the 50 comes back; 152 days apart.
        ("chips", "lab", ("F2",), ("P3",), 50.0, 20.0, 20.0, 152),
        # 2025: equity 10 out, purchases 4 + 30 back → all 10 can come back; the closest pair is P2, 31 days before F1.
        ("chips", "lab", ("F1",), ("P1", "P2"), 10.0, 34.0, 10.0, -31),
    ]
    t = res.trips[1]
    assert t.funding_kinds == ("equity_investment",) and t.purchase_kinds == ("chip_purchase", "compute_commitment")
    assert (t.funding_date, t.purchase_date) == (dt.date(2025, 1, 1), dt.date(2024, 12, 1))
    assert res.headline() == {"round_trips": 2, "recycled_total": 30.0, "largest": "chips → lab", "largest_recycled": 20.0}
    frame = res.to_frame()
    assert frame["purchase_deals"].tolist() == ["P3", "P1+P2"] and frame["rank"].tolist() == [1, 2]
    assert res.network_params == {"source": "test"}


def test_window_is_inclusive_and_kinds_are_configurable() -> None:
    assert [t.purchase_ids for t in round_trips(WEB, window_days=59).trips if t.funding_ids == ("F1",)] == [("P1", "P2")]
    assert [t.purchase_ids for t in round_trips(WEB, window_days=58).trips if t.funding_ids == ("F1",)] == [("P2",)]
    assert round_trips(WEB, window_days=0).trips == []
    only_equity = round_trips(WEB, kinds_out=["equity_investment"], kinds_back=["chip_purchase"])
    assert [(t.funding_ids, t.purchase_ids) for t in only_equity.trips] == [(("F1",), ("P1",))]
    # With an 800-day window P4 (731 days after F2) joins the 2028 episode; F1 stays apart (P3 is 1247 days on).
    assert round_trips(WEB, window_days=800).trips[0].purchase_ids == ("P3", "P4")


def test_empty_when_nothing_matches() -> None:
    res = round_trips(make_net([("a", "b", 1.0, "F", "equity_investment", "2025-01-01")]))
    assert res.trips == [] and res.headline()["round_trips"] == 0 and res.to_frame().empty


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"window_days": -1}, "window_days"),
    ({"kinds_out": ["equity"]}, "kinds_out"),
    ({"kinds_back": "lease"}, "kinds_back"),
])
def test_invalid_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        round_trips(WEB, **kwargs)  # type: ignore[arg-type]


def test_needs_kinds_and_dates() -> None:
    with pytest.raises(ValueError, match="kinds and dates"):
        round_trips(Network.from_matrix([[0, 1], [1, 0]]))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 100),
                          st.sampled_from(["equity_investment", "debt", "compute_commitment", "lease", "backstop"]),
                          st.integers(0, 2000)), max_size=25),
       st.integers(0, 800))
def test_every_deal_in_at_most_one_trip(rows: list[tuple[int, int, int, str, int]], window: int) -> None:
    base = dt.date(2023, 1, 1)
    net = make_net([(f"n{a}", f"n{b}", float(x), f"D{i}", kind, str(base + dt.timedelta(days=d)))
                    for i, (a, b, x, kind, d) in enumerate(rows)])
    res = round_trips(net, window_days=window)
    seen = [d for t in res.trips for d in t.funding_ids + t.purchase_ids]
    assert len(seen) == len(set(seen))
    for t in res.trips:
        assert t.funder != t.recipient and abs(t.gap_days) <= window
        assert t.recycled == min(t.funding, t.purchase) <= t.funding
    assert [t.recycled for t in res.trips] == sorted((t.recycled for t in res.trips), reverse=True)


def test_bundled_microsoft_anthropic_round_trip() -> None:
    """Nov 18 2025: Microsoft invests up to $5B in Anthropic (D55) and Anthropic commits $30B to
    Azure (D57) the same day. D55 is a component of Anthropic's Series G aggregate (D94); the
    projection counts D55 at its own $5B and gives D94 only the remainder, so the edge is
    there. At most $5B of Microsoft's money can come straight back."""
    for as_of in (None, "2025-12-31"):
        net = dealweb.project(dealweb.bundled_records(), as_of=as_of)
        trip = next(t for t in round_trips(net).trips if (t.funder, t.recipient) == ("microsoft", "anthropic"))
        assert (trip.funding_ids, trip.purchase_ids) == (("D55",), ("D57",))
        assert (trip.funding, trip.purchase, trip.recycled, trip.gap_days) == (5e9, 30e9, 5e9, 0)
        assert trip.funding_date == dt.date(2025, 11, 18)
        # D89 (Microsoft pays Anthropic for Claude) is a purchase the other way round; with no
        # Anthropic → Microsoft funding it never makes an Anthropic-funds-Microsoft round trip.
        assert all((t.funder, t.recipient) != ("anthropic", "microsoft") for t in round_trips(net).trips)
