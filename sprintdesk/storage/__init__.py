"""The store: engine and sessions (``open_store``), the Alembic migrations, backups and restore,
and the start-up reader that shows the plan before the ORM loads. No Qt."""
