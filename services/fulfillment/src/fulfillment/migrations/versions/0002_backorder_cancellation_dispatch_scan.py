"""Backorders can be cancelled; the dispatch loop's scan of CREATED shipments is indexed.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint("backorders_status_known", "backorders", type_="check")
    op.create_check_constraint(
        "backorders_status_known", "backorders", "status IN ('OPEN', 'RELEASED', 'CANCELLED')"
    )
    op.add_column("backorders", sa.Column("cancelled_at", sa.DateTime(timezone=True)))
    # The dispatch loop polls for CREATED shipments by age; dispatched ones are the bulk.
    op.create_index(
        "ix_shipments_created",
        "shipments",
        ["created_at"],
        postgresql_where=sa.text("status = 'CREATED'"),
    )


def downgrade() -> None:
    op.drop_index("ix_shipments_created", table_name="shipments")
    op.drop_column("backorders", "cancelled_at")
    op.drop_constraint("backorders_status_known", "backorders", type_="check")
    op.create_check_constraint(
        "backorders_status_known", "backorders", "status IN ('OPEN', 'RELEASED')"
    )
