"""What the use cases need from the outside world, and the errors they may answer with.

Exception
 +-- MailerUnavailable        the mail server refused or could not be reached (adapter)
 +-- RetryLater               not now: the consumer runner retries the event with backoff,
      +-- RecipientUnknown        then dead-letters it (reconciliation resends later)
      +-- NotificationFailed
"""

from collections.abc import Awaitable, Callable
from typing import Protocol

from communications.domain.notifications import Email, Notification, Recipient


class MailerUnavailable(Exception):
    """The mail server refused or could not be reached; the email was not accepted."""


class RetryLater(Exception):
    """A transient reason not to handle an event now; raising it rolls the inbox
    transaction back, so the runner retries the event."""


class RecipientUnknown(RetryLater):
    """A shipment event overtook its order's OrderConfirmed (another topic): no address yet."""

    def __init__(self, order_id: str) -> None:
        super().__init__(f"no recipient known yet for order {order_id}")
        self.order_id = order_id


class NotificationFailed(RetryLater):
    """The email was not accepted; its notification is recorded FAILED."""

    def __init__(self, notification: Notification, cause: str) -> None:
        super().__init__(f"notification {notification.id} not sent: {cause}")
        self.notification = notification


class Mailer(Protocol):
    async def send(self, email: Email) -> str:
        """Hand `email` to the mail server; returns its Message-ID. Raises MailerUnavailable."""
        ...


RecordFailure = Callable[[Notification], Awaitable[None]]
"""Store a FAILED attempt durably, outside the caller's transaction."""

RememberRecipient = Callable[[Recipient], Awaitable[None]]
"""Store an order's recipient durably, outside the caller's transaction."""
