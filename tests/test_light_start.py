"""A light start: `dealweb --help` and `import dealweb` load no heavy library; the command table is true."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import typer.main

import dealweb
from dealweb.cli import COMMANDS, app

HEAVY = ("pandas", "scipy", "sqlalchemy", "networkx", "pyarrow")


def _loaded_after(code: str) -> list[str]:
    probe = f"""
import json, sys
{code}
print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))
"""
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


def test_help_imports_no_heavy_library() -> None:
    code = """
from contextlib import redirect_stdout
import io
from dealweb.cli import main
with redirect_stdout(io.StringIO()) as text:
    assert main(["--help"]) == 0
assert "add-deal" in text.getvalue() and "stress" in text.getvalue()
"""
    assert _loaded_after(code) == []


def test_python_dash_m_help_and_version_run_light() -> None:
    for flag in ("--help", "--version"):
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "dealweb", flag], capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        imported = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}
        assert not imported & set(HEAVY), (flag, sorted(imported & set(HEAVY)))
    assert done.stdout == f"dealweb {dealweb.__version__}\n"


def test_import_dealweb_is_light_and_names_load_on_use() -> None:
    assert _loaded_after("import dealweb") == []
    assert "sqlalchemy" in _loaded_after("import dealweb; dealweb.Ledger")


def test_the_command_table_matches_the_registered_commands() -> None:
    for module in sorted({m for m, _ in COMMANDS.values()}):
        importlib.import_module(f"dealweb.cli.{module}")
    group = typer.main.get_group(app)
    assert sorted(group.commands) == sorted(COMMANDS), "add the new command to dealweb.cli.COMMANDS"
    for name, command in group.commands.items():
        module, line = COMMANDS[name]
        defined_in = command.callback.__module__ if command.callback else None
        assert defined_in in (f"dealweb.cli.{module}", None), name
        assert command.get_short_help_str(1000) == line, name
