"""One capture per authorization, and one reported capture failure per authorization.

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
    # The use case already refuses a second capture under the row lock; the index makes
    # "money is taken once" a fact of the schema, not only of the code.
    op.create_index("uq_captures_authorization", "captures", ["authorization_id"], unique=True)
    # A shipment whose authorization cannot be captured is reported once
    # (PaymentCaptureFailed); a republished ShipmentCreated finds the row and stays quiet.
    op.create_table(
        "capture_failures",
        sa.Column(
            "authorization_id",
            sa.String(40),
            sa.ForeignKey("authorizations.id"),
            primary_key=True,
        ),
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_capture_failures_order_id", "capture_failures", ["order_id"])


def downgrade() -> None:
    op.drop_index("ix_capture_failures_order_id", table_name="capture_failures")
    op.drop_table("capture_failures")
    op.drop_index("uq_captures_authorization", table_name="captures")
