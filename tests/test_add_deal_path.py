"""One add-deal path: the CLI's add-deal and the web's POST /api/deals store the same deal from the same fields."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import pytest

import dealweb
from conftest import bundled_counts, next_bundled_deal_id, run
from dealweb.errors import DuplicateIdError, ValidationError
from dealweb.ledger import Ledger, add_deal
from dealweb.model.codec import to_plain
from dealweb.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

FIELDS = {"kind": "compute_commitment", "payer": "openai", "recipient": "oracle", "announced": "2026-02",
          "amount_usd": "2e9", "qualifier": "estimate", "sources": ["https://example.com/story"],
          "description": "Two billion more of capacity.", "horizon_years": "3"}


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("add") / "bundled.sqlite"
    dealweb.open(str(path)).close()
    return path


def test_cli_and_web_store_the_same_deal(bundled: Path, tmp_path: Path, db: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(bundled, db)
    args = ["add-deal", "--json", *(f"--{k.replace('_', '-')}={v}" for k, v in FIELDS.items() if k != "sources"),
            "--source", FIELDS["sources"][0]]
    code, out, err = run(capsys, *args)
    assert code == 0, err
    from_cli = json.loads(out)["deal"]

    web_db = tmp_path / "web.sqlite"
    shutil.copy(bundled, web_db)
    led = Ledger(str(web_db))
    client = TestClient(create_app(led, read_only=False, token="t0ken"))
    resp = client.post("/api/deals", json=FIELDS, headers={"Authorization": "Bearer t0ken"})
    assert resp.status_code == 201, resp.text
    from_web = resp.json()["deal"]
    assert from_cli == from_web and from_cli["id"] == next_bundled_deal_id()
    assert to_plain(led.deal(next_bundled_deal_id())) == from_web
    led.close()


def test_the_library_reports_every_problem_at_once_and_refuses_a_taken_id() -> None:
    ledger = dealweb.open(":memory:")
    with pytest.raises(ValidationError) as err:
        add_deal(ledger, {**FIELDS, "kind": "loan", "amount_usd": "lots"}, where="form")
    assert {(p.where, p.field) for p in err.value.problems} >= {("form", "kind"), ("form", "amount_usd")}
    with pytest.raises(DuplicateIdError):
        add_deal(ledger, {**FIELDS, "id": "D57"})
    deal, report = add_deal(ledger, FIELDS, dry_run=True)
    assert report.dry_run and deal.id == next_bundled_deal_id() and ledger.counts()["deal"] == bundled_counts()["deal"]
