"""Circularity: how much of the money in a deal web goes round in circles.

Each measure takes a :class:`~dealweb.network.Network` (or plain arrays / a sparse
matrix) and returns a typed result with ``.to_frame()``, ``.headline()`` and Jupyter
rendering. See ``docs/circularity.md`` for definitions, equations and caveats.

=========================== ====================================================================
:func:`find_cycles`         simple cycles up to length k, ranked by bottleneck
:func:`round_trips`         "A funds B, B buys from A" within a time window
:func:`max_circulation`     largest circulation under the amounts; circularity index (netting)
:func:`finn_cycling_index`  Finn cycling index and enaR flow indices
:func:`hodge_decomposition` loop share of net flow and node potentials (money hierarchy)
:func:`company_measures`    vendor-financed share, concentration, commitments vs capacity
=========================== ====================================================================
"""

from dealweb.circularity.circulation import CirculationResult, CirculationSolverError, max_circulation
from dealweb.circularity.company import CompanyMeasures, company_measures
from dealweb.circularity.cycles import Cycle, CycleResult, find_cycles
from dealweb.circularity.finn import FinnConvergenceError, FinnResult, UnbalancedModelWarning, finn_cycling_index
from dealweb.circularity.hodge import HodgeConvergenceError, HodgeResult, hodge_decomposition
from dealweb.circularity.roundtrips import RoundTrip, RoundTripResult, round_trips

__all__ = [
    "CirculationResult",
    "CirculationSolverError",
    "CompanyMeasures",
    "Cycle",
    "CycleResult",
    "FinnConvergenceError",
    "FinnResult",
    "HodgeConvergenceError",
    "HodgeResult",
    "RoundTrip",
    "RoundTripResult",
    "UnbalancedModelWarning",
    "company_measures",
    "find_cycles",
    "finn_cycling_index",
    "hodge_decomposition",
    "max_circulation",
    "round_trips",
]
