"""All circularity measures of one web, together: what ``dealweb circularity``, ``make run``,
the web app and the HTML report show.

:func:`circularity_report` runs every measure on one projection and joins the per-company
numbers into one table, so every interface shows the same numbers from the same call.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from dealweb.circularity.circulation import CirculationResult, max_circulation
from dealweb.circularity.company import CompanyMeasures, company_measures
from dealweb.circularity.cycles import CycleResult, find_cycles
from dealweb.circularity.finn import FinnResult, UnbalancedModelWarning, finn_cycling_index
from dealweb.circularity.hodge import HodgeResult, hodge_decomposition
from dealweb.circularity.roundtrips import RoundTripResult, round_trips
from dealweb.errors import NotFoundError
from dealweb.model.recordset import RecordSet
from dealweb.network.graph import Network
from dealweb.network.headline import Headline
from dealweb.network.results import Result

__all__ = ["CircularityReport", "CompanyRisk", "circularity_report", "company_risk"]


@dataclass(frozen=True, kw_only=True)
class CircularityReport(Result):
    """Every circularity measure of one projection.

    ``to_frame()`` is the per-company table: company measures joined with each company's
    circular throughput (maximum circulation), cycled throughflow (Finn) and potential
    (Hodge).
    """

    cycles: CycleResult
    round_trips: RoundTripResult
    circulation: CirculationResult
    finn: FinnResult
    hodge: HodgeResult
    companies: CompanyMeasures

    @cached_property
    def _company_table(self) -> pd.DataFrame:
        # Joined once per report: company_risk reads it once per company.
        table = self.companies.to_frame()
        circ = self.circulation.nodes_frame().set_index("id")[["circular_through", "circular_share_of_inflow"]]
        finn = self.finn.to_frame().set_index("id")[["return_probability", "cycled_throughflow"]]
        hodge = self.hodge.to_frame().set_index("id")[["potential"]]
        return table.join(circ).join(finn).join(hodge)

    def to_frame(self) -> pd.DataFrame:
        return self._company_table.copy()

    @property
    def volume(self) -> Headline:
        """The gross flows on the projection's counting basis, with face value beside it."""
        return Headline.of_network(self.network_params, self.circulation.gross)

    def headline(self) -> dict[str, Any]:
        c, f, h = self.circulation, self.finn, self.hodge
        volume = self.volume
        return {
            "basis": volume.basis,
            "gross_volume_face": float(volume.face_usd),
            "as_of": volume.as_of,
            "volume": volume.to_dict(),
            "gross_volume": c.gross,
            "circular_volume": c.circular_volume,
            "circularity_index": c.circularity_index,
            "circular_volume_gap_bound": c.gap_bound,
            "circular_volume_certificate": c.certificate,
            "cycles": self.cycles.total_found,
            "largest_cycle": self.cycles.headline()["largest_cycle"],
            "largest_cycle_bottleneck": self.cycles.headline()["largest_bottleneck"],
            "round_trips": len(self.round_trips.trips),
            "round_trip_recycled": self.round_trips.headline()["recycled_total"],
            "finn_cycling_index": f.fci,
            "loop_share": h.loop_share,
            "most_upstream": h.headline()["most_upstream"],
            "undisclosed_deals": len(self.undisclosed),
        }


def circularity_report(net: Network, records: RecordSet | None = None, *, max_length: int = 6,
                       top_cycles: int = 50, window_days: int = 365) -> CircularityReport:
    """Run every circularity measure on ``net``.

    Parameters
    ----------
    net
        A projection from a ledger (round trips and company measures need deal kinds and dates).
    records
        The records ``net`` came from, for the financial figures of the capacity ratios.
    max_length
        Longest cycle, in deals, for cycles and the vendor-financed share.
    top_cycles
        How many cycles to keep (all are counted).
    window_days
        Round trips: most days between the funding and the purchase.

    Examples
    --------
    >>> import dealweb
    >>> rs = dealweb.bundled_records()
    >>> r = circularity_report(dealweb.project(rs), rs)
    >>> 0 < r.headline()["circularity_index"] < 1
    True
    """
    with warnings.catch_warnings():
        # The default boundary balances the books by construction; a user-supplied one may not.
        warnings.simplefilter("ignore", UnbalancedModelWarning)
        finn = finn_cycling_index(net)
    return CircularityReport(
        cycles=find_cycles(net, max_length=max_length, limit=top_cycles),
        round_trips=round_trips(net, window_days=window_days),
        circulation=max_circulation(net),
        finn=finn,
        hodge=hodge_decomposition(net),
        companies=company_measures(net, records, max_length=max_length),
        network_params=net.params,
        undisclosed=net.undisclosed,
    )


@dataclass(frozen=True, kw_only=True)
class CompanyRisk(Result):
    """One company's circularity card: its measures, the cycles and round trips it is on."""

    entity: str
    name: str
    measures: dict[str, Any]
    cycles: pd.DataFrame
    round_trips: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.measures], index=pd.Index([self.entity], name="id"))

    def headline(self) -> dict[str, Any]:
        keys = ("inflow", "outflow", "vendor_financed_direct", "vendor_financed_k", "circular_share_of_inflow",
                "top_customer_share", "commitments_annual", "commitments_to_revenue", "potential", "missing")
        return {"entity": self.entity, "name": self.name, **{k: self.measures.get(k) for k in keys},
                "cycles": len(self.cycles), "round_trips": len(self.round_trips)}


def company_risk(report: CircularityReport, entity_id: str) -> CompanyRisk:
    """The part of ``report`` about one company; :class:`~dealweb.errors.NotFoundError` if unknown."""
    table = report._company_table
    if entity_id not in table.index:
        raise NotFoundError(f"no entity with id {entity_id!r} in the network")
    row = {str(k): v for k, v in table.loc[entity_id].to_dict().items()}
    cycles = report.cycles.to_frame()
    on_cycle = [entity_id in c.nodes for c in report.cycles.cycles]
    trips = report.round_trips.to_frame()
    if len(trips):
        trips = trips[(trips["funder"] == entity_id) | (trips["recipient"] == entity_id)].reset_index(drop=True)
    return CompanyRisk(entity=entity_id, name=str(row.get("name", entity_id)), measures=row,
                       cycles=cycles[on_cycle].reset_index(drop=True) if len(cycles) else cycles,
                       round_trips=trips,
                       network_params=report.network_params, undisclosed=report.undisclosed)
