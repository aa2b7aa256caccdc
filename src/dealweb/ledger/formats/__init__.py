"""Interchange formats: record sets to and from files, as pure functions (no database).

========= ============ ======================================================================
format    read/write   what
========= ============ ======================================================================
csv       both         ``entities.csv``, ``deals.csv``, ``financials.csv`` in a directory;
                       reads Gephi, Kumu and Flourish node/edge columns too
xlsx      both         one workbook, sheets ``entities``, ``deals``, ``financials``
json      both         one document ``{"format": "dealweb", "version": 1, …}``
ftm       both         FollowTheMoney entity stream (``.ftm.json``), see :mod:`.ftm`
gexf      write        Gephi, one edge per deal, dynamic time intervals
graphml   write        Cytoscape desktop, yEd, Neo4j
cyjs      write        Cytoscape.js elements JSON
========= ============ ======================================================================

Every reader returns a validated :class:`~dealweb.model.RecordSet` or raises
:class:`~dealweb.errors.ValidationError` (or its subclass
:class:`~dealweb.errors.FormatError` when a file cannot be read at all) listing every
problem found, each named by its place (``"deals.csv row 7"``). Field values are read
and written only by :mod:`dealweb.model.codec`. Writers never leave a half-written file.

>>> from dealweb.model import Deal, Entity, RecordSet
>>> rs = RecordSet.of([Entity("a", "A"), Entity("b", "B")],
...                   [Deal("D1", "2025-09", "debt", "a", "b", "1.005", "exact", sources=["https://x.example/1"])])
>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as tmp:
...     [p.name for p in write(rs, pathlib.Path(tmp) / "web.json")], read(pathlib.Path(tmp) / "web.json") == rs
(['web.json'], True)
"""

from dealweb.ledger.formats.registry import FORMATS, Format, detect_format, read, write

__all__ = ["FORMATS", "Format", "detect_format", "read", "write"]
