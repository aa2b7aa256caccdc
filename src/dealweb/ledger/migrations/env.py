"""Alembic environment: runs migrations on the connection dealweb hands over.

dealweb runs Alembic programmatically (:func:`dealweb.ledger.store.migrate`), passing an
open connection in ``config.attributes["connection"]``; there is no alembic.ini.
"""

from alembic import context

from dealweb.ledger.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs the alembic CLI by hand
    raise RuntimeError("run migrations through dealweb (dealweb init / dealweb.open), not the alembic CLI")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
