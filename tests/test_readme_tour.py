"""Every `dealweb …` line in the README's shell blocks runs as written and exits 0.

Lines run in this process (``dealweb.cli.main``) in a temporary folder, against a fresh copy of
the bundled ledger through DEALWEB_DB. The files a line names (``my-deals/``, ``deals.xlsx``,
``story.txt``…) are made first, the way a reader would make them. A few lines are not run, each
for the reason in SKIP; two are run smaller (SMALLER) so the tour stays within about a minute.
"""

from __future__ import annotations

import io
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest

import dealweb
from dealweb.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"
SKIP = {
    "serve": "starts a server that runs until stopped",
    "--review": "asks questions at the terminal",
    "--sql": "reads the reader's own payment files (pay/*.parquet)",
}
# Same command, smaller sizes: the README's 10 million edges or 10,000 runs take minutes.
SMALLER = {"--nodes 1e6 --edges 1e7": "--nodes 1e3 --edges 1e4", "--runs 10000": "--runs 200"}
pytestmark = pytest.mark.tour
STORY = "Nvidia will invest $3 billion in Nebius. Meta will rent $2 billion of capacity from Nscale."


def tour_lines() -> list[str]:
    """The README's `dealweb` commands, continuation lines joined and comments dropped."""
    text = README.read_text(encoding="utf-8")
    lines: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for command in block.replace("\\\n", " ").splitlines():
            words = shlex.split(command, comments=True)
            if words and (words[0] == "dealweb" or (words[0].count("=") == 1 and "dealweb" in words[1:2])):
                lines.append(command)
    return lines


def _skip_reason(command: str) -> str | None:
    words = shlex.split(command, comments=True)
    for marker, reason in SKIP.items():
        if marker in words:
            return reason
    if "report.pdf" in words:
        import importlib.util

        if importlib.util.find_spec("playwright") is None or not Path("/usr/bin/chromium").exists():
            return "needs the pdf extra and Chromium"
    return None


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the files the tour's lines name, and a bundled ledger to copy."""
    folder = tmp_path_factory.mktemp("tour")
    ledger = dealweb.open(str(folder / "bundled.sqlite"))
    ledger.close()
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    (folder / "story.html").write_text(f"<html><head><title>Two deals</title></head><body><p>{STORY}</p></body></html>",
                                       encoding="utf-8")
    shipped = Path(dealweb.__file__).parent / "data" / "scenarios" / "openai-fails.yaml"
    shutil.copy(shipped, folder / "my-scenario.yaml")
    return folder


def test_the_tour_has_the_commands_it_should() -> None:
    lines = tour_lines()
    assert len(lines) >= 30
    assert any(line.startswith("dealweb extract - ") for line in lines)


@pytest.mark.parametrize("command", tour_lines(), ids=lambda c: " ".join(shlex.split(c, comments=True)[:3]))
def test_readme_line_runs(command: str, workdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    reason = _skip_reason(command)
    if reason:
        pytest.skip(f"not run: {reason}")
    for big, small in SMALLER.items():
        command = command.replace(big, small)
    shutil.copy(workdir / "bundled.sqlite", tmp_path / "ledger.sqlite")
    for name in ("story.txt", "story.html", "my-scenario.yaml"):
        shutil.copy(workdir / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DEALWEB_DB", str(tmp_path / "ledger.sqlite"))
    monkeypatch.setenv("COLUMNS", "100")
    # What the line reads must exist, as it would for a reader who followed the tour in order.
    if "my-deals/" in command:
        assert main(["export", "--format", "csv", "-o", "my-deals"]) == 0
    if "deals.xlsx" in command:
        assert main(["export", "--format", "xlsx", "-o", "deals.xlsx"]) == 0
    if "load-network" in command:
        assert main(["synth", "--nodes", "1e3", "--edges", "1e4", "-o", "edges.parquet", "--nodes-out", "nodes.parquet"]) == 0
    capsys.readouterr()

    words = shlex.split(command, comments=True)
    stdin_file = stdout_file = None
    if "<" in words:
        i = words.index("<")
        stdin_file, words = words[i + 1], words[:i] + words[i + 2:]
    if ">" in words:
        i = words.index(">")
        stdout_file, words = words[i + 1], words[:i] + words[i + 2:]
    if stdin_file:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(Path(stdin_file).read_bytes()), encoding="utf-8"))
    code = main(words[1:])
    out, err = capsys.readouterr()
    assert code == 0, f"{command}\n{err}"
    if stdout_file:
        Path(stdout_file).write_text(out, encoding="utf-8")
        assert out.strip()
