"""FollowTheMoney streams: the schema mapping, valid FtM ids, and reading third-party FtM."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from formats_sample import sample_records

from dealweb.errors import ValidationError
from dealweb.ledger.formats import read, write
from dealweb.ledger.formats.ftm import PAYLOAD_PREFIX, ftm_id
from dealweb.model import Deal, Entity, PartialDate, RecordSet, Source

FTM_ID = re.compile(r"^[0-9a-zA-Z]([0-9a-zA-Z.\-]*[0-9a-zA-Z])?$")  # followthemoney.types.entity


@pytest.fixture
def records() -> RecordSet:
    return sample_records()


def _stream(records: RecordSet, tmp_path: Path) -> dict[str, dict[str, Any]]:
    path = write(records, tmp_path / "web.ftm.json")[0]
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]
    return {line["id"]: line for line in lines}


def _write_lines(path: Path, *entities: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    return path


def test_every_line_is_an_ftm_entity_with_valid_ids(records: RecordSet, tmp_path: Path) -> None:
    stream = _stream(records, tmp_path)
    assert len(stream) == len(records.entities) + len(records.deals)
    for fid, entity in stream.items():
        assert FTM_ID.match(fid)
        for name, values in entity["properties"].items():
            assert values and all(isinstance(v, str) for v in values), name
            if name in {"owner", "asset", "payer", "beneficiary", "creditor", "debtor", "parent"}:
                assert all(v in stream and FTM_ID.match(v) for v in values)


def test_deal_kinds_map_to_ftm_schemata(records: RecordSet, tmp_path: Path) -> None:
    stream = _stream(records, tmp_path)
    bank, cloud = ftm_id("entity", "bank."), ftm_id("entity", "cloud_co")
    assert bank != "bank." and cloud != "cloud_co"  # "." at the end and "_" are not allowed in FtM ids

    def props(deal_id: str, schema: str) -> dict[str, list[str]]:
        entity = stream[f"Deal-{deal_id}"]
        assert entity["schema"] == schema
        return {k: v for k, v in entity["properties"].items() if k != "summary"}

    assert props("D1", "Ownership") == {
        "owner": ["chips"], "asset": ["lab"], "percentage": ["2.5"], "sharesValue": ["100000000000"],
        "sharesCurrency": ["USD"], "status": ["announced"], "date": ["2025-09-22"], "recordId": ["D1"],
        "description": ["Up to $100B in tranches"], "sourceUrl": ["https://wire.example/a"],
        "publisher": ["Example Wire", "Chips 10-Q"],
    }
    # FtM's Debt runs creditor → debtor; the original currency stays with amountUsd beside it.
    assert props("D4", "Debt") == {
        "creditor": [bank], "debtor": [cloud], "amount": ["110000000000000.5"], "currency": ["EUR"],
        "amountUsd": ["123456789012345.678125"], "date": ["2024-03"], "recordId": ["D4"], "publisher": ["Chips 10-Q"],
    }
    # A warrant: the holder owns an option on the issuer.
    warrant = props("D5", "Ownership")
    assert (warrant["owner"], warrant["asset"], warrant["sharesType"], warrant["ownershipType"]) == (
        ["lab"], ["chips"], ["warrant"], ["option"])
    payment = props("D2", "Payment")
    assert (payment["payer"], payment["beneficiary"], payment["purpose"]) == (["lab"], [cloud], ["compute commitment"])
    assert (payment["startDate"], payment["endDate"], payment["amountUsd"]) == (["2027"], ["2032"],
                                                                                ["300000000000.005"])
    assert "amount" not in props("D3", "Payment")  # undisclosed


def test_entities_and_financials_ride_on_companies(records: RecordSet, tmp_path: Path) -> None:
    stream = _stream(records, tmp_path)
    lab = stream["lab"]
    assert lab["schema"] == "Company"
    assert {k: v for k, v in lab["properties"].items() if k != "notes"} == {
        "name": ["Lab, Inc."], "alias": ["Lab PBC", "Λab"], "jurisdiction": ["us"],
        "description": ['Makes models;\nsays "hello", and, well, commas.'],
    }
    payloads = [json.loads(v[len(PAYLOAD_PREFIX):]) for v in lab["properties"]["notes"]]
    assert [next(iter(p)) for p in payloads] == ["entity", "financial"]
    assert payloads[1]["financial"]["value"] == 500000000000
    assert stream[ftm_id("entity", "cloud_co")]["properties"]["parent"] == ["chips"]


def test_standard_properties_alone_carry_the_core_of_each_deal(records: RecordSet, tmp_path: Path) -> None:
    stream = _stream(records, tmp_path)
    for entity in stream.values():
        for name in ("notes", "summary"):
            kept = [v for v in entity["properties"].get(name, []) if not v.startswith(PAYLOAD_PREFIX)]
            entity["properties"].pop(name, None)
            if kept:
                entity["properties"][name] = kept
    back = read(_write_lines(tmp_path / "plain.ftm.json", *stream.values()))
    ids = {ftm_id("entity", e.id).lower(): e.id for e in records.entities}
    ids |= {ftm_id("deal", d.id): d.id for d in records.deals}  # third-party deals keep their FtM id

    def core(d: Deal, rename: dict[str, str]) -> tuple[Any, ...]:
        return (rename.get(d.id, d.id), d.kind, rename.get(d.payer, d.payer), rename.get(d.recipient, d.recipient),
                d.amount_usd, d.currency, d.amount_original, d.stake_pct, d.announced, d.start, d.end, d.description,
                {s.url for s in d.sources} - {""}, {s.outlet for s in d.sources} - {""})

    assert [core(d, ids) for d in back.deals] == [core(d, {}) for d in records.deals]
    lab = next(e for e in back.entities if e.id == "lab")
    assert (lab.name, lab.aliases, lab.country, lab.notes) == ("Lab, Inc.", ("Lab PBC", "Λab"), "US",
                                                               'Makes models;\nsays "hello", and, well, commas.')
    assert next(e for e in back.entities if e.id == ftm_id("entity", "cloud_co").lower()).parent == "chips"


def test_third_party_ftm_maps_to_deals(tmp_path: Path) -> None:
    path = _write_lines(
        tmp_path / "os.ftm.json",
        {"id": "NK-Nv1", "schema": "Company", "caption": "NVIDIA", "datasets": ["x"],
         "properties": {"name": ["NVIDIA Corp", "NVIDIA"], "jurisdiction": ["us"], "ticker": ["NVDA"]}},
        {"id": "Q1", "schema": "Organization", "properties": {"name": ["OpenAI"]}},
        {"id": "gov", "schema": "PublicBody", "properties": {"name": ["Treasury"]}},
        {"id": "addr1", "schema": "Address", "properties": {"full": ["1 Main St"]}},
        {"id": "own1", "schema": "Ownership", "properties": {
            "owner": ["NK-Nv1"], "asset": ["Q1"], "percentage": ["4 %"], "sharesValue": ["5000000000"],
            "sharesCurrency": ["usd"], "startDate": ["2025-09-22T10:00:00"], "sourceUrl": ["https://a.example/1"],
            "publisher": ["Reuters"]}},
        {"id": "debt1", "schema": "Debt", "properties": {
            "creditor": ["gov"], "debtor": ["Q1"], "amount": ["900"], "currency": ["EUR"], "amountUsd": ["1000"],
            "date": ["2024"], "publisher": ["Filing"]}},
        {"id": "pay1", "schema": "Payment", "properties": {
            "payer": ["Q1"], "beneficiary": ["NK-Nv1"], "purpose": ["Chip purchase"], "date": ["2026-01"],
            "sourceUrl": ["https://b.example/2", "https://b.example/3"]}},
    )
    wire = Source("Reuters", url="https://a.example/1")
    assert read(path) == RecordSet.of(
        [Entity("nk-nv1", "NVIDIA Corp", aliases=("NVIDIA",), country="US", ticker="NVDA"),
         Entity("q1", "OpenAI"), Entity("gov", "Treasury", "government")],
        [Deal("own1", PartialDate(2025, 9, 22), "equity_investment", "nk-nv1", "q1", Decimal(5000000000), "exact",
              sources=(wire,), stake_pct=Decimal(4), start=PartialDate(2025, 9, 22)),
         Deal("debt1", PartialDate(2024), "debt", "gov", "q1", Decimal(1000), "exact", sources=(Source("Filing"),),
              currency="EUR", amount_original=Decimal(900)),
         Deal("pay1", PartialDate(2026, 1), "chip_purchase", "q1", "nk-nv1", None, "undisclosed",
              sources=(Source(url="https://b.example/2"), Source(url="https://b.example/3")))],
    )


def test_third_party_ftm_reports_what_is_missing_per_line(tmp_path: Path) -> None:
    path = _write_lines(
        tmp_path / "os.ftm.json",
        {"id": "a", "schema": "Company", "properties": {"name": ["A"]}},
        {"id": "b", "schema": "Company", "properties": {}},
        {"id": "p1", "schema": "Payment", "properties": {"payer": ["a"], "beneficiary": ["c"], "amount": ["5"]}},
        {"id": "p2", "schema": "Payment", "properties": {
            "payer": ["a", "b"], "beneficiary": ["a"], "purpose": ["lease"], "date": ["2025"],
            "sourceUrl": ["https://x.example/"]}},
        {"id": "c", "schema": "Company", "properties": {"name": ["C"], "notes": ["dealweb:{oops"]}},
    )
    with pytest.raises(ValidationError) as err:
        read(path)
    kinds = ("equity_investment, compute_commitment, chip_purchase, warrant, debt, lease, backstop, revenue_share, "
             "licensing, jv, acquisition")
    assert [str(p) for p in err.value.problems] == [
        "os.ftm.json line 2, name: is required and empty [required]",
        f"os.ftm.json line 3, purpose: no purpose names no deal kind; dealweb needs one of: {kinds} [required]",
        "os.ftm.json line 3, currency: amount 5 is in no stated currency and has no amountUsd; dealweb needs the "
        "amount in USD [currency]",
        "os.ftm.json line 3, date: has no date or startDate; dealweb needs the date a deal was announced [required]",
        "os.ftm.json line 3, sources: every deal needs at least one source (a URL or outlet and title) "
        "[missing_source]",
        "os.ftm.json line 4, payer: has 2 values ('a', 'b'); dealweb needs one [multiple_values]",
        "os.ftm.json line 4, recipient: payer and recipient are both 'a' [same_party]",
        "os.ftm.json line 5, notes: its dealweb record is not valid JSON: Expecting property name enclosed in "
        "double quotes [ftm_payload]",
    ]
