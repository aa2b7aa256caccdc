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
:func:`clearing_batch`       Eisenberg–Noe for many scenarios at once (columns of one matrix)
:func:`smallest_shock`       reverse stress test on arrays
============================ ==========================================================

On a :class:`~dealweb.network.Network` with node-keyed inputs: :func:`clear_network`,
:func:`debtrank_network`, :func:`cascade_network`, :func:`cross_holdings_network`.
From a ledger to the models' inputs: :func:`balance_sheets` builds obligations, outside means,
exposures, equity values and cross-holdings over a horizon under named :class:`Assumptions`.
Scenarios and the story of a run are in :mod:`dealweb.stress`.
"""

from dealweb.contagion.assumptions import Assumptions, parse_horizon
from dealweb.contagion.batch import BatchClearing, clearing_batch, smallest_shock
from dealweb.contagion.clearing import ClearingConvergenceError, eisenberg_noe, rogers_veraart
from dealweb.contagion.crossholdings import CrossHoldingsConvergenceError, cross_holdings, xos
from dealweb.contagion.debtrank import DebtRankConvergenceError, debtrank
from dealweb.contagion.on_network import cascade_network, clear_network, cross_holdings_network, debtrank_network
from dealweb.contagion.result import ContagionResult
from dealweb.contagion.sheets import BalanceSheets, balance_sheets
from dealweb.contagion.threshold import threshold_cascade

__all__ = [
    "Assumptions",
    "BalanceSheets",
    "BatchClearing",
    "ClearingConvergenceError",
    "ContagionResult",
    "CrossHoldingsConvergenceError",
    "DebtRankConvergenceError",
    "balance_sheets",
    "cascade_network",
    "clear_network",
    "clearing_batch",
    "cross_holdings",
    "cross_holdings_network",
    "debtrank",
    "debtrank_network",
    "eisenberg_noe",
    "parse_horizon",
    "rogers_veraart",
    "smallest_shock",
    "threshold_cascade",
    "xos",
]
