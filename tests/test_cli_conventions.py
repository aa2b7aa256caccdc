"""What people expect of a command line: --version, a mistyped --db folder, a taken port."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

import dealweb
from conftest import run


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"dealweb {dealweb.__version__}\n", "")


def test_a_db_in_a_missing_folder_is_an_error(tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nonexistent" / "dir" / "x.db"
    code, out, err = run(capsys, "summary", "--db", str(path))
    assert code == 1 and out == ""
    assert err.startswith(f"Error: cannot open database {path}: the folder {path.parent} does not exist")
    assert not (tmp_path / "nonexistent").exists()


def test_init_creates_the_folder(tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new" / "x.db"
    code, out, _ = run(capsys, "init", "--db", str(path), "--empty")
    assert code == 0 and path.exists() and "is ready" in out


def test_serve_on_a_taken_port_fails_before_printing_the_url(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code, out, err = run(capsys, "serve", "--port", str(port))
    assert code == 1 and "The map:" not in out
    assert err == f"Error: port {port} on 127.0.0.1 is already in use: stop what runs there or pick another with --port\n"


def test_an_80_column_table_never_cuts_a_scenario_id(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "stress", "--list")
    assert code == 0
    from dealweb.stress import list_scenarios

    names = [s.name for s in list_scenarios()]
    assert names and all(any(line.lstrip().startswith(name + " ") for line in out.splitlines()) for name in names)
