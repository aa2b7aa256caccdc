"""Where the ledger lives: resolving ``--db``, opening engines, migrating, transactions.

The default store is one SQLite file in the user data directory
(``platformdirs.user_data_dir("dealweb")/dealweb.sqlite``). ``DEALWEB_DB`` or an explicit
``db`` argument overrides it with a file path, ``sqlite:///…``, or ``postgresql://…``
(driven by psycopg 3). The schema is created and upgraded by Alembic migrations.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from dealweb.errors import StoreError

__all__ = ["DEFAULT_DB_ENV", "atomic", "create_store_engine", "default_db_path", "migrate", "resolve_url", "schema_revision"]

DEFAULT_DB_ENV = "DEALWEB_DB"
_MIGRATIONS = Path(__file__).with_name("migrations")


def default_db_path() -> Path:
    """The embedded database file used when neither ``db`` nor ``DEALWEB_DB`` is given."""
    return Path(platformdirs.user_data_dir("dealweb", appauthor=False)) / "dealweb.sqlite"


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """Turn a ``--db`` value (path, SQLite or PostgreSQL URL, or nothing) into a SQLAlchemy URL.

    >>> resolve_url("postgresql://u@localhost/dw")
    'postgresql+psycopg://u@localhost/dw'
    >>> resolve_url("/tmp/x.sqlite")
    'sqlite:////tmp/x.sqlite'
    >>> resolve_url(":memory:")
    'sqlite://'
    """
    value = os.fspath(db) if db is not None else os.environ.get(DEFAULT_DB_ENV) or os.fspath(default_db_path())
    if value in (":memory:", "sqlite://", "sqlite:///:memory:"):
        return "sqlite://"
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    try:
        url = make_url(value)
    except ArgumentError as exc:
        raise StoreError(f"{value!r} is not a database URL or file path: {exc}") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    elif not (url.drivername.startswith("sqlite") or url.drivername.startswith("postgresql")):
        raise StoreError(f"unsupported database {url.drivername!r}: use a SQLite file or a postgresql:// URL")
    return url.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_store_engine(url: str, *, create_folder: bool = False) -> Engine:
    """An engine for ``url``; SQLite files get foreign keys switched on.

    A SQLite file's folder must exist (a mistyped path is an error, not a new empty ledger),
    unless ``create_folder`` is set or the file is the embedded default in the user data folder.
    """
    parsed = make_url(url)
    kwargs: dict[str, object] = {}
    if parsed.drivername.startswith("sqlite"):
        if parsed.database:
            folder = Path(parsed.database).parent
            if create_folder or Path(parsed.database) == default_db_path().expanduser().resolve():
                folder.mkdir(parents=True, exist_ok=True)
            elif not folder.is_dir():
                raise StoreError(f"cannot open database {parsed.database}: the folder {folder} does not exist "
                                 "(create it first, or run `dealweb init --db …`, which creates it)")
        else:
            # One shared in-memory database for every connection of this engine.
            from sqlalchemy.pool import StaticPool

            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    try:
        engine = create_engine(url, **kwargs)
    except ImportError as exc:
        if parsed.drivername.startswith("postgresql"):
            raise StoreError("PostgreSQL needs the postgres extra: pip install 'dealweb[postgres]'") from None
        raise StoreError(f"cannot open database {parsed.render_as_string(hide_password=True)}: {exc}") from None
    except (ArgumentError, SQLAlchemyError) as exc:
        raise StoreError(f"cannot open database {parsed.render_as_string(hide_password=True)}: {exc}") from None
    if parsed.drivername.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _alembic_config(connection: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at, or ``None`` for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine) -> str:
    """Create or upgrade the schema to the newest migration; return the revision reached."""
    head = ScriptDirectory(str(_MIGRATIONS)).get_current_head()
    try:
        if schema_revision(engine) != head:
            with engine.begin() as conn:
                command.upgrade(_alembic_config(conn), "head")
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot migrate database {engine.url.render_as_string(hide_password=True)}: {exc}") from None
    return head or ""


@contextmanager
def atomic(engine: Engine) -> Iterator[Connection]:
    """One transaction: everything inside commits together or not at all.

    An exception (including ``KeyboardInterrupt``) rolls the whole block back, so an
    interrupted import leaves the database exactly as it was.
    """
    with engine.connect() as conn:
        trans = conn.begin()
        try:
            yield conn
        except BaseException:
            trans.rollback()
            raise
        else:
            trans.commit()
