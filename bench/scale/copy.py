"""Rows go in with PostgreSQL COPY from in-memory CSV, with the big tables' secondary indexes
dropped first and rebuilt after."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Callable, Iterable, Sequence

from django.db import connection, models

from .plan import FLUSH_ROWS, NULL

# --- COPY -----------------------------------------------------------------------------

# Tables of 100,000s of rows: loading them with their secondary indexes and foreign keys
# in place costs an index insertion per index and an FK check per row (a third of the
# run); building each index once afterwards, and validating each FK with one join, is
# several times faster. Primary keys stay. It all happens inside the seeding transaction,
# so a failed run leaves the schema as it was.
BULK_TABLES = [
    "portal_user",
    "account_emailaddress",
    "groups_membership",
    "campaigns_actiontaken",
    "campaigns_campaignsupporter",
    "campaigns_sharearrival",
    "events_rsvp",
]


def drop_secondary_indexes(cursor, tables: Sequence[str]) -> list[str]:
    """Drop the tables' foreign keys, unique constraints and non-primary indexes; return
    the statements that recreate them (indexes first, then constraints)."""
    cursor.execute(
        """
        SELECT format('ALTER TABLE %%I ADD CONSTRAINT %%I %%s', rel.relname, con.conname,
                      pg_get_constraintdef(con.oid)),
               format('ALTER TABLE %%I DROP CONSTRAINT %%I', rel.relname, con.conname)
        FROM pg_constraint con
        JOIN pg_class rel ON rel.oid = con.conrelid
        WHERE rel.relname = ANY(%s) AND rel.relnamespace = current_schema()::regnamespace
          AND con.contype IN ('f', 'u')
        ORDER BY con.contype DESC, rel.relname, con.conname
        """,
        [list(tables)],
    )
    constraints = cursor.fetchall()
    for _, drop in constraints:
        cursor.execute(drop)
    cursor.execute(
        """
        SELECT pg_get_indexdef(ix.indexrelid), format('DROP INDEX %%I', idx.relname)
        FROM pg_index ix
        JOIN pg_class rel ON rel.oid = ix.indrelid
        JOIN pg_class idx ON idx.oid = ix.indexrelid
        WHERE rel.relname = ANY(%s) AND rel.relnamespace = current_schema()::regnamespace
          AND NOT ix.indisprimary
        ORDER BY rel.relname, idx.relname
        """,
        [list(tables)],
    )
    indexes = cursor.fetchall()
    for _, drop in indexes:
        cursor.execute(drop)
    # Unique constraints ('u' sorts after 'f', DESC puts them first) before foreign keys.
    return [create for create, _ in indexes] + [add for add, _ in constraints]


def _csv_constant(field: models.Field) -> str:
    value = field.get_default()
    if value is None:
        return NULL
    if isinstance(value, dict | list):
        return json.dumps(value)
    prepared = field.get_db_prep_save(value, connection)
    return NULL if prepared is None else str(prepared)


class TableWriter:
    """COPY rows into one model's table. `columns` are the attnames the caller gives, in
    order; any other column (a field added later) gets its model default, evaluated once,
    so a new NOT NULL field without a default is reported instead of guessed."""

    def __init__(self, model: type[models.Model], columns: Sequence[str], *, cursor, report):
        self.model = model
        self.cursor = cursor
        self.report = report
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in fields]
        if unknown:
            raise ValueError(f"{model._meta.label} has no column(s) {unknown}")
        extra = []
        for attname, field in fields.items():
            if attname in columns:
                continue
            if field.primary_key and isinstance(field, models.fields.AutoFieldMixin):
                continue  # the sequence numbers it (m2m through rows)
            # A text field that may be blank (a later optional field) gets "".
            blank_text = field.blank and field.empty_strings_allowed
            if not field.has_default() and not field.null and not blank_text:
                raise ValueError(
                    f"seed_scale does not know how to fill {model._meta.label}.{attname}: "
                    "add it to portal/scale.py."
                )
            extra.append((field.column, _csv_constant(field)))
        names = [fields[c].column for c in columns] + [column for column, _ in extra]
        self.extra = tuple(value for _, value in extra)
        self.sql = (
            f"COPY {connection.ops.quote_name(model._meta.db_table)} "
            f"({', '.join(connection.ops.quote_name(n) for n in names)}) "
            r"FROM STDIN WITH (FORMAT csv, NULL '\N')"
        )
        self.rows: list[tuple] = []
        self.count = 0

    def add(self, row: tuple) -> None:
        self.rows.append(row + self.extra if self.extra else row)
        if len(self.rows) >= FLUSH_ROWS:
            self.flush()

    def add_many(self, rows: Iterable[tuple]) -> None:
        for row in rows:
            self.add(row)

    def flush(self) -> None:
        if not self.rows:
            return
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(self.rows)
        buffer.seek(0)
        self.cursor.copy_expert(self.sql, buffer)
        self.count += len(self.rows)
        self.rows = []

    def close(self) -> int:
        self.flush()
        self.report.table_done(self.model._meta.db_table, self.count)
        return self.count


class Report:
    """Progress as it goes, and the tally at the end."""

    def __init__(self, write: Callable[[str], None]):
        self.write = write
        self.started = time.monotonic()
        self.tally: dict[str, int] = {}

    def step(self, message: str) -> None:
        self.write(f"[{time.monotonic() - self.started:6.1f}s] {message}")

    def table_done(self, table: str, count: int) -> None:
        self.tally[table] = self.tally.get(table, 0) + count
        self.step(f"  {table}: {count:,} rows")
