"""Bring your own network: edge lists and node tables from Parquet, CSV, Arrow or a DuckDB query.

These are the file and query paths behind :meth:`Network.from_edges` and
:meth:`Network.from_query`. They are built for networks far larger than the AI web (national
payment or trade-credit networks, tens of millions of links), so they never make a Python
object per edge:

* Parquet is read with pyarrow in row batches, only the needed columns; CSV with pyarrow's
  streaming reader. A ``progress(rows_done, rows_total)`` callback is called after each batch
  (``rows_total`` is ``None`` for CSV, whose length is unknown until the end).
* Node ids are matched with Arrow's hash kernels (``unique`` then ``index_in``), in order of
  first appearance over all sources then all targets (as ``pandas.factorize`` on the
  concatenation), and kept as ``int32`` indices; amounts become one ``float64`` array.
* A node table fixes the node order, adds nodes without edges and keeps its other columns
  (outside means, buffers…) as :attr:`Network.node_data`.

Errors name the file, the row, the column and the rule: a missing column or unreadable file is a
:class:`~dealweb.errors.FormatError`; a negative, missing or non-numeric amount, an empty id, an
edge to a node not in the node table, or a node listed twice a
:class:`~dealweb.errors.ValidationError` (up to 20 rows each). Rows are counted as a user sees
them: CSV rows as spreadsheet rows (the header is row 1), Parquet and query rows from 1.

Examples
--------
>>> import tempfile, pandas as pd
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = Path(tmp) / "pay.csv"
...     _ = pd.DataFrame({"payer": ["a", "b"], "payee": ["b", "c"], "usd": [5, 3]}).to_csv(path, index=False)
...     net = read_edges(path, source="payer", target="payee", amount="usd")
>>> net.nodes, net.src.dtype.name, net.amount.tolist()
(('a', 'b', 'c'), 'int32', [5.0, 3.0])
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dealweb.errors import FormatError, MissingDependencyError, Problem, ValidationError
from dealweb.network.graph import Network

__all__ = ["Progress", "from_arrow", "from_query", "read_edges", "read_nodes"]

#: ``progress(rows_done, rows_total)``; ``rows_total`` is ``None`` when unknown (CSV).
Progress = Callable[[int, "int | None"], None]

_BATCH_ROWS = 1 << 20
_MAX_SHOWN = 20


def read_edges(
    path: str | os.PathLike[str],
    *,
    source: str = "source",
    target: str = "target",
    amount: str = "amount",
    edge_id: str | None = None,
    nodes: Any = None,
    node_id: str = "id",
    progress: Progress | None = None,
    batch_rows: int = _BATCH_ROWS,
) -> Network:
    """A network from a ``.parquet`` / ``.csv`` / ``.tsv`` edge list, read in batches.

    Parameters
    ----------
    path
        The edge file.
    source, target, amount, edge_id
        Column names (``edge_id`` optional).
    nodes
        Optional node table: a path, a DataFrame or a list of ids (see :func:`read_nodes`).
    node_id
        The id column of the node table.
    progress
        Called as ``progress(rows_done, rows_total)`` after each batch.
    batch_rows
        Rows per batch (Parquet).
    """
    file = Path(path)
    label = file.name
    node_ids, node_data = read_nodes(nodes, node_id) if nodes is not None else (None, None)
    wanted = [c for c in (source, target, amount, edge_id) if c]
    batches, total, first_row = _open(file, wanted, batch_rows)
    return _build(batches, total, label, first_row, source, target, amount, edge_id, node_ids, node_data, progress)


def from_arrow(
    table: Any,
    *,
    source: str = "source",
    target: str = "target",
    amount: str = "amount",
    edge_id: str | None = None,
    nodes: Any = None,
    node_id: str = "id",
    label: str = "edges",
    progress: Progress | None = None,
) -> Network:
    """A network from a :class:`pyarrow.Table` (for example a DuckDB or Polars result); rows count from 1.

    >>> import pyarrow as pa
    >>> from_arrow(pa.table({"source": [1, 2], "target": [2, 1], "amount": [4.0, 1.0]})).nodes
    ('1', '2')
    """
    missing = [c for c in (source, target, amount, edge_id) if c and c not in table.column_names]
    if missing:
        raise FormatError([Problem(label, c, "missing_column", f"has no column {c!r}") for c in missing])
    node_ids, node_data = read_nodes(nodes, node_id) if nodes is not None else (None, None)
    return _build(iter(table.to_batches(max_chunksize=_BATCH_ROWS)), table.num_rows, label, 1, source, target,
                  amount, edge_id, node_ids, node_data, progress)


def from_query(
    sql: str,
    *,
    connection: Any = None,
    source: str = "source",
    target: str = "target",
    amount: str = "amount",
    edge_id: str | None = None,
    nodes: Any = None,
    node_id: str = "id",
) -> Network:
    """A network from a SQL query, run by DuckDB (over Parquet/CSV files, or tables of ``connection``).

    The query's result comes back as Arrow and goes through :func:`from_arrow`; ``connection`` is
    a ``duckdb.DuckDBPyConnection`` (default: a fresh in-memory one). Needs ``dealweb[duckdb]``.

    >>> net = from_query("select * from (values ('a', 'b', 2.0), ('b', 'a', 1.0)) t(source, target, amount)")
    >>> net.n_edges, net.gross
    (2, 3.0)
    """
    try:
        import duckdb
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingDependencyError("from_query needs DuckDB: pip install 'dealweb[duckdb]'") from None
    con = connection if connection is not None else duckdb.connect()
    try:
        result: Any = con.sql(sql)
        # DuckDB 2 renamed arrow() to to_arrow_table().
        table = result.to_arrow_table() if hasattr(result, "to_arrow_table") else result.arrow()
    except duckdb.Error as exc:
        raise FormatError([Problem("query", "", "sql", f"DuckDB could not run it: {exc}")]) from None
    return from_arrow(table, source=source, target=target, amount=amount, edge_id=edge_id, nodes=nodes,
                      node_id=node_id, label="query")


def read_nodes(nodes: Any, node_id: str = "id") -> tuple[list[str], pd.DataFrame | None]:
    """Node ids in order, and the node table's other columns (indexed by id) or ``None``.

    ``nodes`` is a path (``.parquet`` / ``.csv`` / ``.tsv``), a DataFrame with a ``node_id``
    column, or a sequence of ids. Every id must be present and listed once.

    >>> ids, data = read_nodes(pd.DataFrame({"id": ["a", "b"], "cash": [1.0, 2.0]}))
    >>> ids, data["cash"].tolist()
    (['a', 'b'], [1.0, 2.0])
    """
    if isinstance(nodes, (str, os.PathLike)):
        return _read_node_file(Path(nodes), node_id)
    if not isinstance(nodes, pd.DataFrame):
        return [str(x) for x in nodes], None
    if node_id not in nodes.columns:
        raise FormatError([Problem("nodes", node_id, "missing_column", f"has no column {node_id!r}")])
    raw = nodes[node_id]
    ids = raw.astype(str)
    _check_ids("nodes", node_id, 2, np.flatnonzero(raw.isna().to_numpy()), ids)
    names = ids.to_list()
    rest = nodes.drop(columns=[node_id])
    return names, rest.set_axis(pd.Index(names, name="node"), axis=0) if len(rest.columns) else None


def _read_node_file(file: Path, node_id: str) -> tuple[list[str], pd.DataFrame | None]:
    """A node table file: ids checked in Arrow (a hash table, no pandas strings), attributes to pandas."""
    import pyarrow as pa
    import pyarrow.compute as pc

    batches, _, first_row = _open(file, None, _BATCH_ROWS)
    table = pa.Table.from_batches(list(batches))
    if node_id not in table.column_names:
        raise FormatError([Problem(file.name, node_id, "missing_column", f"has no column {node_id!r}")])
    column = _ids(table.column(node_id).combine_chunks())
    if column.null_count or len(pc.unique(column)) < len(column) or pc.any(pc.equal(column, "")).as_py():
        ids = pd.Series(column.to_pylist(), dtype=object)  # the slow, exact report only on bad input
        empty = np.flatnonzero((ids.isna() | (ids == "")).to_numpy())
        _check_ids(file.name, node_id, first_row, empty, ids.astype(str))
    names = column.to_pylist()
    rest = table.drop_columns([node_id])
    data = rest.to_pandas().set_axis(pd.Index(names, name="node"), axis=0) if rest.num_columns else None
    return names, data


def _check_ids(label: str, node_id: str, first_row: int, empty: np.ndarray, ids: pd.Series) -> None:
    dup = np.flatnonzero(ids.duplicated().to_numpy())
    problems = [Problem(f"{label} row {int(r) + first_row}", node_id, "missing_id", "is empty") for r in empty[:_MAX_SHOWN]]
    problems += [Problem(f"{label} row {int(r) + first_row}", node_id, "duplicate_node",
                         f"{ids.iloc[r]!r} is listed more than once") for r in dup[:_MAX_SHOWN] if r not in empty]
    if problems:
        raise ValidationError(problems)


# ------------------------------------------------------------------ reading


def _open(file: Path, columns: list[str] | None, batch_rows: int) -> tuple[Iterator[Any], int | None, int]:
    """Record batches of ``columns`` (all if ``None``), the row count if known, the number of the first row."""
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    suffix = file.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            handle = pq.ParquetFile(file)
            present = handle.schema_arrow.names
            _require(file.name, columns, present)
            return handle.iter_batches(batch_size=batch_rows, columns=columns), handle.metadata.num_rows, 1
        if suffix in (".csv", ".tsv", ".txt"):
            parse = pcsv.ParseOptions(delimiter="\t" if suffix == ".tsv" else ",")
            # Arrow refuses a missing include_column with a bare KeyError naming one column; the
            # header alone (one small block) lets us name every missing column the usual way.
            header = pcsv.open_csv(file, parse_options=parse, read_options=pcsv.ReadOptions(block_size=1 << 16))
            _require(file.name, columns, header.schema.names)
            reader = pcsv.open_csv(file, parse_options=parse,
                                   convert_options=pcsv.ConvertOptions(include_columns=columns,
                                                                       include_missing_columns=False),
                                   read_options=pcsv.ReadOptions(block_size=64 << 20))
            return _guard(file.name, iter(reader)), None, 2
    except (OSError, pa.ArrowInvalid) as exc:
        raise FormatError([Problem(file.name, "", "unreadable", f"cannot be read: {exc}")]) from None
    raise FormatError([Problem(file.name, "", "unknown_format", "is not .csv, .tsv or .parquet")])


def _require(label: str, columns: list[str] | None, present: list[str]) -> None:
    missing = [c for c in columns or () if c not in present]
    if missing:
        raise FormatError([Problem(label, c, "missing_column", f"has no column {c!r}") for c in missing])


def _guard(label: str, batches: Iterator[Any]) -> Iterator[Any]:
    """CSV batches, turning a parse error half-way through the file into a FormatError."""
    import pyarrow as pa

    try:
        yield from batches
    except (OSError, pa.ArrowInvalid) as exc:
        raise FormatError([Problem(label, "", "unreadable", f"cannot be read: {exc}")]) from None


def _build(batches: Iterator[Any], total: int | None, label: str, first_row: int, source: str, target: str,
           amount: str, edge_id: str | None, node_ids: list[str] | None, node_data: pd.DataFrame | None,
           progress: Progress | None) -> Network:
    import pyarrow as pa
    import pyarrow.compute as pc

    amounts: list[np.ndarray] = []
    srcs: list[Any] = []
    dsts: list[Any] = []
    ids: list[np.ndarray] = []
    done = 0
    for batch in batches:
        values = _amounts(batch.column(batch.schema.get_field_index(amount)))
        bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
        if bad.size:
            raw = batch.column(batch.schema.get_field_index(amount))
            raise ValidationError([Problem(f"{label} row {done + int(r) + first_row}", amount, "amount",
                                           f"{_show(raw[int(r)].as_py())} is not a non-negative finite number")
                                   for r in bad[:_MAX_SHOWN]])
        amounts.append(values)
        for column, out in ((source, srcs), (target, dsts)):
            col = _ids(batch.column(batch.schema.get_field_index(column)))
            blank = pc.or_kleene(col.is_null(), pc.equal(col, ""))  # CSV reads an empty cell as ""
            if pc.any(blank).as_py():
                rows = np.flatnonzero(pc.fill_null(blank, True).to_numpy(zero_copy_only=False))
                raise ValidationError([Problem(f"{label} row {done + int(r) + first_row}", column, "missing_id",
                                               "is empty") for r in rows[:_MAX_SHOWN]])
            out.append(col)
        if edge_id:
            ids.append(np.asarray(_ids(batch.column(batch.schema.get_field_index(edge_id))).to_pylist(), dtype=object))
        done += batch.num_rows
        if progress is not None:
            progress(done, total)
    empty = pa.array([], type=pa.string())
    src_ids = pa.chunked_array(srcs, type=pa.string()) if srcs else pa.chunked_array([empty])
    dst_ids = pa.chunked_array(dsts, type=pa.string()) if dsts else pa.chunked_array([empty])
    if node_ids is None:
        uniques = pc.unique(pa.chunked_array(src_ids.chunks + dst_ids.chunks, type=pa.string()))
        node_ids = uniques.to_pylist()
    else:
        uniques = pa.array(node_ids, type=pa.string())
    src = _codes(src_ids, uniques)
    dst = _codes(dst_ids, uniques)
    unknown = np.flatnonzero((src < 0) | (dst < 0))
    if unknown.size:
        raise ValidationError([
            Problem(f"{label} row {int(r) + first_row}", source if src[r] < 0 else target, "unknown_node",
                    f"{(src_ids if src[r] < 0 else dst_ids)[int(r)].as_py()!r} is not in the node table")
            for r in unknown[:_MAX_SHOWN]])
    return Network(tuple(node_ids), src, dst, np.concatenate(amounts) if amounts else np.empty(0),
                   edge_ids=np.concatenate(ids) if edge_id and ids else None, node_data=node_data,
                   params={"source": label})


def _amounts(column: Any) -> np.ndarray:
    """A float64 copy of the amount column; missing or non-numeric values become NaN (reported)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type) or pa.types.is_decimal(column.type):
        values = pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False)
        return np.asarray(values, dtype=np.float64).copy()
    return np.asarray(pd.to_numeric(pd.Series(column.to_pylist(), dtype=object), errors="coerce"), dtype=np.float64)


def _ids(column: Any) -> Any:
    """Node ids as an Arrow string array (integers and dictionaries are converted in Arrow)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    if pa.types.is_nested(column.type) or pa.types.is_binary(column.type) or pa.types.is_large_binary(column.type):
        raise FormatError([Problem("edges", "", "column_type", f"a node id column holds {str(column.type)[:80]} "
                                   "values; ids must be text or whole numbers")])
    if pa.types.is_large_string(column.type) or not pa.types.is_string(column.type):
        try:
            column = pc.cast(column, pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise FormatError([Problem("edges", "", "column_type",
                                       f"node ids cannot be read as text: {str(exc)[:200]}")]) from None
    return column


def _codes(ids: Any, uniques: Any) -> np.ndarray:
    import pyarrow.compute as pc

    found = pc.fill_null(pc.index_in(ids, value_set=uniques), -1)
    return np.asarray(found.to_numpy(), dtype=np.int32) if found.num_chunks else np.empty(0, np.int32)


def _show(value: Any) -> str:
    if value is None:
        return "an empty cell"
    return repr(value.item() if isinstance(value, np.generic) else value)

