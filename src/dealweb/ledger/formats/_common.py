"""Helpers every format shares: safe writes, exact JSON and a collector of problems.

* :func:`atomic_write` / :func:`write_text` never leave a half-written file: they write
  to a temporary file in the target's directory and :func:`os.replace` it into place.
* :func:`exact_plain` and :func:`dumps_exact` keep money exact in JSON: a
  :class:`~decimal.Decimal` is written as the JSON number with the digits the codec's
  cells give, never through a float.
* :class:`Collector` turns input rows into a validated :class:`~dealweb.model.RecordSet`,
  reports *every* problem (bad fields, rules, cross-record rules) and names each by the
  place in the file (``"deals.csv row 7"``) rather than by record id.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence, Set
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from dealweb.errors import FormatError, Problem, ValidationError
from dealweb.model.codec import Record, from_mapping, to_cells, to_plain
from dealweb.model.records import Deal, Entity, FinancialSnapshot
from dealweb.model.recordset import RecordSet

__all__ = [
    "NOUNS",
    "Collector",
    "atomic_write",
    "dumps_exact",
    "exact_plain",
    "format_error",
    "single_path",
    "write_text",
]

#: The word :mod:`dealweb.model.rules` puts before a record id in ``Problem.where``.
NOUNS: dict[type, str] = {Entity: "entity", Deal: "deal", FinancialSnapshot: "financial"}
_REFERENCE_RULES = {"unknown_entity": "entity", "unknown_deal": "deal"}
# Valid values put in place of unreadable required fields, so that a row's other rules are
# still checked; no rule reads these fields except the qualifier's amount rules, dropped then.
# (An entity's only such field, kind, has a default and needs none.)
_STAND_INS: dict[type, dict[str, str]] = {
    Entity: {},
    Deal: {"announced": "1900", "kind": "debt", "qualifier": "estimate"},
    FinancialSnapshot: {"as_of": "1900", "metric": "other"},
}
_DEPENDENT_RULES = {"qualifier": ("missing_amount", "undisclosed_amount")}


def format_error(where: str, rule: str, message: str, field: str = "") -> FormatError:
    """A :class:`~dealweb.errors.FormatError` holding one problem."""
    return FormatError([Problem(where, field, rule, message)])


def single_path(paths: Sequence[Path], name: str) -> Path:
    """The one file a single-file format reads; a clear error for zero or several."""
    if len(paths) != 1:
        raise format_error(", ".join(p.name for p in paths) or "(no file)", "files",
                           f"the {name} format reads exactly one file, got {len(paths)}")
    path = paths[0]
    if not path.is_file():
        raise format_error(path.name, "not_found", f"no such file: {path}")
    return path


# ---------------------------------------------------------------- safe writing

@contextmanager
def atomic_write(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it into place only on success.

    The temporary file is in the same directory so :func:`os.replace` is atomic; on an
    exception it is removed and ``path`` is left as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        yield tmp
        with open(tmp, "rb") as fh:  # flush to disk before the rename makes it visible
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> Path:
    """Write UTF-8 text to ``path`` atomically and return ``path``."""
    with atomic_write(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="")
    return path


# ---------------------------------------------------------------- exact JSON

class _Number:
    """A JSON number given as its exact text."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def exact_plain(record: Record) -> dict[str, Any]:
    """:func:`~dealweb.model.codec.to_plain`, but with Decimal fields kept exact.

    ``to_plain`` turns a fractional Decimal into a float, which loses digits; here such
    fields carry the codec's cell text and :func:`dumps_exact` writes it as a number.
    """
    plain = to_plain(record)
    cells = to_cells(record)
    for name in plain:
        if isinstance(getattr(record, name), Decimal):
            plain[name] = _Number(cells[name])
    return plain


def dumps_exact(data: Any, *, indent: int | None = None) -> str:
    """``json.dumps`` that writes :class:`~decimal.Decimal` (and :func:`exact_plain`
    numbers) as exact JSON numbers; compact unless ``indent`` is given.

    >>> dumps_exact({"a": Decimal("12345678901234567890.125")})
    '{"a":12345678901234567890.125}'
    """
    numbers: list[str] = []
    token = f"dealweb-number-{secrets.token_hex(8)}-"

    def default(value: Any) -> str:
        if isinstance(value, Decimal):
            value = _Number(format(value, "f"))
        if isinstance(value, _Number):
            numbers.append(value.text)
            return f"{token}{len(numbers) - 1}"
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")

    separators = (",", ": ") if indent is not None else (",", ":")
    text = json.dumps(data, default=default, ensure_ascii=False, indent=indent, separators=separators)
    return re.sub(f'"{token}(\\d+)"', lambda m: numbers[int(m.group(1))], text)


# ---------------------------------------------------------------- collecting records

class Collector:
    """Reads records one input row at a time and reports every problem at its place.

    ``add`` parses a row with :func:`~dealweb.model.codec.from_mapping`. A row with bad
    fields is parsed again without them (required dates, kinds and qualifiers get a
    stand-in value), so the rules that do not depend on those fields (negative amount,
    same party, unknown entity…) are still checked and reported in the same run.

    :meth:`record_set` runs :meth:`RecordSet.validate <dealweb.model.RecordSet.validate>`
    and renames each problem's ``"deal D7"`` to the row it came from; references to rows
    that could not be read at all are not reported twice.
    """

    def __init__(self) -> None:
        self._records: dict[type, list[Record]] = {Entity: [], Deal: [], FinancialSnapshot: []}
        self._places: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._order: dict[str, int] = {}
        self._problems: list[Problem] = []
        self._unreadable: dict[str, set[str]] = defaultdict(set)
        self._blanked: dict[tuple[str, str], tuple[set[str], set[str]]] = {}  # fields, rules

    def _seen(self, where: str) -> None:
        self._order.setdefault(where, len(self._order))

    def problem(self, where: str, field: str, rule: str, message: str) -> None:
        """Report a problem the codec cannot see (a malformed row, a foreign column)."""
        self._seen(where)
        self._problems.append(Problem(where, field, rule, message))

    def add(self, cls: type[Record], data: Mapping[str, Any], where: str, *, reported: Set[str] = frozenset()) -> None:
        """Parse one row into a record of ``cls``.

        ``reported`` names fields whose problems the caller has already reported in its
        own words (a foreign table without a ``kind`` column): the codec's and the
        rules' problems about them are dropped.
        """
        self._seen(where)
        noun = NOUNS[cls]
        record, problems = from_mapping(cls, data, where)  # type: ignore[type-var]
        bad = set(reported)
        if record is None:
            self._problems += [p for p in problems if p.field not in reported]
            bad |= {p.field for p in problems}
            retry = {k: v for k, v in data.items() if k not in bad}
            retry.update({k: v for k, v in _STAND_INS[cls].items() if k in bad})
            record, _ = from_mapping(cls, retry, where)  # type: ignore[type-var]
            if record is None:
                raw_id = data.get("id")
                if isinstance(raw_id, str) and raw_id.strip():
                    self._unreadable[noun].add(raw_id.strip())
                return
        if bad:
            self._blanked[(noun, record.id)] = (bad, {r for f in bad for r in _DEPENDENT_RULES.get(f, ())})
        self._records[cls].append(record)
        self._places[(noun, record.id)].append(where)

    def _locate(self, problem: Problem) -> tuple[int, Problem] | None:
        """The problem named by its row, with a sort key; ``None`` to drop it."""
        noun, _, rid = problem.where.partition(" ")
        places = self._places.get((noun, rid))
        if not places:
            return len(self._order), problem
        fields, rules = self._blanked.get((noun, rid), (set(), set()))
        if problem.field in fields or problem.rule in rules:
            return None  # follows from a field already reported as unreadable
        target = _REFERENCE_RULES.get(problem.rule)
        if target and any(problem.message.startswith(f"{ref!r} ") for ref in self._unreadable[target]):
            return None  # the referenced row exists but could not be read
        where = ", ".join(places)
        return self._order[places[0]], Problem(where, problem.field, problem.rule, problem.message)

    def record_set(self, context: RecordSet | None = None) -> RecordSet:
        """The validated record set, or :class:`~dealweb.errors.ValidationError` with
        every problem in file order.

        With a ``context`` (the records already in a ledger), cross-record rules are
        checked on the context with these records merged in (same id: these win), so a
        file of deals may refer to entities the ledger already holds.
        """
        records = RecordSet.of(
            self._records[Entity], self._records[Deal], self._records[FinancialSnapshot]  # type: ignore[arg-type]
        )
        checked = records if context is None else _merged(context, records)
        found = [(self._order[p.where], p) for p in self._problems]
        found += [located for p in checked.problems() if (located := self._locate(p)) is not None]
        if found:
            found.sort(key=lambda pair: pair[0])  # stable: within a row, fields before rules
            raise ValidationError([p for _, p in found])
        return records


def _merged(base: RecordSet, incoming: RecordSet) -> RecordSet:
    """``base`` with ``incoming`` added, records of the same id replaced."""
    def merge(old: Sequence[Any], new: Sequence[Any]) -> list[Any]:
        by_id = {r.id: r for r in old}
        by_id.update({r.id: r for r in new})
        return list(by_id.values())

    return RecordSet.of(merge(base.entities, incoming.entities), merge(base.deals, incoming.deals),
                        merge(base.financials, incoming.financials))
