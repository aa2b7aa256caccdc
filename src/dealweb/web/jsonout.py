"""JSON out: valid JSON (no NaN), and text that no browser can mistake for HTML.

:func:`dumps_safe` escapes ``<``, ``>`` and ``&`` (and the JavaScript line separators
U+2028/U+2029) as ``\\uXXXX``. The decoded strings are unchanged, but the bytes never
contain a tag, so a JSON response stays inert even if something sniffs it as HTML, and
the same text can sit inside an inline ``<script>`` of the report.

>>> dumps_safe({"name": "<img src=x onerror=alert(1)>", "x": float("nan")})
'{"name":"\\\\u003cimg src=x onerror=alert(1)\\\\u003e","x":null}'
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import JSONResponse

from dealweb.network.results import jsonable

__all__ = ["SafeJSONResponse", "dumps_safe"]

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_TABLE = str.maketrans(_ESCAPES)


def _default(value: Any) -> Any:
    return str(value)


def dumps_safe(data: Any) -> str:
    """Compact JSON of ``data`` (made plain by :func:`~dealweb.network.results.jsonable`), HTML-significant characters escaped."""
    text = json.dumps(jsonable(data), ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_default)
    return text.translate(_TABLE)


class SafeJSONResponse(JSONResponse):
    """A JSON response rendered by :func:`dumps_safe`."""

    def render(self, content: Any) -> bytes:
        return dumps_safe(content).encode("utf-8")
