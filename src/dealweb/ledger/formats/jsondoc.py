"""JSON: one document holding the whole record set.

The shape::

    {"format": "dealweb", "version": 1,
     "entities": [...], "deals": [...], "financials": [...]}

Each record is :func:`~dealweb.model.codec.to_plain`'s mapping, except that amounts are
written as exact JSON numbers (``0.125``, ``12345678901234567890``) rather than through
a float, and read back with ``parse_float=Decimal``, so no digit is lost. Reading also
accepts records in cell form (every value a string), since the codec reads both. Keys
the codec does not know are ignored. Problems are named ``"deals.json deals[3]"``
(0-based, as in ``jq``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dealweb.ledger.formats._common import Collector, dumps_exact, exact_plain, format_error, single_path, write_text
from dealweb.ledger.formats.limits import load_json, read_text
from dealweb.model.records import Deal, Entity, FinancialSnapshot
from dealweb.model.recordset import RecordSet

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "read_json", "write_json"]

FORMAT_NAME = "dealweb"
FORMAT_VERSION = 1
_SECTIONS: tuple[tuple[str, type[Entity | Deal | FinancialSnapshot]], ...] = (
    ("entities", Entity), ("deals", Deal), ("financials", FinancialSnapshot),
)


def write_json(records: RecordSet, path: Path) -> list[Path]:
    """Write ``records`` as one JSON document at ``path``, atomically."""
    doc: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
    for section, _ in _SECTIONS:
        doc[section] = [exact_plain(r) for r in getattr(records, section)]
    return [write_text(path, dumps_exact(doc, indent=2) + "\n")]


def read_json(paths: Sequence[Path], context: RecordSet | None = None) -> RecordSet:
    """Read one dealweb JSON document into a validated :class:`RecordSet`.

    Raises
    ------
    FormatError
        The file is not UTF-8 JSON (the problem names line and column), or not a dealweb
        document of a version this code reads.
    ValidationError
        Records break field or ledger rules; every problem is listed.
    """
    path = single_path(paths, "json")
    doc = load_json(read_text(path), path.name)  # bounded: size, depth, no repeated keys (.limits)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise format_error(path.name, "json", f'is not a dealweb document: it needs "format": "{FORMAT_NAME}"')
    if doc.get("version") != FORMAT_VERSION:
        raise format_error(path.name, "version",
                           f"has version {doc.get('version')!r}; this dealweb reads version {FORMAT_VERSION}")
    out = Collector()
    for section, cls in _SECTIONS:
        items = doc.get(section, [])
        if not isinstance(items, list):
            raise format_error(path.name, "json", f'"{section}" is {type(items).__name__}, not a list', field=section)
        for i, item in enumerate(items):
            where = f"{path.name} {section}[{i}]"
            if isinstance(item, dict):
                out.add(cls, item, where)
            else:
                out.problem(where, "", "json", f"is {type(item).__name__}, not an object")
    return out.record_set(context)
