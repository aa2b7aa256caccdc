"""When a sentence says a deal happened: explicit dates, dates relative to publication, or none.

Explicit dates ("on 18 November 2025", "in July 2019", "September 2025") keep the
precision given (:class:`~dealweb.model.dates.PartialDate`). Relative ones ("on Wednesday",
"yesterday", "last month", "as of September") are read by :mod:`dateparser` against the
publication date and always resolved into the past. Dates that start or end a contract
("starting in 2027", "through April 2032") are not announcement dates and are skipped.
"""

from __future__ import annotations

import datetime as dt
import re

from dealweb.model.dates import PartialDate

__all__ = ["as_partial", "sentence_date"]

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec")
_MONTH_NUM = {name: i for i, names in enumerate(
    (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")), start=1) for name in names}
_NOT_ANNOUNCEMENT = re.compile(r"(?:start(?:ing|s)?|from|through|until|till|by|to|end of|beginning|due|matur\w*)\s+"
                               r"(?:in\s+|on\s+|the\s+)?$", re.I)
_EXPLICIT = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})\s+)?(?P<month>{_MONTHS})\.?(?:\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)?,?\s+(?P<year>(?:19|20)\d\d)\b"
    rf"|\b(?:in|since)\s+(?P<yonly>(?:19|20)\d\d)\b", re.I)
_RELATIVE = re.compile(r"\b(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\byesterday\b|"
                       r"\blast (?:week|month|year)\b|\b(?:a|one|two|three|\d+) (?:days?|weeks?|months?) ago\b|"
                       r"\b(?:as of|in|since|from)\s+(?:" + _MONTHS + r")\b(?!\s+\d)", re.I)


def as_partial(value: PartialDate | dt.date | str | None) -> PartialDate | None:
    """``None`` or a :class:`PartialDate` from a date, a PartialDate or ``YYYY[-MM[-DD]]`` text."""
    return None if value is None or value == "" else PartialDate.parse(value)


def _explicit(text: str) -> PartialDate | None:
    for m in _EXPLICIT.finditer(text):
        if _NOT_ANNOUNCEMENT.search(text[max(0, m.start() - 25):m.start()]):
            continue
        if m.group("yonly"):
            return PartialDate(int(m.group("yonly")))
        year, month = int(m.group("year")), _MONTH_NUM[m.group("month").lower()]
        day = int(m.group("d1") or m.group("d2") or 0)
        try:
            return PartialDate(year, month, day)
        except ValueError:
            return PartialDate(year, month)
    return None


def _relative(text: str, published: PartialDate) -> PartialDate | None:
    m = _RELATIVE.search(text)
    if not m:
        return None
    phrase = m.group().lower()
    base = published.first_day() if published.precision != "day" else dt.date(published.year, published.month,
                                                                              published.day)
    month = re.search(_MONTHS, phrase)
    if month and not re.search(r"day|yesterday", phrase):
        n = _MONTH_NUM[month.group()]
        year = base.year if n <= base.month else base.year - 1
        return PartialDate(year, n)
    if published.precision != "day":
        return None
    weekday = re.search(r"monday|tuesday|wednesday|thursday|friday|saturday|sunday", phrase)
    if weekday:
        # The most recent such day on or before publication ("on Wednesday" in a Wednesday paper is that day).
        target = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday").index(weekday.group())
        return PartialDate.parse(base - dt.timedelta(days=(base.weekday() - target) % 7))
    import dateparser  # type: ignore[import-untyped]  # no stubs published

    words = re.sub(r"^on\s+", "", phrase)
    parsed = dateparser.parse(words, languages=["en"], settings={
        "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day), "PREFER_DATES_FROM": "past"})
    if parsed is None:
        return None
    if "month" in phrase:
        return PartialDate(parsed.year, parsed.month)
    if "year" in phrase:
        return PartialDate(parsed.year)
    return PartialDate(parsed.year, parsed.month, parsed.day)


def sentence_date(text: str, published: PartialDate | None) -> tuple[PartialDate | None, str]:
    """The announcement date a sentence gives, and how it was found.

    Returns ``(date, how)`` with ``how`` one of ``"explicit"``, ``"relative"``,
    ``"published"`` or ``""`` (no date known).

    >>> pub = PartialDate.parse("2025-11-19")
    >>> sentence_date("Anthropic on Tuesday announced a round", pub)
    (PartialDate(year=2025, month=11, day=18), 'relative')
    >>> sentence_date("In July 2019 Microsoft put $1 billion into OpenAI", pub)
    (PartialDate(year=2019, month=7, day=0), 'explicit')
    >>> sentence_date("capacity starting in 2027", None)
    (None, '')
    """
    found = _explicit(text)
    if found is not None:
        return found, "explicit"
    if published is not None:
        rel = _relative(text, published)
        if rel is not None:
            return rel, "relative"
        return published, "published"
    return None, ""
