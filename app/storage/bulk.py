"""Statements over many rows that stay within every SQLite's limit on bound parameters.

SQLite before 3.32 (the system library of Debian 10, UOS V20 and Kylin V10, which a build
for those systems carries) allows 999 parameters a statement; newer ones allow 32 766.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

import peewee

MAX_PARAMETERS = 999
IN_CHUNK = 500  # values in one IN (...) list

T = TypeVar("T")


def chunks(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def insert_rows(
    model: type[peewee.Model],
    rows: Sequence[dict[str, Any]] | Sequence[tuple[Any, ...]],
    *,
    fields: Sequence[peewee.Field] | None = None,
) -> None:
    """Insert ``rows`` (dicts, or tuples in the order of ``fields``) in as few statements as
    the parameter limit allows."""
    if not rows:
        return
    # peewee adds the columns that have defaults to every row: count every column.
    width = len(model._meta.sorted_fields)
    size = max(1, MAX_PARAMETERS // width)
    for batch in chunks(rows, size):
        query = model.insert_many(batch, fields=list(fields) if fields is not None else None)
        query.execute()
