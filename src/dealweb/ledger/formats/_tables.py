"""Tables (CSV files, spreadsheet sheets) to records, with the columns other tools use.

Our own columns are :data:`~dealweb.model.codec.ENTITY_COLUMNS`,
:data:`~dealweb.model.codec.DEAL_COLUMNS` and
:data:`~dealweb.model.codec.FINANCIAL_COLUMNS`. Column names are matched without regard
to case, and a table may instead use the node/edge columns of Gephi, Kumu or Flourish.
A foreign column is used only when our own column is absent:

================ ======================================== ===========================
our field        Gephi / Kumu / Flourish column           note
================ ======================================== ===========================
entity ``name``  ``Label`` (Gephi nodes, Kumu elements)
entity ``kind``  ``Type`` (Kumu), ``group`` (Flourish)    only values that are entity kinds
entity ``notes`` ``Description`` (Kumu)
deal ``payer``   ``Source`` (Gephi, Flourish), ``From`` (Kumu)
deal ``recipient`` ``Target`` (Gephi, Flourish), ``To`` (Kumu)
``amount_usd``   ``Weight`` (Gephi), ``Strength`` (Kumu), ``value`` (Flourish)
deal ``kind``    ``Type`` (Gephi, Kumu)                   only deal kinds; Gephi's
                                                          ``Directed`` is ignored
``description``  ``Label`` (Gephi edges)
``announced``,   ``Time Interval`` (Gephi) ``<[a, b]>``   ``a`` → announced, ``b`` → end
``end``
================ ======================================== ===========================

In a table that uses foreign columns, a deal ``payer``/``recipient`` that is no entity
id but the name of exactly one entity is read as that entity (Kumu links elements by
label). Nothing is invented: a foreign table that lacks fields we need (a deal's id,
kind, qualifier, date and sources) fails with one ``needs_columns`` problem per row that
names them. A table in our own columns that lacks a required column is rejected as a
whole with a :class:`~dealweb.errors.FormatError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from dealweb.ledger.formats._common import Collector, format_error
from dealweb.model.codec import DEAL_COLUMNS, ENTITY_COLUMNS, FINANCIAL_COLUMNS
from dealweb.model.records import Deal, Entity, FinancialSnapshot
from dealweb.model.recordset import RecordSet
from dealweb.model.vocab import DealKind, EntityKind

__all__ = ["COLUMNS", "ROLES", "ROLE_NAMES", "Table", "read_tables", "role_of"]

ROLES = ("entities", "deals", "financials")
COLUMNS: dict[str, tuple[str, ...]] = {
    "entities": ENTITY_COLUMNS, "deals": DEAL_COLUMNS, "financials": FINANCIAL_COLUMNS,
}
_CLASSES: dict[str, type[Entity | Deal | FinancialSnapshot]] = {
    "entities": Entity, "deals": Deal, "financials": FinancialSnapshot,
}
_NOUN = {"entities": "entity", "deals": "deal", "financials": "financial snapshot"}
#: Columns a table in our own format must have; the others have defaults or may be empty.
REQUIRED: dict[str, tuple[str, ...]] = {
    "entities": ("id", "name"),
    "deals": ("id", "announced", "kind", "payer", "recipient", "qualifier", "sources"),
    "financials": ("id", "entity", "as_of", "metric", "sources"),
}
#: File stems and sheet names (lower case) that say which table a file holds.
ROLE_NAMES: dict[str, tuple[str, ...]] = {
    "entities": ("entities", "nodes", "elements", "points"),
    "deals": ("deals", "edges", "connections", "links"),
    "financials": ("financials",),
}
_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "entities": {"name": ("label",), "kind": ("type", "group"), "notes": ("description",)},
    "deals": {
        "payer": ("source", "from"), "recipient": ("target", "to"),
        "amount_usd": ("weight", "strength", "value"), "kind": ("type",), "description": ("label",),
    },
    "financials": {},
}
_VOCABULARY: dict[tuple[str, str], type[StrEnum]] = {("entities", "kind"): EntityKind, ("deals", "kind"): DealKind}
_INTERVAL = "time interval"
_INTERVAL_RE = re.compile(r"^<?\[\s*([^,\[\]]*?)\s*,\s*([^,\[\]]*?)\s*\]>?$")
_OPEN_END = {"", "inf", "-inf", "infinity", "-infinity"}


@dataclass
class Table:
    """One table as read from a file: a label for messages, a header and numbered rows.

    ``rows`` yields ``(row number as a spreadsheet shows it, cells)``; problems are
    named ``f"{label} row {n}"``.
    """

    label: str
    header: Sequence[Any]
    rows: Iterable[tuple[int, Sequence[Any]]]


@dataclass
class _Plan:
    role: str
    columns: dict[str, int]
    filtered: dict[str, type[StrEnum]] = field(default_factory=dict)
    interval: tuple[int, str] | None = None
    lacking: tuple[str, ...] = ()
    foreign: bool = False


def _norm(name: Any) -> str:
    return str(name or "").strip().lstrip("\ufeff").strip().lower()


def role_of(name: str, header: Sequence[Any]) -> str:
    """Which table a file holds: by its name, else by its columns."""
    stem = name.lower()
    for role, names in ROLE_NAMES.items():
        if stem in names:
            return role
    cols = {_norm(h) for h in header}
    if cols & {"payer", "recipient", "source", "target", "from", "to"}:
        return "deals"
    if cols & {"metric", "as_of"}:
        return "financials"
    return "entities"


def _plan(role: str, table: Table) -> _Plan:
    seen: dict[str, int] = {}
    for i, raw in enumerate(table.header):
        name = _norm(raw)
        if not name:
            continue
        if name in seen:
            raise format_error(table.label, "duplicate_column",
                               f"has the column {name!r} twice (columns {seen[name] + 1} and {i + 1})")
        seen[name] = i
    plan = _Plan(role, {f: seen[f] for f in COLUMNS[role] if f in seen})
    for ours, aliases in _ALIASES[role].items():
        alias = next((a for a in aliases if a in seen), None)
        if ours in plan.columns or alias is None:
            continue
        plan.columns[ours] = seen[alias]
        plan.foreign = True
        if (role, ours) in _VOCABULARY:
            plan.filtered[ours] = _VOCABULARY[(role, ours)]
    if role == "deals" and "announced" not in plan.columns and _INTERVAL in seen:
        plan.interval = (seen[_INTERVAL], str(table.header[seen[_INTERVAL]]).strip())
        plan.foreign = True
    missing = [f for f in REQUIRED[role] if f not in plan.columns and not (f == "announced" and plan.interval)]
    if missing and not plan.foreign:
        s = "s" if len(missing) > 1 else ""
        raise format_error(table.label, "missing_column",
                           f"is missing the required column{s} {', '.join(repr(m) for m in missing)}")
    plan.lacking = tuple(missing)
    return plan


@dataclass
class _Row:
    cls: type[Entity | Deal | FinancialSnapshot]
    data: dict[str, Any]
    where: str
    foreign: bool
    suppress: set[str]


def _cell(cells: Sequence[Any], i: int) -> Any:
    return cells[i] if i < len(cells) else None


def _read_row(plan: _Plan, cells: Sequence[Any], where: str, ncols: int, out: Collector) -> _Row:
    data: dict[str, Any] = {}
    notes: list[str] = []
    for ours, i in plan.columns.items():
        value = _cell(cells, i)
        vocabulary = plan.filtered.get(ours)
        text = str(value).strip() if value is not None else ""
        if vocabulary is not None and text and text.lower() not in {m.value for m in vocabulary}:
            if ours in REQUIRED[plan.role]:
                notes.append(f"{text!r} is not a {_NOUN[plan.role]} {ours}")
            value = None
        data[ours] = value
    lacking = set(plan.lacking)
    lacking.update(f for f in plan.filtered if f in REQUIRED[plan.role] and not str(data.get(f) or "").strip())
    suppress = set(lacking)
    if lacking:
        names = [c for c in COLUMNS[plan.role] if c in lacking]
        one = len(names) == 1
        message = (f"lacks {', '.join(names)}, which dealweb needs for every {_NOUN[plan.role]}; "
                   f"add {'a column' if one else 'columns'} with {'that name' if one else 'those names'}")
        out.problem(where, "", "needs_columns", message + "".join(f" ({n})" for n in notes))
    if plan.interval is not None and not _read_interval(plan, _cell(cells, plan.interval[0]), data, where, out):
        suppress.add("announced")
    filled = [i for i, v in enumerate(cells) if v is not None and str(v).strip()]
    if filled and filled[-1] >= ncols:
        out.problem(where, "", "extra_cells",
                    f"has a value in column {filled[-1] + 1} but the header has only {ncols} columns")
    return _Row(_CLASSES[plan.role], data, where, plan.foreign, suppress)


def _read_interval(plan: _Plan, value: Any, data: dict[str, Any], where: str, out: Collector) -> bool:
    """Split a Gephi ``<[start, end]>`` cell into announced and end; ``False`` if malformed."""
    text = str(value if value is not None else "").strip()
    if not text:
        return True
    m = _INTERVAL_RE.match(text)
    if m is None:
        assert plan.interval is not None
        out.problem(where, plan.interval[1], "date",
                    f"{text!r} is not a Gephi time interval such as <[2025-09-22, 2030-12-31]>")
        return False
    start, end = m.groups()
    if start.lower() not in _OPEN_END:
        data["announced"] = start
    if end.lower() not in _OPEN_END and "end" not in plan.columns:
        data["end"] = end
    return True


def _resolve_labels(rows: list[_Row]) -> None:
    """In foreign deal rows, read a party given by entity name as that entity's id."""
    ids = {str(r.data.get("id") or "").strip() for r in rows if r.cls is Entity}
    by_name: dict[str, list[str]] = {}
    for r in rows:
        if r.cls is Entity:
            by_name.setdefault(str(r.data.get("name") or "").strip(), []).append(str(r.data.get("id") or "").strip())
    for r in rows:
        if r.cls is Deal and r.foreign:
            for party in ("payer", "recipient"):
                value = str(r.data.get(party) or "").strip()
                if value and value not in ids and len(by_name.get(value, [])) == 1:
                    r.data[party] = by_name[value][0]


def read_tables(tables: Sequence[tuple[str, Table]], context: RecordSet | None = None) -> RecordSet:
    """Read ``(role, table)`` pairs into one validated :class:`RecordSet`.

    Raises :class:`~dealweb.errors.FormatError` for a table that cannot be read at all
    and :class:`~dealweb.errors.ValidationError` listing every problem of its rows.
    """
    out = Collector()
    rows: list[_Row] = []
    for role, table in sorted(tables, key=lambda pair: ROLES.index(pair[0])):
        plan = _plan(role, table)
        ncols = len(table.header)
        for number, cells in table.rows:
            if any(c is not None and str(c).strip() for c in cells):
                rows.append(_read_row(plan, cells, f"{table.label} row {number}", ncols, out))
    _resolve_labels(rows)
    for r in rows:
        out.add(r.cls, r.data, r.where, reported=r.suppress)
    return out.record_set(context)
