"""An optional extra that is not installed is one line naming the extra to install.

The package is hidden by a ``None`` entry in ``sys.modules``, which makes its import fail exactly
as it does where the extra was never installed.
"""

from __future__ import annotations

import sys

import pytest

from conftest import run
from dealweb.errors import MissingDependencyError
from dealweb.web.pdf import _playwright
from dealweb.web.report import ReportError


def test_postgres_without_psycopg_names_the_extra(db: str, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    code, out, err = run(capsys, "summary", "--db", "postgresql://dealweb@127.0.0.1:9/none")
    assert code == 1 and out == ""
    assert err == "Error: PostgreSQL needs the postgres extra: pip install 'dealweb[postgres]'\n"


def test_pdf_without_playwright_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    with pytest.raises(ReportError, match=r"^PDF output needs the pdf extra: pip install 'dealweb\[pdf\]'"):
        _playwright()


def test_spark_without_pyspark_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from dealweb.spark._session import require_spark

    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'dealweb\[spark\]'$"):
        require_spark()
