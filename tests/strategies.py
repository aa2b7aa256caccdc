"""Hypothesis strategies for valid dealweb records.

:func:`record_sets` draws a :class:`~dealweb.model.RecordSet` that passes
:meth:`~dealweb.model.RecordSet.validate`: slug entity ids, deals between distinct known
entities, Decimal amounts from fractions of a cent to beyond any float's precision,
partial dates, unicode text with commas, quotes and newlines, several sources per
record, ``part_of``/``supersedes``/``parent`` links that only point backwards (so there
are no cycles), and financial snapshots.

Values cover the whole value domain of :mod:`dealweb.model.domain`: amounts from zero
and a millionth of a dollar up to exactly ``MAX_AMOUNT``, horizons up to ``MAX_HORIZON_YEARS``.
Text is drawn as the codec returns it: stripped, without control characters (tabs and
newlines only in descriptions and notes), and without the separators the one-cell forms
reserve (``;`` in lists, ``|`` and ``;;`` in sources).
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from typing import Any

from hypothesis import strategies as st

from dealweb.model import (
    Confidence,
    Deal,
    DealKind,
    Entity,
    EntityKind,
    FinancialSnapshot,
    Metric,
    PartialDate,
    Qualifier,
    RecordSet,
    Source,
    Status,
)
from dealweb.model.domain import MAX_AMOUNT, MAX_HORIZON_YEARS

__all__ = ["amounts", "partial_dates", "record_sets", "sources", "texts"]

_ALPHABET = st.one_of(
    st.characters(blacklist_categories=("Cs", "Cc")),
    st.sampled_from(list(',"\';|=-+@é中😀 \u2028\u00a0')),
)
_MULTILINE = st.one_of(_ALPHABET, st.sampled_from(["\n", "\t"]))


def texts(*, min_size: int = 0, max_size: int = 24, forbid: str = "", multiline: bool = False) -> st.SearchStrategy[str]:
    """Stripped unicode text without control characters (but tabs and newlines when ``multiline``) or ``forbid``."""
    base = st.text(_MULTILINE if multiline else _ALPHABET, max_size=max_size).map(str.strip)
    if forbid:
        base = base.map(lambda s: "".join(c for c in s if c not in forbid).strip())
    return base.filter(lambda s: len(s) >= min_size)


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    """Years, months or days between 1990 and 2100."""
    year = draw(st.integers(1990, 2100))
    month = draw(st.integers(0, 12))
    day = draw(st.integers(1, 28)) if month and draw(st.booleans()) else 0
    return PartialDate(year, month, day)


def amounts() -> st.SearchStrategy[Decimal]:
    """Decimals across the domain: whole dollars, millionths, the largest allowed, and exact values past a float."""
    return st.one_of(
        st.integers(0, 10**12).map(Decimal),
        st.decimals(min_value=0, max_value=10**9, places=6, allow_nan=False, allow_infinity=False),
        st.integers(10**14, 10**15 - 1).map(lambda n: Decimal(n) + Decimal("0.000001")),
        st.sampled_from([Decimal(0), Decimal("0.000001"), MAX_AMOUNT, Decimal("1E+15"),
                         Decimal("123456789012345.678125")]),
    )


_URLS = st.from_regex(r"\Ahttps://[a-z]{1,8}\.example/[a-z0-9/._-]{0,12}\Z")


@st.composite
def sources(draw: st.DrawFn) -> Source:
    """A source with an outlet, a URL or both (never an empty one)."""
    outlet = draw(texts(max_size=16, forbid="|;").filter(lambda s: not s.startswith("http")))
    url = draw(st.one_of(st.just(""), _URLS))
    if not outlet and not url:
        url = "https://x.example/a"
    title = draw(texts(max_size=20, forbid="|;"))
    date = draw(st.none() | partial_dates())
    return Source(outlet, title, date, url)


def _ids(pattern: str, n: int) -> st.SearchStrategy[list[str]]:
    return st.lists(st.from_regex(pattern), min_size=n, max_size=n, unique=True)


@st.composite
def _entities(draw: st.DrawFn) -> list[Entity]:
    ids = draw(st.integers(2, 5).flatmap(lambda n: _ids(r"\A[a-z0-9][a-z0-9._-]{0,10}\Z", n)))
    out = []
    for i, eid in enumerate(ids):
        out.append(Entity(
            eid, draw(texts(min_size=1)), draw(st.sampled_from(EntityKind)),
            tuple(draw(st.lists(texts(min_size=1, max_size=10, forbid=";"), max_size=2, unique=True))),
            draw(st.sampled_from(["", "US", "GB", "JP"])), draw(st.booleans()), draw(texts(max_size=6)),
            draw(st.none() | st.sampled_from(ids[:i])) if i else None, draw(texts(max_size=60, multiline=True)),
        ))
    return out


@st.composite
def _deal(draw: st.DrawFn, did: str, entity_ids: list[str], earlier: list[str]) -> Deal:
    payer, recipient = draw(st.lists(st.sampled_from(entity_ids), min_size=2, max_size=2, unique=True))
    qualifier = draw(st.sampled_from(Qualifier))
    amount = None if qualifier is Qualifier.UNDISCLOSED else draw(amounts())
    fields: dict[str, Any] = {}
    if amount is not None and draw(st.booleans()):
        fields.update(low_usd=(amount / 2).quantize(Decimal("0.000001"), ROUND_DOWN), high_usd=min(amount * 3, MAX_AMOUNT))
    if draw(st.booleans()):
        fields.update(currency="EUR", amount_original=draw(amounts()))
    start, end = draw(st.none() | partial_dates()), draw(st.none() | partial_dates())
    if start and end and start.first_day() > end.last_day():
        start, end = end, start
    return Deal(
        did, draw(partial_dates()), draw(st.sampled_from(DealKind)), payer, recipient, amount, qualifier,
        status=draw(st.sampled_from(Status)), confidence=draw(st.sampled_from(Confidence)),
        sources=tuple(draw(st.lists(sources(), min_size=1, max_size=3))), description=draw(texts(max_size=80, multiline=True)),
        stake_pct=draw(st.none() | st.decimals(0, 100, places=2)),
        horizon_years=draw(st.none() | st.decimals(Decimal("0.25"), MAX_HORIZON_YEARS, places=2)), start=start, end=end,
        part_of=draw(st.none() | st.sampled_from(earlier)) if earlier else None,
        supersedes=tuple(draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True))) if earlier else (),
        **fields,
    )


@st.composite
def _financial(draw: st.DrawFn, fid: str, entity_ids: list[str]) -> FinancialSnapshot:
    metric = draw(st.sampled_from(Metric))
    entity, other = draw(st.lists(st.sampled_from(entity_ids), min_size=2, max_size=2, unique=True))
    stake = metric in (Metric.STAKE_PCT, Metric.STAKE_VALUE)
    qualifier = draw(st.sampled_from(Qualifier))
    if qualifier is Qualifier.UNDISCLOSED:
        value = None
    elif metric is Metric.STAKE_PCT:
        value = draw(st.decimals(0, 100, places=3))
    else:
        value = draw(amounts())
    return FinancialSnapshot(
        fid, entity, draw(partial_dates()), metric, value, qualifier,
        counterparty=other if stake or draw(st.booleans()) else None,
        confidence=draw(st.sampled_from(Confidence)),
        sources=tuple(draw(st.lists(sources(), min_size=1, max_size=2))), description=draw(texts(max_size=40, multiline=True)),
    )


@st.composite
def record_sets(draw: st.DrawFn) -> RecordSet:
    """A valid record set of 2–5 entities, 0–5 deals and 0–3 financial snapshots."""
    entities = draw(_entities())
    entity_ids = [e.id for e in entities]
    deal_ids = draw(st.integers(0, 5).flatmap(lambda n: _ids(r"\A[A-Za-z0-9][A-Za-z0-9._:-]{0,8}\Z", n)))
    deals = [draw(_deal(did, entity_ids, deal_ids[:i])) for i, did in enumerate(deal_ids)]
    fin_ids = draw(st.integers(0, 3).flatmap(lambda n: _ids(r"\A[A-Za-z0-9][A-Za-z0-9._:-]{0,8}\Z", n)))
    financials = [draw(_financial(fid, entity_ids)) for fid in fin_ids]
    return RecordSet.of(entities, deals, financials).validate()
