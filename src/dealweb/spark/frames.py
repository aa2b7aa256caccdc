"""Networks as Spark DataFrames: an edge frame of integer node indices, node frames, vectors back.

The Spark backend keeps the *edges* distributed, ``(src int, dst int, amount double)`` with the
node indices of a :class:`~dealweb.network.Network` (``src`` pays / owes ``dst``), and keeps
per-node state in node frames ``(id int, …)``. Results come back to the driver as one NumPy
vector per quantity (``n`` floats: 8 MB per million nodes), so they can be compared with the
single-machine results and wrapped in the same result types.

From files, :func:`edges_frame` reads Parquet with Spark itself (``s3a://`` and ``hdfs://``
paths work as for any Spark job) and numbers the node ids with ``zipWithIndex`` in id order,
without collecting the edges.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd

from dealweb.network.graph import Network
from dealweb.spark._session import session

__all__ = ["edges_frame", "node_frame", "to_vector"]


def edges_frame(source: Network | str | os.PathLike[str], *, spark: Any = None, partitions: int | None = None,
                src: str = "source", dst: str = "target", amount: str = "amount") -> tuple[Any, tuple[str, ...] | Any]:
    """The edge DataFrame ``(src, dst, amount)`` of a network or a Parquet edge list, and its node ids.

    Parameters
    ----------
    source
        A :class:`Network` (node ids are ``network.nodes``, returned as a tuple), or a Parquet path
        readable by Spark (local, ``hdfs://``, ``s3a://``) with string or integer id columns; node
        ids are then numbered ``0 … n−1`` in sorted order and returned as a DataFrame ``(id, node)``.
    spark
        The session (default: the active one).
    partitions
        Repartition the edges into this many partitions (default: as created / read).
    src, dst, amount
        Column names in the Parquet file.
    """
    spark = session(spark)
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    if isinstance(source, Network):
        frame = pd.DataFrame({"src": source.src.astype(np.int32), "dst": source.dst.astype(np.int32),
                              "amount": source.amount.astype(np.float64)})
        schema = T.StructType([T.StructField("src", T.IntegerType(), False), T.StructField("dst", T.IntegerType(), False),
                               T.StructField("amount", T.DoubleType(), False)])
        edges = spark.createDataFrame(frame, schema=schema)
        nodes: Any = source.nodes
    else:
        raw = spark.read.parquet(str(source)).select(F.col(src).cast("string").alias("s"),
                                                     F.col(dst).cast("string").alias("t"),
                                                     F.col(amount).cast("double").alias("amount"))
        ids = raw.select(F.col("s").alias("node")).union(raw.select(F.col("t").alias("node"))).distinct().sort("node")
        numbered = ids.rdd.zipWithIndex().map(lambda row: (int(row[1]), row[0][0])).toDF(["id", "node"])
        nodes = numbered.select(F.col("id").cast("int").alias("id"), "node")
        lookup = nodes
        edges = (raw.join(lookup.withColumnRenamed("id", "src").withColumnRenamed("node", "s"), "s")
                 .join(lookup.withColumnRenamed("id", "dst").withColumnRenamed("node", "t"), "t")
                 .select("src", "dst", "amount"))
    if partitions:
        edges = edges.repartition(partitions)
    return edges, nodes


def node_frame(values: dict[str, np.ndarray], *, spark: Any = None) -> Any:
    """A node DataFrame ``(id int, <name> double …)`` from vectors in node order."""
    spark = session(spark)
    n = len(next(iter(values.values()))) if values else 0
    data = {"id": np.arange(n, dtype=np.int32)}
    data.update({k: np.asarray(v, dtype=np.float64) for k, v in values.items()})
    return spark.createDataFrame(pd.DataFrame(data))


def to_vector(frame: Any, column: str, n: int, *, fill: float = 0.0, dtype: Any = np.float64) -> np.ndarray:
    """Collect ``frame``'s ``(id, column)`` into a length-``n`` vector in node order (``fill`` where absent)."""
    pdf = frame.select("id", column).toPandas()
    out = np.full(n, fill, dtype=dtype)
    if len(pdf):
        out[pdf["id"].to_numpy(dtype=np.int64)] = pdf[column].to_numpy(dtype=dtype)
    return out
