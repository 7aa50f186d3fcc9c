"""Counts the database keeps itself: how many rows of a table have each combination of a
few values, updated by triggers as rows are added, changed or removed.

A county's statistics (DOMAIN §11) count a million lines of roll and most of as many
check-ins. Counting them at each request takes longer than the page may; counting them
as they are written costs each write a little. The services are not the only writers —
a roll is rewritten with COPY and one DELETE (:mod:`huanjie.bulk`) — so the counting is
the database's: triggers, written here for SQLite (one row at a time) and for
PostgreSQL (one statement at a time, from its transition tables, so that a COPY of a
million rows is counted in one grouped insert).

A count is a row of its own table with the key columns and ``n``. An update takes the
row off its count as it was and adds it as it is, whichever column changed. A count
that falls to zero stays, with ``n = 0``: readers take ``n > 0``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Counted:
    """The counts of ``table`` in ``counts``, by ``key``: each column of ``counts`` →
    its value as an SQL expression over a row of ``table``, named ``{row}``."""

    counts: str
    table: str
    key: dict[str, str]

    @property
    def name(self) -> str:
        return f"{self.counts}_kept"

    def _values(self, row: str) -> dict[str, str]:
        """Each key column → its value for ``row``."""
        return {column: f"({value.format(row=row)})" for column, value in self.key.items()}

    def _columns(self) -> str:
        return ", ".join(self.key)

    def _grouped(self, rows: str) -> str:
        """The counts of ``rows`` (a table, or a transition table), by key."""
        values = ", ".join(f"{v} AS {c}" for c, v in self._values(rows).items())
        numbers = ", ".join(str(i + 1) for i in range(len(self.key)))
        return f"SELECT {values}, COUNT(*) AS n FROM {rows} GROUP BY {numbers}"

    def recount(self) -> list[str]:
        """The statements that count the table afresh (after the table is created, or
        to mend counts written while the triggers were missing)."""
        return [
            f"DELETE FROM {self.counts}",
            f"INSERT INTO {self.counts} ({self._columns()}, n) {self._grouped(self.table)}",
        ]

    def differences(self) -> str:
        """A query of the keys whose kept count differs from the rows counted now:
        key columns, the kept count and the true one."""
        on = " AND ".join(f"k.{c} = r.{c}" for c in self.key)
        columns = ", ".join(f"COALESCE(k.{c}, r.{c})" for c in self.key)
        return (
            f"SELECT {columns}, COALESCE(k.n, 0), COALESCE(r.n, 0) "
            f"FROM (SELECT * FROM {self.counts} WHERE n <> 0) k "
            f"FULL OUTER JOIN ({self._grouped(self.table)}) r ON {on} "
            f"WHERE COALESCE(k.n, 0) <> COALESCE(r.n, 0)"
        )

    def migration(self):
        """The migration operation that creates the triggers and counts what is there
        (and drops them when migrating back)."""
        from django.db.migrations import RunPython

        def install(apps, schema_editor):
            for sql in (*self.install(schema_editor.connection.vendor), *self.recount()):
                schema_editor.execute(sql)

        def uninstall(apps, schema_editor):
            for sql in self.uninstall(schema_editor.connection.vendor):
                schema_editor.execute(sql)

        return RunPython(install, uninstall)

    # The triggers

    def install(self, vendor: str) -> list[str]:
        """The statements that create the triggers on ``vendor``'s database."""
        if vendor == "postgresql":
            return self._postgresql()
        if vendor == "sqlite":
            return self._sqlite()
        raise NotImplementedError(vendor)

    def uninstall(self, vendor: str) -> list[str]:
        if vendor == "postgresql":
            return [f"DROP FUNCTION IF EXISTS {self.name}() CASCADE"]
        return [f"DROP TRIGGER IF EXISTS {self.name}_{op}" for op in ("insert", "delete", "update")]

    def _subtract(self, rows: str, grouped: bool) -> str:
        if grouped:
            on = " AND ".join(f"{self.counts}.{c} = r.{c}" for c in self.key)
            return (
                f"UPDATE {self.counts} SET n = {self.counts}.n - r.n "
                f"FROM ({self._grouped(rows)}) r WHERE {on}"
            )
        on = " AND ".join(f"{c} = {v}" for c, v in self._values(rows).items())
        return f"UPDATE {self.counts} SET n = n - 1 WHERE {on}"

    def _add(self, rows: str, grouped: bool) -> str:
        source = (
            self._grouped(rows)
            if grouped
            else f"SELECT {', '.join(self._values(rows).values())}, 1 WHERE true"
        )
        return (
            f"INSERT INTO {self.counts} ({self._columns()}, n) {source} "
            f"ON CONFLICT ({self._columns()}) DO UPDATE SET n = {self.counts}.n + excluded.n"
        )

    def _sqlite(self) -> list[str]:
        return [
            f"CREATE TRIGGER {self.name}_insert AFTER INSERT ON {self.table} "
            f"BEGIN {self._add('NEW', False)}; END",
            f"CREATE TRIGGER {self.name}_delete AFTER DELETE ON {self.table} "
            f"BEGIN {self._subtract('OLD', False)}; END",
            f"CREATE TRIGGER {self.name}_update AFTER UPDATE ON {self.table} "
            f"BEGIN {self._subtract('OLD', False)}; {self._add('NEW', False)}; END",
        ]

    def _postgresql(self) -> list[str]:
        # One function for the three triggers: each statement of it names only the
        # transition tables its trigger has, and PL/pgSQL plans a statement only when it
        # first runs.
        body = (
            "BEGIN "
            f"IF TG_OP <> 'INSERT' THEN {self._subtract('removed', True)}; END IF; "
            f"IF TG_OP <> 'DELETE' THEN {self._add('added', True)}; END IF; "
            "RETURN NULL; END"
        )
        statement = "FOR EACH STATEMENT EXECUTE FUNCTION"
        return [
            f"CREATE FUNCTION {self.name}() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$",
            f"CREATE TRIGGER {self.name}_insert AFTER INSERT ON {self.table} "
            f"REFERENCING NEW TABLE AS added {statement} {self.name}()",
            f"CREATE TRIGGER {self.name}_delete AFTER DELETE ON {self.table} "
            f"REFERENCING OLD TABLE AS removed {statement} {self.name}()",
            f"CREATE TRIGGER {self.name}_update AFTER UPDATE ON {self.table} "
            f"REFERENCING OLD TABLE AS removed NEW TABLE AS added {statement} {self.name}()",
        ]
