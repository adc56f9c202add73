"""Use case: tell the customer about an event, once per event id, even when asked twice.

The notification row is inserted first, keyed by the unique `about_event_id`, in the
caller's transaction (the consumer's, next to its inbox claim). A concurrent duplicate
blocks on that key until we commit and then finds the notification SENT: a no-op. Rows are
inserted as FAILED and turned SENT before commit, so only those two states are ever seen;
a FAILED notification is sent again by the next call for the same event (the resend repair).
"""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from shop_contracts import CloudEvent, CustomerNotified
from shop_messaging import Outbox
from shop_servicekit import new_id
from sqlalchemy.ext.asyncio import AsyncSession

from communications.adapters import notifications
from communications.application.ports import Mailer, MailerUnavailable
from communications.domain.notifications import (
    Notification,
    NotificationKind,
    NotificationStatus,
    compose,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NotifyCustomer:
    order_id: str
    kind: NotificationKind
    about_event_id: str
    recipient: str
    facts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Notified:
    notification: Notification
    sent_now: bool  # False: already sent for this event (a duplicate), or the send failed


async def notify_customer(
    session: AsyncSession,
    command: NotifyCustomer,
    *,
    mailer: Mailer,
    outbox: Outbox,
    mail_from: str,
    now: Callable[[], datetime],
) -> Notified:
    email = compose(
        command.kind,
        order_id=command.order_id,
        recipient=command.recipient,
        about_event_id=command.about_event_id,
        mail_from=mail_from,
        facts=command.facts,
    )
    pending = Notification(
        id=new_id("ntf"),
        order_id=command.order_id,
        kind=command.kind,
        about_event_id=command.about_event_id,
        recipient=command.recipient,
        subject=email.subject,
        status=NotificationStatus.FAILED,
        created_at=now(),
    )
    notification = await notifications.claim(session, pending)
    if notification.status is NotificationStatus.SENT:
        return Notified(notification, sent_now=False)
    try:
        message_id = await mailer.send(email)
    except MailerUnavailable:
        log.warning("notification %s not sent: mail server unavailable", notification.id)
        return Notified(notification, sent_now=False)
    sent = await notifications.mark_sent(session, notification.id, message_id, now())
    await outbox.add(
        session,
        CloudEvent.create(
            CustomerNotified(
                order_id=sent.order_id,
                notification_id=sent.id,
                kind=sent.kind.value,
                about_event_id=sent.about_event_id,
            ),
            time=sent.sent_at,
        ),
    )
    return Notified(sent, sent_now=True)
