"""A notification may be SENDING: the record of intent committed before the email is
handed to the mail server, so an attempt cut short (a crash between the server's
acceptance and the SENT commit) is known to the next one (docs/messaging-failures.md).

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint("notifications_status_known", "notifications", type_="check")
    op.create_check_constraint(
        "notifications_status_known", "notifications", "status IN ('SENT', 'FAILED', 'SENDING')"
    )


def downgrade() -> None:
    op.execute("UPDATE notifications SET status = 'FAILED' WHERE status = 'SENDING'")
    op.drop_constraint("notifications_status_known", "notifications", type_="check")
    op.create_check_constraint(
        "notifications_status_known", "notifications", "status IN ('SENT', 'FAILED')"
    )
