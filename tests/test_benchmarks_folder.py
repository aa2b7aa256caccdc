"""The API load test lives in benchmarks/, outside the installed package, and still runs."""

from __future__ import annotations

import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_loadtest_is_not_in_the_package_and_runs_from_benchmarks() -> None:
    assert find_spec("dealweb.web.loadtest") is None
    script = ROOT / "benchmarks" / "loadtest.py"
    done = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "--clients" in done.stdout and "python benchmarks/loadtest.py" in done.stdout
