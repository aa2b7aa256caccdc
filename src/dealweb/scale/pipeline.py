"""The standard measures on a network you brought yourself: SCC, circularity, clearing, DebtRank.

``dealweb load-network --measures …`` and the scale benchmark (:mod:`benchmarks.pipeline_bench`)
run the same few measures on a :class:`~dealweb.network.Network` read from files. Inputs that a
bare edge list does not carry come from the node table (:attr:`Network.node_data`):

* **clearing** (Eisenberg–Noe, edges are obligations ``src`` owes ``dst``) needs each node's
  outside means: the column ``external_assets`` if present, else ``cash + revenue_external`` (the
  columns :func:`dealweb.scale.synth.balance_sheets` writes). Outside creditors rank pari passu.
* **debtrank** (Battiston et al. 2012; ``dst`` is exposed to ``src``) needs buffers: the column
  ``equity``. The shock: the 1 % of nodes with the largest gross outflow (at least one) lose half
  their equity, the scenario of the contagion benchmark.
* **scc** and **circularity** (maximum circulation, exact primal-dual with a certified bound) need only the edges.

:func:`run_measures` runs several in order, reports each phase to a ``progress(stage, fraction)``
callback (:mod:`dealweb.progress`) and hands the wall time, CPU time and peak memory of each measure
to ``on_stage`` as soon as it ends, which is what ``dealweb load-network --measures`` prints.

Examples
--------
>>> from dealweb.scale.synth import balance_sheets, synthetic_network
>>> net = synthetic_network(200, 1_000, seed=1)
>>> net = with_node_data(net, balance_sheets(net, seed=1))
>>> sorted(run_measure(net, "scc"))
['largest_scc_nodes', 'strong_components']
>>> 0 < run_measure(net, "circularity")["circularity_index"] < 1
True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import connected_components

from dealweb.errors import Problem, ValidationError
from dealweb.network.graph import Network
from dealweb.progress import ProgressCallback, StageTiming, measure_stage, report

__all__ = ["MEASURES", "debtrank_shock", "outside_means", "run_measure", "run_measures", "with_node_data"]

MEASURES = ("scc", "circularity", "clearing", "debtrank")
_SHOCKED_SHARE = 0.01
_SHOCK = 0.5


def with_node_data(net: Network, data: pd.DataFrame) -> Network:
    """``net`` with ``data`` (indexed by node id, every node present) as its node attributes."""
    missing = [x for x in net.nodes[:1000] if x not in data.index] if len(data) != net.n_nodes else []
    if len(data) != net.n_nodes or missing:
        raise ValidationError([Problem("nodes", "", "node_table", f"must list every one of the {net.n_nodes} nodes "
                                                                   f"once, got {len(data)} rows")])
    return dataclasses.replace(net, node_data=data.reindex(list(net.nodes)))


def _column(net: Network, name: str, measure: str) -> np.ndarray:
    data = net.node_data
    if data is None or name not in data.columns:
        have = ", ".join(map(str, data.columns)) if data is not None else "no node table"
        raise ValidationError([Problem("nodes", name, "missing_column",
                                       f"{measure} needs a node table with column {name!r} ({have})")])
    values = pd.to_numeric(data[name], errors="coerce").to_numpy(dtype=np.float64)
    bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
    if bad.size:
        raise ValidationError([Problem(f"node {net.nodes[int(r)]}", name, "non_negative",
                                       f"{data[name].iloc[int(r)]!r} is not a non-negative number") for r in bad[:20]])
    return values


def outside_means(net: Network) -> np.ndarray:
    """Outside means per node: ``external_assets``, else ``cash + revenue_external`` (module docstring)."""
    data = net.node_data
    if data is not None and "external_assets" not in data.columns and {"cash", "revenue_external"} <= set(data.columns):
        means: np.ndarray = _column(net, "cash", "clearing") + _column(net, "revenue_external", "clearing")
        return means
    return _column(net, "external_assets", "clearing")


def debtrank_shock(net: Network) -> np.ndarray:
    """Relative equity loss ``h(1)``: the top 1 % of nodes by gross outflow lose half their equity."""
    out = np.bincount(net.src, weights=net.amount, minlength=net.n_nodes)
    k = max(1, int(_SHOCKED_SHARE * net.n_nodes))
    h = np.zeros(net.n_nodes)
    h[np.argsort(-out, kind="stable")[:k]] = _SHOCK
    return h


def run_measures(net: Network, names: Sequence[str], *, progress: ProgressCallback | None = None,
                 on_stage: Callable[[StageTiming], None] | None = None) -> dict[str, dict[str, Any]]:
    """Run :data:`MEASURES` ``names`` in order; return ``{name: headline numbers}``.

    ``progress(stage, fraction)`` hears each measure start (stage = its name) and the phases of the
    long ones (``"max circulation: primal-dual (phase 3)"``…); ``on_stage`` gets each measure's
    :class:`~dealweb.progress.StageTiming` (wall and CPU seconds, peak RSS) when it ends.
    Unknown names are refused before anything runs.

    >>> from dealweb.scale.synth import synthetic_network
    >>> stages = []
    >>> out = run_measures(synthetic_network(100, 400, seed=1), ["scc", "circularity"],
    ...                    progress=lambda stage, fraction: stages.append(stage))
    >>> list(out), stages[0], stages[1]
    (['scc', 'circularity'], 'scc', 'circularity')
    """
    unknown = [m for m in names if m not in MEASURES]
    if unknown:
        raise ValidationError([Problem("measures", m, "unknown_measure", f"must be one of {', '.join(MEASURES)}")
                               for m in unknown])
    results: dict[str, dict[str, Any]] = {}
    for name in names:
        with measure_stage(name) as timing:
            results[name] = run_measure(net, name, progress=progress)
        if on_stage is not None:
            on_stage(timing)
    return results


def run_measure(net: Network, name: str, *, progress: ProgressCallback | None = None) -> dict[str, Any]:
    """Run one of :data:`MEASURES` on ``net``; return its headline numbers.

    ``progress`` hears ``(name, None)`` as the measure starts, then the phases of the long ones.
    """
    report(progress, name, None)
    if name == "scc":
        _, labels = connected_components(net.flows, directed=True, connection="strong")
        sizes = np.bincount(labels)
        return {"strong_components": int((sizes >= 2).sum()), "largest_scc_nodes": int(sizes.max(initial=0))}
    if name == "circularity":
        from dealweb.circularity.circulation import max_circulation

        res = max_circulation(net, progress=progress)
        return {"circularity_index": res.circularity_index, "circular_volume": res.circular_volume,
                "circular_volume_certified": res.certificate, "circular_volume_upper_bound": res.upper_bound,
                "edges_in_cycles": res.edges_in_cycles, "circulation_phases": res.phases}
    if name == "clearing":
        from dealweb.contagion.on_network import clear_network

        head = clear_network(net, outside_means(net), attribute=False).headline()  # the headline needs no sources
        return {k: head[k] for k in ("failed", "rounds", "total_loss")}
    if name == "debtrank":
        from dealweb.contagion.on_network import debtrank_network

        buffers = _column(net, "equity", "debtrank")
        head = debtrank_network(net, np.where(buffers > 0, buffers, 1.0), debtrank_shock(net), attribute=False).headline()
        return {k: head[k] for k in ("failed", "rounds", "debtrank")}
    raise ValidationError([Problem("measures", name, "unknown_measure", f"must be one of {', '.join(MEASURES)}")])
