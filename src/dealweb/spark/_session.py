"""Finding pyspark and Java, and a Spark session to run on.

pyspark is an optional extra (``pip install 'dealweb[spark]'``); importing :mod:`dealweb.spark`
never imports it. The first function that needs Spark calls :func:`require_spark`, which raises
:class:`SparkUnavailableError` (a :class:`~dealweb.errors.MissingDependencyError`) naming what
is missing: the pyspark package, or a Java runtime (Spark 4 needs Java 17 or later).
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from dealweb.errors import MissingDependencyError

__all__ = ["SparkUnavailableError", "local_session", "require_spark", "session"]


class SparkUnavailableError(MissingDependencyError):
    """pyspark is not installed, or there is no Java runtime to start Spark with."""


def require_spark() -> Any:
    """The ``pyspark.sql`` module, or :class:`SparkUnavailableError` saying what to install."""
    try:
        import pyspark.sql
    except ImportError:
        raise SparkUnavailableError("the Spark backend needs pyspark: pip install 'dealweb[spark]'") from None
    return pyspark.sql


def java_available() -> bool:
    """Whether a ``java`` executable is on ``PATH`` or under ``JAVA_HOME``."""
    home = os.environ.get("JAVA_HOME")
    return shutil.which("java") is not None or bool(home and os.path.exists(os.path.join(home, "bin", "java")))


def session(spark: Any = None) -> Any:
    """``spark`` if given, else the active session, else :class:`SparkUnavailableError`."""
    if spark is not None:
        return spark
    sql = require_spark()
    active = sql.SparkSession.getActiveSession()
    if active is None:
        raise SparkUnavailableError("no active SparkSession: pass spark=… or start one (dealweb.spark.local_session())")
    return active


def local_session(cores: int = 2, *, shuffle_partitions: int = 4, driver_memory: str = "2g",
                  app_name: str = "dealweb", **conf: str) -> Any:
    """A ``local[cores]`` session for tests, notebooks and benchmarks (UI off, Arrow transfers on).

    On a cluster, build the session with ``spark-submit`` instead (see docs/scale.md).
    """
    sql = require_spark()
    if not java_available():
        raise SparkUnavailableError("Spark needs a Java runtime (17 or later): none on PATH or JAVA_HOME")
    # PySpark picks the workers' interpreter from PYSPARK_PYTHON (default: python3 on PATH, which may
    # lack numpy and pyarrow); in local mode the workers should be this very interpreter.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (sql.SparkSession.builder.master(f"local[{cores}]").appName(app_name)
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
               .config("spark.default.parallelism", str(shuffle_partitions))
               .config("spark.driver.memory", driver_memory)
               .config("spark.pyspark.python", sys.executable)  # workers need this interpreter's numpy, pyarrow
               .config("spark.pyspark.driver.python", sys.executable)
               .config("spark.sql.execution.arrow.pyspark.enabled", "true"))
    for key, value in conf.items():
        builder = builder.config(key.replace("__", "."), value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
