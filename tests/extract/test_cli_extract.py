"""``dealweb extract`` through Typer's CliRunner: listing, JSON, scripted review, --accept-all, exact errors."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import bundled_counts, next_bundled_deal_id, run
from dealweb.cli import app
from dealweb.ledger import Ledger

N = bundled_counts()["deal"]
NEW_ID = next_bundled_deal_id()
SECOND_ID = f"D{int(NEW_ID[1:]) + 1:03d}"
NEW = "Nvidia will invest $3 billion in Nebius. Meta will rent $2 billion of capacity from Nscale."


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(NEW, encoding="utf-8")
    return path


def invoke(*args: str, input: str | None = None) -> tuple[int, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = CliRunner().invoke(app, list(args), input=input)
    return result.exit_code, result.output


def test_listing_shows_candidates_evidence_and_ledger_matches(db: str, capsys: pytest.CaptureFixture[str],
                                                              seed_article: Path) -> None:
    code, out, _ = run(capsys, "extract", str(seed_article), "--published", "2025-11-19")
    assert code == 0
    assert "3 candidate deals" in out and "D55" in out and "D57" in out
    assert "Anthropic said it would purchase $30 billion worth of computing capacity" in out
    assert "4 candidate figures" in out and "Anuj" not in out
    assert Ledger(db).counts()["deal"] == N  # listing writes nothing


def test_json_listing(db: str, capsys: pytest.CaptureFixture[str], seed_article: Path) -> None:
    code, out, _ = run(capsys, "extract", str(seed_article), "--published", "2025-11-19", "--json")
    data = json.loads(out)
    assert code == 0 and data["published"] == "2025-11-19"
    assert [(d["payer"]["id"], d["recipient"]["id"], d["amount"], d["qualifier"]) for d in data["deals"]] == [
        ("microsoft", "anthropic", "5000000000", "up_to"), ("nvidia", "anthropic", "10000000000", "up_to"),
        ("anthropic", "microsoft", "30000000000", "exact")]
    assert data["same_as"] == ["D55", "D56", "D57"]


def test_listing_says_how_often_candidates_are_right_on_unseen_news(db: str, article: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from dealweb.extract.accuracy import MEASURED

    code, out, _ = run(capsys, "extract", str(article))
    assert code == 0 and "had not seen" in " ".join(out.split()) and MEASURED.as_of in out
    code, out, _ = run(capsys, "extract", str(article), "--json")
    assert json.loads(out)["accuracy"]["right"] == MEASURED.right


def test_stdin_is_read_with_a_dash(db: str) -> None:
    code, out = invoke("extract", "-", "--json", input=NEW)
    assert code == 0 and len(json.loads(out)["deals"]) == 2


def test_accept_all_imports_with_the_article_as_source(db: str, article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "extract", str(article), "--accept-all", "--published", "2025-11-19",
                         "--outlet", "Example Wire", "--url", "https://example.com/a")
    assert code == 0, err
    assert f"{NEW_ID}: nvidia → nebius equity_investment $3B — new" in out
    assert f"{SECOND_ID}: meta → nscale compute_commitment $2B — new" in out
    deal = Ledger(db).deal(SECOND_ID)
    assert str(deal.sources[0]) == "Example Wire |  | 2025-11-19 | https://example.com/a"


def test_accept_all_on_the_seed_adds_sources_to_the_deals_already_held(db: str, capsys: pytest.CaptureFixture[str],
                                                                       seed_article: Path) -> None:
    code, out, _ = run(capsys, "extract", str(seed_article), "--accept-all", "--published", "2025-11-19", "--outlet",
                       "The Indian Express", "--json")
    data = json.loads(out)
    assert code == 0
    assert [(p["action"], p["id"]) for p in data["planned"] if p["record_type"] == "deal"] == [
        ("add_source", "D55"), ("add_source", "D56"), ("add_source", "D57")]
    assert Ledger(db).counts()["deal"] == N
    assert Ledger(db).deal("D55").sources[-1].outlet == "The Indian Express"


def test_scripted_review_accepts_edits_and_rejects(db: str, article: Path) -> None:
    # Deal 1: edit (amount 2500000000, keep the rest); deal 2: reject. No figures in this text.
    answers = "\n".join(["e", "", "", "", "2500000000", "", "", "r"]) + "\n"
    code, out = invoke("extract", str(article), "--review", "--published", "2025-11-19", "--title", "Two deals",
                       input=answers)
    assert code == 0, out
    assert f"{NEW_ID}: nvidia → nebius equity_investment $2.5B — new" in out
    led = Ledger(db)
    assert led.deal(NEW_ID).amount_usd == 2_500_000_000 and led.counts()["deal"] == N + 1


def test_enter_accepts_what_the_review_starts_ticked_and_rejects_the_rest(db: str, article: Path) -> None:
    from dealweb.extract import extract, pretick_note, starts_ticked

    x = extract(NEW, ledger=Ledger(db), published="2025-11-19")
    code, out = invoke("extract", str(article), "--review", "--published", "2025-11-19", "--title", "Two deals",
                       input="\n" * (len(x.deals) + len(x.facts)))
    assert code == 0, out
    assert pretick_note() in " ".join(out.split())
    ticked = [c for c in x.deals if starts_ticked(c)]
    assert Ledger(db).counts()["deal"] == N + len(ticked)
    if not ticked:
        assert "nothing accepted; nothing written" in out


def test_review_quit_writes_nothing(db: str, article: Path) -> None:
    code, out = invoke("extract", str(article), "--review", "--published", "2025-11-19", "--title", "T", input="q\n")
    assert code == 0 and "nothing accepted; nothing written" in out


def test_errors_have_exact_text(db: str, article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01PK\x03" * 50)
    code, _, err = run(capsys, "extract", str(binary))
    assert code == 1
    assert err == ("Error: 1 problem; nothing was written.\n  - input: this looks like binary data, not text or HTML "
                   "[binary]\n")
    code, _, err = run(capsys, "extract", str(tmp_path / "missing.txt"))
    assert code == 2 and "no such file:" in err
    code, _, err = run(capsys, "extract", str(article), "--review", "--accept-all")
    assert code == 2 and "choose one of --review and --accept-all" in err
    assert Ledger(db).counts()["deal"] == N


def test_stdin_without_title_or_date_imports_as_the_readme_says(db: str, article: Path,
                                                                 capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # README: dealweb extract - --accept-all --json < story.txt. The source is named by the article's first
    # line, and undated candidates take the day of import (said on standard error).
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(article.read_bytes())))
    code, out, err = run(capsys, "extract", "-", "--accept-all", "--json")
    assert code == 0, err
    first_line = article.read_text(encoding="utf-8").strip().split("\n", 1)[0].strip()
    import json

    ids = [p["id"] for p in json.loads(out)["planned"] if p["record_type"] == "deal"]
    assert ids and "the day of import" in err
    deal = Ledger(db).deal(ids[0])
    assert deal.sources[0].title == first_line[:120]
