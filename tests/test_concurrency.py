"""Writes that cannot be lost: many writers and readers at once, on a SQLite file and on PostgreSQL.

50 writer threads and 150 reader threads share a few :class:`Ledger` objects (each its own
engine and connection pool, as separate processes would). Every writer adds one deal without an
id (the ledger picks the next ``D<number>`` inside its write transaction), one with its own id,
and ten of them race for the same id. Afterwards every acknowledged write is in the ledger exactly
once with the content its writer sent, the history holds exactly one ``create`` per acknowledged
record and no ``update``, and the race has one winner and nine clear :class:`DuplicateIdError` s.
"""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from conftest import SRC
from dealweb.errors import DuplicateIdError
from dealweb.ledger import Ledger
from dealweb.model import Deal, Entity, RecordSet

WRITERS = 50
READERS = 150
RACERS = 10
WRITER_LEDGERS = 5
READER_LEDGERS = 5
READER_PAUSE = 2.0  # seconds between one reader's requests, as a client's think time


def _seed(url: str) -> None:
    led = Ledger(url)
    led.add(Entity("payer", "Payer"), Entity("payee", "Payee"), reason="seed")
    led.close()


def _deal(deal_id: str, amount: int) -> Deal:
    return Deal(deal_id, "2026-01", "debt", "payer", "payee", Decimal(amount), "exact", sources=SRC,
                description=f"written by writer {amount}")


def test_no_acknowledged_write_is_lost(store_url: str) -> None:
    _seed(store_url)
    writer_ledgers = [Ledger(store_url) for _ in range(WRITER_LEDGERS)]
    reader_ledgers = [Ledger(store_url) for _ in range(READER_LEDGERS)]
    acked: dict[str, Deal] = {}
    race_won: list[str] = []
    race_lost: list[DuplicateIdError] = []
    failures: list[BaseException] = []
    reads = [0]
    guard = threading.Lock()
    writers_done = threading.Event()
    start = threading.Barrier(WRITERS + READERS)

    def writer(i: int) -> None:
        led = writer_ledgers[i % WRITER_LEDGERS]
        try:
            start.wait()
            auto = _deal("placeholder", 1000 + i)
            report = led.add(auto, by=f"w{i}", reason="auto id", new_ids=True)
            [new_id] = report.added["deal"]
            own = _deal(f"W{i}", 2000 + i)
            led.add(own, by=f"w{i}", reason="own id")
            with guard:
                acked[new_id] = auto.evolve(id=new_id)
                acked[own.id] = own
            if i < RACERS:
                try:
                    led.add(_deal("RACE", 3000 + i), by=f"w{i}", reason="race")
                except DuplicateIdError as exc:
                    with guard:
                        race_lost.append(exc)
                else:
                    with guard:
                        race_won.append(f"w{i}")
                        acked["RACE"] = _deal("RACE", 3000 + i)
        except BaseException as exc:
            with guard:
                failures.append(exc)

    def reader(i: int) -> None:
        led = reader_ledgers[i % READER_LEDGERS]
        try:
            start.wait()
            seen = 0
            while True:
                done = writers_done.is_set()
                records = led.records() if i % 2 else RecordSet.of(led.entity_records(), led.deal_records())
                ids = [d.id for d in records.deals]
                assert len(ids) == len(set(ids))
                assert len(ids) >= seen, "a reader saw the ledger shrink"
                seen = len(ids)
                with guard:
                    reads[0] += 1
                if done:
                    return
                time.sleep(READER_PAUSE)
        except BaseException as exc:
            with guard:
                failures.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    threads += [threading.Thread(target=reader, args=(i,)) for i in range(READERS)]
    for t in threads:
        t.start()
    for t in threads[:WRITERS]:
        t.join(timeout=300)
    writers_done.set()
    for t in threads[WRITERS:]:
        t.join(timeout=300)
    for led in writer_ledgers + reader_ledgers:
        led.close()

    assert not failures, failures[:3]
    assert not any(t.is_alive() for t in threads)
    assert len(race_won) == 1 and len(race_lost) == RACERS - 1
    assert all(p.rule == "duplicate_id" for exc in race_lost for p in exc.problems)
    assert len(acked) == 2 * WRITERS + 1 and reads[0] >= READERS

    final = Ledger(store_url)
    try:
        stored = {d.id: d for d in final.deal_records()}
        assert stored == acked  # every acknowledged write, exactly once, as its writer sent it
        history = final.history("deal")
        assert sorted(c.record_id for c in history) == sorted(acked)
        assert {c.action for c in history} == {"create"}
        assert sorted(int(i[1:]) for i in acked if i.startswith("D")) == list(range(1, WRITERS + 1))
    finally:
        final.close()


def test_parallel_posts_with_one_id_give_one_201_and_409s(store_url: str) -> None:
    from dealweb.web.app import create_app

    _seed(store_url)
    led = Ledger(store_url)
    client = TestClient(create_app(led, read_only=False, token="t0ken"))
    body = {"id": "SAME", "announced": "2026-01", "kind": "debt", "payer": "payer", "recipient": "payee",
            "amount_usd": 5, "qualifier": "exact", "sources": ["https://example.com/s"]}
    statuses: list[int] = []
    guard = threading.Lock()
    start = threading.Barrier(10)

    def post(i: int) -> None:
        start.wait()
        response = client.post("/api/deals", json={**body, "description": f"copy {i}"},
                               headers={"Authorization": "Bearer t0ken"})
        with guard:
            statuses.append(response.status_code)
            if response.status_code == 409:
                assert response.json()["error"]["code"] == "conflict"

    threads = [threading.Thread(target=post, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    try:
        assert sorted(statuses) == [201] + [409] * 9
        assert [c.action for c in led.history("deal", "SAME")] == ["create"]
    finally:
        led.close()


@pytest.mark.parametrize("count", [3])
def test_posts_without_an_id_each_get_their_own(store_url: str, count: int) -> None:
    from dealweb.web.app import create_app

    _seed(store_url)
    led = Ledger(store_url)
    client = TestClient(create_app(led, read_only=False, token="t0ken"))
    body = {"announced": "2026-01", "kind": "debt", "payer": "payer", "recipient": "payee", "amount_usd": 5,
            "qualifier": "exact", "sources": ["https://example.com/s"]}
    ids = [client.post("/api/deals", json=body, headers={"Authorization": "Bearer t0ken"}).json()["deal"]["id"]
           for _ in range(count)]
    try:
        assert ids == ["D001", "D002", "D003"]
        assert [d.id for d in led.deal_records()] == ids
    finally:
        led.close()
