"""Reference computations that :mod:`benchmarks.bench` times next to each measure, and the contagion inputs.

Each baseline is the straightforward way to get the same number with standard tools, written
without the tricks the measure uses, so the benchmark shows what the measure's design buys.
They take a :class:`~dealweb.network.Network`, ignore self-loops like every measure, and
return a small dict of JSON-ready numbers whose keys match the measure's ``headline()`` where
the quantity is the same.

- :func:`nx_cycles` — simple cycles with networkx's ``simple_cycles(G, length_bound=L)``
  (Gupta & Suzumura, *Finding all bounded-length simple cycles in a directed graph*, 2021,
  arXiv:2105.10094), counted one by one in Python.
- :func:`finn_direct` — Finn's cycling index (Finn 1976, *Measures of ecosystem structure and
  function derived from analysis of flows*, J. Theor. Biol. 56:363–380,
  doi:10.1016/S0022-5193(76)80080-X) from the diagonal of ``N = (I − G)⁻¹``, by a dense
  inverse or, past :data:`DENSE_NODES` nodes, a sparse LU factorisation solved for every
  unit vector.
- :func:`hodge_lsqr` — the gradient/loop split of the Helmholtz–Hodge decomposition (Jiang,
  Lim, Yao & Ye 2011, *Statistical ranking and combinatorial Hodge theory*, Math. Program.
  127:203–244, doi:10.1007/s10107-010-0419-x): ``φ = argmin ‖Bφ − f‖₂`` with SciPy's
  ``lsqr`` on the incidence matrix (dense ``lstsq`` up to :data:`DENSE_ENTRIES` entries).
- :func:`en_dict_of_dicts` — Eisenberg–Noe clearing (Eisenberg & Noe 2001,
  doi:10.1287/mnsc.47.2.236.9835) the plain way: Picard iteration ``p ← min(p̄, max(0, e + Πᵀp))``
  in pure Python over obligations stored as a dict of dicts (networkx's adjacency shape), with
  the same stopping rule and solvency slack as :func:`dealweb.contagion.eisenberg_noe`.
- :func:`en_dense` — Eisenberg–Noe on a small dense matrix, the tight NumPy way: the fictitious
  default algorithm (Eisenberg & Noe 2001, §3) with one ``numpy.linalg.solve`` per round, no
  bookkeeping; the per-run baseline of Monte Carlo stress on the bundled web.

The contagion benchmarks need balance sheets besides the network. The ``*_inputs`` functions
build them (untimed, in the run's process) from a synthetic network and
:func:`dealweb.scale.synth.balance_sheets`, and return the ``(args, kwargs)`` of the timed call:

- **clearing**: ``L = net.flows`` (``L[i, j]``, what ``i`` owes ``j``, is the flow from ``i`` to
  ``j``); outside assets ``e = cash + revenue_external``, or in the ``"revenue_lost"`` stress
  ``e = cash`` (every node loses all its outside revenue); no outside creditors.
- **debtrank** and **threshold**: exposures ``A = Lᵀ`` (``A[i, j]``, what ``j`` owes ``i``, is
  ``i``'s exposure to ``j``), buffers ``equity``; 1% of the nodes (drawn with the seed) lose half
  their equity (DebtRank ``h(1) = 0.5``) or default (threshold cascades, zero recovery).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from dealweb.network.graph import Network
from dealweb.scale.synth import balance_sheets

__all__ = ["DENSE_ENTRIES", "DENSE_NODES", "SHOCKED_SHARE", "clearing_dicts", "clearing_inputs", "clearing_iteration",
           "debtrank_inputs", "en_dense", "en_dict_of_dicts", "finn_direct", "hodge_lsqr", "nx_cycles",
           "threshold_inputs", "tight_bardoscia", "tight_battiston", "tight_picard", "tight_threshold"]

#: Share of the nodes hit in the DebtRank and threshold-cascade scenarios.
SHOCKED_SHARE = 0.01

#: Largest node count for a dense inverse in :func:`finn_direct` (12 000² doubles are 1.2 GB; the
#: inverse needs about three such matrices at once).
DENSE_NODES = 12_000
#: Largest incidence matrix (pairs × nodes) that :func:`hodge_lsqr` solves densely.
DENSE_ENTRIES = 1_000_000


def _flows(net: Network) -> sp.csr_array:
    """Summed flows without self-loops."""
    flows = sp.csr_array(net.flows, copy=True)
    flows.setdiag(0)
    flows.eliminate_zeros()
    return flows


def nx_cycles(net: Network, *, max_length: int = 6) -> dict[str, Any]:
    """Count the simple cycles of 2 to ``max_length`` hops with networkx.

    Parallel deals between one pair are one hop, as in any simple digraph.

    >>> nx_cycles(Network.from_matrix([[0, 1, 0], [1, 0, 1], [1, 0, 0]]))
    {'cycles': 2, 'by_length': {2: 1, 3: 1}}
    """
    flows = sp.coo_array(_flows(net))
    graph = nx.DiGraph()
    graph.add_nodes_from(range(net.n_nodes))
    graph.add_edges_from(zip(flows.row.tolist(), flows.col.tolist(), strict=True))
    by_length: dict[int, int] = {}
    for cycle in nx.simple_cycles(graph, length_bound=max_length):
        by_length[len(cycle)] = by_length.get(len(cycle), 0) + 1
    return {"cycles": sum(by_length.values()), "by_length": dict(sorted(by_length.items()))}


def _throughflow(flows: sp.csr_array) -> np.ndarray:
    # The network is closed the way enaR's balance step assumes: a node's throughflow is the larger
    # of its inflow and outflow; the difference enters or leaves across the boundary.
    inflow = np.asarray(flows.sum(axis=0)).ravel()
    outflow = np.asarray(flows.sum(axis=1)).ravel()
    throughflow: np.ndarray = np.maximum(inflow, outflow)
    return throughflow


def finn_direct(net: Network) -> dict[str, Any]:
    """Finn cycling index ``FCI = Σ_i ((n_ii − 1)/n_ii)·T_i / Σ_i T_i`` with ``N = (I − G)⁻¹``.

    ``G[i, j] = f_ij / T_i`` (the share of ``i``'s throughflow going to ``j``) and
    ``T_i = max(inflow_i, outflow_i)``; input- and output-oriented ``N`` are similar matrices,
    so their diagonals agree. A node without throughflow has ``n_ii = 1``.

    Two nodes paying 1 and 2 to each other: ``T = (2, 2)``, ``G = [[0, ½], [1, 0]]``,
    ``N = [[2, 1], [2, 2]]``, so ``FCI = (½·2 + ½·2) / 4``:

    >>> finn_direct(Network.from_matrix([[0, 1], [2, 0]]))["fci"]
    0.5
    """
    flows = _flows(net)
    throughflow = _throughflow(flows)
    n = net.n_nodes
    with np.errstate(divide="ignore"):
        inv_t = np.where(throughflow > 0, 1.0 / throughflow, 0.0)
    g = sp.diags_array(inv_t) @ flows
    system = sp.eye_array(n, format="csc") - sp.csc_array(g)
    if n <= DENSE_NODES:
        method = "dense inverse"
        diag = np.diag(np.linalg.inv(system.toarray()))
    else:
        method = "sparse LU, one solve per node"
        lu = spla.splu(system)
        diag = np.empty(n)
        block = 256
        for start in range(0, n, block):
            stop = min(start + block, n)
            unit = np.zeros((n, stop - start))
            unit[np.arange(start, stop), np.arange(stop - start)] = 1.0
            diag[start:stop] = lu.solve(unit)[np.arange(start, stop), np.arange(stop - start)]
    total = float(throughflow.sum())
    cycled = float(((diag - 1.0) / diag * throughflow).sum())
    return {"fci": cycled / total if total else 0.0, "tst": total, "method": method}


def hodge_lsqr(net: Network, *, tol: float = 1e-10) -> dict[str, Any]:
    """Split the net flow on each linked pair into a gradient part and a loop part.

    ``f_e = F_ij − F_ji`` on each pair ``i < j`` with a flow either way; ``B`` is the pair–node
    incidence matrix (``(Bφ)_e = φ_j − φ_i``); ``φ = argmin ‖Bφ − f‖₂``; the loop share is
    ``‖f − Bφ‖² / ‖f‖²``.

    >>> hodge_lsqr(Network.from_matrix([[0, 1, 0], [0, 0, 1], [1, 0, 0]]))["loop_share"]  # a pure cycle
    1.0
    """
    flows = _flows(net)
    upper = sp.coo_array(sp.triu(flows - flows.T, k=1))
    both = sp.coo_array(sp.triu(flows + flows.T, k=1))  # pairs linked either way, even if they net to zero
    m, n = both.nnz, net.n_nodes
    f = np.asarray(sp.csr_array(upper)[both.row, both.col]).ravel()
    rows = np.repeat(np.arange(m), 2)
    cols = np.column_stack([both.row, both.col]).ravel()
    incidence = sp.csr_array((np.tile([-1.0, 1.0], m), (rows, cols)), shape=(m, n))
    if m * n <= DENSE_ENTRIES:
        method, iterations = "dense lstsq", 0
        phi = np.linalg.lstsq(incidence.toarray(), f, rcond=None)[0]
    else:
        method = "scipy lsqr"
        out = spla.lsqr(incidence, f, atol=tol, btol=tol, iter_lim=max(10 * n, 1000))
        phi, iterations = out[0], int(out[2])
    gradient = incidence @ phi
    total = float(f @ f)
    loop = float((f - gradient) @ (f - gradient))
    method += f", {iterations} iterations" if iterations else ""
    return {"loop_share": round(loop / total, 12) if total else 0.0, "pairs": m, "method": method}


# ------------------------------------------------------------------ contagion inputs


Call = tuple[tuple[Any, ...], dict[str, Any]]


def _obligations(net: Network) -> sp.csr_array:
    """``L[i, j]``: what ``i`` owes ``j``, the flows of ``net`` without self-loops."""
    return _flows(net)


def _outside_assets(net: Network, scenario: str, seed: int) -> np.ndarray:
    sheets = balance_sheets(net, seed=seed)
    cash = sheets["cash"].to_numpy(dtype=np.float64)
    if scenario == "balance_sheets":
        assets: np.ndarray = cash + sheets["revenue_external"].to_numpy(dtype=np.float64)
        return assets
    if scenario == "revenue_lost":
        return cash
    raise ValueError(f"scenario must be 'balance_sheets' or 'revenue_lost', got {scenario!r}")


def clearing_inputs(net: Network, *, scenario: str = "balance_sheets", seed: int = 0) -> Call:
    """``(L, e)`` for :func:`~dealweb.contagion.eisenberg_noe` (module docstring).

    >>> (L, e), kwargs = clearing_inputs(Network.from_matrix([[0, 5], [3, 0]]))
    >>> L.toarray().tolist(), e.shape, kwargs
    ([[0.0, 5.0], [3.0, 0.0]], (2,), {})
    """
    return (_obligations(net), _outside_assets(net, scenario, seed)), {}


def clearing_dicts(net: Network, *, scenario: str = "balance_sheets", seed: int = 0) -> Call:
    """The same inputs for :func:`en_dict_of_dicts`: ``{i: {j: L_ij}}`` and ``{i: e_i}``."""
    (L, e), _ = clearing_inputs(net, scenario=scenario, seed=seed)
    owes: dict[int, dict[int, float]] = {i: {} for i in range(L.shape[0])}
    coo = sp.coo_array(L)
    for i, j, amount in zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True):
        owes[i][j] = amount
    return (owes, dict(enumerate(e.tolist()))), {}


def debtrank_inputs(net: Network, *, seed: int = 0) -> Call:
    """``(A, E, h1)`` for :func:`~dealweb.contagion.debtrank`: 1% of the nodes lose half their equity."""
    exposures = sp.csr_array(_obligations(net).T)
    equity = balance_sheets(net, seed=seed)["equity"].to_numpy(dtype=np.float64)
    shock = np.zeros(net.n_nodes)
    shock[_hit(net.n_nodes, seed)] = 0.5
    return (exposures, equity, shock), {}


def threshold_inputs(net: Network, *, seed: int = 0) -> Call:
    """``(A, K, defaults)`` for :func:`~dealweb.contagion.threshold_cascade`: 1% of the nodes default."""
    exposures = sp.csr_array(_obligations(net).T)
    equity = balance_sheets(net, seed=seed)["equity"].to_numpy(dtype=np.float64)
    initial = np.zeros(net.n_nodes, dtype=bool)
    initial[_hit(net.n_nodes, seed)] = True
    return (exposures, equity, initial), {}


def _hit(n: int, seed: int) -> np.ndarray:
    hit: np.ndarray = np.random.default_rng([seed, 4]).choice(n, max(1, round(SHOCKED_SHARE * n)), replace=False)
    return hit


# ------------------------------------------------------------------ contagion baseline and iteration cost


def en_dict_of_dicts(owes: dict[int, dict[int, float]], assets: dict[int, float], *, tol: float = 1e-12,
                     max_iter: int = 100_000) -> dict[str, Any]:
    """Eisenberg–Noe payments by Picard iteration in pure Python over a dict of dicts.

    ``owes[i][j]`` is what ``i`` owes ``j``; ``assets[i]`` is ``i``'s outside cash; nobody owes
    outside creditors. ``p̄_i = Σ_j owes[i][j]``, ``Π_ij = owes[i][j] / p̄_i``; from ``p = p̄``,
    ``p_i ← min(p̄_i, max(0, e_i + Σ_j Π_ji p_j))`` until no payment moves by more than
    ``tol · max(1, p̄_i, e_i + Σ_j owes[j][i])``, the stopping rule and solvency slack of
    ``eisenberg_noe(..., method="picard")``.

    Node 0 has 10 and owes 20 to node 1, which has nothing and owes 5 back: node 0 pays
    ``10 + 5 = 15``, so node 1 loses 5.

    >>> en_dict_of_dicts({0: {1: 20.0}, 1: {0: 5.0}}, {0: 10.0, 1: 0.0})
    {'total_loss': 5.0, 'failed': 1, 'rounds': 2, 'method': 'Picard over a dict of dicts'}
    """
    pbar = {i: sum(row.values()) for i, row in owes.items()}
    due = dict.fromkeys(owes, 0.0)
    for row in owes.values():
        for j, amount in row.items():
            due[j] += amount
    slack = {i: tol * max(1.0, pbar[i], assets[i] + due[i]) for i in owes}
    share = {i: {j: amount / pbar[i] for j, amount in row.items()} for i, row in owes.items() if row}
    paid = dict(pbar)
    settled, iterations = False, 0
    while not settled:
        if iterations == max_iter:
            raise RuntimeError(f"Picard iteration did not settle within {max_iter} iterations")
        iterations += 1
        inflow = dict.fromkeys(owes, 0.0)
        for i, row in share.items():
            p_i = paid[i]
            for j, part in row.items():
                inflow[j] += part * p_i
        new = {i: min(pbar[i], max(0.0, assets[i] + inflow[i])) for i in owes}
        settled = all(abs(new[i] - paid[i]) <= slack[i] for i in owes)
        paid = new
    failed = sum(1 for i in owes if paid[i] < pbar[i] - slack[i])
    # With no outside creditors every unpaid unit is a network creditor's loss.
    return {"total_loss": sum(pbar[i] - paid[i] for i in owes), "failed": failed, "rounds": iterations,
            "method": "Picard over a dict of dicts"}


def en_dense(L: np.ndarray, e: np.ndarray, ell: np.ndarray, kappa: np.ndarray, *,
             tol: float = 1e-12) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Eisenberg–Noe on a dense ``n × n`` matrix by fictitious default: payments, who fails, what each receives.

    ``L[i, j]`` is what ``i`` owes ``j``; ``e`` outside cash, ``ell`` outside liabilities (pari passu,
    ``Π = L / p̄`` with ``p̄ = L·1 + ℓ``), ``kappa`` the share of ``p̄`` a node may pay at most. From
    ``p = κp̄``, every round adds to the default set ``D`` the nodes with ``e + Πᵀp < κp̄ − s``
    (``s = tol·max(1, p̄, e + 1ᵀL)``, the slack of :func:`dealweb.contagion.eisenberg_noe`) and
    solves ``(I − Πᵀ_DD) p_D = e_D + Πᵀ_{D,S} κp̄_S`` exactly; it stops when ``D`` stops growing. A
    node fails when ``p < p̄ − s``. Returns ``(p, failed, Πᵀp)``.

    Node 0 has 10 and owes 20 to node 1, which has nothing and owes 5 back: node 0 pays
    ``10 + 5 = 15`` and fails, node 1 receives 15 of the 20 it is owed.

    >>> p, failed, received = en_dense(np.array([[0, 20.0], [5.0, 0]]), np.array([10.0, 0]), np.zeros(2), np.ones(2))
    >>> p.tolist(), failed.tolist(), received.tolist()
    ([15.0, 5.0], [True, False], [5.0, 15.0])
    """
    pbar = L.sum(axis=1) + ell
    pi_t = L.T * np.divide(1.0, pbar, out=np.zeros(pbar.size), where=pbar > 0)  # Πᵀ[j, i] = L[i, j] / p̄_i
    cap = kappa * pbar
    slack = tol * np.maximum(np.maximum(1.0, pbar), e + L.sum(axis=0))
    floor = cap - slack
    p = cap
    d = e + pi_t @ p < floor
    while d.any():
        k = np.flatnonzero(d)
        rows = pi_t[k]
        system = -rows[:, k]
        system[np.diag_indices(k.size)] += 1.0
        p = cap.copy()
        p[k] = np.linalg.solve(system, e[k] + rows @ np.where(d, 0.0, cap))
        grown = d | (e + pi_t @ p < floor)
        if (grown == d).all():
            break
        d = grown
    return p, p < pbar - slack, pi_t @ p


def _best(function: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


@contextlib.contextmanager
def _one_thread() -> Iterator[None]:
    """Every sparse product of the contagion kernels on the calling thread (see ``_exposures.matvec``)."""
    from dealweb.contagion import _exposures

    saved = _exposures._PARALLEL_NNZ
    _exposures._PARALLEL_NNZ = 2**62
    try:
        yield
    finally:
        _exposures._PARALLEL_NNZ = saved


def clearing_iteration(L: sp.csr_array, e: np.ndarray, *, repeat: int = 3) -> dict[str, Any]:
    """Cost of one Eisenberg–Noe iteration next to a bare SciPy ``csr @ vector`` on the same matrix, like for like.

    Builds the clearing's arrays once (``Πᵀ`` in CSR, same shape and entries as ``Lᵀ``), then times
    on them, alternating, best of ``repeat`` each: dealweb's Picard kernel ``x ← min(p̄, max(0, e + Πᵀx))``
    from ``p̄`` to convergence, with every product on one thread and with its products on every CPU;
    and a loop of as many bare products ``y = Πᵀ @ x`` (SciPy, one thread) as Picard computed. So
    both sides do the same number of products, through the same caches, in the same process;
    dividing each side by that number gives the time per iteration and per product. The value
    ``iteration_ratio`` is Picard's one-thread time over the bare loop's. The fictitious default
    algorithm also runs on the same arrays, with its cost in bare products.

    >>> out = clearing_iteration(sp.csr_array(np.array([[0, 2.0], [1.0, 0]])), np.array([0.5, 0.0]), repeat=1)
    >>> out["picard_iterations"] > 0, out["fda_rounds"], out["iteration_ratio"] > 0
    (True, 1, True)
    """
    from dealweb.contagion import clearing

    net, _ = clearing._network(L, e, None, None, 1e-12, senior=False)
    products = clearing._picard(net, 100_000)[1] + 1  # the last product confirms the fixed point
    x = net.cap.copy()

    def bare_loop() -> None:
        for _ in range(products):
            net.pi_t @ x

    def picard(one: bool) -> None:
        with _one_thread() if one else contextlib.nullcontext():
            clearing._picard(net, 100_000)

    bare = single = threaded = np.inf
    for _ in range(repeat):
        bare = min(bare, _best(bare_loop, 1))
        single = min(single, _best(lambda: picard(True), 1))
        threaded = min(threaded, _best(lambda: picard(False), 1))
    start = time.perf_counter()
    _, rounds, _ = clearing._fda(net, 1.0, 1.0, net.e.size + 1)
    fda = time.perf_counter() - start
    matvec = bare / products
    return {"iteration_ratio": single / bare, "iteration_ratio_threads": threaded / bare, "matvec_s": matvec,
            "picard_iteration_s": single / products, "picard_iteration_threads_s": threaded / products,
            "picard_iterations": products, "fda_s": fda, "fda_rounds": rounds, "fda_matvecs": fda / matvec,
            "nnz": int(L.nnz)}


# ------------------------------------------------------------------ tight SciPy loops (issue 17)
#
# The plain fast way an expert writes each contagion kernel with NumPy/SciPy: arrays built once from
# the input, one CSR product per round or wave, no copies inside the loop, no attribution. Each takes
# a canonical CSR matrix (sorted indices, no duplicates, no diagonal, no stored zeros), as the
# ``*_inputs`` functions above build, and returns what the dealweb call it is timed against returns.


def tight_picard(L: sp.csr_array, e: np.ndarray, *, tol: float = 1e-12,
                 max_iter: int = 100_000) -> tuple[np.ndarray, np.ndarray, int]:
    """Eisenberg–Noe by Picard iteration ``p ← min(p̄, max(0, e + Πᵀp))`` from ``p̄``: payments, losses, products.

    ``p̄ = L·1``, ``Πᵀ[i, j] = L[j, i] / p̄_j``; it stops when no payment moves by more than
    ``tol · max(1, p̄_i, e_i + Σ_j L[j, i])``, the slack of :func:`dealweb.contagion.eisenberg_noe`.
    ``loss_i = Σ_j L[j, i] (1 − p_j / p̄_j)``, what ``i``'s debtors failed to pay it.

    Node 0 has 10 and owes 20 to node 1, which has nothing and owes 5 back: 0 pays 15, 1 loses 5.

    >>> p, loss, products = tight_picard(sp.csr_array(np.array([[0, 20.0], [5.0, 0]])), np.array([10.0, 0.0]))
    >>> p.tolist(), loss.tolist()
    ([15.0, 5.0], [0.0, 5.0])
    """
    n = L.shape[0]
    pbar = np.asarray(L.sum(axis=1)).ravel()
    lt = L.T.tocsr()
    with np.errstate(divide="ignore", invalid="ignore"):
        pi_t = sp.csr_array((lt.data / pbar[lt.indices], lt.indices, lt.indptr), shape=(n, n))
    thr = tol * np.maximum(np.maximum(1.0, pbar), e + lt @ np.ones(n))
    p = pbar
    for k in range(1, max_iter + 1):
        new = np.clip(e + pi_t @ p, 0.0, pbar)
        if np.all(p - new <= thr):
            with np.errstate(divide="ignore", invalid="ignore"):
                short = np.where(pbar > 0, 1.0 - new / pbar, 0.0)
            return new, lt @ short, k
        p = new
    raise RuntimeError(f"Picard iteration did not settle within {max_iter} iterations")


def _rows_over(A: sp.csr_array, E: np.ndarray) -> np.ndarray:
    out: np.ndarray = A.data / np.repeat(E, np.diff(A.indptr))
    return out


def tight_battiston(A: sp.csr_array, E: np.ndarray, h1: np.ndarray) -> tuple[np.ndarray, int]:
    """DebtRank (Battiston et al. 2012) in waves of one CSR product each: ``h(T)`` and the number of waves.

    ``W = min(1, A / E)`` row-wise; a node passes on its ``h`` once, in the wave after it became distressed.

    A chain: 0 lent 5 to 1, 1 lent 6 to 2; 2 loses 40% of its equity.

    >>> h, waves = tight_battiston(sp.csr_array(np.array([[0, 5.0, 0], [0, 0, 6.0], [0, 0, 0]])),
    ...                            np.array([10.0, 12.0, 4.0]), np.array([0, 0, 0.4]))
    >>> h.round(12).tolist(), waves
    ([0.1, 0.2, 0.4], 3)
    """
    W = sp.csr_array((np.minimum(_rows_over(A, E), 1.0), A.indices, A.indptr), shape=A.shape)
    h = h1 + 0.0
    inactive = np.zeros(h.size, dtype=bool)
    distressed = h > 0
    waves = 0
    while distressed.any():
        waves += 1
        h = np.minimum(1.0, h + W @ np.where(distressed, h, 0.0))
        inactive |= distressed
        distressed = (h > 0) & ~inactive
    return h, waves


def tight_bardoscia(A: sp.csr_array, E: np.ndarray, h1: np.ndarray, *, tol: float = 1e-12,
                    max_iter: int = 100_000) -> tuple[np.ndarray, int]:
    """DebtRank (Bardoscia et al. 2015), ``h ← min(1, h + Λ Δh)`` with ``Λ = A / E`` row-wise, until ``max Δh < tol``.

    Returns ``h`` and the number of updates. The same chain as :func:`tight_battiston`; no loop, so
    the same answer:

    >>> h, updates = tight_bardoscia(sp.csr_array(np.array([[0, 5.0, 0], [0, 0, 6.0], [0, 0, 0]])),
    ...                              np.array([10.0, 12.0, 4.0]), np.array([0, 0, 0.4]))
    >>> h.round(12).tolist(), updates
    ([0.1, 0.2, 0.4], 3)
    """
    lam = sp.csr_array((_rows_over(A, E), A.indices, A.indptr), shape=A.shape)
    h, dh = h1 + 0.0, h1
    for k in range(1, max_iter + 1):
        new = np.minimum(1.0, h + lam @ dh)
        dh = new - h
        h = new
        if not dh.max(initial=0.0) >= tol:
            return h, k
    raise RuntimeError(f"DebtRank did not settle within {max_iter} updates")


def tight_threshold(A: sp.csr_array, K: np.ndarray, initial: np.ndarray, *,
                    equal_split: bool = False) -> tuple[np.ndarray, np.ndarray, int, dict[str, np.ndarray]]:
    """Furfine rounds with zero recovery (``equal_split``: Gai–Kapadia's ``A_ij = A_i / k_i``): loss, failed, rounds, extras.

    Each round adds one CSR product of the exposures with the round's new defaults; a node fails when
    its loss exceeds its buffer. The extras are the per-node numbers
    :func:`dealweb.contagion.threshold_cascade` also returns, the plain SciPy way: interbank assets
    ``A_i``, the share ``φ_i`` of them lent to failed nodes, and whether one counterparty's
    default breaks the buffer (``vulnerable``).

    A chain: 0 lent 5 to 1, 1 lent 6 to 2; 2 defaults; buffers 4, 5, 1.

    >>> loss, failed, rounds, extra = tight_threshold(sp.csr_array(np.array([[0, 5.0, 0], [0, 0, 6.0], [0, 0, 0]])),
    ...                                               np.array([4.0, 5.0, 1.0]), np.array([False, False, True]))
    >>> loss.tolist(), failed.tolist(), rounds, extra["vulnerable"].tolist()
    ([5.0, 6.0, 0.0], [True, True, True], 2, [True, True, False])
    """
    assets = np.asarray(A.sum(axis=1)).ravel()
    if equal_split:  # count the defaulted counterparties; scale by A_i / k_i once per round
        counts = np.diff(A.indptr)
        per_link = np.divide(assets, counts, out=np.zeros(counts.size), where=counts > 0)
        A = sp.csr_array((np.repeat(per_link, counts), A.indices, A.indptr), shape=A.shape)
        M = sp.csr_array((np.ones(A.nnz), A.indices, A.indptr), shape=A.shape)
    else:
        per_link, M = np.ones(K.size), A
    acc = np.zeros(K.size)
    failed, new = initial.copy(), initial
    rounds = -1
    while new.any():
        rounds += 1
        acc += M @ new.astype(np.float64)
        new = (per_link * acc > K) & ~failed
        failed |= new
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(assets > 0, (A @ failed.astype(np.float64)) / assets, 0.0)
    single = A.max(axis=1).toarray().ravel()
    return per_link * acc, failed, max(rounds, 0), {"interbank_assets": assets, "share_lost": share,
                                                    "vulnerable": single > K}
