"""The store, on a SQLite file and on a real PostgreSQL server: exact money, atomic writes, history."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import inspect

import dealweb
from conftest import SRC
from dealweb.errors import NotFoundError, StoreError, ValidationError
from dealweb.ledger import Ledger
from dealweb.ledger import ledger as ledger_module
from dealweb.ledger.store import resolve_url
from dealweb.model import Deal, Entity, RecordSet


def test_migrations_create_the_schema(ledger: Ledger) -> None:
    tables = set(inspect(ledger.engine).get_table_names())
    assert {"entities", "deals", "financials", "history", "alembic_version"} <= tables
    assert ledger.revision == "0002" and ledger.is_empty()


def test_records_round_trip_exactly(ledger: Ledger, small_records: RecordSet) -> None:
    ledger.apply(small_records)
    assert ledger.records() == small_records
    assert ledger.deal("D2").horizon_years == Decimal(5)


def test_money_is_exact_to_the_cent_at_any_size(ledger: Ledger, small_records: RecordSet) -> None:
    odd = Decimal("123456789012345.678901")
    ledger.apply(small_records)
    ledger.edit(Deal, "D1", amount_usd=odd)
    assert ledger.deal("D1").amount_usd == odd
    assert str(ledger.deal("D1").amount_usd) == "123456789012345.678901"


def test_a_rejected_import_writes_nothing(ledger: Ledger, small_records: RecordSet) -> None:
    ledger.apply(small_records)
    before = ledger.records()
    bad = RecordSet.of(deals=[Deal("D9", "2025", "debt", "lab", "nobody", Decimal(1), "exact", sources=SRC),
                              Deal("D10", "2025", "debt", "lab", "cloud", Decimal(1), "exact", sources=SRC)])
    with pytest.raises(ValidationError) as info:
        ledger.apply(bad)
    assert [str(p) for p in info.value.problems] == [
        "deal D9, recipient: 'nobody' is not an entity in the ledger [unknown_entity]"]
    assert ledger.records() == before


def test_an_interrupted_import_rolls_back(ledger: Ledger, small_records: RecordSet,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    ledger.apply(RecordSet.of(small_records.entities))
    before = ledger.records()

    def boom(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C after the first rows went in

    monkeypatch.setattr(ledger_module, "_trail", boom)
    with pytest.raises(KeyboardInterrupt):
        ledger.apply(small_records)
    monkeypatch.undo()
    assert ledger.records() == before
    assert len(ledger.history()) == len(small_records.entities)


def test_dry_run_reports_and_writes_nothing(ledger: Ledger, small_records: RecordSet) -> None:
    report = ledger.apply(small_records, dry_run=True)
    assert report.dry_run and report.counts()["deal"]["added"] == len(small_records.deals)
    assert ledger.is_empty()


def test_merge_then_replace(ledger: Ledger, small_records: RecordSet) -> None:
    ledger.apply(small_records)
    again = ledger.apply(small_records)
    assert not again.changed and again.unchanged["deal"] == len(small_records.deals)
    keep = RecordSet.of(small_records.entities, [d for d in small_records.deals if d.id in ("D1", "D2")])
    report = ledger.apply(keep, mode="replace")
    assert report.removed["deal"] == ["D3", "D3a", "D3b", "D4", "D5", "D6"]
    assert report.removed["financial"] == ["V1", "V2"]
    assert [d.id for d in ledger.deal_records()] == ["D1", "D2"]


def test_edits_keep_the_previous_version(ledger: Ledger, small_records: RecordSet) -> None:
    ledger.apply(small_records, by="alice", reason="initial")
    ledger.edit(Deal, "D2", amount_usd=Decimal("35e9"), status="closed", by="bob", reason="amended terms")
    trail = ledger.history("deal", "D2")
    assert [(c.action, c.changed_by, c.reason) for c in trail] == [("create", "alice", "initial"),
                                                                   ("update", "bob", "amended terms")]
    assert trail[1].changes == {"amount_usd": ["30000000000", "35000000000"], "status": ["signed", "closed"]}
    assert trail[1].previous is not None and trail[1].previous["amount_usd"] == 30000000000


def test_edit_is_validated(ledger: Ledger, small_records: RecordSet) -> None:
    ledger.apply(small_records)
    with pytest.raises(ValidationError, match="payer and recipient are both 'lab'"):
        ledger.edit(Deal, "D2", recipient="lab")
    with pytest.raises(ValidationError, match="'loan' is not a valid DealKind"):
        ledger.edit(Deal, "D2", kind="loan")
    with pytest.raises(NotFoundError, match="no deal with id 'D404'"):
        ledger.edit(Deal, "D404", status="closed")


def test_add_refuses_existing_ids(ledger: Ledger, small_records: RecordSet) -> None:
    ledger.apply(small_records)
    with pytest.raises(ValidationError, match="the id 'lab' is already in the ledger; edit it instead"):
        ledger.add(Entity("lab", "Another lab"))


def test_dataframes(ledger: Ledger, small_records: RecordSet) -> None:
    ledger.apply(small_records)
    deals = ledger.deals(entity="chips")
    assert list(deals["id"]) == ["D4", "D6", "D5"]
    assert deals.set_index("id").loc["D4", "counted_usd"] == 0.0
    assert deals["amount_usd"].dtype == "float64"
    assert list(ledger.entities()["id"]) == ["chips", "cloud", "fund", "lab"]
    assert list(ledger.financials("lab")["id"]) == ["V1", "V2"]


def test_reopening_a_file_keeps_everything(tmp_path: Path, small_records: RecordSet) -> None:
    path = tmp_path / "deep" / "dir" / "l.sqlite"
    Ledger(path, create_folder=True).apply(small_records)
    assert Ledger(path).records() == small_records


def test_open_fills_an_empty_store_with_the_bundled_dataset(tmp_path: Path) -> None:
    led = dealweb.open(tmp_path / "x.sqlite")
    assert led.records() == dealweb.bundled_records()
    assert led.history()[0].reason.startswith("bundled dataset ")
    assert dealweb.open(tmp_path / "x.sqlite").counts() == led.counts()  # not loaded twice


def test_bad_database_urls() -> None:
    with pytest.raises(StoreError, match="unsupported database 'mysql'"):
        resolve_url("mysql://x@y/z")
    with pytest.raises(StoreError, match="cannot migrate database"):
        Ledger("postgresql://nobody:x@127.0.0.1:9/none")


def test_a_missing_folder_is_an_error_not_a_new_ledger(tmp_path: Path) -> None:
    path = tmp_path / "no-such-dir" / "x.db"
    with pytest.raises(StoreError, match=r"the folder .*no-such-dir does not exist"):
        Ledger(str(path))
    assert not path.parent.exists()
    Ledger(str(path), create_folder=True).close()
    assert path.exists()
