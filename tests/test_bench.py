"""The benchmark runs end to end on tiny inputs, writes valid JSON, and reports what it cannot run."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing as mp
import pickle
from pathlib import Path
from typing import Any

import pytest

from benchmarks import bench
from benchmarks.baselines import clearing_dicts, clearing_inputs, en_dict_of_dicts
from benchmarks.bench import MEASURES, Measure, Target, main
from dealweb.contagion.clearing import eisenberg_noe
from dealweb.scale.synth import synthetic_network

# Fork from the test process: no new interpreter per run, so the whole smoke test takes seconds.
FORK = ["--start-method", "fork"]


def test_quick_run_writes_a_complete_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench.json"
    assert main(["--quick", "--sizes", "500", *FORK, "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["seed"] == 0 and report["sizes"] == [500] and report["quick"] is True
    assert report["machine"]["cpu_count"] >= 1 and report["machine"]["versions"]["numpy"]
    bundled, small = report["groups"]
    assert (bundled["name"], small["name"], small["nodes"], small["edges"]) == ("bundled", "500", 50, 500)
    inputs = {(g["name"], r["measure"]): r for g in (bundled, small) for r in g["runs"] if r["impl"] == "input"}
    assert inputs[("bundled", "load")]["ok"] and inputs[("500", "generate")]["value"] == "50 nodes, 500 edges"
    projection = next(r for r in bundled["runs"] if r["measure"] == "projection")
    assert projection["ok"] and projection["best_s"] > 0 and projection["peak_rss_mb"] > 0
    assert bundled["nodes"] > 50 and "target_all_s" in bundled["targets"]
    for group in (bundled, small):
        for name, measure in MEASURES.items():
            runs = {r["impl"]: r for r in group["runs"] if r["measure"] == name}
            if group is bundled and measure.synthetic_only:
                assert not runs  # the contagion models need balance sheets: synthetic networks only
                continue
            ours = runs["dealweb"]
            # A measure is either missing (skipped with a note) or ran; its own bugs show as an error note.
            assert ours.get("skipped") or ours.get("ok") or ours.get("error"), ours
            if ours.get("ok") and "baseline" in runs:
                base = runs["baseline"]
                assert base["ok"], base  # the baselines are ours: they must run on tiny inputs
                assert isinstance(base["value"], int | float)
                assert base["delta_rss_mb"] >= 0 and base["first_s"] >= base["best_s"] > 0
    printed = capsys.readouterr().out
    assert "== bundled AI deal web" in printed and "target on the bundled web" in printed
    assert "wrote" in printed
    _check_contagion_runs(small)


def _check_contagion_runs(group: dict[str, Any]) -> None:
    """Every contagion measure ran on the small web; the clearing agrees with its pure-Python baseline."""
    runs = {(r["measure"], r["impl"]): r for r in group["runs"]}
    for name in ("clearing", "clearing_stress", "clearing_iteration", "debtrank_battiston", "debtrank_bardoscia",
                 "debtrank_bardoscia_no_rho",
                 "furfine", "gai_kapadia"):
        assert runs[(name, "dealweb")]["ok"], runs[(name, "dealweb")]
    for name in ("clearing", "clearing_stress"):
        ours, base = runs[(name, "dealweb")], runs[(name, "baseline")]
        assert base["ok"] and base["headline"]["method"] == "Picard over a dict of dicts"
        assert ours["headline"]["failed"] == base["headline"]["failed"]
        assert ours["value"] == pytest.approx(base["value"], rel=1e-9)
        assert ours["vs_baseline"]["time"] > 0
    stress, calm = runs[("clearing_stress", "dealweb")], runs[("clearing", "dealweb")]
    assert stress["headline"]["failed"] > calm["headline"]["failed"]  # losing outside revenue hurts
    iteration = runs[("clearing_iteration", "dealweb")]["headline"]
    assert iteration["iteration_ratio"] > 0 and iteration["picard_iterations"] >= 1 and iteration["fda_rounds"] >= 1
    assert runs[("clearing_iteration", "dealweb")]["value"] == iteration["iteration_ratio"]
    assert 0 <= runs[("debtrank_battiston", "dealweb")]["value"] <= 1
    assert runs[("furfine", "dealweb")]["headline"]["failed"] >= 1  # 1% of the nodes, at least one, default
    assert not group.get("targets")  # every target is set at 100k or 10M edges


def test_groups_select_their_measures_and_targets_print(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    # A target at the size being run: met for dealweb's time, missed for an impossible speed-up.
    clearing = MEASURES["clearing"]
    targets = (Target("time", 60.0, 300, "clearing within a minute"), Target("speedup", 1e9, 300, "a billion times"))
    monkeypatch.setitem(MEASURES, "clearing", dataclasses.replace(clearing, targets=targets))
    out = tmp_path / "bench.json"
    assert main(["--only", "threshold,clearing", "--sizes", "300", *FORK, "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["measures"] == ["furfine", "gai_kapadia", "clearing", "clearing_stress", "clearing_iteration"]
    small = report["groups"][1]
    assert [(t["measure"], t["met"]) for t in small["targets"]] == [("clearing", True), ("clearing", False)]
    printed = capsys.readouterr().out
    assert "target: clearing within a minute → " in printed and ": met" in printed
    assert "target: a billion times → ×" in printed and ": MISSED" in printed


def test_clearing_baseline_matches_eisenberg_noe() -> None:
    net = synthetic_network(300, 2_000, seed=3)
    for scenario in ("balance_sheets", "revenue_lost"):
        (L, e), _ = clearing_inputs(net, scenario=scenario, seed=3)
        (owes, assets), _ = clearing_dicts(net, scenario=scenario, seed=3)
        ours, plain = eisenberg_noe(L, e), en_dict_of_dicts(owes, assets)
        assert plain["failed"] == int(ours.failed.sum())
        assert plain["total_loss"] == pytest.approx(float(ours.loss.sum()), rel=1e-9)
    with pytest.raises(ValueError, match="scenario must be"):
        clearing_inputs(net, scenario="nope")


def test_a_missing_measure_is_skipped_with_a_note(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    ghost = Measure("ghost", "dealweb.circularity.ghost:ghost_index", None, "not written yet")
    monkeypatch.setitem(MEASURES, "ghost", ghost)
    out = tmp_path / "bench.json"
    assert main(["--only", "ghost", "--sizes", "200", *FORK, "--json", str(out)]) == 0
    runs = [r for g in json.loads(out.read_text())["groups"] for r in g["runs"] if r["measure"] == "ghost"]
    assert len(runs) == 2 and all(r["skipped"] for r in runs)
    assert "skipped: dealweb.circularity.ghost does not exist yet" in capsys.readouterr().out


def test_a_run_past_its_time_budget_is_stopped(tmp_path: Path) -> None:
    seconds = tmp_path / "seconds.pkl"
    seconds.write_bytes(pickle.dumps(30.0))
    spec = {"target": "time:sleep", "input": str(seconds), "repeat": False}
    reply = bench._run(mp.get_context("fork"), spec, timeout=0.5, memory_cap_gb=8)
    assert reply == {"ok": False, "timeout": True, "error": "did not finish within 0.5 s"}


def test_a_failing_run_reports_its_error() -> None:
    reply = bench._run(mp.get_context("fork"), {"target": "dealweb.scale.synth:synthetic_network",
                                                "kwargs": {"n_nodes": 1, "n_edges": 0}}, timeout=30, memory_cap_gb=8)
    assert not reply["ok"] and reply["error"].startswith("ValueError: n_nodes must be between 2")


@pytest.mark.parametrize("argv", [["--only", "nope"], ["--only", "clearing,contagion"], ["--sizes", "0"],
                                  ["--sizes", "lots"]])
def test_bad_arguments_exit_with_usage(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2


def test_performance_bars_table_runs_quick(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``make bench`` (benchmarks.targets): every source answers on quick inputs, and the JSON is whole."""
    from benchmarks import targets

    out = tmp_path / "bars.json"
    assert targets.main(["--quick", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "load average" in printed and "measure" in printed
    report = json.loads(out.read_text())
    assert report["quick"] is True and report["rows"]
    for row in report["rows"]:
        assert set(row) >= {"name", "baseline", "measured", "target", "unit", "better", "holds"}
