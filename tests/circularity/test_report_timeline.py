"""All measures together: a web where they disagree (each right by its definition), the
report, one company's card, and the timeline with its plot."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import dealweb
from dealweb.circularity import find_cycles, finn_cycling_index, hodge_decomposition, max_circulation
from dealweb.circularity.report import circularity_report, company_risk
from dealweb.circularity.timeline import quarter_ends, timeline
from dealweb.errors import NotFoundError
from dealweb.network import Network


def test_measures_disagree_and_each_is_right() -> None:
    # a and b pay each other 5 (a reciprocal pair); c pays d 10 (a one-way chain).
    net = Network.from_matrix(np.array([[0, 5, 0, 0], [5, 0, 0, 0], [0, 0, 0, 10], [0, 0, 0, 0.0]]),
                              nodes=["a", "b", "c", "d"])
    # Netting: the pair settles itself, 10 of the 20 gross is circular.
    assert max_circulation(net).circularity_index == pytest.approx(0.5)
    # Cycles: one loop, a ⇄ b, whose thinnest hop is 5.
    cycles = find_cycles(net)
    assert cycles.total_found == 1 and cycles.cycles[0].bottleneck == 5
    # Hodge works on NET flow per pair: a→b and b→a cancel, so no net money circulates.
    assert hodge_decomposition(net).loop_share == pytest.approx(0.0)
    # Finn: a and b form a closed sub-system (all its throughflow cycles): 10 of TST 30.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert finn_cycling_index(net).fci == pytest.approx(1 / 3)


def test_report_joins_every_measure_per_company() -> None:
    rs = dealweb.bundled_records()
    report = circularity_report(dealweb.project(rs), rs)
    head = report.headline()
    assert 0 < head["circularity_index"] < 1 and head["cycles"] >= 1 and head["undisclosed_deals"] > 0
    table = report.to_frame()
    assert {"circular_through", "return_probability", "potential", "vendor_financed_direct"} <= set(table.columns)
    assert table["circular_through"].sum() == pytest.approx(report.circulation.circular_volume)
    data = report.to_dict()
    json.dumps(data, allow_nan=False)  # valid JSON: non-finite numbers are null
    assert data["network_params"]["amount_policy"]["bound"] == "amount"


def test_company_risk_card() -> None:
    rs = dealweb.bundled_records()
    report = circularity_report(dealweb.project(rs), rs, top_cycles=10_000)
    risk = company_risk(report, "microsoft")
    assert risk.name == "Microsoft" and len(risk.round_trips) >= 1
    assert all("microsoft" in path for path in risk.cycles["path"])
    assert set(risk.round_trips["funder"]) | set(risk.round_trips["recipient"]) >= {"microsoft"}
    with pytest.raises(NotFoundError, match="no entity with id 'nobody' in the network"):
        company_risk(report, "nobody")


def test_quarter_ends() -> None:
    import datetime as dt

    assert [str(d) for d in quarter_ends(dt.date(2024, 11, 5), dt.date(2025, 1, 1))] == ["2024-12-31", "2025-03-31"]


def test_timeline_grows_and_plots(tmp_path: Path) -> None:
    rs = dealweb.bundled_records()
    t = timeline(rs, start="2024-10", end="2026-06")
    frame = t.to_frame()
    assert len(frame) == 7 and list(frame["deals"]) == sorted(frame["deals"])  # 2024-Q4 … 2026-Q2
    last = dealweb.project(rs, as_of="2026-06-30")
    assert frame.iloc[-1]["gross_volume"] == pytest.approx(last.gross)
    assert frame.iloc[-1]["circular_volume"] > frame.iloc[0]["circular_volume"]
    for suffix in ("png", "svg"):
        out = t.plot(tmp_path / f"t.{suffix}")
        assert out.stat().st_size > 1000
    assert (tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match=r"t\.gif: the plot is written as \.png or \.svg"):
        t.plot(tmp_path / "t.gif")
    with pytest.raises(ValueError, match="start 2026 is after end 2025"):
        timeline(rs, start="2026", end="2025")


def test_circularity_cli(tmp_path: Path) -> None:
    env = {"DEALWEB_DB": str(tmp_path / "c.sqlite"), "COLUMNS": "80", "PATH": "/usr/bin:/bin"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "dealweb", *args], capture_output=True, text=True, env=env,
                              check=False)

    done = run("circularity", "--json")
    assert done.returncode == 0, done.stderr
    assert 0 < json.loads(done.stdout)["headline"]["circularity_index"] < 1
    done = run("cycles", "--as-of", "2025-12-31", "--csv")
    assert done.returncode == 0 and done.stdout.startswith("rank,length,path,bottleneck")
    done = run("company-risk", "oracle")
    assert done.returncode == 0 and "Oracle (oracle): receives" in done.stdout
    done = run("timeline", "--start", "2025", "--plot", str(tmp_path / "t.svg"))
    assert done.returncode == 0 and (tmp_path / "t.svg").exists()
    done = run("company-risk", "nobody")
    assert done.returncode == 1 and done.stderr.strip() == "Error: no entity with id 'nobody' in the network"
    done = run("timeline", "--plot", str(tmp_path / "t.gif"))
    assert done.returncode == 2 and "t.gif is not a .png or .svg file" in done.stderr
    done = run("cycles", "--amount-policy", "median")
    assert done.returncode == 2 and "'median' is not one of: face, low, high" in done.stderr
