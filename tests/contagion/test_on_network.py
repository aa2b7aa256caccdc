"""Network-level wrappers: node-keyed inputs, labels, provenance, and ValidationError on bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dealweb
from dealweb.contagion import (
    cascade_network,
    clear_network,
    cross_holdings_network,
    debtrank,
    debtrank_network,
    eisenberg_noe,
    threshold_cascade,
)
from dealweb.errors import ValidationError
from dealweb.network import Network

EDGES = pd.DataFrame({"source": ["a", "a", "b", "b", "c"], "target": ["b", "c", "a", "c", "a"], "amount": [20, 10, 5, 24, 10]})


@pytest.fixture
def net() -> Network:
    return Network.from_edges(EDGES)


def test_wrappers_equal_the_array_models(net: Network) -> None:
    L = net.flows.toarray()
    en = clear_network(net, pd.Series({"c": 10.0, "a": 10.0, "b": 10.0}))
    assert np.allclose(en.extra["payments"], eisenberg_noe(L, [10, 10, 10]).extra["payments"])
    rv = clear_network(net, [10, 10, 10], model="rogers_veraart", alpha=1, beta=1)
    assert np.allclose(rv.extra["payments"], en.extra["payments"])
    dr = debtrank_network(net, 30, {"a": 0.5}, variant="bardoscia2015")
    assert np.allclose(dr.relative_loss, debtrank(L.T, [30, 30, 30], [0.5, 0, 0], variant="bardoscia2015").relative_loss)
    ff = cascade_network(net, {"a": 5, "b": 5, "c": 50}, ["a"], recovery=0.2)
    assert (ff.failed == threshold_cascade(L.T, [5, 5, 50], [0], recovery=0.2).failed).all()
    assert ff.nodes == ("a", "b", "c")


def test_cross_holdings_on_a_share_network() -> None:
    shares = Network.from_edges(pd.DataFrame({"source": ["a", "b"], "target": ["b", "a"], "amount": [0.2, 0.3]}))
    r = cross_holdings_network(shares, [47, 94], baseline=[94, 94], thresholds=0.8, failure_costs=47)
    assert r.extra["value_after"].round(9).tolist() == [7.0, 40.0]


def test_provenance_from_a_ledger() -> None:
    web = dealweb.project(dealweb.bundled_records(), kinds=["compute_commitment"])
    res = clear_network(web, np.full(web.n_nodes, 1e12))
    assert res.params["network"]["kinds"] == ["compute_commitment"] and res.network_params == web.params
    assert not res.failed.any()


def test_bad_input_names_the_argument(net: Network) -> None:
    with pytest.raises(ValidationError, match="external_assets, zz: is not a node"):
        clear_network(net, {"zz": 1.0})
    with pytest.raises(ValidationError, match="buffers: needs one value per node"):
        debtrank_network(net, [1, 2], {"a": 1})
    with pytest.raises(ValidationError, match="must be 'eisenberg_noe' or 'rogers_veraart'"):
        clear_network(net, 1.0, model="magic")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"eisenberg_noe: .*external_assets"):
        clear_network(net, [-1.0, 0, 0])
    with pytest.raises(ValidationError, match="failed, q: is not a node"):
        cascade_network(net, 1.0, ["q"])
