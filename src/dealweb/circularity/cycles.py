"""Bounded simple cycles with their bottleneck (round trips are :mod:`.roundtrips`).

A **simple cycle** of length ``k`` is a closed walk ``v_0 → v_1 → … → v_{k-1} → v_0`` through
``k`` distinct companies, each hop carrying at least one deal. Length counts hops (deals in
sequence), so ``2`` is ``A → B → A``. The deal web is a multigraph; cycles are enumerated on
the simple node graph whose hop ``i → j`` carries ``w_ij`` = the total of all deals from
``i`` to ``j``, and every parallel deal on a hop is listed with the cycle. The

    bottleneck(C) = min over hops (i → j) of C of w_ij

is the most money that can go round the loop: no more than the thinnest hop can come back.

Caveats
-------
* Cycles share hops, so their bottlenecks do **not** add up to "the circular money". For a
  total that never counts a dollar twice use ``max_circulation`` (the largest circulation
  that fits under the amounts; Fleischman & Dini 2021, doi:10.3390/jrfm14090452).
* Amounts are the projection's counted amounts: totals over each deal's life (a five-year
  compute contract counts in full), not annual flows; a loop of multi-year commitments and a
  one-off investment is a loop of stocks, not of matched yearly cash.
* Deal kinds differ in what moves (cash now, cash later, shares); the cycle lists them so a
  reader can judge. Self-loops (a company paying itself) are never part of a cycle.
* Cycle counts grow exponentially with length on dense graphs; bound ``max_length`` and pass
  ``limit`` on large networks (see :func:`find_cycles`).

References: Tarjan (1972) strongly connected components, doi:10.1137/0201010; Tarjan (1973)
*Enumeration of the elementary circuits of a directed graph*, SIAM J. Comput. 2(3):211–216,
doi:10.1137/0202017, and Johnson (1975), SIAM J. Comput. 4(1):77–84, doi:10.1137/0204007:
backtracking from each root in turn through the nodes not yet used as roots, which lists
every cycle exactly once. The search here adds a length bound pruned by distances (in the
spirit of Gupta & Suzumura 2021, arXiv:2105.10094). It does not call igraph's
``simple_cycles``: python-igraph 1.0.0 misses cycles on some vertex orders (igraph/igraph#2911;
e.g. edges 0→1, 0→3, 1→3, 2→4, 3→4, 4→0, 4→2 lose the 2-cycle 2 ⇄ 4).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from dealweb.network.graph import Network
from dealweb.network.results import Result

__all__ = ["Cycle", "CycleResult", "find_cycles"]

_BATCH = 1 << 16  # cycles canonicalised and ranked at a time
_FRAME_COLUMNS = ["rank", "length", "path", "bottleneck", "kinds", "deal_ids", "first_date", "last_date"]


@dataclass(frozen=True, slots=True)
class Cycle:
    """One simple cycle; hop ``i`` runs from ``nodes[i]`` to ``nodes[(i + 1) % length]``.

    ``nodes`` start at the node with the smallest index. ``deal_ids`` and ``kinds`` hold every
    parallel deal on each hop (edge positions as ids for plain arrays, ``()`` for a matrix).
    """

    nodes: tuple[Any, ...]
    bottleneck: float
    hop_amounts: tuple[float, ...]
    deal_ids: tuple[tuple[Any, ...], ...]
    kinds: tuple[tuple[str, ...], ...]
    first_date: dt.date | None
    last_date: dt.date | None

    @property
    def length(self) -> int:
        return len(self.nodes)

    @property
    def path(self) -> str:
        """``"a → b → c → a"``."""
        return " → ".join(str(v) for v in (*self.nodes, self.nodes[0]))


@dataclass(frozen=True, kw_only=True)
class CycleResult(Result):
    """Cycles ranked by bottleneck (largest first), then length, then node indices.

    ``total_found`` and ``by_length`` count every cycle found, also those past ``limit``.
    """

    cycles: list[Cycle]
    total_found: int
    by_length: dict[int, int]
    max_length: int
    min_length: int = 2
    min_bottleneck: float = 0.0
    limit: int | None = None

    def to_frame(self) -> pd.DataFrame:
        """One row per cycle; parallel deals on a hop are joined by ``+``, hops by ``|``."""
        rows = [(r, c.length, c.path, c.bottleneck, " | ".join("+".join(k) for k in c.kinds),
                 " | ".join("+".join(str(d) for d in ids) for ids in c.deal_ids), c.first_date, c.last_date)
                for r, c in enumerate(self.cycles, start=1)]
        return pd.DataFrame(rows, columns=_FRAME_COLUMNS)

    def headline(self) -> dict[str, Any]:
        top = self.cycles[0] if self.cycles else None
        return {"cycles": self.total_found, "shown": len(self.cycles), "by_length": dict(sorted(self.by_length.items())),
                "largest_bottleneck": top.bottleneck if top else 0.0, "largest_cycle": top.path if top else None}


class _Edges(NamedTuple):
    """Edges of any accepted input, normalised; ``ids``/``kinds``/``dates`` may be absent."""

    n: int
    src: np.ndarray
    dst: np.ndarray
    amount: np.ndarray
    labels: tuple[Any, ...]
    ids: np.ndarray | None
    kinds: np.ndarray | None
    dates: np.ndarray | None


def _check_amounts(amount: np.ndarray) -> None:
    bad = np.flatnonzero(~np.isfinite(amount) | (amount < 0))
    if bad.size:
        raise ValueError(f"amounts must be finite and non-negative; edge {int(bad[0])} has {amount[bad[0]]!r}")


def _edges_of(obj: Any) -> _Edges:
    """Accept a Network, a ``(src, dst, amount)`` tuple of edge arrays, or a square matrix."""
    if isinstance(obj, Network):
        amount = np.asarray(obj.amount, dtype=np.float64)
        _check_amounts(amount)
        ids = obj.edge_ids if obj.edge_ids is not None else np.arange(obj.n_edges)
        return _Edges(obj.n_nodes, obj.src.astype(np.int64), obj.dst.astype(np.int64), amount, obj.nodes, ids,
                      obj.edge_kinds, obj.edge_dates)
    if isinstance(obj, tuple) and len(obj) == 3:
        src, dst = (np.asarray(a) for a in obj[:2])
        amount = np.asarray(obj[2], dtype=np.float64)
        if not (src.ndim == dst.ndim == amount.ndim == 1 and len(src) == len(dst) == len(amount)):
            raise ValueError("src, dst and amount must be 1-D arrays of the same length")
        if len(src) and (not np.issubdtype(src.dtype, np.integer) or not np.issubdtype(dst.dtype, np.integer)
                         or min(src.min(), dst.min()) < 0):
            raise ValueError("src and dst must be non-negative integer node indices")
        _check_amounts(amount)
        n = int(max(src.max(), dst.max())) + 1 if len(src) else 0
        return _Edges(n, src.astype(np.int64), dst.astype(np.int64), amount, tuple(range(n)), np.arange(len(src)),
                      None, None)
    matrix = sp.coo_array(obj if sp.issparse(obj) else np.asarray(obj, dtype=np.float64))
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"flows must be a square matrix, got shape {matrix.shape}")
    matrix.sum_duplicates()
    amount = np.asarray(matrix.data, dtype=np.float64)
    _check_amounts(amount)
    keep = amount != 0
    n = int(matrix.shape[0])
    return _Edges(n, matrix.row[keep].astype(np.int64), matrix.col[keep].astype(np.int64), amount[keep],
                  tuple(range(n)), None, None, None)


def _hop_matrix(e: _Edges, floor: float) -> sp.csr_array:
    """Simple graph: parallel edges summed, self-loops dropped, hops below ``floor`` dropped.

    Built by hand so that zero-amount hops stay as (explicit) entries: a deal is a hop.
    """
    keep = e.src != e.dst
    key = e.src[keep] * e.n + e.dst[keep]
    uniq, inverse = np.unique(key, return_inverse=True)
    total = np.bincount(inverse, weights=e.amount[keep], minlength=len(uniq))
    ok = total >= floor
    uniq, total = uniq[ok], total[ok]
    indptr = np.searchsorted(uniq // max(e.n, 1), np.arange(e.n + 1))
    return sp.csr_array((total, uniq % max(e.n, 1), indptr), shape=(e.n, e.n))


def _cyclic_components(hops: sp.csr_array) -> np.ndarray:
    """SCC label of each node, ``-1`` for nodes in no cycle (singleton components)."""
    structure = sp.csr_array((np.ones(hops.nnz), hops.indices, hops.indptr), shape=hops.shape)
    _, labels = connected_components(structure, directed=True, connection="strong")
    sizes = np.bincount(labels)
    return np.where(sizes[labels] > 1, labels, -1)


def _scc_edges(hops: sp.csr_array, comp: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hops inside a cyclic component, ``(i, j, total)``, sorted by ``(i, j)`` (``hops`` is built sorted)."""
    coo = hops.tocoo()
    inside = (comp[coo.row] >= 0) & (comp[coo.row] == comp[coo.col])
    return coo.row[inside].astype(np.int64), coo.col[inside].astype(np.int64), coo.data[inside]


def _stream_cycles(hops: sp.csr_array, comp: np.ndarray, lo: int, hi: int) -> Iterator[tuple[int, ...]]:
    """Every cycle of ``lo``–``hi`` hops once, as a generator (memory: a path and a distance table).

    Roots are taken in decreasing degree (hubs first, then never entered again); from root
    ``s`` a depth-first search extends paths through later nodes of the same component,
    pruned by the BFS distance back to ``s`` so that every extension can still close within
    ``hi`` hops.
    """
    u, v, _ = _scc_edges(hops, comp)
    n = hops.shape[0]
    succ: list[list[int]] = [[] for _ in range(n)]
    pred: list[list[int]] = [[] for _ in range(n)]
    for a, b in zip(u.tolist(), v.tolist(), strict=True):
        succ[a].append(b)
        pred[b].append(a)
    degree = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
    roots = [r for r in np.argsort(-degree, kind="stable").tolist() if succ[r]]
    rank = dict(zip(roots, range(len(roots)), strict=True))
    for s in roots:
        rs = rank[s]
        dist = {s: 0}
        frontier = [s]
        for d in range(1, hi):
            reached = []
            for w in frontier:
                for q in pred[w]:
                    if rank[q] > rs and q not in dist:
                        dist[q] = d
                        reached.append(q)
            frontier = reached
        if len(dist) == 1:
            continue
        # Successors worth trying from x, nearest to s first: a path of p hops may step to y
        # only if it can still close, p + dist[y] <= hi, so each scan stops at the first miss.
        options: dict[int, list[int]] = {}
        path, on_path = [s], {s}
        lists, cursor = [sorted((y for y in succ[s] if y in dist), key=dist.__getitem__)], [0]
        while lists:
            todo, i = lists[-1], cursor[-1]
            if i == len(todo) or len(path) + dist[todo[i]] > hi:
                lists.pop()
                cursor.pop()
                on_path.discard(path.pop())
                continue
            cursor[-1] = i + 1
            y = todo[i]
            if y == s:
                if len(path) >= lo:
                    yield tuple(path)
            elif y not in on_path:
                if y not in options:
                    options[y] = sorted((z for z in succ[y] if z in dist), key=dist.__getitem__)
                path.append(y)
                on_path.add(y)
                lists.append(options[y])
                cursor.append(0)


def _rank_key(item: tuple[float, tuple[int, ...]]) -> tuple[float, int, tuple[int, ...]]:
    return -item[0], len(item[1]), item[1]


def _ranked(raw: Iterator[tuple[int, ...]], hop_keys: np.ndarray, hop_weight: np.ndarray, n: int,
            limit: int | None) -> tuple[list[tuple[float, tuple[int, ...]]], Counter[int]]:
    """Canonical rotation, bottleneck and counts, vectorised over batches of cycles.

    Keeps every cycle, or only the best ``limit`` (memory: one batch plus ``limit``).
    ``hop_keys`` are the sorted keys ``i * n + j`` of the hops, ``hop_weight`` their totals.
    """
    by_length: Counter[int] = Counter()
    kept: list[tuple[float, tuple[int, ...]]] = []
    while batch := list(itertools.islice(raw, _BATCH)):
        groups: dict[int, list[tuple[int, ...]]] = {}
        for c in batch:
            groups.setdefault(len(c), []).append(c)
        for k, group in groups.items():
            arr = np.array(group, dtype=np.int64)
            arr = np.take_along_axis(arr, (arr.argmin(axis=1)[:, None] + np.arange(k)) % k, axis=1)
            b = hop_weight[np.searchsorted(hop_keys, arr * n + np.roll(arr, -1, axis=1))].min(axis=1)
            by_length[k] += len(arr)
            if limit is not None and len(b) > limit:
                keep = b >= np.partition(b, len(b) - limit)[len(b) - limit]  # ties at the cut stay
                arr, b = arr[keep], b[keep]
            kept.extend(zip(b.tolist(), map(tuple, arr.tolist()), strict=True))
        if limit is not None:
            kept = sorted(kept, key=_rank_key)[:limit]
    return sorted(kept, key=_rank_key), by_length


def _describe(ranked: list[tuple[float, tuple[int, ...]]], e: _Edges, hop_keys: np.ndarray,
              hop_weight: np.ndarray) -> list[Cycle]:
    """Cycles with the deals behind each hop (looked up once per distinct hop)."""
    keys = e.src * e.n + e.dst
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    Hop = tuple[float, tuple[Any, ...], tuple[str, ...], "dt.date | None", "dt.date | None"]
    details: dict[tuple[int, int], Hop] = {}

    def hop(a: int, b: int) -> Hop:
        k = a * e.n + b
        edges = order[np.searchsorted(sorted_keys, k, "left"):np.searchsorted(sorted_keys, k, "right")]
        days = [d for d in e.dates[edges].astype("datetime64[D]").tolist() if d is not None] if e.dates is not None else []
        return (float(hop_weight[np.searchsorted(hop_keys, k)]), tuple(e.ids[edges].tolist()) if e.ids is not None else (),
                tuple(str(x) for x in e.kinds[edges]) if e.kinds is not None else (),
                min(days) if days else None, max(days) if days else None)

    cycles = []
    for bottleneck, c in ranked:
        info = []
        for pair in zip(c, c[1:] + c[:1], strict=True):
            if pair not in details:
                details[pair] = hop(*pair)
            info.append(details[pair])
        amounts, ids, kinds, firsts, lasts = zip(*info, strict=True)
        first = [d for d in firsts if d is not None]
        last = [d for d in lasts if d is not None]
        cycles.append(Cycle(tuple(e.labels[i] for i in c), bottleneck, amounts, ids, kinds,
                            min(first) if first else None, max(last) if last else None))
    return cycles


def _bounded(raw: Iterator[tuple[int, ...]], max_found: int | None,
             stop: Callable[[], bool] | None) -> Iterator[tuple[int, ...]]:
    """The first ``max_found`` cycles of ``raw``, ending early once ``stop()`` says so (asked every 1,024)."""
    for k, cycle in enumerate(raw):
        if (max_found is not None and k >= max_found) or (stop is not None and k % 1024 == 1023 and stop()):
            return
        yield cycle


def find_cycles(net_or_arrays: Network | Any, *, max_length: int = 6, min_length: int = 2,
                min_bottleneck: float = 0.0, limit: int | None = None, max_found: int | None = None,
                stop: Callable[[], bool] | None = None) -> CycleResult:
    """All simple directed cycles of ``min_length``–``max_length`` hops, ranked by bottleneck.

    Parameters
    ----------
    net_or_arrays
        A :class:`~dealweb.network.Network` (cycles name entity ids and list deal ids, kinds
        and dates), a ``(src, dst, amount)`` tuple of edge arrays (edge positions serve as
        deal ids), or a square dense or sparse matrix ``flows[i, j]`` (integer node labels).
    max_length, min_length
        Bounds on the number of hops, ``2 ≤ min_length ≤ max_length``.
    min_bottleneck
        Only cycles whose every hop totals at least this much (hops below it are dropped
        before the search, which also makes the search faster).
    limit
        Return only the best ``limit`` cycles. Cycles stream from a depth-first generator
        and only the best ``limit`` of each batch are kept, so memory stays bounded (one
        batch of 65,536 plus ``limit``) however many cycles there are; ``total_found``
        still counts them all. Without ``limit`` every cycle is returned, and memory grows
        with their number. Counts explode with length: a scale-free digraph of 10,000 nodes
        and 50,000 edges has ~1.5·10⁵ cycles of at most 4 hops and ~3·10⁶ of at most 5, so
        on large networks keep ``max_length`` small and pass ``limit`` (or raise
        ``min_bottleneck``, which prunes the search itself).
    max_found, stop
        A work budget: enumerate at most ``max_found`` cycles, and end the search early when
        ``stop()`` returns true (a deadline, a client that left). The result then holds the
        best of the cycles found so far, and ``total_found`` says how many that was.

    Returns
    -------
    CycleResult
        Each cycle starts at its smallest node index (so none is listed twice), with its
        bottleneck (``min`` over hops of the hop total), hop totals, deals and kinds per hop,
        and earliest/latest deal date. Only nodes in a non-trivial strongly connected
        component can lie on a cycle, so the search runs per component.

    Examples
    --------
    >>> edges = pd.DataFrame({"source": ["a", "a", "b", "c", "b"], "target": ["b", "b", "c", "a", "a"],
    ...                       "amount": [5.0, 2.0, 3.0, 4.0, 6.0], "id": ["e1", "e2", "e3", "e4", "e5"]})
    >>> res = find_cycles(Network.from_edges(edges, edge_id="id"))
    >>> [(c.path, c.bottleneck) for c in res.cycles]
    [('a → b → a', 6.0), ('a → b → c → a', 3.0)]
    >>> res.cycles[0].deal_ids, res.cycles[0].hop_amounts
    ((('e1', 'e2'), ('e5',)), (7.0, 6.0))
    >>> find_cycles(np.array([[0, 2], [1, 0]])).cycles[0].nodes
    (0, 1)
    """
    if not 2 <= min_length <= max_length:
        raise ValueError(f"need 2 <= min_length <= max_length, got min_length={min_length}, max_length={max_length}")
    if not (np.isfinite(min_bottleneck) and min_bottleneck >= 0):
        raise ValueError(f"min_bottleneck must be a finite non-negative number, got {min_bottleneck!r}")
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be a positive integer or None, got {limit!r}")
    e = _edges_of(net_or_arrays)
    hops = _hop_matrix(e, min_bottleneck)
    comp = _cyclic_components(hops)
    u, v, hop_weight = _scc_edges(hops, comp)
    hop_keys = u * e.n + v
    raw = _stream_cycles(hops, comp, min_length, max_length)
    if max_found is not None or stop is not None:
        raw = _bounded(raw, max_found, stop)
    ranked, by_length = _ranked(raw, hop_keys, hop_weight, e.n, limit)
    cycles = _describe(ranked, e, hop_keys, hop_weight)
    net = net_or_arrays if isinstance(net_or_arrays, Network) else None
    return CycleResult(cycles=cycles, total_found=sum(by_length.values()), by_length=dict(by_length),
                       max_length=max_length, min_length=min_length, min_bottleneck=min_bottleneck, limit=limit,
                       network_params=net.params if net else {}, undisclosed=net.undisclosed if net else ())
