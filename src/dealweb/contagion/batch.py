r"""Eisenberg–Noe clearing for many scenarios at once, and the smallest shock that makes a node fail.

Conventions are those of :mod:`dealweb.contagion.clearing` (read its module docstring): ``p̄ = L·1 + ℓ``,
a node fails when it pays less than it owes, ``p_i < p̄_i − tol·s_i`` with ``s_i = max(1, p̄_i, e_i +
Σ_j L[j, i])``; outside creditors rank pari passu (``Π = L / p̄``) or senior (paid first, the rest
shared ``Π̃ = L / L·1``; the network payments then clear with outside cash ``e − ℓ``). Eisenberg &
Noe (2001), doi:10.1287/mnsc.47.2.236.9835.

Batching
--------
The network is an edge list, edge ``e`` saying ``src[e]`` owes ``dst[e]`` the amount ``A[e, s]`` in
scenario ``s``; scenarios are the columns of ``(n, S)`` and ``(m, S)`` arrays. When every node ``j``
pays ``x[j, s]``, node ``i`` receives

    ``received = B · (W ⊙ x[src])``,  ``W[e, s] = A[e, s] / b[src[e], s]``,

where ``B`` is the ``n × m`` creditor incidence matrix (``B[dst[e], e] = 1``), one scipy.sparse matrix
for all scenarios, and ``b`` the base a debtor's payment is shared over (``p̄`` pari passu, ``L·1``
senior). One gather, one elementwise product and one sparse × dense product serve every scenario;
parallel edges simply add up. When neither the amounts nor the base vary by scenario, ``W`` is a
vector and the product collapses to one fixed sparse ``Πᵀ`` (``n × n``) times ``x``.

Exactness
---------
Picard iteration from ``p̄`` converges only geometrically, and slowly on nearly closed cycles. Here
the fictitious default algorithm of clearing.py runs on all columns together: every round each
column's default set ``D`` grows, solvent nodes pay their cap ``c`` and the defaulters' payments
solve ``(I − Πᵀ_DD) x_D = a_D + Πᵀ_{SD} c_S`` *exactly*: a stack of dense LU solves
(:func:`numpy.linalg.solve`), one ``k × k`` system per column, columns grouped by their number ``k``
of paying defaulters, with no Python loop over scenarios. A column whose default set stops growing
leaves the batch; no column needs more than ``n + 1`` rounds. The ``max(0, ·)`` of the clearing map
only binds with senior outside creditors (``e < ℓ``); it is handled as in clearing.py, first by
fixing the nodes that pay nothing even at the current upper bound and, for the rare columns where
that guess fails its check, by growing the set of payers from below. Finally every column is
verified: ``x`` must satisfy ``|min(c, max(0, a + Πᵀx)) − x| ≤ tol·s`` node-wise. ``exact[s]``
records that check; by default a column that fails it (it cannot fail in exact arithmetic, only
through a singular or badly conditioned system, or a ``max_iter`` below ``n + 1``) raises
:class:`ClearingConvergenceError`; ``strict=False`` returns it with ``exact[s] = False`` instead.

Payment caps
------------
``payment_cap[i, s] = κ`` means node ``i`` pays at most ``κ·p̄_i`` in scenario ``s``, whatever it has:
``p = min(κ·p̄, max(0, e + Πᵀp))``, still shared over creditors in proportion to what they are owed.
With senior outside creditors the cap applies to the total, so the network receives at most
``max(0, κ·p̄ − ℓ)``. A capped node counts as failed (it pays less than ``p̄``).

Examples
--------
E1 of models.md (Siebenbrunner, NetworkValuation) as scenario 0, and the same web with twice the
outside cash as scenario 1, where nobody fails:

>>> src, dst, amounts = [0, 0, 1, 1, 2], [1, 2, 0, 2, 0], [20, 10, 5, 24, 10]
>>> res = clearing_batch(src, dst, amounts, [[10, 20], [10, 20], [10, 20]])
>>> (res.payments * 11).round(9).tolist()
[[270.0, 330.0], [290.0, 319.0], [110.0, 110.0]]
>>> res.failed.tolist(), res.exact.tolist()
([[True, False], [True, False], [False, False]], [True, True])

Node 0 owes node 1 ten and has ten of outside cash; node 1 owes eight outside and has nothing else.
Node 1 fails as soon as node 0 loses more than 20 % of its cash:

>>> x = smallest_shock([0], [1], [10.0], [10.0, 0.0], external_liabilities=[0.0, 8.0],
...                    shocked=0, target=1, kind="outside_assets")
>>> round(x, 5)
0.2
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from dealweb.contagion.clearing import ClearingConvergenceError

__all__ = ["BatchClearing", "clearing_batch", "smallest_shock"]

_CHUNK_BYTES = 200 * 2**20  # scenarios are cleared in column chunks of about this much working memory
_SOLVE_BYTES = 64 * 2**20  # largest stack of dense k × k systems solved at once


@dataclass(frozen=True)
class BatchClearing:
    """Clearing of ``S`` scenarios; every array is ``(n, S)``, column ``s`` is scenario ``s``.

    Attributes
    ----------
    payments
        ``p``: what each node pays in total (network and outside creditors).
    obligations
        ``p̄ = Σ outgoing edge amounts + ℓ``: what it owes.
    paid_share
        ``p / p̄`` (1 where ``p̄ = 0``).
    loss
        What a node's network debtors failed to pay it, ``Σ_{e into i} A_e (1 − share_{src_e})``, where the
        share is ``paid_share`` pari passu and the share of the *network* obligations paid, ``(p − ℓ)⁺ / L·1``,
        when outside creditors are senior (as ``ContagionResult.loss`` of :func:`eisenberg_noe`).
    failed
        ``p < p̄ − tol·s``, including nodes held back by a ``payment_cap`` below 1.
    equity
        ``e + received − p̄``, clearing.py's ``equity_after``: negative for a node that cannot pay in full.
    iterations
        Fictitious-default rounds (the largest over all scenarios; at most ``n + 1``).
    exact
        ``(S,)``: the column passed the fixed-point check (module docstring).
    outside_shortfall
        What a node's outside creditors were not paid; ``loss.sum(0) + outside_shortfall.sum(0) = (p̄ − p).sum(0)``.
    """

    payments: np.ndarray
    obligations: np.ndarray
    paid_share: np.ndarray
    loss: np.ndarray
    failed: np.ndarray
    equity: np.ndarray
    iterations: int
    exact: np.ndarray
    outside_shortfall: np.ndarray


def clearing_batch(
    src: Any,
    dst: Any,
    amounts: Any,
    external_assets: Any,
    *,
    n: int | None = None,
    external_liabilities: Any = None,
    payment_cap: Any = None,
    seniority: Literal["pari_passu", "senior"] = "pari_passu",
    tol: float = 1e-12,
    max_iter: int = 10_000,
    strict: bool = True,
) -> BatchClearing:
    """Eisenberg–Noe clearing payments of ``S`` scenarios at once (greatest clearing vector, exact).

    Each column is the greatest fixed point of ``p = min(κ·p̄, max(0, e + Πᵀp))`` (module docstring); with
    ``payment_cap=None`` it equals :func:`eisenberg_noe` on that column's liabilities matrix.

    Parameters
    ----------
    src, dst
        ``(m,)`` integer node indices: edge ``e`` says ``src[e]`` owes ``dst[e]``. Parallel edges add up;
        self-loops are rejected.
    amounts
        ``(m,)`` or ``(m, S)``: what each edge owes, finite and ``≥ 0`` (per scenario: sampled deal sizes).
    external_assets
        ``(n,)`` or ``(n, S)``: outside cash ``e ≥ 0``.
    n
        Number of nodes (default: the length of ``external_assets``, which must agree).
    external_liabilities
        ``None``, ``(n,)`` or ``(n, S)``: what each node owes outside the network, ``ℓ ≥ 0``.
    payment_cap
        ``None``, ``(n,)`` or ``(n, S)`` in ``[0, 1]``: node ``i`` pays at most ``κ·p̄_i``.
    seniority
        ``"pari_passu"`` or ``"senior"`` outside creditors, as :func:`eisenberg_noe`.
    tol
        Relative slack of the solvency and failure tests and of the final check, in ``(0, 1)`` (below about
        1e-15 round-off alone can fail the check).
    max_iter
        Most fictitious-default rounds (never more than ``n + 1`` are needed).
    strict
        Raise when a column fails the final check (default); ``False``: return it, ``exact[s] = False``.

    The number of scenarios ``S`` comes from whichever inputs are 2-D (they must agree; 1 if none is);
    1-D inputs apply to every scenario. Scenarios are cleared in chunks of about 200 MB of work space.

    Returns
    -------
    BatchClearing

    Raises
    ------
    ValueError
        Bad shapes, indices, self-loops, negative or non-finite amounts, caps outside ``[0, 1]``, options.
    ClearingConvergenceError
        A singular system (a closed group of defaulters), or (``strict``) a column that fails the check.

    Examples
    --------
    Node 0 owes node 1 ten and may pay only 40 % of it; node 1 has 3 of cash and owes node 2 ten:

    >>> res = clearing_batch([0, 1], [1, 2], [10.0, 10.0], [20.0, 3.0, 0.0], payment_cap=[0.4, 1.0, 1.0])
    >>> res.payments[:, 0].tolist(), res.loss[:, 0].round(12).tolist(), res.failed[:, 0].tolist()
    ([4.0, 7.0, 0.0], [0.0, 6.0, 3.0], [True, True, False])
    """
    if seniority not in ("pari_passu", "senior"):
        raise ValueError(f"seniority must be 'pari_passu' or 'senior', got {seniority!r}")
    if not (isinstance(tol, (int, float)) and 0.0 < tol < 1.0):
        raise ValueError(f"tol must be a number in (0, 1), got {tol!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"max_iter must be an integer ≥ 1, got {max_iter!r}")
    src_a, dst_a, amt, e, ell, cap, n_nodes, s_count = _check_inputs(
        src, dst, amounts, external_assets, n, external_liabilities, payment_cap)
    senior = seniority == "senior"
    per_column = 8 * (12 * n_nodes + 4 * src_a.size) + 1
    step = max(1, _CHUNK_BYTES // per_column)
    parts = [_clear_chunk(src_a, dst_a, n_nodes, *(_columns(v, lo, lo + step) for v in (amt, e, ell, cap)),
                          senior=senior, tol=float(tol), max_iter=int(max_iter))
             for lo in range(0, s_count, step)]
    if not parts:
        empty = np.zeros((n_nodes, 0))
        parts = [BatchClearing(payments=empty, obligations=empty, paid_share=empty, loss=empty, failed=empty.astype(bool),
                               equity=empty, iterations=0, exact=np.zeros(0, dtype=bool), outside_shortfall=empty)]
    if len(parts) == 1:
        res = parts[0]
    else:
        def cat(name: str) -> np.ndarray:
            return np.concatenate([getattr(p, name) for p in parts], axis=-1)

        res = BatchClearing(payments=cat("payments"), obligations=cat("obligations"), paid_share=cat("paid_share"),
                            loss=cat("loss"), failed=cat("failed"), equity=cat("equity"),
                            iterations=max(p.iterations for p in parts), exact=cat("exact"),
                            outside_shortfall=cat("outside_shortfall"))
    exact = res.exact
    if strict and not exact.all():
        bad = np.flatnonzero(~exact)
        raise ClearingConvergenceError(
            f"{bad.size} scenario(s) failed the clearing fixed-point check (first: column {int(bad[0])}): "
            f"max_iter={max_iter} too small, or an ill-conditioned system; pass strict=False to inspect them")
    return res


def smallest_shock(
    src: Any,
    dst: Any,
    amounts: Any,
    external_assets: Any,
    *,
    shocked: int,
    target: int,
    kind: Literal["payments", "outside_assets"] = "payments",
    n: int | None = None,
    external_liabilities: Any = None,
    seniority: Literal["pari_passu", "senior"] = "pari_passu",
    tol: float = 1e-6,
    grid: int = 64,
) -> float | None:
    """Reverse stress test: the smallest shock ``x ∈ [0, 1]`` to node ``shocked`` that makes ``target`` fail.

    ``kind="payments"``: ``shocked`` pays only ``(1 − x)`` of its obligations (``payment_cap = 1 − x``);
    ``kind="outside_assets"``: its outside cash falls to ``(1 − x)·e``. ``target`` fails when it pays less
    than it owes (:func:`clearing_batch`, default clearing ``tol``).

    The clearing vector is non-decreasing in outside cash and in the payment caps: the clearing map
    ``Φ(p) = min(κ·p̄, max(0, e + Πᵀp))`` is non-decreasing in ``p``, ``e`` and ``κ``, so its greatest fixed
    point is too (Tarski; EN 2001). A larger shock therefore never raises ``p_target``, and the shocks
    that make ``target`` fail form an interval ``[x*, 1]``. That justifies the search: ``grid`` shocks
    spanning the current bracket are cleared as the columns of one batch, the bracket shrinks to the
    step where ``target`` starts failing, and this repeats until it is narrower than ``tol``.

    Parameters
    ----------
    src, dst, amounts, external_assets, n, external_liabilities, seniority
        As :func:`clearing_batch`, one scenario (1-D arrays).
    shocked, target
        Node indices (may be equal: then it is the node's own threshold).
    kind
        ``"payments"`` or ``"outside_assets"``.
    tol
        Width of the final bracket, in ``(0, 1)``.
    grid
        Points spanning the bracket in each round, its two known ends included (≥ 3).

    Returns
    -------
    float or None
        ``0.0`` if ``target`` fails without a shock; ``None`` if it survives even ``x = 1``; otherwise the
        upper end of the final bracket ``(x − tol, x]``: ``target`` fails at ``x`` and survives below ``x − tol``.
    """
    if kind not in ("payments", "outside_assets"):
        raise ValueError(f"kind must be 'payments' or 'outside_assets', got {kind!r}")
    if not (isinstance(tol, (int, float)) and 0.0 < tol < 1.0):
        raise ValueError(f"tol must be a number in (0, 1), got {tol!r}")
    if isinstance(grid, bool) or not isinstance(grid, (int, np.integer)) or grid < 3:
        raise ValueError(f"grid must be an integer ≥ 3, got {grid!r}")
    src_a, dst_a, amt, e, ell, _, n_nodes, _ = _check_inputs(src, dst, amounts, external_assets, n, external_liabilities, None)
    for name, arr in (("amounts", amt), ("external_assets", e), ("external_liabilities", ell)):
        if arr.ndim != 1:
            raise ValueError(f"{name} must be 1-D (one scenario) for smallest_shock, got shape {arr.shape}")
    for name, node in (("shocked", shocked), ("target", target)):
        if isinstance(node, bool) or not isinstance(node, (int, np.integer)) or not 0 <= node < n_nodes:
            raise ValueError(f"{name} must be a node index in [0, {n_nodes}), got {node!r}")

    def fails(xs: np.ndarray) -> np.ndarray:
        keep = np.ones((n_nodes, xs.size))
        keep[shocked] = 1.0 - xs
        if kind == "payments":
            res = clearing_batch(src_a, dst_a, amt, e, n=n_nodes, external_liabilities=ell, payment_cap=keep,
                                 seniority=seniority)
        else:
            res = clearing_batch(src_a, dst_a, amt, e[:, None] * keep, n=n_nodes, external_liabilities=ell,
                                 seniority=seniority)
        return np.asarray(res.failed[target])

    lo, hi = 0.0, 1.0
    ends = fails(np.array([lo, hi]))
    if ends[0]:
        return 0.0
    if not ends[1]:
        return None
    while hi - lo > tol:  # invariant: target survives at lo and fails at hi
        width = hi - lo
        xs = np.linspace(lo, hi, int(grid))[1:-1]
        hit = fails(xs)
        first = int(np.argmax(hit)) if hit.any() else xs.size
        lo, hi = (float(xs[first - 1]) if first > 0 else lo), (float(xs[first]) if first < xs.size else hi)
        if hi - lo >= width:  # tol below the float spacing around x: the bracket cannot shrink further
            break
    return hi


# ------------------------------------------------------------------ kernel


class _Flow:
    """``received(x)``: what each node gets when every node ``j`` pays ``x[j, s]`` (module docstring)."""

    def __init__(self, src: np.ndarray, dst: np.ndarray, incidence: sp.csr_array, w: np.ndarray) -> None:
        self.src, self.dst, self.incidence, self.w = src, dst, incidence, w  # w: (m,) or (m, S)
        n = incidence.shape[0]
        self.pi_t = sp.csr_array((w, (dst, src)), shape=(n, n)) if w.ndim == 1 else None  # fixed Πᵀ, duplicates summed

    def restrict(self, keep: np.ndarray) -> _Flow:
        """The same network on the scenarios (columns) ``keep`` (a mask or indices)."""
        if self.w.ndim == 1:
            return self
        return _Flow(self.src, self.dst, self.incidence, self.w[:, keep])

    def received(self, x: np.ndarray) -> np.ndarray:
        if self.pi_t is not None:
            return np.asarray(self.pi_t @ x)
        return np.asarray(self.incidence @ (self.w * np.take(x, self.src, axis=0)))


def _clear_chunk(src: np.ndarray, dst: np.ndarray, n: int, amt: np.ndarray, e: np.ndarray, ell: np.ndarray,
                 kappa: np.ndarray, *, senior: bool, tol: float, max_iter: int) -> BatchClearing:
    s_count = max(v.shape[1] if v.ndim == 2 else 1 for v in (amt, e, ell, kappa))
    shape = (n, s_count)
    m = src.size
    incidence = sp.csr_array((np.ones(m), (dst, np.arange(m))), shape=(n, m))  # B[dst[e], e] = 1
    owed = np.asarray(sp.csr_array((np.ones(m), (src, np.arange(m))), shape=(n, m)) @ amt)  # (n,) if amt is (m,)
    incoming = np.asarray(incidence @ amt)
    pbar = _plus(owed, ell)
    base = owed if senior else pbar  # what a debtor's network payment is shared over
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(base[src] > 0, (amt if amt.ndim == base.ndim else amt[:, None]) / base[src], 0.0)
    flow = _Flow(src, dst, incidence, w)

    def full(v: np.ndarray) -> np.ndarray:
        return np.broadcast_to(v if v.ndim == 2 else v[:, None], shape)

    kappa_b, pbar_b, ell_b, e_b, base_b = full(kappa), full(pbar), full(ell), full(e), full(base)
    capped = kappa < 1.0
    if senior:  # the network stream gets what the capped total leaves after outside creditors
        a = e_b - ell_b
        cap = np.array(full(owed))
        if capped.any():
            cap = np.where(full(capped), np.maximum(0.0, kappa_b * pbar_b - ell_b), cap)
    else:
        a = np.array(e_b)
        cap = np.array(pbar_b)
        if capped.any():
            cap = np.where(full(capped), kappa_b * pbar_b, cap)
    thr = tol * np.maximum(np.maximum(1.0, pbar_b), e_b + full(incoming))
    x, g, rounds, unfinished = _fda(flow, a, cap, thr, max_iter)
    # Verification: x is a fixed point of the stream's clearing map, node by node, within the slack.
    exact = np.all(np.abs(np.minimum(cap, np.maximum(0.0, g)) - x) <= thr, axis=0)  # nan fails too
    exact[unfinished] = False
    x = np.where(x >= cap - thr, cap, x)  # within the slack counts as paid in full, as clearing.py
    received = flow.received(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(base_b > 0, x / base_b, 1.0)  # share of its network debts a node pays
    if senior:  # outside creditors first: all of ℓ once the network gets anything
        paid_up = (x >= cap) & (cap > 0)
        paid_out = np.minimum(ell_b, np.minimum(kappa_b * pbar_b, np.maximum(0.0, e_b + received)))
        paid_out = np.where(paid_up | (paid_out >= ell_b - thr), ell_b, paid_out)
        payments = np.where(paid_up, np.where(kappa_b >= 1.0, pbar_b, cap + ell_b), paid_out + x)
        outside = ell_b - paid_out
    else:
        payments = x
        outside = ell_b * (1.0 - share)
    short = (amt if amt.ndim == 2 else amt[:, None]) * (1.0 - np.take(share, src, axis=0))  # unpaid part of each edge
    with np.errstate(divide="ignore", invalid="ignore"):
        paid_share = np.where(pbar_b > 0, payments / pbar_b, 1.0)
    return BatchClearing(payments=payments, obligations=np.array(pbar_b), paid_share=paid_share,
                         loss=np.asarray(incidence @ short), failed=payments < pbar_b - thr,
                         equity=e_b + received - pbar_b, iterations=rounds, exact=exact, outside_shortfall=outside)


def _fda(flow: _Flow, a: np.ndarray, cap: np.ndarray, thr: np.ndarray,
         max_iter: int) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
    """Fictitious default on all columns: stream payments ``x``, ``a + Πᵀx``, rounds, columns left unfinished.

    The arrays of the columns still in play are kept compact: a column whose default set stops growing
    is written back and dropped.
    """
    x = cap.copy()
    g = a + flow.received(x)
    idx = np.arange(x.shape[1])
    d = np.zeros(x.shape, dtype=bool)
    la, lcap, lthr, lx, lg = a, cap, thr, x, g
    rounds = 0
    for k in range(max_iter + 1):
        below = (lg < lcap - lthr) & (lcap > 0)
        moved = np.any(below & ~d, axis=0)
        if not moved.all():
            done = ~moved
            x[:, idx[done]], g[:, idx[done]] = lx[:, done], lg[:, done]
            idx, flow = idx[moved], flow.restrict(moved)
            la, lcap, lthr, lx, lg, d, below = (v[:, moved] for v in (la, lcap, lthr, lx, lg, d, below))
        if idx.size == 0 or k == max_iter:
            break
        rounds = k + 1
        d |= below  # the default set only grows
        lx, lg = _round(flow, la, lcap, lthr, d, lx, lg)
    x[:, idx], g[:, idx] = lx, lg
    return x, g, rounds, idx


def _round(flow: _Flow, a: np.ndarray, cap: np.ndarray, thr: np.ndarray, d: np.ndarray, x: np.ndarray,
           g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solvent nodes pay their cap; the defaulters ``d`` pay ``y = max(0, r + Πᵀ_dd y)`` (new ``x``, ``a + Πᵀx``)."""
    z = np.where(d, 0.0, cap)
    r = a + flow.received(z)
    live = d & (g > 0)  # a defaulter that gets nothing even at the upper bound x pays nothing below it
    y = _solve(flow, live, r, z)
    gy = a + flow.received(y)
    bad = ~np.all(np.isfinite(y), axis=0)
    bad |= np.any((live & (y < -thr)) | (d & (y > x + thr)) | (d & ~live & (gy > thr)), axis=0)
    if bad.any():  # senior outside creditors (a < 0) or a singular system: grow the payers from below
        y[:, bad], gy[:, bad] = _upward(flow.restrict(bad), d[:, bad], r[:, bad], a[:, bad], z[:, bad])
    off = np.any((y < 0.0) | (y > x), axis=0)  # solvent nodes pay cap = x, so this only clips defaulters
    if off.any():
        y[:, off] = np.clip(y[:, off], 0.0, x[:, off])
        gy[:, off] = a[:, off] + flow.restrict(off).received(y[:, off])
    return y, gy


def _upward(flow: _Flow, d: np.ndarray, r: np.ndarray, a: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fixed point of ``y = max(0, r + Πᵀ_dd y)`` from below (``z``: 0 on ``d``, cap elsewhere); payers grow each step."""
    live = np.zeros(d.shape, dtype=bool)
    y = z.copy()
    for _ in range(d.shape[0] + 1):
        g = a + flow.received(y)
        now = live | (d & (g > 0))
        grow = np.any(now != live, axis=0)
        if not grow.any():
            return y, g
        live = now
        y[:, grow] = _solve(flow.restrict(grow), live[:, grow], r[:, grow], z[:, grow])
        if not np.all(np.isfinite(y)):
            raise ClearingConvergenceError("singular clearing system: a closed group of defaulters (check the inputs)")
    raise ClearingConvergenceError("the inner clearing loop did not settle")


def _solve(flow: _Flow, live: np.ndarray, r: np.ndarray, fill: np.ndarray) -> np.ndarray:
    """Per column ``s``: ``y_L = (I − Πᵀ_LL)⁻¹ r_L`` on its live set ``L``, ``fill`` elsewhere.

    Columns with the same number ``k`` of live nodes form one stack of dense ``k × k`` systems, solved by
    LU in one call; a singular system gives ``nan`` in its column.
    """
    y = fill.copy()
    counts = live.sum(axis=0)
    order = np.argsort(counts, kind="stable")
    sizes = counts[order]
    for k in np.unique(sizes[sizes > 0]).tolist():
        group = order[np.searchsorted(sizes, k): np.searchsorted(sizes, k, side="right")]
        step = max(1, _SOLVE_BYTES // (8 * k * k))
        for lo in range(0, group.size, step):
            _solve_stack(flow, live, r, y, group[lo: lo + step], k)
    return y


def _solve_stack(flow: _Flow, live: np.ndarray, r: np.ndarray, y: np.ndarray, part: np.ndarray, k: int) -> None:
    """Solve the columns ``part``, which all have ``k`` live nodes, into ``y`` in place."""
    g = part.size
    sub = live[:, part]
    col, node = np.nonzero(sub.T)  # column by column, nodes top to bottom: k entries per column
    pos = np.zeros(sub.shape, dtype=np.int64)
    pos[node, col] = np.tile(np.arange(k), g)  # position of each live node inside its column's system
    edge, ecol = np.nonzero(sub[flow.src] & sub[flow.dst])
    flat = (ecol * k + pos[flow.dst[edge], ecol]) * k + pos[flow.src[edge], ecol]
    weights = flow.w[edge] if flow.w.ndim == 1 else flow.w[edge, part[ecol]]
    mats = -np.bincount(flat, weights=weights, minlength=g * k * k).astype(np.float64).reshape(g, k, k)  # parallel edges add
    diag = np.arange(k)
    mats[:, diag, diag] += 1.0
    cols = part[col]
    rhs = r[node, cols].reshape(g, k)
    try:
        sol = np.linalg.solve(mats, rhs[..., None])[..., 0]
    except np.linalg.LinAlgError:  # one singular system spoils the stack: solve one by one
        sol = np.full((g, k), np.nan)
        for j in range(g):
            try:
                sol[j] = np.linalg.solve(mats[j], rhs[j])
            except np.linalg.LinAlgError:
                pass
    y[node, cols] = sol.ravel()


# ------------------------------------------------------------------ input checks


def _plus(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``u + v`` for a per-node vector and a per-node, per-scenario matrix in either order."""
    if u.ndim != v.ndim:
        return np.asarray((u if u.ndim == 2 else u[:, None]) + (v if v.ndim == 2 else v[:, None]))
    return np.asarray(u + v)


def _columns(arr: np.ndarray, lo: int, hi: int) -> np.ndarray:
    return arr if arr.ndim == 1 else arr[:, lo:hi]


def _check_inputs(src: Any, dst: Any, amounts: Any, external_assets: Any, n: int | None, external_liabilities: Any,
                  payment_cap: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                             int, int]:
    e_raw = np.asarray(external_assets, dtype=np.float64)
    if e_raw.ndim not in (1, 2):
        raise ValueError(f"external_assets must have shape (n,) or (n, S), got {e_raw.shape}")
    if n is None:
        n = e_raw.shape[0]
    elif isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    n = int(n)
    src_a, dst_a = _check_index(src, "src", n), _check_index(dst, "dst", n)
    m = src_a.size
    if dst_a.size != m:
        raise ValueError(f"src and dst must have the same length, got {m} and {dst_a.size}")
    loops = np.flatnonzero(src_a == dst_a)
    if loops.size:
        i = int(loops[0])
        raise ValueError(f"src and dst must differ (nobody owes itself): src[{i}] = dst[{i}] = {int(src_a[i])}")
    amt = _check_values(amounts, "amounts", m, "edges (len(src))", hi=np.inf)
    e = _check_values(e_raw, "external_assets", n, "nodes", hi=np.inf)
    ell = np.zeros(n) if external_liabilities is None else _check_values(
        external_liabilities, "external_liabilities", n, "nodes", hi=np.inf)
    cap = np.ones(n) if payment_cap is None else _check_values(payment_cap, "payment_cap", n, "nodes", hi=1.0)
    counts = {name: arr.shape[1] for name, arr in (("amounts", amt), ("external_assets", e),
                                                   ("external_liabilities", ell), ("payment_cap", cap)) if arr.ndim == 2}
    if len(set(counts.values())) > 1:
        raise ValueError("the 2-D inputs must have the same number of scenarios (columns), got "
                         + ", ".join(f"{name}: {s}" for name, s in counts.items()))
    s_count = next(iter(counts.values()), 1)
    return src_a, dst_a, amt, e, ell, cap, n, s_count


def _check_index(value: Any, name: str, n: int) -> np.ndarray:
    arr = np.asarray(value)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of node indices, got shape {arr.shape}")
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"{name} must hold integer node indices, got dtype {arr.dtype}")
    bad = np.flatnonzero((arr < 0) | (arr >= n))
    if bad.size:
        raise ValueError(f"{name}[{int(bad[0])}] = {int(arr[bad[0]])} is not a node index in [0, {n})")
    return arr.astype(np.int64)


def _check_values(value: Any, name: str, rows: int, what: str, *, hi: float) -> np.ndarray:
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim not in (1, 2) or arr.shape[0] != rows:
        raise ValueError(f"{name} must have shape ({rows},) or ({rows}, S), one row per {what}, got {arr.shape}")
    bad = ~np.isfinite(arr) | (arr < 0) | (arr > hi)
    if bad.any():
        at = np.unravel_index(int(np.flatnonzero(bad)[0]), arr.shape)
        where = ", ".join(str(int(i)) for i in at)
        rule = "finite and ≥ 0" if hi == np.inf else f"within [0, {hi:g}]"
        raise ValueError(f"{name} must be {rule}: {name}[{where}] = {float(arr[at])!r}")
    return np.ascontiguousarray(arr)
