"""The scale tooling without Spark: the optional-dependency errors and the pipeline benchmark."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from benchmarks.pipeline_bench import RssSampler, main
from dealweb.errors import MissingDependencyError


def test_missing_pyspark_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from dealweb.spark import SparkUnavailableError, require_spark

    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # import now fails as if pyspark were not installed
    with pytest.raises(SparkUnavailableError, match=r"^the Spark backend needs pyspark: pip install 'dealweb\[spark\]'$"):
        require_spark()
    assert issubclass(SparkUnavailableError, MissingDependencyError)


def test_missing_duckdb_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from dealweb.network import Network

    monkeypatch.setitem(sys.modules, "duckdb", None)
    with pytest.raises(MissingDependencyError, match=r"from_query needs DuckDB: pip install 'dealweb\[duckdb\]'"):
        Network.from_query("select 1")


def test_rss_sampler_sees_an_allocation() -> None:
    with RssSampler() as rss:
        block = bytearray(64 * 2**20)
        block[:: 4096] = b"x" * len(block[:: 4096])  # touch every page
    assert rss.peak - rss.start >= 48 * 2**20
    del block


def test_pipeline_benchmark_reports_every_stage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench.json"
    assert main(["--nodes", "2k", "--edges", "10k", "--dir", str(tmp_path), "--json", str(out)]) == 0
    rows = json.loads(out.read_text())["rows"]
    assert [r["stage"] for r in rows] == ["load", "clearing", "debtrank", "scc", "circularity"]
    assert all(r["seconds"] > 0 and r["peak_rss_mb"] >= r["start_rss_mb"] > 0 for r in rows)
    assert rows[0]["note"] == "2,000 nodes, 10,000 edges"
