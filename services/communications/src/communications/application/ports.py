"""What the use cases need from outside the service's own database: the mail server.

The email it takes (`domain.notifications.Email`) and the error it raises
(`domain.errors.MailerUnavailable`) live in the domain, so the adapter (`adapters/smtp.py`)
depends on the domain only.
"""

from typing import Protocol

from communications.domain.notifications import Email


class Mailer(Protocol):
    async def send(self, email: Email) -> str:
        """Hand `email` to the mail server; returns its Message-ID. Raises MailerUnavailable."""
        ...
