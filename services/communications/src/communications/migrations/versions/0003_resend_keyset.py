"""What a resend needs: the order's total beside its recipient (a resent confirmation names
it), and an index to walk reconciliation's read of notifications by (created_at, id).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Null for orders confirmed before this migration: their resent confirmation has no total.
    op.add_column("recipients", sa.Column("total_amount", sa.BigInteger, nullable=True))
    op.add_column("recipients", sa.Column("total_currency", sa.String(3), nullable=True))
    op.create_index("ix_notifications_created_at_id", "notifications", ["created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_notifications_created_at_id", table_name="notifications")
    op.drop_column("recipients", "total_currency")
    op.drop_column("recipients", "total_amount")
