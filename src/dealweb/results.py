"""What every analysis result shares: a table view, a JSON view, Jupyter rendering, provenance.

Results carry the projection's parameters (``network_params``) and the deals left out for
lack of an amount (``undisclosed``), so a number is never shown without saying what it
was computed from.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["Result"]


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
        rows = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
        return {"headline": self.headline(), "rows": rows, "network_params": self.network_params,
                "undisclosed": list(self.undisclosed)}

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
