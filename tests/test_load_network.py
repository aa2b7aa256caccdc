"""Bring your own network: Parquet/CSV/Arrow/DuckDB loading, node tables, errors, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dealweb.cli import main
from dealweb.errors import FormatError, ValidationError
from dealweb.network import Network
from dealweb.network.load import from_arrow, read_edges
from dealweb.network.stats import network_stats
from dealweb.scale.pipeline import run_measure
from dealweb.scale.synth import balance_sheets, synthetic_network, write_nodes_parquet, write_parquet

EDGES = pd.DataFrame({"payer": ["a", "b", "c", "a", "d"], "payee": ["b", "c", "a", "b", "a"],
                      "usd": [1.0, 2.0, 3.0, 4.0, 5.0]})


def _same(a: Network, b: Network) -> bool:
    return a.nodes == b.nodes and (a.flows != b.flows).nnz == 0 and a.n_edges == b.n_edges


@pytest.mark.parametrize("suffix", ["csv", "tsv", "parquet"])
def test_files_match_the_dataframe_path(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"edges.{suffix}"
    if suffix == "parquet":
        EDGES.to_parquet(path)
    else:
        EDGES.to_csv(path, index=False, sep="\t" if suffix == "tsv" else ",")
    from_file = Network.from_edges(path, source="payer", target="payee", amount="usd")
    from_frame = Network.from_edges(EDGES, source="payer", target="payee", amount="usd")
    assert _same(from_file, from_frame) and from_file.nodes == ("a", "b", "c", "d")
    assert from_file.src.dtype == np.int32 and from_file.amount.dtype == np.float64


def test_batches_and_progress_give_the_same_network(tmp_path: Path) -> None:
    net = synthetic_network(2_000, 20_000, seed=4)
    path = write_parquet(net, tmp_path / "e.parquet")  # dictionary-encoded ids, as dealweb synth writes them
    seen: list[tuple[int, int | None]] = []
    back = read_edges(path, nodes=net.nodes, batch_rows=3_000, progress=lambda done, total: seen.append((done, total)))
    assert _same(back, net) and np.array_equal(back.amount, net.amount)
    assert seen[-1] == (20_000, 20_000) and len(seen) == 7
    # Without a node table: ids in order of first appearance over sources, then targets (pandas.factorize).
    plain = read_edges(path, batch_rows=3_000)
    frame = net.to_frame()
    codes, uniques = pd.factorize(np.concatenate([frame["source"], frame["target"]]))
    assert plain.nodes == tuple(uniques) and np.array_equal(plain.src, codes[:20_000])


def test_node_table_keeps_attributes_and_isolated_nodes(tmp_path: Path) -> None:
    net = synthetic_network(300, 1_000, seed=2)
    sheets = balance_sheets(net, seed=2)
    nodes_path = write_nodes_parquet(sheets, tmp_path / "n.parquet")
    back = Network.from_edges(write_parquet(net, tmp_path / "e.parquet"), nodes=nodes_path)
    assert back.nodes == net.nodes and back.node_data is not None
    assert list(back.node_data.columns) == ["inflow", "outflow", "cash", "revenue_external", "equity"]
    assert np.array_equal(back.node_data["equity"].to_numpy(), sheets["equity"].to_numpy())
    csv_nodes = tmp_path / "n.csv"
    sheets.rename_axis("id").reset_index().to_csv(csv_nodes, index=False)
    assert _same(Network.from_edges(tmp_path / "e.parquet", nodes=csv_nodes), back)


def test_integer_ids_and_arrow_tables() -> None:
    table = pa.table({"source": pa.array([10, 20, 30], pa.int64()), "target": [20, 30, 10], "amount": [1, 2, 3]})
    net = from_arrow(table)
    assert net.nodes == ("10", "20", "30") and net.amount.tolist() == [1.0, 2.0, 3.0]
    assert _same(Network.from_edges(table), net)


def test_duckdb_query_over_a_parquet_file(tmp_path: Path) -> None:
    EDGES.to_parquet(tmp_path / "pay.parquet")
    sql = f"select payer as s, payee as t, sum(usd) as v from '{tmp_path / 'pay.parquet'}' group by all order by s, t"
    net = Network.from_query(sql, source="s", target="t", amount="v")
    assert net.n_edges == 4 and net.gross == 15.0 and net.flows[net.index["a"], net.index["b"]] == 5.0
    with pytest.raises(FormatError) as info:
        Network.from_query("select nonsense from nowhere")
    assert str(info.value.problems[0]).startswith("query: DuckDB could not run it:")


def test_errors_name_file_row_column_and_rule(tmp_path: Path) -> None:
    bad = EDGES.assign(usd=[1.0, 2.0, -3.0, 4.0, float("nan")])
    bad.to_csv(tmp_path / "bad.csv", index=False)
    bad.to_parquet(tmp_path / "bad.parquet")
    with pytest.raises(ValidationError) as info:
        Network.from_edges(tmp_path / "bad.csv", source="payer", target="payee", amount="usd")
    assert [str(p) for p in info.value.problems] == [
        "bad.csv row 4, usd: -3.0 is not a non-negative finite number [amount]",
        "bad.csv row 6, usd: an empty cell is not a non-negative finite number [amount]"]
    with pytest.raises(ValidationError) as info:
        Network.from_edges(tmp_path / "bad.parquet", source="payer", target="payee", amount="usd")
    assert str(info.value.problems[0]) == "bad.parquet row 3, usd: -3.0 is not a non-negative finite number [amount]"
    with pytest.raises(FormatError) as info:
        Network.from_edges(tmp_path / "bad.parquet", source="from", target="payee", amount="usd")
    assert str(info.value.problems[0]) == "bad.parquet, from: has no column 'from' [missing_column]"
    EDGES.to_csv(tmp_path / "ok.csv", index=False)
    with pytest.raises(ValidationError) as info:
        Network.from_edges(tmp_path / "ok.csv", source="payer", target="payee", amount="usd", nodes=["a", "b", "c"])
    assert str(info.value.problems[0]) == "ok.csv row 6, payer: 'd' is not in the node table [unknown_node]"
    with pytest.raises(FormatError) as info:  # every missing CSV column named, not Arrow's bare KeyError
        Network.from_edges(tmp_path / "ok.csv", source="from", target="to", amount="usd")
    assert [str(p) for p in info.value.problems] == ["ok.csv, from: has no column 'from' [missing_column]",
                                                     "ok.csv, to: has no column 'to' [missing_column]"]
    (tmp_path / "broken.parquet").write_bytes(b"not parquet")
    with pytest.raises(FormatError, match=r"^1 problem: broken\.parquet: cannot be read: .*\[unreadable\]$"):
        Network.from_edges(tmp_path / "broken.parquet")
    with pytest.raises(ValidationError) as info:
        Network.from_edges(EDGES, source="payer", target="payee", amount="usd",
                           nodes=pd.DataFrame({"id": ["a", "b", "a"], "cash": [1, 2, 3]}))
    assert str(info.value.problems[0]) == "nodes row 4, id: 'a' is listed more than once [duplicate_node]"
    pd.DataFrame({"id": ["a", "b", "a", None]}).to_csv(tmp_path / "n.csv", index=False)
    with pytest.raises(ValidationError) as info:
        Network.from_edges(tmp_path / "ok.csv", source="payer", target="payee", amount="usd", nodes=tmp_path / "n.csv")
    assert [str(p) for p in info.value.problems] == ["n.csv row 5, id: is empty [missing_id]",
                                                     "n.csv row 4, id: 'a' is listed more than once [duplicate_node]"]


def test_stats_count_components_reciprocity_and_the_largest_scc() -> None:
    edges = pd.DataFrame({"source": ["a", "b", "b", "c", "x"], "target": ["b", "a", "c", "a", "y"],
                          "amount": [1.0, 1.0, 1.0, 1.0, 1.0]})
    s = network_stats(Network.from_edges(edges))
    assert (s.nodes, s.edges, s.components, s.strong_components, s.largest_scc_nodes, s.largest_scc_edges) == \
        (5, 5, 2, 1, 3, 4)
    assert s.reciprocity == pytest.approx(2 / 5)


def test_cli_synth_then_load_network_with_measures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    e, n = tmp_path / "e.parquet", tmp_path / "n.parquet"
    assert main(["synth", "--nodes", "1e3", "--edges", "5k", "--seed", "3", "-o", str(e), "--nodes-out", str(n)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"wrote 5,000 edges between 1,000 nodes to {e}"
    assert main(["load-network", str(e), "--nodes", str(n), "--measures", "scc,clearing,debtrank,circularity",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    net = Network.from_edges(e, nodes=n)
    assert out["network"]["edges"] == 5_000 and out["network"]["nodes"] == 1_000
    assert out["measures"]["clearing"] == pytest.approx(run_measure(net, "clearing"))
    assert out["measures"]["circularity"]["circularity_index"] == pytest.approx(
        run_measure(net, "circularity")["circularity_index"])


@pytest.mark.parametrize(("args", "message"), [
    (["synth", "--nodes", "1.5", "-o", "x.parquet"],
     "Error: 1 problem; nothing was written.\n  - --nodes: '1.5' is not a whole number like 2500, 1e6 or 10M [count]\n"),
    (["synth", "-o", "no/such/folder/e.parquet"],
     "Error: 1 problem; nothing was written.\n  - output, no/such/folder/e.parquet: folder no/such/folder does not exist "
     "[folder]\n"),
    (["load-network", "missing.parquet"],
     "Error: 1 problem; nothing was written.\n  - missing.parquet: cannot be read: "),
    (["load-network", "e.csv", "--measures", "pagerank"],
     "Error: 1 problem; nothing was written.\n  - --measures, pagerank: must be one of scc, circularity, clearing, "
     "debtrank [unknown_measure]\n"),
    (["load-network", "e.csv", "--measures", "clearing"],
     "Error: 1 problem; nothing was written.\n  - nodes, external_assets: clearing needs a node table with column "
     "'external_assets' (no node table) [missing_column]\n"),
])
def test_cli_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                    args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    EDGES.rename(columns={"payer": "source", "payee": "target", "usd": "amount"}).to_csv("e.csv", index=False)
    assert main(args) == 1
    assert capsys.readouterr().err.startswith(message)


def test_parquet_is_read_column_by_column(tmp_path: Path) -> None:
    wide = EDGES.assign(memo=["x" * 1000] * 5)
    pq.write_table(pa.Table.from_pandas(wide), tmp_path / "w.parquet")
    net = Network.from_edges(tmp_path / "w.parquet", source="payer", target="payee", amount="usd")
    assert net.n_edges == 5 and net.edge_ids is None


def test_cli_file_errors_are_one_line_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An operating-system error on a file (here: the output is a folder) is one line naming the file."""
    (tmp_path / "out.parquet").mkdir()
    assert main(["synth", "--nodes", "100", "--edges", "400", "-o", str(tmp_path / "out.parquet")]) == 1
    err = capsys.readouterr().err  # the stage log (synth: …) comes first
    assert "Traceback" not in err and err.strip().splitlines()[-1].startswith("Error: ")
    assert "out.parquet" in err.strip().splitlines()[-1]
