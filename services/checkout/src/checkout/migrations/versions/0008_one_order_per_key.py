"""One order per Idempotency-Key (docs/adr/0011-one-order-per-idempotency-key.md).

A key released after a transient failure is kept as RETRYABLE, naming the failed attempt's
order, instead of being deleted; the retry that claims it runs under a new order id and,
when it stores its outcome, marks the attempts before it `superseded_by` its order.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("superseded_by", sa.String(40)))
    op.create_index(
        "ix_orders_superseded_by",
        "orders",
        ["superseded_by"],
        postgresql_where=sa.text("superseded_by IS NOT NULL"),
    )
    _key_statuses("'IN_PROGRESS', 'COMPLETED', 'RETRYABLE'")


def downgrade() -> None:
    op.execute("DELETE FROM idempotency_keys WHERE status = 'RETRYABLE'")
    _key_statuses("'IN_PROGRESS', 'COMPLETED'")
    op.drop_index("ix_orders_superseded_by", table_name="orders")
    op.drop_column("orders", "superseded_by")


def _key_statuses(known: str) -> None:
    op.drop_constraint("idempotency_keys_status_known", "idempotency_keys", type_="check")
    op.create_check_constraint(
        "idempotency_keys_status_known", "idempotency_keys", f"status IN ({known})"
    )
