"""The contagion models on a :class:`~dealweb.network.Network`: node ids in, labelled results out.

The array-level models take matrices and raise ``ValueError``; these wrappers take a network
(from a ledger, :meth:`Network.from_edges` on your own CSV or Parquet edge list, or
:func:`dealweb.scale.synth.synthetic_network`) and per-node inputs given as a mapping or pandas Series
keyed by node id, or an array in node order. They label results with the node ids, record the
network's provenance in ``params["network"]``, and turn bad input into a
:class:`~dealweb.errors.ValidationError` that names the argument.

Orientation: an edge ``src → dst`` with amount ``a`` is money ``src`` owes or pays ``dst``.

* clearing (:func:`clear_network`): ``L = flows``, ``L[i, j]`` = what ``i`` owes ``j``;
* DebtRank and cascades: ``dst`` is exposed to ``src`` (it loses the amount if ``src`` fails),
  so the exposure matrix is ``flows.T``;
* cross-holdings: the edge amount is the *share* of ``dst`` held by ``src``.

Examples
--------
>>> from dealweb.network import Network
>>> import pandas as pd
>>> edges = pd.DataFrame({"source": ["a", "a", "b", "b", "c"], "target": ["b", "c", "a", "c", "a"],
...                       "amount": [20, 10, 5, 24, 10]})
>>> net = Network.from_edges(edges)
>>> res = clear_network(net, {"a": 10, "b": 10, "c": 10})
>>> res.nodes, (res.extra["payments"] * 11).round(6).tolist()
(('a', 'b', 'c'), [270.0, 290.0, 110.0])
>>> debtrank_network(net, {"a": 30, "b": 30, "c": 30}, {"c": 1.0}).failed.tolist()
[False, False, True]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd

from dealweb.contagion.clearing import eisenberg_noe, rogers_veraart
from dealweb.contagion.crossholdings import cross_holdings
from dealweb.contagion.debtrank import debtrank
from dealweb.contagion.result import ContagionResult
from dealweb.contagion.threshold import threshold_cascade
from dealweb.errors import Problem, ValidationError
from dealweb.network.graph import Network

__all__ = ["cascade_network", "clear_network", "cross_holdings_network", "debtrank_network"]


def _per_node(net: Network, value: Any, name: str, *, default: float | None = None) -> np.ndarray:
    """A per-node vector from a mapping / Series keyed by node id, a scalar, or an array in node order."""
    n = net.n_nodes
    if value is None:
        if default is None:
            raise ValidationError([Problem(name, "", "required", "is required")])
        return np.full(n, default)
    if isinstance(value, pd.Series | Mapping):
        items = value.items()
        out = np.full(n, default if default is not None else 0.0)
        unknown = [str(k) for k, _ in items if str(k) not in net.index]
        if unknown:
            raise ValidationError([Problem(name, str(k), "unknown_node", "is not a node of the network") for k in unknown[:20]])
        for k, v in value.items():
            out[net.index[str(k)]] = float(v)
        return out
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        return np.full(n, float(arr))
    if arr.shape != (n,):
        raise ValidationError([Problem(name, "", "shape", f"needs one value per node ({n}), got shape {arr.shape}")])
    return arr


def _finish(net: Network, res: ContagionResult) -> ContagionResult:
    params = dict(res.params)
    params["network"] = dict(net.params)
    return ContagionResult(model=res.model, nodes=net.nodes, loss=res.loss, relative_loss=res.relative_loss,
                           failed=res.failed, failure_round=res.failure_round, top_source=res.top_source,
                           rounds=res.rounds, extra=res.extra, params=params, network_params=dict(net.params),
                           undisclosed=net.undisclosed)


def _run(net: Network, what: str, call: Any) -> ContagionResult:
    try:
        return _finish(net, call())
    except ValueError as exc:
        raise ValidationError([Problem(what, "", "model_input", str(exc))]) from exc


def clear_network(net: Network, external_assets: Any, *, external_liabilities: Any = None,
                  model: Literal["eisenberg_noe", "rogers_veraart"] = "eisenberg_noe",
                  seniority: Literal["pari_passu", "senior"] = "pari_passu", alpha: float = 1.0, beta: float = 1.0,
                  attribute: bool = True) -> ContagionResult:
    """Clearing payments on ``net`` (edges = obligations): Eisenberg–Noe, or Rogers–Veraart with ``alpha``, ``beta``.

    ``attribute=False`` skips the per-creditor loss attribution (``top_source`` is then −1).
    """
    e = _per_node(net, external_assets, "external_assets")
    ell = _per_node(net, external_liabilities, "external_liabilities", default=0.0)
    if model == "eisenberg_noe":
        return _run(net, model, lambda: eisenberg_noe(net.flows, e, external_liabilities=ell, seniority=seniority,
                                                      attribute=attribute))
    if model == "rogers_veraart":
        return _run(net, model, lambda: rogers_veraart(net.flows, e, alpha=alpha, beta=beta, external_liabilities=ell,
                                                       attribute=attribute))
    raise ValidationError([Problem("model", "", "model", f"must be 'eisenberg_noe' or 'rogers_veraart', got {model!r}")])


def debtrank_network(net: Network, buffers: Any, shock: Any, *,
                     variant: Literal["battiston2012", "bardoscia2015"] = "battiston2012",
                     attribute: bool = True) -> ContagionResult:
    """DebtRank on ``net``: ``dst`` loses ``amount · h_src`` when ``src`` loses ``h_src`` of its equity.

    ``attribute=False`` skips the attribution of each loss to its largest source.
    """
    E = _per_node(net, buffers, "buffers")
    h = _per_node(net, shock, "shock", default=0.0)
    return _run(net, "debtrank", lambda: debtrank(net.flows.T.tocsr(), E, h, variant=variant, attribute=attribute))


def cascade_network(net: Network, buffers: Any, failed: Any, *, recovery: Any = 0.0,
                    rule: Literal["furfine", "gai_kapadia"] = "furfine") -> ContagionResult:
    """Furfine or Gai–Kapadia default cascade on ``net`` from the node ids in ``failed``."""
    K = _per_node(net, buffers, "buffers")
    unknown = [str(x) for x in failed if x not in net.index]
    if unknown:
        raise ValidationError([Problem("failed", x, "unknown_node", "is not a node of the network") for x in unknown])
    mask = np.zeros(net.n_nodes, dtype=bool)
    mask[[net.index[x] for x in failed]] = True
    R = recovery if np.isscalar(recovery) else _per_node(net, recovery, "recovery")
    return _run(net, rule, lambda: threshold_cascade(net.flows.T.tocsr(), K, mask, recovery=R, rule=rule))


def cross_holdings_network(net: Network, primitive_assets: Any, *, baseline: Any = None, thresholds: Any = 0.5,
                           failure_costs: Any = 0.0) -> ContagionResult:
    """Elliott–Golub–Jackson cascade on ``net``, whose edge amounts are the shares of ``dst`` held by ``src``."""
    x = _per_node(net, primitive_assets, "primitive_assets")
    x0 = _per_node(net, baseline, "baseline") if baseline is not None else None
    theta = _per_node(net, thresholds, "thresholds")
    beta = _per_node(net, failure_costs, "failure_costs")
    return _run(net, "cross_holdings", lambda: cross_holdings(net.flows, x, baseline=x0, thresholds=theta,
                                                              failure_costs=beta))
