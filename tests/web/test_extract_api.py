"""The "Add from article" API through FastAPI's test client: candidates, token rules, import, error shape."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import dealweb
from conftest import bundled_counts, next_bundled_deal_id
from dealweb.ledger import Ledger
from dealweb.web import create_app

N = bundled_counts()["deal"]
NEW_ID = next_bundled_deal_id()

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TOKEN = "extract-token-for-tests"
NEW = "Nvidia will invest $3 billion in Nebius. Meta will rent $2 billion of capacity from Nscale."


@pytest.fixture(scope="module")
def ledger_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("extract-api") / "bundled.sqlite"
    dealweb.open(str(path)).close()
    return path


@pytest.fixture
def apps(ledger_file: Path, tmp_path: Path) -> Iterator[tuple[TestClient, TestClient, Ledger]]:
    """A read-only and a writable app over a fresh copy of the bundled ledger."""
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(ledger_file.read_bytes())
    led = Ledger(str(copy))
    yield TestClient(create_app(led)), TestClient(create_app(led, read_only=False, token=TOKEN)), led
    led.close()


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def error(resp: Any) -> dict[str, Any]:
    body: dict[str, Any] = resp.json()["error"]
    assert set(body) == {"status", "code", "message", "problems"} and body["status"] == resp.status_code
    return body


def test_extract_answers_on_a_read_only_server_with_evidence_and_matches(apps: tuple[TestClient, TestClient, Ledger],
                                                                       seed_article: Path) -> None:
    read_only, _, _ = apps
    seed = seed_article.read_text(encoding="utf-8")
    resp = read_only.post("/api/extract", json={"text": seed, "published": "2025-11-19", "outlet": "The Indian Express"})
    assert resp.status_code == 200
    data = resp.json()
    assert [(d["payer"]["id"], d["recipient"]["id"], d["kind"], d["amount"], d["qualifier"], d["same_as"])
            for d in data["deals"]] == [
        ("microsoft", "anthropic", "equity_investment", "5000000000", "up_to", "D55"),
        ("nvidia", "anthropic", "equity_investment", "10000000000", "up_to", "D56"),
        ("anthropic", "microsoft", "compute_commitment", "30000000000", "exact", "D57")]
    assert all(d["evidence"]["sentence"] for d in data["deals"])
    assert data["source"]["outlet"] == "The Indian Express" and len(data["facts"]) == 4


@pytest.mark.parametrize(("headers", "status", "code"), [({}, 401, "unauthorized"),
                                                         (auth("wrong"), 401, "unauthorized")])
def test_import_needs_the_token(apps: tuple[TestClient, TestClient, Ledger], headers: dict[str, str], status: int,
                                code: str) -> None:
    _, writable, led = apps
    resp = writable.post("/api/extract/import", json={"text": NEW, "deals": [0]}, headers=headers)
    assert resp.status_code == status and error(resp)["code"] == code
    assert led.counts()["deal"] == N


def test_a_read_only_server_refuses_import_even_with_a_malformed_body(apps: tuple[TestClient, TestClient, Ledger]) -> None:
    read_only, _, led = apps
    resp = read_only.post("/api/extract/import", content=b"not json", headers=auth())
    assert resp.status_code == 403 and error(resp)["code"] == "read_only"
    assert led.counts()["deal"] == N


def test_import_the_ticked_candidates_with_the_article_as_source(apps: tuple[TestClient, TestClient, Ledger]) -> None:
    _, writable, led = apps
    body = {"text": NEW, "published": "2025-11-19", "title": "Two deals", "url": "https://example.com/two", "deals": [1]}
    resp = writable.post("/api/extract/import", json=body, headers=auth())
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert [(p["action"], p["id"]) for p in data["planned"]] == [("new", NEW_ID)]
    deal = led.deal(NEW_ID)
    assert (deal.payer, deal.recipient, deal.kind.value) == ("meta", "nscale", "compute_commitment")
    assert deal.sources[0].url == "https://example.com/two" and deal.sources[0].title == "Two deals"
    assert led.counts()["deal"] == N + 1


def test_importing_a_deal_already_held_adds_the_source(apps: tuple[TestClient, TestClient, Ledger], seed_article: Path) -> None:
    _, writable, led = apps
    seed = seed_article.read_text(encoding="utf-8")
    resp = writable.post("/api/extract/import", headers=auth(), json={
        "text": seed, "published": "2025-11-19", "outlet": "The Indian Express", "deals": [0, 1, 2]})
    assert resp.status_code == 200
    assert [p["action"] for p in resp.json()["planned"]] == ["add_source"] * 3
    assert led.counts()["deal"] == N and led.deal("D56").sources[-1].outlet == "The Indian Express"


@pytest.mark.parametrize(("body", "field", "rule"), [
    ({"text": NEW, "published": "2025-11-19", "title": "T", "deals": [7]}, "deals", "position"),
    ({"text": NEW, "published": "2025-11-19", "title": "T"}, "deals", "required"),
    ({"text": NEW, "published": "19/11/2025", "title": "T", "deals": [0]}, "published", "date"),
    ({"text": NEW, "published": "2025-11-19", "url": "javascript:alert(1)", "deals": [0]}, "url", "url"),
    ({"text": NEW, "title": "T", "deals": [0]}, "date", "required"),
    ({"text": NEW, "published": "2025-11-19", "deals": [0]}, "source", "missing_source"),
])
def test_import_errors_have_the_shared_shape_and_write_nothing(apps: tuple[TestClient, TestClient, Ledger],
                                                              body: dict[str, Any], field: str, rule: str) -> None:
    _, writable, led = apps
    resp = writable.post("/api/extract/import", json=body, headers=auth())
    err = error(resp)
    assert resp.status_code == 422 and err["code"] == "validation"
    assert (err["problems"][0]["field"], err["problems"][0]["rule"]) == (field, rule)
    assert led.counts()["deal"] == N


def test_request_validation_errors_share_the_shape(apps: tuple[TestClient, TestClient, Ledger]) -> None:
    read_only, _, _ = apps
    resp = read_only.post("/api/extract", json={"text": NEW, "colour": "red"})
    assert resp.status_code == 422 and error(resp)["code"] == "validation"
    resp = read_only.post("/api/extract", json={"no_text": 1})
    assert resp.status_code == 422 and error(resp)["problems"][0]["field"] == "text"


def test_hostile_text_is_returned_as_data_never_markup(apps: tuple[TestClient, TestClient, Ledger]) -> None:
    read_only, _, _ = apps
    page = '<p>Nvidia will invest $1 billion in Nokia.</p><script>alert("x")</script><img src=x onerror=alert(1)>'
    resp = read_only.post("/api/extract", json={"text": page})
    assert resp.status_code == 200
    assert "alert" not in resp.text and [d["recipient"]["id"] for d in resp.json()["deals"]] == ["nokia"]
    resp = read_only.post("/api/extract", json={"text": "bin\u0000ary"})
    assert resp.status_code == 422 and error(resp)["problems"][0]["rule"] == "binary"


def test_the_page_is_served_linked_from_the_map_and_never_writes_markup(apps: tuple[TestClient, TestClient, Ledger]) -> None:
    read_only, _, _ = apps
    page = read_only.get("/static/extract.html")
    script = read_only.get("/static/extract.js")
    assert page.status_code == 200 and 'src="extract.js"' in page.text and script.status_code == 200
    assert "innerHTML" not in script.text and "insertAdjacentHTML" not in script.text and "eval(" not in script.text
    assert "textContent" in script.text and "../api/extract" in script.text
    assert 'href="static/extract.html"' in read_only.get("/").text


def test_extract_says_how_often_it_is_right_on_unseen_news(apps: tuple[TestClient, TestClient, Ledger]) -> None:
    from dealweb.extract.accuracy import MEASURED, statement

    read_only, _, _ = apps
    body = read_only.post("/api/extract", json={"text": NEW}).json()
    accuracy = body["accuracy"]
    assert accuracy["as_of"] == MEASURED.as_of and accuracy["basis"] and accuracy["statement"] == statement()
    assert 0 < accuracy["precision"] <= 1 and 0 < accuracy["recall"] <= 1
    assert f"{MEASURED.precision:.0%}" in accuracy["statement"] and MEASURED.as_of in accuracy["statement"]


def test_each_candidate_says_whether_the_review_starts_it_ticked(apps: tuple[TestClient, TestClient, Ledger],
                                                                seed_article: Path) -> None:
    from dealweb.extract import pretick_note
    from dealweb.extract.confidence import pretick_at

    read_only, _, _ = apps
    body = read_only.post("/api/extract", json={"text": seed_article.read_text(encoding="utf-8") + " " + NEW}).json()
    assert body["deals"] and all(d["ticked"] == (d["confidence"] >= pretick_at()) for d in body["deals"])
    assert all(f["ticked"] == (f["confidence"] >= 0.6) for f in body["facts"])
    assert body["accuracy"]["pretick"] == pretick_note()
