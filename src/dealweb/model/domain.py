"""The value domain: what any field of any record may hold, whichever door it came in by.

These checks run inside :func:`dealweb.model.rules.check_entity` (and ``check_deal``,
``check_financial``), so every importer, the CLI, the web API and ``dealweb validate``
refuse the same values with the same message. A record inside this domain can be
stored on SQLite and PostgreSQL, counted, projected to floats, exported in every format
and read back unchanged (a Hypothesis test walks the whole domain).

The limits (also in ``docs/limits.md``):

==================== ============================================================
numbers              finite; 0 ≤ amount ≤ :data:`MAX_AMOUNT` (10¹⁵ USD, a thousand
                     times any company's value); at most :data:`MAX_DECIMAL_PLACES`
                     digits after the point (a millionth of a dollar)
``stake_pct``        0–100 (a percent)
``horizon_years``    above 0 and at most :data:`MAX_HORIZON_YEARS`
text                 no NUL or other control characters (tab and line breaks only in
                     ``description`` and ``notes``), no unpaired surrogates; lengths
                     within :data:`MAX_LENGTH` (the PostgreSQL columns' sizes or less)
lists                at most :data:`MAX_ITEMS` aliases, supersedes or sources
==================== ============================================================

The checks walk a record's fields by their values (numbers, text, tuples, sources, nested
dataclasses), so a field added later is covered without a change here.

Rule names: ``not_finite``, ``amount_range``, ``precision``, ``horizon``,
``control_character``, ``too_long``, ``too_many``.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from decimal import Decimal
from enum import Enum
from typing import Any

from dealweb.errors import Problem

__all__ = [
    "DEFAULT_MAX_LENGTH",
    "MAX_AMOUNT",
    "MAX_DECIMAL_PLACES",
    "MAX_HORIZON_YEARS",
    "MAX_ITEMS",
    "MAX_LENGTH",
    "MULTILINE_FIELDS",
    "check_number",
    "check_text",
    "check_values",
]

#: The largest amount any field may hold, in USD (one quadrillion).
MAX_AMOUNT = Decimal("1e15")
#: Digits allowed after the decimal point (amounts to a millionth of a dollar; percents likewise).
MAX_DECIMAL_PLACES = 6
#: The longest horizon a deal may run, in years.
MAX_HORIZON_YEARS = Decimal(100)
#: At most this many items in a list field (aliases, supersedes, sources).
MAX_ITEMS = 100
#: Longest text per field, in characters. Ids and codes match the PostgreSQL column sizes
#: (``dealweb.ledger.schema``; a test pins that every column is at least this wide).
MAX_LENGTH: dict[str, int] = {
    "id": 80, "payer": 80, "recipient": 80, "entity": 80, "counterparty": 80, "parent": 80, "part_of": 80,
    "supersedes": 80, "ticker": 32, "country": 2, "currency": 3,
    "name": 500, "aliases": 500, "outlet": 500, "title": 1_000, "url": 2_000,
    "description": 20_000, "notes": 20_000,
}
#: Longest text of any other field.
DEFAULT_MAX_LENGTH = 1_000
#: Fields that may hold tabs and line breaks.
MULTILINE_FIELDS = frozenset({"description", "notes"})

_PERCENT_FIELDS = frozenset({"stake_pct"})
# Their own rules (bad_id, country, currency in dealweb.model.rules) bound their length already.
_FORMAT_CHECKED = frozenset({"id", "country", "currency"})
_LINE_BREAKS = frozenset("\t\n")  # not a bare CR: CSV readers turn it into a line break
_QUANTUM = Decimal(1).scaleb(-MAX_DECIMAL_PLACES)


def check_number(where: str, name: str, value: Decimal, out: list[Problem]) -> None:
    """Problems of one number field: finite, within range, not too fine.

    >>> out: list[Problem] = []
    >>> check_number("deal D1", "amount_usd", Decimal("1e400"), out)
    >>> print(out[0])
    deal D1, amount_usd: 1e+400 is above the largest amount dealweb accepts, 1E+15 USD [amount_range]
    """
    if not value.is_finite():
        out.append(Problem(where, name, "not_finite", f"{value} is not a finite number"))
        return
    if name == "horizon_years":
        if value > MAX_HORIZON_YEARS:
            out.append(Problem(where, name, "horizon", f"{value} years is longer than {MAX_HORIZON_YEARS} years"))
    elif name in _PERCENT_FIELDS:
        pass  # 0–100: the stake_range rule of dealweb.model.rules says so
    elif value > MAX_AMOUNT:
        out.append(Problem(where, name, "amount_range",
                           f"{value:.4g} is above the largest amount dealweb accepts, {MAX_AMOUNT:.0E} USD"))
        return
    if value.as_tuple().exponent < -MAX_DECIMAL_PLACES and value != value.quantize(_QUANTUM):  # type: ignore[operator]
        out.append(Problem(where, name, "precision",
                           f"{value} has more than {MAX_DECIMAL_PLACES} digits after the decimal point"))


def _bad_character(text: str, multiline: bool) -> str | None:
    for ch in text:
        if multiline and ch in _LINE_BREAKS:
            continue
        category = unicodedata.category(ch)
        if category == "Cc":
            return f"the control character U+{ord(ch):04X}"
        if category == "Cs":
            return f"an unpaired surrogate U+{ord(ch):04X}"
    return None


def check_text(where: str, name: str, text: str, out: list[Problem], *, limit_key: str | None = None) -> None:
    """Problems of one text value: control characters and length.

    >>> out: list[Problem] = []
    >>> check_text("entity x", "name", "Evil\\x1b[31m", out)
    >>> out[0].rule
    'control_character'
    """
    bad = _bad_character(text, name in MULTILINE_FIELDS)
    if bad:
        out.append(Problem(where, name, "control_character",
                           f"contains {bad}; text may not hold NUL, escape or other control characters"
                           + ("" if name in MULTILINE_FIELDS else " (nor tabs or line breaks in this field)")))
    key = limit_key or name
    limit = MAX_LENGTH.get(key, DEFAULT_MAX_LENGTH)
    if len(text) > limit and key not in _FORMAT_CHECKED:
        out.append(Problem(where, name, "too_long", f"is {len(text)} characters long; at most {limit}"))


def _walk(where: str, name: str, value: Any, out: list[Problem]) -> None:
    if value is None or isinstance(value, (bool, Enum, int)):
        return
    if isinstance(value, Decimal):
        check_number(where, name, value, out)
    elif isinstance(value, str):
        check_text(where, name, value, out)
    elif isinstance(value, (tuple, list)):
        if len(value) > MAX_ITEMS:
            out.append(Problem(where, name, "too_many", f"holds {len(value)} items; at most {MAX_ITEMS}"))
        for item in value[:MAX_ITEMS]:
            _walk(where, name, item, out)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            part = getattr(value, f.name)
            if isinstance(part, str):
                check_text(where, name, part, out, limit_key=f.name)
            else:
                _walk(where, name, part, out)


def check_values(record: Any, where: str) -> list[Problem]:
    """Every domain problem of one record's fields (see the module docstring)."""
    out: list[Problem] = []
    for f in dataclasses.fields(record):
        _walk(where, f.name, getattr(record, f.name), out)
    return out
