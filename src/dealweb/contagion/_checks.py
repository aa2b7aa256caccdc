"""Input checks shared by the contagion models: the square matrices and node labels every model takes.

Each ``check_*`` raises :class:`ValueError` naming the argument, the first offending entry and the
rule it breaks; the models trust what they return. The model-specific rules (a zero diagonal for
liabilities, column sums below 1 for holdings, dropped self-exposures) stay with their models
(:mod:`~dealweb.contagion.clearing`, :mod:`~dealweb.contagion._crossholdings_checks`,
:mod:`~dealweb.contagion._exposures`); their per-node vectors keep their own messages too
("one value per node" for the clearing, "must have shape (n,)" elsewhere), which tests and users rely on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = ["check_labels", "check_non_negative", "check_square"]


def check_square(value: Any, name: str) -> tuple[sp.csr_array, bool]:
    """``value`` (dense or scipy sparse) as a float CSR matrix, and whether that shares the input's arrays.

    A float CSR input is not copied (10M entries are 120 MB to copy and fault in), so a caller that
    changes the matrix in place must copy it first when ``shared``.

    >>> m, shared = check_square([[0, 1], [2, 0]], "L")
    >>> m.toarray().tolist(), shared
    ([[0.0, 1.0], [2.0, 0.0]], False)
    >>> check_square([[0, 1, 0], [1, 0, 0]], "L")
    Traceback (most recent call last):
    ValueError: L must be square (n × n), got shape (2, 3)
    """
    shared = sp.issparse(value)
    if shared:
        # A float64 csr_array is used as it is (a new wrapper would forget its cached canonical-format flag).
        matrix = value if type(value) is sp.csr_array and value.dtype == np.float64 else sp.csr_array(value, dtype=np.float64)
    else:
        dense = np.asarray(value, dtype=np.float64)
        if dense.ndim != 2:
            raise ValueError(f"{name} must be a square 2-D matrix (n × n), got {dense.ndim} dimension(s)")
        matrix = sp.csr_array(dense)
    if matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"{name} must be square (n × n), got shape {matrix.shape}")
    return matrix, shared


def check_non_negative(matrix: sp.csr_array, name: str) -> None:
    """Every stored entry of the CSR ``matrix`` is finite and ``≥ 0``; else name the first bad one.

    >>> check_non_negative(sp.csr_array(np.array([[0, -1.0], [np.nan, 0]])), "exposures")
    Traceback (most recent call last):
    ValueError: exposures[0, 1] = -1.0: exposures must be finite and non-negative (2 bad entries)
    """
    data = matrix.data
    # Two reductions, no temporaries: a NaN makes the minimum NaN, ±inf shows in the minimum or maximum.
    if not data.size or (data.min() >= 0 and data.max() < np.inf):
        return
    bad = np.flatnonzero(~np.isfinite(data) | (data < 0))
    if bad.size:
        row = int(np.searchsorted(matrix.indptr, bad[0], side="right") - 1)
        col = int(matrix.indices[bad[0]])
        more = f" ({bad.size} bad entries)" if bad.size > 1 else ""
        raise ValueError(f"{name}[{row}, {col}] = {float(matrix.data[bad[0]])!r}: {name} must be finite and "
                         f"non-negative{more}")


@lru_cache(maxsize=4)
def _range_tuple(n: int) -> tuple[int, ...]:
    return tuple(range(n))


def _default_labels(n: int) -> tuple[int, ...]:
    """``(0, …, n − 1)``; kept for reuse up to 2¹⁷ nodes, where building it weighs against a small model run
    (a scenario sweep or Monte Carlo calls a model many times on one network). The tuple is immutable."""
    return _range_tuple(n) if n <= 1 << 17 else tuple(range(n))


def check_labels(nodes: Sequence[Hashable] | None, n: int, *, of: str) -> tuple[Any, ...]:
    """Node labels: ``range(n)`` by default, else ``n`` distinct labels for the rows of the matrix ``of``.

    >>> check_labels(["a", "b"], 2, of="liabilities")
    ('a', 'b')
    >>> check_labels(["a", "a"], 2, of="liabilities")
    Traceback (most recent call last):
    ValueError: nodes must be 2 distinct labels: 'a' names two nodes
    """
    if nodes is None:
        return _default_labels(n)
    labels = tuple(nodes)
    if len(labels) != n:
        raise ValueError(f"nodes has {len(labels)} labels but {of} has {n} rows (nodes must name the {n} nodes of {of})")
    if len(set(labels)) != n:
        twice = next(label for label, count in Counter(labels).items() if count > 1)
        raise ValueError(f"nodes must be {n} distinct labels: {twice!r} names two nodes")
    return labels
