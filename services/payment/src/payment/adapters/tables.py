"""Payment's tables. The migrations create them; the repository reads and writes them."""

from shop_messaging import add_messaging_tables
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    MetaData,
    String,
    Table,
    text,
)

metadata = MetaData()

authorizations = Table(
    "authorizations",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("order_id", String(64), nullable=False),
    Column("customer_id", String(64), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(16), nullable=False),
    Column("decline_reason", String(100), nullable=True),
    # SHA-256 (hex) of the payment token: which token was used, never the token itself.
    Column("token_fingerprint", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("voided_at", DateTime(timezone=True), nullable=True),
    Column("captured_at", DateTime(timezone=True), nullable=True),
    CheckConstraint("amount > 0", name="authorizations_amount_positive"),
)
# One live authorization per order; declined attempts sit beside it for audit.
Index(
    "uq_authorizations_live_order",
    authorizations.c.order_id,
    unique=True,
    postgresql_where=text("status <> 'DECLINED'"),
)
Index(
    "ix_authorizations_customer_created", authorizations.c.customer_id, authorizations.c.created_at
)
# Reconciliation's keyset pages (GET /internal/v1/authorizations).
Index("ix_authorizations_created_at_id", authorizations.c.created_at, authorizations.c.id)

captures = Table(
    "captures",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("authorization_id", String(40), ForeignKey("authorizations.id"), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
# Money is taken once per authorization.
Index("uq_captures_authorization", captures.c.authorization_id, unique=True)

# Authorizations a shipment could not capture, each reported once (PaymentCaptureFailed).
capture_failures = Table(
    "capture_failures",
    metadata,
    Column("authorization_id", String(40), ForeignKey("authorizations.id"), primary_key=True),
    Column("order_id", String(64), nullable=False, index=True),
    Column("reason", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Money given back for returns: one refund per return, their sum never past the capture.
refunds = Table(
    "refunds",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("authorization_id", String(40), ForeignKey("authorizations.id"), nullable=False),
    Column("order_id", String(64), nullable=False),
    Column("return_id", String(40), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("amount > 0", name="refunds_amount_positive"),
)
Index("uq_refunds_return", refunds.c.return_id, unique=True)
Index("ix_refunds_authorization", refunds.c.authorization_id)
Index("ix_refunds_created_at_id", refunds.c.created_at, refunds.c.id)

messaging = add_messaging_tables(metadata)
