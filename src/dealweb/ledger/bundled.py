"""The dataset that ships inside the package: real AI deals with their sources.

The files live in ``dealweb/data`` (``entities.csv``, ``deals.csv``, ``financials.csv``
and ``dataset.json``, the manifest with the version and coverage notes). They are read by
the same CSV importer a user would use, so the bundled data obeys every rule imports do.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from dealweb.model.recordset import RecordSet

__all__ = ["bundled_dir", "bundled_manifest", "bundled_records"]


def bundled_dir() -> Path:
    """Folder of the bundled data files inside the installed package."""
    return Path(str(resources.files("dealweb") / "data"))


@cache
def bundled_manifest() -> dict[str, Any]:
    """The dataset manifest: version, compilation date, coverage notes."""
    data: dict[str, Any] = json.loads((bundled_dir() / "dataset.json").read_text(encoding="utf-8"))
    return data


@cache
def bundled_records() -> RecordSet:
    """The bundled dataset as a validated :class:`RecordSet`.

    >>> rs = bundled_records()
    >>> len(rs.deals) > 100 and all(d.sources for d in rs.deals)
    True
    """
    from dealweb.ledger.formats import read

    return read(bundled_dir(), format="csv")
