"""Use case: tell the customer about a business fact, once, even when asked twice.

Runs in the caller's transaction (the consumer's, next to its inbox claim). Two keys make it
idempotent: the event id (`about_event_id`: one notification per delivery, and the email's
Message-ID) and the fact itself (order id and kind: at most one SENT per pair, so the same
fact republished under a new event id mails nobody). Attempts at one fact are serialised
by a lock held until the caller commits, so a concurrent duplicate waits, then finds SENT.

Only SENT counts as done. When the mail server is unavailable, the attempt is recorded
FAILED in a transaction of its own and `NotificationFailed` is raised: the caller's
transaction rolls back (the inbox claim with it) and the event is retried, because a
FAILED notification that nobody retries is a lost email. The next attempt sends it under
the same notification id and Message-ID. Email is at least once: a crash between the SMTP
handover and the commit sends it again, with the same Message-ID.
"""

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace

from shop_contracts import CloudEvent, CustomerNotified
from shop_messaging import Outbox
from shop_servicekit import Clock, new_id
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from communications.adapters import notifications
from communications.application.ports import Mailer
from communications.application.records import record_failure
from communications.domain.errors import MailerUnavailable, NotificationFailed
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
    # Which fact of the kind, for kinds an order has several of (a return's id).
    fact: str = ""


@dataclass(frozen=True)
class Notified:
    notification: Notification
    sent_now: bool  # False: this fact was already sent (a duplicate or a republish)


Notify = Callable[[AsyncSession, NotifyCustomer], Awaitable[Notified]]
"""`notify_customer` with its dependencies bound (see `entrypoints/worker.py`)."""


async def notify_customer(
    session: AsyncSession,
    command: NotifyCustomer,
    *,
    sessions: async_sessionmaker[AsyncSession],
    mailer: Mailer,
    outbox: Outbox,
    mail_from: str,
    clock: Clock,
) -> Notified:
    """Send the email unless the fact is already SENT. Raises NotificationFailed.

    `session` is the caller's transaction; `sessions` is for the FAILED record, which must
    outlive its rollback (`records.record_failure`).
    """
    now = clock()
    await notifications.lock_fact(session, command.order_id, command.kind, command.fact)
    done = await notifications.sent_for(session, command.order_id, command.kind, command.fact)
    if done is not None:
        return Notified(done, sent_now=False)
    email = compose(
        command.kind,
        order_id=command.order_id,
        recipient=command.recipient,
        about_event_id=command.about_event_id,
        mail_from=mail_from,
        facts=command.facts,
    )
    # An earlier failed attempt at this event keeps its id: one notification per event.
    earlier = await notifications.for_event(session, command.about_event_id)
    attempt = Notification(
        id=earlier.id if earlier else new_id("ntf"),
        order_id=command.order_id,
        kind=command.kind,
        about_event_id=command.about_event_id,
        recipient=command.recipient,
        subject=email.subject,
        status=NotificationStatus.FAILED,
        created_at=earlier.created_at if earlier else now,
        fact=command.fact,
    )
    try:
        message_id = await mailer.send(email)
    except MailerUnavailable as exc:
        await record_failure(sessions, attempt)
        log.warning(
            "notification %s not sent: %s",
            attempt.id,
            exc,
            extra={"order_id": command.order_id},
        )
        raise NotificationFailed(attempt, str(exc)) from exc
    sent = await notifications.save_sent(
        session,
        replace(attempt, status=NotificationStatus.SENT, smtp_message_id=message_id, sent_at=now),
    )
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
