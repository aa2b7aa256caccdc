r"""Threshold default cascades: a company fails when its losses on failed counterparties exhaust its buffer.

Conventions
-----------
* ``exposures[i, j] = A_ij`` is **i's asset exposure to j**: what i loses, before recovery, if j
  defaults (the *assets* orientation of R ``NetworkRiskMeasures``; the transpose of a
  liabilities matrix ``L[j, i]``, j owes i, as taken by R ``systemicrisk``). Self-exposures are
  ignored.
* ``buffers[i] = K_i ≥ 0`` is the loss i can absorb (its capital / equity).
* ``recovery`` ``R`` is the fraction of a claim recovered from a defaulted debtor: a scalar, or
  one rate per debtor j (array or ``{label: rate}``).
* Solvency test (``strict=True``, the default): i defaults when its cumulative loss
  **exceeds** its buffer, ``loss_i > K_i``, as R ``systemicrisk::default_cascade``
  (``networth < loss``) and the Furfine definition in our references. ``strict=False`` defaults
  at equality, ``loss_i ≥ K_i`` (with ``loss_i > 0``: an unhurt node never fails), which is the
  ``threshold`` engine of ``NetworkRiskMeasures`` (stress ``≥ 1`` propagates) and neva's
  ``furfine`` (solvent iff equity ``> 0``).

Model
-----
Round 0: the ``initial_defaults`` fail. Round ``k ≥ 1``: every surviving i has lost ::

    loss_i = Σ_{j defaulted in rounds < k} (1 − R_j) · A_ij

and fails in round k if that breaks its buffer. The cascade stops when a round adds no default
(at most n rounds). Losses of already-failed nodes keep being counted, so ``loss`` is every
node's total loss on defaulted counterparties (for initial defaults it excludes the shock
itself, which the model does not size).

``rule="furfine"`` — Furfine, *Interbank exposures: quantifying the risk of contagion*, J. Money
Credit Banking 35(1):111–128 (2003), doi:10.1353/mcb.2003.0004: sequential rounds with an
exogenous loss-given-default ``1 − R``, on the exposures as given.

``rule="gai_kapadia"`` — Gai & Kapadia, *Contagion in financial networks*, Proc. R. Soc. A
466:2401–2423 (2010), doi:10.1098/rspa.2009.0410: zero recovery; i defaults when the share
``φ_i`` of its interbank assets ``A_i = Σ_j A_ij`` lost to defaulted counterparties exceeds its
capital ratio ``K_i / A_i``. With exposures this is the same test, ``φ_i A_i > K_i`` ⟺
``loss_i > K_i``. The difference is in the exposures: Gai–Kapadia spread each bank's interbank
assets **equally** over its ``k_i`` counterparties, ``A_ij = A_i / k_i``, which ``equal_split``
(default ``True`` for this rule, ``False`` for Furfine) rebuilds from the row sums and the
pattern of ``exposures``. Their balance sheet folds external assets and liabilities into
``K_i``; pass that net worth as the buffer. Gai–Kapadia call a bank *vulnerable* when one
counterparty's default suffices, ``K_i / A_i < 1 / k_i``; ``extra["vulnerable"]`` generalises
it to ``max_j (1 − R_j) A_ij`` breaking the buffer.

Outputs: ``loss`` as above, ``relative_loss = loss / K`` (``nan`` where ``K = 0``), ``failed``,
``failure_round`` (round, −1 for survivors), ``top_source`` = the defaulted j with the largest
``(1 − R_j) A_ij`` (smallest index on ties, −1 if no loss), ``rounds`` = last round with a new
default. ``extra``: ``interbank_assets`` ``A_i``, ``share_lost`` ``φ_i`` (before recovery; 0 if
``A_i = 0``), ``capital_ratio`` ``K_i / A_i`` (``inf`` if ``A_i = 0``), ``vulnerable``.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from dealweb.contagion._exposures import (
    ColumnProducts,
    as_buffers,
    as_exposures,
    as_node_set,
    as_node_values,
    as_nodes,
    matvec,
    row_argmax,
    take,
)
from dealweb.contagion.result import ContagionResult

__all__ = ["threshold_cascade"]

_CONVENTION = "exposures[i, j] = i's asset exposure to j (what i loses before recovery if j defaults)"


def threshold_cascade(
    exposures: Any,
    buffers: Any,
    initial_defaults: Any,
    *,
    recovery: Any = 0.0,
    rule: Literal["furfine", "gai_kapadia"] = "furfine",
    strict: bool = True,
    equal_split: bool | None = None,
    nodes: Sequence[Hashable] | None = None,
    attribute: bool = True,
) -> ContagionResult:
    """Sequential default cascade (Furfine 2003; Gai & Kapadia 2010) from a set of initial defaults.

    See the module docstring for the conventions and the difference between the two rules.

    Parameters
    ----------
    exposures
        n×n array or scipy sparse matrix; ``exposures[i, j]`` is what i loses (before recovery)
        if j defaults. Finite, non-negative; the diagonal is ignored.
    buffers
        Loss ``K_i ≥ 0`` each node absorbs without failing.
    initial_defaults
        The nodes that fail in round 0: an iterable of node labels, or one boolean per node
        (a sequence made only of booleans is a mask; an integer 0/1 array is read as labels).
    recovery
        Recovery rate in ``[0, 1]`` on claims against a defaulted debtor: scalar, per-node array
        or ``{label: rate}`` (others 0).
    rule
        ``"furfine"`` or ``"gai_kapadia"``.
    strict
        ``True``: fail when ``loss > buffer``; ``False``: when ``loss ≥ buffer`` and ``loss > 0``.
    equal_split
        Replace each row of ``exposures`` by its total spread equally over its counterparties
        (Gai–Kapadia). Default: ``True`` for ``gai_kapadia``, ``False`` for ``furfine``.
    nodes
        Labels of the n nodes (default ``0…n−1``).
    attribute
        Compute ``top_source``, the defaulted counterparty that cost each node most (default). It
        takes a pass over every entry after the cascade; ``False`` skips it and leaves
        ``top_source`` at −1. Losses, failures, rounds and ``extra`` are the same either way.

    Returns
    -------
    ContagionResult
        ``model`` is ``"furfine"`` or ``"gai_kapadia"``.

    Examples
    --------
    A chain: node 0 lent 5 to node 1, node 1 lent 6 to node 2; node 2 defaults.

    >>> r = threshold_cascade([[0, 5, 0], [0, 0, 6], [0, 0, 0]], [4, 5, 1], [2])
    >>> r.failure_round.tolist(), r.loss.tolist(), r.top_source.tolist()
    ([2, 1, 0], [5.0, 6.0, 0.0], [1, 2, -1])
    >>> threshold_cascade([[0, 5, 0], [0, 0, 6], [0, 0, 0]], [4, 5, 1], [2], recovery=0.5).failed.tolist()
    [False, False, True]
    """
    if rule not in ("furfine", "gai_kapadia"):
        raise ValueError(f"rule must be 'furfine' or 'gai_kapadia', got {rule!r}")
    if not isinstance(strict, (bool, np.bool_)):
        raise ValueError(f"strict must be True or False, got {strict!r}")
    split = (rule == "gai_kapadia") if equal_split is None else bool(equal_split)
    A = as_exposures(exposures)
    n = A.shape[0]
    labels = as_nodes(nodes, n)
    K = as_buffers(buffers, n, positive=False)
    initial = as_node_set(initial_defaults, labels, name="initial_defaults")
    rec = as_node_values(recovery, labels, name="recovery", lo=0.0, hi=1.0)
    lgd = 1.0 - rec
    if split:
        # Run on the 0/1 pattern and scale each row once by A_i / k_i, so a loss is decided the same
        # whatever order the defaulted counterparties are added in (φ_i = d_i / k_i stays exact).
        pattern = sp.csr_array((np.ones(A.nnz), A.indices, A.indptr), shape=A.shape)
        A, per_link = _equal_split(A)
        loss, failure_round, rounds = _cascade(pattern, lgd, K, initial, per_link, strict=bool(strict))
    else:
        loss, failure_round, rounds = _cascade(A, lgd, K, initial, np.ones(n), strict=bool(strict))
    failed = failure_round >= 0
    weight = np.where(failed, lgd, 0.0)
    if attribute:
        top_source = row_argmax(A, weight)
    else:
        top_source = np.full(n, -1, dtype=np.int64)

    assets = np.asarray(A.sum(axis=1)).ravel() if n else np.zeros(0)
    lost_gross = matvec(A, failed.astype(np.float64)) if n else np.zeros(0)
    single = _row_max(A, lgd)
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(K > 0, loss / np.where(K > 0, K, 1.0), np.nan)
        share = np.where(assets > 0, lost_gross / np.where(assets > 0, assets, 1.0), 0.0)
        ratio = np.where(assets > 0, K / np.where(assets > 0, assets, 1.0), np.inf)
    vulnerable = (single > K) if strict else ((single >= K) & (single > 0))
    scalar_recovery = np.ndim(recovery) == 0 and not isinstance(recovery, Mapping)
    params: dict[str, Any] = {
        "rule": rule, "convention": _CONVENTION, "strict": bool(strict), "equal_split": split,
        "test": "loss > buffer" if strict else "loss >= buffer and loss > 0",
        "recovery": float(recovery) if scalar_recovery else "per_debtor",
        "initial_defaults": int(initial.sum())}
    return ContagionResult(
        model=rule, nodes=labels, loss=loss, relative_loss=relative, failed=failed, failure_round=failure_round,
        top_source=top_source, rounds=rounds,
        extra={"interbank_assets": assets, "share_lost": share, "capital_ratio": ratio, "vulnerable": vulnerable},
        params=params)


def _equal_split(A: sp.csr_array) -> tuple[sp.csr_array, np.ndarray]:
    """Each row's total spread equally over its stored (positive) entries, ``A_ij = A_i / k_i``; and ``A_i / k_i``."""
    counts = np.diff(A.indptr)
    totals = np.add.reduceat(A.data, A.indptr[:-1][counts > 0]) if A.nnz else np.zeros(0)
    per_link = np.zeros(A.shape[0])
    per_link[counts > 0] = totals / counts[counts > 0]
    data = np.repeat(per_link, counts)
    return sp.csr_array((data, A.indices.copy(), A.indptr.copy()), shape=A.shape), per_link


def _row_max(A: sp.csr_array, lgd: np.ndarray) -> np.ndarray:
    """``max_j (1 − R_j) A_ij`` per row (0 for empty rows)."""
    out = np.zeros(A.shape[0])
    counts = np.diff(A.indptr)
    if not A.nnz:
        return out
    starts = A.indptr[:-1][counts > 0]
    if lgd.size and lgd.min() == lgd.max():  # one recovery rate: max_j (c·A_ij) = c·max_j A_ij exactly (c ≥ 0)
        out[counts > 0] = lgd[0] * np.maximum.reduceat(A.data, starts)
    else:
        out[counts > 0] = np.maximum.reduceat(A.data * take(lgd, A.indices), starts)
    return out


def _cascade(M: sp.csr_array, lgd: np.ndarray, K: np.ndarray, initial: np.ndarray, scale: np.ndarray,
             *, strict: bool) -> tuple[np.ndarray, np.ndarray, int]:
    """Rounds of defaults with ``loss_i = scale_i · Σ_{j defaulted} M_ij (1 − R_j)``.

    Returns each node's cumulative loss, its failure round and the number of rounds. Each round
    adds the columns of the round's new defaults (:class:`ColumnProducts`) and tests only the rows
    they reach.
    """
    n = K.size
    failure_round = np.where(initial, 0, -1)
    acc = np.zeros(n)
    columns = ColumnProducts(M)
    rounds = 0
    # The first rounds on whole vectors, one product each, as a plain loop does: gathering the rows a
    # product reaches costs more than the product when most rows are reached. A node no new default
    # reaches gains +0.0, so its loss and its test are unchanged. Later rounds read only the new
    # defaults' columns.
    fresh, x, gain, open_ = initial.copy(), np.empty(n), np.empty(n), np.empty(n, dtype=bool)
    for _ in range(ColumnProducts.FULL_FIRST):
        if not fresh.any():
            return scale * acc, failure_round, rounds
        np.multiply(lgd, fresh, out=x)  # 1 − R on the new defaults, +0.0 elsewhere
        columns.product(x, out=gain)
        acc += gain
        hit = scale * acc
        broke = (hit > K) if strict else ((hit >= K) & (hit > 0))
        np.logical_and(broke, np.less(failure_round, 0, out=open_), out=fresh)
        if fresh.any():
            rounds += 1
            failure_round[fresh] = rounds
    columns.spent(ColumnProducts.FULL_FIRST)
    new = np.flatnonzero(fresh)
    while new.size:
        rows, gain = columns(new, lgd[new])
        acc[rows] += gain
        hit = scale[rows] * acc[rows]
        broke = (hit > K[rows]) if strict else ((hit >= K[rows]) & (hit > 0))
        new = rows[broke & (failure_round[rows] < 0)]
        if new.size:
            rounds += 1
            failure_round[new] = rounds
    return scale * acc, failure_round, rounds
