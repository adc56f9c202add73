"""Refunds of captured authorizations, one per return (ADR 0015).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "refunds",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column(
            "authorization_id", sa.String(40), sa.ForeignKey("authorizations.id"), nullable=False
        ),
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("return_id", sa.String(40), nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name="refunds_amount_positive"),
    )
    op.create_index("uq_refunds_return", "refunds", ["return_id"], unique=True)
    op.create_index("ix_refunds_authorization", "refunds", ["authorization_id"])
    op.create_index("ix_refunds_created_at_id", "refunds", ["created_at", "id"])


def downgrade() -> None:
    op.drop_table("refunds")
