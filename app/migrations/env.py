"""Alembic environment: runs on the connection ``app.migrate`` hands over."""

from __future__ import annotations

from alembic import context

from casework.models import Base
from delegation import assisted as _assisted_models  # noqa: F401 - its tables join the metadata
from delegation import models as _delegation_models  # noqa: F401 - its tables join the metadata
from offline_sync import models as _outbox_models  # noqa: F401 - its tables join the metadata

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
