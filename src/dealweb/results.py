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

__all__ = ["Result", "jsonable"]


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
        head = "".join(f"<li>{html.escape(str(k))}: {html.escape(_fmt(v))}</li>" for k, v in self.headline().items())
        note = (f"<p>{len(self.undisclosed)} deals without a disclosed amount are not in these numbers.</p>"
                if self.undisclosed else "")
        table = self.to_frame().head(25).to_html(escape=True, index=False)
        return f"<p><b>{html.escape(type(self).__name__)}</b></p><ul>{head}</ul>{note}{table}"


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)
