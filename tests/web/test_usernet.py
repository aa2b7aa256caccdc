"""Your own network on the map: the library half (reading, layouts, measures) and its two routes."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dealweb
from dealweb.circularity import find_cycles, hodge_decomposition, max_circulation
from dealweb.errors import FormatError, ValidationError
from dealweb.network import Network
from dealweb.scale.synth import synthetic_network
from dealweb.web import create_app
from dealweb.web.usernet import MAX_UPLOAD_BYTES, layout_positions, load_network, read_upload, user_network_payload

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TRIANGLE = b"source,target,amount\na,b,5\nb,c,3\nc,a,4\n"
OCTETS = {"Content-Type": "application/octet-stream"}


@pytest.fixture(scope="module")
def synth() -> Network:
    return synthetic_network(300, 700, seed=3)


@pytest.fixture(scope="module")
def client(synth: Network) -> Iterator[TestClient]:
    with TestClient(create_app(dealweb.open(":memory:"), network=synth, network_name="synth.parquet")) as c:
        yield c


def test_payload_matches_the_library_measures(synth: Network) -> None:
    data = user_network_payload(synth, name="s")
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    assert (len(nodes), len(edges)) == (synth.n_nodes, synth.n_edges)
    assert [n["data"]["id"] for n in nodes] == list(synth.nodes)
    assert {(e["data"]["source"], e["data"]["target"]) for e in edges} == {
        (synth.nodes[s], synth.nodes[t]) for s, t in zip(synth.src, synth.dst, strict=True)}
    m = data["measures"]
    assert m["circularity_index"] == pytest.approx(max_circulation(synth).headline()["circularity_index"])
    assert m["loop_share"] == pytest.approx(hodge_decomposition(synth).headline()["loop_share"])
    best = find_cycles(synth, max_length=4, limit=1).cycles[0]
    assert m["cycles"][0]["bottleneck"] == pytest.approx(best.bottleneck)
    edge_ids = {e["data"]["id"] for e in edges}
    assert all(x in edge_ids for c in m["cycles"] for hop in c["deal_ids"] for x in hop)


def test_concentric_layout_puts_money_sources_in_the_middle() -> None:
    # a chain a → b → c → d: a is the most upstream, d the most downstream
    net = Network.from_edges(pd.DataFrame({"source": list("abc"), "target": list("bcd"), "amount": [1.0, 1, 1]}))
    pos = layout_positions(net, hodge_decomposition(net).potential)
    xy = np.asarray(pos["concentric"]).reshape(-1, 2)
    radius = np.hypot(xy[:, 0], xy[:, 1])
    assert radius[0] < radius[3]
    ring = np.hypot(*np.asarray(pos["circle"]).reshape(-1, 2).T)
    assert np.allclose(ring, ring[0])  # one ring


def test_a_small_network_is_not_drawn_as_a_line() -> None:
    # three nodes on rings of their own used to start each ring at the top: a vertical line
    net = Network.from_edges(pd.DataFrame({"source": list("abc"), "target": list("bca"), "amount": [5.0, 3, 4]}))
    xy = np.asarray(layout_positions(net, hodge_decomposition(net).potential)["concentric"]).reshape(-1, 2)
    centred = xy - xy.mean(axis=0)
    assert np.linalg.matrix_rank(centred, tol=1.0) == 2  # spread in two dimensions


def test_positions_are_distinct(synth: Network) -> None:
    data = user_network_payload(synth)
    for flat in data["layouts"].values():
        xy = np.asarray(flat).reshape(-1, 2)
        assert len(xy) == synth.n_nodes and len({tuple(p) for p in xy}) == synth.n_nodes


def test_load_network_with_a_node_table(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_bytes(TRIANGLE)
    (tmp_path / "n.csv").write_text("id,name,kind\na,Alpha,bank\nb,Beta,bank\nc,Gamma,other\nd,Delta,other\n")
    net = load_network(tmp_path / "e.csv", nodes=tmp_path / "n.csv")
    assert net.nodes == ("a", "b", "c", "d") and net.name(0) == "Alpha" and net.node_kinds == ("bank", "bank", "other", "other")
    (tmp_path / "bad.csv").write_text("id\na\na\n")
    with pytest.raises(ValidationError, match=r"bad\.csv row 3, id: repeats an id"):
        load_network(tmp_path / "e.csv", nodes=tmp_path / "bad.csv")


def test_read_upload_rules() -> None:
    with pytest.raises(FormatError, match="unknown_format"):
        read_upload(TRIANGLE, "edges.xlsx")
    with pytest.raises(ValidationError, match="no_edges"):
        read_upload(b"source,target,amount\n", "e.csv")
    net = read_upload(TRIANGLE, "../../etc/e.csv")  # the name is only a label
    assert net.params["source"] == "e.csv"


def test_parquet_upload(client: TestClient, synth: Network) -> None:
    buf = io.BytesIO()
    synth.to_frame().to_parquet(buf)
    r = client.post("/api/user-network", headers=OCTETS, params={"filename": "mine.parquet"}, content=buf.getvalue())
    assert r.status_code == 200
    linked = len(set(synth.src.tolist()) | set(synth.dst.tolist()))  # an edge list has no isolated nodes
    assert r.json()["n_nodes"] == linked and r.json()["n_edges"] == synth.n_edges


def test_served_network_and_meta(client: TestClient, synth: Network) -> None:
    meta = client.get("/api/meta").json()
    assert meta["user_network"] == {"name": "synth.parquet", "nodes": synth.n_nodes, "edges": synth.n_edges}
    r = client.get("/api/user-network")
    assert r.status_code == 200 and len(r.json()["elements"]["nodes"]) == synth.n_nodes


def test_no_served_network_is_404() -> None:
    with TestClient(create_app(dealweb.open(":memory:"))) as c:
        r = c.get("/api/user-network")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
        assert c.get("/api/meta").json()["user_network"] is None


@pytest.mark.parametrize(("content", "params", "status", "where", "field", "rule"), [
    (b"source,target,amount\na,b,5\nb,a,-3\n", {"filename": "e.csv"}, 422, "e.csv row 3", "amount", "amount"),
    (b"from,target,amount\na,b,5\n", {"filename": "e.csv"}, 422, "e.csv", "source", "missing_column"),
    (b"from,to,amount\na,b,5\n", {"filename": "e.csv", "source": "from", "target": "to", "amount": "x"}, 422,
     "e.csv", "x", "missing_column"),
    (TRIANGLE, {"filename": "e.json"}, 422, "e.json", "", "unknown_format"),
    (TRIANGLE, {}, 422, "query", "filename", "missing"),
])
def test_upload_errors_name_row_column_and_rule(client: TestClient, content: bytes, params: dict[str, str], status: int,
                                                where: str, field: str, rule: str) -> None:
    r = client.post("/api/user-network", headers=OCTETS, params=params, content=content)
    assert r.status_code == status
    problem = r.json()["error"]["problems"][0]
    assert (problem["where"], problem["field"], problem["rule"]) == (where, field, rule)


def test_upload_custom_columns(client: TestClient) -> None:
    r = client.post("/api/user-network", headers=OCTETS, params={"filename": "e.csv", "source": "from", "target": "to"},
                    content=b"from,to,amount\na,b,5\nb,a,3\n")
    assert r.status_code == 200 and r.json()["measures"]["circularity_index"] == pytest.approx(6 / 8)


def test_upload_size_limit_and_empty_body(client: TestClient) -> None:
    r = client.post("/api/user-network", headers=OCTETS, params={"filename": "e.csv"}, content=b"x" * (MAX_UPLOAD_BYTES + 1))
    assert r.status_code == 413 and r.json()["error"]["code"] == "bad_request"
    r = client.post("/api/user-network", headers=OCTETS, params={"filename": "e.csv"}, content=b"")
    assert r.status_code == 400


def test_upload_works_on_a_read_only_server_and_stores_nothing(client: TestClient, synth: Network) -> None:
    assert client.get("/api/health").json()["read_only"] is True
    r = client.post("/api/user-network", headers=OCTETS, params={"filename": "e.csv"}, content=TRIANGLE)
    assert r.status_code == 200 and r.json()["n_nodes"] == 3
    assert len(client.get("/api/user-network").json()["elements"]["nodes"]) == synth.n_nodes


def test_hostile_names_come_back_as_inert_json(client: TestClient) -> None:
    content = b'source,target,amount\n"<img src=x onerror=alert(1)>",b,5\nb,"<img src=x onerror=alert(1)>",3\n'
    r = client.post("/api/user-network", headers=OCTETS, params={"filename": "e.csv"}, content=content)
    assert r.status_code == 200 and b"<img" not in r.content
    assert r.json()["elements"]["nodes"][0]["data"]["label"] == "<img src=x onerror=alert(1)>"


def test_serve_reports_a_bad_network_file_before_serving(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import run

    bad = tmp_path / "edges.csv"
    bad.write_text("source,target,amount\na,b,lots\n")
    code, out, err = run(capsys, "serve", "--network", str(bad), "--port", "1")
    assert code != 0 and "edges.csv row 2" in err + out and "amount" in err + out
    code, out, err = run(capsys, "serve", "--nodes", str(bad), "--port", "1")
    assert code != 0 and "--nodes goes with --network" in err + out


@pytest.mark.parametrize("kind", [None, "text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"])
def test_upload_needs_the_octet_stream_type_a_cross_site_form_cannot_send(client: TestClient, kind: str | None) -> None:
    headers = {"Content-Type": kind} if kind else {}
    r = client.post("/api/user-network", headers=headers, params={"filename": "e.csv"}, content=TRIANGLE)
    assert r.status_code == 415 and r.json()["error"]["code"] == "bad_request"
