"""Boundary checks for the cross-holdings models (:mod:`dealweb.contagion.crossholdings`).

Each check raises :class:`ValueError` naming the argument, the first offending entry and the
rule it breaks; inside the models the arrays are trusted.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from dealweb.contagion._checks import check_labels, check_non_negative, check_square

__all__ = ["check_holdings", "check_nodes", "check_vector", "primitive_values"]


def check_holdings(matrix: Any, name: str, *, zero_diagonal: bool) -> sp.csr_array:
    """A square non-negative holdings matrix whose columns sum to less than 1, as float CSR.

    >>> check_holdings([[0, 0.5], [0.4, 0]], "C", zero_diagonal=True).toarray().tolist()
    [[0.0, 0.5], [0.4, 0.0]]
    >>> check_holdings([[0, 0.5], [0, 0.6]], "C", zero_diagonal=False)
    Traceback (most recent call last):
    ValueError: column 1 of C sums to 1.1: the holders of 1 must own less than all of it (Σ_i M[i, j] < 1)
    """
    M, shared = check_square(matrix, name)
    M = M.copy() if shared else M  # sum_duplicates and eliminate_zeros work in place
    M.sum_duplicates()
    M.eliminate_zeros()
    check_non_negative(M, name)
    coo = M.tocoo()
    if zero_diagonal and np.any(coo.row == coo.col):
        k = int(np.flatnonzero(coo.row == coo.col)[0])
        raise ValueError(f"{name}[{coo.row[k]}, {coo.col[k]}] = {float(coo.data[k])!r}: an organisation cannot own itself "
                         "(the diagonal must be zero)")
    sums = np.asarray(M.sum(axis=0)).ravel()
    if np.any(sums >= 1):
        j = int(np.flatnonzero(sums >= 1)[0])
        raise ValueError(f"column {j} of {name} sums to {float(sums[j])!r}: the holders of {j} must own less than all of it "
                         "(Σ_i M[i, j] < 1)")
    return M


def check_vector(values: Any, name: str, n: int, *, hi: float = np.inf, scalar: bool = True) -> np.ndarray:
    """A per-node vector (or a scalar, broadcast) of finite values in ``[0, hi]``."""
    out = np.array(values, dtype=np.float64)
    if out.ndim == 0 and scalar:
        out = np.full(n, float(out))
    if out.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {out.shape}")
    bad = ~np.isfinite(out) | (out < 0) | (out > hi)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name}[{i}] = {float(out[i])!r}: {name} must be finite and within [0, {hi}]")
    return out


def primitive_values(assets: Any, prices: Any, baseline: Any, baseline_prices: Any,
                      n: int) -> tuple[np.ndarray, np.ndarray]:
    """``Dp`` after and ``Dp⁰`` before the shock, from values or from holdings and prices."""
    if baseline is not None and baseline_prices is not None:
        raise ValueError("give baseline (values Dp⁰) or baseline_prices (prices p⁰), not both")
    ndim = 2 if sp.issparse(assets) else np.ndim(assets)
    if ndim == 1:
        if prices is not None or baseline_prices is not None:
            raise ValueError("prices and baseline_prices need primitive_assets as a holdings matrix D (n × m); "
                             "primitive_assets is a vector of values")
        x = check_vector(assets, "primitive_assets", n, scalar=False)
        return x, x if baseline is None else check_vector(baseline, "baseline", n, scalar=False)
    if ndim != 2:
        raise ValueError(f"primitive_assets must be a vector of values (n,) or a holdings matrix (n, m), got {ndim} dims")
    D = sp.csr_array(assets, dtype=np.float64) if sp.issparse(assets) else sp.csr_array(np.asarray(assets, np.float64))
    if D.shape[0] != n:
        raise ValueError(f"primitive_assets has {D.shape[0]} rows but cross_holdings has {n}")
    if np.any(~np.isfinite(D.data) | (D.data < 0)):
        raise ValueError("primitive_assets (holdings D) must be finite and >= 0")
    m = D.shape[1]
    p = np.ones(m) if prices is None else check_vector(prices, "prices", m, scalar=False)
    x = D @ p
    if baseline_prices is not None:
        return x, D @ check_vector(baseline_prices, "baseline_prices", m, scalar=False)
    return x, x if baseline is None else check_vector(baseline, "baseline", n, scalar=False)


def check_nodes(nodes: Sequence[Hashable] | None, n: int, *, of: str) -> tuple[Any, ...]:
    """Node labels (:func:`~dealweb.contagion._checks.check_labels`) for the rows of the holdings matrix ``of``."""
    return check_labels(nodes, n, of=of)


def check_solver(tol: float, max_iter: int) -> None:
    """``tol`` must be a finite number > 0 and ``max_iter`` a whole number ≥ 1."""
    if isinstance(tol, bool) or not isinstance(tol, int | float) or not 0.0 < float(tol) < float("inf"):
        raise ValueError(f"tol must be a finite number > 0, got {tol!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, int | np.integer) or max_iter < 1:
        raise ValueError(f"max_iter must be a whole number >= 1, got {max_iter!r}")
