"""The registry of interchange formats and the two calls that dispatch through it.

:func:`read` and :func:`write` pick a :class:`Format` from :data:`FORMATS` by the name
given, or else by :func:`detect_format` from the path: a directory is ``csv``; a file
by its suffix, the longest match winning (``x.ftm.json`` is ``ftm``, ``x.json`` is
``json``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from dealweb.ledger.formats._common import format_error
from dealweb.ledger.formats.csvfiles import read_csv, write_csv
from dealweb.ledger.formats.ftm import read_ftm, write_ftm
from dealweb.ledger.formats.graphs import write_cyjs, write_gexf, write_graphml
from dealweb.ledger.formats.jsondoc import read_json, write_json
from dealweb.ledger.formats.xlsx import read_xlsx, write_xlsx
from dealweb.model.recordset import RecordSet

__all__ = ["FORMATS", "Format", "detect_format", "read", "write"]

Reader = Callable[[Sequence[Path], RecordSet | None], RecordSet]
Writer = Callable[[RecordSet, Path], list[Path]]


@dataclass(frozen=True, slots=True)
class Format:
    """One interchange format.

    Attributes
    ----------
    name
        The name users pass as ``format=`` (``"csv"``, ``"ftm"``).
    suffixes
        File name endings that select it, lower case with the dot (``".ftm.json"``).
    reader
        Reads one or more paths into a validated record set; ``None`` for export-only formats.
    writer
        Writes a record set to a path and returns the files written.
    description
        One line for help texts.
    """

    name: str
    suffixes: tuple[str, ...]
    reader: Reader | None
    writer: Writer
    description: str


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("csv", (".csv",), read_csv, write_csv,
           "directory of entities.csv, deals.csv, financials.csv (reads Gephi/Kumu/Flourish columns too)"),
    Format("xlsx", (".xlsx",), read_xlsx, write_xlsx, "one workbook with sheets entities, deals, financials"),
    Format("json", (".json",), read_json, write_json, 'one JSON document {"format": "dealweb", "version": 1, …}'),
    Format("ftm", (".ftm.json", ".ftm", ".ijson"), read_ftm, write_ftm, "FollowTheMoney entity stream, one per line"),
    Format("gexf", (".gexf",), None, write_gexf, "GEXF graph for Gephi, one edge per deal, with time intervals"),
    Format("graphml", (".graphml",), None, write_graphml, "GraphML multigraph for Cytoscape, yEd, Neo4j"),
    Format("cyjs", (".cyjs", ".cyjs.json"), None, write_cyjs, "Cytoscape.js elements JSON"),
)}


def detect_format(path: Path | str) -> str:
    """The name of the format ``path`` holds, by directory or suffix.

    >>> detect_format("deals.ftm.json"), detect_format("deals.json"), detect_format("web.GEXF")
    ('ftm', 'json', 'gexf')

    Raises
    ------
    FormatError
        The name has no suffix we know.
    """
    path = Path(path)
    if path.is_dir():
        return "csv"
    name = path.name.lower()
    matches = [(len(s), f.name) for f in FORMATS.values() for s in f.suffixes if name.endswith(s)]
    if matches:
        return max(matches)[1]
    if not path.suffix and not path.exists():
        return "csv"  # a directory still to be written
    known = ", ".join(s for f in FORMATS.values() for s in f.suffixes)
    raise format_error(path.name, "unknown_format",
                       f"cannot tell the format from the name; use a directory (csv) or one of {known}, "
                       f"or name the format ({', '.join(FORMATS)})")


def _format(name: str | None, paths: Sequence[Path]) -> Format:
    if name is None:
        names = {detect_format(p) for p in paths}
        if len(names) > 1:
            raise format_error(", ".join(p.name for p in paths), "mixed_formats",
                               f"the files are of different formats ({', '.join(sorted(names))}); read them one by one")
        name = names.pop()
    if name not in FORMATS:
        raise format_error(name, "unknown_format", f"{name!r} is not a format; use one of {', '.join(FORMATS)}")
    return FORMATS[name]


def read(path: Path | list[Path], *, format: str | None = None, context: RecordSet | None = None) -> RecordSet:
    """Read a file, a directory or a list of files into a validated :class:`RecordSet`.

    Parameters
    ----------
    path
        A file, a CSV directory, or several CSV files (``entities.csv``, ``deals.csv``…).
    format
        A name from :data:`FORMATS`; detected from ``path`` when ``None``.
    context
        Records already in the ledger the file will be imported into. Cross-record rules
        (unknown entity, ``part_of`` cycles…) are then checked on the ledger with the
        file merged in, so a file may refer to records it does not hold itself. The
        result holds only the file's records.

    Raises
    ------
    FormatError
        The format is unknown or export-only, or a file cannot be read at all.
    ValidationError
        The records break rules; every problem is listed with its file and row.
    """
    paths = [Path(p) for p in path] if isinstance(path, list) else [Path(path)]
    if not paths:
        raise format_error("(no file)", "files", "no file to read")
    fmt = _format(format, paths)
    if fmt.reader is None:
        raise format_error(paths[0].name, "export_only", f"{fmt.name} is an export format and cannot be read")
    return fmt.reader(paths, context)


def write(records: RecordSet, path: Path, *, format: str | None = None) -> list[Path]:
    """Write ``records`` to ``path`` and return the files written.

    Every file is written to a temporary file beside it and moved into place, so a
    failed write never leaves a half-written file.

    Parameters
    ----------
    records
        The records to write.
    path
        The file, or for ``csv`` the directory (created when missing).
    format
        A name from :data:`FORMATS`; detected from ``path`` when ``None``.
    """
    path = Path(path)
    return _format(format, [path]).writer(records, path)
