"""Losses round by round: the state of a stress run after each wave of failures.

A contagion model reports final losses and the round each company fails in. To show the
cascade unfold (the map recolours round by round), :func:`losses_by_round` splits each
company's final loss by *when it arrived*: its direct loss from the shock arrives in round 0;
what it loses because of counterparty ``j`` arrives in the round after ``j``'s wave
``wave[j]`` (a failing debtor's missed payments, a defaulted borrower's written-down loan).
Row ``r`` of the result is the cumulative loss after round ``r``::

    raw[r, i] = direct[i] + Σ_j contrib[i, j] · [0 ≤ wave[j] ≤ r − 1]
    losses[r, i] = final[i] · raw[r, i] / raw[R, i]          (final[i] where raw[R, i] = 0)

where ``R`` is the last round. The last row is exactly the final loss. For the clearing and
threshold models ``contrib`` is the model's own split of the loss (what ``j`` failed to pay
``i``, or ``(1 − R)·A[i, j]``), so the scaling is the identity; for DebtRank, whose impacts are
capped, the scaling keeps every row under the final loss. Cross-holdings are re-run wave by
wave instead (see :func:`dealweb.stress.run.stress`).

>>> import numpy as np, scipy.sparse as sp
>>> # a fails (wave 0); b loses 4 from a and fails in wave 1; c loses 2 from b
>>> contrib = sp.csr_array(np.array([[0, 0, 0], [4.0, 0, 0], [0, 2.0, 0]]))
>>> losses_by_round(np.array([10.0, 4.0, 2.0]), np.array([10.0, 0, 0]), contrib, np.array([0, 1, -1]), 2).tolist()
[[10.0, 0.0, 0.0], [10.0, 4.0, 0.0], [10.0, 4.0, 2.0]]

:func:`failure_rounds` says who fails in which round: the one answer the story, the CLI and the
web's round-by-round map all read.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = ["distress_waves", "failure_rounds", "losses_by_round"]


def losses_by_round(final: np.ndarray, direct: np.ndarray, contrib: sp.csr_array, wave: np.ndarray,
                    last_round: int) -> np.ndarray:
    """Cumulative losses after each round ``0 … last_round``: an array of shape ``(last_round + 1, n)``.

    Parameters
    ----------
    final
        Each company's final loss (the model's answer; ``nan`` stays ``nan``).
    direct
        The part that arrives in round 0 (the shock itself).
    contrib
        ``contrib[i, j]``: what ``i`` loses because of ``j`` (non-negative).
    wave
        The round in which ``j`` starts passing losses on (−1: never).
    last_round
        The last round (≥ 0); its row is ``final``.
    """
    n = len(final)
    rows = max(int(last_round), 0) + 1
    out = np.empty((rows, n), dtype=np.float64)
    active = wave >= 0
    total = direct + np.asarray(contrib @ active.astype(np.float64)).ravel()
    for r in range(rows - 1):
        arrived = (active & (wave <= r - 1)).astype(np.float64)
        raw = direct + np.asarray(contrib @ arrived).ravel()
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(total > 0, np.clip(raw / total, 0.0, 1.0), 1.0)
        out[r] = final * share
    out[rows - 1] = final
    return out


def distress_waves(exposures: sp.csr_array, start: np.ndarray) -> np.ndarray:
    """Breadth-first waves of distress: 0 for the ``start`` companies, ``k`` for those ``k``
    exposure links away (``exposures[i, j] > 0``: ``i`` is hit when ``j`` is), −1 if never reached.

    This is the order in which DebtRank (Battiston et al. 2012) spreads distress: a company
    first distressed in step ``k`` passes it on in step ``k + 1``.
    """
    n = exposures.shape[0]
    wave = np.where(start, 0, -1).astype(np.int64)
    hit_by = sp.csc_array(exposures)  # column j: who is hit when j is distressed
    frontier = np.flatnonzero(start)
    k = 0
    while frontier.size:
        k += 1
        reached = np.unique(np.concatenate([hit_by.indices[hit_by.indptr[j]:hit_by.indptr[j + 1]]
                                            for j in frontier])) if frontier.size else np.empty(0, np.int64)
        new = reached[wave[reached] < 0] if reached.size else reached
        wave[new] = k
        frontier = new
        if k > n:
            break
    return wave


def failure_rounds(failure_round: np.ndarray, failed_before: np.ndarray, shocked: np.ndarray) -> list[list[int]]:
    """Who fails in each round ``0 … last``, as node indices: the companies whose failure round is
    ``r``, leaving out those already short before the shock (the baseline) unless the scenario
    shocks them. Round 0 is the impact.

    >>> failure_rounds(np.array([0, 1, -1, 1]), np.array([False, False, False, True]), np.array([True, False, False, False]))
    [[0], [1]]
    """
    last = int(failure_round.max(initial=-1))
    counted = ~failed_before | shocked
    return [[int(i) for i in np.flatnonzero((failure_round == r) & counted)] for r in range(last + 1)]
