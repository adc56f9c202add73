"""Coordination state, coordination events, reconciliation runs and findings, and the inbox.

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


def _at(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=True)


def upgrade() -> None:
    # The library creates the inbox together with an outbox; Reconciliation only uses the
    # inbox (it publishes nothing), so its outbox stays empty.
    create_messaging_tables(op)
    op.create_table(
        "order_coordination",
        sa.Column("order_id", sa.String(64), primary_key=True),
        _at("confirmed_at"),
        _at("allocated_at"),
        _at("backordered_at"),
        _at("reservation_committed_at"),
        _at("payment_captured_at"),
        _at("customer_notified_at"),
        _at("cancelled_at"),
        _at("last_event_at"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    # The stuck scan reads open orders oldest first; finished and cancelled ones drop out.
    op.create_index(
        "ix_order_coordination_open",
        "order_coordination",
        ["confirmed_at", "order_id"],
        postgresql_where=sa.text("cancelled_at IS NULL"),
    )
    op.create_table(
        "coordination_events",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("type", sa.String(255), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_coordination_events_order_id", "coordination_events", ["order_id"])
    op.create_table(
        "reconciliation_runs",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("dry_run", sa.Boolean, nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("summary", sa.JSON, nullable=True),
        sa.CheckConstraint(
            "status IN ('RUNNING', 'SUCCEEDED', 'FAILED')", name="reconciliation_runs_status_known"
        ),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("run_id", sa.String(40), sa.ForeignKey("reconciliation_runs.id"), nullable=False),
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("repair", sa.String(200), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('OPEN', 'REPAIRED', 'DRY_RUN')", name="findings_status_known"
        ),
    )
    op.create_index("ix_findings_run_id", "findings", ["run_id"])
    op.create_index("ix_findings_order_id", "findings", ["order_id"])


def downgrade() -> None:
    op.drop_index("ix_findings_order_id", table_name="findings")
    op.drop_index("ix_findings_run_id", table_name="findings")
    op.drop_table("findings")
    op.drop_table("reconciliation_runs")
    op.drop_index("ix_coordination_events_order_id", table_name="coordination_events")
    op.drop_table("coordination_events")
    op.drop_index("ix_order_coordination_open", table_name="order_coordination")
    op.drop_table("order_coordination")
    drop_messaging_tables(op)
