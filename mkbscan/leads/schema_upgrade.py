"""Bring an existing lead database up to the tables in mkbscan.leads.schema, in place.

`metadata.create_all` makes missing tables but leaves existing ones as they are. Our schema
only grows: a later release adds nullable columns and indexes, never renames or drops one.
This adds what an existing table lacks (ALTER TABLE ... ADD COLUMN, the same on SQLite and
PostgreSQL, and CREATE INDEX). A change beyond that would need a migration tool such as
Alembic.
"""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.sql import text

from mkbscan.leads.schema import metadata


def missing_columns(conn: Connection) -> list[tuple[str, str]]:
    """(table, column) pairs the schema has and the database lacks."""
    inspector = inspect(conn)
    missing = []
    for table in metadata.sorted_tables:
        if not inspector.has_table(table.name):
            continue
        present = {column["name"] for column in inspector.get_columns(table.name)}
        missing += [(table.name, column.name) for column in table.columns
                    if column.name not in present]
    return missing


def upgrade(conn: Connection) -> list[str]:
    """Add every missing column and index; returns what was added ("table.column" or the
    index's name). Refuses a column that cannot be added to a table with rows."""
    quote = conn.dialect.identifier_preparer.quote
    added = []
    for table_name, column_name in missing_columns(conn):
        column = metadata.tables[table_name].c[column_name]
        if not column.nullable:
            raise RuntimeError(f"{table_name}.{column_name} is not nullable: needs a migration")
        kind = column.type.compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE {quote(table_name)} "
                          f"ADD COLUMN {quote(column_name)} {kind}"))
        added.append(f"{table_name}.{column_name}")
    inspector = inspect(conn)
    for table in metadata.sorted_tables:
        present = {index["name"] for index in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in present:
                index.create(conn)
                added.append(str(index.name))
    return added
