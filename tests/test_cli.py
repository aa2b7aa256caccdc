"""The command line, end to end on a real SQLite file: output, exit codes and exact error texts."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run
from dealweb import bundled_records
from dealweb.ledger import Ledger


def test_run_initialises_and_prints_the_summary(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "run")
    assert code == 0
    assert "72 entities, 189 deals" in out and "Volume, each dollar once: $" in out
    assert " committed · $" in out and " at face, as of 2026-" in out
    assert "Largest deals" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert Ledger(db).counts() == {"entity": 72, "deal": 189, "financial": 78}


def test_summary_json_counts_each_dollar_once(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "summary", "--json")
    data = json.loads(out)
    assert code == 0 and data["deals"] == 189 and data["counted_deals"] + data["excluded_deals"] == 189
    assert data["total_volume_usd"] == pytest.approx(sum(data["volume_by_kind_usd"].values()))
    head = data["headline"]
    assert (head["basis"], head["total_usd"]) == ("committed", data["total_volume_usd"])
    assert head["face_usd"] >= head["total_usd"] and head["sentence"].startswith("$")
    code, out, _ = run(capsys, "summary", "--json", "--basis", "face")
    face = json.loads(out)["headline"]
    assert (face["basis"], face["total_usd"]) == ("face", head["face_usd"])
    code, _, err = run(capsys, "summary", "--basis", "cash")
    assert code == 2 and "Invalid value for --basis: 'cash' is not one of: committed, face, paid" in " ".join(err.split())


def test_dataset_info(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "dataset", "info", "--json")
    data = json.loads(out)
    assert code == 0 and data["summary"]["newest_deal"] == "2026-06-22"
    assert set(data["summary"]["confidence_share"]) == {"high", "medium", "low"}
    assert data["headline"]["basis"] == "committed" and data["coverage"]["threshold_usd"] == 1e10
    assert sum(data["sources"]["by_kind"].values()) >= data["deals"]
    code, out, _ = run(capsys, "dataset", "info")
    text = " ".join(out.split())
    assert "Headline: $" in text and "Financial coverage:" in text and "Reporting to " in text and "Coverage:" in text


def test_deals_filters_and_pipes(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "deals", "--entity", "anthropic", "--kind", "compute_commitment",
                       "--min-amount", "30e9", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows and all(r["kind"] == "compute_commitment" for r in rows)
    assert all("anthropic" in (r["payer"], r["recipient"]) and float(r["amount_usd"]) >= 30e9 for r in rows)
    assert "D57" in {r["id"] for r in rows}
    code, out, _ = run(capsys, "deals", "--search", "Azure", "--since", "2025-11", "--until", "2025-11", "--json")
    assert code == 0 and [d["id"] for d in json.loads(out)] == ["D55", "D57"]


def test_entity_profile(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "entity", "anthropic", "--json")
    data = json.loads(out)
    assert code == 0 and data["entity"]["name"] == "Anthropic"
    assert "D57" in {d["id"] for d in data["deals_out"]} and "D55" in {d["id"] for d in data["deals_in"]}
    assert data["counterparties"][0]["entity"] in {"amazon", "google", "microsoft", "venture-investors"}


@pytest.mark.parametrize(("args", "code", "expected"), [
    (["entity", "nobody"], 1, "Error: no entity with id 'nobody'\n"),
    (["deals", "--since", "2025-13"], 2, "Error: Invalid value for '--since': month 13 is not 1–12\n"),
    (["deals", "--min-amount", "abc"], 2,
     "Error: Invalid value for '--min-amount': 'abc' is not a number (write 5000000000, 5e9 or 5_000_000_000)\n"),
    (["deals", "--json", "--csv"], 2, "Error: Invalid value for --json/--csv: choose one of --json and --csv\n"),
    (["add-deal", "--kind", "debt", "--payer", "openai", "--recipient", "openai", "--announced", "2026-01",
      "--amount-usd", "-5", "--qualifier", "exact"], 1,
     "Error: 3 problems; nothing was written.\n"
     "  - deal D155, recipient: payer and recipient are both 'openai' [same_party]\n"
     "  - deal D155, amount_usd: -5 is negative; amounts are zero or more [negative_amount]\n"
     "  - deal D155, sources: every deal needs at least one source (a URL or outlet and title) [missing_source]\n"),
    (["add-deal", "--kind", "loan", "--payer", "openai", "--recipient", "oracle", "--announced", "2026",
      "--amount-usd", "5e9", "--qualifier", "exact", "--source", "https://example.com/x"], 1,
     "Error: 1 problem; nothing was written.\n"
     "  - add-deal, kind: 'loan' is not one of: equity_investment, compute_commitment, chip_purchase, warrant, "
     "debt, lease, backstop, revenue_share, licensing, jv, acquisition [vocabulary]\n"),
])
def test_exact_error_texts(db: str, capsys: pytest.CaptureFixture[str], args: list[str], code: int,
                           expected: str) -> None:
    got, _, err = run(capsys, *args)
    assert got == code
    assert err.endswith(expected)


def test_add_deal_then_history(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["add-deal", "--kind", "compute_commitment", "--payer", "openai", "--recipient", "oracle",
            "--announced", "2026-07", "--amount-usd", "30e9", "--qualifier", "estimate",
            "--source", "Example Wire | OpenAI expands Oracle contract | 2026-07-14 | https://example.com/s",
            "--description", "Test deal."]
    code, out, _ = run(capsys, *args, "--dry-run")
    assert code == 0 and out.startswith("Would add deal D155: openai → oracle")
    assert Ledger(db).counts()["deal"] == 189
    code, out, _ = run(capsys, *args)
    assert code == 0 and out.startswith("Added deal D155")
    code, out, _ = run(capsys, "history", "D155", "--json")
    assert [(h["action"], h["reason"]) for h in json.loads(out)] == [("create", "dealweb add-deal")]


def test_import_is_all_or_nothing_with_row_numbers(db: str, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "init")
    bad = tmp_path / "deals.csv"
    bad.write_text("id,announced,kind,payer,recipient,amount_usd,qualifier,sources\n"
                   "X1,2026-01,debt,openai,oracle,5,exact,https://e.com/a\n"
                   "X2,2026-01,debt,openai,nobody,5,exact,https://e.com/b\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(bad))
    assert code == 1
    assert err == ("Error: 1 problem; nothing was written.\n"
                   "  - deals.csv row 3, recipient: 'nobody' is not an entity in the ledger [unknown_entity]\n")
    assert Ledger(db).counts()["deal"] == 189
    good = tmp_path / "good" / "deals.csv"
    good.parent.mkdir()
    good.write_text(bad.read_text(encoding="utf-8").replace("nobody", "amd"), encoding="utf-8")
    code, out, _ = run(capsys, "import", str(good), "--dry-run")
    assert code == 0 and out.startswith("would change: entities +0") and "deals +2" in out
    assert Ledger(db).counts()["deal"] == 189
    code, out, _ = run(capsys, "validate", str(good))
    assert code == 0 and out.startswith("ok: an import would change")
    code, out, _ = run(capsys, "import", str(good))
    assert code == 0 and Ledger(db).counts()["deal"] == 191


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "ftm"])
def test_export_import_round_trip(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    target = tmp_path / {"csv": "out", "xlsx": "out.xlsx", "json": "out.json", "ftm": "out.ftm.json"}[fmt]
    assert run(capsys, "export", "-f", fmt, "-o", str(target))[0] == 0
    fresh = str(tmp_path / "fresh.sqlite")
    assert run(capsys, "init", "--empty", "--db", fresh)[0] == 0
    assert run(capsys, "import", str(target), "--db", fresh)[0] == 0
    assert Ledger(fresh).records() == bundled_records()


def test_graph_exports(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for suffix in ("gexf", "graphml", "cyjs"):
        code, out, _ = run(capsys, "export", "-o", str(tmp_path / f"web.{suffix}"))
        assert code == 0 and out.strip().endswith(f"web.{suffix}")
    elements = json.loads((tmp_path / "web.cyjs").read_text(encoding="utf-8"))["elements"]
    assert len(elements["edges"]) == 189


def test_python_m_and_console_script(db: str) -> None:
    done = subprocess.run([sys.executable, "-m", "dealweb", "deals", "--entity", "groq", "--json"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert {d["id"] for d in json.loads(done.stdout)} >= {"D81"}
    done = subprocess.run([sys.executable, "-m", "dealweb", "nosuchcommand"], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 2 and "No such command 'nosuchcommand'" in done.stderr
