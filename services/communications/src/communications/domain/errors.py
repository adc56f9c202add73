"""Why a notification could not be sent now: raised by the Mailer and the use cases.

Exception
 +-- MailerUnavailable        the mail server refused or could not be reached (the Mailer)
 +-- RetryLater               not now: the consumer runner retries the event with backoff
      +-- RecipientUnknown        a few times, then dead-letters it (redriven later)
      +-- NotificationFailed      for as long as it takes (registered as transient)
"""

from communications.domain.notifications import Notification


class MailerUnavailable(Exception):
    """The mail server refused or could not be reached; the email was not accepted."""


class RetryLater(Exception):
    """A transient reason not to handle an event now; raising it rolls the inbox
    transaction back, so the runner retries the event."""


class RecipientUnknown(RetryLater):
    """An order or shipment event overtook its order's OrderContactShared (another topic):
    no address yet."""

    def __init__(self, order_id: str) -> None:
        super().__init__(f"no recipient known yet for order {order_id}")
        self.order_id = order_id


class NotificationFailed(RetryLater):
    """The email was not accepted; its notification is recorded FAILED."""

    def __init__(self, notification: Notification, cause: str) -> None:
        super().__init__(f"notification {notification.id} not sent: {cause}")
        self.notification = notification
