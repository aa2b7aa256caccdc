"""SEC XBRL company facts → financial snapshots, on small documents written here in the SEC's format."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from dealweb.cli import main
from dealweb.errors import ValidationError
from dealweb.ledger import Ledger
from dealweb.ledger import sec as sec_module
from dealweb.ledger.sec import FetchError, fetch_company_facts, import_sec, read_company_facts, sec_snapshots
from dealweb.model import Entity, RecordSet

CIK = 1045810


def _usd(*rows: dict[str, Any]) -> dict[str, Any]:
    return {"units": {"USD": list(rows)}}


def _row(end: str, val: int, form: str = "10-Q", fy: int = 2026, fp: str = "Q2", filed: str = "2025-08-27",
         accn: str = "0001045810-25-000209", start: str | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"end": end, "val": val, "form": form, "fy": fy, "fp": fp, "filed": filed, "accn": accn}
    if start:
        row["start"] = start
    return row


def company_facts(name: str = "NVIDIA CORP", cik: int = CIK) -> dict[str, Any]:
    """A small company-facts document: two quarters of cash, annual and quarterly revenue, split debt."""
    k10 = {"form": "10-K", "fy": 2025, "fp": "FY", "filed": "2025-02-26", "accn": "0001045810-25-000023"}
    return {"cik": cik, "entityName": name, "facts": {
        "dei": {"EntityCommonStockSharesOutstanding": {"units": {"shares": [{"end": "2025-08-20", "val": 24e9}]}}},
        "us-gaap": {
            "CashAndCashEquivalentsAtCarryingValue": _usd(_row("2025-04-27", 15_234_000_000, fp="Q1",
                                                              filed="2025-05-28", accn="0001045810-25-000116"),
                                                         _row("2025-07-27", 11_639_000_000)),
            "CashCashEquivalentsAndShortTermInvestments": _usd(_row("2025-07-27", 56_791_000_000)),
            "Revenues": _usd(_row("2025-01-26", 130_497_000_000, start="2024-01-29", **k10),
                             _row("2025-07-27", 46_743_000_000, start="2025-04-28"),
                             _row("2025-07-27", 90_805_000_000, start="2025-01-27")),  # six months: neither
            "LongTermDebtNoncurrent": _usd(_row("2025-07-27", 7_466_000_000)),
            "LongTermDebtCurrent": _usd(_row("2025-07-27", 0)),
            "PaymentsToAcquirePropertyPlantAndEquipment": _usd(_row("2025-01-26", 3_236_000_000,
                                                                   start="2024-01-29", **k10)),
            "StockholdersEquity": _usd(_row("2025-07-27", 100_129_000_000)),
            "SomethingElse": _usd(_row("2025-07-27", 1)),
        }}}


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    led = Ledger(tmp_path / "sec.sqlite")
    led.apply(RecordSet.of([Entity("nvidia", "Nvidia", "chipmaker", listed=True, ticker="NVDA"),
                            Entity("msft", "Microsoft", "cloud_provider", notes="SEC filer CIK 0000789019")]))
    yield led
    led.close()


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_latest_figure_of_each_metric_with_its_filing() -> None:
    snaps = {s.metric.value: s for s in sec_snapshots(read_company_facts(company_facts()), "nvidia")}
    assert {m: (str(s.as_of), s.value) for m, s in snaps.items()} == {
        "cash": ("2025-07-27", Decimal(11_639_000_000)),
        "cash_and_securities": ("2025-07-27", Decimal(56_791_000_000)),
        "debt": ("2025-07-27", Decimal(7_466_000_000)),
        "revenue": ("2025-01-26", Decimal(130_497_000_000)),
        "revenue_quarter": ("2025-07-27", Decimal(46_743_000_000)),
        "capex": ("2025-01-26", Decimal(3_236_000_000)),
        "equity_book": ("2025-07-27", Decimal(100_129_000_000)),
    }
    cash = snaps["cash"]
    assert cash.id == "SEC-1045810-cash-2025-07-27"
    (source,) = cash.sources
    assert (source.kind.value if source.kind else None, source.url, str(source.date)) == (
        "filing", "https://www.sec.gov/Archives/edgar/data/1045810/000104581025000209/", "2025-08-27")
    assert snaps["revenue_quarter"].description.startswith("FY2026 Q2, quarter to 2025-07-27; SEC XBRL Revenues")
    assert "LongTermDebtNoncurrent + LongTermDebtCurrent" in snaps["debt"].description


def test_import_matches_by_name_and_is_idempotent(ledger: Ledger, tmp_path: Path) -> None:
    report = import_sec(ledger, [_write(tmp_path / "nvda.json", company_facts())])
    assert len(report.to_dict()["added"]["financial"]) == 7
    assert {f.entity for f in ledger.financial_records()} == {"nvidia"}
    again = import_sec(ledger, [tmp_path / "nvda.json"])
    assert not again.changed


def test_match_by_cik_in_notes_or_by_entity(ledger: Ledger, tmp_path: Path) -> None:
    import_sec(ledger, documents=[company_facts("MICROSOFT CORP X", cik=789019)])
    assert {f.entity for f in ledger.financial_records()} == {"msft"}
    with pytest.raises(ValidationError) as info:
        import_sec(ledger, documents=[company_facts("Unknown Holdings Inc", cik=1)])
    assert [p.rule for p in info.value.problems] == ["no_match"]
    import_sec(ledger, documents=[company_facts("Unknown Holdings Inc", cik=1)], entity="nvidia")
    assert any(f.id.startswith("SEC-1-") and f.entity == "nvidia" for f in ledger.financial_records())


def test_one_bad_file_imports_nothing(ledger: Ledger, tmp_path: Path) -> None:
    good = _write(tmp_path / "good.json", company_facts())
    bad = _write(tmp_path / "bad.json", {"cik": 5, "facts": {}})
    with pytest.raises(ValidationError) as info:
        import_sec(ledger, [good, bad])
    assert [str(p) for p in info.value.problems] == [
        "bad.json, facts: has no facts → us-gaap object; is this an SEC company-facts document? [sec_json]"]
    assert ledger.financial_records() == []


def test_cli_import_sec(ledger: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "nvda.json", company_facts())
    url = str(ledger.url)
    assert main(["financials", "import-sec", str(path), "--db", url, "--dry-run", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["added"]["financial"]) == 7
    assert main(["financials", "import-sec", str(path), "--db", url]) == 0
    assert len(Ledger(url).financial_records()) == 7
    assert main(["financials", "import-sec", str(tmp_path / "missing.json"), "--db", url]) == 1
    assert "missing.json: does not exist [file]" in capsys.readouterr().err


class _Facts(BaseHTTPRequestHandler):
    agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).agents.append(self.headers.get("User-Agent", ""))
        body = json.dumps(company_facts()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_fetch_sends_the_user_agent_and_says_when_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    server = HTTPServer(("127.0.0.1", 0), _Facts)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setattr(sec_module, "COMPANY_FACTS_URL",
                            f"http://127.0.0.1:{server.server_port}/api/xbrl/companyfacts/CIK{{cik:010d}}.json")
        monkeypatch.setenv("DEALWEB_SEC_USER_AGENT", "dealweb test tester@example.com")
        assert fetch_company_facts("CIK1045810")["entityName"] == "NVIDIA CORP"
        assert _Facts.agents[-1] == "dealweb test tester@example.com"
    finally:
        server.shutdown()
        server.server_close()
    monkeypatch.setattr(sec_module, "COMPANY_FACTS_URL", f"http://127.0.0.1:{server.server_port}/CIK{{cik:010d}}.json")
    with pytest.raises(FetchError, match="may be offline"):
        fetch_company_facts(1045810, timeout=2)
    assert sec_module._DEFAULT_AGENT.startswith("dealweb")
