"""In Jupyter: results show money as money, and plotting never switches Matplotlib's global backend."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib
import pytest

import dealweb
from dealweb.circularity import find_cycles
from dealweb.circularity.timeline import timeline
from dealweb.stress import monte_carlo


@pytest.fixture
def no_backend_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("matplotlib.use() changes the backend for the whole notebook")

    monkeypatch.setattr(matplotlib, "use", refuse)


def test_money_reads_as_dollars_in_html_and_stays_a_number_in_the_frame() -> None:
    result = find_cycles(dealweb.project(dealweb.bundled_records()), max_length=2)
    shown = result._repr_html_()
    top = float(result.to_frame()["bottleneck"].iloc[0])
    assert top == 50e9  # Amazon ⇄ OpenAI
    assert "<li>largest_bottleneck: $50B</li>" in shown and "<td>$50B</td>" in shown
    assert "e+10" not in shown and "50000000000" not in shown


def test_timeline_plot_draws_without_pyplot(tmp_path: Path, no_backend_switch: None) -> None:
    t = timeline(dealweb.bundled_records(), start="2025-03-31", end="2025-12-31", max_length=2)
    out = t.plot(tmp_path / "t.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_monte_carlo_plot_returns_a_figure_without_pyplot(web: Any, tmp_path: Path, no_backend_switch: None) -> None:
    from matplotlib.figure import Figure

    from dealweb.stress import parse_scenario

    sc = parse_scenario({"name": "lab-fails", "model": "eisenberg_noe", "shocks": [{"entity": "lab", "pays": 0}]})
    fig = monte_carlo(web, sc, runs=20, seed=1).plot(tmp_path / "mc.svg")
    assert isinstance(fig, Figure) and (tmp_path / "mc.svg").read_text(encoding="utf-8").startswith("<?xml")
