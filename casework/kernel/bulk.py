"""Many rows of plain columns at the driver's speed.

The people list reads the ids of a whole caseload (100,000 people) in name
order. Through the ORM each row costs more Python than the database spends
finding it, and even a Core result wraps every row; ``plain_rows`` runs the
same SQLAlchemy statement on the session's own connection (so in the same
transaction, its parameters converted as always) and hands back the
driver's own tuples.

The values read back are not converted, so this is only for columns that
need no conversion (integers and text): dates and enums are read through a
normal ``session.execute``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from sqlalchemy import Select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

T = TypeVar("T")


def plain_rows(session: Session, stmt: Select[Any]) -> list[tuple[Any, ...]]:
    """The rows of ``stmt`` as the driver returns them (no type conversion)."""
    return _read(session, stmt, list)


def first_column(session: Session, stmt: Select[Any]) -> list[Any]:
    """The first column of every row of ``stmt``, as ``plain_rows`` reads it."""
    return _read(session, stmt, lambda rows: [row[0] for row in rows])


def _read(session: Session, stmt: Select[Any], take: Callable[[Iterable[Any]], T]) -> T:
    """SQLAlchemy runs the statement (parameters, lists of ids and errors as
    always); ``take`` reads its rows straight off the driver's cursor."""
    connection = session.connection()
    result = connection.execute(stmt)
    try:
        # The drivers used (sqlite3, psycopg) iterate their cursors, as PEP 249 allows.
        return take(cast(Iterable[Any], result.cursor))
    except connection.dialect.loaded_dbapi.Error as exc:
        # As SQLAlchemy would raise it, so callers explain it the same way.
        raise DBAPIError.instance(None, None, exc, connection.dialect.loaded_dbapi.Error) from exc
    finally:
        result.close()
