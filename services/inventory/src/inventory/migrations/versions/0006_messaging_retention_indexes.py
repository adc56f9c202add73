"""Indexes for the retention purge of the outbox and the inbox (shop_messaging.Retention):
published rows by `published_at`, handled rows by `handled_at`.

`IF NOT EXISTS`: a database created after this change already has them, since 0001
creates the tables through shop_messaging's current `create_messaging_tables`.

Revision ID: 0006
Revises: 0005
"""

from alembic import op
from shop_messaging import create_retention_indexes, drop_retention_indexes

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_retention_indexes(op)


def downgrade() -> None:
    drop_retention_indexes(op)
