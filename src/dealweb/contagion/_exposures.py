"""Boundary checks shared by the exposure-driven contagion models (DebtRank, threshold cascades).

Convention
----------
``exposures[i, j]`` is **i's asset exposure to j**: what i loses if j fails completely (i lent
to j, holds j's bonds or equity, prepaid j). It is the *assets* orientation of R
``NetworkRiskMeasures`` and the transpose of a liabilities matrix ``L[j, i]`` (j owes i).
A node's exposure to itself is ignored. Every check raises :class:`ValueError` naming the
argument, the first offending entry and the rule it breaks; inside the models the arrays are
trusted. The rules every contagion model shares (a square non-negative matrix, distinct node
labels) live in :mod:`dealweb.contagion._checks`.

The module also holds the sparse kernels the contagion models share: :func:`row_argmax`;
:class:`Product` and :func:`matvec`, a CSR product that splits large matrices into row blocks
computed on ``DEALWEB_THREADS`` threads (default one; SciPy's sparse kernels release the GIL); and
:class:`ColumnProducts`, ``M[:, cols] @ v`` for a changing set of columns, as a full product
when the set is large or the run is young, and from a CSC copy of ``M`` once many small sets
have come. Each sum runs over its terms in column order starting from zero, as
SciPy's own products do, so every result is bitwise the same as ``matrix @ x`` or
``matrix.tocsc()[:, cols] @ v``. Last, :func:`bicgstab`: SciPy's BiCGSTAB step for step, with dot
products that do not go through BLAS.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Hashable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator

from dealweb.contagion._checks import check_labels, check_non_negative, check_square

__all__ = ["ColumnProducts", "Product", "as_buffers", "as_exposures", "as_node_set", "as_node_values", "as_nodes",
           "bicgstab", "dot", "matvec", "norm", "row_argmax", "take"]

#: Matrices with fewer stored entries than this are multiplied on the calling thread only.
_PARALLEL_NNZ = 500_000


def as_exposures(exposures: Any) -> sp.csr_array:
    """``exposures`` as a float CSR matrix with sorted indices, duplicates summed, no diagonal, no stored zeros.

    A float CSR input that already is so is returned as it is, sharing its arrays: callers must not
    change the result in place.

    >>> as_exposures([[1, 2], [0, 0]]).toarray().tolist()
    [[0.0, 2.0], [0.0, 0.0]]
    >>> as_exposures([[0, -1], [0, 0]])
    Traceback (most recent call last):
    ValueError: exposures[0, 1] = -1.0: exposures must be finite and non-negative
    """
    matrix, shared = check_square(exposures, "exposures")
    if not matrix.has_canonical_format:
        matrix = matrix.copy() if shared else matrix
        matrix.sum_duplicates()
    data = matrix.data
    lo, hi = (data.min(), data.max()) if data.size else (1.0, 1.0)
    if not (lo >= 0 and hi < np.inf):  # a NaN, an infinity or a negative entry: name the first
        check_non_negative(matrix, "exposures")
    if lo > 0 and not matrix.diagonal().any():
        # The usual case, nothing to drop: the input's own arrays, not a copy (the models only read
        # them; 10M entries are 120 MB to copy and fault in).
        return matrix
    counts = np.diff(matrix.indptr)
    keep = (np.repeat(np.arange(matrix.shape[0], dtype=matrix.indices.dtype), counts) != matrix.indices)
    keep &= matrix.data > 0
    # Drop entries in place of a COO round trip: rows stay in order and indices sorted (sum_duplicates sorted them).
    indptr = np.concatenate(([0], np.cumsum(keep)))[matrix.indptr]
    return sp.csr_array((matrix.data[keep], matrix.indices[keep], indptr.astype(matrix.indptr.dtype, copy=False)),
                        shape=matrix.shape)


def as_nodes(nodes: Sequence[Hashable] | None, n: int) -> tuple[Any, ...]:
    """Node labels: ``range(n)`` by default, else ``n`` distinct labels."""
    return check_labels(nodes, n, of="exposures")


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
    if isinstance(members, np.ndarray) and members.dtype == np.bool_ and members.ndim == 1:
        if members.size != n:  # a mask given as an array: checked without a Python loop over its items
            raise ValueError(f"{name} as a boolean mask must have length {n}, got {members.size}")
        return members.copy()
    if isinstance(members, (str, bytes)) or not isinstance(members, Iterable):
        members = [members]
    items = list(members)
    if items and all(isinstance(x, (bool, np.bool_)) for x in items):
        if len(items) != n:
            raise ValueError(f"{name} as a boolean mask must have length {n}, got {len(items)}")
        return np.array(items, dtype=bool)
    mask = np.zeros(n, dtype=bool)
    index: dict[Any, int] | None = None  # built only when a label is not at its own position
    for label in items:
        key = label.item() if isinstance(label, np.generic) else label
        # Labels are distinct, so an integer found at its own position is that node (the default labels 0…n−1).
        if type(key) is int and 0 <= key < n and type(nodes[key]) is int and nodes[key] == key:
            mask[key] = True
            continue
        if index is None:
            index = {node: k for k, node in enumerate(nodes)}
        if key not in index:
            raise ValueError(f"{name}: {label!r} is not one of the nodes")
        mask[index[key]] = True
    return mask


def row_argmax(matrix: sp.csr_array, weight: np.ndarray | None = None) -> np.ndarray:
    """Per row, the column of the largest positive entry (the smallest such column on ties); ``-1`` if none.

    ``matrix`` must be CSR with sorted indices. With ``weight``, the entries are
    ``matrix[i, j] · weight[j]`` (bitwise the same products), without building that matrix; the
    matrix's entries must then be non-negative (exposures), so only columns with a positive weight
    can win. Only the
    positive entries are looked at after one pass, so attribution costs little when few columns
    carry a loss.

    >>> row_argmax(sp.csr_array(np.array([[0, 2.0, 2.0], [0, 0, 0], [1.0, 0, 3.0]]))).tolist()
    [1, -1, 2]
    >>> row_argmax(sp.csr_array(np.array([[0, 2.0, 2.0], [0, 0, 0], [1.0, 0, 3.0]])), np.array([1.0, 0.0, 0.5])).tolist()
    [2, -1, 2]
    """
    n = matrix.shape[0]
    out = np.full(n, -1, dtype=np.int64)
    data = matrix.data
    if data.size == 0:
        return out
    w = None if weight is None else take(weight, matrix.indices)
    mask = data > 0 if w is None else w > 0
    if int(np.count_nonzero(mask)) * 4 > data.size:  # most entries count: one pass per step over all of them
        return _row_argmax_all(matrix, data if w is None else data * w, out)
    pos = np.flatnonzero(mask)
    vals = data[pos] if w is None else data[pos] * w[pos]
    if w is not None:
        keep = vals > 0
        if not keep.all():
            pos, vals = pos[keep], vals[keep]
    if pos.size == 0:
        return out
    rows = np.searchsorted(matrix.indptr, pos, side="right") - 1  # non-decreasing: entries are in row order
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    top = np.maximum.reduceat(vals, starts)
    hit = np.flatnonzero(vals == np.repeat(top, np.diff(np.r_[starts, vals.size])))
    first = np.r_[True, rows[hit[1:]] != rows[hit[:-1]]]
    out[rows[hit[first]]] = matrix.indices[pos[hit[first]]]
    return out


def _row_argmax_all(matrix: sp.csr_array, values: np.ndarray, out: np.ndarray) -> np.ndarray:
    """:func:`row_argmax` over ``values`` (one per stored entry of ``matrix``) when most of them count."""
    n = matrix.shape[0]
    lengths = np.diff(matrix.indptr)
    nonempty = np.flatnonzero(lengths)
    top = np.full(n, np.inf)  # a row without a positive entry has no hit
    top[nonempty] = np.maximum.reduceat(values, matrix.indptr[nonempty])
    top[top <= 0] = np.inf
    hit = np.flatnonzero(values == np.repeat(top, lengths))
    rows = np.searchsorted(matrix.indptr, hit, side="right") - 1
    first = np.r_[True, rows[1:] != rows[:-1]] if hit.size else np.zeros(0, dtype=bool)
    out[rows[first]] = matrix.indices[hit[first]]
    return out


try:  # SciPy's CSR kernel, y += A·x in place; what ``csr @ x`` calls on a fresh zero vector
    from scipy.sparse._sparsetools import csr_matvec as _csr_matvec
except ImportError:  # a SciPy without it: products allocate their result, as ``csr @ x`` does
    _csr_matvec = None

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _threads() -> int:
    """Threads for large products and gathers: ``DEALWEB_THREADS`` (default 1, capped at the usable CPUs).

    One by default because that is what measurement chose: on the 2-CPU machine of issue 17, two
    threads made a product with 1M or 10M entries slower than one (the memory bus is the limit, and on
    a shared machine the second core is often busy). Set ``DEALWEB_THREADS`` (e.g. to the CPU count) on
    a machine where ``python -m benchmarks.kernels_bench`` shows them to pay; results are bitwise the same.
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    try:
        wanted = int(os.environ.get("DEALWEB_THREADS", "1"))
    except ValueError:
        wanted = 1
    return max(1, min(wanted, cpus))


def _executor(workers: int) -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dealweb-matvec")
        return _pool


class Product:
    """``matrix @ x`` for a CSR ``matrix``, its rows cut once into blocks that run on one thread each.

    A matrix with ``_PARALLEL_NNZ`` entries or more is cut into one block of rows per thread (:func:`_threads`, up to 8),
    of about equal numbers of entries, sharing ``matrix``'s arrays; each product runs the blocks on
    a thread pool (SciPy's kernel releases the GIL). Every row is summed as ``matrix @ x`` sums it.

    >>> m = sp.random_array((2000, 2000), density=0.2, format="csr", rng=0)
    >>> x = np.arange(2000.0)
    >>> bool(np.array_equal(Product(m)(x), m @ x))
    True
    >>> out = np.empty(2000)
    >>> Product(m)(x, out=out) is out and bool(np.array_equal(out, m @ x))
    True
    """

    def __init__(self, matrix: sp.csr_array) -> None:
        self.shape = matrix.shape
        parts = min(_threads(), 8)
        if matrix.nnz < _PARALLEL_NNZ or parts < 2:
            self.blocks = [matrix]
            return
        indptr = matrix.indptr
        cuts = np.searchsorted(indptr, (np.arange(1, parts) * (matrix.nnz / parts)).astype(indptr.dtype))
        bounds = [0, *sorted({int(c) for c in cuts} - {0, matrix.shape[0]}), matrix.shape[0]]
        self.blocks = []
        for lo, hi in itertools.pairwise(bounds):
            start, stop = int(indptr[lo]), int(indptr[hi])
            # SciPy may narrow the index arrays here (a copy): once, not on every product.
            self.blocks.append(sp.csr_array((matrix.data[start:stop], matrix.indices[start:stop],
                                             indptr[lo:hi + 1] - start), shape=(hi - lo, matrix.shape[1])))

    def __call__(self, x: np.ndarray, *, out: np.ndarray | None = None) -> np.ndarray:
        """``matrix @ x``; into ``out`` (float64, C-contiguous, length ``shape[0]``) when given.

        With ``out`` a loop of products allocates nothing: each block writes its rows' sums into its
        slice of ``out`` by SciPy's own CSR kernel, summing from zero as ``matrix @ x`` does.
        """
        if out is None or _csr_matvec is None:
            if len(self.blocks) == 1:
                product: np.ndarray = self.blocks[0] @ x
            else:
                pool = _executor(len(self.blocks) - 1)
                futures: list[Future[np.ndarray]] = [pool.submit(block.__matmul__, x) for block in self.blocks[1:]]
                product = np.concatenate([self.blocks[0] @ x, *(future.result() for future in futures)])
            if out is None:
                return product
            out[...] = product
            return out
        if len(self.blocks) == 1:
            _into(self.blocks[0], x, out)
            return out
        pool = _executor(len(self.blocks) - 1)
        starts = np.cumsum([0, *(block.shape[0] for block in self.blocks)])
        futures_ = [pool.submit(_into, block, x, out[lo:hi])
                    for block, lo, hi in zip(self.blocks[1:], starts[1:-1], starts[2:], strict=True)]
        _into(self.blocks[0], x, out[:starts[1]])
        for future in futures_:
            future.result()
        return out


def _into(block: sp.csr_array, x: np.ndarray, out: np.ndarray) -> None:
    """``out = block @ x`` in place with SciPy's CSR kernel (it adds to ``out``, so zero it first)."""
    if _csr_matvec is None:
        out[...] = block @ x
        return
    out.fill(0.0)
    _csr_matvec(block.shape[0], block.shape[1], block.indptr, block.indices, block.data, x, out)


def take(table: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """``table[indices]`` for valid integer ``indices``, in blocks on several threads (:func:`_threads`) when there are many.

    Large gathers use ``np.take`` into one output, in blocks on a thread pool (``take`` releases the
    GIL); with two threads a 10M-entry gather takes about a third of ``table[indices]``'s time.

    >>> take(np.array([10.0, 20.0, 30.0]), np.array([2, 0, 2], dtype=np.int32)).tolist()
    [30.0, 10.0, 30.0]
    """
    parts = min(_threads(), 8)
    if indices.size < _PARALLEL_NNZ or parts < 2:
        gathered: np.ndarray = table[indices]
        return gathered
    out = np.empty(indices.size, dtype=table.dtype)
    bounds = np.linspace(0, indices.size, parts + 1).astype(np.int64)

    def block(lo: int, hi: int) -> None:
        np.take(table, indices[lo:hi], out=out[lo:hi], mode="wrap")  # valid indices; "raise" would buffer a copy

    pool = _executor(parts - 1)
    futures = [pool.submit(block, int(lo), int(hi)) for lo, hi in itertools.pairwise(bounds[1:])]
    block(0, int(bounds[1]))
    for future in futures:
        future.result()
    return out


def matvec(matrix: sp.csr_array, x: np.ndarray) -> np.ndarray:
    """``matrix @ x`` for a CSR ``matrix``, on several threads when it is large and :func:`_threads` allows (:class:`Product`)."""
    return Product(matrix)(x)


class ColumnProducts:
    """``M[:, cols] @ values`` for a CSR ``M`` and a set of columns that changes from call to call.

    A call returns the rows the product touches (sorted) and their sums; a row whose sum is zero is
    left out. Two ways: one full CSR product (``values`` on ``cols``, zeros elsewhere), which costs a
    pass over ``M``; or the columns of a CSC copy of ``M``, which costs only what those columns hold
    but a copy of ``M`` to make (measured: 5.5–7 products' worth of CPU at 1M and 10M entries). A
    cascade that moves a few nodes per round for many rounds wants the copy; one that ends in a
    handful of rounds does not. So the first :data:`FULL_FIRST` calls with few columns use full
    products (what a plain loop does), and only a run that goes on longer pays for the copy, once: at
    most about ``(FULL_FIRST + 7) / (FULL_FIRST + 1)`` ≈ 1.35 times the plain loop's work, however
    the run ends (with 6, a 7-wave DebtRank at 10M edges took 1.9 times the loop). Calls with more
    than ``n / DENSE_SHARE`` columns always use a full product.

    >>> m = sp.csr_array(np.array([[0, 2.0, 0], [1.0, 0, 3.0], [0, 0, 0]]))
    >>> rows, sums = ColumnProducts(m)(np.array([1, 2]), np.array([0.5, 1.0]))
    >>> rows.tolist(), sums.tolist()
    ([0, 1], [1.0, 3.0])
    """

    #: A call with more columns than ``n / DENSE_SHARE`` uses a full product.
    DENSE_SHARE = 16
    #: Calls with few columns served by full products before the CSC copy is made.
    FULL_FIRST = 16

    def __init__(self, matrix: sp.csr_array, product: Product | None = None) -> None:
        self.matrix = matrix
        self._product = product
        self._csc: sp.csc_array | None = None
        self._sparse_calls = 0
        self._full: np.ndarray | None = None
        self._sums: np.ndarray | None = None

    def dense(self, count: int) -> bool:
        """Whether ``count`` columns are many enough for a full product."""
        return bool(count * self.DENSE_SHARE >= self.matrix.shape[1])

    def __call__(self, cols: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not self.dense(cols.size):
            self._sparse_calls += 1
        if self._csc is None and self._sparse_calls > self.FULL_FIRST:
            self._csc = self.matrix.tocsc()
        if self._csc is None or self.dense(cols.size):
            return self._by_product(cols, values)
        csc = self._csc
        starts = csc.indptr[cols]
        lengths = csc.indptr[cols + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
        at = offsets + np.arange(total)
        terms = csc.data[at] * np.repeat(values, lengths)  # in column order, as SciPy's CSC product adds them
        rows, inverse = np.unique(csc.indices[at], return_inverse=True)
        sums = np.bincount(inverse, weights=terms, minlength=rows.size)
        keep = sums != 0
        return rows[keep].astype(np.int64, copy=False), sums[keep]

    def spent(self, calls: int) -> None:
        """Count ``calls`` full products the caller made itself (with :attr:`product`) toward the CSC copy."""
        self._sparse_calls += calls

    @property
    def product(self) -> Product:
        """The full product ``M @ x`` (:class:`Product`), made on first need."""
        if self._product is None:
            self._product = Product(self.matrix)
        return self._product

    def _by_product(self, cols: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One full product into buffers made once; the other columns add ``+0.0`` terms, so the sums are the same."""
        full, sums = self._full, self._sums
        if full is None or sums is None:
            full, sums = self._full, self._sums = np.zeros(self.matrix.shape[1]), np.empty(self.matrix.shape[0])
        full[cols] = values
        self.product(full, out=sums)
        full[cols] = 0.0
        rows = np.flatnonzero(sums)
        return rows, sums[rows]


def dot(u: np.ndarray, v: np.ndarray) -> float:
    """``u · v`` by ``np.einsum`` (not BLAS, see :func:`bicgstab`)."""
    return float(np.einsum("i,i->", u, v))


def norm(u: np.ndarray) -> float:
    """``‖u‖₂`` by :func:`dot`."""
    return float(np.sqrt(dot(u, u)))


def bicgstab(a: LinearOperator, b: np.ndarray, *, x0: np.ndarray, rtol: float = 0.0, atol: float = 0.0,
             maxiter: int = 1000) -> tuple[np.ndarray, int]:
    """BiCGSTAB (van der Vorst 1992, doi:10.1137/0913035), step for step :func:`scipy.sparse.linalg.bicgstab`.

    The same iteration, stopping test ``‖r‖ < max(atol, rtol·‖b‖)`` and exit codes (0 converged,
    ``maxiter`` not converged, −10/−11 breakdown), with dot products that stay off BLAS
    (:func:`dot`): OpenBLAS wakes its thread pool for every ``ddot``, which on a busy two-core
    machine made SciPy's version 10–50× slower on systems of 20 000 unknowns.

    >>> a = LinearOperator((2, 2), matvec=lambda v: np.array([2 * v[0] + v[1], v[0] + 3 * v[1]]), dtype=np.float64)
    >>> x, info = bicgstab(a, np.array([3.0, 5.0]), x0=np.zeros(2), rtol=1e-12)
    >>> x.round(12).tolist(), info
    ([0.8, 1.4], 0)
    """
    tiny = np.finfo(np.float64).eps ** 2  # SciPy's breakdown thresholds
    limit = max(atol, rtol * norm(b))
    if not b.any():
        return np.zeros_like(b), 0
    x = x0.copy()
    r = b - a.matvec(x) if x.any() else b.copy()
    shadow = r.copy()
    p = v = r
    rho_prev = alpha = omega = 1.0
    for iteration in range(maxiter):
        if norm(r) < limit:
            return x, 0
        rho = dot(shadow, r)
        if abs(rho) < tiny:
            return x, -10
        if iteration > 0:
            if abs(omega) < tiny:
                return x, -11
            p = r + (rho / rho_prev) * (alpha / omega) * (p - omega * v)
        else:
            p = r.copy()
        v = a.matvec(p)
        rv = dot(shadow, v)
        if rv == 0:
            return x, -11
        alpha = rho / rv
        r = r - alpha * v
        if norm(r) < limit:
            return x + alpha * p, 0
        t = a.matvec(r)
        tt = dot(t, t)
        if tt == 0:
            return x + alpha * p, -11
        omega = dot(t, r) / tt
        x += alpha * p
        x += omega * r
        r = r - omega * t
        rho_prev = rho
    return x, maxiter
