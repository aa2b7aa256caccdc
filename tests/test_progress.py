"""Progress callbacks of the long calls (synth, pipeline, max circulation) and their CLI display."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from dealweb.circularity.circulation import max_circulation
from dealweb.cli import app
from dealweb.errors import ValidationError
from dealweb.progress import StageTiming, measure_stage
from dealweb.scale.pipeline import run_measures, with_node_data
from dealweb.scale.synth import balance_sheets, synthetic_network, write_synthetic


def _stages(calls: list[tuple[str, float | None]]) -> list[str]:
    """Stage names in the order they started (consecutive repeats folded)."""
    return [s for i, (s, _) in enumerate(calls) if i == 0 or calls[i - 1][0] != s]


def test_synth_reports_its_stages_in_order_and_draws_the_same_network(tmp_path: Path) -> None:
    calls: list[tuple[str, float | None]] = []
    net = synthetic_network(2_000, 10_000, seed=5, progress=lambda s, f: calls.append((s, f)))
    assert _stages(calls) == ["synth: degree weights", "synth: planted cycles", "synth: Chung–Lu edges",
                              "synth: reciprocal edges"]
    fractions = [f for s, f in calls if s == "synth: Chung–Lu edges"]
    assert fractions[0] == 0.0 and all(f is not None and 0 <= f <= 1 for f in fractions)
    plain = synthetic_network(2_000, 10_000, seed=5)
    assert np.array_equal(net.src, plain.src) and np.array_equal(net.amount, plain.amount)

    calls.clear()
    write_synthetic(tmp_path / "e.parquet", 200, 800, nodes_path=tmp_path / "n.parquet",
                    progress=lambda s, f: calls.append((s, f)))
    assert _stages(calls)[-3:] == ["synth: writing edges", "synth: balance sheets", "synth: writing node table"]


def test_pipeline_reports_measures_and_circulation_phases_in_order() -> None:
    net = synthetic_network(500, 3_000, seed=2)
    net = with_node_data(net, balance_sheets(net, seed=2))
    calls: list[tuple[str, float | None]] = []
    timings: list[StageTiming] = []
    out = run_measures(net, ["scc", "clearing", "debtrank", "circularity"],
                       progress=lambda s, f: calls.append((s, f)), on_stage=timings.append)
    stages = _stages(calls)
    assert stages[:5] == ["scc", "clearing", "debtrank", "circularity", "max circulation: strong components"]
    phases = stages[5:-1]
    assert phases == [f"max circulation: primal-dual (phase {k})" for k in range(1, len(phases) + 1)] and phases
    assert stages[-1] == "max circulation: totals"
    assert out["circularity"]["circulation_phases"] == len(phases)
    assert [t.stage for t in timings] == list(out) == ["scc", "clearing", "debtrank", "circularity"]
    assert all(t.seconds >= 0 and t.cpu_seconds >= 0 and t.peak_rss_mb >= t.start_rss_mb > 0 for t in timings)
    # The callback changes nothing: same numbers as without it.
    assert run_measures(net, ["circularity"]) == {"circularity": out["circularity"]}


def test_unknown_measure_is_refused_before_anything_runs() -> None:
    calls: list[tuple[str, float | None]] = []
    with pytest.raises(ValidationError, match="pagerank"):
        run_measures(synthetic_network(50, 200, seed=1), ["scc", "pagerank"], progress=lambda s, f: calls.append((s, f)))
    assert calls == []


def test_lp_solver_reports_its_own_phase() -> None:
    calls: list[tuple[str, float | None]] = []
    flows = np.array([[0, 5, 0], [0, 0, 3], [4, 0, 0]])
    assert max_circulation(flows, solver="lp", progress=lambda s, f: calls.append((s, f))).circular_volume == 9.0
    assert _stages(calls) == ["max circulation: strong components", "max circulation: HiGHS LP",
                              "max circulation: certificate", "max circulation: totals"]
    calls.clear()
    max_circulation(flows, solver="ortools", progress=lambda s, f: calls.append((s, f)))
    assert _stages(calls) == ["max circulation: strong components", "max circulation: min-cost flow",
                              "max circulation: certificate", "max circulation: totals"]


def test_measure_stage_times_a_block() -> None:
    with measure_stage("alloc") as timing:
        block = np.ones(4_000_000)  # 32 MB
        del block
    assert timing.stage == "alloc" and timing.seconds > 0 and timing.peak_rss_mb >= timing.start_rss_mb
    assert re.fullmatch(r"alloc: \d+\.\d s \(cpu \d+\.\d s\), peak RSS [\d,]+ MB", timing.line())


def test_cli_prints_stage_names_and_per_stage_time_and_memory(tmp_path: Path) -> None:
    e, n = tmp_path / "e.parquet", tmp_path / "n.parquet"
    synth = CliRunner().invoke(app, ["synth", "--nodes", "500", "--edges", "3k", "-o", str(e), "--nodes-out", str(n)])
    assert synth.exit_code == 0, synth.output
    done = [line.split(":")[1].strip() for line in synth.stderr.splitlines()]
    assert done == ["degree weights", "planted cycles", "Chung–Lu edges", "reciprocal edges", "writing edges",
                    "balance sheets", "writing node table"]
    assert synth.stdout.startswith("wrote 3,000 edges between 500 nodes")

    load = CliRunner().invoke(app, ["load-network", str(e), "--nodes", str(n), "--measures", "circularity,scc"])
    assert load.exit_code == 0, load.output
    lines = load.stderr.splitlines()
    assert [line.split(":")[0] for line in lines] == ["circularity", "scc"]
    assert all(re.fullmatch(r"\w+: \d+\.\d s \(cpu \d+\.\d s\), peak RSS [\d,]+ MB", line) for line in lines)
    assert "circularity: circularity_index" in load.stdout
