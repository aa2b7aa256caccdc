"""Boundary checks shared by the exposure-driven contagion models (DebtRank, threshold cascades).

Convention
----------
``exposures[i, j]`` is **i's asset exposure to j**: what i loses if j fails completely (i lent
to j, holds j's bonds or equity, prepaid j). It is the *assets* orientation of R
``NetworkRiskMeasures`` and the transpose of a liabilities matrix ``L[j, i]`` (j owes i).
A node's exposure to itself is ignored. Every check raises :class:`ValueError` naming the
argument, the first offending entry and the rule it breaks; inside the models the arrays are
trusted.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = ["as_buffers", "as_exposures", "as_node_set", "as_node_values", "as_nodes", "row_argmax"]


def as_exposures(exposures: Any) -> sp.csr_array:
    """``exposures`` as a float CSR matrix with sorted indices, duplicates summed, no diagonal, no stored zeros.

    >>> as_exposures([[1, 2], [0, 0]]).toarray().tolist()
    [[0.0, 2.0], [0.0, 0.0]]
    >>> as_exposures([[0, -1], [0, 0]])
    Traceback (most recent call last):
    ValueError: exposures[0, 1] = -1.0: exposures must be finite and non-negative
    """
    if sp.issparse(exposures):
        matrix = sp.csr_array(exposures, dtype=np.float64)
    else:
        dense = np.asarray(exposures, dtype=np.float64)
        if dense.ndim != 2:
            raise ValueError(f"exposures must be a square 2-D matrix, got {dense.ndim} dimension(s)")
        matrix = sp.csr_array(dense)
    if matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"exposures must be a square matrix, got shape {matrix.shape}")
    matrix.sum_duplicates()
    bad = np.flatnonzero(~np.isfinite(matrix.data) | (matrix.data < 0))
    if bad.size:
        row = int(np.searchsorted(matrix.indptr, bad[0], side="right") - 1)
        col = int(matrix.indices[bad[0]])
        raise ValueError(f"exposures[{row}, {col}] = {float(matrix.data[bad[0]])!r}: exposures must be finite and non-negative")
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    keep = (rows != matrix.indices) & (matrix.data > 0)
    clean = sp.csr_array((matrix.data[keep], (rows[keep], matrix.indices[keep])), shape=matrix.shape)
    clean.sort_indices()
    return clean


def as_nodes(nodes: Sequence[Hashable] | None, n: int) -> tuple[Any, ...]:
    """Node labels: ``range(n)`` by default, else ``n`` distinct labels."""
    if nodes is None:
        return tuple(range(n))
    labels = tuple(nodes)
    if len(labels) != n:
        raise ValueError(f"nodes has {len(labels)} labels but exposures has {n} rows")
    if len(set(labels)) != n:
        raise ValueError("nodes must be distinct labels")
    return labels


def as_buffers(buffers: Any, n: int, *, positive: bool) -> np.ndarray:
    """Per-node buffers (equity), finite and ``> 0`` (``positive``) or ``≥ 0``."""
    values = np.asarray(buffers, dtype=np.float64)
    if values.shape != (n,):
        raise ValueError(f"buffers must have shape ({n},) to match exposures, got {values.shape}")
    bad = ~np.isfinite(values) | ((values <= 0) if positive else (values < 0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        rule = "finite and > 0 (equity that can absorb a loss)" if positive else "finite and >= 0"
        raise ValueError(f"buffers[{i}] = {float(values[i])!r}: buffers must be {rule}")
    return values


def as_node_values(values: Any, nodes: tuple[Any, ...], *, name: str, lo: float = 0.0,
                   hi: float = np.inf) -> np.ndarray:
    """A per-node vector given as an array of length n, or as a mapping ``label -> value`` (others 0).

    Values must be finite and within ``[lo, hi]``.

    >>> as_node_values({"b": 0.5}, ("a", "b"), name="shock", hi=1.0).tolist()
    [0.0, 0.5]
    """
    n = len(nodes)
    if isinstance(values, Mapping):
        index = {label: k for k, label in enumerate(nodes)}
        out = np.zeros(n)
        for label, value in values.items():
            if label not in index:
                raise ValueError(f"{name}: {label!r} is not one of the nodes")
            out[index[label]] = float(value)
    else:
        out = np.array(values, dtype=np.float64)
        if out.ndim == 0:
            out = np.full(n, float(out))
        if out.shape != (n,):
            raise ValueError(f"{name} must have shape ({n},) to match exposures, got {out.shape}")
    bad = ~np.isfinite(out) | (out < lo) | (out > hi)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name}[{nodes[i]!r}] = {float(out[i])!r}: {name} must be finite and within [{lo}, {hi}]")
    return out


def as_node_set(members: Any, nodes: tuple[Any, ...], *, name: str) -> np.ndarray:
    """A set of nodes as a boolean mask: booleans (one per node), or an iterable of node labels.

    A sequence made only of booleans is read as a mask; anything else as labels (so an
    integer 0/1 array is a list of *labels* 0 and 1, not a mask).

    >>> as_node_set(["b"], ("a", "b", "c"), name="initial_defaults").tolist()
    [False, True, False]
    """
    n = len(nodes)
    if isinstance(members, (str, bytes)) or not isinstance(members, Iterable):
        members = [members]
    items = list(members)
    if items and all(isinstance(x, (bool, np.bool_)) for x in items):
        if len(items) != n:
            raise ValueError(f"{name} as a boolean mask must have length {n}, got {len(items)}")
        return np.array(items, dtype=bool)
    index = {label: k for k, label in enumerate(nodes)}
    mask = np.zeros(n, dtype=bool)
    for label in items:
        key = label.item() if isinstance(label, np.generic) else label
        if key not in index:
            raise ValueError(f"{name}: {label!r} is not one of the nodes")
        mask[index[key]] = True
    return mask


def row_argmax(matrix: sp.csr_array) -> np.ndarray:
    """Per row, the column of the largest positive entry (the smallest such column on ties); ``-1`` if none.

    ``matrix`` must be CSR with sorted indices.

    >>> row_argmax(sp.csr_array(np.array([[0, 2.0, 2.0], [0, 0, 0], [1.0, 0, 3.0]]))).tolist()
    [1, -1, 2]
    """
    n = matrix.shape[0]
    out = np.full(n, -1, dtype=np.int64)
    data = matrix.data
    lengths = np.diff(matrix.indptr)
    nonempty = np.flatnonzero(lengths)
    if data.size == 0:
        return out
    top = np.zeros(n)
    top[nonempty] = np.maximum.reduceat(data, matrix.indptr[nonempty])
    rows = np.repeat(np.arange(n), lengths)
    hit = (data == top[rows]) & (data > 0)
    first_rows, first_at = np.unique(rows[hit], return_index=True)
    out[first_rows] = matrix.indices[np.flatnonzero(hit)[first_at]]
    return out
