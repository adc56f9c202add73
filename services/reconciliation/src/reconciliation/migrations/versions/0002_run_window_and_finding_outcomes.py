"""Runs record their window's end, trigger and error; findings their repair params,
a one-line detail and why they stayed OPEN.

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
    op.add_column(
        "reconciliation_runs", sa.Column("until", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "reconciliation_runs",
        sa.Column("trigger", sa.String(16), nullable=False, server_default="cli"),
    )
    op.add_column("reconciliation_runs", sa.Column("error", sa.Text, nullable=True))
    op.create_check_constraint(
        "reconciliation_runs_trigger_known",
        "reconciliation_runs",
        "trigger IN ('cli', 'api', 'schedule')",
    )
    # GET /v1/reconciliation/runs lists the newest first.
    op.create_index("ix_reconciliation_runs_started_at", "reconciliation_runs", ["started_at"])
    op.add_column("findings", sa.Column("repair_params", sa.JSON, nullable=True))
    op.add_column("findings", sa.Column("detail", sa.Text, nullable=False, server_default=""))
    op.add_column("findings", sa.Column("error", sa.Text, nullable=True))


def downgrade() -> None:
    op.drop_column("findings", "error")
    op.drop_column("findings", "detail")
    op.drop_column("findings", "repair_params")
    op.drop_index("ix_reconciliation_runs_started_at", table_name="reconciliation_runs")
    op.drop_constraint("reconciliation_runs_trigger_known", "reconciliation_runs")
    op.drop_column("reconciliation_runs", "error")
    op.drop_column("reconciliation_runs", "trigger")
    op.drop_column("reconciliation_runs", "until")
