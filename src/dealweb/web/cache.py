"""An in-memory cache of what the API computes, keyed by the ledger's content version.

Every write to a ledger goes through :meth:`~dealweb.ledger.Ledger.apply`, which appends
to the history table; so :meth:`~dealweb.ledger.Ledger.version`, ``(max(seq), count)`` of that
table, changes with every change of content and is one cheap query. :class:`LedgerCache` reads it per request, keeps the
records of the current version, and memoises payloads under ``(version, key)``. A new
version (a write through the API, the CLI or another process) drops everything cached for
the old one; a write through the API also clears the cache at once.

Examples
--------
>>> import dealweb
>>> cache = LedgerCache(dealweb.open(":memory:"))
>>> calls = []
>>> def compute(records):
...     calls.append(1)
...     return {"has_deals": len(records.deals) > 0}
>>> cache.get(("demo",), compute), cache.get(("demo",), compute), len(calls)
({'has_deals': True}, {'has_deals': True}, 1)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from dealweb.ledger import Ledger
from dealweb.model.recordset import RecordSet

__all__ = ["LedgerCache", "content_version"]

T = TypeVar("T")


def content_version(ledger: Ledger) -> tuple[int, int]:
    """``(highest history sequence number, history rows)``: :meth:`dealweb.ledger.Ledger.version`."""
    return ledger.version()


class LedgerCache:
    """Records and computed payloads of one ledger, for its current content version.

    Parameters
    ----------
    ledger
        The ledger the app serves.
    max_entries
        Payloads kept per version (least recently used dropped first).
    """

    def __init__(self, ledger: Ledger, *, max_entries: int = 256) -> None:
        self.ledger = ledger
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._version: tuple[int, int] | None = None
        self._records: RecordSet | None = None
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def version(self) -> tuple[int, int]:
        """The ledger's content version now; drops the cache when it moved."""
        now = content_version(self.ledger)
        with self._lock:
            if now != self._version:
                self._version, self._records = now, None
                self._entries.clear()
        return now

    def _records_at(self, version: tuple[int, int]) -> RecordSet:
        with self._lock:
            if self._records is not None and self._version == version:
                return self._records
        # Read after the version: the records are at least that new, so nothing older is
        # ever kept under a newer version.
        records = self.ledger.records()
        with self._lock:
            if self._version == version:
                self._records = records
        return records

    def records(self) -> RecordSet:
        """The ledger's records at the current version (read once per version)."""
        return self._records_at(self.version())

    def peek(self, key: Hashable, version: tuple[int, int] | None = None) -> Any | None:
        """The payload cached under ``key`` for the current version (or ``version``, read just
        before by the caller), or ``None``; never computes."""
        version = self.version() if version is None else version
        with self._lock:
            value = self._entries.get((version, key))
            if value is not None:
                self._entries.move_to_end((version, key))
                self.hits += 1
            return value

    def peek_records(self) -> tuple[tuple[int, int], RecordSet | None]:
        """The current version, and its records if they are read already (else ``None``)."""
        version = self.version()
        with self._lock:
            return version, self._records if self._version == version else None

    def put(self, key: Hashable, value: Any, version: tuple[int, int]) -> None:
        """Keep ``value`` under ``key`` for ``version`` (ignored if the version moved on)."""
        with self._lock:
            if self._version == version:
                self._entries[(version, key)] = value
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)

    def get(self, key: Hashable, compute: Callable[[RecordSet], T]) -> T:
        """The payload cached under ``key`` for the current version; on a miss, ``compute(records)``.

        Two requests that miss at once both compute; the later result wins (it is the same).
        """
        version = self.version()
        full = (version, key)
        with self._lock:
            if full in self._entries:
                self._entries.move_to_end(full)
                self.hits += 1
                value: T = self._entries[full]
                return value
            self.misses += 1
        value = compute(self._records_at(version))
        with self._lock:
            if self._version == version:
                self._entries[full] = value
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget everything (after a write)."""
        with self._lock:
            self._version, self._records = None, None
            self._entries.clear()
