"""Reconciliation's read of authorizations pages by (created_at, id): an index to walk.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_authorizations_created_at_id", "authorizations", ["created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_authorizations_created_at_id", table_name="authorizations")
