"""Partial dates: ``2025``, ``2025-09`` or ``2025-09-22``.

News often gives only a month or a year. A :class:`PartialDate` keeps exactly the
precision the source gave, sorts sensibly (a year sorts before its months), and knows the
first and last calendar day it may stand for, which is what an "as of" filter needs.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["PartialDate"]

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day.

    Examples
    --------
    >>> d = PartialDate.parse("2025-09")
    >>> str(d), d.first_day(), d.last_day(), d.precision
    ('2025-09', datetime.date(2025, 9, 1), datetime.date(2025, 9, 30), 'month')
    >>> PartialDate.parse("2025") < PartialDate.parse("2025-01-01")
    True
    """

    year: int
    month: int = 0  # 0 = unknown
    day: int = 0  # 0 = unknown

    def __post_init__(self) -> None:
        if not 1900 <= self.year <= 2200:
            raise ValueError(f"year {self.year} is outside 1900–2200")
        if self.month == 0 and self.day != 0:
            raise ValueError("a day needs a month")
        if self.month and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not 1–12")
        if self.day:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise ValueError(f"day {self.day} does not exist in {self.year}-{self.month:02d}")

    @classmethod
    def parse(cls, text: str | dt.date | PartialDate) -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (or pass a date through).

        Raises :class:`ValueError` with the rule when the text is not such a date.
        """
        if isinstance(text, PartialDate):
            return text
        if isinstance(text, dt.datetime):
            text = text.date()
        if isinstance(text, dt.date):
            return cls(text.year, text.month, text.day)
        m = _PATTERN.match(str(text).strip())
        if not m:
            raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        y, mo, d = m.groups()
        return cls(int(y), int(mo or 0), int(d or 0))

    @property
    def precision(self) -> str:
        """``"year"``, ``"month"`` or ``"day"``."""
        return "day" if self.day else "month" if self.month else "year"

    def first_day(self) -> dt.date:
        """The earliest calendar day this date may stand for."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        """The latest calendar day this date may stand for."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def __str__(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"
