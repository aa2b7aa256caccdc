"""What every analysis result shares: a table view, a JSON view, Jupyter rendering, provenance.

Results carry the projection's parameters (``network_params``) and the deals left out for
lack of an amount (``undisclosed``), so a number is never shown without saying what it
was computed from.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Result", "is_money", "jsonable"]


def jsonable(value: Any) -> Any:
    """``value`` with NumPy scalars made plain, dates as ISO text and non-finite floats as ``None``,
    so that ``json.dumps`` writes valid JSON (which has no NaN or Infinity).

    >>> jsonable({"a": float("inf"), "b": [np.float64(1.5), dt.date(2025, 1, 2)]})
    {'a': None, 'b': [1.5, '2025-01-02']}
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@dataclass(frozen=True, kw_only=True)
class Result:
    """Base of analysis results; subclasses implement :meth:`to_frame` and :meth:`headline`."""

    network_params: dict[str, Any] = field(default_factory=dict)
    undisclosed: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """The result as a table (one row per edge, node, cycle… as the result defines)."""
        raise NotImplementedError

    def headline(self) -> dict[str, Any]:
        """The few numbers worth quoting, JSON-ready."""
        return {}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: headline, rows, provenance."""
        frame = self.to_frame()
        if not isinstance(frame.index, pd.RangeIndex):  # a labelled index (entity ids) is data too
            frame = frame.reset_index()
        rows = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
        data = {"headline": self.headline(), "rows": rows, "network_params": self.network_params,
                "undisclosed": list(self.undisclosed)}
        result: dict[str, Any] = jsonable(data)
        return result

    def _repr_html_(self) -> str:
        # Money reads as money ($4.7B) in a notebook; to_frame() keeps the plain numbers to compute with.
        head = "".join(f"<li>{html.escape(str(k))}: {html.escape(_fmt(v, money=is_money(str(k))))}</li>"
                       for k, v in self.headline().items())
        note = (f"<p>{len(self.undisclosed)} deals without a disclosed amount are not in these numbers.</p>"
                if self.undisclosed else "")
        frame = self.to_frame().head(25)
        money = [c for c in frame.columns if is_money(str(c)) and pd.api.types.is_numeric_dtype(frame[c])]
        table = frame.to_html(escape=True, index=False, formatters={c: _usd for c in money})
        return f"<p><b>{html.escape(type(self).__name__)}</b></p><ul>{head}</ul>{note}{table}"


_MONEY_WORDS = frozenset({"usd", "amount", "volume", "bottleneck", "recycled", "inflow", "outflow", "paid",
                          "received", "loss", "value", "exposure", "backlog", "cash", "revenue", "debt", "gross",
                          "residual", "circulation", "obligations", "payments", "owed"})
_RATIO_WORDS = frozenset({"relative", "share", "ratio", "pct", "fraction", "index", "count", "probability", "rounds",
                          "iterations", "runs", "p", "failures", "basis"})


def is_money(column: str) -> bool:
    """Whether a result column or headline key holds US dollars (by its name's words).

    >>> is_money("total_loss_mean"), is_money("loss_p95"), is_money("relative_loss"), is_money("p_fail")
    (True, True, False, False)
    """
    words = set(column.lower().split("_"))
    return bool(words & _MONEY_WORDS) and not words & _RATIO_WORDS


def _usd(value: Any) -> str:
    from dealweb.network.summary import format_usd  # here, not at import: summary sits above this module

    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return format_usd(value)


def _fmt(value: Any, *, money: bool = False) -> str:
    if money and isinstance(value, (int, float, Decimal, np.number)) and not isinstance(value, bool):
        return _usd(float(value))
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)
