"""The fitted models shipped in ``dealweb/data``: read one JSON file, or learn that there is none.

>>> packaged_json("no-such-model.json", "a model") is None
True
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from dealweb.errors import FormatError, Problem

__all__ = ["packaged_json"]


def packaged_json(name: str, what: str) -> Any:
    """The parsed ``dealweb/data/<name>``, ``None`` when the package holds no such file; a
    :class:`~dealweb.errors.FormatError` naming the file and ``what`` it should be when it is not JSON."""
    res = resources.files("dealweb").joinpath("data", name)
    if not res.is_file():
        return None
    try:
        return json.loads(res.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise FormatError([Problem(f"dealweb/data/{name}", "", "json", f"not {what}: {exc}")]) from None
