"""The dataset that ships inside the package: real AI deals with their sources.

The files live in ``dealweb/data`` (``entities.csv``, ``deals.csv``, ``financials.csv``
and ``dataset.json``, the manifest with the version and coverage notes). They are read by
the same CSV importer a user would use, so the bundled data obeys every rule imports do.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dealweb.model.recordset import RecordSet

if TYPE_CHECKING:
    from dealweb.ledger.ledger import ChangeReport, Ledger

__all__ = ["BUNDLED_REASON", "BundledStatus", "bundled_dir", "bundled_manifest", "bundled_records",
           "bundled_status", "fill_or_update", "reset_bundled", "update_bundled"]

#: Every write of the bundled dataset into a ledger gives this reason, followed by the version.
BUNDLED_REASON = "bundled dataset "
_LOADED = re.compile(re.escape(BUNDLED_REASON) + r"(\d+(?:\.\d+)*)")
_RESET = " (reset)"


def bundled_dir() -> Path:
    """Folder of the bundled data files inside the installed package."""
    return Path(str(resources.files("dealweb") / "data"))


@cache
def bundled_manifest() -> dict[str, Any]:
    """The dataset manifest: version, compilation date, coverage notes."""
    data: dict[str, Any] = json.loads((bundled_dir() / "dataset.json").read_text(encoding="utf-8"))
    return data


@cache
def bundled_records() -> RecordSet:
    """The bundled dataset as a validated :class:`RecordSet`.

    >>> rs = bundled_records()
    >>> len(rs.deals) > 100 and all(d.sources for d in rs.deals)
    True
    """
    from dealweb.ledger.formats import read

    return read(bundled_dir(), format="csv")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


@dataclass(frozen=True)
class BundledStatus:
    """Which bundled dataset a ledger holds, against the one this dealweb ships.

    ``held`` is the newest bundled version ever written into the ledger (``None`` when the ledger
    was never filled from it); ``own_changes`` counts records changed by anything else (imports,
    edits, additions) since the last reset to the bundled data, whose history sequence number is
    ``since_seq``.
    """

    held: str | None
    bundled: str
    own_changes: int
    since_seq: int = 0

    @property
    def outdated(self) -> bool:
        """The ledger was filled from an older bundled dataset than the one shipped."""
        return self.held is not None and _version_key(self.held) < _version_key(self.bundled)

    def message(self) -> str:
        """One line for a user, empty when there is nothing to say.

        >>> print(BundledStatus("2026.11.24", "2026.12.07", 3).message())  # doctest: +NORMALIZE_WHITESPACE
        This ledger holds bundled dataset 2026.11.24 and 3 records you changed; dealweb ships 2026.12.07:
        `dealweb dataset update` brings the new data in and keeps your changes.
        >>> BundledStatus("2026.11.24", "2026.12.07", 1).message()[:64]
        'This ledger holds bundled dataset 2026.11.24 and 1 record you ch'
        >>> BundledStatus("2026.12.07", "2026.12.07", 0).message()
        ''
        """
        if not self.outdated:
            return ""
        records = "record" if self.own_changes == 1 else "records"
        return (f"This ledger holds bundled dataset {self.held} and {self.own_changes} {records} you changed; "
                f"dealweb ships {self.bundled}: `dealweb dataset update` brings the new data in and keeps your changes.")


def bundled_status(ledger: Ledger) -> BundledStatus:
    """Read from the ledger's history which bundled dataset it holds and how many records were changed since.

    >>> import dealweb
    >>> s = bundled_status(dealweb.open(":memory:"))
    >>> s.held == s.bundled, s.own_changes, s.outdated
    (True, 0, False)
    """
    from sqlalchemy import func, select

    from dealweb.ledger import schema

    h = schema.history
    ours = h.c.reason.startswith(BUNDLED_REASON, autoescape=True)
    with ledger.engine.connect() as conn:
        reasons = [r for (r,) in conn.execute(select(h.c.reason).where(ours).distinct())]
        since = conn.execute(select(func.max(h.c.seq)).where(ours, h.c.reason.endswith(_RESET, autoescape=True)))
        since_seq = int(since.scalar_one() or 0)
        own = conn.execute(select(func.count()).select_from(
            select(h.c.record_type, h.c.record_id).where(~ours, h.c.seq > since_seq).distinct().subquery())).scalar_one()
    versions = [m.group(1) for r in reasons if (m := _LOADED.match(r))]
    held = max(versions, key=_version_key) if versions else None
    return BundledStatus(held, str(bundled_manifest()["version"]), int(own), since_seq)


def update_bundled(ledger: Ledger, *, dry_run: bool = False, by: str | None = None) -> ChangeReport:
    """Bring the shipped bundled dataset into a ledger filled from an older one, keeping the user's changes.

    Every record nobody else touched takes the shipped version (added, corrected, or removed
    when the new dataset drops it); a record the user imported, edited, added or deleted stays as
    the user left it (:meth:`~dealweb.ledger.Ledger.rebase`). All or nothing: if the user's records
    no longer fit the new data (a deal of theirs naming an entity the new dataset removed) a
    :class:`~dealweb.errors.ValidationError` names them and nothing changes.
    """
    version = bundled_manifest()["version"]
    status = bundled_status(ledger)
    reason = BUNDLED_REASON + version + (f" (update from {status.held})" if status.held not in (None, version) else "")
    return ledger.rebase(bundled_records(), keep_reason_prefix=BUNDLED_REASON, since_seq=status.since_seq,
                         dry_run=dry_run, by=by or "dealweb", reason=reason)


def reset_bundled(ledger: Ledger, *, by: str | None = None) -> ChangeReport:
    """Make the ledger hold exactly the shipped bundled dataset (``dealweb init --reset``); earlier changes are forgotten."""
    return ledger.apply(bundled_records(), mode="replace", by=by or "dealweb",
                        reason=BUNDLED_REASON + bundled_manifest()["version"] + _RESET)


def fill_or_update(ledger: Ledger) -> BundledStatus:
    """What :func:`dealweb.open` does: fill an empty ledger, or update one that holds only older bundled data.

    A ledger with changes of the user's own is left alone; the returned status's
    :meth:`~BundledStatus.message` tells them how to update.
    """
    if ledger.is_empty():
        version = bundled_manifest()["version"]
        ledger.apply(bundled_records(), by="dealweb", reason=BUNDLED_REASON + version)
    status = bundled_status(ledger)
    if status.outdated and status.own_changes == 0:
        update_bundled(ledger)
        status = bundled_status(ledger)
    return status
