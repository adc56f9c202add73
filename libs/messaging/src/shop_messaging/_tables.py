"""The `outbox` and `inbox` tables, living in each service's own database.

A service adds them to its MetaData (for its ORM and tests) and creates them from its first
Alembic migration; this module never creates anything by itself.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

OUTBOX = "outbox"
INBOX = "inbox"
_UNPUBLISHED_INDEX = "ix_outbox_unpublished"
# What the retention purge (`_retention`) looks rows up by.
_PUBLISHED_AT_INDEX = "ix_outbox_published_at"
_HANDLED_AT_INDEX = "ix_inbox_handled_at"


def _outbox_columns() -> list[sa.Column[Any]]:
    return [
        # bigserial: the relay publishes in id order, which is insertion order.
        sa.Column("id", sa.BigInteger, sa.Identity(always=False), primary_key=True),
        sa.Column("event_id", sa.String(64), nullable=False, unique=True),
        sa.Column("topic", sa.String(249), nullable=False),
        sa.Column("key", sa.Text, nullable=True),
        sa.Column("type", sa.String(255), nullable=False),
        sa.Column("headers", JSONB, nullable=False),
        sa.Column("payload", JSONB, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        *_parking_columns(),
    ]


def _parking_columns() -> list[sa.Column[Any]]:
    # A row the broker refuses for good (too large, no such topic) is parked, not retried:
    # the relay skips it, so the rows behind it still go out. See docs/messaging-failures.md.
    return [
        sa.Column("parked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("park_reason", sa.Text, nullable=True),
    ]


def _inbox_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("consumer_group", sa.String(255), primary_key=True),
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column(
            "handled_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    ]


class MessagingTables(NamedTuple):
    outbox: sa.Table
    inbox: sa.Table


def add_messaging_tables(metadata: sa.MetaData) -> MessagingTables:
    """Define `outbox` and `inbox` on a service's MetaData.

    metadata = sa.MetaData()
    tables = add_messaging_tables(metadata)
    await conn.run_sync(metadata.create_all)   # tests; production uses Alembic
    """
    outbox = sa.Table(OUTBOX, metadata, *_outbox_columns())
    # A partial index: the relay's scan touches only the (few) unpublished rows.
    sa.Index(_UNPUBLISHED_INDEX, outbox.c.id, postgresql_where=outbox.c.published_at.is_(None))
    sa.Index(
        _PUBLISHED_AT_INDEX,
        outbox.c.published_at,
        postgresql_where=outbox.c.published_at.is_not(None),
    )
    inbox = sa.Table(INBOX, metadata, *_inbox_columns())
    sa.Index(_HANDLED_AT_INDEX, inbox.c.handled_at)
    return MessagingTables(outbox, inbox)


def create_messaging_tables(op: Any) -> None:
    """Create `outbox` and `inbox` from an Alembic migration.

    def upgrade() -> None:
        create_messaging_tables(op)
        op.create_table("orders", ...)
    """
    outbox = op.create_table(OUTBOX, *_outbox_columns())
    op.create_index(
        _UNPUBLISHED_INDEX,
        OUTBOX,
        ["id"],
        postgresql_where=outbox.c.published_at.is_(None),
    )
    op.create_table(INBOX, *_inbox_columns())
    create_retention_indexes(op)


def drop_messaging_tables(op: Any) -> None:
    """Undo `create_messaging_tables` in a migration's `downgrade()`."""
    drop_retention_indexes(op)
    op.drop_table(INBOX)
    op.drop_index(_UNPUBLISHED_INDEX, table_name=OUTBOX)
    op.drop_table(OUTBOX)


def create_retention_indexes(op: Any) -> None:
    """The indexes the retention purge reads by, for a database migrated before they were
    part of `create_messaging_tables` (`IF NOT EXISTS`: a newer database has them).

    def upgrade() -> None:
        create_retention_indexes(op)
    """
    op.create_index(
        _PUBLISHED_AT_INDEX,
        OUTBOX,
        ["published_at"],
        postgresql_where=sa.text("published_at IS NOT NULL"),
        if_not_exists=True,
    )
    op.create_index(_HANDLED_AT_INDEX, INBOX, ["handled_at"], if_not_exists=True)


def drop_retention_indexes(op: Any) -> None:
    """Undo `create_retention_indexes` in a migration's `downgrade()`."""
    op.drop_index(_HANDLED_AT_INDEX, table_name=INBOX, if_exists=True)
    op.drop_index(_PUBLISHED_AT_INDEX, table_name=OUTBOX, if_exists=True)


# The library's own handle on the tables for building statements; table names are fixed,
# so it works against whichever MetaData the service created them on.
_tables = add_messaging_tables(sa.MetaData())
outbox_table = _tables.outbox
inbox_table = _tables.inbox
