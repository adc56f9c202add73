"""Use case: tell the customer about a business fact, once, even when asked twice.

Runs in the caller's transaction (the consumer's, next to its inbox claim). Two keys make it
idempotent: the event id (`about_event_id`: one notification per delivery, and the email's
Message-ID) and the fact itself (order id and kind: at most one SENT per pair, so the same
fact republished under a new event id mails nobody). Attempts at one fact are serialised
by a lock held until the caller commits, so a concurrent duplicate waits, then finds SENT.

Only SENT counts as done. The email is at least once, and the window for a second copy
is kept as small as it can be: the attempt commits its intent (SENDING) before the mail
server sees the email, and its outcome right after the server answers, each in a
transaction of its own (`records`), never in the caller's, which commits only later. The
SENT commit is retried through a database outage (the email is out; giving up would send
it again); a cancelled caller lets the send and its record finish first. What remains: a
crash between the server's acceptance and the SENT commit (a QUIT round trip and one
commit). The next attempt then finds the intent, cannot know whether the email left (SMTP
has no way to ask), and sends it again under the same notification and Message-ID, so
the copy is recognisable; it logs the uncertain send and counts it
(`notifications_uncertain_total`).

When the mail server is unavailable, the attempt is recorded FAILED and
`NotificationFailed` is raised: the caller's transaction rolls back (the inbox claim with
it) and the event is retried, because a FAILED notification that nobody retries is a lost
email. The next attempt sends it under the same notification id and Message-ID.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from prometheus_client import Counter
from shop_messaging import Outbox
from shop_servicekit import Clock, new_id
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from communications.adapters import notifications
from communications.application.ports import Mailer
from communications.application.records import record_failure, record_intent, record_sent
from communications.domain.errors import MailerUnavailable, NotificationFailed
from communications.domain.notifications import (
    Email,
    Notification,
    NotificationKind,
    NotificationStatus,
    compose,
)

log = logging.getLogger(__name__)

UNCERTAIN = Counter(
    "notifications_uncertain",
    "Emails sent again because an earlier attempt ended between its intent and its outcome",
)


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

    `session` is the caller's transaction (the fact's lock, held until it ends); `sessions`
    is for the intent and the outcome, which must outlive its rollback (`records`).
    """
    now = clock()
    await notifications.lock_fact(session, command.order_id, command.kind, command.fact)
    done = await notifications.sent_for(session, command.order_id, command.kind, command.fact)
    if done is not None:
        return Notified(done, sent_now=False)
    # An attempt cut short keeps its row (and Message-ID), whatever event asks again; an
    # earlier failed attempt at this event keeps its id: one notification per event.
    unsettled = await notifications.sending_for(
        session, command.order_id, command.kind, command.fact
    )
    if unsettled is not None:
        UNCERTAIN.inc()
        log.warning(
            "notification %s was being sent when its attempt ended; sending it again",
            unsettled.id,
            extra={"order_id": command.order_id},
        )
        command = replace(command, about_event_id=unsettled.about_event_id)
    email = compose(
        command.kind,
        order_id=command.order_id,
        recipient=command.recipient,
        about_event_id=command.about_event_id,
        mail_from=mail_from,
        facts=command.facts,
    )
    earlier = unsettled or await notifications.for_event(session, command.about_event_id)
    attempt = Notification(
        id=earlier.id if earlier else new_id("ntf"),
        order_id=command.order_id,
        kind=command.kind,
        about_event_id=command.about_event_id,
        recipient=command.recipient,
        subject=email.subject,
        status=NotificationStatus.SENDING,
        created_at=earlier.created_at if earlier else now,
        fact=command.fact,
    )
    await record_intent(sessions, attempt)
    delivery = asyncio.ensure_future(_deliver(email, attempt, sessions, mailer, outbox, now))
    try:
        sent = await asyncio.shield(delivery)
    except asyncio.CancelledError:
        # The email may be on its way: let it land and be recorded before giving up.
        with contextlib.suppress(Exception):
            await delivery
        raise
    return Notified(sent, sent_now=True)


async def _deliver(
    email: Email,
    attempt: Notification,
    sessions: async_sessionmaker[AsyncSession],
    mailer: Mailer,
    outbox: Outbox,
    now: datetime,
) -> Notification:
    try:
        message_id = await mailer.send(email)
    except MailerUnavailable as exc:
        failed = replace(attempt, status=NotificationStatus.FAILED)
        await record_failure(sessions, failed)
        log.warning(
            "notification %s not sent: %s", attempt.id, exc, extra={"order_id": attempt.order_id}
        )
        raise NotificationFailed(failed, str(exc)) from exc
    sent = replace(attempt, status=NotificationStatus.SENT, smtp_message_id=message_id, sent_at=now)
    return await record_sent(sessions, sent, outbox)
