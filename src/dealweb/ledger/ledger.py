"""The :class:`Ledger`: the deal store's Python API.

A ledger reads and writes records in one database (see :mod:`dealweb.ledger.store`).
Every write (:meth:`Ledger.apply`, :meth:`Ledger.add`, :meth:`Ledger.edit`) runs in one
transaction that holds the ledger's write lock from its first statement: it reads the
current records, validates the ledger as it would be *after* the change, writes all of it,
and records each changed record's previous version in the history table (who, when, why,
what changed). Because the read, the check and the write share that transaction, two
writers can never both take the same new id, and :meth:`Ledger.add` never turns into an
update of a record another writer has just created: it fails with
:class:`~dealweb.errors.DuplicateIdError` instead.
"""

from __future__ import annotations

import getpass
import html
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

import pandas as pd
from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from dealweb.errors import DuplicateIdError, NotFoundError, Problem, ValidationError
from dealweb.ledger import schema
from dealweb.ledger.rows import RECORD_TYPES, TABLES, from_row, to_row
from dealweb.ledger.store import atomic, create_store_engine, migrate, resolve_url
from dealweb.model.codec import COLUMNS, to_cells, to_plain
from dealweb.model.counting import count_deals
from dealweb.model.query import filter_deals
from dealweb.model.records import Deal, Entity, FinancialSnapshot
from dealweb.model.recordset import RecordSet

__all__ = ["Change", "ChangeReport", "Ledger", "next_deal_id"]

R = TypeVar("R", Entity, Deal, FinancialSnapshot)
Record = Entity | Deal | FinancialSnapshot
_TYPES: tuple[type, ...] = (Entity, Deal, FinancialSnapshot)


def _default_author() -> str:
    try:
        return os.environ.get("DEALWEB_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


_VERSION = select(func.max(schema.history.c.seq), func.count()).select_from(schema.history)


def next_deal_id(deals: Iterable[Deal]) -> str:
    """One more than the highest ``D<number>`` id among ``deals``, as ``D001`` (at least three digits).

    >>> next_deal_id([])
    'D001'
    """
    numbers = [int(d.id[1:]) for d in deals if d.id[:1] == "D" and d.id[1:].isdigit()]
    return f"D{max(numbers, default=0) + 1:03d}"


@dataclass(frozen=True)
class Change:
    """One entry of a record's paper trail."""

    seq: int
    record_type: str
    record_id: str
    action: str  # create, update, delete
    changed_at: datetime
    changed_by: str
    reason: str
    changes: dict[str, list[str]]
    previous: dict[str, Any] | None


@dataclass
class ChangeReport:
    """What an import or edit did (or, on a dry run, would do), per record type."""

    added: dict[str, list[str]] = field(default_factory=lambda: {t: [] for t in RECORD_TYPES.values()})
    updated: dict[str, list[str]] = field(default_factory=lambda: {t: [] for t in RECORD_TYPES.values()})
    removed: dict[str, list[str]] = field(default_factory=lambda: {t: [] for t in RECORD_TYPES.values()})
    unchanged: dict[str, int] = field(default_factory=lambda: {t: 0 for t in RECORD_TYPES.values()})
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return any(self.added.values()) or any(self.updated.values()) or any(self.removed.values())

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            t: {"added": len(self.added[t]), "updated": len(self.updated[t]), "removed": len(self.removed[t]),
                "unchanged": self.unchanged[t]}
            for t in RECORD_TYPES.values()
        }

    def to_dict(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "added": self.added, "updated": self.updated, "removed": self.removed,
                "unchanged": self.unchanged}

    def __str__(self) -> str:
        """One line: ``+added ~updated -removed =unchanged`` per record type."""
        verb = "would change" if self.dry_run else "changed"
        plural = {"entity": "entities", "deal": "deals", "financial": "figures"}
        parts = [f"{plural[t]} +{c['added']} ~{c['updated']} -{c['removed']} ={c['unchanged']}"
                 for t, c in self.counts().items()]
        return f"{verb if self.changed else 'no change'}: " + ", ".join(parts)

    def _repr_html_(self) -> str:
        return pd.DataFrame(self.counts()).T.to_html()


class Ledger:
    """A deal ledger in a SQLite file or a PostgreSQL database.

    Use :func:`dealweb.open` to get one; ``Ledger(url)`` opens a database that already
    holds (or may be migrated to) the ledger schema. A SQLite file's folder must exist unless
    ``create_folder=True`` (what ``dealweb init`` does) or it is the embedded default file.

    Examples
    --------
    >>> from dealweb.model import Entity
    >>> ledger = Ledger("sqlite://")
    >>> ledger.apply(RecordSet.of([Entity("openai", "OpenAI", kind="ai_lab")]), reason="example").counts()["entity"]
    {'added': 1, 'updated': 0, 'removed': 0, 'unchanged': 0}
    >>> ledger.entity("openai").name
    'OpenAI'
    """

    def __init__(self, db: str | os.PathLike[str] | None = None, *, engine: Engine | None = None,
                 create_folder: bool = False) -> None:
        self.url = resolve_url(db) if engine is None else engine.url.render_as_string(hide_password=False)
        self.engine = engine if engine is not None else create_store_engine(self.url, create_folder=create_folder)
        self.revision = migrate(self.engine)

    def __repr__(self) -> str:
        return f"Ledger({self.engine.url.render_as_string(hide_password=True)!r})"

    def _repr_html_(self) -> str:
        counts = self.counts()
        url = html.escape(self.engine.url.render_as_string(hide_password=True))
        return (f"<p><b>dealweb ledger</b> <code>{url}</code>: {counts['entity']} entities, "
                f"{counts['deal']} deals, {counts['financial']} figures</p>")

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def atomic(self, *, write: bool = False) -> Iterator[Connection]:
        """A transaction on this ledger's database; see :func:`dealweb.ledger.store.atomic`."""
        with atomic(self.engine, write=write) as conn:
            yield conn

    # ------------------------------------------------------------------ reading

    def _all(self, cls: type[R], conn: Connection | None = None) -> list[R]:
        table = TABLES[cls]
        stmt = select(table).order_by(table.c.id)
        if conn is not None:
            return [from_row(cls, r._mapping) for r in conn.execute(stmt)]
        with self.engine.connect() as c:
            return [from_row(cls, r._mapping) for r in c.execute(stmt)]

    def _one(self, cls: type[R], record_id: str) -> R:
        table = TABLES[cls]
        with self.engine.connect() as conn:
            row = conn.execute(select(table).where(table.c.id == record_id)).first()
        if row is None:
            raise NotFoundError(f"no {RECORD_TYPES[cls]} with id {record_id!r}")
        return from_row(cls, row._mapping)

    def entity(self, entity_id: str) -> Entity:
        """One entity; :class:`~dealweb.errors.NotFoundError` if there is none with this id."""
        return self._one(Entity, entity_id)

    def deal(self, deal_id: str) -> Deal:
        """One deal; :class:`~dealweb.errors.NotFoundError` if there is none with this id."""
        return self._one(Deal, deal_id)

    def records(self) -> RecordSet:
        """Everything in the ledger, exact (Decimal amounts), as a :class:`RecordSet`."""
        with self.engine.connect() as conn:
            return RecordSet.of(self._all(Entity, conn), self._all(Deal, conn), self._all(FinancialSnapshot, conn))

    def version(self) -> tuple[int, int]:
        """The content version: ``(highest history sequence number, history rows)``.

        Every change goes through :meth:`apply`, which appends to the history table, so the pair
        changes whenever the content does (a write by this process or another); one cheap query.
        Caches key on it (the web app's :class:`~dealweb.web.cache.LedgerCache`).
        """
        with self.engine.connect() as conn:
            top, rows = conn.execute(_VERSION).one()
        return int(top or 0), int(rows)

    def next_deal_id(self) -> str:
        """The next free deal id, ``D<number>`` (see :func:`next_deal_id`)."""
        return next_deal_id(self._all(Deal))

    def entity_records(self) -> list[Entity]:
        return self._all(Entity)

    def deal_records(self, **filters: Any) -> list[Deal]:
        """Deals passing :func:`dealweb.model.query.filter_deals` filters, by announced date then id."""
        deals = sorted(self._all(Deal), key=lambda d: (d.announced, d.id))
        return filter_deals(deals, **filters) if filters else deals

    def financial_records(self, entity: str | None = None) -> list[FinancialSnapshot]:
        out = self._all(FinancialSnapshot)
        return [f for f in out if entity in (None, f.entity, f.counterparty)]

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return not conn.execute(select(func.count()).select_from(schema.entities)).scalar_one()

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {RECORD_TYPES[cls]: conn.execute(select(func.count()).select_from(TABLES[cls])).scalar_one()
                    for cls in _TYPES}

    # -------------------------------------------------------------- DataFrames

    def entities(self) -> pd.DataFrame:
        """Entities as a DataFrame, one row per entity."""
        return _frame([to_plain(e) for e in self.entity_records()], Entity)

    def deals(self, **filters: Any) -> pd.DataFrame:
        """Deals as a DataFrame (amounts as float USD), with ``counted_usd``: the part that
        counts in default totals (committed basis) (see :func:`dealweb.model.counting.count_deals`).

        Takes the filters of :func:`dealweb.model.query.filter_deals`.
        """
        all_deals = self.deal_records()
        counting = count_deals(all_deals, entities=self.entity_records())
        chosen = filter_deals(all_deals, **filters) if filters else all_deals
        rows = []
        for d in chosen:
            row = to_plain(d)
            row["counted_usd"] = float(counting.counted[d.id]) if d.id in counting.counted else 0.0
            rows.append(row)
        return _frame(rows, Deal, extra=("counted_usd",))

    def financials(self, entity: str | None = None) -> pd.DataFrame:
        """Financial snapshots as a DataFrame, optionally those about one entity."""
        return _frame([to_plain(f) for f in self.financial_records(entity)], FinancialSnapshot)

    # ------------------------------------------------------------------ writing

    def apply(
        self,
        incoming: RecordSet,
        *,
        mode: Literal["merge", "replace"] = "merge",
        dry_run: bool = False,
        by: str | None = None,
        reason: str = "",
    ) -> ChangeReport:
        """Add or update records, all or nothing.

        ``merge`` adds new ids and updates changed ones, keeping everything else;
        ``replace`` makes the ledger hold exactly ``incoming`` (removals are recorded in
        the history too). The resulting ledger is validated as a whole first; on any
        problem a :class:`~dealweb.errors.ValidationError` is raised and nothing is
        written. With ``dry_run`` the report says what would change and nothing is written.
        """
        return self._apply(incoming, mode=mode, dry_run=dry_run, by=by, reason=reason)

    def add(self, *records: Record, by: str | None = None, reason: str = "", new_ids: bool = False) -> ChangeReport:
        """Add new records, all or nothing; never changes a record that exists.

        An id the ledger already holds raises :class:`~dealweb.errors.DuplicateIdError` (the
        check runs inside the write transaction, so a record another writer adds at the same
        moment counts). With ``new_ids`` every deal gets the next free ``D<number>`` id, taken
        inside the same transaction, whatever id it carried; ``report.added["deal"]`` names them.

        >>> from dealweb.model import Entity
        >>> ledger = Ledger("sqlite://")
        >>> _ = ledger.add(Entity("amd", "AMD"))
        >>> try:
        ...     ledger.add(Entity("amd", "AMD again"))
        ... except DuplicateIdError as exc:
        ...     print(exc.problems[0].rule)
        duplicate_id
        """
        return self._apply(_as_set(records), mode="insert", dry_run=False, by=by, reason=reason, new_ids=new_ids)

    def rebase(self, incoming: RecordSet, *, keep_reason_prefix: str, since_seq: int = 0, dry_run: bool = False,
               by: str | None = None, reason: str = "") -> ChangeReport:
        """Make the ledger hold ``incoming``, except records someone else changed: those stay as they are.

        A record counts as changed by someone else when its history has an entry whose reason does
        not start with ``keep_reason_prefix`` (the reason every load of ``incoming``'s source
        writes, e.g. ``"bundled dataset "``) and whose sequence number is above ``since_seq`` (a
        reset to the source forgets earlier changes). For such a record the ledger's state wins, present or
        deleted; for every other id ``incoming`` wins, so rows dropped upstream go. All or nothing,
        validated as a whole, decided inside the write transaction like :meth:`apply`.

        >>> from dealweb.model import Entity
        >>> ledger = Ledger("sqlite://")
        >>> _ = ledger.apply(RecordSet.of([Entity("a", "A"), Entity("b", "B")], []), reason="feed 1")
        >>> _ = ledger.edit(Entity, "b", name="B (mine)", reason="my fix")
        >>> r = ledger.rebase(RecordSet.of([Entity("a", "A2"), Entity("b", "B2")], []), keep_reason_prefix="feed ")
        >>> r.updated["entity"], ledger.entity("b").name
        (['a'], 'B (mine)')
        """
        return self._apply(incoming, mode="rebase", dry_run=dry_run, by=by, reason=reason,
                           keep_prefix=keep_reason_prefix, since_seq=since_seq)

    def _apply(self, incoming: RecordSet, *, mode: Literal["merge", "replace", "insert", "rebase"], dry_run: bool,
               by: str | None, reason: str, new_ids: bool = False, keep_prefix: str = "",
               since_seq: int = 0) -> ChangeReport:
        by = by or _default_author()
        with self.atomic(write=not dry_run) as conn:
            current: dict[type, dict[str, Any]] = {cls: {r.id: r for r in self._all(cls, conn)} for cls in _TYPES}
            if new_ids:
                incoming = _with_new_ids(incoming, current[Deal].values())
            _refuse_repeats(incoming)
            if mode == "insert":
                _refuse_taken(incoming, current)
            fresh = mode in ("replace", "rebase")
            new: dict[type, dict[str, Any]] = {cls: {} if fresh else dict(current[cls]) for cls in _TYPES}
            for cls, records in ((Entity, incoming.entities), (Deal, incoming.deals),
                                 (FinancialSnapshot, incoming.financials)):
                for r in records:
                    new[cls][r.id] = r
            if mode == "rebase":
                for kind, ids in _changed_by_others(conn, keep_prefix, since_seq).items():
                    for record_id in ids:
                        if record_id in current[kind]:
                            new[kind][record_id] = current[kind][record_id]
                        else:
                            new[kind].pop(record_id, None)
            after = RecordSet.of(new[Entity].values(), new[Deal].values(), new[FinancialSnapshot].values())
            problems = after.problems()
            if problems:
                raise ValidationError(problems)
            report = _diff(current, new)
            report.dry_run = dry_run
            if not dry_run and report.changed:
                self._write(conn, current, new, report, by=by, reason=reason)
        return report

    def edit(self, cls: type[R], record_id: str, *, by: str | None = None, reason: str = "", **changes: Any) -> R:
        """Change fields of one record, keeping its previous version in the history.

        >>> from dealweb.model import Entity
        >>> ledger = Ledger("sqlite://")
        >>> _ = ledger.add(Entity("amd", "AMD"))
        >>> ledger.edit(Entity, "amd", notes="GPU maker", reason="fill in").notes
        'GPU maker'
        >>> [c.action for c in ledger.history("entity", "amd")]
        ['create', 'update']
        """
        unknown = set(changes) - set(cls.field_names())
        if unknown or "id" in changes:
            raise ValueError(f"cannot change {sorted(unknown | ({'id'} & set(changes)))} of a {RECORD_TYPES[cls]}")
        try:
            edited = self._one(cls, record_id).evolve(**changes)
        except (ValueError, TypeError) as exc:
            raise ValidationError([Problem(f"{RECORD_TYPES[cls]} {record_id}", "", "bad_value", str(exc))]) from None
        self.apply(_as_set([edited]), by=by, reason=reason)
        return edited

    def history(self, record_type: str | None = None, record_id: str | None = None) -> list[Change]:
        """The paper trail, oldest first, optionally for one record."""
        h = schema.history
        stmt = select(h).order_by(h.c.seq)
        if record_type is not None:
            stmt = stmt.where(h.c.record_type == record_type)
        if record_id is not None:
            stmt = stmt.where(h.c.record_id == record_id)
        with self.engine.connect() as conn:
            return [Change(**dict(r._mapping)) for r in conn.execute(stmt)]

    def _write(self, conn: Connection, current: dict[type, dict[str, Any]], new: dict[type, dict[str, Any]],
               report: ChangeReport, *, by: str, reason: str) -> None:
        now = datetime.now(UTC)
        trail: list[dict[str, Any]] = []
        # Removals go deals-first (they reference entities); additions entities-first.
        for cls in reversed(_TYPES):
            name, table = RECORD_TYPES[cls], TABLES[cls]
            for rid in report.removed[name]:
                conn.execute(delete(table).where(table.c.id == rid))
                trail.append(_trail(name, rid, "delete", now, by, reason, current[cls][rid], None))
        for cls in _TYPES:
            name, table = RECORD_TYPES[cls], TABLES[cls]
            added = [new[cls][rid] for rid in report.added[name]]
            if added:
                conn.execute(insert(table), [to_row(r) for r in added])
            for rid in report.updated[name]:
                conn.execute(update(table).where(table.c.id == rid).values(to_row(new[cls][rid])))
                trail.append(_trail(name, rid, "update", now, by, reason, current[cls][rid], new[cls][rid]))
            trail += [_trail(name, r.id, "create", now, by, reason, None, r) for r in added]
        if trail:
            conn.execute(insert(schema.history), trail)


def _refuse_repeats(incoming: RecordSet) -> None:
    # Two incoming records with one id would otherwise collapse into one, silently.
    problems = [p for p in incoming.problems() if p.rule == "duplicate_id"]
    if problems:
        raise ValidationError(problems)


def _refuse_taken(incoming: RecordSet, current: dict[type, dict[str, Any]]) -> None:
    every: list[Record] = [*incoming.entities, *incoming.deals, *incoming.financials]
    clashes = [Problem(f"{RECORD_TYPES[type(r)]} {r.id}", "id", "duplicate_id",
                       f"the id {r.id!r} is already in the ledger; edit it instead")
               for r in every if r.id in current[type(r)]]
    if clashes:
        raise DuplicateIdError(clashes)


def _with_new_ids(incoming: RecordSet, taken: Iterable[Deal]) -> RecordSet:
    first = int(next_deal_id(taken)[1:])
    deals = [d.evolve(id=f"D{first + i:03d}") for i, d in enumerate(incoming.deals)]
    return RecordSet.of(incoming.entities, deals, incoming.financials)


def _as_set(records: Iterable[Record]) -> RecordSet:
    records = list(records)
    return RecordSet.of([r for r in records if isinstance(r, Entity)], [r for r in records if isinstance(r, Deal)],
                        [r for r in records if isinstance(r, FinancialSnapshot)])


def _diff(current: dict[type, dict[str, Any]], new: dict[type, dict[str, Any]]) -> ChangeReport:
    report = ChangeReport()
    for cls in _TYPES:
        name = RECORD_TYPES[cls]
        old, now = current[cls], new[cls]
        report.added[name] = sorted(set(now) - set(old))
        report.removed[name] = sorted(set(old) - set(now))
        both = set(now) & set(old)
        report.updated[name] = sorted(i for i in both if now[i] != old[i])
        report.unchanged[name] = len(both) - len(report.updated[name])
    return report


def _changed_by_others(conn: Connection, prefix: str, since_seq: int) -> dict[type, set[str]]:
    """Ids per record type with a history entry after ``since_seq`` whose reason does not start with ``prefix``."""
    h = schema.history
    stmt = (select(h.c.record_type, h.c.record_id)
            .where(~h.c.reason.startswith(prefix, autoescape=True), h.c.seq > since_seq).distinct())
    by_name = {name: cls for cls, name in RECORD_TYPES.items()}
    out: dict[type, set[str]] = {cls: set() for cls in _TYPES}
    for record_type, record_id in conn.execute(stmt):
        if record_type in by_name:
            out[by_name[record_type]].add(record_id)
    return out


def _trail(record_type: str, record_id: str, action: str, now: datetime, by: str, reason: str,
           before: Record | None, after: Record | None) -> dict[str, Any]:
    old = to_cells(before) if before is not None else {}
    new = to_cells(after) if after is not None else {}
    changes = {k: [old.get(k, ""), new.get(k, "")] for k in (new or old) if old.get(k, "") != new.get(k, "")}
    return {"record_type": record_type, "record_id": record_id, "action": action, "changed_at": now,
            "changed_by": by, "reason": reason, "changes": changes,
            "previous": to_plain(before) if before is not None else None}


def _frame(rows: Sequence[dict[str, Any]], cls: type, extra: Sequence[str] = ()) -> pd.DataFrame:
    columns = [*COLUMNS[cls], *extra]
    frame = pd.DataFrame(list(rows), columns=columns)
    for col in ("amount_usd", "amount_original", "low_usd", "high_usd", "stake_pct", "horizon_years", "value"):
        if col in frame:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    return frame
