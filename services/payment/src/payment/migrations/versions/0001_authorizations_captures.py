"""Authorizations and captures, the outbox and inbox.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from shop_messaging import create_messaging_tables, drop_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables(op)
    op.create_table(
        "authorizations",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decline_reason", sa.String(100), nullable=True),
        sa.Column("token_last", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("amount > 0", name="authorizations_amount_positive"),
    )
    # One live authorization per order; declined attempts sit beside it for audit.
    op.create_index(
        "uq_authorizations_live_order",
        "authorizations",
        ["order_id"],
        unique=True,
        postgresql_where=sa.text("status <> 'DECLINED'"),
    )
    op.create_index(
        "ix_authorizations_customer_created", "authorizations", ["customer_id", "created_at"]
    )
    op.create_table(
        "captures",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column(
            "authorization_id", sa.String(40), sa.ForeignKey("authorizations.id"), nullable=False
        ),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("captures")
    op.drop_index("ix_authorizations_customer_created", table_name="authorizations")
    op.drop_index("uq_authorizations_live_order", table_name="authorizations")
    op.drop_table("authorizations")
    drop_messaging_tables(op)
