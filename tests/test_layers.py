"""The layers of DESIGN.md, pinned: no import runs up a layer; cli and web never lean on each other.

Every ``import`` in src/dealweb is read with :mod:`ast`, wherever it stands (module top, inside a
function, under ``TYPE_CHECKING``), so a lazy import counts like any other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import dealweb

SRC = Path(dealweb.__file__).parent

# model < ledger < network < circularity/contagion/extract < stress and scale-out < cli/web.
LAYERS: dict[str, int] = {
    "errors": 0, "progress": 0,  # progress: the stage-callback protocol every layer may report through
    "model": 1,
    "ledger": 2,
    "network": 3, "__init__": 3,
    "circularity": 4, "contagion": 4, "extract": 4,
    "stress": 5, "spark": 5, "scale": 5,
    "cli": 6, "web": 6, "__main__": 6,
}
# The commands that start the web server or write its report are the CLI's only way into the web package.
CLI_INTO_WEB = {"cli/web_commands.py"}


def _imports() -> list[tuple[str, str, int, str]]:
    """(file relative to src/dealweb, its top-level part, line, imported dealweb module) for every import."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if rel.parts[0] == "ledger" and "migrations" in rel.parts:
            continue
        top = rel.parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found += [(rel.as_posix(), top, node.lineno, n) for n in names if n == "dealweb" or n.startswith("dealweb.")]
    return found


def _layer_of(module: str) -> str:
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def test_every_top_level_module_has_a_layer() -> None:
    tops = {p.name.removesuffix(".py") for p in SRC.iterdir()
            if (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists()))}
    assert tops - LAYERS.keys() == set(), "give the new module a layer in LAYERS (and DESIGN.md)"


def test_no_import_runs_up_a_layer() -> None:
    up = [f"{file}:{line} imports {module}" for file, top, line, module in _imports()
          if LAYERS[_layer_of(module)] > LAYERS[top]]
    assert up == []


def test_cli_and_web_never_import_each_other() -> None:
    web_to_cli = [f"{f}:{line}" for f, top, line, m in _imports() if top == "web" and _layer_of(m) == "cli"]
    cli_to_web = [f"{f}:{line}" for f, top, line, m in _imports()
                  if top == "cli" and _layer_of(m) == "web" and f not in CLI_INTO_WEB]
    assert web_to_cli == [] and cli_to_web == []


def test_only_the_ledger_touches_the_store() -> None:
    store = [f"{f}:{line} imports {m}" for f, top, line, m in _imports()
             if m.startswith("dealweb.ledger.store") and top != "ledger"]
    assert store == [], "open a ledger through dealweb.ledger.Ledger; only the ledger layer reads the store"


def test_the_checker_sees_lazy_imports() -> None:
    # The parser must find imports inside functions: a known lazy import stands in for a planted one.
    assert any(f == "cli/web_commands.py" and m == "dealweb.web" for f, _, _, m in _imports())
    assert LAYERS[_layer_of("dealweb.web.app")] > LAYERS["network"]


def test_no_benchmark_ships_in_the_package() -> None:
    # Benchmarks and load tests live in benchmarks/ at the repository root, outside the wheel.
    assert sorted(p.name for p in SRC.rglob("*.py") if "bench" in p.name or "loadtest" in p.name) == []
