"""Writing many rows at once: COPY on PostgreSQL, ``executemany`` elsewhere.

The demo county and the residents files bring hundreds of thousands of rows; through
the ORM, a batch of a few dozen rows at a time, that takes minutes. These helpers take
plain tuples in the order of the named fields and bypass the ORM's per-object work, so
callers must give values as the database stores them (dates as ISO strings, foreign
keys as ids).
"""

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import lru_cache

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

#: Rows per statement: large enough to be fast, small enough that one chunk is all that
#: is held in memory beyond the caller's own data.
CHUNK = 20_000


def insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert rows (values in the order of ``fields``, attribute names) quickly."""
    opts = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(opts.get_field(name).column) for name in fields)
    table = quote(opts.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        chunk: list[tuple] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == CHUNK:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)


def first_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def reset_sequences(*used: type[models.Model]) -> None:
    """After inserting explicit keys, move PostgreSQL's sequences past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(used))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def delete(queryset: models.QuerySet) -> int:
    """Delete the rows of a queryset with one DELETE, without loading them.

    Django's ``delete()`` first fetches every row to run signals and emulate ON DELETE
    for the models that point at them; for a roll of 200,000 lines that is most of the
    time. Use this only where nothing points at the rows, or what does is meant to be
    left to the database's own constraints.
    """
    return queryset._raw_delete(queryset.db)


def rows(queryset: models.QuerySet, fields: Sequence[str]) -> Iterator[tuple]:
    """The values of ``fields`` for each row, as the database driver gives them.

    ``values_list`` runs Django's converters on every value; over a county's million
    residents that is seconds. Without them SQLite gives booleans as 0/1 and dates as
    ISO text: callers convert what they need (see :func:`day`).
    """
    sql, params = queryset.values_list(*fields).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(CHUNK):
            yield from chunk


@lru_cache(maxsize=65_536)
def _iso(text: str) -> date:
    return date.fromisoformat(text)


def day(value) -> date | None:
    """A date column's value from :func:`rows`, whichever database gave it."""
    return _iso(value) if isinstance(value, str) else value
