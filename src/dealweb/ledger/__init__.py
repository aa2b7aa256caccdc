"""The ledger: the store (SQLite or PostgreSQL), migrations, import/export and history.

The only layer that touches databases and files.
"""

from dealweb.ledger.adding import add_deal
from dealweb.ledger.ledger import Change, ChangeReport, Ledger
from dealweb.ledger.store import default_db_path, resolve_url, store_exists

__all__ = ["Change", "ChangeReport", "Ledger", "add_deal", "default_db_path", "resolve_url", "store_exists"]
