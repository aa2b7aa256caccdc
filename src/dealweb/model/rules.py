"""The rules a ledger must keep, each with a name and a message a user can act on.

``check_entity``, ``check_deal`` and ``check_financial`` look at one record;
:func:`check_ledger` looks at records together (ids unique, references resolve,
``part_of`` chains end). They return lists of :class:`~dealweb.errors.Problem`;
:func:`validate` raises :class:`~dealweb.errors.ValidationError` when any is found.

Rule names (the ``rule`` of a Problem):

=================== ==========================================================
``bad_id``          an id is not a slug of letters, digits, ``-_.:``
``same_party``      payer and recipient are the same entity
``negative_amount`` an amount, bound or value is below zero
``missing_amount``  no amount but the qualifier is not ``undisclosed``
``undisclosed_amount`` an amount is given but the qualifier says ``undisclosed``
``range``           low above high, or the amount outside low–high
``dates``           start after end
``stake_range``     a stake outside 0–100 percent
``horizon``         a horizon of zero or fewer years
``currency``        a currency that is not a three-letter code
``missing_source``  a record with no source
``separator``       text that would not survive a spreadsheet cell: ``;`` in an alias,
                    ``|`` or `` ;; `` in a source field, an outlet that looks like a URL
``duplicate_id``    two records of one type share an id
``unknown_entity``  a reference to an entity the ledger does not hold
``unknown_deal``    ``part_of`` or ``supersedes`` names a deal that does not exist
``self_link``       a deal that is part of, or supersedes, itself
``part_of_cycle``   ``part_of`` links that go round in a circle
``parent_cycle``    entity ``parent`` links that go round in a circle
=================== ==========================================================

Every record is first checked against the value domain of :mod:`dealweb.model.domain`
(finite amounts up to 10¹⁵ USD, no control characters, lengths the database accepts), whose
rules (``amount_range``, ``not_finite``, ``precision``, ``control_character``, ``too_long``,
``too_many``, ``horizon``) are listed there.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

from dealweb.errors import Problem, ValidationError
from dealweb.model.domain import check_values
from dealweb.model.records import SOURCE_SEPARATOR, Deal, Entity, FinancialSnapshot, Source
from dealweb.model.vocab import Metric, Qualifier

__all__ = ["check_deal", "check_entity", "check_financial", "check_ledger", "validate"]

_ENTITY_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
_RECORD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_URLISH = re.compile(r"^https?://\S+$")


def check_entity(e: Entity) -> list[Problem]:
    """Problems of one entity on its own."""
    where = f"entity {e.id or '?'}"
    out: list[Problem] = check_values(e, where)
    if not _ENTITY_ID.match(e.id):
        out.append(Problem(where, "id", "bad_id",
                           f"{e.id!r} is not a slug: lowercase letters, digits and -_. only, at most 80"))
    if not e.name.strip():
        out.append(Problem(where, "name", "required", "is required and empty"))
    if e.country and not re.fullmatch(r"[A-Z]{2}", e.country):
        out.append(Problem(where, "country", "country", f"{e.country!r} is not a two-letter ISO 3166 code"))
    for alias in e.aliases:
        if ";" in alias:
            out.append(Problem(where, "aliases", "separator", f"alias {alias!r} contains ';', which separates aliases"))
    if e.parent is not None and e.parent == e.id:
        out.append(Problem(where, "parent", "self_link", "an entity cannot be its own parent"))
    return out


def _check_sources(where: str, sources: tuple[Source, ...], what: str, out: list[Problem]) -> None:
    if not sources or all(s.is_empty() for s in sources):
        out.append(Problem(where, "sources", "missing_source", what))
        return
    for i, s in enumerate(sources, 1):
        for name in ("outlet", "title", "url"):
            text = getattr(s, name)
            if "|" in text or SOURCE_SEPARATOR.strip() in text:
                out.append(Problem(where, "sources", "separator",
                                   f"source {i} {name} {text!r} contains '|' or ';;', which separate sources and their parts"))
        if s.outlet and not (s.title or s.date or s.url) and _URLISH.match(s.outlet):
            out.append(Problem(where, "sources", "separator",
                               f"source {i} outlet {s.outlet!r} looks like a URL; put it in the url part"))


def _check_amount(where: str, name: str, value: object, out: list[Problem]) -> None:
    if value is not None and value < 0:  # type: ignore[operator]
        out.append(Problem(where, name, "negative_amount", f"{value} is negative; amounts are zero or more"))


def check_deal(d: Deal) -> list[Problem]:
    """Problems of one deal on its own.

    >>> from decimal import Decimal
    >>> from dealweb.model.dates import PartialDate
    >>> from dealweb.model.records import Deal
    >>> d = Deal("D1", PartialDate(2025), "debt", "a", "a", None, "exact")
    >>> [p.rule for p in check_deal(d)]
    ['same_party', 'missing_amount', 'missing_source']
    """
    where = f"deal {d.id or '?'}"
    out: list[Problem] = check_values(d, where)
    if any(p.rule == "not_finite" for p in out):
        return out  # NaN and infinity compare with nothing; the other rules cannot run
    if not _RECORD_ID.match(d.id):
        out.append(Problem(where, "id", "bad_id", f"{d.id!r} is not an id: letters, digits and -_.: only, at most 80"))
    if d.payer and d.payer == d.recipient:
        out.append(Problem(where, "recipient", "same_party", f"payer and recipient are both {d.payer!r}"))
    for name in ("amount_usd", "amount_original", "low_usd", "high_usd"):
        _check_amount(where, name, getattr(d, name), out)
    if d.amount_usd is None and d.qualifier is not Qualifier.UNDISCLOSED:
        out.append(Problem(where, "amount_usd", "missing_amount",
                           f"is empty but the qualifier is {d.qualifier.value!r}; give an amount or use 'undisclosed'"))
    if d.amount_usd is not None and d.qualifier is Qualifier.UNDISCLOSED:
        out.append(Problem(where, "amount_usd", "undisclosed_amount",
                           "is given but the qualifier is 'undisclosed'; use 'estimate', or put a guess in low_usd/high_usd"))
    if d.low_usd is not None and d.high_usd is not None and d.low_usd > d.high_usd:
        out.append(Problem(where, "low_usd", "range", f"low {d.low_usd} is above high {d.high_usd}"))
    elif d.amount_usd is not None and (
        (d.low_usd is not None and d.amount_usd < d.low_usd) or (d.high_usd is not None and d.amount_usd > d.high_usd)
    ):
        out.append(Problem(where, "amount_usd", "range", f"{d.amount_usd} lies outside the low–high range"))
    if d.start is not None and d.end is not None and d.start.first_day() > d.end.last_day():
        out.append(Problem(where, "end", "dates", f"start {d.start} is after end {d.end}"))
    if d.stake_pct is not None and not 0 <= d.stake_pct <= 100:
        out.append(Problem(where, "stake_pct", "stake_range", f"{d.stake_pct} is outside 0–100 percent"))
    if d.horizon_years is not None and d.horizon_years <= 0:
        out.append(Problem(where, "horizon_years", "horizon", f"{d.horizon_years} is not a positive number of years"))
    if not _CURRENCY.match(d.currency):
        out.append(Problem(where, "currency", "currency", f"{d.currency!r} is not a three-letter code such as USD"))
    if d.part_of is not None and d.part_of == d.id:
        out.append(Problem(where, "part_of", "self_link", "a deal cannot be part of itself"))
    if d.id in d.supersedes:
        out.append(Problem(where, "supersedes", "self_link", "a deal cannot supersede itself"))
    _check_sources(where, d.sources, "every deal needs at least one source (a URL or outlet and title)", out)
    return out


def check_financial(f: FinancialSnapshot) -> list[Problem]:
    """Problems of one financial snapshot on its own."""
    where = f"financial {f.id or '?'}"
    out: list[Problem] = check_values(f, where)
    if any(p.rule == "not_finite" for p in out):
        return out  # NaN and infinity compare with nothing; the other rules cannot run
    if not _RECORD_ID.match(f.id):
        out.append(Problem(where, "id", "bad_id", f"{f.id!r} is not an id: letters, digits and -_.: only, at most 80"))
    if f.value is None and f.qualifier is not Qualifier.UNDISCLOSED:
        out.append(Problem(where, "value", "missing_amount",
                           f"is empty but the qualifier is {f.qualifier.value!r}; give a value or use 'undisclosed'"))
    if f.value is not None and f.qualifier is Qualifier.UNDISCLOSED:
        out.append(Problem(where, "value", "undisclosed_amount",
                           "is given but the qualifier is 'undisclosed'; use 'estimate' or leave the value empty"))
    if f.value is not None and f.value < 0:
        out.append(Problem(where, "value", "negative_amount",
                           f"{f.value} is negative; record losses as positive net_loss values"))
    if f.metric is Metric.STAKE_PCT and f.value is not None and f.value > 100:
        out.append(Problem(where, "value", "stake_range", f"{f.value} is outside 0–100 percent"))
    if f.metric in (Metric.STAKE_PCT, Metric.STAKE_VALUE) and not f.counterparty:
        out.append(Problem(where, "counterparty", "required", f"a {f.metric.value} needs the company held as counterparty"))
    if f.counterparty is not None and f.counterparty == f.entity:
        out.append(Problem(where, "counterparty", "same_party", "entity and counterparty are the same"))
    _check_sources(where, f.sources, "every figure needs at least one source", out)
    return out


def _duplicates(kind: str, ids: Iterable[str]) -> list[Problem]:
    return [Problem(f"{kind} {i}", "id", "duplicate_id", f"the id {i!r} is used {n} times")
            for i, n in Counter(ids).items() if n > 1]


def _cycle_members(links: Mapping[str, str | None]) -> set[str]:
    """Ids whose chain of links comes back to itself."""
    on_cycle: set[str] = set()
    for start in links:
        seen: list[str] = []
        node: str | None = start
        while node is not None and node in links and node not in seen:
            seen.append(node)
            node = links[node]
        if node is not None and node in seen:
            on_cycle.update(seen[seen.index(node):])
    return on_cycle


def check_ledger(
    entities: Iterable[Entity], deals: Iterable[Deal], financials: Iterable[FinancialSnapshot] = ()
) -> list[Problem]:
    """All problems of a set of records, alone and together."""
    entities, deals, financials = list(entities), list(deals), list(financials)
    out: list[Problem] = []
    for e in entities:
        out += check_entity(e)
    for d in deals:
        out += check_deal(d)
    for f in financials:
        out += check_financial(f)
    out += _duplicates("entity", (e.id for e in entities))
    out += _duplicates("deal", (d.id for d in deals))
    out += _duplicates("financial", (f.id for f in financials))

    entity_ids = {e.id for e in entities}
    deal_ids = {d.id for d in deals}

    def need_entity(where: str, field: str, ref: str | None) -> None:
        if ref and ref not in entity_ids:
            out.append(Problem(where, field, "unknown_entity", f"{ref!r} is not an entity in the ledger"))

    for e in entities:
        need_entity(f"entity {e.id}", "parent", e.parent)
    for d in deals:
        need_entity(f"deal {d.id}", "payer", d.payer)
        need_entity(f"deal {d.id}", "recipient", d.recipient)
        if d.part_of and d.part_of != d.id and d.part_of not in deal_ids:
            out.append(Problem(f"deal {d.id}", "part_of", "unknown_deal", f"{d.part_of!r} is not a deal in the ledger"))
        for s in d.supersedes:
            if s != d.id and s not in deal_ids:
                out.append(Problem(f"deal {d.id}", "supersedes", "unknown_deal", f"{s!r} is not a deal in the ledger"))
    for f in financials:
        need_entity(f"financial {f.id}", "entity", f.entity)
        need_entity(f"financial {f.id}", "counterparty", f.counterparty)

    for i in sorted(_cycle_members({d.id: d.part_of for d in deals if d.part_of != d.id})):
        out.append(Problem(f"deal {i}", "part_of", "part_of_cycle", "its part_of links go round in a circle"))
    for i in sorted(_cycle_members({e.id: e.parent for e in entities if e.parent != e.id})):
        out.append(Problem(f"entity {i}", "parent", "parent_cycle", "its parent links go round in a circle"))
    return out


def validate(
    entities: Iterable[Entity], deals: Iterable[Deal], financials: Iterable[FinancialSnapshot] = ()
) -> None:
    """Raise :class:`~dealweb.errors.ValidationError` listing every problem, or return."""
    problems = check_ledger(entities, deals, financials)
    if problems:
        raise ValidationError(problems)
