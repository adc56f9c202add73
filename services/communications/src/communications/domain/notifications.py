"""What a notification is, and the emails we send, in the business's words. Stdlib only.

One email per business fact (an order and a kind of news): a delivery is keyed by its event
id (`about_event_id`, which also names the email's Message-ID, so a resend is recognisable
as the same message), and at most one notification of each kind is SENT per order.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class NotificationKind(StrEnum):
    ORDER_CONFIRMED = "ORDER_CONFIRMED"
    SHIPMENT_CREATED = "SHIPMENT_CREATED"
    BACKORDER_DECLARED = "BACKORDER_DECLARED"
    RETURN_RECEIVED = "RETURN_RECEIVED"


class NotificationStatus(StrEnum):
    SENDING = "SENDING"  # the intent, committed before the mail server sees the email
    SENT = "SENT"
    FAILED = "FAILED"


@dataclass(frozen=True)
class Email:
    recipient: str
    subject: str
    body: str
    message_id: str


@dataclass(frozen=True)
class Notification:
    id: str
    order_id: str
    kind: NotificationKind
    about_event_id: str
    recipient: str
    subject: str
    status: NotificationStatus
    created_at: datetime
    smtp_message_id: str | None = None
    sent_at: datetime | None = None
    # Which fact of this kind, when an order can have several (a return's id); "" when an
    # order has one fact of the kind.
    fact: str = ""


@dataclass(frozen=True)
class Recipient:
    """Who is told about an order, and the order's total: learnt from OrderContactShared
    and OrderConfirmed, used for every later email (and for a resend, which has no event to
    read them from)."""

    order_id: str
    customer_id: str
    email: str
    created_at: datetime
    total_amount: int | None = None
    total_currency: str | None = None

    def resend_facts(self, kind: NotificationKind) -> dict[str, str]:
        """What this service knows to fill `kind`'s template without its event: the total of
        a confirmation. A shipment's or backorder's details came only with their events, so
        a resend says the news without them ("some items" for the SKUs short)."""
        if kind is NotificationKind.ORDER_CONFIRMED and self.total_amount is not None:
            return {"total": format_money(self.total_amount, self.total_currency or "")}
        return {}


_TEMPLATES: Mapping[NotificationKind, tuple[str, str]] = {
    NotificationKind.ORDER_CONFIRMED: (
        "Your order {order_id} is confirmed",
        "Thank you for your order.\n\n"
        "Order {order_id} is confirmed{total_phrase}. We are getting it ready to ship and will\n"
        "write again as soon as it is on its way.\n",
    ),
    NotificationKind.SHIPMENT_CREATED: (
        "Your order {order_id} is being packed",
        "Good news: order {order_id} is being packed at our warehouse and will leave shortly.\n",
    ),
    NotificationKind.BACKORDER_DECLARED: (
        "Your order {order_id} is delayed",
        "We are sorry: some items of order {order_id} are waiting for new stock\n"
        "({skus}). Your order is safe and we will ship it as soon as they arrive;\n"
        "you will not be charged until it ships.\n",
    ),
    NotificationKind.RETURN_RECEIVED: (
        "We received your return for order {order_id}",
        "Thank you: the items you sent back from order {order_id} have arrived ({skus}).\n"
        "We are refunding {refund} to your original payment method.\n",
    ),
}
_SIGNATURE = "\nThe Shop team\n"


def resend_event_id(order_id: str, kind: NotificationKind) -> str:
    """The `about_event_id` of a resend (there is no event): derived from the fact itself,
    so every resend of one (order, kind) is one notification and one Message-ID, and a
    repeated resend cannot mail twice. `rsd_` and 32 hex digits (ids are at most 64)."""
    return "rsd_" + hashlib.sha256(f"{order_id}:{kind.value}".encode()).hexdigest()[:32]


def message_id_for(about_event_id: str, mail_from: str) -> str:
    """`<evt_123@shop.example>`: the same event always gives the same Message-ID."""
    domain = mail_from.rsplit("@", 1)[1].rstrip(">").strip()
    return f"<{about_event_id}@{domain}>"


def compose(
    kind: NotificationKind,
    *,
    order_id: str,
    recipient: str,
    about_event_id: str,
    mail_from: str,
    facts: Mapping[str, str] | None = None,
) -> Email:
    """The email for one event. `facts` fill the template (`total`, `skus`); all optional."""
    facts = facts or {}
    subject, body = _TEMPLATES[kind]
    values = {
        "order_id": order_id,
        "total_phrase": f" (total {facts['total']})" if facts.get("total") else "",
        "skus": facts.get("skus") or "some items",
        "refund": facts.get("refund") or "their share of your payment",
    }
    return Email(
        recipient=recipient,
        subject=subject.format(**values),
        body=body.format(**values) + _SIGNATURE,
        message_id=message_id_for(about_event_id, mail_from),
    )


def format_money(amount: int, currency: str) -> str:
    """1234, "EUR" -> "12.34 EUR" (minor units of two-decimal currencies)."""
    return f"{amount // 100}.{amount % 100:02d} {currency}"
