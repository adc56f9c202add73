"""Order progress facts (one timestamp per fact) and timeline entries keyed by fact.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

FACTS = (
    "backordered",
    "shipped",
    "dispatched",
    "reservation_committed",
    "captured",
    "capture_failed",
    "voided",
    "notified",
    "cancelled",
)


def upgrade() -> None:
    for fact in FACTS:
        op.add_column("orders", sa.Column(f"{fact}_at", sa.DateTime(timezone=True)))
    # The business fact an entry records (e.g. "ShipmentCreated:shp_1"): an event delivered
    # twice, or republished with a new id, finds its entry and changes nothing.
    op.add_column("order_timeline", sa.Column("fact", sa.String(200)))
    op.create_index(
        "ux_order_timeline_fact",
        "order_timeline",
        ["order_id", "fact"],
        unique=True,
        postgresql_where=sa.text("fact IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ux_order_timeline_fact", table_name="order_timeline")
    op.drop_column("order_timeline", "fact")
    for fact in reversed(FACTS):
        op.drop_column("orders", f"{fact}_at")
