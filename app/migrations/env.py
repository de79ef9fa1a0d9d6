"""Alembic environment: runs on the connection ``app.migrate`` hands over."""

from __future__ import annotations

from alembic import context

import app.migrate  # noqa: F401 - it imports every module whose tables join the metadata: one list
from casework.kernel.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("app.migrate passes a connection; run `alongside db upgrade`")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline migrations are not supported")
run_migrations_online()
