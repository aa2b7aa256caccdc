"""The one place the circularity measures read their input: a Network or a square matrix."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from dealweb.errors import Problem, ValidationError
from dealweb.network.graph import Network

__all__ = ["edge_arrays"]


def edge_arrays(obj: Network | Any) -> tuple[tuple[Any, ...], np.ndarray, np.ndarray, np.ndarray]:
    """Node labels and ``(src, dst, amount)`` edge arrays of a Network or a square matrix.

    A matrix gives one edge per stored non-zero entry ``flows[i, j]`` (duplicates summed) and
    integer node labels. Amounts must be finite and non-negative: a
    :class:`~dealweb.errors.ValidationError` names every bad cell (up to 20). Self-loops
    and zero entries are kept; each measure decides what to do with them.

    >>> nodes, src, dst, amount = edge_arrays([[0, 2], [1, 0]])
    >>> nodes, src.tolist(), dst.tolist(), amount.tolist()
    ((0, 1), [0, 1], [1, 0], [2.0, 1.0])
    """
    if isinstance(obj, Network):  # amounts were checked when the Network was built
        return obj.nodes, obj.src, obj.dst, np.asarray(obj.amount, dtype=np.float64)
    matrix = obj if sp.issparse(obj) else np.asarray(obj, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"flows must be a square matrix, got shape {matrix.shape}")
    csr = sp.csr_array(matrix, dtype=np.float64)
    csr.sum_duplicates()
    coo = csr.tocoo()
    src, dst, amount = coo.row.astype(np.int32), coo.col.astype(np.int32), coo.data.astype(np.float64)
    bad = np.flatnonzero(~np.isfinite(amount) | (amount < 0))
    if bad.size:
        raise ValidationError([Problem(f"flows[{src[e]}, {dst[e]}]", "amount", "amount",
                                       f"{amount[e].item()!r} is not a non-negative finite number") for e in bad[:20]])
    return tuple(range(matrix.shape[0])), src, dst, amount
