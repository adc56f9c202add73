"""The outbox can park a row the broker refuses for good (too large, no such topic), so it
no longer blocks every later event (docs/messaging-failures.md).

`IF NOT EXISTS`: a database created after this change already has the columns, since
0001 creates the outbox through shop_messaging's current `create_messaging_tables`.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE outbox ADD COLUMN IF NOT EXISTS parked_at timestamp with time zone,"
        " ADD COLUMN IF NOT EXISTS park_reason text"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE outbox DROP COLUMN parked_at, DROP COLUMN park_reason")
