"""Where the ledger lives: resolving ``--db``, opening engines, migrating, transactions.

The default store is one SQLite file in the user data directory
(``platformdirs.user_data_dir("dealweb")/dealweb.sqlite``). ``DEALWEB_DB`` or an explicit
``db`` argument overrides it with a file path, ``sqlite:///…``, or ``postgresql://…``
(driven by psycopg 3). The schema is created and upgraded by Alembic migrations.

Writers never interleave. :func:`atomic` with ``write=True`` takes the ledger's write lock as
the transaction's first statement: ``BEGIN IMMEDIATE`` on a SQLite file (the database's own
reserved lock, so it holds across processes) and a transaction-scoped advisory lock on
PostgreSQL (``pg_advisory_xact_lock``). Everything a write reads inside that transaction (the
ids already taken, the next free id) is therefore still true when it commits; readers are never
blocked by the lock on PostgreSQL and only for the moment of a commit on SQLite.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from weakref import WeakKeyDictionary

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DataError, IntegrityError, OperationalError, SQLAlchemyError

from dealweb.errors import DuplicateIdError, Problem, StoreError, ValidationError

__all__ = ["DEFAULT_DB_ENV", "atomic", "create_store_engine", "default_db_path", "migrate", "resolve_url", "schema_revision",
           "store_error", "store_exists"]

DEFAULT_DB_ENV = "DEALWEB_DB"
_MIGRATIONS = Path(__file__).with_name("migrations")
#: Seconds a SQLite connection waits for another's lock before it gives up ("database is locked").
SQLITE_BUSY_TIMEOUT = 60.0
# Any fixed 64-bit number: the PostgreSQL advisory lock that serialises the ledger's writers.
_PG_WRITE_LOCK = 0x6465616C776562  # "dealweb"
_WRITE_OPTION = "dealweb_write"
# One lock per engine for writers in this process (a shared in-memory SQLite database has no file lock).
_LOCAL_LOCKS: WeakKeyDictionary[Engine, threading.Lock] = WeakKeyDictionary()
_LOCAL_LOCKS_GUARD = threading.Lock()


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


def store_exists(url: str) -> bool:
    """Whether ``url`` names a database that exists already (a SQLite file on disk; any server URL).

    >>> store_exists("sqlite:////nonexistent/folder/x.sqlite"), store_exists("sqlite://")
    (False, False)
    """
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        path = Path(parsed.database) if parsed.database else None
        return path is not None and path.is_file() and path.stat().st_size > 0
    return True


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_file_connect(dbapi_connection: object, record: object) -> None:
    _sqlite_pragmas(dbapi_connection, record)
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    try:
        # Write-ahead logging: readers never wait for a writer and a writer never waits for readers.
        # The mode is stored in the file, so this is a no-op after the first time.
        cursor.execute("PRAGMA journal_mode=WAL")
    except Exception:
        pass
    finally:
        cursor.close()
    # The driver's own implicit BEGIN is switched off so that _sqlite_begin decides how a transaction starts.
    dbapi_connection.isolation_level = None  # type: ignore[attr-defined]


def _sqlite_begin(conn: Connection) -> None:
    # A write takes SQLite's RESERVED lock at once (BEGIN IMMEDIATE): two writers can then never both
    # read the same "next id" and collide, or deadlock upgrading a read lock; the second one waits.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE_OPTION) else "BEGIN")


def create_store_engine(url: str, *, create_folder: bool = False) -> Engine:
    """An engine for ``url``; SQLite files get foreign keys switched on.

    A SQLite file's folder must exist (a mistyped path is an error, not a new empty ledger),
    unless ``create_folder`` is set or the file is the embedded default in the user data folder.
    """
    parsed = make_url(url)
    kwargs: dict[str, object] = {}
    sqlite_file = parsed.drivername.startswith("sqlite") and bool(parsed.database)
    if parsed.drivername.startswith("sqlite"):
        if parsed.database:
            folder = Path(parsed.database).parent
            if create_folder or Path(parsed.database) == default_db_path().expanduser().resolve():
                folder.mkdir(parents=True, exist_ok=True)
            elif not folder.is_dir():
                raise StoreError(f"cannot open database {parsed.database}: the folder {folder} does not exist "
                                 "(create it first, or run `dealweb init --db …`, which creates it)")
            kwargs = {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT}}
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
    if sqlite_file:
        event.listen(engine, "connect", _sqlite_file_connect)
        event.listen(engine, "begin", _sqlite_begin)
    elif parsed.drivername.startswith("sqlite"):
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


def _local_lock(engine: Engine) -> threading.Lock:
    with _LOCAL_LOCKS_GUARD:
        lock = _LOCAL_LOCKS.get(engine)
        if lock is None:
            lock = _LOCAL_LOCKS[engine] = threading.Lock()
        return lock


def store_error(exc: SQLAlchemyError, engine: Engine) -> Exception:
    """The dealweb error for a database error met while reading or writing.

    A unique-key clash is a :class:`~dealweb.errors.DuplicateIdError`; a value the database refuses
    (which the domain checks of :mod:`dealweb.model.domain` should have stopped) a
    :class:`~dealweb.errors.ValidationError`; anything else, including "database or disk is full"
    and "database is locked", a :class:`~dealweb.errors.StoreError` (HTTP 503).
    """
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
    if isinstance(exc, IntegrityError) and ("unique" in detail.lower() or "duplicate key" in detail.lower()):
        return DuplicateIdError([Problem("ledger", "id", "duplicate_id",
                                         f"a record with this id was written at the same moment: {detail}")])
    if isinstance(exc, DataError):
        return ValidationError([Problem("ledger", "", "store_rejected", f"the database refused a value: {detail}")])
    name = engine.url.render_as_string(hide_password=True)
    if isinstance(exc, OperationalError) and "full" in detail.lower():
        return StoreError(f"cannot write to {name}: the disk is full ({detail}); nothing was written")
    return StoreError(f"database {name} failed: {detail}; nothing was written")


@contextmanager
def atomic(engine: Engine, *, write: bool = False) -> Iterator[Connection]:
    """One transaction: everything inside commits together or not at all.

    An exception (including ``KeyboardInterrupt``) rolls the whole block back, so an
    interrupted import leaves the database exactly as it was. With ``write=True`` the
    transaction first takes the ledger's write lock (see the module docstring), so writers run
    one after another and what a writer reads stays true until it commits. Database errors
    become dealweb errors (:func:`store_error`).
    """
    local = _local_lock(engine) if write else None
    if local is not None:
        local.acquire()
    try:
        with engine.connect() as conn:
            if write:
                conn.execution_options(**{_WRITE_OPTION: True})
            try:
                trans = conn.begin()
                if write and engine.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_WRITE_LOCK})
            except SQLAlchemyError as exc:
                raise store_error(exc, engine) from None
            try:
                yield conn
            except SQLAlchemyError as exc:
                trans.rollback()
                raise store_error(exc, engine) from None
            except BaseException:
                trans.rollback()
                raise
            else:
                try:
                    trans.commit()
                except SQLAlchemyError as exc:
                    raise store_error(exc, engine) from None
    finally:
        if local is not None:
            local.release()
