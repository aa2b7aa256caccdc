"""Contagion: who loses how much, and who fails next, if a company cannot pay.

Array-level models of the financial-networks literature, each returning a
:class:`ContagionResult` (per entity: loss, loss relative to buffer, failed, failure
round, largest contributing counterparty):

============================ ==========================================================
:func:`eisenberg_noe`        clearing payments (Eisenberg & Noe 2001), two seniority conventions
:func:`rogers_veraart`       clearing with default costs (Rogers & Veraart 2013)
:func:`debtrank`             relative equity losses (Battiston 2012; Bardoscia 2015)
:func:`threshold_cascade`    default cascades (Furfine 2003; Gai & Kapadia 2010)
:func:`cross_holdings`       market values and failure waves (Elliott, Golub & Jackson 2014)
:func:`xos`                  equity and debt cross-holdings (Suzuki 2002; Fischer 2014)
============================ ==========================================================
"""

from dealweb.contagion.clearing import ClearingConvergenceError, eisenberg_noe, rogers_veraart
from dealweb.contagion.crossholdings import CrossHoldingsConvergenceError, cross_holdings, xos
from dealweb.contagion.debtrank import DebtRankConvergenceError, debtrank
from dealweb.contagion.result import ContagionResult
from dealweb.contagion.threshold import threshold_cascade

__all__ = [
    "ClearingConvergenceError",
    "ContagionResult",
    "CrossHoldingsConvergenceError",
    "DebtRankConvergenceError",
    "cross_holdings",
    "debtrank",
    "eisenberg_noe",
    "rogers_veraart",
    "threshold_cascade",
    "xos",
]
