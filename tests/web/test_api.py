"""The JSON API through FastAPI's test client, on the bundled data in a temporary SQLite ledger.

Numbers are checked against the library calls the routes wrap; every error path answers with
the one error shape; writes follow the read-only and token rules.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import shutil
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from openpyxl import load_workbook

import dealweb
from dealweb.circularity import find_cycles, hodge_decomposition, round_trips
from dealweb.circularity.report import circularity_report, company_risk
from dealweb.ledger import Ledger
from dealweb.model.counting import count_deals
from dealweb.model.query import filter_deals
from dealweb.model.recordset import RecordSet
from dealweb.network.profile import entity_profile
from dealweb.stress import list_scenarios, monte_carlo, parse_scenario, stress
from dealweb.web import create_app
from dealweb.web.cache import content_version
from dealweb.web.jsonout import dumps_safe
from dealweb.web.security import CSP, DOCS_CSP

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's notice about httpx2; the client works the same
    from fastapi.testclient import TestClient

TOKEN = "s3cret-token-for-tests"
HOSTILE = ('<img src=x onerror=alert(1)> "double" \'single\' </script><script>alert(2)</script> '
           "\u202eRTL override\u202c مرحبا بالعالم " + "A" * 300)  # within the 500 characters a name may hold


def plain(data: Any) -> Any:
    """What ``data`` looks like after a trip through the API's JSON."""
    return json.loads(dumps_safe(data))


@pytest.fixture(scope="module")
def ledger_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "bundled.sqlite"
    dealweb.open(str(path)).close()
    return path


@pytest.fixture(scope="module")
def ledger(ledger_file: Path) -> Iterator[Ledger]:
    led = Ledger(str(ledger_file))
    yield led
    led.close()


@pytest.fixture(scope="module")
def records(ledger: Ledger) -> RecordSet:
    return ledger.records()


@pytest.fixture(scope="module")
def client(ledger: Ledger) -> TestClient:
    return TestClient(create_app(ledger))


@pytest.fixture
def writable(ledger_file: Path, tmp_path: Path) -> Iterator[tuple[TestClient, Ledger]]:
    """A fresh copy of the bundled ledger behind an app that accepts writes with TOKEN."""
    copy = tmp_path / "writable.sqlite"
    shutil.copy(ledger_file, copy)
    led = Ledger(str(copy))
    yield TestClient(create_app(led, read_only=False, token=TOKEN)), led
    led.close()


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def holds(data: Any, text: str) -> bool:
    """Whether ``text`` is one of the strings anywhere in ``data``."""
    if isinstance(data, dict):
        return any(holds(v, text) for v in data.values())
    if isinstance(data, list):
        return any(holds(v, text) for v in data)
    return data == text


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert set(err) == {"status", "code", "message", "problems"}
    assert err["status"] == status and err["code"] == code and err["message"]
    assert "Traceback" not in response.text
    for p in err["problems"]:
        assert set(p) == {"where", "field", "rule", "message"}
    error: dict[str, Any] = err
    return error


# ------------------------------------------------------------------ service routes

def test_health_and_meta(client: TestClient, records: RecordSet) -> None:
    assert client.get("/api/health").json() == {"status": "ok", "version": dealweb.__version__, "read_only": True}
    meta = client.get("/api/meta").json()
    assert meta["deal_kinds"] == [k.value for k in dealweb.DealKind]
    assert meta["entity_kinds"] == [k.value for k in dealweb.EntityKind]
    assert meta["statuses"] == [s.value for s in dealweb.Status]
    assert meta["confidences"] == ["high", "medium", "low"]
    summary = dealweb.summarize(records)
    assert meta["date_range"] == {"first": summary.first_deal.first_day().isoformat(),  # type: ignore[union-attr]
                                  "last": summary.newest_deal.last_day().isoformat()}  # type: ignore[union-attr]
    assert meta["dataset"] == plain(summary.to_dict())
    assert [s["name"] for s in meta["scenarios"]] == [s.name for s in list_scenarios()]
    assert set(meta["scenarios"][0]) == {"name", "title", "model", "horizon_years", "description"}
    assert "eisenberg_noe" in meta["models"] and "pays" in meta["effects"] and meta["read_only"] is True
    assert client.get("/api/scenarios").json()["items"] == meta["scenarios"]


def test_openapi_lists_every_route(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/health", "/api/meta", "/api/entities", "/api/entities/{entity_id}", "/api/deals",
            "/api/deals/{deal_id}", "/api/network", "/api/cycles", "/api/round-trips", "/api/circularity",
            "/api/company-risk/{entity_id}", "/api/scenarios", "/api/stress", "/api/stress/montecarlo", "/api/export",
            "/api/import"} <= set(paths)
    assert {"post", "get"} <= set(paths["/api/deals"]) and "patch" in paths["/api/deals/{deal_id}"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and docs.headers["content-security-policy"] == DOCS_CSP


def test_api_docs_load_nothing_from_another_host(client: TestClient) -> None:
    page = client.get("/api/docs").text
    assert "/api/openapi.json" in page
    # every URL the page names is on this server; only the licence text of the bundle may name hosts
    urls = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", page)
    assert urls and all(u.startswith("/") for u in urls), urls
    assert "http://" not in page and "https://" not in page
    for asset in re.findall(r"""['"](/api/docs/assets/[^'"]+)['"]""", page):
        got = client.get(asset)
        assert got.status_code == 200 and len(got.content) > 500, asset
    assert "default-src 'self'" in DOCS_CSP and "http" not in DOCS_CSP


# ------------------------------------------------------------------ the network

def test_network_default_is_the_projection(client: TestClient, records: RecordSet) -> None:
    data = client.get("/api/network").json()
    net = dealweb.project(records)
    edges, nodes = data["elements"]["edges"], data["elements"]["nodes"]
    assert len(edges) == net.n_edges > 100  # the bundled web with default filters (committed basis)
    assert {e["data"]["deal_id"] for e in edges} == set(net.edge_ids)  # type: ignore[arg-type]
    assert sum(e["data"]["amount"] for e in edges) == pytest.approx(net.gross)
    assert [n["data"]["id"] for n in nodes] == list(net.nodes)
    by_id = {n["data"]["id"]: n["data"] for n in nodes}
    i = net.index["oracle"]
    assert by_id["oracle"]["inflow"] == pytest.approx(net.flows[:, [i]].sum())
    assert by_id["oracle"]["outflow"] == pytest.approx(net.flows[[i], :].sum())
    assert by_id["oracle"]["potential"] == pytest.approx(hodge_decomposition(net).potential[i])
    assert by_id["openai"]["kind"] == "ai_lab" and by_id["openai"]["label"] == "OpenAI"
    assert by_id["openai"]["valuation_usd"] > 0
    d57 = next(e["data"] for e in edges if e["data"]["deal_id"] == "D57")
    assert (d57["source"], d57["target"], d57["kind"], d57["label"]) == ("anthropic", "microsoft", "compute_commitment",
                                                                         "$30B")
    assert data["undisclosed"] == list(net.undisclosed) and data["excluded"] == len(net.excluded)
    assert data["params"]["amount_policy"] == {"bound": "amount", "up_to": 1.0, "estimate": 1.0}


@pytest.mark.parametrize(("query", "kwargs"), [
    ("as_of=2024", {"as_of": "2024"}),
    ("as_of=2025-06-30&kind=compute_commitment&kind=chip_purchase",
     {"as_of": "2025-06-30", "kinds": ["compute_commitment", "chip_purchase"]}),
    ("status=closed&min_confidence=high", {"statuses": ["closed"], "min_confidence": "high"}),
    ("amount_policy=low&up_to=0.5&estimate=0.25", {"amount_policy": "low", "up_to": 0.5, "estimate": 0.25}),
])
def test_network_filters_match_the_library(client: TestClient, records: RecordSet, query: str,
                                           kwargs: dict[str, Any]) -> None:
    data = client.get(f"/api/network?{query}").json()
    net = dealweb.project(records, **kwargs)
    assert len(data["elements"]["edges"]) == net.n_edges
    assert sum(e["data"]["amount"] for e in data["elements"]["edges"]) == pytest.approx(net.gross)
    assert data["params"]["as_of"] == net.params["as_of"]


def test_network_min_amount_hides_small_edges_and_is_cached(ledger: Ledger, records: RecordSet) -> None:
    client = TestClient(create_app(ledger))
    cache = client.app.state.dealweb.cache  # type: ignore[attr-defined]
    first = client.get("/api/network?min_amount=1e10").json()
    misses = cache.misses
    again = client.get("/api/network?min_amount=1e10").json()
    assert again == first and cache.misses == misses and cache.hits >= 1
    net = dealweb.project(records)
    big = int((net.amount >= 1e10).sum())
    assert len(first["elements"]["edges"]) == big and first["below_min_amount"] == net.n_edges - big


# ------------------------------------------------------------------ entities and deals

def test_entities_list_and_search(client: TestClient, records: RecordSet) -> None:
    data = client.get("/api/entities").json()
    assert data["total"] == len(records.entities) == len(data["items"])
    openai = next(e for e in data["items"] if e["id"] == "openai")
    assert openai["deal_count"] == sum(1 for d in records.deals if "openai" in (d.payer, d.recipient))
    assert set(openai) == {"id", "name", "kind", "listed", "ticker", "country", "valuation_usd", "deal_count"}
    assert "nvidia" in [e["id"] for e in client.get("/api/entities?q=NVID").json()["items"]]
    chips = client.get("/api/entities?kind=chipmaker").json()["items"]
    assert chips and {e["kind"] for e in chips} == {"chipmaker"}


def test_entity_card(client: TestClient, records: RecordSet) -> None:
    card = client.get("/api/entities/oracle").json()
    assert card["entity"]["id"] == "oracle" and card["entity"]["name"] == "Oracle"
    assert card["profile"] == plain(entity_profile(records, "oracle").to_dict())
    report = circularity_report(dealweb.project(records), records, top_cycles=10_000)
    risk = company_risk(report, "oracle")
    assert card["risk"]["headline"] == plain(risk.headline())
    assert len(card["risk"]["cycles"]) == len(risk.cycles) and len(card["risk"]["round_trips"]) == len(risk.round_trips)


def test_deals_paging_filters_and_sorting(client: TestClient, records: RecordSet) -> None:
    page = client.get("/api/deals?limit=10&offset=5").json()
    assert page["total"] == len(records.deals) and page["offset"] == 5 and page["limit"] == 10
    everything = client.get("/api/deals?limit=all").json()["items"]
    assert [d["id"] for d in page["items"]] == [d["id"] for d in everything[5:15]]
    counted = count_deals(records.deals, entities=records.entities).counted
    assert all(d["counted_usd"] == pytest.approx(float(counted.get(d["id"], 0))) for d in everything)
    got = client.get("/api/deals?entity=anthropic&kind=compute_commitment&since=2025&min_amount=1e9&limit=1000").json()
    expected = filter_deals(records.deals, entity="anthropic", kinds=["compute_commitment"], since="2025", min_amount=1e9)
    assert sorted(d["id"] for d in got["items"]) == sorted(d.id for d in expected) and got["total"] == len(expected)
    text = client.get("/api/deals?q=stargate&status=announced&status=signed&limit=1000").json()
    assert {d["id"] for d in text["items"]} == {d.id for d in filter_deals(records.deals, text="stargate",
                                                                          statuses=["announced", "signed"])}
    biggest = client.get("/api/deals?sort=amount_usd&order=desc&limit=all").json()["items"]
    amounts = [d["amount_usd"] for d in biggest if d["amount_usd"] is not None]
    assert amounts == sorted(amounts, reverse=True)
    assert all(d["amount_usd"] is None for d in biggest[len(amounts):])  # undisclosed last
    ids = [d["id"] for d in client.get("/api/deals?sort=id&limit=all").json()["items"]]
    assert ids == sorted(ids)


def test_deals_csv_and_xlsx_twins_hold_every_matching_row(client: TestClient, records: RecordSet) -> None:
    expected = filter_deals(records.deals, entity="nvidia")
    response = client.get("/api/deals?entity=nvidia&limit=1&format=csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert 'attachment; filename="deals.csv"' == response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == len(expected) and {r["id"] for r in rows} == {d.id for d in expected}
    assert set(rows[0]) >= {"id", "payer", "recipient", "amount_usd", "sources", "counted_usd"}
    book = load_workbook(io.BytesIO(client.get("/api/deals?entity=nvidia&format=xlsx").content))
    sheet = book["deals"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["id", "announced", "kind"] and sheet.max_row == len(expected) + 1
    amount = header.index("amount_usd")
    assert all(isinstance(row[amount], float | int | type(None)) for row in sheet.iter_rows(min_row=2, values_only=True))


def test_deal_card_links_both_ways(client: TestClient) -> None:
    card = client.get("/api/deals/D57").json()
    assert card["deal"]["payer"] == "anthropic" and card["deal"]["amount_usd"] == 30_000_000_000
    assert card["deal"]["sources"] and set(card["deal"]["sources"][0]) == {"outlet", "title", "date", "url", "kind", "via"}
    assert card["payer_name"] == "Anthropic"
    assert "D01" in client.get("/api/deals/D03").json()["parts"]
    assert client.get("/api/deals/D01").json()["part_of"] == "D03"
    assert client.get("/api/deals/D101").json()["supersedes"] == ["D18"]
    assert client.get("/api/deals/D18").json()["superseded_by"] == ["D101"]


def test_export_every_format(client: TestClient, records: RecordSet) -> None:
    doc = client.get("/api/export?format=json")
    assert doc.headers["content-disposition"] == 'attachment; filename="dealweb-export.json"'
    data = doc.json()
    assert len(data["deals"]) == len(records.deals) and len(data["entities"]) == len(records.entities)
    with zipfile.ZipFile(io.BytesIO(client.get("/api/export?format=csv").content)) as archive:
        assert {"entities.csv", "deals.csv"} <= set(archive.namelist())
    assert load_workbook(io.BytesIO(client.get("/api/export?format=xlsx").content)).sheetnames[:2] == ["entities", "deals"]
    assert b"<gexf" in client.get("/api/export?format=gexf").content
    assert b"<graphml" in client.get("/api/export?format=graphml").content
    assert "elements" in client.get("/api/export?format=cyjs").json()
    lines = client.get("/api/export?format=ftm").content.decode().splitlines()
    assert lines and all(json.loads(line)["schema"] for line in lines)


# ------------------------------------------------------------------ circularity

def test_cycles_round_trips_circularity_and_company_risk(client: TestClient, records: RecordSet) -> None:
    net = dealweb.project(records)
    found = find_cycles(net, max_length=6, limit=50)
    data = client.get("/api/cycles").json()
    assert data["headline"]["cycles"] == found.total_found and len(data["cycles"]) == len(found.cycles)
    top = data["cycles"][0]
    assert top["nodes"] == list(found.cycles[0].nodes) and top["bottleneck"] == found.cycles[0].bottleneck
    assert [len(h) for h in top["deal_ids"]] == [len(h) for h in found.cycles[0].deal_ids] and top["rank"] == 1
    short = client.get("/api/cycles?max_length=2&limit=3").json()
    assert len(short["cycles"]) <= 3 and {c["length"] for c in short["cycles"]} == {2}
    trips = client.get("/api/round-trips?window_days=180").json()
    assert len(trips["round_trips"]) == len(round_trips(net, window_days=180).trips)
    assert trips["round_trips"][0]["nodes"] == [trips["round_trips"][0]["funder"], trips["round_trips"][0]["recipient"]]
    circ = client.get("/api/circularity").json()
    report = circularity_report(net, records)
    assert circ["headline"]["circularity_index"] == pytest.approx(report.headline()["circularity_index"])
    assert "maximum circulation" in circ["headline"]["definition"]
    assert [r["id"] for r in circ["rows"]] == list(report.to_frame().index)
    early = client.get("/api/circularity?as_of=2024-12-31").json()
    early_net = dealweb.project(records, as_of="2024-12-31")
    assert early["headline"]["gross_volume"] == pytest.approx(early_net.gross)
    risk = client.get("/api/company-risk/nvidia?kind=equity_investment&kind=chip_purchase").json()
    net2 = dealweb.project(records, kinds=["equity_investment", "chip_purchase"])
    expected = company_risk(circularity_report(net2, records, top_cycles=10_000), "nvidia")
    assert risk["headline"] == plain(expected.headline())


# ------------------------------------------------------------------ stress

def test_stress_named_scenario(client: TestClient, records: RecordSet) -> None:
    data = client.post("/api/stress", json={"scenario": "openai-pays-40"}).json()
    expected = stress(records, "openai-pays-40")
    assert data["headline"] == plain(expected.headline())
    assert data["story"] == expected.story()
    assert len(data["rows"]) == len(expected.to_frame())
    assert [n["id"] for n in data["nodes"]] == list(expected.nodes)
    node = data["nodes"][expected.nodes.index("oracle")]
    assert node["loss"] == pytest.approx(expected.loss[expected.nodes.index("oracle")])
    assert set(node) >= {"id", "loss", "relative_loss", "failed", "failure_round", "status", "via",
                         "baseline_shortfall", "buffer", "buffer_known", "why_cannot_fail"}
    assert data["baseline"]["sentence"] == data["story"][0] and isinstance(data["unpaid_edges"], list)
    assert {e["debtor"] for e in data["unpaid_edges"]} >= {"openai"}
    for step in data["rounds"]:
        for entity_id in step["failed"]:
            assert expected.failure_round[expected.nodes.index(entity_id)] == step["round"]
    assert "openai" in data["rounds"][0]["failed"]


def test_stress_model_switch_is_the_cli_request(client: TestClient, records: RecordSet) -> None:
    """The web and the CLI build the scenario with one library function: a model switch drops the
    scenario's model options in both (the CLI used to crash on openai-pays-40 --model debtrank)."""
    from dealweb.stress import scenario_from_request

    got = client.post("/api/stress", json={"scenario": "openai-pays-40", "model": "debtrank"})
    assert got.status_code == 200
    expected = stress(records, scenario_from_request(records, target="openai-pays-40", model="debtrank"))
    assert got.json()["headline"] == plain(expected.headline())
    meta = client.get("/api/meta").json()
    assert [m["name"] for m in meta["model_info"]] == meta["models"]


def test_stress_entity_and_inline_scenario_and_overrides(client: TestClient, records: RecordSet) -> None:
    entities = {e.id for e in records.entities}
    got = client.post("/api/stress", json={"entity": "openai", "pays": 0.4, "horizon": "2y",
                                           "assumptions": {"no_figures": "web_only"}}).json()
    expected = stress(records, parse_scenario({"name": "openai-pays", "shocks": [{"entity": "openai", "pays": 0.4}],
                                               "horizon": "2y", "assumptions": {"no_figures": "web_only"}},
                                              entities=entities))
    assert got["headline"] == plain(expected.headline())
    inline = {"name": "two-labs", "model": "furfine", "shocks": [{"entity": "openai", "fails": True},
                                                                  {"entity": "anthropic", "fails": True}]}
    got = client.post("/api/stress", json={"scenario": inline}).json()
    assert got["headline"] == plain(stress(records, parse_scenario(inline, entities=entities)).headline())
    switched = client.post("/api/stress", json={"scenario": "openai-fails", "model": "rogers_veraart",
                                                "params": {"alpha": 0.3, "beta": 0.6}}).json()
    assert switched["headline"]["model"] == "rogers_veraart" and switched["params"]


def test_monte_carlo(client: TestClient, records: RecordSet) -> None:
    data = client.post("/api/stress/montecarlo", json={"scenario": "openai-fails", "runs": 100, "seed": 3}).json()
    assert data["headline"] == plain(monte_carlo(records, "openai-fails", runs=100, seed=3).headline())
    bad = assert_error(client.post("/api/stress/montecarlo", json={"scenario": "openai-fails", "runs": 0}),
                       422, "validation")
    assert bad["problems"][0]["field"] == "runs"
    wrong_model = assert_error(client.post("/api/stress/montecarlo", json={"scenario": "ai-lab-valuations-halve",
                                                                           "runs": 10}), 422, "validation")
    assert wrong_model["problems"][0]["field"] == "model"


# ------------------------------------------------------------------ errors

@pytest.mark.parametrize(("url", "field"), [
    ("/api/network?as_of=2025-13", "as_of"),
    ("/api/network?as_of=yesterday", "as_of"),
    ("/api/network?kind=loan", "kind[0]"),
    ("/api/network?up_to=1.5", "up_to"),
    ("/api/network?amount_policy=mid", "amount_policy"),
    ("/api/network?min_confidence=certain", "min_confidence"),
    ("/api/network?min_amount=-1", "min_amount"),
    ("/api/network?min_amount=inf", "min_amount"),
    ("/api/cycles?min_bottleneck=inf", "min_bottleneck"),
    ("/api/deals?min_amount=nan", "min_amount"),
    ("/api/deals?limit=0", "limit"),
    ("/api/deals?limit=5000", "limit"),
    ("/api/deals?limit=ten", "limit"),
    ("/api/deals?offset=-1", "offset"),
    ("/api/deals?sort=size", "sort"),
    ("/api/deals?since=2025-02-30", "since"),
    ("/api/deals?format=pdf", "format"),
    ("/api/cycles?max_length=1", "max_length"),
    ("/api/round-trips?window_days=-5", "window_days"),
    ("/api/entities?kind=startup", "kind[0]"),
    ("/api/export?format=docx", "format"),
])
def test_bad_query_values_name_the_field(client: TestClient, url: str, field: str) -> None:
    err = assert_error(client.get(url), 422, "validation")
    assert [(p["where"], p["field"]) for p in err["problems"]] == [("query", field)]


@pytest.mark.parametrize("url", ["/api/entities/nobody", "/api/deals/D999", "/api/company-risk/nobody", "/api/nope",
                                 "/nope", "/static/missing.js"])
def test_unknown_ids_and_routes_are_404(client: TestClient, url: str) -> None:
    assert_error(client.get(url), 404, "not_found")


def test_wrong_method_is_405(client: TestClient) -> None:
    err = assert_error(client.post("/api/network"), 405, "bad_request")
    assert "GET" in err["message"]
    response = client.delete("/api/deals/D57")
    assert_error(response, 405, "bad_request")
    assert "PATCH" in response.headers["allow"]


@pytest.mark.parametrize(("body", "where", "field", "rule"), [
    ({"entity": "openai", "pays": 1.5}, "body", "pays", "less_than_equal"),
    ({"scenario": "openai-fails", "bogus": 1}, "body", "bogus", "extra_forbidden"),
    ({}, "body", "scenario", "scenario_or_entity"),
    ({"scenario": "openai-fails", "entity": "openai"}, "body", "scenario", "scenario_or_entity"),
    ({"scenario": 7}, "body", "scenario", "scenario_type"),
    ({"scenario": "../../etc/passwd"}, "body", "scenario", "unknown_scenario"),
    ({"entity": "nobody"}, "body", "entity", "unknown_entity"),
    ({"scenario": "openai-fails", "pays": 0.5}, "body", "pays", "entity_only"),
    ({"scenario": "openai-fails", "model": "magic"}, "body", "model", "model"),
    ({"scenario": "openai-fails", "assumptions": {"recovery": 2}}, "body", "assumptions.recovery", "assumption"),
    ({"scenario": {"name": "x", "shocks": [{"entity": "openai", "pays": 2}]}}, "body.scenario shocks[0]", "pays",
     "fraction"),
    ({"scenario": {"name": "x", "shocks": [{"entity": "ghost", "fails": True}]}}, "body.scenario shocks[0]", "entity",
     "unknown_entity"),
])
def test_stress_body_validation_names_the_field(client: TestClient, body: dict[str, Any], where: str, field: str,
                                                rule: str) -> None:
    err = assert_error(client.post("/api/stress", json=body), 422, "validation")
    assert (where, field, rule) in [(p["where"], p["field"], p["rule"]) for p in err["problems"]]


def test_malformed_json_is_400(client: TestClient) -> None:
    err = assert_error(client.post("/api/stress", content=b"{not json", headers={"Content-Type": "application/json"}),
                       400, "bad_request")
    assert err["problems"][0]["rule"] == "json_invalid"


def test_unexpected_exception_is_500_without_details(ledger: Ledger, monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    from dealweb.web import payloads

    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals /etc/shadow")

    monkeypatch.setattr(payloads, "deal_card", explode)
    client = TestClient(create_app(ledger))
    with caplog.at_level(logging.ERROR, logger="dealweb.web"):
        response = client.get("/api/deals/D57")
    assert_error(response, 500, "internal")
    assert "secret" not in response.text and response.headers["content-security-policy"] == CSP
    assert any("secret internals" in (r.exc_text or "") or r.exc_info for r in caplog.records)


def test_security_headers_on_every_kind_of_response(client: TestClient) -> None:
    responses = [client.get("/api/health"), client.get("/api/nope"), client.get("/api/deals?limit=0"),
                 client.post("/api/health"), client.get("/api/deals?format=csv"), client.get("/"),
                 client.post("/api/deals", json={})]
    for r in responses:
        assert r.headers["content-security-policy"] == CSP, r.url
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"


def test_host_header_guard(ledger: Ledger) -> None:
    client = TestClient(create_app(ledger, allowed_hosts=["127.0.0.1", "localhost"]))
    assert_error(client.get("/api/health"), 400, "bad_request")  # TestClient sends Host: testserver
    assert client.get("/api/health", headers={"Host": "localhost:8000"}).status_code == 200


def test_front_end_missing_is_503_and_present_is_served(ledger: Ledger, tmp_path: Path) -> None:
    client = TestClient(create_app(ledger, static_dir=tmp_path))
    err = assert_error(client.get("/"), 503, "internal")
    assert "front end is not built" in err["message"]
    (tmp_path / "index.html").write_text("<!doctype html><title>map</title>", encoding="utf-8")
    (tmp_path / "app.css").write_text("body{}", encoding="utf-8")
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert client.get("/static/app.css").text == "body{}"


# ------------------------------------------------------------------ read-only and tokens

def _deal(**changes: Any) -> dict[str, Any]:
    deal = {"id": "W1", "announced": "2026-01-15", "kind": "compute_commitment", "payer": "anthropic",
            "recipient": "oracle", "amount_usd": 7e9, "qualifier": "exact", "status": "signed",
            "sources": [{"outlet": "Example Wire", "title": "A deal", "date": "2026-01-15",
                         "url": "https://example.com/w1"}], "description": "A test deal."}
    return {**deal, **changes}


@pytest.mark.parametrize(("method", "url"), [("post", "/api/deals"), ("patch", "/api/deals/D57"), ("post", "/api/import")])
def test_read_only_server_refuses_writes_with_403(client: TestClient, method: str, url: str) -> None:
    assert_error(client.request(method, url, json=_deal(), headers=auth()), 403, "read_only")
    assert_error(client.request(method, url, content=b"{broken", headers={"Content-Type": "application/json"}),
                 403, "read_only")


def test_token_rules(writable: tuple[TestClient, Ledger]) -> None:
    client, led = writable
    before = content_version(led)
    for headers in ({}, auth("wrong"), {"Authorization": f"Basic {TOKEN}"}, {"Authorization": "Bearer "}):
        response = client.post("/api/deals", json=_deal(), headers=headers)
        assert_error(response, 401, "unauthorized")
        assert response.headers["www-authenticate"] == "Bearer"
    assert content_version(led) == before
    assert client.get("/api/health").json()["read_only"] is False
    with pytest.raises(ValueError, match="token"):
        create_app(led, read_only=False)


def test_write_with_token_succeeds_and_refreshes_the_map(writable: tuple[TestClient, Ledger]) -> None:
    client, led = writable
    before = len(client.get("/api/network").json()["elements"]["edges"])
    assert before == dealweb.project(led.records()).n_edges
    dry = client.post("/api/deals?dry_run=true", json=_deal(), headers=auth())
    assert dry.status_code == 200 and dry.json()["report"]["dry_run"] is True
    assert "W1" not in {d.id for d in led.records().deals}
    made = client.post("/api/deals", json={**_deal(), "by": "tester", "reason": "api test"}, headers=auth())
    assert made.status_code == 201, made.text
    assert made.json()["report"]["added"]["deal"] == ["W1"]
    assert led.deal("W1").amount_usd == 7_000_000_000
    assert [(c.action, c.changed_by, c.reason) for c in led.history(record_id="W1")] == [("create", "tester", "api test")]
    edges = client.get("/api/network").json()["elements"]["edges"]
    assert len(edges) == before + 1 and "W1" in {e["data"]["deal_id"] for e in edges}
    edited = client.patch("/api/deals/W1", json={"amount_usd": "8e9", "reason": "new figure"}, headers=auth())
    assert edited.status_code == 200, edited.text
    assert led.deal("W1").amount_usd == 8_000_000_000
    assert client.get("/api/deals/W1").json()["deal"]["amount_usd"] == 8_000_000_000
    auto = client.post("/api/deals", json=_deal(id=None), headers=auth())
    assert auto.status_code == 201 and auto.json()["deal"]["id"].startswith("D")


def test_writes_that_break_rules_change_nothing(writable: tuple[TestClient, Ledger]) -> None:
    client, led = writable
    before, version = led.records(), content_version(led)
    err = assert_error(client.post("/api/deals", json=_deal(payer="ghost", amount_usd=-5, kind="loan", color="red"),
                                   headers=auth()), 422, "validation")
    fields = {p["field"] for p in err["problems"]}
    assert {"kind", "color"} <= fields
    err = assert_error(client.post("/api/deals", json=_deal(payer="ghost"), headers=auth()), 422, "validation")
    assert "payer" in {p["field"] for p in err["problems"]}
    assert_error(client.post("/api/deals", json=_deal(id="D57"), headers=auth()), 409, "conflict")  # the id is taken
    err = assert_error(client.patch("/api/deals/D57", json={"status": "maybe"}, headers=auth()), 422, "validation")
    assert [p["field"] for p in err["problems"]] == ["status"]
    assert_error(client.patch("/api/deals/D57", json={"id": "D58"}, headers=auth()), 422, "validation")
    assert_error(client.patch("/api/deals/D999", json={"status": "closed"}, headers=auth()), 404, "not_found")
    bad_doc = {"format": "dealweb", "version": 1, "entities": [], "deals": [_deal(recipient="ghost")]}
    err = assert_error(client.post("/api/import", json=bad_doc, headers=auth()), 422, "validation")
    assert "recipient" in {p["field"] for p in err["problems"]}
    assert led.records() == before and content_version(led) == version


def test_import_multipart_csv_dry_run(writable: tuple[TestClient, Ledger]) -> None:
    client, led = writable
    entities = "id,name,kind\nnewco,NewCo,ai_lab\n"
    deals = ("id,announced,kind,payer,recipient,amount_usd,qualifier,sources\n"
             "N1,2026-02,equity_investment,nvidia,newco,1e9,exact,https://example.com/n1\n")
    files = [("files", ("entities.csv", entities, "text/csv")), ("files", ("deals.csv", deals, "text/csv"))]
    response = client.post("/api/import?dry_run=true", files=files, headers=auth())
    assert response.status_code == 200, response.text
    assert response.json()["report"]["added"] == {"entity": ["newco"], "deal": ["N1"], "financial": []}
    assert "newco" not in {e.id for e in led.records().entities}
    evil = [("files", ("../../deals.csv", deals, "text/csv")), ("files", ("deals.csv", deals, "text/csv"))]
    assert_error(client.post("/api/import", files=evil, headers=auth()), 400, "bad_request")


def test_hostile_entity_name_comes_back_as_inert_json(writable: tuple[TestClient, Ledger]) -> None:
    client, _ = writable
    doc = {"format": "dealweb", "version": 1,
           # names are at most 500 characters (dealweb.model.domain); notes and descriptions take all of it
           "entities": [{"id": "hostile", "name": HOSTILE[:500], "kind": "other", "notes": HOSTILE}],
           "deals": [_deal(id="H1", payer="hostile", description=HOSTILE)]}
    response = client.post("/api/import", json=doc, headers=auth())
    assert response.status_code == 200, response.text
    for url in ("/api/entities?q=hostile", "/api/entities/hostile", "/api/network", "/api/deals/H1",
                "/api/deals?entity=hostile"):
        r = client.get(url)
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        assert b"<" not in r.content and b">" not in r.content, url  # written as \u003c, so no tag in the bytes
        assert holds(r.json(), HOSTILE) or holds(r.json(), HOSTILE[:500]), url
    assert client.get("/api/entities/hostile").json()["entity"]["name"] == HOSTILE[:500]
    node = next(n["data"] for n in client.get("/api/network").json()["elements"]["nodes"] if n["data"]["id"] == "hostile")
    assert node["label"] == HOSTILE[:500]
    assert client.get("/api/deals/H1").json()["deal"]["description"] == HOSTILE
    echoed = client.get("/api/entities/<script>alert(1)<%2Fscript>")
    assert echoed.status_code == 404 and b"<script" not in echoed.content
    cells = client.get("/api/deals?entity=hostile&format=csv").content.decode("utf-8-sig")
    assert HOSTILE.replace('"', '""') in cells


def test_csv_download_defuses_formulas(writable: tuple[TestClient, Ledger]) -> None:
    client, _ = writable
    response = client.post("/api/deals", json=_deal(id="F1", description="=HYPERLINK(\"http://x\",\"y\")"), headers=auth())
    assert response.status_code == 201, response.text
    rows = list(csv.DictReader(io.StringIO(client.get("/api/deals?q=F1&format=csv").content.decode("utf-8-sig"))))
    assert rows[0]["description"].startswith("'=")
    book = load_workbook(io.BytesIO(client.get("/api/deals?q=F1&format=xlsx").content))
    header = [c.value for c in book["deals"][1]]
    cell = book["deals"].cell(row=2, column=header.index("description") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_version_moves_with_writes_from_outside_the_app(writable: tuple[TestClient, Ledger]) -> None:
    client, led = writable
    assert len(client.get("/api/network").json()["elements"]["edges"]) == dealweb.project(led.records()).n_edges
    led.edit(dealweb.Deal, "D57", status="terminated", reason="written by the CLI, not the API")
    net = client.get("/api/network").json()
    assert "D57" not in {e["data"]["deal_id"] for e in net["elements"]["edges"]}
    assert np.isclose(sum(e["data"]["amount"] for e in net["elements"]["edges"]), dealweb.project(led.records()).gross)


# ------------------------------------------------------------------ dealweb serve

def test_cli_serve_binds_loopback_read_only_unless_a_token_is_given(db: str, capsys: pytest.CaptureFixture[str],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    import dealweb.cli.web_commands  # registers the command (until the CLI imports it itself)
    from conftest import run

    served: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.append({"app": app, **kw}))
    monkeypatch.delenv("DEALWEB_WRITE_TOKEN", raising=False)
    from dealweb.web.live import free_port

    port = free_port()  # serve checks that its port is free; a fixed one may be taken on a shared machine
    code, out, err = run(capsys, "serve", "--port", str(port))
    assert code == 0 and f"http://127.0.0.1:{port}/" in out and "read-only" in out, err
    app = served[-1]["app"]
    assert served[-1]["host"] == "127.0.0.1" and served[-1]["port"] == port
    client = TestClient(app)
    assert client.get("/api/health", headers={"Host": f"127.0.0.1:{port}"}).json()["read_only"] is True
    total = client.get("/api/deals?limit=1", headers={"Host": "localhost"}).json()["total"]
    assert total == len(dealweb.bundled_records().deals)  # an empty ledger is filled on open
    assert_error(client.get("/api/health", headers={"Host": "attacker.example"}), 400, "bad_request")
    monkeypatch.setenv("DEALWEB_WRITE_TOKEN", TOKEN)
    code, out, _ = run(capsys, "serve", "--port", str(free_port()))
    assert code == 0 and "writes allowed" in out and TOKEN not in out
    writer = TestClient(served[-1]["app"], base_url="http://127.0.0.1:8000")
    assert writer.get("/api/health").json()["read_only"] is False
    assert_error(writer.post("/api/deals", json=_deal(), headers=auth("nope")), 401, "unauthorized")
    assert writer.post("/api/deals", json=_deal(), headers=auth()).status_code == 201


def test_basis_is_a_query_parameter_of_every_projection(client: TestClient, records: RecordSet) -> None:
    committed = client.get("/api/network").json()
    face = client.get("/api/network?basis=face").json()
    assert (committed["params"]["basis"], face["params"]["basis"]) == ("committed", "face")
    total = sum(e["data"]["amount"] for e in committed["elements"]["edges"])
    assert committed["headline"]["total_usd"] == pytest.approx(total)
    assert committed["headline"]["face_usd"] == pytest.approx(face["headline"]["total_usd"])
    assert face["headline"]["total_usd"] > total
    assert committed["headline"]["sentence"].startswith("$") and " committed · $" in committed["headline"]["sentence"]
    circ = client.get("/api/circularity?basis=face").json()
    assert circ["headline"]["basis"] == "face"
    assert circ["headline"]["gross_volume"] == pytest.approx(face["headline"]["total_usd"])
    bad = client.get("/api/network?basis=cash")
    assert bad.status_code == 422
    assert "committed" in client.get("/api/meta").json()["bases"]
    d91 = {b: next(d for d in client.get(f"/api/deals?limit=all&basis={b}").json()["items"] if d["id"] == "D91")
           for b in ("committed", "face")}
    assert (d91["committed"]["counted_usd"], d91["face"]["counted_usd"]) == (0, 250e9)  # SpaceX–xAI: intra-group
