"""Communications' HTTP request and response models (they belong to this service alone).

Request bodies end in `Body`, responses in `View`; the use cases never see either.
"""

from datetime import datetime
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field

from communications.domain.notifications import Notification, NotificationKind

OrderIdQuery = Annotated[str, Query(min_length=1, max_length=64)]


class NotificationView(BaseModel):
    """A public read: no email address (the customer knows theirs)."""

    notification_id: str
    order_id: str
    kind: str
    about_event_id: str
    subject: str
    status: str
    smtp_message_id: str | None
    created_at: datetime
    sent_at: datetime | None

    @classmethod
    def of(cls, notification: Notification) -> "NotificationView":
        return cls(
            notification_id=notification.id,
            order_id=notification.order_id,
            kind=notification.kind.value,
            about_event_id=notification.about_event_id,
            subject=notification.subject,
            status=notification.status.value,
            smtp_message_id=notification.smtp_message_id,
            created_at=notification.created_at,
            sent_at=notification.sent_at,
        )


class NotificationListView(BaseModel):
    notifications: list[NotificationView]


class RecipientBody(BaseModel):
    """Who the order's customer is, as the repairer knows it (checkout's order)."""

    model_config = ConfigDict(extra="forbid")

    customer_id: Annotated[str, Field(min_length=1, max_length=64)]
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+$", max_length=254)]


class MoneyBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Bounded as payment bounds an authorization: a larger number overflows the column.
    amount: Annotated[int, Field(ge=0, le=100_000_000)]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class ResendBody(BaseModel):
    """`recipient` and `total` are optional: used (and the recipient stored) only when no
    OrderConfirmed of the order was ever seen here; what this service learnt wins."""

    model_config = ConfigDict(extra="forbid")

    order_id: Annotated[str, Field(min_length=1, max_length=64)]
    kind: NotificationKind
    recipient: RecipientBody | None = None
    total: MoneyBody | None = None
