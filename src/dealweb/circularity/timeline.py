"""Circularity over time: every network-level measure as of each quarter end.

:func:`timeline` projects the ledger as it stood at each quarter end (see
:func:`dealweb.project` for how statuses and supersessions are replayed) and measures it,
so the growth of circular money is visible. :meth:`Timeline.plot` draws it (PNG or SVG).
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dealweb.circularity.circulation import max_circulation
from dealweb.circularity.cycles import find_cycles
from dealweb.circularity.finn import UnbalancedModelWarning, finn_cycling_index
from dealweb.circularity.hodge import hodge_decomposition
from dealweb.circularity.roundtrips import round_trips
from dealweb.model.dates import PartialDate
from dealweb.model.recordset import RecordSet
from dealweb.network.project import network
from dealweb.network.results import Result

__all__ = ["Timeline", "quarter_ends", "timeline"]

_PLOTTED = {"gross_volume": "gross volume (USD bn)", "circular_volume": "circular volume (USD bn)",
            "circularity_index": "circularity index", "finn_cycling_index": "Finn cycling index",
            "loop_share": "Hodge loop share"}


def quarter_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """Quarter-end days from the quarter holding ``start`` to the one holding ``end``.

    >>> [str(d) for d in quarter_ends(dt.date(2025, 2, 1), dt.date(2025, 7, 1))]
    ['2025-03-31', '2025-06-30', '2025-09-30']
    """
    out = []
    year, quarter = start.year, (start.month - 1) // 3
    while True:
        month = 3 * quarter + 3
        day = PartialDate(year, month).last_day()
        out.append(day)
        if day >= end:
            return out
        year, quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)


@dataclass(frozen=True, kw_only=True)
class Timeline(Result):
    """One row per quarter end: deals, gross and circular volume, the indices, cycles, round trips."""

    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def headline(self) -> dict[str, Any]:
        if self.table.empty:
            return {"quarters": 0}
        last, first = self.table.iloc[-1], self.table.iloc[0]
        return {"quarters": len(self.table), "from": str(first["as_of"]), "to": str(last["as_of"]),
                "circularity_index_now": float(last["circularity_index"]),
                "circular_volume_now": float(last["circular_volume"])}

    def plot(self, path: str | Path, *, measures: tuple[str, ...] = ("circular_volume", "circularity_index",
                                                                     "finn_cycling_index", "loop_share")) -> Path:
        """Draw the measures over time to ``path`` (``.png`` or ``.svg``); return the path."""
        # A Figure of its own, not pyplot: no global backend switch (Jupyter's inline plots keep working).
        from matplotlib.figure import Figure

        path = Path(path)
        if path.suffix.lower() not in (".png", ".svg"):
            raise ValueError(f"{path.name}: the plot is written as .png or .svg")
        unknown = [m for m in measures if m not in _PLOTTED]
        if unknown:
            raise ValueError(f"cannot plot {unknown}; choose from {sorted(_PLOTTED)}")
        fig = Figure(figsize=(8, 2.2 * len(measures)))
        axes = fig.subplots(len(measures), 1, sharex=True, squeeze=False)
        dates = pd.to_datetime(self.table["as_of"])
        for ax, name in zip(axes[:, 0], measures, strict=True):
            values = self.table[name] / (1e9 if name.endswith("volume") else 1)
            ax.plot(dates, values, marker="o", markersize=3, color="#0072B2")
            ax.set_ylabel(_PLOTTED[name], fontsize=8)
            ax.grid(alpha=0.3)
        axes[0, 0].set_title("Circularity of the deal web, quarter by quarter")
        fig.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path)
        return path


def timeline(records: RecordSet, *, start: str | None = None, end: str | None = None, max_length: int = 6,
             **network_options: Any) -> Timeline:
    """Network-level circularity as of each quarter end from ``start`` to ``end``.

    Defaults: from the quarter of the first deal to the quarter of the newest.
    ``network_options`` go to :func:`dealweb.project` (kinds, statuses, amount policy…).

    >>> import dealweb
    >>> t = timeline(dealweb.bundled_records(), start="2025-01", end="2025-06")
    >>> list(t.to_frame()["as_of"].astype(str))
    ['2025-03-31', '2025-06-30']
    """
    dates = sorted(d.announced for d in records.deals)
    if not dates and (start is None or end is None):
        return Timeline(table=pd.DataFrame(columns=["as_of"]))
    first = PartialDate.parse(start).first_day() if start else dates[0].first_day()
    last = PartialDate.parse(end).last_day() if end else dates[-1].last_day()
    if first > last:
        raise ValueError(f"start {start} is after end {end}")
    rows = []
    params: dict[str, Any] = {}
    for day in quarter_ends(first, last):
        net = network(records, as_of=day, **network_options)
        params = net.params
        circ = max_circulation(net)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnbalancedModelWarning)
            fci = finn_cycling_index(net).fci
        trips = round_trips(net)
        rows.append({
            "as_of": day, "deals": net.n_edges, "undisclosed": len(net.undisclosed), "gross_volume": net.gross,
            "circular_volume": circ.circular_volume, "circularity_index": circ.circularity_index,
            "cycles": find_cycles(net, max_length=max_length, limit=1).total_found,
            "round_trips": len(trips.trips), "round_trip_recycled": trips.headline()["recycled_total"],
            "finn_cycling_index": fci, "loop_share": hodge_decomposition(net).loop_share,
        })
    params = {**params, "as_of": None}
    return Timeline(table=pd.DataFrame(rows), network_params=params)
