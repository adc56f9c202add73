"""The republish repair's index covers every row of an order's confirmation: OrderConfirmed
v1 (before ADR 0010) and v2, and OrderContactShared, which v2 is written with.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

INDEX = "ix_outbox_order_confirmed_key"
V1_ONLY = "type = 'shop.checkout.OrderConfirmed.v1'"
CONFIRMATION = (
    "type IN ('shop.checkout.OrderConfirmed.v1', 'shop.checkout.OrderConfirmed.v2', "
    "'shop.checkout.OrderContactShared.v1')"
)


def upgrade() -> None:
    op.drop_index(INDEX, table_name="outbox")
    op.create_index(INDEX, "outbox", ["key"], postgresql_where=sa.text(CONFIRMATION))


def downgrade() -> None:
    op.drop_index(INDEX, table_name="outbox")
    op.create_index(INDEX, "outbox", ["key"], postgresql_where=sa.text(V1_ONLY))
